/**
 * The APS OSS client of the live HTTP adapter against an in-process emulator: capabilities from
 * the target file's apps, worlds built under the run prefix with their client ids mapped to real
 * apps, the same decisions as the reference target (request by request and rule by rule), the
 * limits of what a prefix and a finite set of apps can express (UNSUPPORTED_BUCKET_KEY,
 * NOT_ENOUGH_IDENTITIES), release and cleanup that remove everything under the prefix and
 * nothing else, faults as `unreachable`, and no secret in anything the client lets go of.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApsApi, TOKEN_SCOPES } from '../../../adapters/http/aps-oss/api.ts';
import { AppMap, endsFirst } from '../../../adapters/http/aps-oss/apps.ts';
import { BucketKeys } from '../../../adapters/http/aps-oss/bucket-keys.ts';
import { canonicalJson, createApsClient, NOT_ENOUGH_IDENTITIES, UNSUPPORTED_BUCKET_KEY } from '../../../adapters/http/aps-oss/client.ts';
import { basicAuthorization, tokenRequestBody } from '../../../adapters/http/aps-oss/wire.ts';
import { parseTargetConfig, type ResolvedIdentity, type TargetConfig } from '../../../adapters/http/config.ts';
import { createHttpAdapter } from '../../../adapters/http/http-adapter.ts';
import { createHttpRun } from '../../../adapters/http/run.ts';
import type { HttpRun, VendorClient } from '../../../adapters/http/types.ts';
import { createReferenceAdapter } from '../../../adapters/reference/reference-adapter.ts';
import type { Preparation, PreparedWorld } from '../../../adapters/types.ts';
import type { EmulatorAccounts } from '../../../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.ts';
import { emulatorTarget } from '../../../emulator/target-file.ts';
import { clientIdOf } from '../../../generators/aps-oss/index.ts';
import type { ApsRequest, ApsWorld } from '../../../model/aps-oss/types.ts';
import type { Observation } from '../../../model/outcome.ts';
import { PROPERTIES } from '../../../suites/properties/index.ts';
import { runRule } from '../../../suites/runner.ts';
import { loadSpecSet } from '../../../suites/spec/load.ts';

/** Twelve apps: enough for the stateful sequences (an owner, up to eight keys, two strangers). */
const ACCOUNTS: EmulatorAccounts = {
  accounts: [],
  apps: Array.from({ length: 12 }, (_, i) => ({ clientId: `apsClientTest${String(i + 1).padStart(2, '0')}`.padEnd(32, 'Q'), clientSecret: `aps-client-test-secret-${i + 1}` })),
};

let emulator: RunningEmulator;
const runs: HttpRun[] = [];
const logs: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'aps-client-test-'));

beforeAll(async () => {
  emulator = await startEmulator({ vendor: 'aps-oss', accounts: ACCOUNTS, log: () => {} });
});

/** Clients a test made, cleaned up after it as the adapter's close() does: worlds the client kept for reuse hold grants on the shared emulator. */
const open: { run: HttpRun; client: VendorClient }[] = [];

afterEach(async () => {
  // Best effort: some tests point their client at a closed port or a proxy that drops removals.
  for (const o of open.splice(0)) await o.client.cleanup(o.run.ledger.prefix);
});

afterAll(async () => {
  await Promise.all(runs.map((r) => r.transport.close()));
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

interface TargetOptions {
  /** How many of the emulator's apps the file names (the first is the owner). */
  apps?: number;
  anyClientId?: boolean;
  endpoint?: string;
  limits?: Record<string, number>;
}

/** The target file of the emulator, as parsed, and its secrets. */
function target(options: TargetOptions = {}): { config: TargetConfig; env: Record<string, string> } {
  const accounts = { accounts: [], apps: ACCOUNTS.apps.slice(0, options.apps ?? ACCOUNTS.apps.length) };
  const t = emulatorTarget('aps-oss', options.endpoint ?? emulator.url, accounts, { limits: { maxRequests: 1_000_000, ...options.limits } });
  const config = parseTargetConfig(t.yaml, 'aps-emulator.yaml');
  return { config: options.anyClientId === false ? { ...config, capabilities: [] } : config, env: t.env };
}

/** A run and its client against the emulator. */
function client(options: TargetOptions = {}): { run: HttpRun; client: VendorClient } {
  const { config, env } = target(options);
  const run = createHttpRun(config, { env, log: (line) => logs.push(line) });
  runs.push(run);
  const made = { run, client: createApsClient(run) };
  open.push(made);
  return made;
}

// ── raw HTTP against the emulator, as a separate client would see it ────────────────────────

async function rawToken(app: { clientId: string; clientSecret: string }): Promise<string> {
  const res = await fetch(`${emulator.url}/authentication/v2/token`, {
    method: 'POST',
    headers: { authorization: basicAuthorization(app.clientId, app.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(['bucket:create', 'bucket:read', 'bucket:delete', 'data:read', 'data:write', 'data:create']),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function raw(app: { clientId: string; clientSecret: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const token = await rawToken(app);
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/**
 * The bucket keys an app owns on the emulator. An app that holds a grant may not list
 * (APS-OWNER-ONLY-API, literal reading): `granted` says that a 403 is expected and means "none".
 */
async function bucketsOf(app: { clientId: string; clientSecret: string }, granted = false): Promise<string[]> {
  const reply = await raw(app, 'GET', '/oss/v2/buckets?region=US&limit=100');
  if (granted && reply.status === 403) return [];
  expect(reply.status).toBe(200);
  return (reply.body as { items: { bucketKey: string }[] }).items.map((i) => i.bucketKey);
}

/**
 * A loopback proxy to the emulator that forwards each request, drops it (the socket is closed
 * before the emulator sees it), or forwards it and loses the answer (closed after the emulator
 * applied it), as `rule` says.
 */
async function startProxy(rule: (req: IncomingMessage) => 'forward' | 'drop' | 'lose-answer'): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const what = rule(req);
    if (what === 'drop') {
      req.socket.destroy();
      return;
    }
    const up = httpRequest({ host: '127.0.0.1', port: emulator.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      if (what === 'lose-answer') {
        r.resume();
        r.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const OWNER = ACCOUNTS.apps[0]!;

// ── worlds ───────────────────────────────────────────────────────────────────────────────────

const O = 'OwnerAppQ7fK29xLqTzW8vYb3NcR7mHs1d';
const FULL = 'NLelvoE39K36qcxz1nxg3S4bJuXa1b2cHYafJfTxpZGY';
const READ = 'ReadKeyAppQm4T8zPw2Xc6Vb9Nl3Kj7Hg5';
const WRITE = 'WriteKeyAppR2y6Tu0Io4Pa8Sd3Fg7Hj1K';
const STRANGER = 'StrangerAppLk4Jh8Gf2Ds6Aq0Wz3Xs7Pe';

function sample(objects = true): ApsWorld {
  const world: ApsWorld = {
    vendor: 'aps-oss',
    bucket: { key: 'sample-bucket-with-allow', owner: O, policyKey: 'transient', allow: [{ authId: FULL, access: 'full' }, { authId: READ, access: 'read' }, { authId: WRITE, access: 'write' }] },
  };
  if (objects) world.objects = [{ key: 'owner.txt', uploadedBy: O }, { key: 'dir/full d.txt', uploadedBy: FULL }, { key: 'write.txt', uploadedBy: WRITE }];
  return world;
}

function ready(p: Preparation): PreparedWorld {
  if (p.kind !== 'ready') throw new Error(`expected a ready world, got ${JSON.stringify(p)}`);
  return p;
}

/** Decision, status and code: the shape the judge compares. */
function shape(o: Observation): string {
  if (o.kind === 'unreachable') return `unreachable ${o.error.code}`;
  return [o.decision, o.status, o.code, o.ec].filter((x) => x !== undefined).join(' ');
}

function prepShape(p: Preparation): string {
  if (p.kind === 'ready') return 'ready';
  if (p.kind === 'unreachable') return `unreachable ${p.error.code}`;
  return ['rejected', p.status, p.code, p.ec].filter((x) => x !== undefined).join(' ');
}

const reference = createReferenceAdapter();

/** Runs the same requests, in order, against the reference and the client; returns both transcripts. */
async function both(http: VendorClient, world: ApsWorld, requests: ApsRequest[]): Promise<{ ref: string[]; live: string[] }> {
  const r = ready(await reference.prepare(world));
  const l = ready(await http.prepare(world));
  const ref: string[] = [];
  const live: string[] = [];
  try {
    for (const q of requests) {
      ref.push(`${q.actor.slice(0, 6)} ${q.operation} ${q.object ?? q.payload?.bucketKey ?? q.bucket ?? ''}: ${shape(await r.observe(q))}`);
      live.push(`${q.actor.slice(0, 6)} ${q.operation} ${q.object ?? q.payload?.bucketKey ?? q.bucket ?? ''}: ${shape(await l.observe(q))}`);
    }
  } finally {
    await r.release();
    await l.release();
  }
  return { ref, live };
}

// ── tests ────────────────────────────────────────────────────────────────────────────────────

describe('APS client: capabilities', () => {
  it('claims the owner, apps from three up, the file\'s grant.any-client-id, and the status', async () => {
    expect([...(await client().client.capabilities())].sort()).toEqual(['grant.any-client-id', 'observe.status', 'principal.apps', 'principal.owner']);
    expect([...(await client({ apps: 3, anyClientId: false }).client.capabilities())].sort()).toEqual(['observe.status', 'principal.apps', 'principal.owner']);
    expect([...(await client({ apps: 2, anyClientId: false }).client.capabilities())].sort()).toEqual(['observe.status', 'principal.owner']);
  });

  it('never claims what an APS request cannot carry or a live target cannot show', async () => {
    const features = await client().client.capabilities();
    for (const c of ['request.current-time', 'request.secure-transport', 'observe.explanation', 'principal.log-delivery', 'bucket.vector', 'policy', 'acl', 'request.source-ip'] as const) expect(features.has(c)).toBe(false);
  });

  it('sends every APS operation, from loopback addresses', async () => {
    const { client: c } = client();
    expect([...c.actions!()].sort()).toEqual(['createBucket', 'deleteBucket', 'deleteObject', 'downloadObject', 'getBucketDetails', 'getBucketObjects', 'getBuckets', 'getObjectDetails', 'uploadObject']);
    expect(await c.sourceAddresses!()).toEqual({ v4: '127.0.0.0/8' });
  });
});

describe('APS client: tokens', () => {
  it('gets one token per app with every scope the routes take, and a new one shortly before it expires', async () => {
    const { run } = client({ apps: 3 });
    const api = new ApsApi(run);
    expect([...TOKEN_SCOPES].sort()).toEqual(['bucket:create', 'bucket:delete', 'bucket:read', 'data:create', 'data:read', 'data:write', 'viewables:read']);
    const first = await api.token(run.owner);
    const again = await api.token(run.owner);
    expect(first.kind === 'token' && again.kind === 'token' && first.token === again.token).toBe(true);
    expect(run.transport.stats.requests).toBe(1);
    // The emulator's tokens live 3599 s; 55 minutes later the client is within its margin (60 s) ... not yet.
    const start = Date.now();
    api.now = () => start + 3_500_000;
    await api.token(run.owner);
    expect(run.transport.stats.requests).toBe(1);
    api.now = () => start + 3_550_000;
    const renewed = await api.token(run.owner);
    expect(run.transport.stats.requests).toBe(2);
    expect(renewed.kind === 'token' && first.kind === 'token' && renewed.token !== first.token).toBe(true);
    // Tokens are secrets of the run.
    expect(run.redactor.redact(`Bearer ${first.kind === 'token' ? first.token : ''}`)).not.toContain(first.kind === 'token' ? first.token : 'x');
  });

  it('says which app the token endpoint refused, without its secret', async () => {
    const { config, env: right } = target({ apps: 2 });
    const env = Object.fromEntries(Object.keys(right).map((name, i) => [name, `wrong-secret-of-app-${i + 1}`]));
    const run = createHttpRun(config, { env });
    runs.push(run);
    const p = ready(await createApsClient(run).prepare({ vendor: 'aps-oss' }));
    const o = await p.observe({ actor: O, operation: 'getBuckets' });
    expect(o.kind === 'unreachable' && o.error.code).toBe('APS_TOKEN_REFUSED');
    expect(JSON.stringify(o)).not.toContain('wrong-secret');
  });
});

describe('APS client: building worlds', () => {
  it('creates the world\'s bucket under the prefix with real apps in its allow list, and uploads its objects as their uploaders', async () => {
    const { run, client: c } = client();
    const p = ready(await c.prepare(sample()));
    try {
      const mine = (await bucketsOf(OWNER)).filter((b) => b.startsWith(run.ledger.prefix));
      expect(mine).toEqual([`${run.ledger.prefix}0-sample-bucket-with-allow`]);
      expect(run.ledger.buckets()).toEqual(mine);
      const details = await raw(OWNER, 'GET', `/oss/v2/buckets/${mine[0]}/details`);
      const permissions = (details.body as { permissions: { authId: string; access: string }[] }).permissions;
      const real = new Set(ACCOUNTS.apps.map((a) => a.clientId));
      // The owner, then the three keys, each a real app of the target, none the world's logical id.
      expect(permissions.map((x) => x.access)).toEqual(['full', 'full', 'read', 'write']);
      expect(permissions.every((x) => real.has(x.authId))).toBe(true);
      expect(new Set(permissions.map((x) => x.authId)).size).toBe(4);
      expect(permissions[0]!.authId).toBe(OWNER.clientId);
      const objects = await raw(OWNER, 'GET', `/oss/v2/buckets/${mine[0]}/objects?limit=100`);
      expect((objects.body as { items: { objectKey: string }[] }).items.map((i) => i.objectKey).sort()).toEqual(['dir/full d.txt', 'owner.txt', 'write.txt']);
      // Each object is its uploader's: the full key reads its own, not the write key's.
      expect(shape(await p.observe({ actor: FULL, operation: 'downloadObject', object: 'dir/full d.txt' }))).toBe('allow 200');
      expect(shape(await p.observe({ actor: FULL, operation: 'downloadObject', object: 'write.txt' }))).toBe('deny 403');
    } finally {
      await p.release();
    }
  });

  it('gives each world a prefix of its own', async () => {
    const { run, client: c } = client();
    const a = ready(await c.prepare(sample(false)));
    const b = ready(await c.prepare(sample(false)));
    expect(run.ledger.buckets().sort()).toEqual([`${run.ledger.prefix}0-sample-bucket-with-allow`, `${run.ledger.prefix}1-sample-bucket-with-allow`]);
    await a.release();
    await b.release();
    // Both worlds are unchanged: the first is kept for an equal world, the second (equal, and one is kept) is removed.
    expect(run.ledger.buckets()).toEqual([`${run.ledger.prefix}0-sample-bucket-with-allow`]);
    expect(await c.cleanup(run.ledger.prefix)).toMatchObject({ buckets: 1, failures: [] });
    expect(run.ledger.buckets()).toEqual([]);
  });

  it('reports a bucket the target refuses as rejected, with the reference\'s status, and creates nothing', async () => {
    const { run, client: c } = client();
    const allow = Array.from({ length: 61 }, (_, i) => ({ authId: clientIdOf(i + 100), access: 'read' }));
    const cases: ApsWorld[] = [
      { vendor: 'aps-oss', bucket: { key: 'sixty-one-keys', owner: O, policyKey: 'transient', allow } },
      { vendor: 'aps-oss', bucket: { key: 'bad-level', owner: O, policyKey: 'transient', allow: [{ authId: READ, access: 'admin' }] } },
      { vendor: 'aps-oss', bucket: { key: 'bad-policy', owner: O, policyKey: 'forever' } },
    ];
    for (const world of cases) {
      const live = await c.prepare(world);
      expect(prepShape(live)).toBe(prepShape(await reference.prepare(world)));
      expect(prepShape(live)).toBe('rejected 400');
    }
    expect(run.ledger.buckets()).toEqual([]);
    expect((await bucketsOf(OWNER)).filter((b) => b.startsWith(run.ledger.prefix))).toEqual([]);
  });
});

describe('APS client: decisions', () => {
  it('observes an allowed and a denied request as the reference does', async () => {
    const { client: c } = client();
    const p = ready(await c.prepare(sample()));
    try {
      // APS-READ-OWN / APS-FULL-OWN: a full key downloads its own upload; APS-NO-CROSS-READ: not the owner's.
      expect(shape(await p.observe({ actor: FULL, operation: 'downloadObject', object: 'dir/full d.txt' }))).toBe('allow 200');
      expect(shape(await p.observe({ actor: FULL, operation: 'downloadObject', object: 'owner.txt' }))).toBe('deny 403');
      // A missing object is still an access decision: 404 for a level that may read.
      expect(shape(await p.observe({ actor: O, operation: 'getObjectDetails', object: 'nothing-here.txt' }))).toBe('deny 404');
      // A taken key: 409; a stranger's bucket details: 403.
      expect(shape(await p.observe({ actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'sample-bucket-with-allow', policyKey: 'transient' } }))).toBe('deny 409');
      expect(shape(await p.observe({ actor: STRANGER, operation: 'getBucketDetails' }))).toBe('deny 403');
    } finally {
      await p.release();
    }
  });

  it('agrees with the reference on every operation, role and target of the sample world', async () => {
    const { client: c } = client();
    const requests: ApsRequest[] = [];
    for (const actor of [O, FULL, READ, WRITE, STRANGER]) {
      requests.push({ actor, operation: 'getBuckets' }, { actor, operation: 'getBucketDetails' }, { actor, operation: 'getBucketObjects' });
      for (const object of ['owner.txt', 'dir/full d.txt', 'write.txt', 'missing.txt']) {
        requests.push({ actor, operation: 'getObjectDetails', object }, { actor, operation: 'downloadObject', object });
      }
    }
    const read = await both(c, sample(), requests);
    expect(read.live).toEqual(read.ref);
    // Requests that change the world, each on a fresh one.
    for (const actor of [O, FULL, READ, WRITE, STRANGER]) {
      const single: ApsRequest[] = [
        { actor, operation: 'deleteBucket' },
        { actor, operation: 'createBucket', payload: { bucketKey: 'fresh-key', policyKey: 'transient' } },
        { actor, operation: 'createBucket', payload: { bucketKey: 'sample-bucket-with-allow', policyKey: 'transient' } },
        ...['owner.txt', 'dir/full d.txt', 'write.txt', 'missing.txt'].flatMap((object): ApsRequest[] => [
          { actor, operation: 'uploadObject', object },
          { actor, operation: 'deleteObject', object },
        ]),
      ];
      for (const q of single) {
        const one = await both(c, sample(), [q]);
        expect(one.live).toEqual(one.ref);
      }
    }
  });

  it('follows a stateful sequence: buckets that requests create carry the world prefix, are in the ledger, and act as the reference\'s', async () => {
    const { run, client: c } = client();
    const requests: ApsRequest[] = [
      { actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'stranger-bucket', policyKey: 'transient', allow: [{ authId: READ, access: 'write' }, { authId: 'NeverActsQ3w8E5r2T6y9U1i4O7p0A3s6D', access: 'full' }] } },
      { actor: READ, operation: 'uploadObject', bucket: 'stranger-bucket', object: 'r.txt' },
      { actor: READ, operation: 'downloadObject', bucket: 'stranger-bucket', object: 'r.txt' },
      { actor: STRANGER, operation: 'downloadObject', bucket: 'stranger-bucket', object: 'r.txt' },
      { actor: READ, operation: 'getBuckets' },
      { actor: STRANGER, operation: 'getBuckets' },
      { actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'Not-Valid', policyKey: 'transient' } },
      { actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'too-many', policyKey: 'transient', allow: Array.from({ length: 61 }, (_, i) => ({ authId: clientIdOf(i), access: 'read' })) } },
      { actor: STRANGER, operation: 'deleteBucket', bucket: 'stranger-bucket' },
      { actor: STRANGER, operation: 'deleteBucket', bucket: 'stranger-bucket' },
      { actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'stranger-bucket', policyKey: 'transient' } },
      { actor: READ, operation: 'uploadObject', bucket: 'stranger-bucket', object: 'r.txt' },
      { actor: O, operation: 'deleteObject', object: 'write.txt' },
      { actor: O, operation: 'deleteBucket' },
      { actor: O, operation: 'getBucketDetails' },
    ];
    const r = ready(await reference.prepare(sample()));
    const l = ready(await c.prepare(sample()));
    const prefix = `${run.ledger.prefix}0-`;
    let mappedStranger: string | undefined;
    try {
      for (const [i, q] of requests.entries()) {
        expect(`${i} ${shape(await l.observe(q))}`).toBe(`${i} ${shape(await r.observe(q))}`);
        if (i === 0) {
          // The stranger's new bucket: under the world prefix, in the ledger, owned by a real app.
          expect(run.ledger.buckets().sort()).toEqual([`${prefix}sample-bucket-with-allow`, `${prefix}stranger-bucket`]);
          for (const app of ACCOUNTS.apps) if ((await bucketsOf(app, true)).includes(`${prefix}stranger-bucket`)) mappedStranger = app.clientId;
          expect(mappedStranger).toBeDefined();
          expect(mappedStranger).not.toBe(OWNER.clientId);
        }
      }
      // What the requests deleted left the ledger; release has nothing left to do.
      expect(run.ledger.buckets()).toEqual([]);
    } finally {
      await l.release();
      await r.release();
    }
    const strangerApp = ACCOUNTS.apps.find((a) => a.clientId === mappedStranger)!;
    expect((await bucketsOf(strangerApp)).filter((b) => b.startsWith(prefix))).toEqual([]);
  });

  it('maps generated client ids: the id the allow list names is allowed, another is denied', async () => {
    const { client: c } = client();
    const granted = clientIdOf(7);
    const other = clientIdOf(8);
    const world: ApsWorld = { vendor: 'aps-oss', bucket: { key: 'mapped-ids', owner: clientIdOf(6), policyKey: 'transient', allow: [{ authId: granted, access: 'write' }] } };
    const result = await both(c, world, [
      { actor: granted, operation: 'uploadObject', object: 'mine.txt' },
      { actor: other, operation: 'uploadObject', object: 'theirs.txt' },
      { actor: granted, operation: 'deleteObject', object: 'mine.txt' },
    ]);
    expect(result.live).toEqual(result.ref);
    expect(result.live.map((l) => l.split(': ')[1])).toEqual(['allow 200', 'deny 403', 'allow 200']);
  });

  it('agrees with the reference rule for rule on a handful of rules, through the adapter', async () => {
    const t = emulatorTarget('aps-oss', emulator.url, ACCOUNTS, { limits: { maxRequests: 1_000_000 } });
    const file = join(dir, 'agree.yaml');
    writeFileSync(file, t.yaml);
    Object.assign(process.env, t.env);
    const http = await createHttpAdapter({ targetConfig: file, vendor: 'aps-oss' });
    const { rules, tables } = await loadSpecSet({ specsDir: join(import.meta.dirname, '../../../specs'), properties: PROPERTIES });
    const rule = (id: string) => rules.find((r) => r.id === id && r.vendor === 'aps-oss')!;
    const options = { seed: 7, numRuns: 3, tables, targetName: 'http' };
    try {
      for (const id of ['APS-READ-OWN', 'APS-WRITE-NO-READ', 'APS-GRANT-LIMIT', 'APS-GRANT-ACCESS-VALUES.error', 'APS-GRANT-CREATE', 'X-ORDER']) {
        const live = await runRule(rule(id), http, PROPERTIES, options);
        const ref = await runRule(rule(id), reference, PROPERTIES, options);
        expect(`${id} ${live.verdict} ${live.message ?? ''}`).toBe(`${id} ${ref.verdict} ${ref.message ?? ''}`);
        expect(live.verdict).toBe('pass');
      }
      // The stateful run: the same verdict, unless a step drew a bucket key shorter than three
      // characters, which no key under the run prefix can be (UNSUPPORTED_BUCKET_KEY).
      const live = await runRule(rule('APS-NO-REVOKE'), http, PROPERTIES, options);
      const faults = live.checks.flatMap((c) => c.faults ?? []).map((f) => f.code);
      expect(live.verdict === 'pass' || (live.verdict === 'inconclusive' && faults.every((f) => f === UNSUPPORTED_BUCKET_KEY)), live.message).toBe(true);
    } finally {
      await http.close();
    }
    expect(http.run!.ledger.buckets()).toEqual([]);
    for (const app of ACCOUNTS.apps) expect((await bucketsOf(app)).filter((b) => b.startsWith(http.run!.ledger.prefix))).toEqual([]);
  });
});

describe('APS client: what a prefix and a set of apps cannot express', () => {
  it('keeps a createBucket key as valid as it was, 128 characters included, and says when it cannot', async () => {
    const { run, client: c } = client();
    const k128 = `long-bucket-key-${'abcdefghij0123456789'.repeat(6)}ab`.slice(0, 128);
    expect(k128).toHaveLength(128);
    const p = ready(await c.prepare({ vendor: 'aps-oss' }));
    try {
      expect(shape(await p.observe({ actor: STRANGER, operation: 'createBucket', payload: { bucketKey: k128, policyKey: 'transient' } }))).toBe('allow 200');
      const created = run.ledger.buckets();
      expect(created).toHaveLength(1);
      expect(created[0]).toHaveLength(128);
      expect(created[0]!.startsWith(run.ledger.prefix)).toBe(true);
      expect(shape(await p.observe({ actor: STRANGER, operation: 'createBucket', payload: { bucketKey: `${k128}x`, policyKey: 'transient' } }))).toBe('rejected 400');
      expect(shape(await p.observe({ actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'sample bucket', policyKey: 'transient' } }))).toBe('rejected 400');
      // Two characters is invalid, but any key under the prefix is longer: not a question the run can ask.
      expect(shape(await p.observe({ actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'ab', policyKey: 'transient' } }))).toBe(`unreachable ${UNSUPPORTED_BUCKET_KEY}`);
    } finally {
      await p.release();
    }
    expect(run.ledger.buckets()).toEqual([]);
  });

  it('maps bucket keys injectively and keeps their validity', () => {
    const keys = new BucketKeys('bcrun-abc123-wxyz-q0-');
    expect(keys.real('b1', 'name')).toEqual({ kind: 'key', key: 'bcrun-abc123-wxyz-q0-b1' });
    expect(keys.real('b1', 'create').kind).toBe('unsupported');
    expect(keys.real('Upper', 'create')).toEqual({ kind: 'key', key: 'bcrun-abc123-wxyz-q0-Upper' });
    const long = 'x'.repeat(120);
    const real = keys.real(long, 'create');
    expect(real.kind === 'key' && real.key.length === 120 && real.key.startsWith('bcrun-abc123-wxyz-q0-')).toBe(true);
    expect(keys.real(long, 'name')).toEqual(real);
    // Another long key with the same tail would take the same real key: refused, never shared.
    expect(keys.real(`y${'x'.repeat(119)}`, 'create').kind).toBe('unsupported');
    expect(keys.real('x'.repeat(129), 'create')).toEqual({ kind: 'key', key: `bcrun-abc123-wxyz-q0-${'x'.repeat(129)}` });
  });

  it('gives apps to the ends of a long allow list first, and never grants a real app\'s id verbatim', () => {
    expect(endsFirst(5)).toEqual([0, 4, 1, 3, 2]);
    const apps = ['A', 'B', 'C'].map((id): ResolvedIdentity => ({ kind: 'app', clientId: id, clientSecret: 'x', where: 'f:1:1' }));
    const map = new AppMap(apps[0]!, apps.slice(1), true);
    map.bindOwner('owner');
    expect(map.grantee('k1', 1)).toBe('B');
    expect(map.grantee('k2', 1)).toBe('k2');
    expect(map.grantee('C', 1)).toBe('C');
    expect(map.appOf('C')).toBe(apps[2]);
    expect(map.actor('k2', 'acts')).toHaveProperty('shortage');
    expect(map.actor('owner', 'acts')).toBe(apps[0]);
    const strict = new AppMap(apps[0]!, apps.slice(1, 2), false);
    expect(strict.grantee('k1', 1)).toBe('B');
    expect(strict.grantee('k2', 0)).toBeUndefined();
  });

  it('is NOT_ENOUGH_IDENTITIES when the world needs more apps than the file gives', async () => {
    // Three uploaders besides the owner, on a target of three apps.
    const { run, client: few } = client({ apps: 3 });
    const world: ApsWorld = {
      vendor: 'aps-oss',
      bucket: { key: 'crowded', owner: O, allow: [{ authId: FULL, access: 'full' }, { authId: WRITE, access: 'write' }, { authId: 'ThirdKeyQ1w2E3r4T5y6U7i8O9p0A1s2D3', access: 'full' }] },
      objects: [{ key: 'a', uploadedBy: FULL }, { key: 'b', uploadedBy: WRITE }, { key: 'c', uploadedBy: 'ThirdKeyQ1w2E3r4T5y6U7i8O9p0A1s2D3' }],
    };
    expect(prepShape(await few.prepare(world))).toBe(`unreachable ${NOT_ENOUGH_IDENTITIES}`);
    // Without grant.any-client-id, every grantee needs an app.
    const { client: strict } = client({ apps: 3, anyClientId: false });
    expect(prepShape(await strict.prepare(sample(false)))).toBe(`unreachable ${NOT_ENOUGH_IDENTITIES}`);
    // With it, the grantees without an app are sent verbatim; if one acts, that request is inconclusive.
    const p = ready(await few.prepare(sample(false)));
    const seen: string[] = [];
    try {
      for (const k of [FULL, WRITE, READ]) seen.push(shape(await p.observe({ actor: k, operation: 'uploadObject', object: `${k}.txt` })));
    } finally {
      await p.release();
    }
    // Apps go to the ends of the list first (FULL, then WRITE), one app is kept for a stranger:
    // FULL has an app, WRITE was granted verbatim. An upload not made leaves the world unlike the
    // expected one, so what follows is inconclusive too.
    expect(seen).toEqual(['allow 200', `unreachable ${NOT_ENOUGH_IDENTITIES}`, 'unreachable WORLD_STATE_UNKNOWN']);
    expect(run.ledger.buckets()).toEqual([]);
  });
});

describe('APS client: release and cleanup', () => {
  it('cleanup removes what is left under the prefix, objects and request-created buckets included, and nothing else', async () => {
    const { run, client: c } = client();
    const outsider = `not-the-run-${Date.now().toString(36)}`;
    expect((await raw(OWNER, 'POST', '/oss/v2/buckets', { bucketKey: outsider, policyKey: 'transient' })).status).toBe(200);
    const p = ready(await c.prepare(sample()));
    await p.observe({ actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'left-behind', policyKey: 'transient', allow: [{ authId: WRITE, access: 'write' }] } });
    await p.observe({ actor: WRITE, operation: 'uploadObject', bucket: 'left-behind', object: 'w.txt' });
    expect(run.ledger.buckets()).toHaveLength(2);
    // No release: what an interrupted run leaves.
    const summary = await c.cleanup(run.ledger.prefix);
    expect(summary).toEqual({ buckets: 2, objects: 4, failures: [] });
    expect(run.ledger.buckets()).toEqual([]);
    for (const app of ACCOUNTS.apps) expect((await bucketsOf(app)).filter((b) => b.startsWith(run.ledger.prefix))).toEqual([]);
    expect(await bucketsOf(OWNER)).toContain(outsider);
    // A later sweep by run prefix finds nothing; a prefix that is not a run's is refused outright.
    expect(await c.cleanup(run.runPrefix)).toEqual({ buckets: 0, objects: 0, failures: [] });
    const refused = await c.cleanup('not-');
    expect(refused.buckets).toBe(0);
    expect(refused.failures[0]).toMatch(/not a run prefix/);
    expect(await bucketsOf(OWNER)).toContain(outsider);
    await raw(OWNER, 'DELETE', `/oss/v2/buckets/${outsider}`);
  });

  it('release is safe to call twice, and a released world observes nothing', async () => {
    const { run, client: c } = client();
    const p = ready(await c.prepare(sample()));
    await p.release();
    await p.release();
    // Unchanged, so kept for an equal world; a world an allowed request changed is removed.
    expect(run.ledger.buckets()).toHaveLength(1);
    expect(shape(await p.observe({ actor: O, operation: 'getBucketDetails' }))).toBe('unreachable RELEASED');
    const q = ready(await c.prepare(sample()));
    expect(shape(await q.observe({ actor: O, operation: 'deleteObject', object: 'owner.txt' }))).toBe('allow 200');
    await q.release();
    await q.release();
    expect(run.ledger.buckets()).toEqual([]);
  });
});

describe('APS client: reusing worlds', () => {
  /** The sample world with every object's keys in another order: equal content, other text. */
  function reordered(): ApsWorld {
    const w = sample();
    const reverse = (o: object): object => Object.fromEntries(Object.entries(o).reverse());
    return { objects: w.objects!.map((o) => reverse(o)), bucket: { ...reverse(w.bucket!), allow: w.bucket!.allow!.map((g) => reverse(g)) }, vendor: 'aps-oss' } as ApsWorld;
  }

  it('keys worlds by content', () => {
    expect(canonicalJson(reordered())).toBe(canonicalJson(sample()));
    expect(JSON.stringify(reordered())).not.toBe(JSON.stringify(sample()));
    // Array order is content: it decides which app each id gets.
    const swapped = sample();
    swapped.objects!.reverse();
    expect(canonicalJson(swapped)).not.toBe(canonicalJson(sample()));
  });

  it('gives an equal world the unchanged world of an earlier case without a request, and builds anew one that an allowed upload changed', async () => {
    const { run, client: c } = client();
    const reads: ApsRequest[] = [
      { actor: FULL, operation: 'downloadObject', object: 'dir/full d.txt' },
      { actor: FULL, operation: 'downloadObject', object: 'write.txt' },
      { actor: STRANGER, operation: 'getBucketDetails' },
      // Denied or refused requests of the state-changing operations change nothing.
      { actor: READ, operation: 'uploadObject', object: 'read.txt' },
      { actor: STRANGER, operation: 'deleteObject', object: 'owner.txt' },
      { actor: WRITE, operation: 'deleteBucket' },
      { actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'sample-bucket-with-allow', policyKey: 'transient' } },
    ];
    const before = run.transport.stats.requests;
    const first = await both(c, sample(), reads);
    expect(first.live).toEqual(first.ref);
    const built = run.transport.stats.requests - before;
    const kept = run.ledger.buckets();
    expect(kept).toEqual([`${run.ledger.prefix}0-sample-bucket-with-allow`]);
    expect((await bucketsOf(OWNER)).filter((b) => b.startsWith(run.ledger.prefix))).toEqual(kept);

    // The equal world (keys in another order) takes the kept one: no request to build it, the same answers.
    const start = run.transport.stats.requests;
    const p = ready(await c.prepare(reordered()));
    expect(run.transport.stats.requests).toBe(start);
    expect(run.ledger.buckets()).toEqual(kept);
    const seen: string[] = [];
    for (const q of reads) seen.push(`${q.actor.slice(0, 6)} ${q.operation} ${q.object ?? q.payload?.bucketKey ?? q.bucket ?? ''}: ${shape(await p.observe(q))}`);
    expect(seen).toEqual(first.ref);
    // A stranger of this case is not the stranger of the earlier one, and gets no grant from it.
    expect(shape(await p.observe({ actor: 'AnotherStrangerQ1w2E3r4T5y6U7i8O9p', operation: 'getBucketDetails' }))).toBe('deny 403');
    expect(shape(await p.observe({ actor: 'AnotherStrangerQ1w2E3r4T5y6U7i8O9p', operation: 'downloadObject', object: 'owner.txt' }))).toBe('deny 403');
    // An allowed upload of an object the world did not have is undone at release (one DELETE), and the world kept.
    expect(shape(await p.observe({ actor: WRITE, operation: 'uploadObject', object: 'new.txt' }))).toBe('allow 200');
    const undoing = run.transport.stats.requests;
    await p.release();
    expect(run.transport.stats.requests - undoing).toBe(1);
    expect(run.ledger.buckets()).toEqual(kept);

    // The next equal world takes it without the upload, as the reference has it.
    const asked: ApsRequest = { actor: O, operation: 'getObjectDetails', object: 'new.txt' };
    const taking = run.transport.stats.requests;
    const q = ready(await c.prepare(sample()));
    expect(run.transport.stats.requests).toBe(taking);
    expect(shape(await q.observe(asked))).toBe(shape(await ready(await reference.prepare(sample())).observe(asked)));
    expect(shape(await q.observe(asked))).toBe('deny 404');
    // An allowed overwrite changes the world (not undone): it is removed at release, not kept.
    expect(shape(await q.observe({ actor: WRITE, operation: 'uploadObject', object: 'write.txt' }))).toBe('allow 200');
    await q.release();
    expect(run.ledger.buckets()).toEqual([]);
    expect((await bucketsOf(OWNER)).filter((b) => b.startsWith(run.ledger.prefix))).toEqual([]);

    // So the next equal world is built again, with as many requests as the first time, under a prefix of its own.
    const again = run.transport.stats.requests;
    const r = ready(await c.prepare(sample()));
    try {
      expect(run.transport.stats.requests - again).toBeGreaterThanOrEqual(1 + 3 * 3);
      expect(run.ledger.buckets()).toEqual([`${run.ledger.prefix}1-sample-bucket-with-allow`]);
    } finally {
      await r.release();
    }
    expect(built).toBeGreaterThan(0);
  });

  it('removes a kept world whose grants would decide another world\'s account operation', async () => {
    const { run, client: c } = client();
    const p = ready(await c.prepare(sample(false)));
    await p.release();
    expect(run.ledger.buckets()).toHaveLength(1);
    // In a world without grants, the first app that acts is the app the kept world granted FULL:
    // the reference knows no grant of it, and lists its buckets (APS-OWNER-ONLY-API, literal reading).
    const plain: ApsWorld = { vendor: 'aps-oss', bucket: { key: 'plain', owner: O, policyKey: 'transient' } };
    const q = ready(await c.prepare(plain));
    const request: ApsRequest = { actor: STRANGER, operation: 'getBuckets' };
    expect(shape(await q.observe(request))).toBe(shape(await ready(await reference.prepare(plain)).observe(request)));
    expect(shape(await q.observe(request))).toBe('allow 200');
    expect(run.ledger.buckets()).toEqual([`${run.ledger.prefix}1-plain`]);
    await q.release();
  });

  it('keeps at most POOL_SIZE worlds, removing the least recently used', async () => {
    const { run, client: c } = client();
    const world = (i: number): ApsWorld => ({ vendor: 'aps-oss', bucket: { key: `kept-${i}`, owner: O, policyKey: 'transient' } });
    for (let i = 0; i <= 32; i++) await ready(await c.prepare(world(i))).release();
    const kept = run.ledger.buckets();
    expect(kept).toHaveLength(32);
    expect(kept.some((b) => b.endsWith('-kept-0'))).toBe(false);
    expect(kept.some((b) => b.endsWith('-kept-32'))).toBe(true);
    const summary = await c.cleanup(run.ledger.prefix);
    expect(summary).toEqual({ buckets: 32, objects: 0, failures: [] });
    expect(run.ledger.buckets()).toEqual([]);
  });
});

describe('APS client: faults and secrets', () => {
  it('is unreachable when the target is not there, and throws nothing', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const { run, client: c } = client({ endpoint: `http://127.0.0.1:${closed}`, limits: { attempts: 2, baseBackoffMs: 0 } });
    const p = await c.prepare(sample());
    expect(prepShape(p)).toBe('unreachable ECONNREFUSED');
    const { client: other } = client({ endpoint: `http://127.0.0.1:${closed}`, limits: { attempts: 2, baseBackoffMs: 0 } });
    const empty = ready(await other.prepare({ vendor: 'aps-oss' }));
    const o = await empty.observe({ actor: O, operation: 'getBuckets' });
    expect(o.kind).toBe('unreachable');
    expect(o.kind === 'unreachable' && o.error.code).toBe('ECONNREFUSED');
    // Cleanup says what it could not do, and throws nothing either.
    const summary = await c.cleanup(run.ledger.prefix);
    expect(summary.buckets).toBe(0);
  });

  it('removes what it created when a fault interrupts a world half built', async () => {
    // Every upload completion (POST .../signeds3upload) is dropped before it reaches the emulator.
    const proxy = await startProxy((req) => (req.method === 'POST' && /\/signeds3upload$/.test(req.url ?? '') ? 'drop' : 'forward'));
    try {
      const { run, client: c } = client({ endpoint: proxy.url, limits: { attempts: 2, baseBackoffMs: 0 } });
      const p = await c.prepare(sample());
      expect(p.kind).toBe('unreachable');
      expect(run.ledger.buckets()).toEqual([]);
      expect((await bucketsOf(OWNER)).filter((b) => b.startsWith(run.ledger.prefix))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('keeps a world bucket whose creation was applied before its answer was lost', async () => {
    // The first bucket creation reaches the emulator, and its answer is cut off: the retry gets 409.
    let cut = 0;
    const proxy = await startProxy((req) => (req.method === 'POST' && /\/oss\/v2\/buckets$/.test(req.url ?? '') && cut++ === 0 ? 'lose-answer' : 'forward'));
    try {
      const { run, client: c } = client({ endpoint: proxy.url, limits: { attempts: 3, baseBackoffMs: 0 } });
      const p = ready(await c.prepare(sample()));
      expect(cut).toBeGreaterThan(1);
      expect(run.ledger.buckets()).toEqual([`${run.ledger.prefix}0-sample-bucket-with-allow`]);
      expect(shape(await p.observe({ actor: FULL, operation: 'downloadObject', object: 'dir/full d.txt' }))).toBe('allow 200');
      await p.release();
      // Unchanged: kept for an equal world until the end of the run (removed here, while the proxy still forwards).
      expect(run.ledger.buckets()).toHaveLength(1);
      expect((await c.cleanup(run.ledger.prefix)).failures).toEqual([]);
      expect(run.ledger.buckets()).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('after a fault in a request that changes the world, calls the rest inconclusive; a bucket it could not remove keeps its grantees out of account operations', async () => {
    let dropDeletes = false;
    let dropUploads = false;
    const proxy = await startProxy((req) => ((dropDeletes && req.method === 'DELETE') || (dropUploads && req.method === 'POST' && /\/signeds3upload$/.test(req.url ?? '')) ? 'drop' : 'forward'));
    try {
      const { run, client: c } = client({ endpoint: proxy.url, limits: { attempts: 2, baseBackoffMs: 0 } });
      const p = ready(await c.prepare(sample(false)));
      dropUploads = true;
      expect(shape(await p.observe({ actor: WRITE, operation: 'uploadObject', object: 'w.txt' }))).toMatch(/^unreachable /);
      expect(shape(await p.observe({ actor: O, operation: 'getBucketDetails' }))).toBe('unreachable WORLD_STATE_UNKNOWN');
      dropUploads = false;
      // Its release fails: the bucket stays, and its keys stay granted keys on the target.
      dropDeletes = true;
      await p.release();
      expect(run.ledger.buckets()).toHaveLength(1);
      const q = ready(await c.prepare({ vendor: 'aps-oss' }));
      // In the new world, the first app that acts is the first app the old world granted.
      expect(shape(await q.observe({ actor: STRANGER, operation: 'getBuckets' }))).toBe('unreachable LEFTOVER_GRANT');
      await q.release();
      // Once removals go through again, the next world sweeps the leftover first.
      dropDeletes = false;
      const r = ready(await c.prepare({ vendor: 'aps-oss' }));
      expect(run.ledger.buckets()).toEqual([]);
      expect(shape(await r.observe({ actor: STRANGER, operation: 'getBuckets' }))).toBe('allow 200');
      await r.release();
    } finally {
      await proxy.close();
    }
  });

  it('lets no secret out: client secrets and tokens are registered, and no message or log line holds one', async () => {
    const { run, client: c } = client({ apps: 4 });
    const texts: string[] = [];
    const p = ready(await c.prepare(sample()));
    for (const q of [
      { actor: FULL, operation: 'downloadObject', object: 'owner.txt' },
      { actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'ab', policyKey: 'transient' } },
      { actor: 'YetAnotherAppQ1w2E3r4T5y6U7i8O9p0A', operation: 'getBuckets' },
    ] as ApsRequest[]) texts.push(JSON.stringify(await p.observe(q)));
    await p.release();
    // Secrets of four apps, and the Basic values and tokens the run was issued.
    expect(run.redactor.size).toBeGreaterThanOrEqual(4 + 4);
    const leaks = run.redactor.leaks([...texts, ...logs].join('\n'));
    expect(leaks).toEqual([]);
    for (const app of ACCOUNTS.apps) expect([...texts, ...logs].join('\n')).not.toContain(app.clientSecret);
  });
});
