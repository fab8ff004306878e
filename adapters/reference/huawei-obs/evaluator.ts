/**
 * The OBS reference target: a stateful in-process bucket. `prepare` builds a fresh store from a
 * world (its policy put as the owner's PutBucketPolicy, its ACL as PutBucketAcl) and hands out
 * `observe`, which decides each request with `evaluate` and applies what an allowed request
 * changes.
 */
import { ConformanceError } from '../../../model/errors.ts';
import type { ObsRequest, ObsWorld } from '../../../model/huawei-obs/types.ts';
import type { Explanation, Observation } from '../../../model/outcome.ts';
import type { Request } from '../../../model/world.ts';
import type { Preparation } from '../../types.ts';
import { validateAcl } from './acl.ts';
import { compilePolicy } from './compile.ts';
import { evaluate, type ObsErrorCode } from './evaluate.ts';
import { parseObsPolicy, policyText } from './parse.ts';
import { DOCUMENTED_OBS_SEMANTICS, type ObsSemantics } from './semantics.ts';
import { applyEffect, type ObsStore } from './store.ts';

/** What loading a world gives: a store, or the world's policy or ACL refused. */
export type ObsWorldLoad =
  | { kind: 'loaded'; store: ObsStore }
  | { kind: 'rejected'; status: 400; code: ObsErrorCode; message: string; explanation: Explanation };

function checkBucket(world: ObsWorld): void {
  const bucket: unknown = (world as { bucket?: unknown }).bucket;
  const b = bucket as { name?: unknown; owner?: unknown } | null | undefined;
  if (typeof b !== 'object' || b === null || typeof b.name !== 'string' || b.name === '' || typeof b.owner !== 'string' || b.owner === '') {
    throw new ConformanceError('CONFORMANCE_INPUT', 'an OBS world needs `bucket: {name, owner}` with non-empty strings');
  }
}

/**
 * Builds the store of `world`: the bucket with the default ACL, then the world's policy as the
 * owner's PutBucketPolicy and its ACL as PutBucketAcl (the same validation and the same
 * replacement steps, without the access check). A refused policy or ACL is `rejected`.
 */
export function loadObsWorld(world: ObsWorld, semantics: ObsSemantics = DOCUMENTED_OBS_SEMANTICS): ObsWorldLoad {
  checkBucket(world);
  const bucket = { name: world.bucket.name, owner: world.bucket.owner };
  const store: ObsStore = { bucket, policy: undefined, acl: semantics.defaultAcl(bucket.owner) };
  if (world.policy !== undefined) {
    const text = policyText(world.policy, 'world policy');
    const parsed = parseObsPolicy(text, { maxBytes: semantics.maxPolicyBytes });
    if (parsed.kind === 'rejected') {
      return { kind: 'rejected', status: 400, code: parsed.code, message: parsed.message, explanation: { rules: parsed.rules, statements: [], reason: 'invalid-policy' } };
    }
    const next = semantics.nextPolicy(undefined, { text, ast: parsed });
    store.policy = { text: next.text, ast: next.ast, compiled: compilePolicy(next.ast, semantics) };
  }
  if (world.acl !== undefined) {
    const checked = validateAcl(world.acl, semantics.maxGrants);
    if (checked.kind === 'invalid') {
      return { kind: 'rejected', status: 400, code: 'MalformedACLError', message: checked.message, explanation: { rules: checked.rules, statements: [], reason: 'invalid-request' } };
    }
    // OBS-ACL-OVERWRITE (004): the world's ACL is put over the default one.
    store.acl = semantics.nextAcl(store.acl, checked.grants);
  }
  return { kind: 'loaded', store };
}

/** The OBS reference target built from one set of semantics. */
export interface ObsReference {
  readonly semantics: ObsSemantics;
  /** Builds a fresh store for `world`. A refused policy or ACL gives `rejected`; a world without a usable bucket throws `CONFORMANCE_INPUT`. */
  prepare(world: ObsWorld): Promise<Preparation>;
}

/** Builds the OBS reference target whose steps are the documented ones, except those in `overrides` (for fault injection). */
export function createObsReference(overrides: Partial<ObsSemantics> = {}): ObsReference {
  // An entry given as undefined keeps the documented step, as if it had been left out.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, step]) => step !== undefined));
  const semantics: ObsSemantics = Object.keys(given).length === 0 ? DOCUMENTED_OBS_SEMANTICS : Object.freeze({ ...DOCUMENTED_OBS_SEMANTICS, ...given });
  return {
    semantics,
    async prepare(world: ObsWorld): Promise<Preparation> {
      const load = loadObsWorld(world, semantics);
      if (load.kind === 'rejected') return { kind: 'rejected', status: load.status, code: load.code, message: load.message, explanation: load.explanation };
      const store = load.store;
      return {
        kind: 'ready',
        async observe(request: Request): Promise<Observation> {
          const { decision, effect } = evaluate(store, request as ObsRequest, semantics);
          if (effect !== undefined) applyEffect(store, effect);
          const { code } = decision;
          return { kind: 'decided', decision: decision.decision, status: decision.status, ...(code === undefined ? {} : { code }), explanation: decision.explanation };
        },
        async release(): Promise<void> {
          store.policy = undefined;
          store.acl = [];
        },
      };
    },
  };
}
