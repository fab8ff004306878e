/**
 * The Alibaba OSS client of the live HTTP adapter against an in-process emulator: capabilities
 * from the identities, worlds built under the run prefix with their names rewritten, requests
 * observed as the reference adapter reports them, rejected policies, principal mapping,
 * release and cleanup, faults, and messages that never carry a credential.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { request as httpRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_SPECS, SENTINEL_KEY, SUPPORTED_ACTIONS } from '../../../adapters/http/alibaba-oss/actions.ts';
import { createAliClient } from '../../../adapters/http/alibaba-oss/client.ts';
import { globMatches, jsonStrings, rewritePolicyText } from '../../../adapters/http/alibaba-oss/policy-text.ts';
import { formatDateV1, signRequestV1 } from '../../../adapters/http/alibaba-oss/signing.ts';
import { parseTargetConfig } from '../../../adapters/http/config.ts';
import { createHttpRun } from '../../../adapters/http/run.ts';
import type { HttpRun, VendorClient } from '../../../adapters/http/types.ts';
import { createReferenceAdapter } from '../../../adapters/reference/reference-adapter.ts';
import type { PreparedWorld } from '../../../adapters/types.ts';
import { defaultAccounts, type EmulatorAccounts } from '../../../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.ts';
import { emulatorTarget } from '../../../emulator/target-file.ts';
import { ALI_ACTIONS } from '../../../model/alibaba-oss/actions.ts';
import type { AliRequest, AliWorld } from '../../../model/alibaba-oss/types.ts';
import type { Observation } from '../../../model/outcome.ts';
import { loadSpecSet } from '../../../suites/spec/load.ts';
import { PROPERTIES } from '../../../suites/properties/index.ts';
import { runRule } from '../../../suites/runner.ts';
import { createHttpAdapter } from '../../../adapters/http/http-adapter.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Generated-looking names that are none of the emulator's: the client must map them.
const OWNER = '1111111111111111';
const ALICE = '2222222222222222';
const BOB = '3333333333333333';
const CAROL = '4444444444444444';
const SESSION = (role: string, session: string) => `arn:sts::5555555555555555:assumed-role/${role}/${session}`;

/** The default accounts (with the emulator-only administrator key) plus an account with a role of two sessions, for session mapping. */
function richAccounts(): EmulatorAccounts {
  const accounts = defaultAccounts('alibaba-oss');
  accounts.accounts.push({
    id: '1746495857600009',
    accessKeyId: 'EMU-ALI-NINTH',
    accessKeySecret: 'emu-ali-ninth-secret',
    users: [],
    roles: [
      { name: 'reader', sessions: [
        { name: 's1', accessKeyId: 'STS.EMU-ALI-NINTH-S1', accessKeySecret: 'emu-ali-ninth-s1-secret', securityToken: 'emu-ali-ninth-s1-token' },
        { name: 's2', accessKeyId: 'STS.EMU-ALI-NINTH-S2', accessKeySecret: 'emu-ali-ninth-s2-secret', securityToken: 'emu-ali-ninth-s2-token' },
      ] },
    ],
  });
  return accounts;
}

/** The emulator's target file without its `admin` identity: a target like a real OSS, where nobody can get past the owner's own policy. */
const withoutAdmin = (yaml: string): string => yaml.replace(/\n {2}- kind: admin\n(?: {4}.*\n?)*/, '\n');

let emulator: RunningEmulator;
const runs: HttpRun[] = [];
const logs: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ vendor: 'alibaba-oss', accounts: richAccounts(), log: () => {} });
});
afterAll(async () => {
  for (const run of runs) await run.transport.close();
  await emulator.close();
});

/** A run and client for a target file (default: the emulator's own, as `npm test` writes it). */
function clientFor(options: { yaml?: string; env?: Record<string, string>; edit?: (yaml: string) => string } = {}): { run: HttpRun; client: VendorClient } {
  const target = emulatorTarget('alibaba-oss', emulator.url, emulator.accounts);
  const yaml = options.yaml ?? (options.edit ? options.edit(target.yaml) : target.yaml);
  const run = createHttpRun(parseTargetConfig(yaml, 'target.yaml'), { env: { ...target.env, ...(options.env ?? {}) }, log: (line) => logs.push(line) });
  runs.push(run);
  return { run, client: createAliClient(run) };
}

/** The owner's signed request, sent without the client (V1, path style). */
async function ownerRaw(method: string, bucket?: string, key?: string, query: [string, string][] = [], headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  const owner = emulator.accounts.accounts[0]!;
  const signed: Record<string, string> = { ...headers, 'x-oss-date': formatDateV1(new Date()) };
  signed['authorization'] = signRequestV1({ method, bucket, key, query, headers: signed }, owner.accessKeyId, owner.accessKeySecret);
  const path = bucket === undefined ? '/' : `/${bucket}/${key === undefined ? '' : encodeURIComponent(key).replace(/%2F/g, '/')}`;
  const search = query.length ? `?${query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '';
  const response = await httpRequest(`${emulator.url}${path}${search}`, { method: method as 'GET', headers: signed, ...(body === undefined ? {} : { body }) });
  return { status: response.statusCode, body: await response.body.text() };
}

async function ownerBuckets(): Promise<string[]> {
  const listed = await ownerRaw('GET');
  expect(listed.status).toBe(200);
  return [...listed.body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]!);
}

const reference = createReferenceAdapter();

/** What the reference adapter observes for each request of a world (explanation left out). */
async function referenceObservations(world: AliWorld, requests: readonly AliRequest[]): Promise<Observation[]> {
  const prepared = await reference.prepare(world);
  if (prepared.kind !== 'ready') throw new Error('the reference rejected the world');
  const out: Observation[] = [];
  for (const r of requests) {
    const o = await prepared.observe(r);
    if (o.kind === 'decided') {
      const { explanation: _explanation, ...rest } = o;
      out.push(rest);
    } else {
      out.push(o);
    }
  }
  return out;
}

async function ready(client: VendorClient, world: AliWorld): Promise<PreparedWorld> {
  const prepared = await client.prepare(world);
  if (prepared.kind !== 'ready') throw new Error(`not ready: ${JSON.stringify(prepared)}`);
  return prepared;
}

const allow: Observation = { kind: 'decided', decision: 'allow', status: 200 };
const explicitDeny: Observation = { kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', ec: '0003-00000101' };
const implicitDeny: Observation = { kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', ec: '0003-00000001' };

function world(policy?: unknown, acl?: 'private' | 'public-read'): AliWorld {
  return { vendor: 'alibaba-oss', bucket: { name: 'example-bucket', owner: OWNER, ...(acl ? { acl } : {}) }, ...(policy === undefined ? {} : { policy }) };
}

const bucketAndObjects = (bucket = 'example-bucket') => [`acs:oss:*:*:${bucket}`, `acs:oss:*:*:${bucket}/*`];

describe('capabilities', () => {
  it('follow the identities and the target file', async () => {
    const { client } = clientFor();
    const features = await client.capabilities();
    for (const c of ['policy', 'policy.raw', 'acl', 'principal.owner', 'principal.other-account', 'principal.ram-user', 'principal.role-session', 'principal.anonymous', 'request.source-ip', 'request.source-vpc', 'request.access-id', 'request.prefix', 'request.acl-header', 'request.user-agent', 'observe.status'] as const) {
      expect(features.has(c), c).toBe(true);
    }
    for (const c of ['request.current-time', 'request.secure-transport', 'observe.explanation', 'principal.log-delivery', 'bucket.vector'] as const) expect(features.has(c), c).toBe(false);
    expect(await client.sourceAddresses?.()).toEqual({ v4: '127.0.0.0/8' });
  });

  it('claim no other account, RAM user or session when the others are all the owner\'s, and never the claims it cannot honour', async () => {
    const owner = emulator.accounts.accounts[0]!;
    const yaml = [
      'vendor: alibaba-oss',
      `endpoint: ${emulator.url}`,
      'sourceIp: none',
      'capabilities: [request.current-time, request.secure-transport, bucket.vector, observe.explanation]',
      'identities:',
      `  - {kind: account, id: "${owner.id}", accessKeyId: ${owner.accessKeyId}, accessKeySecretEnv: OWNER_SECRET}`,
      `  - {kind: user, id: "${owner.users[0]!.id}", account: "${owner.id}", accessKeyId: ${owner.users[0]!.accessKeyId}, accessKeySecretEnv: USER_SECRET}`,
      `  - {kind: session, account: "${owner.id}", role: emu-role, session: emu-session, accessKeyId: ${owner.roles[0]!.sessions[0]!.accessKeyId}, accessKeySecretEnv: S_SECRET, securityTokenEnv: S_TOKEN}`,
    ].join('\n');
    const { client } = clientFor({ yaml, env: { OWNER_SECRET: owner.accessKeySecret, USER_SECRET: owner.users[0]!.accessKeySecret, S_SECRET: 'x', S_TOKEN: 'y' } });
    const features = await client.capabilities();
    expect(features.has('principal.owner')).toBe(true);
    expect(features.has('principal.anonymous')).toBe(true);
    for (const c of ['principal.other-account', 'principal.ram-user', 'principal.role-session', 'request.source-ip', 'request.current-time', 'request.secure-transport', 'bucket.vector', 'observe.explanation'] as const) {
      expect(features.has(c), c).toBe(false);
    }
    expect(await client.sourceAddresses?.()).toBeUndefined();
  });

  it('name one source address for `known`, and only actions of the catalogue the emulator decides', async () => {
    const { client } = clientFor({ edit: (y) => y.replace('sourceIp: loopback', 'sourceIp: {mode: known, address: 203.0.113.7}') });
    expect(await client.sourceAddresses?.()).toEqual({ v4: '203.0.113.7/32' });
    const actions = client.actions?.() ?? new Set();
    const catalogue = new Set(ALI_ACTIONS.map((a) => a.name));
    for (const a of actions) expect(catalogue.has(a), a).toBe(true);
    expect([...actions].sort()).toEqual(Object.keys(ACTION_SPECS).sort());
    for (const a of ['oss:GetObject', 'oss:PutObject', 'oss:ListObjects', 'oss:ListObjectVersions', 'oss:PutBucketAcl', 'oss:DeleteBucketPolicy']) expect(actions.has(a), a).toBe(true);
    for (const a of ['oss:ListBuckets', 'oss:PutBucket', 'oss:GetVectors', 'oss:GetObjectVersion', 'oss:GetBucketVersioning']) expect(actions.has(a), a).toBe(false);
    expect(SUPPORTED_ACTIONS).toBe(actions);
  });
});

describe('worlds', () => {
  it('are built under the world prefix, with the policy\'s names rewritten, and released without a trace', async () => {
    const { run, client } = clientFor();
    const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [ALICE], Resource: bucketAndObjects() }] };
    const prepared = await ready(client, world(policy));
    const mine = run.ledger.buckets();
    expect(mine).toHaveLength(1);
    const bucket = mine[0]!;
    expect(bucket.startsWith(run.ledger.prefix)).toBe(true);
    expect(bucket.endsWith('-example-bucket')).toBe(true);
    expect(await ownerBuckets()).toContain(bucket);
    const stored = await ownerRaw('GET', bucket, undefined, [['policy', '']]);
    expect(stored.status).toBe(200);
    expect(stored.body).toContain(`acs:oss:*:*:${bucket}/*`);
    expect(stored.body).not.toContain('"example-bucket');
    // ALICE sends no request yet: she is a placeholder, her generated UID, which no real identity has.
    expect(stored.body).toContain(ALICE);
    expect(await prepared.observe({ principal: ALICE, action: 'oss:GetObject', object: 'a.txt' })).toEqual(allow);
    // Now she stands for a real identity, and the policy names it.
    const rebound = await ownerRaw('GET', bucket, undefined, [['policy', '']]);
    expect(rebound.body).not.toContain(ALICE);
    expect(rebound.body).toMatch(/"Principal":\["\d{16}"\]/);
    await prepared.release();
    await prepared.release();
    expect(run.ledger.buckets()).toEqual([]);
    expect((await ownerBuckets()).filter((b) => b.startsWith(run.ledger.prefix))).toEqual([]);
  });

  it('observe allowed and denied requests as the reference adapter reports them', async () => {
    const { run, client } = clientFor();
    const policy = {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject', 'oss:ListObjects', 'oss:DeleteBucket', 'oss:GetBucketPolicy'], Principal: [ALICE], Resource: bucketAndObjects() },
        { Effect: 'Deny', Action: 'oss:GetObject', Principal: ['*'], Resource: 'acs:oss:*:*:example-bucket/secret/*', Condition: { StringNotEquals: { 'acs:SourceVpc': 'vpc-trusted' } } },
        { Effect: 'Allow', Action: 'oss:GetObject', Principal: ['*'], Resource: 'acs:oss:*:*:example-bucket/public/*', Condition: { IpAddress: { 'acs:SourceIp': '127.0.0.0/16' } } },
        { Effect: 'Allow', Action: 'oss:ListObjects', Principal: [BOB], Resource: 'acs:oss:*:*:example-bucket', Condition: { StringLike: { 'oss:Prefix': 'docs/*', 'acs:UserAgent': 'bc-agent*' } } },
        { Effect: 'Allow', Action: 'oss:PutBucketAcl', Principal: [BOB], Resource: 'acs:oss:*:*:example-bucket' },
      ],
    };
    const cases: Array<[AliRequest, Observation]> = [
      [{ principal: ALICE, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '127.0.0.3' } }, allow],
      [{ principal: BOB, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '127.0.0.3' } }, implicitDeny],
      [{ principal: ALICE, action: 'oss:GetObject', object: 'secret/a.txt', context: { 'acs:SourceIp': '127.0.0.3' } }, explicitDeny],
      [{ principal: ALICE, action: 'oss:GetObject', object: 'secret/a.txt', context: { 'acs:SourceIp': '127.0.0.3', 'acs:SourceVpc': 'vpc-trusted' } }, allow],
      [{ principal: OWNER, action: 'oss:GetObject', object: 'secret/a.txt', context: { 'acs:SourceIp': '127.0.0.3' } }, explicitDeny],
      [{ principal: 'anonymous', action: 'oss:GetObject', object: 'public/a.txt', context: { 'acs:SourceIp': '127.0.200.1' } }, allow],
      [{ principal: 'anonymous', action: 'oss:GetObject', object: 'public/a.txt', context: { 'acs:SourceIp': '127.1.0.1' } }, implicitDeny],
      [{ principal: BOB, action: 'oss:ListObjects', context: { 'acs:SourceIp': '127.0.0.3', 'oss:Prefix': 'docs/2020', 'acs:UserAgent': 'bc-agent/1.0' } }, allow],
      [{ principal: BOB, action: 'oss:ListObjects', context: { 'acs:SourceIp': '127.0.0.3', 'oss:Prefix': 'docs/2020', 'acs:UserAgent': 'curl/8' } }, implicitDeny],
      [{ principal: BOB, action: 'oss:ListObjects', context: { 'acs:SourceIp': '127.0.0.3', 'acs:UserAgent': 'bc-agent/1.0' } }, implicitDeny],
      // Allowed, and refused just after the access check: nothing is created or deleted.
      [{ principal: ALICE, action: 'oss:PutObject', object: 'new.txt', context: { 'acs:SourceIp': '127.0.0.3' } }, allow],
      [{ principal: ALICE, action: 'oss:DeleteBucket', context: { 'acs:SourceIp': '127.0.0.3' } }, allow],
      [{ principal: ALICE, action: 'oss:GetBucketPolicy', context: { 'acs:SourceIp': '127.0.0.3' } }, allow],
      // An ACL change that is allowed is undone before the next request.
      [{ principal: BOB, action: 'oss:PutBucketAcl', context: { 'acs:SourceIp': '127.0.0.3', 'oss:x-oss-acl': 'public-read' } }, allow],
      [{ principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '127.1.0.1' } }, implicitDeny],
      [{ principal: CAROL, action: 'oss:DeleteBucketPolicy', context: { 'acs:SourceIp': '127.0.0.3' } }, implicitDeny],
      [{ principal: OWNER, action: 'oss:DeleteBucketPolicy', context: { 'acs:SourceIp': '127.0.0.3' } }, allow],
      // The policy is back before the next request.
      [{ principal: ALICE, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '127.0.0.3' } }, allow],
      [{ principal: BOB, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '127.0.0.3' } }, implicitDeny],
      [{ principal: OWNER, action: 'oss:AbortMultipartUpload', object: 'big.bin', context: { 'acs:SourceIp': '127.0.0.3' } }, allow],
      [{ principal: BOB, action: 'oss:GetObjectAcl', object: 'a.txt', context: { 'acs:SourceIp': '127.0.0.3' } }, implicitDeny],
    ];
    const w = world(policy);
    const prepared = await ready(client, w);
    const observed: Observation[] = [];
    for (const [request] of cases) observed.push(await prepared.observe(request));
    const fromReference = await referenceObservations(w, cases.map(([r]) => r));
    cases.forEach(([request, expected], i) => {
      expect(observed[i], `${request.principal} ${request.action} ${request.object ?? ''}`).toEqual(expected);
      expect(fromReference[i], `reference: ${request.principal} ${request.action} ${request.object ?? ''}`).toEqual(expected);
    });
    const [bucket] = run.ledger.buckets();
    expect(await ownerBuckets()).toContain(bucket);
    const listed = await ownerRaw('GET', bucket);
    expect([...listed.body.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1])).toEqual([SENTINEL_KEY]);
    await prepared.release();
  });

  it('report a rejected policy with the target\'s status, code and EC, and leave nothing', async () => {
    const { run, client } = clientFor();
    const w = world({ Version: '2', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [ALICE], Resource: bucketAndObjects() }] });
    const prepared = await client.prepare(w);
    const expected = await reference.prepare(w);
    expect(prepared).toMatchObject({ kind: 'rejected', status: 400, code: 'InvalidPolicyDocument', ec: '0030-00000002' });
    expect(expected).toMatchObject({ kind: 'rejected', status: 400, code: 'InvalidPolicyDocument', ec: '0030-00000002' });
    expect(run.ledger.buckets()).toEqual([]);
    const raw = await client.prepare(world('{"Version": "1", "Statement": [ }'));
    expect(raw).toMatchObject({ kind: 'rejected', status: 400, code: 'InvalidPolicyDocument', ec: '0030-00000005' });
    expect(run.ledger.buckets()).toEqual([]);
  });

  it('map principals injectively: the UID the policy names is let in, another is not, the owner is the target\'s', async () => {
    const { client } = clientFor();
    const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [BOB], Resource: bucketAndObjects() }] };
    const prepared = await ready(client, world(policy));
    expect(await prepared.observe({ principal: ALICE, action: 'oss:GetObject', object: 'a.txt' })).toEqual(implicitDeny);
    expect(await prepared.observe({ principal: BOB, action: 'oss:GetObject', object: 'a.txt' })).toEqual(allow);
    expect(await prepared.observe({ principal: ALICE, action: 'oss:GetObject', object: 'a.txt' })).toEqual(implicitDeny);
    expect(await prepared.observe({ principal: OWNER, action: 'oss:GetObject', object: 'a.txt' })).toEqual(allow);
    await prepared.release();
  });

  it('map STS sessions by account, role and session, keeping wildcards, and acs:AccessId values to the real key', async () => {
    const { client } = clientFor();
    const policy = {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'oss:GetObject', Principal: [SESSION('reader', '*')], Resource: bucketAndObjects() },
        { Effect: 'Allow', Action: 'oss:PutObject', Principal: [SESSION('reader', 'nightly')], Resource: bucketAndObjects() },
        { Effect: 'Deny', Action: 'oss:GetObject', Principal: ['*'], Resource: 'acs:oss:*:*:example-bucket/locked/*', Condition: { StringLike: { 'acs:AccessId': 'STS.gen-night*' } } },
      ],
    };
    const cases: Array<[AliRequest, Observation]> = [
      [{ principal: SESSION('reader', 'nightly'), action: 'oss:GetObject', object: 'a.txt', context: { 'acs:AccessId': 'STS.gen-nightly' } }, allow],
      [{ principal: SESSION('reader', 'nightly'), action: 'oss:PutObject', object: 'a.txt', context: { 'acs:AccessId': 'STS.gen-nightly' } }, allow],
      [{ principal: SESSION('reader', 'nightly'), action: 'oss:GetObject', object: 'locked/a.txt', context: { 'acs:AccessId': 'STS.gen-nightly' } }, explicitDeny],
      [{ principal: SESSION('reader', 'daily'), action: 'oss:GetObject', object: 'a.txt', context: { 'acs:AccessId': 'STS.gen-daily' } }, allow],
      [{ principal: SESSION('reader', 'daily'), action: 'oss:PutObject', object: 'a.txt', context: { 'acs:AccessId': 'STS.gen-daily' } }, implicitDeny],
      [{ principal: SESSION('reader', 'daily'), action: 'oss:GetObject', object: 'locked/a.txt', context: { 'acs:AccessId': 'STS.gen-daily' } }, allow],
    ];
    const w = world(policy);
    const prepared = await ready(client, w);
    const fromReference = await referenceObservations(w, cases.map(([r]) => r));
    for (const [i, [request, expected]] of cases.entries()) {
      expect(await prepared.observe(request), `${request.principal} ${request.action} ${request.object ?? ''}`).toEqual(expected);
      expect(fromReference[i]).toEqual(expected);
    }
    // A third session of the role: the target file has two.
    const third = await prepared.observe({ principal: SESSION('reader', 'weekly'), action: 'oss:GetObject', object: 'a.txt' });
    expect(third).toMatchObject({ kind: 'unreachable', error: { code: 'NOT_ENOUGH_IDENTITIES' } });
    await prepared.release();
  });

  it('are inconclusive when the world needs more identities than the target file has', async () => {
    const owner = emulator.accounts.accounts[0]!;
    const other = emulator.accounts.accounts[1]!;
    const yaml = [
      'vendor: alibaba-oss',
      `endpoint: ${emulator.url}`,
      'identities:',
      `  - {kind: account, id: "${owner.id}", accessKeyId: ${owner.accessKeyId}, accessKeySecretEnv: OWNER_SECRET}`,
      `  - {kind: account, id: "${other.id}", accessKeyId: ${other.accessKeyId}, accessKeySecretEnv: OTHER_SECRET}`,
    ].join('\n');
    const { client } = clientFor({ yaml, env: { OWNER_SECRET: owner.accessKeySecret, OTHER_SECRET: other.accessKeySecret } });
    const prepared = await ready(client, world({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [ALICE, BOB], Resource: bucketAndObjects() }] }));
    expect(await prepared.observe({ principal: ALICE, action: 'oss:GetObject', object: 'a.txt' })).toEqual(allow);
    const second = await prepared.observe({ principal: BOB, action: 'oss:GetObject', object: 'a.txt' });
    expect(second).toMatchObject({ kind: 'unreachable', error: { code: 'NOT_ENOUGH_IDENTITIES' } });
    await prepared.release();
  });

  it('send a request whose context the target cannot take only when no condition reads it', async () => {
    const { client } = clientFor();
    const plain = await ready(client, world({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [ALICE], Resource: bucketAndObjects() }] }));
    expect(await plain.observe({ principal: ALICE, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '198.51.100.7' } })).toEqual(allow);
    await plain.release();
    const guarded = await ready(client, world({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [ALICE], Resource: bucketAndObjects(), Condition: { IpAddress: { 'acs:SourceIp': '198.51.100.0/24' } } }] }));
    const far = await guarded.observe({ principal: ALICE, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '198.51.100.7' } });
    expect(far).toMatchObject({ kind: 'unreachable', error: { code: 'UNSUPPORTED_CONTEXT' } });
    expect(far.kind === 'unreachable' && far.error.message).toContain('acs:SourceIp');
    const none = await guarded.observe({ principal: ALICE, action: 'oss:GetObject', object: 'a.txt' });
    expect(none).toMatchObject({ kind: 'unreachable', error: { code: 'UNSUPPORTED_CONTEXT' } });
    const unsupported = await guarded.observe({ principal: ALICE, action: 'oss:GetBucketVersioning' });
    expect(unsupported).toMatchObject({ kind: 'unreachable', error: { code: 'UNSUPPORTED_ACTION' } });
    await guarded.release();
  });

  it('get the owner through a policy that denies it from its usual address, and never create a bucket it could not remove', async () => {
    // No administrator key: what a real OSS offers.
    const { run, client } = clientFor({ edit: withoutAdmin });
    expect(run.others.some((o) => o.kind === 'admin')).toBe(false);
    const w = world({
      Version: '1',
      Statement: [
        { Effect: 'Deny', Action: 'oss:*', Principal: ['*'], Resource: bucketAndObjects(), Condition: { IpAddress: { 'acs:SourceIp': '127.0.0.0/16' } } },
        { Effect: 'Allow', Action: 'oss:PutBucketAcl', Principal: [ALICE], Resource: 'acs:oss:*:*:example-bucket' },
      ],
    });
    const prepared = await ready(client, w);
    const cases: Array<[AliRequest, Observation]> = [
      [{ principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '127.0.0.9' } }, explicitDeny],
      [{ principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '127.9.0.9' } }, allow],
      [{ principal: ALICE, action: 'oss:PutBucketAcl', context: { 'acs:SourceIp': '127.9.0.9', 'oss:x-oss-acl': 'public-read' } }, allow],
      [{ principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '127.9.0.9' } }, implicitDeny],
    ];
    const fromReference = await referenceObservations(w, cases.map(([r]) => r));
    for (const [i, [request, expected]] of cases.entries()) {
      expect(await prepared.observe(request)).toEqual(expected);
      expect(fromReference[i]).toEqual(expected);
    }
    await prepared.release();
    expect(run.ledger.buckets()).toEqual([]);
    // A Deny of everything unless a prefix is sent: DeleteBucketPolicy and DeleteBucket never carry one.
    const locked = await client.prepare(world({ Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Principal: ['*'], Resource: bucketAndObjects(), Condition: { StringNotEquals: { 'oss:Prefix': 'x' } } }] }));
    expect(locked).toMatchObject({ kind: 'unreachable', error: { code: 'OWNER_LOCKOUT' } });
    expect(run.ledger.buckets()).toEqual([]);
  });

  it('send ListObjectVersions with its prefix and delimiter, decided as the reference decides oss:ListObjectVersions', async () => {
    const { run, client } = clientFor();
    const w = world({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'oss:ListObjectVersions', Principal: [ALICE], Resource: 'acs:oss:*:*:example-bucket', Condition: { StringLike: { 'oss:Prefix': 'pub/*' } } },
        { Effect: 'Allow', Action: 'oss:ListObjects', Principal: [BOB], Resource: 'acs:oss:*:*:example-bucket' },
      ],
    });
    const prepared = await ready(client, w);
    const cases: AliRequest[] = [
      { principal: ALICE, action: 'oss:ListObjectVersions', context: { 'oss:Prefix': 'pub/a', 'oss:Delimiter': '/' } },
      { principal: ALICE, action: 'oss:ListObjectVersions', context: { 'oss:Prefix': 'priv/' } },
      { principal: ALICE, action: 'oss:ListObjectVersions' },
      { principal: BOB, action: 'oss:ListObjectVersions' },
      { principal: BOB, action: 'oss:ListObjects' },
      { principal: OWNER, action: 'oss:ListObjectVersions' },
      { principal: 'anonymous', action: 'oss:ListObjectVersions', context: { 'oss:Prefix': 'pub/a' } },
    ];
    const fromReference = await referenceObservations(w, cases);
    const observed: Observation[] = [];
    for (const r of cases) observed.push(await prepared.observe(r));
    expect(observed).toEqual(fromReference);
    expect(observed.map((o) => (o.kind === 'decided' ? o.decision : o.kind))).toEqual(['allow', 'deny', 'deny', 'deny', 'allow', 'allow', 'deny']);
    await prepared.release();
    expect(run.ledger.buckets()).toEqual([]);
  });

  it('build, keep and release a world that locks its owner out with the emulator\'s admin key, sending the requests under test as their principals', async () => {
    const { run, client } = clientFor();
    const admin = run.others.find((o) => o.kind === 'admin');
    expect(admin?.accessKeyId).toBe(emulator.accounts.admin?.accessKeyId);
    // Every request the client sends, with the AccessKey id it is signed with (undefined: unsigned), and whether it is a request under test.
    const sent: Array<{ key: string | undefined; method: string; url: string; underTest: boolean }> = [];
    let underTest = false;
    const send = run.transport.send.bind(run.transport);
    run.transport.send = (build, options) => send(() => {
      const request = build();
      const authorization = request.headers['authorization'];
      const key = authorization === undefined ? undefined : (/Credential=([^/]+)\//.exec(authorization) ?? /^OSS ([^:]+):/.exec(authorization))?.[1];
      sent.push({ key, method: request.method, url: request.url, underTest });
      return request;
    }, options);
    // A Deny of everything unless the request sets the bucket ACL to public-read: no maintenance request of the owner
    // (DeleteBucketPolicy, DeleteObject, DeleteBucket, PutBucketAcl back to private) gets through from any context.
    const w = world({
      Version: '1',
      Statement: [
        { Effect: 'Deny', Action: '*', Principal: ['*'], Resource: bucketAndObjects(), Condition: { StringNotEquals: { 'oss:x-oss-acl': 'public-read' } } },
        { Effect: 'Allow', Action: ['oss:PutBucketAcl', 'oss:GetBucketAcl'], Principal: [ALICE], Resource: 'acs:oss:*:*:example-bucket' },
      ],
    });
    // Without the admin key the same world is refused: its bucket could never be removed.
    const { run: plainRun, client: plain } = clientFor({ edit: withoutAdmin });
    expect(await plain.prepare(w)).toMatchObject({ kind: 'unreachable', error: { code: 'OWNER_LOCKOUT' } });
    expect(plainRun.ledger.buckets()).toEqual([]);

    const prepared = await ready(client, w);
    const cases: Array<[AliRequest, Observation]> = [
      // Allowed, and it changes the ACL: the world puts it back (with the admin key) before the next request.
      [{ principal: ALICE, action: 'oss:PutBucketAcl', context: { 'oss:x-oss-acl': 'public-read' } }, allow],
      [{ principal: OWNER, action: 'oss:GetObject', object: 'a.txt' }, explicitDeny],
      [{ principal: OWNER, action: 'oss:DeleteBucketPolicy' }, explicitDeny],
      [{ principal: ALICE, action: 'oss:GetBucketAcl' }, explicitDeny],
      [{ principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt' }, explicitDeny],
      [{ principal: OWNER, action: 'oss:PutBucketAcl', context: { 'oss:x-oss-acl': 'public-read' } }, allow],
      [{ principal: BOB, action: 'oss:PutBucketAcl', context: { 'oss:x-oss-acl': 'public-read' } }, implicitDeny],
    ];
    const fromReference = await referenceObservations(w, cases.map(([r]) => r));
    const owner = emulator.accounts.accounts[0]!;
    for (const [i, [request, expected]] of cases.entries()) {
      underTest = true;
      const before = sent.length;
      const observed = prepared.observe(request);
      // The maintenance (#sync) runs first inside observe; the request under test is the last one sent.
      const o = await observed;
      underTest = false;
      expect(o, `${request.principal} ${request.action}`).toEqual(expected);
      expect(fromReference[i]).toEqual(expected);
      const last = sent[sent.length - 1]!;
      expect(sent.length).toBeGreaterThan(before);
      if (request.principal === 'anonymous') expect(last.key).toBeUndefined();
      else if (request.principal === OWNER) expect(last.key).toBe(owner.accessKeyId);
      else expect(last.key === undefined || last.key === admin!.accessKeyId || last.key === owner.accessKeyId).toBe(false);
      // Whatever came before it in this observe was maintenance: put back as the owner, or with the admin key when the owner is refused.
      for (const m of sent.slice(before, -1)) expect([owner.accessKeyId, admin!.accessKeyId]).toContain(m.key);
    }
    // The ACL was put back with the admin key (the owner's PutBucketAcl to private is denied).
    expect(sent.some((m) => m.key === admin!.accessKeyId && m.method === 'PUT' && /\?acl/.test(m.url))).toBe(true);
    const bucket = run.ledger.buckets()[0]!;
    expect(bucket.startsWith(run.ledger.prefix)).toBe(true);
    expect(await ownerBuckets()).toContain(bucket);
    const beforeRelease = sent.length;
    await prepared.release();
    // Released: the world knows what its bucket holds, so the admin key removed the objects and the bucket
    // the owner could not, without listing them or deleting the policy first.
    const release = sent.slice(beforeRelease);
    expect(release.some((m) => m.key === admin!.accessKeyId && m.method === 'DELETE' && m.url.includes(SENTINEL_KEY))).toBe(true);
    expect(release.filter((m) => m.key === admin!.accessKeyId && m.method === 'DELETE').length).toBeGreaterThanOrEqual(2);
    expect(release.some((m) => m.method === 'GET' || /\?policy/.test(m.url))).toBe(false);
    expect(run.ledger.buckets()).toEqual([]);
    expect(await ownerBuckets()).not.toContain(bucket);
  });

  it('releases a world by deleting what it knows its bucket holds, and the long way when the bucket holds more', async () => {
    const { run, client } = clientFor();
    const methods: string[] = [];
    const send = run.transport.send.bind(run.transport);
    run.transport.send = (build, options) => send(() => {
      const request = build();
      methods.push(`${request.method} ${new URL(request.url).search}`);
      return request;
    }, options);
    const w = world({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Principal: [ALICE], Resource: bucketAndObjects() }] });
    // Known: the sentinel alone (an allowed PutObject is sent with a wrong Content-MD5, so it creates nothing).
    const known = await ready(client, w);
    expect(await known.observe({ principal: ALICE, action: 'oss:PutObject', object: 'made.txt' })).toEqual(allow);
    const knownBucket = run.ledger.buckets()[0]!;
    let from = methods.length;
    await known.release();
    // The sentinel and the bucket: no listing, no DeleteBucketPolicy.
    expect(methods.slice(from)).toEqual(['DELETE ', 'DELETE ']);
    expect(await ownerBuckets()).not.toContain(knownBucket);
    // Not known: an object put behind the world's back keeps the bucket from going (BucketNotEmpty), so it is listed and removed.
    const unknown = await ready(client, w);
    const unknownBucket = run.ledger.buckets()[0]!;
    expect((await ownerRaw('PUT', unknownBucket, 'behind-its-back.txt', [], {}, 'x')).status).toBe(200);
    from = methods.length;
    await unknown.release();
    expect(methods.slice(from).some((m) => m.startsWith('GET '))).toBe(true);
    expect(await ownerBuckets()).not.toContain(unknownBucket);
    expect(run.ledger.buckets()).toEqual([]);
  });

  it('clean up, with the admin key, a locked-out bucket an earlier run left', async () => {
    const { run, client } = clientFor();
    const { run: plainRun, client: plain } = clientFor({ edit: withoutAdmin });
    const name = `${run.ledger.prefix}-locked`;
    expect((await ownerRaw('PUT', name)).status).toBe(200);
    expect((await ownerRaw('PUT', name, 'a.txt', [], {}, 'left')).status).toBe(200);
    const policy = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Principal: ['*'], Resource: bucketAndObjects(name), Condition: { StringNotEquals: { 'oss:Prefix': 'x' } } }] });
    expect((await ownerRaw('PUT', name, undefined, [['policy', '']], {}, policy)).status).toBe(200);
    expect((await ownerRaw('DELETE', name, undefined, [['policy', '']])).status).toBe(403);
    // Without the admin key nothing gets through; with it, the bucket goes.
    const stuck = await plain.cleanup(run.ledger.prefix);
    expect(stuck.buckets).toBe(0);
    expect(stuck.failures).toHaveLength(1);
    expect(stuck.failures[0]).not.toContain(emulator.accounts.admin!.accessKeySecret);
    expect(plainRun.ledger.buckets()).toEqual([]);
    expect(await client.cleanup(run.ledger.prefix)).toEqual({ buckets: 1, objects: 1, failures: [] });
    expect(await ownerBuckets()).not.toContain(name);
  });

  it('address the bucket in the Host header with `addressing: virtual-host`, and sign with V1', async () => {
    const port = new URL(emulator.url).port;
    const { run, client } = clientFor({ edit: (y) => y.replace(/endpoint: .*/, `endpoint: http://localhost:${port}`).replace('addressing: path', 'addressing: virtual-host').replace('signature: v4', 'signature: v1') });
    expect(run.config.addressing).toBe('virtual-host');
    expect(run.config.signature).toBe('v1');
    const prepared = await ready(client, world({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', 'oss:ListObjects'], Principal: [ALICE], Resource: bucketAndObjects() }] }));
    expect(await prepared.observe({ principal: ALICE, action: 'oss:GetObject', object: 'dir/a b+c.txt' })).toEqual(allow);
    expect(await prepared.observe({ principal: ALICE, action: 'oss:ListObjects', context: { 'oss:Prefix': 'dir/' } })).toEqual(allow);
    expect(await prepared.observe({ principal: BOB, action: 'oss:GetObject', object: 'dir/a.txt' })).toEqual(implicitDeny);
    await prepared.release();
    expect(run.ledger.buckets()).toEqual([]);
    expect(() => clientFor({ edit: (y) => y.replace('addressing: path', 'addressing: virtual-host') })).toThrow(/virtual-host` needs a host name endpoint/);
  });
});

describe('cleanup', () => {
  it('removes every bucket under the prefix with its objects, and nothing else', async () => {
    const { run, client } = clientFor();
    const keep = `keep-${run.ledger.prefix.slice(-12).replace(/-/g, '')}`;
    expect((await ownerRaw('PUT', keep)).status).toBe(200);
    expect((await ownerRaw('PUT', keep, 'a.txt', [], {}, 'kept')).status).toBe(200);
    await ready(client, world({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [ALICE], Resource: bucketAndObjects() }] }));
    await ready(client, world());
    expect(run.ledger.buckets()).toHaveLength(2);
    const refused = await client.cleanup('bc');
    expect(refused.buckets).toBe(0);
    expect(refused.failures.join(' ')).toContain('not a run prefix');
    const summary = await client.cleanup(run.ledger.prefix);
    expect(summary).toEqual({ buckets: 2, objects: 2, failures: [] });
    expect(run.ledger.buckets()).toEqual([]);
    const buckets = await ownerBuckets();
    expect(buckets.filter((b) => b.startsWith(run.ledger.prefix))).toEqual([]);
    expect(buckets).toContain(keep);
    expect((await ownerRaw('GET', keep, 'a.txt')).status).toBe(200);
    expect(await client.cleanup(run.ledger.prefix)).toEqual({ buckets: 0, objects: 0, failures: [] });
  });
});

describe('faults and secrets', () => {
  it('a closed port is a fault: the world is unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const p = (server.address() as { port: number }).port;
        server.close(() => resolve(p));
      });
    });
    const { client } = clientFor({ edit: (y) => `${y.replace(/endpoint: .*/, `endpoint: http://127.0.0.1:${port}`)}limits: {attempts: 2, baseBackoffMs: 0}\n` });
    const prepared = await client.prepare(world());
    expect(prepared.kind).toBe('unreachable');
    expect(prepared.kind === 'unreachable' && prepared.error.code).toBe('ECONNREFUSED');
  });

  it('a fault while preparing removes what was created, then the world is unreachable', async () => {
    // A proxy that drops every PutBucketPolicy and forwards the rest to the emulator.
    const proxy = createHttpServer((req, res) => {
      if (req.method === 'PUT' && (req.url ?? '').includes('?policy')) {
        req.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = { ...req.headers } as Record<string, string>;
        delete headers['connection'];
        httpRequest(`${emulator.url}${req.url ?? '/'}`, { method: req.method as 'GET', headers, body: Buffer.concat(chunks) }).then(async (answer) => {
          const body = Buffer.from(await answer.body.arrayBuffer());
          res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/xml'), 'content-length': body.length });
          res.end(body);
        }, () => req.socket.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as { port: number }).port;
      const { run, client } = clientFor({ edit: (y) => `${y.replace(/endpoint: .*/, `endpoint: http://127.0.0.1:${port}`)}limits: {attempts: 2, baseBackoffMs: 0}\n` });
      const prepared = await client.prepare(world({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [ALICE], Resource: bucketAndObjects() }] }));
      expect(prepared.kind).toBe('unreachable');
      expect(prepared.kind === 'unreachable' && prepared.error.message).toContain('PutBucketPolicy');
      expect(run.ledger.buckets()).toEqual([]);
      expect((await ownerBuckets()).filter((b) => b.startsWith(run.ledger.prefix))).toEqual([]);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('refused credentials are not a decision, and no secret or AccessKey id appears in what the client lets go of', async () => {
    const target = emulatorTarget('alibaba-oss', emulator.url, emulator.accounts);
    // Every secret but the owner's is wrong: whoever ALICE stands for, the target refuses the signature.
    const ownerSecret = parseTargetConfig(target.yaml, 'target.yaml').owner.accessKeySecretEnv;
    const wrong = Object.fromEntries(Object.entries(target.env).map(([k, v]) => [k, k === ownerSecret ? v : `${v}-wrong`]));
    const { run, client } = clientFor({ env: wrong });
    const prepared = await ready(client, world({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [ALICE], Resource: bucketAndObjects() }] }));
    const refused = await prepared.observe({ principal: ALICE, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:AccessId': 'LTAIgenerated0001' } });
    expect(refused).toMatchObject({ kind: 'unreachable', error: { code: 'CREDENTIALS_REFUSED' } });
    const text = JSON.stringify(refused) + logs.join('\n');
    expect(text).toContain('SignatureDoesNotMatch');
    expect(run.redactor.leaks(text)).toEqual([]);
    for (const account of emulator.accounts.accounts) {
      expect(text).not.toContain(account.accessKeyId);
      expect(text).not.toContain(account.accessKeySecret);
    }
    await prepared.release();
  });
});

describe('policy text', () => {
  it('finds every string with its path, as JSON.parse reads the text, and nothing in a text that is not JSON', () => {
    const text = '{"Version":"1","Statement":[{"Principal":["a\\u0062c"],"Condition":{"StringEquals":{"acs:AccessId":"x"}}}]}';
    const tokens = jsonStrings(text)!;
    expect(tokens.filter((t) => !t.key).map((t) => [t.value, t.path])).toEqual([
      ['1', ['Version']],
      ['abc', ['Statement', 0, 'Principal', 0]],
      ['x', ['Statement', 0, 'Condition', 'StringEquals', 'acs:AccessId']],
    ]);
    for (const bad of ['{"a":1,}', '\uFEFF{}', '{"a":01}', '["\u0001"]', '{"a" 1}', '']) {
      expect(jsonStrings(bad), bad).toBeUndefined();
      expect(() => JSON.parse(bad), bad).toThrow();
    }
  });

  it('rewrites in place, keeps the rest byte for byte, and refuses a rewrite that crosses a size limit', () => {
    const text = '{ "Version" : "1", "Statement": [ {"Principal": "p", "Resource": ["r1", "r2"], "Condition": {"StringLike": {"acs:AccessId": "a*"}}} ] }';
    const out = rewritePolicyText(text, { principal: (v) => v.toUpperCase(), resource: (v) => `${v}!`, condition: () => ['A1', 'A2'] });
    expect(out).toEqual({ text: '{ "Version" : "1", "Statement": [ {"Principal": "P", "Resource": ["r1!", "r2!"], "Condition": {"StringLike": {"acs:AccessId": ["A1","A2"]}}} ] }' });
    const long = JSON.stringify({ Version: '1', Statement: [{ Resource: 'r'.repeat(10) }] });
    expect(rewritePolicyText(long, { principal: (v) => v, resource: (v) => `${v}xx`, condition: () => undefined }, { policyBytes: long.length + 1, fieldBytes: 100 })).toMatchObject({ problem: { code: 'POLICY_SIZE_CHANGED' } });
    expect(rewritePolicyText(long, { principal: (v) => v, resource: (v) => `${v}xx`, condition: () => undefined }, { policyBytes: 1000, fieldBytes: 11 })).toMatchObject({ problem: { code: 'POLICY_SIZE_CHANGED' } });
    expect(rewritePolicyText('not json', { principal: () => 'x', resource: () => 'x', condition: () => 'x' })).toEqual({ text: 'not json' });
  });

  it('makes up for a size difference across the limit in a value about another bucket, to the byte', () => {
    const policy = (pad: string) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Resource: ['mine/a', `other/${pad}`] }] });
    const text = policy('ü'.repeat(40));
    const limits = { policyBytes: Buffer.byteLength(text), fieldBytes: 4095 };
    const rewriter = { principal: (v: string) => v, resource: (v: string) => (v.startsWith('mine/') ? `prefix-${v}` : v), condition: () => undefined, spare: (v: string) => v.startsWith('other/') };
    const out = rewritePolicyText(text, rewriter, limits);
    expect('text' in out && Buffer.byteLength(out.text)).toBe(Buffer.byteLength(text));
    expect('text' in out && JSON.parse(out.text).Statement[0].Resource[0]).toBe('prefix-mine/a');
    expect('text' in out && JSON.parse(out.text).Statement[0].Resource[1]).toMatch(/^other\/ü+a*$/);
    // Without a spare value the rewrite is refused.
    expect(rewritePolicyText(text, { ...rewriter, spare: () => false }, limits)).toMatchObject({ problem: { code: 'POLICY_SIZE_CHANGED' } });
  });

  it('matches wildcards as documented: `*` any run, `?` one character, case-sensitive', () => {
    expect(globMatches('LTAI*', 'LTAIabc')).toBe(true);
    expect(globMatches('LTAI?bc', 'LTAIabc')).toBe(true);
    expect(globMatches('LTAI?', 'LTAIab')).toBe(false);
    expect(globMatches('ltai*', 'LTAIabc')).toBe(false);
    expect(globMatches('*c', 'abc')).toBe(true);
    expect(globMatches('a*b*c', 'aXbYc')).toBe(true);
  });
});

describe('conformance through the client', () => {
  it('passes the rules that the emulator can exercise with its default identities, as the reference does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bc-ali-client-'));
    try {
      const target = emulatorTarget('alibaba-oss', emulator.url, emulator.accounts);
      const file = join(dir, 'target.yaml');
      writeFileSync(file, target.yaml);
      Object.assign(process.env, target.env);
      const adapter = await createHttpAdapter({ targetConfig: file, vendor: 'alibaba-oss' });
      try {
        const { rules, tables } = await loadSpecSet({ specsDir: 'specs', properties: PROPERTIES });
        for (const id of ['ALI-DENY-FIRST', 'ALI-RESOURCE', 'ALI-WILDCARD-COND-OWNER', 'ALI-LIMIT-FIELD']) {
          const rule = rules.find((r) => r.vendor === 'alibaba-oss' && r.id === id)!;
          const http = await runRule(rule, adapter, PROPERTIES, { seed: 7, numRuns: 10, tables, targetName: 'http' });
          const ref = await runRule(rule, reference, PROPERTIES, { seed: 7, numRuns: 10, tables, targetName: 'reference' });
          expect(http.verdict, `${id}: ${http.message ?? ''}`).toBe('pass');
          expect(ref.verdict).toBe('pass');
        }
      } finally {
        await adapter.close();
      }
      expect(adapter.run?.ledger.buckets()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
