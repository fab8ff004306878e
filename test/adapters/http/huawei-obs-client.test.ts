/**
 * The OBS client of the live HTTP adapter against an in-process emulator: capabilities from the
 * target file, worlds built under the run prefix (seen through the official SDK), observations
 * in the reference adapter's terms, principal mapping, release and cleanup, shortages of
 * identities, faults, and no secret in anything the client lets go of.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../../../adapters/http/config.ts';
import { createHttpAdapter } from '../../../adapters/http/http-adapter.ts';
import { createObsClient, OBS_CLIENT_ACTIONS } from '../../../adapters/http/huawei-obs/client.ts';
import { rewritePolicyText } from '../../../adapters/http/huawei-obs/rewrite.ts';
import { createHttpRun } from '../../../adapters/http/run.ts';
import type { HttpRun, VendorClient } from '../../../adapters/http/types.ts';
import { createReferenceAdapter } from '../../../adapters/reference/reference-adapter.ts';
import type { Preparation, PreparedWorld } from '../../../adapters/types.ts';
import { defaultAccounts } from '../../../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.ts';
import { emulatorTarget } from '../../../emulator/target-file.ts';
import type { ObsRequest, ObsWorld } from '../../../model/huawei-obs/types.ts';
import type { Observation } from '../../../model/outcome.ts';

const require = createRequire(import.meta.url);
const ObsSdk = require('esdk-obs-nodejs') as new (options: Record<string, unknown>) => Sdk;
type SdkResult = { CommonMsg: { Status: number; Code: string }; InterfaceResult?: Record<string, any> };
type Sdk = Record<'listBuckets' | 'createBucket' | 'getBucketPolicy' | 'listObjects' | 'putObject', (p: Record<string, unknown>) => Promise<SdkResult>>;

// The emulator's default identities (emulator/default-accounts/huawei-obs.json).
const OWNER = { id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', ak: 'EMUOBSOWNER0000000001', sk: 'emu-obs-owner-secret' };
const OTHER = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const THIRD = 'aa8e7d6c5b4a39281706f5e4d3c2b1a1';
const OTHER_USER = '3f2e3d4c5b6a79880716253443526172';

// World names, as a generator would make them.
const W_OWNER = '4b1f0e9a3c7d4e2b8a6f5c0d1e2f3a4b';
const W_A = '783fc6652cf246c096ea836694f71855';
const W_B = '219d520ceac84c5a98b237431a2cf4c2';
const W_C = '615707e6246336e1643ecfab7ff119d3';
const W_USER = 'e0d1c2b3a4958677685940312a1b0c9d';
const W_OWNER_USER = 'c0ffee00c0ffee00c0ffee00c0ffee00';

let emulator: RunningEmulator;
let dir: string;
const opened: HttpRun[] = [];
const allLogs: string[] = [];

function sdk(): Sdk {
  return new ObsSdk({ access_key_id: OWNER.ak, secret_access_key: OWNER.sk, server: emulator.url });
}

async function ownerBuckets(): Promise<string[]> {
  const client = sdk();
  await new Promise(setImmediate);
  const listed = await client.listBuckets({});
  return ((listed.InterfaceResult?.['Buckets'] ?? []) as Array<{ BucketName: string }>).map((b) => b.BucketName);
}

/** A run and an OBS client for the emulator, with the target file's text changed by `edit`. */
function setup(edit: (yaml: string) => string = (y) => y, url = emulator.url): { run: HttpRun; client: VendorClient; logs: string[] } {
  const target = emulatorTarget('huawei-obs', url, emulator.accounts);
  const file = join(dir, `target-${opened.length}.yaml`);
  const text = edit(target.yaml);
  writeFileSync(file, text);
  const logs: string[] = [];
  const run = createHttpRun(parseTargetConfig(text, file), { env: target.env, log: (l) => (logs.push(l), allLogs.push(l)) });
  opened.push(run);
  return { run, client: createObsClient(run), logs };
}

function ready(p: Preparation): PreparedWorld {
  if (p.kind !== 'ready') throw new Error(`expected a ready world, got ${JSON.stringify(p)}`);
  return p;
}

/** What the reference adapter observes for `requests` in `world` (decision, status, code). */
async function reference(world: ObsWorld, requests: ObsRequest[]): Promise<unknown[]> {
  const p = ready(await createReferenceAdapter().prepare(world));
  const out: unknown[] = [];
  for (const r of requests) out.push(shape(await p.observe(r)));
  return out;
}

function shape(o: Observation): unknown {
  if (o.kind === 'unreachable') return { unreachable: o.error.code };
  return { decision: o.decision, status: o.status, ...(o.code === undefined ? {} : { code: o.code }) };
}

async function observeAll(p: PreparedWorld, requests: ObsRequest[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const r of requests) out.push(shape(await p.observe(r)));
  return out;
}

/** The target file without its `log-delivery` identity (the last one emulatorTarget writes). */
const withoutLogDelivery = (y: string): string => {
  const out = y.replace(/\n  - kind: log-delivery\n(    .*\n?)+/, '\n');
  if (out === y) throw new Error('the target file has no log-delivery identity to remove');
  return out;
};

const allowAccount = (account: string, actions: string[] = ['GetObject']) => ({
  Statement: [{ Effect: 'Allow', Principal: { ID: [`domain/${account}:user/*`] }, Action: actions, Resource: ['mybucket/*', 'mybucket'] }],
});

beforeAll(async () => {
  emulator = await startEmulator({ vendor: 'huawei-obs', log: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'obs-client-'));
});

afterAll(async () => {
  for (const run of opened) await run.transport.close();
  await emulator?.close();
});

describe('capabilities', () => {
  it('claims what the emulator identities and the file allow, and never the unclaimable', async () => {
    const { client } = setup();
    const features = await client.capabilities();
    // principal.log-delivery: the default accounts have the emulator-only log delivery key.
    for (const c of ['principal.owner', 'principal.other-account', 'principal.ram-user', 'principal.anonymous', 'principal.log-delivery', 'policy', 'policy.raw', 'acl', 'request.source-ip', 'request.prefix', 'request.user-agent', 'request.acl-header', 'observe.status'] as const) {
      expect(features.has(c), c).toBe(true);
    }
    for (const c of ['principal.role-session', 'request.current-time', 'request.secure-transport', 'observe.explanation', 'bucket.vector', 'request.source-vpc'] as const) {
      expect(features.has(c), c).toBe(false);
    }
    expect(await client.sourceAddresses!()).toEqual({ v4: '127.0.0.0/8' });
    expect([...client.actions!()].sort()).toEqual([...OBS_CLIENT_ACTIONS].sort());
  });

  it('claims other accounts and IAM users only when the file gives them, and the source address only when it can be chosen', async () => {
    // The owner alone: no other account, no IAM users.
    const alone = setup((y) => y.replace(/identities:[\s\S]*$/, (ids) => ids.split('\n  - ').slice(0, 2).join('\n  - ')).replace('sourceIp: loopback', 'sourceIp: none'));
    const features = await alone.client.capabilities();
    expect(features.has('principal.owner')).toBe(true);
    expect(features.has('principal.other-account')).toBe(false);
    expect(features.has('principal.ram-user')).toBe(false);
    expect(features.has('request.source-ip')).toBe(false);
    expect(await alone.client.sourceAddresses!()).toBeUndefined();
    // Users of the owner's account only: IAM users of another account are missing, so no ram-user.
    const ownerUsersOnly = setup((y) => y.replace(/\n  - kind: user\n    id: "?3f2e[\s\S]*?(?=\n  - |$)/, ''));
    const f2 = await ownerUsersOnly.client.capabilities();
    expect(f2.has('principal.other-account')).toBe(true);
    expect(f2.has('principal.ram-user')).toBe(false);
    // A known address is the one block requests come from.
    const known = setup((y) => y.replace('sourceIp: loopback', 'sourceIp: {mode: known, address: 203.0.113.7}'));
    expect(await known.client.sourceAddresses!()).toEqual({ v4: '203.0.113.7/32' });
    expect((await known.client.capabilities()).has('request.source-ip')).toBe(true);
  });

  it('claims the log delivery service only from a `log-delivery` identity, never from the file\'s claims', async () => {
    const without = setup(withoutLogDelivery);
    expect((await without.client.capabilities()).has('principal.log-delivery')).toBe(false);
    const claimed = setup((y) => withoutLogDelivery(y).replace('capabilities: []', 'capabilities: [principal.log-delivery]'));
    expect(claimed.run.config.capabilities).toEqual(['principal.log-delivery']);
    expect((await claimed.client.capabilities()).has('principal.log-delivery')).toBe(false);
    // The actions do not depend on it.
    expect(without.client.actions!()).toEqual(OBS_CLIENT_ACTIONS);
    for (const a of ['GetObjectAcl', 'ListBucketVersions', 'DeleteObjectVersion']) expect(OBS_CLIENT_ACTIONS.has(a), a).toBe(true);
  });

  it('refuses virtual-host addressing with an IP endpoint before anything runs', () => {
    expect(() => setup((y) => y.replace('addressing: path', 'addressing: virtual-host'))).toThrow(/virtual-host addressing needs an endpoint with a host name/);
  });
});

describe('rewriting a policy', () => {
  const naming = { prefix: 'bcrun-x-0-', account: (a: string) => `real-${a}`, user: (a: string, u: string) => `${a}-${u}` };

  it('renames every principal form and prefixes every resource, keeping the formatting of the rest', () => {
    const text = '{\r\n  "Statement" : [ {"Effect":"Allow", "Principal": {"ID": ["domain/A", "domain/B:root", "domain/C:user/*", "domain/D:user/u1", "domain/E:agency/x", "*"], "Federated": "domain/F:identity-provider/idp"},\n "Action": "GetObject", "NotResource": ["*", "", "b/k*"], "Condition": {"StringEquals": {"Referer": "domain/A"}}} ]\r\n}';
    const out = rewritePolicyText(text, naming, 'b');
    const policy = JSON.parse(out.text);
    expect(policy.Statement[0].Principal).toEqual({
      ID: ['domain/real-A', 'domain/real-B:root', 'domain/real-C:user/*', 'domain/real-D:user/D-u1', 'domain/real-E:agency/x', '*'],
      Federated: 'domain/real-F:identity-provider/idp',
    });
    expect(policy.Statement[0].NotResource).toEqual(['bcrun-x-0-*', '', 'bcrun-x-0-b/k*']);
    expect(policy.Statement[0].Condition).toEqual({ StringEquals: { Referer: 'domain/A' } });
    expect(out.text.startsWith('{\r\n  "Statement" : [ {"Effect":"Allow", "Principal": {"ID": [')).toBe(true);
  });

  it('sends text that is not JSON as it is, and takes the prefix back from a Sid', () => {
    expect(rewritePolicyText('{"Statement": [', naming, 'b')).toEqual({ text: '{"Statement": [', sizeDifference: 0 });
    const text = JSON.stringify({ Statement: [{ Sid: '中'.repeat(10), Effect: 'Deny', Principal: '*', Action: '*', Resource: 'b/*' }] });
    const out = rewritePolicyText(text, naming, 'b');
    expect(out.sizeDifference).toBe(0);
    expect(Buffer.byteLength(out.text)).toBe(Buffer.byteLength(text));
    expect(JSON.parse(out.text).Statement[0].Resource).toBe('bcrun-x-0-b/*');
  });
});

describe('worlds and requests', () => {
  it('builds the world under the prefix with the policy in real names, and observes what the reference observes', async () => {
    const { run, client } = setup();
    const world: ObsWorld = { vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy: allowAccount(W_A) };
    const p = ready(await client.prepare(world));
    const names = (await ownerBuckets()).filter((n) => n.startsWith(run.ledger.prefix));
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(new RegExp(`^${run.ledger.prefix}[a-z0-9]+-mybucket$`));
    // The policy on the target names the real account the world's account maps to, and the prefixed bucket.
    const owner = sdk();
    await new Promise(setImmediate);
    const policy = JSON.parse(String((await owner.getBucketPolicy({ Bucket: names[0] })).InterfaceResult?.['Policy']));
    const id = policy.Statement[0].Principal.ID[0] as string;
    expect([`domain/${OTHER}:user/*`, `domain/${THIRD}:user/*`]).toContain(id);
    expect(policy.Statement[0].Resource).toEqual([`${names[0]}/*`, names[0]]);
    const requests: ObsRequest[] = [
      { principal: { account: W_A }, action: 'GetObject', object: 'docs/a.txt' },
      { principal: { account: W_B }, action: 'GetObject', object: 'docs/a.txt' },
      { principal: { account: W_OWNER }, action: 'GetObject', object: 'docs/a.txt' },
      { principal: 'anonymous', action: 'GetObject', object: 'docs/a.txt' },
    ];
    const seen = await observeAll(p, requests);
    expect(seen).toEqual([
      { decision: 'allow', status: 200 },
      { decision: 'deny', status: 403, code: 'AccessDenied' },
      { decision: 'allow', status: 200 },
      { decision: 'deny', status: 403, code: 'AccessDenied' },
    ]);
    expect(seen).toEqual(await reference(world, requests));
    await p.release();
    expect((await ownerBuckets()).filter((n) => n.startsWith(run.ledger.prefix))).toEqual([]);
    expect(run.ledger.buckets()).toEqual([]);
  });

  it('agrees with the reference on a handful of fixed cases of every action it sends', async () => {
    const { client } = setup();
    const cases: Array<{ world: ObsWorld; requests: ObsRequest[] }> = [
      {
        world: { vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER } },
        requests: [
          { principal: { account: W_OWNER }, action: 'GetBucketPolicy' },
          { principal: { account: W_OWNER }, action: 'DeleteBucketPolicy' },
          { principal: { account: W_A }, action: 'PutBucketPolicy', policy: allowAccount(W_A) },
          { principal: { account: W_OWNER }, action: 'PutBucketPolicy', policy: allowAccount(W_A, ['ListBucket', 'HeadBucket']) },
          { principal: { account: W_OWNER }, action: 'GetBucketPolicy' },
          { principal: { account: W_A }, action: 'ListBucket', context: { prefix: 'docs/' } },
          { principal: { account: W_A }, action: 'HeadBucket' },
          { principal: { account: W_B }, action: 'HeadBucket' },
          { principal: { account: W_OWNER }, action: 'PutBucketPolicy', policy: '{"Statement": [' },
          { principal: { account: W_OWNER }, action: 'GetBucketAcl' },
          { principal: { account: W_OWNER }, action: 'PutObject', object: 'a b/ü.txt' },
          { principal: { account: W_OWNER }, action: 'GetObject', object: 'a b/ü.txt' },
          { principal: { account: W_OWNER }, action: 'DeleteObject', object: 'a b/ü.txt' },
          { principal: { account: W_OWNER, user: W_OWNER_USER }, action: 'GetBucketPolicy' },
        ],
      },
      {
        world: {
          vendor: 'huawei-obs',
          bucket: { name: 'aclbucket', owner: W_OWNER },
          acl: [
            { grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' },
            { grantee: { account: W_A }, permission: 'WRITE' },
            { grantee: { group: 'Everyone' }, permission: 'READ' },
          ],
        },
        requests: [
          { principal: 'anonymous', action: 'HeadBucket' },
          { principal: 'anonymous', action: 'ListBucket' },
          { principal: { account: W_A }, action: 'PutObject', object: 'x.txt' },
          { principal: { account: W_A, user: W_USER }, action: 'DeleteObject', object: 'x.txt' },
          { principal: { account: W_B }, action: 'PutObject', object: 'x.txt' },
          { principal: { account: W_B }, action: 'GetBucketAcl' },
          { principal: { account: W_OWNER }, action: 'PutBucketAcl', acl: [{ grantee: { group: 'Administrators' as 'Everyone' }, permission: 'READ' }] },
          { principal: { account: W_OWNER }, action: 'PutBucketAcl', acl: [{ grantee: { account: W_B }, permission: 'READ_ACP' }] },
          { principal: { account: W_B }, action: 'GetBucketAcl' },
          { principal: { account: W_OWNER }, action: 'ListBucket' },
          { principal: { account: W_OWNER }, action: 'GetBucketAcl' },
          { principal: { account: W_OWNER }, action: 'PutBucketAcl', acl: [{ grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' }], context: { acl: 'private' } },
          { principal: { account: W_OWNER }, action: 'ListBucket' },
        ],
      },
      {
        world: {
          vendor: 'huawei-obs',
          bucket: { name: 'condbucket', owner: W_OWNER },
          policy: {
            Statement: [
              { Effect: 'Allow', Principal: '*', Action: ['GetObject'], Resource: 'condbucket/*', Condition: { IpAddress: { SourceIp: '127.0.0.0/24' }, StringLike: { UserAgent: 'curl/*' } } },
              { Effect: 'Deny', Principal: { ID: [`domain/${W_OWNER}:user/emu-named`] }, Action: ['*'], Resource: ['condbucket', 'condbucket/*'] },
            ],
          },
        },
        requests: [
          { principal: 'anonymous', action: 'GetObject', object: 'k', context: { SourceIp: '127.0.0.9', UserAgent: 'curl/8.5.0' } },
          { principal: 'anonymous', action: 'GetObject', object: 'k', context: { SourceIp: '127.0.1.9', UserAgent: 'curl/8.5.0' } },
          { principal: 'anonymous', action: 'GetObject', object: 'k', context: { SourceIp: '127.0.0.9', UserAgent: 'Wget/1.0' } },
          // Named by its user name in the policy: the real user's name replaces it.
          { principal: { account: W_OWNER, user: W_OWNER_USER, userName: 'emu-named' }, action: 'GetBucketAcl' },
          { principal: { account: W_OWNER }, action: 'GetBucketAcl' },
        ],
      },
    ];
    for (const { world, requests } of cases) {
      const p = ready(await client.prepare(world));
      const seen = await observeAll(p, requests);
      await p.release();
      expect(seen, world.bucket.name).toEqual(await reference(world, requests));
    }
  });

  it('reports a policy the target refuses as rejected, as the reference does, and leaves nothing', async () => {
    const { run, client } = setup();
    for (const policy of ['{"Statement": [', { Statement: [{ Effect: 'Allow', Principal: { ID: [`domain/${W_A}`] }, Action: 'GetObject' }] }]) {
      const world: ObsWorld = { vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy };
      const p = await client.prepare(world);
      const r = await createReferenceAdapter().prepare(world);
      expect(p).toEqual({ kind: 'rejected', status: 400, code: 'MalformedPolicy' });
      expect(r).toMatchObject({ kind: 'rejected', status: 400, code: 'MalformedPolicy' });
    }
    const acl: ObsWorld = { vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, acl: [{ grantee: { account: W_A }, permission: 'READ_WRITE' }] };
    expect(await client.prepare(acl)).toEqual({ kind: 'rejected', status: 400, code: 'MalformedACLError' });
    expect((await ownerBuckets()).filter((n) => n.startsWith(run.ledger.prefix))).toEqual([]);
  });

  it('keeps a policy of 20480 bytes at 20480 bytes under the prefix, and one byte more is refused', async () => {
    const { client } = setup();
    const sized = (bytes: number): string => {
      const policy = { Statement: [{ Sid: '', Effect: 'Allow', Principal: { ID: [`domain/${W_A}:user/*`] }, Action: ['GetObject'], Resource: ['mybucket/*'] }] };
      policy.Statement[0]!.Sid = 'é'.repeat(Math.floor((bytes - JSON.stringify(policy).length) / 2)) + 'a'.repeat((bytes - JSON.stringify(policy).length) % 2);
      return JSON.stringify(policy);
    };
    expect(Buffer.byteLength(sized(20480))).toBe(20480);
    const at = ready(await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy: sized(20480) }));
    expect(shape(await at.observe({ principal: { account: W_A }, action: 'GetObject', object: 'a' }))).toEqual({ decision: 'allow', status: 200 });
    await at.release();
    expect(await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy: sized(20481) })).toEqual({ kind: 'rejected', status: 400, code: 'EntityTooLarge' });
    // Padding in another bucket's resources is slack too.
    const naming = { prefix: 'bcrun-x-', account: (a: string) => a, user: (_a: string, u: string) => u };
    const text = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'GetObject', Resource: ['mybucketz/pad/😀😀😀😀😀', 'mybucket/*'] }] });
    const rewritten = rewritePolicyText(text, naming, 'mybucket');
    expect(rewritten.sizeDifference).toBe(0);
    expect(Buffer.byteLength(rewritten.text)).toBe(Buffer.byteLength(text));
    expect(JSON.parse(rewritten.text).Statement[0].Resource[1]).toBe('bcrun-x-mybucket/*');
  });

  it('maps principals injectively: the account a policy names is allowed, another is denied, users stay in their account', async () => {
    const { client } = setup();
    const world: ObsWorld = {
      vendor: 'huawei-obs',
      bucket: { name: 'mybucket', owner: W_OWNER },
      policy: {
        Statement: [
          { Effect: 'Allow', Principal: { ID: [`domain/${W_B}`, `domain/${W_A}:user/${W_USER}`] }, Action: ['GetObject'], Resource: ['mybucket/*'] },
        ],
      },
    };
    const requests: ObsRequest[] = [
      { principal: { account: W_A, user: W_USER }, action: 'GetObject', object: 'a' },
      { principal: { account: W_A }, action: 'GetObject', object: 'a' },
      { principal: { account: W_B }, action: 'GetObject', object: 'a' },
      { principal: { account: W_C }, action: 'GetObject', object: 'a' },
    ];
    const p = ready(await client.prepare(world));
    const seen = await observeAll(p, requests);
    await p.release();
    expect(seen).toEqual([
      { decision: 'allow', status: 200 },
      { decision: 'deny', status: 403, code: 'AccessDenied' },
      { decision: 'allow', status: 200 },
      // A third account besides the owner: the emulator has two, so it takes the one used least recently.
      { decision: 'deny', status: 403, code: 'AccessDenied' },
    ]);
    expect(seen).toEqual(await reference(world, requests));
  });

  it('is short of identities only when the target file has none of the kind', async () => {
    const { client } = setup((y) => y.replace(/identities:[\s\S]*$/, (ids) => ids.split('\n  - ').slice(0, 2).join('\n  - ')));
    const p = ready(await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy: allowAccount(W_A) }));
    expect(shape(await p.observe({ principal: { account: W_OWNER }, action: 'GetObject', object: 'a' }))).toEqual({ decision: 'allow', status: 200 });
    expect(shape(await p.observe({ principal: { account: W_A }, action: 'GetObject', object: 'a' }))).toEqual({ unreachable: 'NOT_ENOUGH_IDENTITIES' });
    expect(shape(await p.observe({ principal: { account: W_OWNER, user: W_OWNER_USER }, action: 'GetObject', object: 'a' }))).toEqual({ unreachable: 'NOT_ENOUGH_IDENTITIES' });
    expect(shape(await p.observe({ principal: { account: W_A, user: W_USER }, action: 'GetObject', object: 'a' }))).toEqual({ unreachable: 'NOT_ENOUGH_IDENTITIES' });
    await p.release();
  });

  it('gives a principal that sends a request a real identity taken from one that only a policy names, or used least recently', async () => {
    const { client } = setup();
    // Four other accounts in the ACL and a fifth in no document: two get the emulator's accounts, the others synthetic ids; three of them send requests.
    const grantees = [W_A, W_B, W_C, 'a1'.repeat(16), 'b2'.repeat(16)];
    const world: ObsWorld = {
      vendor: 'huawei-obs',
      bucket: { name: 'aclbucket', owner: W_OWNER },
      acl: [{ grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' }, ...grantees.slice(0, 4).map((account) => ({ grantee: { account }, permission: 'READ' }))],
      policy: { Statement: [{ Effect: 'Deny', Principal: { ID: [`domain/${grantees[3]}`] }, Action: ['HeadBucket'], Resource: 'aclbucket' }] },
    };
    const requests: ObsRequest[] = [
      { principal: { account: grantees[3]! }, action: 'ListBucket' },
      { principal: { account: grantees[3]! }, action: 'HeadBucket' },
      { principal: { account: grantees[4]! }, action: 'ListBucket' },
      { principal: { account: grantees[0]! }, action: 'ListBucket' },
    ];
    const p = ready(await client.prepare(world));
    const seen = await observeAll(p, requests);
    await p.release();
    expect(seen).toEqual(await reference(world, requests));
    expect(seen[1]).toEqual({ decision: 'deny', status: 403, code: 'AccessDenied' });
  });

  it('puts the ACL again under new names even when the policy denies the owner PutBucketAcl', async () => {
    const { client } = setup();
    const world: ObsWorld = {
      vendor: 'huawei-obs',
      bucket: { name: 'aclbucket', owner: W_OWNER },
      acl: [W_OWNER, W_A, W_B, W_C].map((account) => ({ grantee: { account }, permission: account === W_OWNER ? 'FULL_CONTROL' : 'READ' })),
      policy: { Statement: [{ Effect: 'Deny', Principal: { ID: [`domain/${W_OWNER}`] }, Action: ['PutBucketAcl', 'ListBucket'], Resource: 'aclbucket' }] },
    };
    const requests: ObsRequest[] = [
      { principal: { account: W_C }, action: 'ListBucket' },
      { principal: { account: W_A }, action: 'ListBucket' },
      { principal: { account: W_B }, action: 'HeadBucket' },
      { principal: { account: W_C }, action: 'GetBucketAcl' },
      { principal: { account: W_OWNER }, action: 'ListBucket' },
      { principal: { account: W_OWNER }, action: 'PutBucketAcl', acl: [{ grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' }] },
      { principal: { account: W_OWNER }, action: 'GetBucketPolicy' },
    ];
    const p = ready(await client.prepare(world));
    const seen = await observeAll(p, requests);
    await p.release();
    expect(seen).toEqual(await reference(world, requests));
    expect(seen.slice(0, 2)).toEqual([{ decision: 'allow', status: 200 }, { decision: 'allow', status: 200 }]);
  });

  it('removes everything at release, even when a policy denies the owner and the ACL took its WRITE', async () => {
    const { run, client } = setup();
    const world: ObsWorld = {
      vendor: 'huawei-obs',
      bucket: { name: 'locked', owner: W_OWNER },
      acl: [{ grantee: { account: W_A }, permission: 'FULL_CONTROL' }],
      policy: { Statement: [{ Effect: 'Deny', Principal: { ID: [`domain/${W_OWNER}:user/*`] }, Action: ['*'], Resource: ['locked', 'locked/*'] }] },
    };
    const p = ready(await client.prepare(world));
    expect(shape(await p.observe({ principal: { account: W_A }, action: 'PutObject', object: 'one.txt' }))).toEqual({ decision: 'allow', status: 200 });
    expect(shape(await p.observe({ principal: { account: W_A }, action: 'PutObject', object: 'dir/two.txt' }))).toEqual({ decision: 'allow', status: 200 });
    expect(shape(await p.observe({ principal: { account: W_OWNER }, action: 'DeleteObject', object: 'one.txt' }))).toEqual({ decision: 'deny', status: 403, code: 'AccessDenied' });
    await p.release();
    await p.release();
    expect((await ownerBuckets()).filter((n) => n.startsWith(run.ledger.prefix))).toEqual([]);
    expect(run.ledger.buckets()).toEqual([]);
  });

  it('cleanup(prefix) removes leftovers with their objects and leaves a bucket without the prefix alone', async () => {
    const { run, client } = setup();
    const owner = sdk();
    await new Promise(setImmediate);
    expect((await owner.createBucket({ Bucket: 'not-ours-keep-me' })).CommonMsg.Status).toBe(200);
    expect((await owner.putObject({ Bucket: 'not-ours-keep-me', Key: 'k', Body: 'x' })).CommonMsg.Status).toBe(200);
    const left = ready(await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy: allowAccount(W_A, ['PutObject']) }));
    await left.observe({ principal: { account: W_A }, action: 'PutObject', object: 'a.txt' });
    await left.observe({ principal: { account: W_OWNER }, action: 'PutObject', object: 'b.txt' });
    ready(await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'left2', owner: W_OWNER } }));
    expect(run.ledger.buckets()).toHaveLength(2);
    const summary = await client.cleanup(run.ledger.prefix);
    expect(summary).toEqual({ buckets: 2, objects: 2, failures: [] });
    const names = await ownerBuckets();
    expect(names.filter((n) => n.startsWith(run.ledger.prefix))).toEqual([]);
    expect(names).toContain('not-ours-keep-me');
    expect(run.ledger.buckets()).toEqual([]);
    // A prefix that is not a run prefix is refused, and nothing is touched.
    expect((await client.cleanup('not-')).failures[0]).toMatch(/not a run prefix/);
    expect(await ownerBuckets()).toContain('not-ours-keep-me');
  });

  it('makes the log delivery service without its identity, and context it cannot apply, unreachable, not decided', async () => {
    const { client } = setup(withoutLogDelivery);
    const p = ready(await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER } }));
    expect(shape(await p.observe({ principal: 'log-delivery', action: 'PutObject', object: 'log' }))).toEqual({ unreachable: 'UNSUPPORTED_PRINCIPAL' });
    // No policy reads the address: the request is sent from wherever the adapter is, and decided.
    expect(shape(await p.observe({ principal: 'anonymous', action: 'GetObject', object: 'a', context: { SourceIp: '203.0.113.5' } }))).not.toHaveProperty('unreachable');
    expect(shape(await p.observe({ principal: 'anonymous', action: 'GetObject', object: 'a', context: { CurrentTime: '2026-01-01T00:00:00Z' } }))).toEqual({ unreachable: 'UNSUPPORTED_CONTEXT' });
    expect(shape(await p.observe({ principal: 'anonymous', action: 'PutBucketVersioning' }))).toEqual({ unreachable: 'UNSUPPORTED_ACTION' });
    await p.release();
  });

  it('makes an address it cannot send from unreachable when the policy in force reads SourceIp', async () => {
    const { client } = setup(withoutLogDelivery);
    const policy = { Statement: [{ Sid: 'ip', Effect: 'Allow', Principal: { ID: ['*'] }, Action: ['GetObject'], Resource: ['mybucket/*'], Condition: { IpAddress: { SourceIp: ['203.0.113.0/24'] } } }] };
    const p = ready(await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy }));
    expect(shape(await p.observe({ principal: 'anonymous', action: 'GetObject', object: 'a', context: { SourceIp: '203.0.113.5' } }))).toEqual({ unreachable: 'UNSUPPORTED_CONTEXT' });
    await p.release();
  });

  it('sends the log delivery service\'s requests with its emulator-only key, decided as the reference decides `log-delivery`', async () => {
    const { client } = setup();
    const requests: ObsRequest[] = [
      { principal: 'log-delivery', action: 'PutObject', object: 'logs/access-1.log' },
      { principal: 'log-delivery', action: 'GetBucketAcl' },
      { principal: 'log-delivery', action: 'DeleteObjectVersion', object: 'logs/access-1.log' },
      { principal: 'log-delivery', action: 'ListBucket' },
      { principal: 'log-delivery', action: 'GetObject', object: 'logs/access-1.log' },
      { principal: 'log-delivery', action: 'PutBucketAcl', acl: [{ grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' }] },
      { principal: 'log-delivery', action: 'GetBucketPolicy' },
    ];
    const worlds: ObsWorld[] = [
      // The default private ACL: nothing.
      { vendor: 'huawei-obs', bucket: { name: 'logs', owner: W_OWNER } },
      // log-delivery-write (vendor notes §5.4): WRITE and READ_ACP to the LogDelivery group.
      { vendor: 'huawei-obs', bucket: { name: 'logs', owner: W_OWNER }, acl: [{ grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' }, { grantee: { group: 'LogDelivery' }, permission: 'WRITE' }, { grantee: { group: 'LogDelivery' }, permission: 'READ_ACP' }] },
      // Grants to the registered users and to an account do not reach it; a policy for `*` does.
      { vendor: 'huawei-obs', bucket: { name: 'logs', owner: W_OWNER }, acl: [{ grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' }, { grantee: { group: 'AuthenticatedUsers' }, permission: 'WRITE' }, { grantee: { account: W_A }, permission: 'READ_ACP' }], policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ListBucket'], Resource: ['logs'] }] } },
    ];
    const decisions: string[][] = [];
    for (const world of worlds) {
      const p = ready(await client.prepare(world));
      const seen = await observeAll(p, requests);
      await p.release();
      expect(seen, JSON.stringify(world.acl)).toEqual(await reference(world, requests));
      decisions.push(seen.map((o) => (o as { decision?: string }).decision ?? 'unreachable'));
    }
    expect(decisions).toEqual([
      ['deny', 'deny', 'deny', 'deny', 'deny', 'deny', 'deny'],
      ['allow', 'allow', 'allow', 'deny', 'deny', 'deny', 'deny'],
      ['deny', 'deny', 'deny', 'allow', 'deny', 'deny', 'deny'],
    ]);
  });

  it('sends GetObjectAcl, ListBucketVersions and DeleteObjectVersion, and reports them as the reference does', async () => {
    const { client } = setup();
    const world: ObsWorld = {
      vendor: 'huawei-obs',
      bucket: { name: 'versioned', owner: W_OWNER },
      policy: {
        Statement: [
          { Effect: 'Allow', Principal: { ID: [`domain/${W_A}:user/*`] }, Action: ['GetObjectAcl', 'ListBucketVersions'], Resource: ['versioned', 'versioned/docs/*'] },
          { Effect: 'Allow', Principal: { ID: [`domain/${W_B}`] }, Action: ['DeleteObjectVersion'], Resource: ['versioned/*'], Condition: { StringEquals: { versionId: ['v1'] } } },
          { Effect: 'Deny', Principal: { ID: [`domain/${W_A}:user/*`] }, Action: ['ListBucketVersions'], Resource: ['versioned'], Condition: { StringEquals: { prefix: ['secret/'] } } },
        ],
      },
    };
    const requests: ObsRequest[] = [
      { principal: { account: W_OWNER }, action: 'PutObject', object: 'docs/a.txt' },
      // An existing object and a missing one (404 NoSuchKey after the access check: allowed, 200 as the reference).
      { principal: { account: W_A }, action: 'GetObjectAcl', object: 'docs/a.txt' },
      { principal: { account: W_A, user: W_USER }, action: 'GetObjectAcl', object: 'docs/none.txt' },
      { principal: { account: W_A }, action: 'GetObjectAcl', object: 'other.txt' },
      { principal: { account: W_A }, action: 'GetObject', object: 'docs/a.txt' },
      { principal: { account: W_OWNER }, action: 'GetObjectAcl', object: 'other.txt' },
      { principal: { account: W_A }, action: 'ListBucketVersions' },
      { principal: { account: W_A }, action: 'ListBucketVersions', context: { prefix: 'docs/' } },
      { principal: { account: W_A }, action: 'ListBucketVersions', context: { prefix: 'secret/' } },
      { principal: { account: W_A }, action: 'ListBucket' },
      { principal: { account: W_B }, action: 'ListBucketVersions' },
      // DeleteObjectVersion with its condition key versionId, sent as the `versionId` parameter: 204 on the wire, 200 as the reference.
      { principal: { account: W_B }, action: 'DeleteObjectVersion', object: 'docs/a.txt', context: { versionId: 'v2' } },
      { principal: { account: W_B }, action: 'DeleteObjectVersion', object: 'docs/a.txt', context: { versionId: 'v1' } },
      { principal: { account: W_B }, action: 'DeleteObject', object: 'docs/a.txt' },
      { principal: { account: W_OWNER }, action: 'DeleteObjectVersion', object: 'docs/a.txt', context: { versionId: 'v9' } },
      { principal: 'anonymous', action: 'ListBucketVersions' },
    ];
    const p = ready(await client.prepare(world));
    const seen = await observeAll(p, requests);
    expect(seen).toEqual(await reference(world, requests));
    expect(seen.map((o) => (o as { decision: string }).decision)).toEqual(['allow', 'allow', 'allow', 'deny', 'deny', 'allow', 'allow', 'allow', 'deny', 'deny', 'deny', 'deny', 'allow', 'deny', 'allow', 'deny']);
    expect(seen[12]).toEqual({ decision: 'allow', status: 200 });
    // This policy reads versionId: a DeleteObjectVersion that names none cannot be sent faithfully (the target would read `null`).
    expect(shape(await p.observe({ principal: { account: W_B }, action: 'DeleteObjectVersion', object: 'docs/a.txt' }))).toEqual({ unreachable: 'UNSUPPORTED_CONTEXT' });
    // versionId belongs to DeleteObjectVersion, prefix to the list actions.
    expect(shape(await p.observe({ principal: { account: W_B }, action: 'DeleteObject', object: 'docs/a.txt', context: { versionId: 'v1' } }))).toEqual({ unreachable: 'UNSUPPORTED_CONTEXT' });
    expect(shape(await p.observe({ principal: { account: W_A }, action: 'GetObjectAcl', object: 'docs/a.txt', context: { prefix: 'docs/' } }))).toEqual({ unreachable: 'UNSUPPORTED_CONTEXT' });
    await p.release();

    // Without a policy that reads versionId, a DeleteObjectVersion that names none is sent for version `null`: the object goes.
    const plain = ready(await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'plain', owner: W_OWNER } }));
    const steps: ObsRequest[] = [
      { principal: { account: W_OWNER }, action: 'PutObject', object: 'k.txt' },
      { principal: { account: W_OWNER }, action: 'DeleteObjectVersion', object: 'k.txt' },
      { principal: { account: W_A }, action: 'DeleteObjectVersion', object: 'k.txt' },
    ];
    expect(await observeAll(plain, steps)).toEqual(await reference({ vendor: 'huawei-obs', bucket: { name: 'plain', owner: W_OWNER } }, steps));
    const bucket = (await ownerBuckets()).find((n) => n.endsWith('-plain'))!;
    const obsSdk = sdk();
    await new Promise(setImmediate); // 3.26.8 initialises asynchronously (vendor notes §8.3)
    const listed = await obsSdk.listObjects({ Bucket: bucket });
    expect(listed.CommonMsg.Status).toBe(200);
    expect(listed.InterfaceResult?.['Contents'] ?? []).toEqual([]);
    await plain.release();
  });

  it('sends PutBucketLogging with its target bucket under the world prefix, and the configuration reads, as the reference reports them', async () => {
    const { client } = setup();
    const world: ObsWorld = { vendor: 'huawei-obs', bucket: { name: 'logged', owner: W_OWNER } };
    const requests: ObsRequest[] = [
      { principal: 'log-delivery', action: 'PutObject', object: 'logs/a.log' },
      { principal: { account: W_OWNER }, action: 'GetBucketLogging' },
      // Another bucket as target (under the prefix it stays another bucket): rejected, as the reference rejects it.
      { principal: { account: W_OWNER }, action: 'PutBucketLogging', logging: { targetBucket: 'otherbucket' } },
      { principal: { account: W_A }, action: 'PutBucketLogging', logging: { targetBucket: 'logged' } },
      { principal: 'log-delivery', action: 'GetBucketAcl' },
      { principal: { account: W_OWNER, user: W_OWNER_USER }, action: 'PutBucketLogging', logging: { targetBucket: 'logged' } },
      { principal: 'log-delivery', action: 'PutObject', object: 'logs/a.log' },
      { principal: 'log-delivery', action: 'GetBucketAcl' },
      { principal: 'log-delivery', action: 'ListBucket' },
      { principal: { account: W_OWNER }, action: 'GetBucketLogging' },
      { principal: { account: W_A }, action: 'GetBucketLogging' },
      { principal: { account: W_OWNER }, action: 'GetBucketLocation' },
      { principal: { account: W_A }, action: 'GetBucketLocation' },
      { principal: { account: W_OWNER }, action: 'GetBucketVersioning' },
      { principal: 'anonymous', action: 'GetBucketVersioning' },
      { principal: { account: W_OWNER }, action: 'ListBucketMultipartUploads' },
      { principal: { account: W_A }, action: 'ListBucketMultipartUploads' },
      // Disabling logging keeps the grants.
      { principal: { account: W_OWNER }, action: 'PutBucketLogging' },
      { principal: 'log-delivery', action: 'PutObject', object: 'logs/b.log' },
      // A later ACL without them takes them away (OBS-ACL-OVERWRITE).
      { principal: { account: W_OWNER }, action: 'PutBucketAcl', acl: [{ grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' }] },
      { principal: 'log-delivery', action: 'PutObject', object: 'logs/c.log' },
    ];
    const p = ready(await client.prepare(world));
    const seen = await observeAll(p, requests);
    expect(seen).toEqual(await reference(world, requests));
    expect(seen[2]).toEqual({ decision: 'rejected', status: 400, code: 'InvalidTargetBucketForLogging' });
    expect(seen.map((o) => (o as { decision: string }).decision)).toEqual([
      'deny', 'allow', 'rejected', 'deny', 'deny', 'allow', 'allow', 'allow', 'deny', 'allow', 'deny', 'allow', 'deny', 'allow', 'deny', 'allow', 'deny', 'allow', 'allow', 'allow', 'deny',
    ]);
    // On the wire the target is the prefixed bucket, and the location the one the client created it with.
    const bucket = (await ownerBuckets()).find((n) => n.endsWith('-logged'))!;
    expect((await p.observe({ principal: { account: W_OWNER }, action: 'PutBucketLogging', logging: { targetBucket: 'logged' } }))).toMatchObject({ decision: 'allow', status: 200 });
    const obsSdk = sdk() as unknown as Record<'getBucketLogging' | 'getBucketLocation', (p: Record<string, unknown>) => Promise<SdkResult>>;
    await new Promise(setImmediate); // 3.26.8 initialises asynchronously (vendor notes §8.3)
    const logging = await obsSdk.getBucketLogging({ Bucket: bucket });
    expect([logging.CommonMsg.Status, logging.InterfaceResult?.['LoggingEnabled']?.['TargetBucket']]).toEqual([200, bucket]);
    const location = await obsSdk.getBucketLocation({ Bucket: bucket });
    expect([location.CommonMsg.Status, location.InterfaceResult?.['Location']]).toEqual([200, 'cn-north-4']);
    await p.release();
  });

  it('keeps the log delivery grants when the ACL is put again under new names after logging was enabled', async () => {
    const { client } = setup();
    // Four other accounts in the ACL: two get the emulator's accounts, two synthetic ids; the last to send takes a real one and the ACL goes again.
    const grantees = [W_A, W_B, W_C, 'a1'.repeat(16)];
    const world: ObsWorld = {
      vendor: 'huawei-obs',
      bucket: { name: 'relogged', owner: W_OWNER },
      acl: [{ grantee: { account: W_OWNER }, permission: 'FULL_CONTROL' }, ...grantees.map((account) => ({ grantee: { account }, permission: 'READ' }))],
    };
    const requests: ObsRequest[] = [
      { principal: { account: W_OWNER }, action: 'PutBucketLogging', logging: { targetBucket: 'relogged' } },
      { principal: { account: grantees[3]! }, action: 'ListBucketMultipartUploads' },
      { principal: { account: grantees[2]! }, action: 'ListBucket' },
      { principal: 'log-delivery', action: 'PutObject', object: 'logs/a.log' },
      { principal: 'log-delivery', action: 'GetBucketAcl' },
    ];
    const p = ready(await client.prepare(world));
    const seen = await observeAll(p, requests);
    await p.release();
    expect(seen).toEqual(await reference(world, requests));
    expect(seen.map((o) => (o as { decision: string }).decision)).toEqual(['allow', 'allow', 'allow', 'allow', 'allow']);
  });

  it('sends PutObjectAcl with the canned ACL header or the owner\'s ACL body, as the reference reports it', async () => {
    const { client } = setup();
    const world: ObsWorld = {
      vendor: 'huawei-obs',
      bucket: { name: 'objacl', owner: W_OWNER },
      policy: {
        Statement: [
          { Effect: 'Allow', Principal: { ID: [`domain/${W_A}:user/*`] }, Action: ['PutObjectAcl'], Resource: ['objacl/shared/*'] },
          { Effect: 'Deny', Principal: '*', Action: ['PutObjectAcl'], Resource: ['objacl/*'], Condition: { StringEquals: { acl: ['public-read-write'] } } },
        ],
      },
    };
    const requests: ObsRequest[] = [
      { principal: { account: W_OWNER }, action: 'PutObject', object: 'shared/a.txt' },
      { principal: { account: W_A }, action: 'PutObjectAcl', object: 'shared/a.txt' },
      { principal: { account: W_A, user: W_USER }, action: 'PutObjectAcl', object: 'shared/a.txt', context: { acl: 'public-read' } },
      { principal: { account: W_A }, action: 'PutObjectAcl', object: 'shared/a.txt', context: { acl: 'public-read-write' } },
      // A missing object: 404 NoSuchKey after the access check, allowed as the reference has it.
      { principal: { account: W_A }, action: 'PutObjectAcl', object: 'shared/none.txt' },
      { principal: { account: W_A }, action: 'PutObjectAcl', object: 'private.txt' },
      { principal: { account: W_B }, action: 'PutObjectAcl', object: 'shared/a.txt' },
      { principal: 'anonymous', action: 'PutObjectAcl', object: 'shared/a.txt' },
      { principal: { account: W_OWNER }, action: 'PutObjectAcl', object: 'private.txt', context: { acl: 'private' } },
      { principal: { account: W_OWNER }, action: 'PutObjectAcl', object: 'private.txt', context: { acl: 'public-read-write' } },
    ];
    const p = ready(await client.prepare(world));
    const seen = await observeAll(p, requests);
    await p.release();
    expect(seen).toEqual(await reference(world, requests));
    expect(seen.map((o) => (o as { decision: string }).decision)).toEqual(['allow', 'allow', 'allow', 'deny', 'allow', 'deny', 'deny', 'deny', 'allow', 'deny']);
  });

  it('sends virtual-host requests to a host-name endpoint', async () => {
    const { run, client } = setup((y) => y.replace('addressing: path', 'addressing: virtual-host').replace('signature: obs', 'signature: aws-v2'), emulator.url.replace('127.0.0.1', 'localhost'));
    const world: ObsWorld = { vendor: 'huawei-obs', bucket: { name: 'vhost', owner: W_OWNER }, policy: allowAccount(W_A, ['GetObject', 'ListBucket']) };
    const p = ready(await client.prepare(world));
    const requests: ObsRequest[] = [
      { principal: { account: W_A }, action: 'ListBucket' },
      { principal: { account: W_A }, action: 'GetObject', object: 'd/e.txt' },
      { principal: { account: W_B }, action: 'GetObject', object: 'd/e.txt' },
    ];
    const seen = await observeAll(p, requests);
    expect(seen).toEqual(await reference(world, requests));
    await p.release();
    expect(run.ledger.buckets()).toEqual([]);
  });
});

describe('faults and secrets', () => {
  it('reports a closed port as unreachable, with no bucket left in the ledger', async () => {
    const closed = await startEmulator({ vendor: 'huawei-obs', log: () => {} });
    const url = closed.url;
    await closed.close();
    const { run, client } = setup((y) => `${y}limits:\n  attempts: 2\n  baseBackoffMs: 0\n`, url);
    const p = await client.prepare({ vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy: allowAccount(W_A) });
    expect(p.kind).toBe('unreachable');
    if (p.kind === 'unreachable') expect(p.error.code).toBe('ECONNREFUSED');
    const summary = await client.cleanup(run.ledger.prefix);
    expect(summary.failures[0]).toMatch(/ECONNREFUSED/);
  });

  it('lets no secret out through the http adapter: observations, logs and the target file all clean', async () => {
    const target = emulatorTarget('huawei-obs', emulator.url, emulator.accounts);
    const file = join(dir, 'adapter.yaml');
    writeFileSync(file, target.yaml);
    const saved = { ...process.env };
    Object.assign(process.env, target.env);
    try {
      const adapter = await createHttpAdapter({ targetConfig: file, vendor: 'huawei-obs' });
      expect(adapter.capabilities.vendors).toEqual(['huawei-obs']);
      expect(adapter.capabilities.actions).toEqual(OBS_CLIENT_ACTIONS);
      const p = ready(await adapter.prepare({ vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: W_OWNER }, policy: allowAccount(W_A) }));
      const seen = JSON.stringify([
        await p.observe({ principal: { account: W_A }, action: 'GetObject', object: 'a' }),
        await p.observe({ principal: { account: W_B, user: OTHER_USER }, action: 'GetObject', object: 'a' }),
        await p.observe({ principal: { account: W_OWNER }, action: 'GetBucketPolicy' }),
      ]);
      for (const secret of Object.values(target.env)) {
        expect(seen).not.toContain(secret);
        expect(target.yaml).not.toContain(secret);
      }
      await p.release();
      await adapter.close();
      expect((await ownerBuckets()).filter((n) => n.startsWith(adapter.run!.ledger.prefix))).toEqual([]);
    } finally {
      for (const key of Object.keys(target.env)) if (saved[key] === undefined) delete process.env[key];
    }
  });
});

it('logged nothing that holds a secret', () => {
  const secrets = Object.values(emulatorTarget('huawei-obs', emulator.url, emulator.accounts).env);
  const text = allLogs.join('\n');
  for (const secret of secrets) expect(text).not.toContain(secret);
});

// The default accounts are what `emulatorTarget` reads: keep the test's ids honest.
it('uses the emulator default identities', () => {
  const accounts = defaultAccounts('huawei-obs').accounts;
  expect(accounts.map((a) => a.id)).toEqual([OWNER.id, OTHER, THIRD]);
  expect(accounts[1]!.users.map((u) => u.id)).toEqual([OTHER_USER]);
});
