import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APS_ROLES, apsMatrix, apsTargets, type ApsCell, type ApsMatrix } from '../../model/aps-oss/matrix.ts';
import { APS_OPERATIONS, type ApsRequest, type ApsWorld } from '../../model/aps-oss/types.ts';
import type { ExpectationCase, ExpectedRequest, SequenceCase, StepDriver } from '../../model/case.ts';
import { CAPABILITIES } from '../../model/capabilities.ts';
import { matrixExhaustive, matrixGenerated } from '../../suites/properties/aps-oss/matrix.ts';
import { modelSequence, type ApsModelState } from '../../suites/properties/aps-oss/model.ts';
import { accessValues, grantLimit } from '../../suites/properties/aps-oss/limits.ts';
import type { PropertyEnv } from '../../suites/properties/types.ts';

/**
 * The APS generators and properties build cases whose outcome is known: these tests check the
 * construction with small independent re-statements (who is the actor to the bucket, who
 * uploaded the object), over a made-up matrix whose cells all belong to one test rule, so that
 * nothing here depends on the real matrix or on any evaluator.
 */

const CLIENT_ID = /^[A-Za-z0-9]{32}$/;
const BUCKET_KEY = /^[-_.a-z0-9]{3,128}$/;

/**
 * A matrix over the whole domain, every cell belonging to TEST-RULE: strangers are denied on
 * buckets but may create them, `read` keys cannot upload (so that no `read` key ever holds an
 * object, as the domain assumes), everything else is allowed.
 */
function allowed(role: string, operation: string): boolean {
  if (role === 'stranger') return operation === 'createBucket' || operation === 'getBuckets';
  return !(role === 'read' && operation === 'uploadObject');
}

function testMatrix(): ApsMatrix {
  const cells: ApsCell[] = [];
  for (const role of APS_ROLES) {
    for (const operation of APS_OPERATIONS) {
      for (const target of apsTargets(role, operation)) {
        cells.push({ rule: 'TEST-RULE', status: 'doc', source: { seed: 's', quote: 'q' }, role, operation, target, expect: { decision: allowed(role, operation) ? 'allow' : 'deny' }, at: 'test' });
      }
    }
  }
  return apsMatrix(cells);
}

const ENV: PropertyEnv = { capabilities: new Set(CAPABILITIES), rule: { id: 'TEST-RULE', vendor: 'aps-oss' }, tables: { apsMatrix: testMatrix() } };

/** Independent re-statement: the actor's role on the world's bucket. */
function role(world: ApsWorld, actor: string): string {
  const b = world.bucket!;
  if (actor === b.owner) return 'owner';
  return b.allow?.find((g) => g.authId === actor)?.access ?? 'stranger';
}

/** Independent re-statement: what the request's object or key is to the actor. */
function target(world: ApsWorld, r: ApsRequest): string {
  if (r.operation === 'createBucket') return r.payload!.bucketKey === world.bucket!.key ? 'taken-key' : 'new-key';
  if (r.operation === 'getBuckets') return 'account';
  if (r.object === undefined) return 'bucket';
  const o = world.objects?.find((x) => x.key === r.object);
  if (!o) return 'missing';
  if (o.uploadedBy === r.actor) return 'by-self';
  return o.uploadedBy === world.bucket!.owner ? 'by-owner' : 'by-other-key';
}

/** Independent re-statement of a well-formed world: distinct client ids, at most 60 keys, objects uploaded by apps that can upload. */
function checkWorld(world: ApsWorld, maxKeys = 60): void {
  const b = world.bucket!;
  expect(b.key).toMatch(BUCKET_KEY);
  expect(b.owner).toMatch(CLIENT_ID);
  const ids = (b.allow ?? []).map((g) => g.authId);
  expect(new Set([b.owner, ...ids]).size).toBe(ids.length + 1);
  expect(ids.length).toBeLessThanOrEqual(maxKeys);
  for (const id of ids) expect(id).toMatch(CLIENT_ID);
  for (const g of b.allow ?? []) expect(['full', 'read', 'write']).toContain(g.access);
  const keys = (world.objects ?? []).map((o) => o.key);
  expect(new Set(keys).size).toBe(keys.length);
  for (const o of world.objects ?? []) expect(['owner', 'full', 'write']).toContain(role(world, o.uploadedBy));
}

describe('aps-matrix-generated', () => {
  it('builds well-formed worlds around each cell: the actor has the cell\'s role, the object is its target', () => {
    const cases = fc.sample(matrixGenerated.cases({}, ENV), { seed: 3_003, numRuns: 600 }) as ExpectationCase[];
    const seen = new Set<string>();
    for (const c of cases) {
      checkWorld(c.world as ApsWorld);
      const [r] = c.requests as [ExpectedRequest];
      const request = r.request as ApsRequest;
      expect(role(c.world as ApsWorld, request.actor)).toBe(r.labels!['role']);
      expect(target(c.world as ApsWorld, request)).toBe(r.labels!['target']);
      expect(r.expect).toEqual(ENV.tables.apsMatrix!.lookup(r.labels!['role'] as never, request.operation, r.labels!['target'] as never)!.expect);
      seen.add(`${r.labels!['role']} ${request.operation} ${r.labels!['target']}`);
    }
    // Every cell of the domain is reached in 600 cases.
    expect(seen.size).toBe(ENV.tables.apsMatrix!.cells.length);
    const sizes = new Set(cases.map((c) => c.labels!['keys']));
    expect([...sizes].sort()).toEqual(['0', '1-9', '10-59', '60+']);
    expect(Math.max(...cases.map((c) => (c.world as ApsWorld).bucket!.allow!.length))).toBe(60);
  });

  it('keeps worlds at or under maxKeys', () => {
    for (const c of fc.sample(matrixGenerated.cases({ maxKeys: 4 }, ENV), { seed: 3_004, numRuns: 200 }) as ExpectationCase[]) checkWorld(c.world as ApsWorld, 4);
  });
});

describe('aps-matrix-exhaustive', () => {
  const cases = matrixExhaustive.enumerate({}, ENV) as ExpectationCase[];
  // Two keys, each with no grant or one of three levels; two objects, each absent or uploaded by one of the apps that can upload.
  let worlds = 0;
  for (const l1 of [null, 'read', 'write', 'full']) {
    for (const l2 of [null, 'read', 'write', 'full']) {
      const uploaders = 1 + [l1, l2].filter((l) => l === 'write' || l === 'full').length;
      worlds += (uploaders + 1) ** 2;
    }
  }

  it('enumerates every small world, smallest first, each well formed', () => {
    const distinct = new Set(cases.map((c) => JSON.stringify(c.world)));
    expect(distinct.size).toBe(worlds);
    for (const c of cases) checkWorld(c.world as ApsWorld);
    const size = (c: ExpectationCase) => ((c.world as ApsWorld).bucket!.allow?.length ?? 0) + ((c.world as ApsWorld).objects?.length ?? 0);
    for (let i = 1; i < cases.length; i++) expect(size(cases[i]!)).toBeGreaterThanOrEqual(size(cases[i - 1]!));
  });

  it('sends every request of every app once per world, changing requests alone on a fresh world', () => {
    // Four apps; per app: 4 object operations x 3 objects, 3 bucket operations, getBuckets, createBucket x 2 keys.
    const perWorld = 4 * (4 * 3 + 3 + 1 + 2);
    expect(cases.reduce((n, c) => n + c.requests.length, 0)).toBe(worlds * perWorld);
    for (const c of cases) {
      const changing = c.requests.filter((r) => ['uploadObject', 'deleteObject', 'deleteBucket', 'createBucket'].includes((r.request as ApsRequest).operation));
      if (changing.length) expect(c.requests).toHaveLength(1);
      for (const r of c.requests) {
        expect(role(c.world as ApsWorld, (r.request as ApsRequest).actor)).toBe(r.labels!['role']);
        expect(target(c.world as ApsWorld, r.request as ApsRequest)).toBe(r.labels!['target']);
      }
    }
  });
});

/** A driver that records the steps a sequence sends, and says every one passed. */
function recorder(): StepDriver & { steps: ExpectedRequest[] } {
  const steps: ExpectedRequest[] = [];
  return { steps, send: async (s) => void steps.push(s) };
}

describe('aps-model-sequence', () => {
  it('starts from a bucket with at least minKeys keys of every level, and reaches 30 steps', async () => {
    const cases = fc.sample(modelSequence.cases({}, ENV), { seed: 5_005, numRuns: 40 }) as SequenceCase<ApsModelState>[];
    let longest = 0;
    for (const c of cases) {
      const world = c.world as ApsWorld;
      checkWorld(world);
      const levels = new Set(world.bucket!.allow!.map((g) => g.access));
      expect(world.bucket!.allow!.length).toBeGreaterThanOrEqual(5);
      expect([...levels].sort()).toEqual(['full', 'read', 'write']);
      const driver = recorder();
      await fc.asyncModelRun(() => ({ model: c.model() as object, real: driver }), c.steps as never);
      longest = Math.max(longest, driver.steps.length);
    }
    expect(longest).toBeGreaterThanOrEqual(30);
  });

  it('labels each step with the role and target an independent replay of the transcript gives', async () => {
    const cases = fc.sample(modelSequence.cases({}, ENV), { seed: 5_006, numRuns: 30 }) as SequenceCase<ApsModelState>[];
    for (const c of cases) {
      const driver = recorder();
      await fc.asyncModelRun(() => ({ model: c.model() as object, real: driver }), c.steps as never);
      // Re-statement of the world's evolution: buckets (owner, grants), objects and their first uploader.
      const w = c.world as ApsWorld;
      const buckets = new Map<string, { owner: string; grants: Map<string, string>; objects: Map<string, string> }>();
      buckets.set(w.bucket!.key, { owner: w.bucket!.owner, grants: new Map(w.bucket!.allow!.map((g) => [g.authId, g.access])), objects: new Map((w.objects ?? []).map((o) => [o.key, o.uploadedBy])) });
      for (const s of driver.steps) {
        const r = s.request as ApsRequest;
        const labels = s.labels!;
        if (r.bucket !== undefined && labels['target'] !== 'invalid-payload') {
          const b = buckets.get(r.bucket)!;
          expect(b, `step on a live bucket: ${s.name}`).toBeDefined();
          const who = r.actor === b.owner ? 'owner' : (b.grants.get(r.actor) ?? 'stranger');
          expect(labels['role']).toBe(who);
          if (r.object !== undefined) {
            const up = b.objects.get(r.object);
            expect(labels['target']).toBe(up === undefined ? 'missing' : up === r.actor ? 'by-self' : up === b.owner ? 'by-owner' : 'by-other-key');
          }
          if (s.expect.decision === 'allow') {
            if (r.operation === 'uploadObject' && !b.objects.has(r.object!)) b.objects.set(r.object!, r.actor);
            if (r.operation === 'deleteObject') b.objects.delete(r.object!);
            if (r.operation === 'deleteBucket') buckets.delete(r.bucket);
          }
        }
        if (r.operation === 'createBucket' && labels['target'] !== 'invalid-payload') {
          expect(labels['target']).toBe(buckets.has(r.payload!.bucketKey) ? 'taken-key' : 'new-key');
          if (s.expect.decision === 'allow') buckets.set(r.payload!.bucketKey, { owner: r.actor, grants: new Map((r.payload!.allow ?? []).map((g) => [g.authId, g.access])), objects: new Map() });
        }
        if (labels['target'] === 'invalid-payload') expect(s.expect).toEqual({ decision: 'rejected' });
      }
    }
  });
});

describe('limit properties', () => {
  it('aps-grant-limit builds lists just under, at and just over the limit, all distinct', () => {
    const cases = fc.sample(grantLimit.cases({ maxGrants: 60 }, ENV), { seed: 7_007, numRuns: 120 }) as ExpectationCase[];
    const sides = new Set<string>();
    for (const c of cases) {
      const create = c.requests[0]!.request as ApsRequest;
      const n = create.payload!.allow!.length;
      const side = c.labels!['side']!;
      sides.add(side);
      expect(side).toBe(n < 60 ? 'under' : n === 60 ? 'at' : 'over');
      expect(new Set(create.payload!.allow!.map((g) => g.authId)).size).toBe(n);
      expect(c.requests[0]!.expect.decision).toBe(side === 'over' ? 'rejected' : 'allow');
      if (side === 'over') expect((c.requests[1]!.request as ApsRequest).payload!.allow).toHaveLength(60);
    }
    expect([...sides].sort()).toEqual(['at', 'over', 'under']);
  });

  it('aps-access-values puts exactly one value outside full, read and write in invalid payloads', () => {
    const cases = fc.sample(accessValues.cases({}, ENV), { seed: 7_008, numRuns: 200 }) as ExpectationCase[];
    for (const c of cases) {
      const allow = (c.requests[0]!.request as ApsRequest).payload!.allow!;
      const bad = allow.filter((g) => !['full', 'read', 'write'].includes(g.access));
      expect(bad).toHaveLength(c.labels!['value'] === 'valid' ? 0 : 1);
      expect(c.requests[0]!.expect.decision).toBe(bad.length ? 'rejected' : 'allow');
    }
  });
});
