/**
 * Probing the identities of a target file before any test runs (adapters/http/probe.ts), against
 * the three emulators on loopback: a refused identity is left out of the run with one log line
 * and the capability only it gave is gone (and a rule needing it is skipped, naming it); a refused
 * owner is a located configuration error with the vendor's code; a fault keeps the identity; a good
 * file keeps every identity for one probe request each; no secret reaches a message or a log line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../../../adapters/http/config.ts';
import { createHttpAdapter, type HttpAdapter } from '../../../adapters/http/http-adapter.ts';
import { answeredProbe } from '../../../adapters/http/probe.ts';
import type { EmulatorAccounts } from '../../../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.ts';
import { emulatorTarget } from '../../../emulator/target-file.ts';
import type { Vendor } from '../../../model/vendors.ts';
import { PROPERTIES } from '../../../suites/properties/index.ts';
import { runRule } from '../../../suites/runner.ts';
import { loadSpecSet } from '../../../suites/spec/load.ts';

const emulators = new Map<Vendor, RunningEmulator>();
let dir: string;
const adapters: HttpAdapter[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bucket-conformance-probe-'));
  for (const vendor of ['alibaba-oss', 'huawei-obs', 'aps-oss'] as const) emulators.set(vendor, await startEmulator({ vendor, log: () => {} }));
});
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});
afterAll(async () => {
  for (const emulator of emulators.values()) await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A target file of `vendor`'s emulator for `accounts` (default: all of the emulator's), written to disk. */
function target(vendor: Vendor, options: { accounts?: EmulatorAccounts; url?: string; limits?: Record<string, number>; name?: string } = {}): { file: string; yaml: string; env: Record<string, string> } {
  const emulator = emulators.get(vendor)!;
  const { yaml, env } = emulatorTarget(vendor, options.url ?? emulator.url, options.accounts ?? emulator.accounts, options.limits === undefined ? {} : { limits: options.limits });
  const file = join(dir, `${options.name ?? vendor}.yaml`);
  writeFileSync(file, yaml);
  return { file, yaml, env };
}

/** `file:line:col` of the identity whose item holds `needle` (the `where` of the target file parser: the item's first key). */
function whereOf(file: string, yaml: string, needle: string): string {
  const lines = yaml.split('\n');
  const at = lines.findIndex((l) => l.includes(needle));
  if (at < 0) throw new Error(`\`${needle}\` is not in the target file`);
  let item = at;
  while (!/^\s*- /.test(lines[item]!)) item--;
  return `${file}:${item + 1}:${lines[item]!.indexOf('- ') + 3}`;
}

/** Creates the adapter with `env` as the process environment's secrets, collecting its log lines. */
async function start(file: string, env: Record<string, string>, vendor: Vendor): Promise<{ adapter: HttpAdapter; logs: string[] }> {
  Object.assign(process.env, env);
  const logs: string[] = [];
  const adapter = await createHttpAdapter({ targetConfig: file, vendor, log: (line: string) => logs.push(line) });
  adapters.push(adapter);
  return { adapter, logs };
}

/** The creation error of an adapter that must not start. */
async function refusal(file: string, env: Record<string, string>, vendor: Vendor): Promise<Error & { code?: string }> {
  Object.assign(process.env, env);
  const logs: string[] = [];
  const error = await createHttpAdapter({ targetConfig: file, vendor, log: (line: string) => logs.push(line) }).then(
    (adapter) => {
      adapters.push(adapter);
      return undefined;
    },
    (e: unknown) => e as Error & { code?: string },
  );
  if (error === undefined) throw new Error('the adapter started');
  return Object.assign(error, { logs });
}

/** Asserts that none of `secrets` is in `texts`. */
function noSecret(texts: readonly string[], secrets: readonly string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  for (const text of texts) for (const secret of secrets) expect(text.includes(secret), `a secret in: ${text}`).toBe(false);
}

const WRONG = 'wrong-secret-9d2f7c41';

/** The Alibaba accounts of a small target: the owner alone, and another account with one RAM user and one role session (plus the administrator key). */
function smallAlibaba(): EmulatorAccounts {
  const all = emulators.get('alibaba-oss')!.accounts;
  const [owner, other] = all.accounts as [EmulatorAccounts['accounts'][number], EmulatorAccounts['accounts'][number]];
  const role = other.roles[0]!;
  return { ...all, accounts: [{ ...owner, users: [], roles: [] }, { ...other, users: [other.users[0]!], roles: [{ ...role, sessions: [role.sessions[0]!] }] }] };
}

describe('reading a probe answer', () => {
  const identity = { kind: 'user' as const, where: 't.yaml:3:5' };
  it('accepts 2xx and an authenticated refusal, refuses other 400/401/403, and leaves the rest open', () => {
    expect(answeredProbe(identity, 200, undefined).result).toBe('accepted');
    expect(answeredProbe(identity, 403, 'AccessDenied').result).toBe('accepted');
    expect(answeredProbe(identity, 403, 'InvalidAccessKeyId')).toEqual({ where: 't.yaml:3:5', kind: 'user', result: 'refused', status: 403, code: 'InvalidAccessKeyId' });
    expect(answeredProbe(identity, 401, 'AUTH-001', new Set()).result).toBe('refused');
    expect(answeredProbe(identity, 403, 'AccessDenied', new Set()).result).toBe('refused');
    expect(answeredProbe(identity, 404, 'NoSuchKey').result).toBe('unknown');
    expect(answeredProbe(identity, 301, undefined).result).toBe('unknown');
  });
});

describe('Alibaba OSS: ListBuckets of the run prefix per identity', () => {
  it('a RAM user with a wrong secret is left out, and principal.ram-user with it', async () => {
    const { file, yaml, env } = target('alibaba-oss', { accounts: smallAlibaba(), name: 'ali-user' });
    const { adapter, logs } = await start(file, { ...env, BC_EMU_ALI_ACCOUNT_2_USER_1_SECRET: WRONG }, 'alibaba-oss');
    const where = whereOf(file, yaml, 'kind: user');
    expect(logs).toContain(`identity at ${where} (user) refused: SignatureDoesNotMatch; left out of the run`);
    expect(adapter.run!.others.map((o) => o.kind).sort()).toEqual(['account', 'admin', 'session']);
    expect(adapter.capabilities.features.has('principal.ram-user')).toBe(false);
    // What the other identities give is still there.
    expect(adapter.capabilities.features.has('principal.other-account')).toBe(true);
    expect(adapter.capabilities.features.has('principal.role-session')).toBe(true);
    // The run without it is not probed again: its transport has sent nothing.
    expect(adapter.run!.transport.stats.requests).toBe(0);
    // A rule that needs a RAM user is skipped, naming it, without a request.
    const { rules, tables } = await loadSpecSet({ specsDir: 'specs', properties: PROPERTIES });
    const rule = rules.find((r) => r.vendor === 'alibaba-oss' && r.id === 'ALI-IMPLICIT')!;
    const result = await runRule(rule, adapter, PROPERTIES, { seed: 1, numRuns: 2, tables, targetName: 'http' });
    expect(result.verdict).toBe('skip');
    expect(result.message).toContain('principal.ram-user');
    expect(adapter.run!.transport.stats.requests).toBe(0);
    noSecret(logs, [WRONG, ...Object.values(env)]);
  });

  it('a role session with a revoked security token is left out, and principal.role-session with it', async () => {
    const { file, yaml, env } = target('alibaba-oss', { accounts: smallAlibaba(), name: 'ali-session' });
    const { adapter, logs } = await start(file, { ...env, BC_EMU_ALI_ACCOUNT_2_ROLE_1_SESSION_1_TOKEN: 'revoked-token-5be0' }, 'alibaba-oss');
    expect(logs).toContain(`identity at ${whereOf(file, yaml, 'kind: session')} (session) refused: InvalidSecurityToken; left out of the run`);
    expect(adapter.capabilities.features.has('principal.role-session')).toBe(false);
    expect(adapter.capabilities.features.has('principal.ram-user')).toBe(true);
    noSecret(logs, ['revoked-token-5be0', ...Object.values(env)]);
  });

  it('an owner with a wrong secret, or an unknown AccessKey id, stops the adapter with the owner located and the code', async () => {
    const { file, yaml, env } = target('alibaba-oss', { accounts: smallAlibaba(), name: 'ali-owner' });
    const owner = whereOf(file, yaml, 'EMU-ALI-OWNER');
    const wrong = await refusal(file, { ...env, BC_EMU_ALI_ACCOUNT_1_SECRET: WRONG }, 'alibaba-oss');
    expect(wrong.code).toBe('CONFORMANCE_TARGET_CONFIG');
    expect(wrong.message).toMatch(new RegExp(`^${owner.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the target refused the credentials of the owner`));
    expect(wrong.message).toContain('SignatureDoesNotMatch (status 403)');
    expect(wrong.message).toContain('`BC_EMU_ALI_ACCOUNT_1_SECRET`');
    noSecret([wrong.message], [WRONG, ...Object.values(env)]);

    const unknownFile = join(dir, 'ali-owner-key.yaml');
    writeFileSync(unknownFile, yaml.replace('accessKeyId: EMU-ALI-OWNER', 'accessKeyId: EMU-ALI-NOBODY'));
    const unknown = await refusal(unknownFile, env, 'alibaba-oss');
    expect(unknown.code).toBe('CONFORMANCE_TARGET_CONFIG');
    expect(unknown.message.startsWith(`${unknownFile}:${owner.split(':').slice(-2).join(':')}: `)).toBe(true);
    expect(unknown.message).toContain('InvalidAccessKeyId (status 403)');
    noSecret([unknown.message], Object.values(env));
  });

  it('a good file keeps every identity (the administrator key too) for one request each', async () => {
    const { file, env } = target('alibaba-oss', { name: 'ali-good' });
    const { adapter, logs } = await start(file, env, 'alibaba-oss');
    const identities = 1 + parseTargetConfig(readFileSync(file, 'utf8'), file).others.length;
    expect(1 + adapter.run!.others.length).toBe(identities);
    expect(adapter.run!.others.some((o) => o.kind === 'admin')).toBe(true);
    expect(logs.filter((l) => l.startsWith('identity at'))).toEqual([]);
    expect(adapter.run!.transport.stats).toEqual({ requests: identities, retries: 0, faults: 0 });
    for (const c of ['principal.other-account', 'principal.ram-user', 'principal.role-session'] as const) expect(adapter.capabilities.features.has(c), c).toBe(true);
  });
});

describe('Huawei OBS: ListBuckets per identity', () => {
  it('the only IAM user of another account and the log delivery key, with wrong secrets, are left out with their capabilities', async () => {
    const { file, yaml, env } = target('huawei-obs', { name: 'obs-others' });
    const { adapter, logs } = await start(file, { ...env, BC_EMU_OBS_ACCOUNT_2_USER_1_SECRET: WRONG, BC_EMU_OBS_LOG_DELIVERY_SECRET: WRONG }, 'huawei-obs');
    expect(logs).toContain(`identity at ${whereOf(file, yaml, 'EMUOBSOTHERUSER000001')} (user) refused: SignatureDoesNotMatch; left out of the run`);
    expect(logs).toContain(`identity at ${whereOf(file, yaml, 'kind: log-delivery')} (log-delivery) refused: SignatureDoesNotMatch; left out of the run`);
    const kept = adapter.run!.others.map((o) => o.accessKeyId);
    expect(kept).toHaveLength(parseTargetConfig(yaml, file).others.length - 2);
    expect(kept).not.toContain('EMUOBSOTHERUSER000001');
    expect(kept).not.toContain('EMUOBSLOGDELIVERY0001');
    expect(adapter.capabilities.features.has('principal.ram-user')).toBe(false);
    expect(adapter.capabilities.features.has('principal.log-delivery')).toBe(false);
    expect(adapter.capabilities.features.has('principal.other-account')).toBe(true);
    expect(adapter.run!.transport.stats.requests).toBe(0);
    noSecret(logs, [WRONG, ...Object.values(env)]);
  });

  it('an owner with a wrong secret stops the adapter, located, with the code', async () => {
    const { file, yaml, env } = target('huawei-obs', { name: 'obs-owner' });
    const error = await refusal(file, { ...env, BC_EMU_OBS_ACCOUNT_1_SECRET: WRONG }, 'huawei-obs');
    expect(error.code).toBe('CONFORMANCE_TARGET_CONFIG');
    expect(error.message.startsWith(`${whereOf(file, yaml, 'EMUOBSOWNER0000000001')}: the target refused the credentials of the owner`)).toBe(true);
    expect(error.message).toContain('SignatureDoesNotMatch (status 403)');
    noSecret([error.message], [WRONG, ...Object.values(env)]);
  });

  it('a good file keeps every identity for one request each', async () => {
    const { file, env } = target('huawei-obs', { name: 'obs-good' });
    const { adapter, logs } = await start(file, env, 'huawei-obs');
    expect(adapter.run!.others.length).toBe(parseTargetConfig(readFileSync(file, 'utf8'), file).others.length);
    expect(logs.filter((l) => l.startsWith('identity at'))).toEqual([]);
    expect(adapter.run!.transport.stats).toEqual({ requests: 1 + adapter.run!.others.length, retries: 0, faults: 0 });
    expect(adapter.capabilities.features.has('principal.log-delivery')).toBe(true);
    expect(adapter.capabilities.features.has('principal.ram-user')).toBe(true);
  });

  it('a fault is not a refusal: the identities it kept from being probed, the owner too, stay in the run', async () => {
    // A proxy that answers 503 to every request signed by the owner or the log delivery key, and passes the rest on.
    const emulator = emulators.get('huawei-obs')!;
    const faulty = new Set(['EMUOBSOWNER0000000001', 'EMUOBSLOGDELIVERY0001']);
    const proxy: Server = createServer((req, res) => {
      const authorization = String(req.headers.authorization ?? '');
      if ([...faulty].some((k) => authorization.includes(k))) {
        res.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>ServiceUnavailable</Code></Error>');
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection')) as Record<string, string>;
      request(`${emulator.url}${req.url ?? '/'}`, { method: req.method as 'GET', headers }).then(
        async (answer) => {
          const body = Buffer.from(await answer.body.arrayBuffer());
          res.writeHead(answer.statusCode, Object.fromEntries(Object.entries(answer.headers).filter(([k]) => k !== 'transfer-encoding' && k !== 'connection')) as Record<string, string>).end(body);
        },
        () => res.writeHead(502).end(),
      );
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const { file, yaml, env } = target('huawei-obs', { url, limits: { attempts: 2, baseBackoffMs: 1, maxBackoffMs: 2 }, name: 'obs-faults' });
      const { adapter, logs } = await start(file, env, 'huawei-obs');
      const unknown = logs.filter((l) => l.includes('could not be probed'));
      expect(unknown).toHaveLength(2);
      expect(unknown).toContain(`identity at ${whereOf(file, yaml, 'EMUOBSOWNER0000000001')} (account) could not be probed: HTTP_503: GET /: status 503 after 2 attempt(s); kept in the run`);
      expect(unknown.some((l) => l.startsWith(`identity at ${whereOf(file, yaml, 'kind: log-delivery')} (log-delivery) could not be probed: HTTP_503`))).toBe(true);
      expect(logs.filter((l) => l.includes('refused'))).toEqual([]);
      expect(adapter.run!.others.length).toBe(parseTargetConfig(yaml, file).others.length);
      expect(adapter.capabilities.features.has('principal.log-delivery')).toBe(true);
      noSecret(logs, Object.values(env));
    } finally {
      for (const adapter of adapters.splice(0)) await adapter.close();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe('APS OSS: the token request of each app', () => {
  it('one of three apps with a wrong secret is left out, and principal.apps with it', async () => {
    const all = emulators.get('aps-oss')!.accounts;
    const { file, yaml, env } = target('aps-oss', { accounts: { ...all, apps: all.apps.slice(0, 3) }, name: 'aps-three' });
    const { adapter, logs } = await start(file, { ...env, BC_EMU_APS_APP_3_SECRET: WRONG }, 'aps-oss');
    expect(logs).toContain(`identity at ${whereOf(file, yaml, 'BC_EMU_APS_APP_3_SECRET')} (app) refused: AUTH-001; left out of the run`);
    expect(adapter.run!.others.map((a) => a.clientId)).toEqual([all.apps[1]!.clientId]);
    expect(adapter.capabilities.features.has('principal.apps')).toBe(false);
    expect(adapter.run!.transport.stats.requests).toBe(0);
    // An APS rule needs several apps: skipped, naming the capability.
    const { rules, tables } = await loadSpecSet({ specsDir: 'specs', properties: PROPERTIES });
    const result = await runRule(rules.find((r) => r.vendor === 'aps-oss' && r.id === 'APS-FULL-OWN')!, adapter, PROPERTIES, { seed: 1, numRuns: 2, tables, targetName: 'http' });
    expect(result.verdict).toBe('skip');
    expect(result.message).toContain('principal.apps');
    noSecret(logs, [WRONG, ...Object.values(env)]);
  });

  it('an owner app with a wrong secret stops the adapter, located, with the code', async () => {
    const { file, yaml, env } = target('aps-oss', { name: 'aps-owner' });
    const error = await refusal(file, { ...env, BC_EMU_APS_APP_1_SECRET: WRONG }, 'aps-oss');
    expect(error.code).toBe('CONFORMANCE_TARGET_CONFIG');
    expect(error.message.startsWith(`${whereOf(file, yaml, 'BC_EMU_APS_APP_1_SECRET')}: the target refused the credentials of the owner`)).toBe(true);
    expect(error.message).toContain('AUTH-001 (status 401)');
    expect(error.message).toContain('`BC_EMU_APS_APP_1_SECRET`');
    noSecret([error.message], [WRONG, ...Object.values(env)]);
  });

  it('a good file keeps every app for one token request each, and the run reuses the tokens', async () => {
    const { file, env } = target('aps-oss', { name: 'aps-good' });
    const { adapter, logs } = await start(file, env, 'aps-oss');
    const apps = 1 + adapter.run!.others.length;
    expect(apps).toBe(emulators.get('aps-oss')!.accounts.apps.length);
    expect(logs.filter((l) => l.startsWith('identity at'))).toEqual([]);
    expect(adapter.run!.transport.stats).toEqual({ requests: apps, retries: 0, faults: 0 });
    expect(adapter.capabilities.features.has('principal.apps')).toBe(true);
    // The apps' first calls of the run (each lists its buckets, in cleanup: none) cost no second token request.
    expect(await adapter.cleanup()).toEqual({ buckets: 0, objects: 0, failures: [] });
    expect(adapter.run!.transport.stats.requests - apps).toBe(apps);
    noSecret(logs, Object.values(env));
  });
});
