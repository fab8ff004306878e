import * as fc from 'fast-check';
import { APS_ROLES, APS_TARGETS, apsTargets, type ApsCell, type ApsTarget } from '../../../model/aps-oss/matrix.ts';
import { APS_ACCESS_LEVELS, APS_MAX_GRANTS, APS_OPERATIONS, isObjectOperation, type ApsAccess, type ApsBucket, type ApsGrant, type ApsObject, type ApsRequest, type ApsWorld } from '../../../model/aps-oss/types.ts';
import type { ConformanceCase, ExpectationCase, ExpectedRequest } from '../../../model/case.ts';
import { ConformanceError } from '../../../model/errors.ts';
import { apsWorld, bucketKey, clientIds, grantCount, keysClass, levelUploads, objectKey, objectTarget, roleOn } from '../../../generators/aps-oss/index.ts';
import type { PropertyEnv } from '../types.ts';
import { apsExhaustive, apsProperty, apsRequest, cellsOf, describeApsRequest, expectationOf, matrixOf, mutates } from './shared.ts';

/**
 * The access matrix as properties: every cell of a rule is checked on every small world
 * (exhaustive), and in generated worlds of up to 60 keys. The expected outcome of a request is
 * the matrix cell that the request was built to fall in, never what a target answers.
 */

const LABELS = {
  outcome: ['allow', 'deny', 'rejected'],
  role: APS_ROLES,
  operation: APS_OPERATIONS,
  target: APS_TARGETS,
} as const;

/** The client ids of the small worlds: readable, and shaped like client ids (32 letters and digits). */
export const SMALL_APPS = {
  owner: 'OwnerApp'.padEnd(32, '0'),
  k1: 'KeyAppOne'.padEnd(32, '0'),
  k2: 'KeyAppTwo'.padEnd(32, '0'),
  stranger: 'StrangerApp'.padEnd(32, '0'),
} as const;
const SMALL_BUCKET = 'small-world-bucket';
const NEW_BUCKET = 'another-bucket';
/** Object keys of the small worlds; the last is never uploaded. */
const SMALL_OBJECTS = ['a.txt', 'dir/b c.txt', 'never-uploaded.txt'] as const;

/** The request that puts `actor` on `target` with `operation`, in a world whose bucket is `bucket`. */
function requestOn(bucket: ApsBucket, actor: string, operation: ApsRequest['operation'], target: ApsTarget, object: string | undefined, newKey: string): ApsRequest {
  if (operation === 'createBucket') return apsRequest(actor, operation, { payload: { bucketKey: target === 'taken-key' ? bucket.key : newKey, policyKey: 'transient' } });
  return apsRequest(actor, operation, object === undefined ? {} : { object });
}

/** Every small world: two keys with any levels (or none), and two objects each absent or uploaded by any app that can upload. */
function smallWorlds(): ApsWorld[] {
  const levels: (ApsAccess | undefined)[] = [undefined, ...APS_ACCESS_LEVELS];
  const worlds: ApsWorld[] = [];
  for (const l1 of levels) {
    for (const l2 of levels) {
      const allow: ApsGrant[] = [];
      if (l1) allow.push({ authId: SMALL_APPS.k1, access: l1 });
      if (l2) allow.push({ authId: SMALL_APPS.k2, access: l2 });
      const uploaders = [SMALL_APPS.owner, ...allow.filter((g) => levelUploads(g.access)).map((g) => g.authId)];
      for (const a of [undefined, ...uploaders]) {
        for (const b of [undefined, ...uploaders]) {
          const objects: ApsObject[] = [];
          if (a) objects.push({ key: SMALL_OBJECTS[0], uploadedBy: a });
          if (b) objects.push({ key: SMALL_OBJECTS[1], uploadedBy: b });
          worlds.push(apsWorld({ key: SMALL_BUCKET, owner: SMALL_APPS.owner, policyKey: 'transient', allow }, objects));
        }
      }
    }
  }
  const size = (w: ApsWorld) => (w.bucket?.allow?.length ?? 0) + (w.objects?.length ?? 0);
  return worlds.sort((x, y) => size(x) - size(y));
}

const NAMES = new Map<string, string>([
  [SMALL_APPS.owner, 'OwnerApp'],
  [SMALL_APPS.k1, 'KeyAppOne'],
  [SMALL_APPS.k2, 'KeyAppTwo'],
  [SMALL_APPS.stranger, 'StrangerApp'],
]);

function expected(cell: ApsCell, request: ApsRequest): ExpectedRequest {
  return {
    name: describeApsRequest(request, cell.role, cell.target, NAMES),
    request,
    expect: expectationOf(cell),
    labels: { role: cell.role, operation: cell.operation, target: cell.target },
  };
}

export const matrixExhaustive = apsExhaustive<Record<string, never>>({
  name: 'aps-matrix-exhaustive',
  description:
    'Every request of every app (owner, two keys, a stranger) in every small world (two keys with any level or none, two objects absent or uploaded by any app that can upload) that falls in a matrix cell of this rule; the expected outcome is that cell. Requests that change the world run alone on a fresh copy of it.',
  params: { type: 'object', additionalProperties: false, properties: {} },
  labels: LABELS,
  enumerate(_params, env) {
    const matrix = matrixOf(env);
    const mine = new Set(cellsOf(env));
    const cases: ConformanceCase[] = [];
    for (const world of smallWorlds()) {
      const bucket = world.bucket!;
      const uploaderOf = new Map((world.objects ?? []).map((o) => [o.key, o.uploadedBy] as const));
      const shared: ExpectedRequest[] = [];
      for (const actor of Object.values(SMALL_APPS)) {
        const role = roleOn(bucket, actor);
        for (const operation of APS_OPERATIONS) {
          const targets: [ApsTarget, string | undefined][] = isObjectOperation(operation)
            ? SMALL_OBJECTS.map((o) => [objectTarget(bucket.owner, uploaderOf.get(o), actor), o])
            : apsTargets(role, operation).map((t) => [t, undefined]);
          for (const [target, object] of targets) {
            const cell = matrix.lookup(role, operation, target);
            if (!cell) throw new ConformanceError('CONFORMANCE_INPUT', `the access matrix has no cell for ${role} ${operation} ${target}`);
            if (!mine.has(cell)) continue;
            const e = expected(cell, requestOn(bucket, actor, operation, target, object, NEW_BUCKET));
            if (mutates(operation)) cases.push({ kind: 'expect', world, requests: [e] });
            else shared.push(e);
          }
        }
      }
      if (shared.length) cases.push({ kind: 'expect', world, requests: shared });
    }
    return cases;
  },
});

/** What a generated world must hold for a cell to be reachable in it, and the request that reaches it. */
interface Built {
  world: ApsWorld;
  request: ApsRequest;
  keys: number;
}

/**
 * A world of `n` granted keys (random levels, up to 60) built around one cell: the actor has the
 * cell's role, and the object the request names is the cell's target (the actor's own upload,
 * the owner's, another key's, or missing). Other objects are uploaded by random apps that can
 * upload.
 */
function worldFor(cell: ApsCell, maxKeys: number): fc.Arbitrary<Built> {
  const isKey = cell.role === 'full' || cell.role === 'read' || cell.role === 'write';
  const needsOtherKey = cell.target === 'by-other-key';
  const minKeys = (isKey ? 1 : 0) + (needsOtherKey ? 1 : 0);
  return grantCount(minKeys, maxKeys).chain((n) =>
    fc
      .record({
        ids: clientIds(n + 2),
        levels: fc.array(fc.constantFrom(...APS_ACCESS_LEVELS), { minLength: n, maxLength: n }),
        otherUploader: fc.constantFrom<ApsAccess>('full', 'write'),
        key: bucketKey(),
        newKey: bucketKey(),
        objectKeys: fc.uniqueArray(objectKey(), { minLength: 1, maxLength: 5 }),
        uploaderPicks: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
      })
      .filter(({ key, newKey }) => key !== newKey)
      .map(({ ids, levels, otherUploader, key, newKey, objectKeys, uploaderPicks }) => {
        const [owner, stranger, ...keyIds] = ids as [string, string, ...string[]];
        const allow: ApsGrant[] = keyIds.map((authId, i) => ({ authId, access: levels[i]! }));
        // The actor: the owner, a stranger, or the first key, given the cell's level.
        if (isKey) allow[0] = { authId: allow[0]!.authId, access: cell.role };
        const actor = cell.role === 'owner' ? owner : cell.role === 'stranger' ? stranger : allow[0]!.authId;
        // Another key that uploads, for objects uploaded by a key other than the actor.
        const otherIndex = isKey ? 1 : 0;
        if (needsOtherKey) allow[otherIndex] = { authId: allow[otherIndex]!.authId, access: otherUploader };
        const uploaders = [owner, ...allow.filter((g) => levelUploads(g.access) && g.authId !== actor).map((g) => g.authId)];
        const [targetKey, ...rest] = objectKeys as [string, ...string[]];
        const objects: ApsObject[] = rest.map((k, i) => ({ key: k, uploadedBy: uploaders[uploaderPicks[i]! % uploaders.length]! }));
        const targetUploader = { 'by-self': actor, 'by-owner': owner, 'by-other-key': allow[otherIndex]?.authId } as Partial<Record<ApsTarget, string>>;
        const uploader = targetUploader[cell.target];
        if (uploader !== undefined) objects.splice(uploaderPicks[4]! % (objects.length + 1), 0, { key: targetKey, uploadedBy: uploader });
        const bucket: ApsBucket = { key, owner, policyKey: 'transient', allow };
        const object = isObjectOperation(cell.operation) ? targetKey : undefined;
        return { world: apsWorld(bucket, objects), request: requestOn(bucket, actor, cell.operation, cell.target, object, newKey), keys: n };
      }),
  );
}

interface GeneratedParams {
  maxKeys?: number;
}

export const matrixGenerated = apsProperty<GeneratedParams>({
  name: 'aps-matrix-generated',
  description:
    'A cell of this rule, then a world built around it: up to `maxKeys` granted keys with random levels, random objects and uploaders, an actor with the cell\'s role and an object that is the cell\'s target; the expected outcome is the cell.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { maxKeys: { type: 'integer', minimum: 2, maximum: APS_MAX_GRANTS, description: `most keys in a generated allow list (default ${APS_MAX_GRANTS})` } },
  },
  labels: { ...LABELS, keys: ['0', '1-9', '10-59', '60+'] },
  cases(params, env: PropertyEnv) {
    const maxKeys = params.maxKeys ?? APS_MAX_GRANTS;
    const cells = cellsOf(env);
    return fc.constantFrom(...cells).chain((cell) =>
      worldFor(cell, maxKeys).map(({ world, request, keys }): ExpectationCase => ({
        kind: 'expect',
        world,
        requests: [{ name: describeApsRequest(request, cell.role, cell.target), request, expect: expectationOf(cell), labels: { role: cell.role, operation: cell.operation, target: cell.target } }],
        labels: { keys: keysClass(keys) },
      })),
    );
  },
});
