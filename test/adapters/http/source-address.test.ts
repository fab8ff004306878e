/**
 * The source address of a `sourceIp: known` target whose file does not write it
 * (adapters/http/source-address.ts): the target file's `discover` field and its errors; discovery
 * from the local address of a connection to the endpoint, and from a URL; what a failed discovery
 * leaves off; and the address conditions of the Alibaba and OBS emulators on loopback exercised
 * around the discovered address (never a failure: the emulator sees 127.0.0.1, since it does not
 * trust the source-address header).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../../../adapters/http/config.ts';
import { createHttpAdapter, type HttpAdapter } from '../../../adapters/http/http-adapter.ts';
import { natLikely, parseSourceAddress, withDiscoveredSourceIp } from '../../../adapters/http/source-address.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.ts';
import { emulatorTarget } from '../../../emulator/target-file.ts';
import { ConformanceErrors } from '../../../model/errors.ts';
import type { Vendor } from '../../../model/vendors.ts';
import { PROPERTIES } from '../../../suites/properties/index.ts';
import { runRule } from '../../../suites/runner.ts';
import { loadSpecSet } from '../../../suites/spec/load.ts';

const HEAD = 'vendor: alibaba-oss\nendpoint: http://127.0.0.1:9\n';
const IDENTITIES = 'identities:\n  - kind: account\n    id: "1"\n    accessKeyId: A\n    accessKeySecretEnv: SECRET\n';

/** The messages of the errors a target file's text gives (none: the empty list). */
function problems(text: string): string[] {
  try {
    parseTargetConfig(text, 't.yaml');
    return [];
  } catch (error) {
    if (error instanceof ConformanceErrors) return error.errors.map((e) => e.message);
    throw error;
  }
}

describe('the `discover` field of a target file', () => {
  it('defaults `known` without an address to the local address, and takes `local` or an http(s) URL', () => {
    expect(parseTargetConfig(`${HEAD}sourceIp: known\n${IDENTITIES}`, 't.yaml')).toMatchObject({ sourceIp: 'known', discoverSourceIp: 'local' });
    expect(parseTargetConfig(`${HEAD}sourceIp: {mode: known}\n${IDENTITIES}`, 't.yaml')).toMatchObject({ sourceIp: 'known', discoverSourceIp: 'local' });
    expect(parseTargetConfig(`${HEAD}sourceIp: {mode: known, discover: local}\n${IDENTITIES}`, 't.yaml').discoverSourceIp).toBe('local');
    expect(parseTargetConfig(`${HEAD}sourceIp: {mode: known, discover: "https://ip.example.com/"}\n${IDENTITIES}`, 't.yaml').discoverSourceIp).toBe('https://ip.example.com/');
    const written = parseTargetConfig(`${HEAD}sourceIp: {mode: known, address: 203.0.113.7}\n${IDENTITIES}`, 't.yaml');
    expect(written.knownSourceIp).toBe('203.0.113.7');
    expect(written.discoverSourceIp).toBeUndefined();
    // Other modes discover nothing.
    expect(parseTargetConfig(`${HEAD}sourceIp: loopback\n${IDENTITIES}`, 't.yaml').discoverSourceIp).toBeUndefined();
  });

  it('refuses another scheme, `address` with `discover`, and the rest, located', () => {
    expect(problems(`${HEAD}sourceIp:\n  mode: known\n  discover: ftp://x\n${IDENTITIES}`)).toEqual([
      't.yaml:5:13: `sourceIp.discover` must be `local` or an http(s) URL that answers with the address, not `ftp://x`',
    ]);
    expect(problems(`${HEAD}sourceIp:\n  mode: known\n  address: 203.0.113.7\n  discover: local\n${IDENTITIES}`)).toEqual([
      't.yaml:6:3: `sourceIp` gives both `address` and `discover`: give the address the endpoint sees, or how to discover it, not both',
    ]);
    expect(problems(`${HEAD}sourceIp:\n  mode: loopback\n  discover: local\n${IDENTITIES}`)).toEqual(['t.yaml:5:3: `sourceIp.discover` goes with mode `known`, not `loopback`']);
    expect(problems(`${HEAD}sourceIp:\n  mode: known\n  discovery: local\n${IDENTITIES}`)).toEqual(['t.yaml:5:3: unknown field `discovery`; fields: mode, address, discover']);
    expect(problems(`${HEAD}sourceIp:\n  address: 203.0.113.7\n${IDENTITIES}`)).toEqual(['t.yaml:4:3: missing field `mode` (loopback, known, header, none)']);
    expect(problems(`${HEAD}sourceIp:\n  mode: known\n  address: 203.0.113\n${IDENTITIES}`)).toEqual(['t.yaml:5:12: `sourceIp.address` must be an IPv4 or IPv6 address, not `203.0.113`']);
    // A URL with credentials is refused without repeating them.
    const withPassword = problems(`${HEAD}sourceIp:\n  mode: known\n  discover: "https://me:pa55word@ip.example.com/"\n${IDENTITIES}`);
    expect(withPassword).toEqual(['t.yaml:5:13: `sourceIp.discover` is a URL without credentials']);
  });
});

describe('addresses', () => {
  it('takes one address in its usual form, a v4-mapped v6 as v4, and nothing else', () => {
    expect(parseSourceAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(parseSourceAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(parseSourceAddress('2001:0db8:0000::0001')).toBe('2001:db8::1');
    for (const bad of ['not an address', '127.1', '0x7f000001', '203.0.113.0/24', '', '1.2.3.4 5.6.7.8']) expect(parseSourceAddress(bad), bad).toBeUndefined();
  });

  it('says NAT is likely for a private or loopback address towards a public host only', () => {
    expect(natLikely('10.0.0.5', 'oss-cn-hangzhou.aliyuncs.com')).toBe(true);
    expect(natLikely('192.168.1.20', '8.8.8.8')).toBe(true);
    expect(natLikely('fd00::5', 'obs.cn-north-4.myhuaweicloud.com')).toBe(true);
    expect(natLikely('10.0.0.5', 'rgw.internal')).toBe(false);
    expect(natLikely('10.0.0.5', 'localhost')).toBe(false);
    expect(natLikely('10.0.0.5', 'rgw')).toBe(false);
    expect(natLikely('10.0.0.5', '10.0.0.9')).toBe(false);
    expect(natLikely('127.0.0.1', '127.0.0.1')).toBe(false);
    expect(natLikely('203.0.113.7', 'oss-cn-hangzhou.aliyuncs.com')).toBe(false);
  });

  it('logs why a discovery failed, and leaves the address unset', async () => {
    // A port nothing listens on: taken, then freed.
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const config = parseTargetConfig(`vendor: alibaba-oss\nendpoint: http://127.0.0.1:${port}\nsourceIp: known\n${IDENTITIES}`, 't.yaml');
    const logs: string[] = [];
    const out = await withDiscoveredSourceIp(config, (l) => logs.push(l));
    expect(out.knownSourceIp).toBeUndefined();
    expect(logs).toEqual([`source address not discovered: no connection to 127.0.0.1:${port}: ECONNREFUSED; conditions on the source address are not exercised (request.source-ip is not claimed); set sourceIp.address to exercise them`]);
    // Another mode, or a written address: nothing is discovered, nothing is logged.
    const loopback = parseTargetConfig(`vendor: alibaba-oss\nendpoint: http://127.0.0.1:${port}\nsourceIp: loopback\n${IDENTITIES}`, 't.yaml');
    expect(await withDiscoveredSourceIp(loopback, (l) => logs.push(l))).toBe(loopback);
    expect(logs).toHaveLength(1);
  });
});

describe('discovered against the emulators on loopback', () => {
  const emulators = new Map<Vendor, RunningEmulator>();
  const adapters: HttpAdapter[] = [];
  const savedEnv = { ...process.env };
  let dir: string;
  /** A discovery server: each path answers its text; `hits` counts the requests. */
  let discovery: Server;
  let discoveryUrl: string;
  const hits: string[] = [];
  const answers: Record<string, string> = { '/ip': '127.0.0.1\n', '/junk': 'not an address' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bucket-conformance-source-'));
    for (const vendor of ['alibaba-oss', 'huawei-obs'] as const) emulators.set(vendor, await startEmulator({ vendor, log: () => {} }));
    discovery = createServer((req, res) => {
      hits.push(req.url ?? '');
      const answer = answers[req.url ?? ''];
      if (answer === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(answer);
    });
    await new Promise<void>((resolve) => discovery.listen(0, '127.0.0.1', resolve));
    discoveryUrl = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.close();
    Object.assign(process.env, savedEnv);
  });
  afterAll(async () => {
    for (const emulator of emulators.values()) await emulator.close();
    await new Promise<void>((resolve) => discovery.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** The adapter of `vendor`'s emulator with `sourceIp` as given, and its log lines. */
  async function adapterWith(vendor: Vendor, sourceIp: string, name: string): Promise<{ adapter: HttpAdapter; logs: string[]; secrets: string[] }> {
    const emulator = emulators.get(vendor)!;
    const { yaml, env } = emulatorTarget(vendor, emulator.url, emulator.accounts);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, yaml.replace('sourceIp: loopback', `sourceIp: ${sourceIp}`));
    Object.assign(process.env, env);
    const logs: string[] = [];
    const adapter = await createHttpAdapter({ targetConfig: file, vendor, log: (line: string) => logs.push(line) });
    adapters.push(adapter);
    return { adapter, logs, secrets: Object.values(env) };
  }

  /** Runs one check of a rule (all of them when `check` is absent) through the adapter. */
  async function run(adapter: HttpAdapter, vendor: Vendor, id: string, check?: string) {
    const { rules, tables } = await loadSpecSet({ specsDir: 'specs', properties: PROPERTIES });
    const rule = rules.find((r) => r.vendor === vendor && r.id === id)!;
    return runRule(rule, adapter, PROPERTIES, { seed: 7, numRuns: 30, tables, targetName: 'http', ...(check === undefined ? {} : { check }) });
  }

  const LOCAL_LINE = 'source address 127.0.0.1 (the local address of a connection to 127.0.0.1); if the endpoint sees another (NAT), set sourceIp.address';

  it('Alibaba OSS: `known` without an address is 127.0.0.1/32, and ALI-COND-IP is exercised around it without a failure', async () => {
    const { adapter, logs, secrets } = await adapterWith('alibaba-oss', '{mode: known}', 'ali-known');
    expect(logs).toContain(LOCAL_LINE);
    expect(adapter.capabilities.sourceAddresses).toEqual({ v4: '127.0.0.1/32' });
    expect(adapter.capabilities.features.has('request.source-ip')).toBe(true);
    const result = await run(adapter, 'alibaba-oss', 'ALI-COND-IP');
    expect(result.verdict, result.message).not.toBe('fail');
    expect(['pass', 'skip']).toContain(result.verdict);
    // The property ran its cases (allowed and denied, by conditions around 127.0.0.1) and was only short of coverage: no v6 address.
    const property = result.checks.find((c) => c.kind === 'property')!;
    expect(property.cases).toBeGreaterThan(0);
    expect(property.verdict === 'pass' || /lacks what the cases need to reach every required outcome/.test(property.message ?? '')).toBe(true);
    expect(property.distribution['outcome']).toMatchObject({ allow: expect.any(Number), deny: expect.any(Number) });
    for (const line of logs) for (const secret of secrets) expect(line.includes(secret)).toBe(false);
  });

  it('Alibaba OSS: the address written in the file works the same, and a wrong one is caught (the checks bite)', async () => {
    const written = await adapterWith('alibaba-oss', '{mode: known, address: 127.0.0.1}', 'ali-written');
    expect(written.logs.filter((l) => l.startsWith('source address'))).toEqual([]);
    expect(written.adapter.capabilities.sourceAddresses).toEqual({ v4: '127.0.0.1/32' });
    expect((await run(written.adapter, 'alibaba-oss', 'ALI-COND-IP')).verdict).not.toBe('fail');
    // An address the emulator does not see: conditions built around it decide otherwise on the target.
    const wrong = await adapterWith('alibaba-oss', '{mode: known, address: 127.0.0.2}', 'ali-wrong');
    expect((await run(wrong.adapter, 'alibaba-oss', 'ALI-COND-IP', 'address conditions match single addresses and CIDR blocks')).verdict).toBe('fail');
  });

  it('Huawei OBS: `known` without an address is 127.0.0.1/32, and the IP condition property is exercised around it without a failure', async () => {
    const { adapter, logs } = await adapterWith('huawei-obs', 'known', 'obs-known');
    expect(logs).toContain(LOCAL_LINE);
    expect(adapter.capabilities.sourceAddresses).toEqual({ v4: '127.0.0.1/32' });
    expect(adapter.capabilities.features.has('request.source-ip')).toBe(true);
    const result = await run(adapter, 'huawei-obs', 'OBS-CONDITIONS', 'IpAddress and NotIpAddress on v4 and v6 addresses and blocks');
    expect(['pass', 'skip']).toContain(result.verdict);
    const property = result.checks[0]!;
    expect(property.cases).toBeGreaterThan(0);
    expect(property.verdict === 'pass' || /lacks what the cases need to reach every required outcome/.test(property.message ?? '')).toBe(true);
    // The whole rule too: its worked examples that carry an address no policy reads are sent as they are.
    const whole = await run(adapter, 'huawei-obs', 'OBS-CONDITIONS');
    expect(['pass', 'skip'], whole.message).toContain(whole.verdict);
    expect(whole.checks.filter((c) => c.verdict === 'inconclusive' || c.verdict === 'fail').map((c) => `${c.name}: ${c.message}`)).toEqual([]);
  });

  it('a `discover` URL answering one address is used', async () => {
    const before = hits.length;
    const { adapter, logs } = await adapterWith('alibaba-oss', `{mode: known, discover: "${discoveryUrl}/ip"}`, 'ali-url');
    expect(hits.slice(before)).toEqual(['/ip']);
    expect(logs).toContain(`source address 127.0.0.1 (as ${discoveryUrl}/ip sees it); if the endpoint sees another, set sourceIp.address`);
    expect(adapter.capabilities.sourceAddresses).toEqual({ v4: '127.0.0.1/32' });
    expect(adapter.capabilities.features.has('request.source-ip')).toBe(true);
  });

  it('a `discover` URL answering something else leaves conditions on the source address off, and the rule skipped naming it', async () => {
    const { adapter, logs } = await adapterWith('huawei-obs', `{mode: known, discover: "${discoveryUrl}/junk"}`, 'obs-junk');
    expect(logs).toContain(`source address not discovered: the answer of ${discoveryUrl}/junk is not one IP address ("not an address"); conditions on the source address are not exercised (request.source-ip is not claimed); set sourceIp.address to exercise them`);
    expect(adapter.capabilities.sourceAddresses).toBeUndefined();
    expect(adapter.capabilities.features.has('request.source-ip')).toBe(false);
    const result = await run(adapter, 'huawei-obs', 'OBS-CONDITIONS');
    expect(result.verdict).toBe('skip');
    expect(result.message).toContain('request.source-ip');
    // A URL that answers 404 is no address either.
    const missing = await adapterWith('alibaba-oss', `{mode: known, discover: "${discoveryUrl}/none"}`, 'ali-404');
    expect(missing.logs).toContain(`source address not discovered: GET ${discoveryUrl}/none: status 404; conditions on the source address are not exercised (request.source-ip is not claimed); set sourceIp.address to exercise them`);
    expect(missing.adapter.capabilities.features.has('request.source-ip')).toBe(false);
  });
});
