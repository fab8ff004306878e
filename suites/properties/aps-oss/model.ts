import * as fc from 'fast-check';
import type { ApsMatrix, ApsRole, ApsTarget } from '../../../model/aps-oss/matrix.ts';
import { APS_ACCESS_LEVELS, APS_MAX_GRANTS, type ApsAccess, type ApsCreatePayload, type ApsGrant, type ApsObjectOperation, type ApsOperation, type ApsRequest, type ApsWorld } from '../../../model/aps-oss/types.ts';
import type { SequenceCase, SequenceStep, StepDriver } from '../../../model/case.ts';
import { ConformanceError } from '../../../model/errors.ts';
import type { Expectation } from '../../../model/outcome.ts';
import { apsWorld, bucketKey, clientIdOf, clientIds, invalidBucketKey, invalidPrefixableBucketKey, levelUploads, objectTarget } from '../../../generators/aps-oss/index.ts';
import type { PropertyEnv } from '../types.ts';
import { apsProperty, apsRequest, describeApsRequest, matrixOf } from './shared.ts';

/**
 * The stateful model of APS OSS buckets: which buckets exist, who created each and with which
 * grants, and who uploaded each object. Every step's expected outcome is the matrix cell of the
 * step's role, operation and target in the model's current state; the model then changes only as
 * the rules say an allowed step changes the world (an upload of a new object records its
 * uploader, a delete removes it, createBucket adds a bucket with its grants, deleteBucket
 * retires it). Grants never change after creation (APS-NO-REVOKE); a refused step changes nothing.
 */

/** A bucket as the model knows it. */
export interface ModelBucket {
  owner: string;
  grants: Map<string, ApsAccess>;
  /** Object key -> the app that created it (the first upload; overwrites keep it). */
  objects: Map<string, string>;
}

/** The model's state: live buckets, and bucket keys that were deleted (never reused in a sequence). */
export interface ApsModelState {
  buckets: Map<string, ModelBucket>;
  retired: Set<string>;
}

/** The model of a world: its bucket and objects. */
export function modelOf(world: ApsWorld): ApsModelState {
  const state: ApsModelState = { buckets: new Map(), retired: new Set() };
  if (world.bucket) {
    const b = world.bucket;
    const bucket: ModelBucket = { owner: b.owner, grants: new Map((b.allow ?? []).map((g) => [g.authId, g.access as ApsAccess])), objects: new Map() };
    for (const o of world.objects ?? []) if (!bucket.objects.has(o.key)) bucket.objects.set(o.key, o.uploadedBy);
    state.buckets.set(b.key, bucket);
  }
  return state;
}

/** The role of an app on a live bucket. */
function roleOnBucket(bucket: ModelBucket, actor: string): ApsRole {
  if (actor === bucket.owner) return 'owner';
  return bucket.grants.get(actor) ?? 'stranger';
}

/**
 * The role of an app for the operations of its account (getBuckets, createBucket): a key that
 * holds a grant on a live bucket is a granted key (APS-OWNER-ONLY-API lists GET Buckets and POST
 * Bucket among the operations granted keys are refused), else the owner of a live bucket, else a
 * stranger. With grants of different levels, the first bucket's level stands for all (the matrix
 * gives all levels the same outcome for these operations).
 */
function accountRole(state: ApsModelState, actor: string): ApsRole {
  let owns = false;
  for (const b of state.buckets.values()) {
    const g = b.grants.get(actor);
    if (g) return g;
    if (b.owner === actor) owns = true;
  }
  return owns ? 'owner' : 'stranger';
}

/** The apps of a sequence and the names they print under: the owner, keys of every level, strangers. */
export interface Cast {
  owner: string;
  keys: ApsGrant[];
  strangers: string[];
  names: Map<string, string>;
}

/** The cast, listed for picking by index: owner, keys, strangers. */
function apps(cast: Cast): string[] {
  return [cast.owner, ...cast.keys.map((k) => k.authId), ...cast.strangers];
}

/** The label of a step's position, to show that long sequences are reached. */
function depthLabel(n: number): string {
  return n >= 30 ? '30+' : n >= 10 ? '10-29' : '1-9';
}

/** Object keys of a sequence: a small pool, so that steps meet each other's objects. */
const OBJECT_POOL = ['a.txt', 'b.txt', 'dir/c d.txt'] as const;

/** A step: the request built from the model, and its expected outcome with the labels to count. */
interface Planned {
  request: ApsRequest;
  expect: Expectation;
  role: ApsRole;
  target: ApsTarget | 'invalid-payload';
  rule: string;
  /** What the model does if the step is allowed. */
  apply?: () => void;
}

/** Shared by every step: the model counts steps to label depth. */
interface Context {
  matrix: ApsMatrix;
  cast: Cast;
  steps: { n: number };
  /** Steps from this one on are labelled `long: yes`: the run shows that it reached sequences this long. */
  minSteps: number;
  /** Whether the target can send any bucket key (`bucket.any-key`): else no invalid key is shorter than 3 characters. */
  anyKey: boolean;
}

abstract class ApsStep implements SequenceStep<ApsModelState> {
  protected readonly ctx: Context;
  constructor(ctx: Context) {
    this.ctx = ctx;
  }
  abstract check(state: Readonly<ApsModelState>): boolean;
  protected abstract plan(state: ApsModelState): Planned;
  abstract describe(): string;

  async run(state: ApsModelState, driver: StepDriver): Promise<void> {
    const p = this.plan(state);
    this.ctx.steps.n++;
    await driver.send({
      name: `${describeApsRequest(p.request, p.role, p.target, this.ctx.cast.names)}  (${p.rule})`,
      request: p.request,
      expect: p.expect,
      labels: { role: p.role, operation: p.request.operation, target: p.target, rule: p.rule, depth: depthLabel(this.ctx.steps.n), long: this.ctx.steps.n >= this.ctx.minSteps ? 'yes' : 'no' },
    });
    if (p.expect.decision === 'allow') p.apply?.();
  }

  toString(): string {
    return this.describe();
  }

  /** The cell's expectation for a role, operation and target; the loader guarantees a cell exists. */
  protected cell(role: ApsRole, operation: ApsOperation, target: ApsTarget): { expect: Expectation; rule: string } {
    const cell = this.ctx.matrix.lookup(role, operation, target);
    if (!cell) throw new ConformanceError('CONFORMANCE_INPUT', `the access matrix has no cell for ${role} ${operation} ${target}`);
    return { expect: { ...cell.expect }, rule: cell.rule };
  }

  protected name(app: string): string {
    return this.ctx.cast.names.get(app) ?? app;
  }
}

/** The live buckets, in a stable order, and the one a pick lands on. */
function liveBucket(state: Readonly<ApsModelState>, pick: number): [string, ModelBucket] {
  const live = [...state.buckets.entries()];
  return live[pick % live.length]!;
}

/** An object operation by an app on an object of a live bucket. */
class ObjectStep extends ApsStep {
  private readonly op: ApsObjectOperation;
  private readonly actor: string;
  private readonly bucketPick: number;
  private readonly object: string;
  constructor(ctx: Context, op: ApsObjectOperation, actor: string, bucketPick: number, object: string) {
    super(ctx);
    this.op = op;
    this.actor = actor;
    this.bucketPick = bucketPick;
    this.object = object;
  }
  check(state: Readonly<ApsModelState>): boolean {
    return state.buckets.size > 0;
  }
  protected plan(state: ApsModelState): Planned {
    const [key, bucket] = liveBucket(state, this.bucketPick);
    const role = roleOnBucket(bucket, this.actor);
    const uploader = bucket.objects.get(this.object);
    const target = objectTarget(bucket.owner, uploader, this.actor);
    const { expect, rule } = this.cell(role, this.op, target);
    const request = apsRequest(this.actor, this.op, { bucket: key, object: this.object });
    const planned: Planned = { request, expect, role, target, rule };
    // APS-WRITE-UPLOAD / APS-FULL-OWN: an upload of a new object makes the actor its creator;
    // an overwrite keeps the creator. A delete removes the object.
    if (this.op === 'uploadObject' && uploader === undefined) planned.apply = () => void bucket.objects.set(this.object, this.actor);
    if (this.op === 'deleteObject') planned.apply = () => void bucket.objects.delete(this.object);
    return planned;
  }
  describe(): string {
    return `${this.op}(${this.name(this.actor)}, bucket#${this.bucketPick}, ${JSON.stringify(this.object)})`;
  }
}

/** A bucket operation (details, list objects, delete) by an app on a live bucket. */
class BucketStep extends ApsStep {
  private readonly op: 'getBucketDetails' | 'getBucketObjects' | 'deleteBucket';
  private readonly actor: string;
  private readonly bucketPick: number;
  constructor(ctx: Context, op: 'getBucketDetails' | 'getBucketObjects' | 'deleteBucket', actor: string, bucketPick: number) {
    super(ctx);
    this.op = op;
    this.actor = actor;
    this.bucketPick = bucketPick;
  }
  check(state: Readonly<ApsModelState>): boolean {
    return state.buckets.size > 0;
  }
  protected plan(state: ApsModelState): Planned {
    const [key, bucket] = liveBucket(state, this.bucketPick);
    const role = roleOnBucket(bucket, this.actor);
    const { expect, rule } = this.cell(role, this.op, 'bucket');
    const planned: Planned = { request: apsRequest(this.actor, this.op, { bucket: key }), expect, role, target: 'bucket', rule };
    if (this.op === 'deleteBucket') {
      // A deleted bucket's key is retired: "Bucket keys of deleted buckets will not be immediately available for reuse".
      planned.apply = () => {
        state.buckets.delete(key);
        state.retired.add(key);
      };
    }
    return planned;
  }
  describe(): string {
    return `${this.op}(${this.name(this.actor)}, bucket#${this.bucketPick})`;
  }
}

/** getBuckets by an app. */
class ListBucketsStep extends ApsStep {
  private readonly actor: string;
  constructor(ctx: Context, actor: string) {
    super(ctx);
    this.actor = actor;
  }
  check(): boolean {
    return true;
  }
  protected plan(state: ApsModelState): Planned {
    const role = accountRole(state, this.actor);
    const { expect, rule } = this.cell(role, 'getBuckets', 'account');
    return { request: apsRequest(this.actor, 'getBuckets'), expect, role, target: 'account', rule };
  }
  describe(): string {
    return `getBuckets(${this.name(this.actor)})`;
  }
}

/** How a createBucket payload is built: valid, or broken in one documented way. */
export type PayloadKind = 'valid' | 'too-many-keys' | 'bad-access' | 'bad-bucket-key';

/** The invalid payload kinds and the rules that reject them. */
const INVALID_RULES: Record<Exclude<PayloadKind, 'valid'>, string> = {
  'too-many-keys': 'APS-GRANT-LIMIT',
  'bad-access': 'APS-GRANT-ACCESS-VALUES',
  'bad-bucket-key': 'APS-GRANT-CREATE.bucket-key',
};

/** Everything a createBucket step draws up front; which bucket key it names is settled against the model. */
interface CreateDraw {
  actor: string;
  keyPick: number;
  kind: PayloadKind;
  grants: ApsGrant[];
  /** Where the client ids of the keys a broken payload adds start (ids from a number shrink in one step). */
  extraBase: number;
  badAccess: string;
  badKey: string;
}

/**
 * createBucket by an app, with a bucket key from the pool (new, or taken by a live bucket) and an
 * allow list of cast apps. An invalid payload is sent only by an app the matrix lets create
 * buckets and with a new key, where the only thing wrong with the request is the payload (the
 * documents do not order a refusal and a rejection).
 */
class CreateBucketStep extends ApsStep {
  private readonly draw: CreateDraw;
  private readonly pool: readonly string[];
  private readonly rejection: Expectation;
  constructor(ctx: Context, draw: CreateDraw, pool: readonly string[], rejection: Expectation) {
    super(ctx);
    this.draw = draw;
    this.pool = pool;
    this.rejection = rejection;
  }
  /** Keys nobody holds first, then live ones: a pick shrinks towards a new key. */
  private candidates(state: Readonly<ApsModelState>): string[] {
    const usable = this.pool.filter((k) => !state.retired.has(k));
    return [...usable.filter((k) => !state.buckets.has(k)), ...usable.filter((k) => state.buckets.has(k))];
  }
  check(state: Readonly<ApsModelState>): boolean {
    return this.candidates(state).length > 0;
  }
  protected plan(state: ApsModelState): Planned {
    const { actor, kind } = this.draw;
    const candidates = this.candidates(state);
    const key = candidates[this.draw.keyPick % candidates.length]!;
    const target: ApsTarget = state.buckets.has(key) ? 'taken-key' : 'new-key';
    const role = accountRole(state, actor);
    const grants = this.draw.grants.filter((g) => g.authId !== actor);
    const cell = this.cell(role, 'createBucket', target);
    if (kind !== 'valid' && target === 'new-key' && cell.expect.decision === 'allow') {
      const payload: ApsCreatePayload = { bucketKey: key, policyKey: 'transient', allow: grants };
      // Extra ids may meet a cast app's id only with a negligible chance, and a repeated id is
      // itself a reason for a 400: the payload stays invalid either way.
      const extra = (i: number) => clientIdOf((this.draw.extraBase + i) % 0x80000000);
      if (kind === 'too-many-keys') payload.allow = [...grants, ...Array.from({ length: APS_MAX_GRANTS + 1 - grants.length }, (_, i) => ({ authId: extra(i), access: 'read' }))];
      if (kind === 'bad-access') payload.allow = [...grants, { authId: extra(0), access: this.draw.badAccess }];
      if (kind === 'bad-bucket-key') payload.bucketKey = this.draw.badKey;
      return { request: apsRequest(actor, 'createBucket', { payload }), expect: { ...this.rejection }, role, target: 'invalid-payload', rule: INVALID_RULES[kind] };
    }
    const payload: ApsCreatePayload = { bucketKey: key, policyKey: 'transient', allow: grants };
    return {
      request: apsRequest(actor, 'createBucket', { payload }),
      ...cell,
      role,
      target,
      apply: () => void state.buckets.set(key, { owner: actor, grants: new Map(grants.map((g) => [g.authId, g.access as ApsAccess])), objects: new Map() }),
    };
  }
  describe(): string {
    const d = this.draw;
    return `createBucket(${this.name(d.actor)}, key#${d.keyPick}, ${d.kind}, ${d.grants.map((g) => `${this.name(g.authId)}:${g.access}`).join(' ') || 'no grants'})`;
  }
}

/** The initial world of a sequence and its cast: a bucket with `minKeys`..`minKeys + 3` keys, every level among them, and two strangers. */
function castAndWorld(minKeys: number): fc.Arbitrary<{ cast: Cast; world: ApsWorld; pool: string[] }> {
  return fc.integer({ min: minKeys, max: minKeys + 3 }).chain((n) =>
    fc
      .record({
        ids: clientIds(n + 3),
        levels: fc.array(fc.constantFrom(...APS_ACCESS_LEVELS), { minLength: n, maxLength: n }),
        keys: fc.uniqueArray(bucketKey(), { minLength: 3, maxLength: 3 }),
        objects: fc.array(fc.tuple(fc.constantFrom(...OBJECT_POOL), fc.nat()), { maxLength: 3 }),
      })
      .map(({ ids, levels, keys, objects }) => {
        const [owner, s1, s2, ...keyIds] = ids as [string, string, string, ...string[]];
        // Every level at least once: the first three keys are full, read and write.
        const grants: ApsGrant[] = keyIds.map((authId, i) => ({ authId, access: i < 3 ? APS_ACCESS_LEVELS[i]! : levels[i]! }));
        const names = new Map<string, string>([[owner, 'Owner'], [s1, 'Stranger1'], [s2, 'Stranger2']]);
        grants.forEach((g, i) => names.set(g.authId, `Key${i + 1}:${g.access}`));
        const uploaders = [owner, ...grants.filter((g) => levelUploads(g.access)).map((g) => g.authId)];
        const seen = new Set<string>();
        const initial = objects.filter(([k]) => !seen.has(k) && seen.add(k)).map(([key, pick]) => ({ key, uploadedBy: uploaders[pick % uploaders.length]! }));
        const world = apsWorld({ key: keys[0]!, owner, policyKey: 'transient', allow: grants }, initial);
        return { cast: { owner, keys: grants, strangers: [s1, s2], names }, world, pool: keys };
      }),
  );
}

interface SequenceParams {
  minSteps?: number;
  maxSteps?: number;
  minKeys?: number;
  rejection?: Expectation;
}

const SEQUENCE_DEFAULTS = { minSteps: 30, maxSteps: 60, minKeys: 5 } as const;

/** The step arbitraries for a cast. */
function stepArbitraries(ctx: Context, pool: readonly string[], rejection: Expectation): fc.Arbitrary<SequenceStep<ApsModelState>>[] {
  const actor = fc.constantFrom(...apps(ctx.cast));
  const pick = fc.nat({ max: 5 });
  const object = fc.constantFrom(...OBJECT_POOL);
  const objectOp = (op: ApsObjectOperation) => fc.tuple(actor, pick, object).map(([a, b, o]) => new ObjectStep(ctx, op, a, b, o));
  const bucketOp = (op: 'getBucketDetails' | 'getBucketObjects' | 'deleteBucket') => fc.tuple(actor, pick).map(([a, b]) => new BucketStep(ctx, op, a, b));
  const everyone = apps(ctx.cast);
  const create = fc
    .record({
      actor,
      keyPick: pick,
      kind: fc.constantFrom<PayloadKind>('valid', 'valid', 'too-many-keys', 'bad-access', 'bad-bucket-key'),
      grants: fc.uniqueArray(fc.tuple(fc.constantFrom(...everyone), fc.constantFrom(...APS_ACCESS_LEVELS)), { maxLength: 4, selector: ([id]) => id }).map((gs) => gs.map(([authId, access]) => ({ authId, access }))),
      extraBase: fc.nat(),
      badAccess: fc.constantFrom('admin', 'READ', 'Full', 'read_only', 'readwrite', '', ' write', 'owner'),
      badKey: (ctx.anyKey ? invalidBucketKey() : invalidPrefixableBucketKey()).map((k) => k.key),
    })
    .map((draw) => new CreateBucketStep(ctx, draw, pool, rejection));
  return [
    objectOp('uploadObject'),
    objectOp('uploadObject'),
    objectOp('downloadObject'),
    objectOp('downloadObject'),
    objectOp('deleteObject'),
    objectOp('getObjectDetails'),
    bucketOp('getBucketDetails'),
    bucketOp('getBucketObjects'),
    bucketOp('deleteBucket'),
    actor.map((a) => new ListBucketsStep(ctx, a)),
    create,
  ];
}

export const modelSequence = apsProperty<SequenceParams>({
  name: 'aps-model-sequence',
  description:
    'Sequences of up to `maxSteps` operations (create bucket with an allow list, upload, overwrite, download, delete, list objects, bucket and object details, delete bucket, list buckets) by the owner, at least `minKeys` keys of every level and strangers, run under fast-check `asyncModelRun`; each step\'s expected outcome is the matrix cell of its role, operation and target in the model\'s state (invalid createBucket payloads: `rejection`). Failing sequences shrink to the shortest.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      minSteps: { type: 'integer', minimum: 1, description: `a sequence length the run must reach: steps from this one on are labelled long=yes (cover it); default ${SEQUENCE_DEFAULTS.minSteps}` },
      maxSteps: { type: 'integer', minimum: 1, maximum: 500, description: `most steps of a sequence (default ${SEQUENCE_DEFAULTS.maxSteps})` },
      minKeys: { type: 'integer', minimum: 3, maximum: 50, description: `fewest granted keys in the initial bucket (default ${SEQUENCE_DEFAULTS.minKeys})` },
      rejection: { type: 'object', description: 'the expected outcome of an invalid createBucket payload (default {decision: rejected})' },
    },
  },
  labels: {
    outcome: ['allow', 'deny', 'rejected'],
    role: ['owner', 'full', 'read', 'write', 'stranger'],
    operation: ['createBucket', 'getBuckets', 'getBucketDetails', 'getBucketObjects', 'getObjectDetails', 'deleteBucket', 'uploadObject', 'downloadObject', 'deleteObject'],
    target: ['by-self', 'by-owner', 'by-other-key', 'missing', 'new-key', 'taken-key', 'bucket', 'account', 'invalid-payload'],
    depth: ['1-9', '10-29', '30+'],
    long: ['no', 'yes'],
  },
  cases(params, env: PropertyEnv) {
    const matrix = matrixOf(env);
    const maxSteps = params.maxSteps ?? SEQUENCE_DEFAULTS.maxSteps;
    const minKeys = params.minKeys ?? SEQUENCE_DEFAULTS.minKeys;
    const minSteps = params.minSteps ?? SEQUENCE_DEFAULTS.minSteps;
    if (minSteps > maxSteps) throw new ConformanceError('CONFORMANCE_INPUT', `rule ${env.rule.id}: aps-model-sequence needs minSteps (${minSteps}) at most maxSteps (${maxSteps})`);
    const rejection: Expectation = params.rejection ?? { decision: 'rejected' };
    return castAndWorld(minKeys).chain(({ cast, world, pool }) => {
      const ctx: Context = { matrix, cast, steps: { n: 0 }, minSteps, anyKey: env.capabilities.has('bucket.any-key') };
      const constraints: fc.CommandsContraints = { maxCommands: maxSteps, size: 'max' };
      if (env.replayPath !== undefined) constraints.replayPath = env.replayPath;
      return fc.commands(stepArbitraries(ctx, pool, rejection), constraints).map(
        (steps): SequenceCase<ApsModelState> => ({
          kind: 'sequence',
          world,
          model: () => {
            ctx.steps.n = 0;
            return modelOf(world);
          },
          steps: steps as Iterable<SequenceStep<ApsModelState>>,
          labels: { keys: String(cast.keys.length) },
        }),
      );
    });
  },
});
