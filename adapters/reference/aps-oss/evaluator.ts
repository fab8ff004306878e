/**
 * The APS reference target: a stateful in-process object store. `prepare` builds a fresh store
 * from a world (creates its bucket as the owner, uploads its objects as their uploaders) and
 * hands out `observe`, which decides each request with `evaluate` and applies what an allowed
 * request changes.
 */
import { ConformanceError } from '../../../model/errors.ts';
import type { ApsCreatePayload, ApsRequest, ApsWorld } from '../../../model/aps-oss/types.ts';
import type { Explanation, Observation } from '../../../model/outcome.ts';
import type { Request } from '../../../model/world.ts';
import type { Preparation } from '../../types.ts';
import { evaluate } from './evaluate.ts';
import { DOCUMENTED_APS_SEMANTICS, type ApsSemantics } from './semantics.ts';
import { applyEffect, emptyStore, type ApsStore } from './store.ts';

/** What loading a world gives: a store, the world's bucket refused, or a world no client could build. */
export type ApsWorldLoad =
  | { kind: 'loaded'; store: ApsStore }
  | { kind: 'rejected'; status: number; message: string; explanation: Explanation }
  | {
      kind: 'malformed';
      message: string;
      /** The rule that refuses the world's upload, if any. */
      ruleId?: string;
      /** The index in `world.objects` of the object that cannot be uploaded; absent when the objects have no bucket. */
      object?: number;
      /** Why the target refused that upload. */
      refusal?: string;
    };

/** The createBucket payload of a world's bucket. */
function payloadOf(bucket: NonNullable<ApsWorld['bucket']>): ApsCreatePayload {
  const payload: ApsCreatePayload = { bucketKey: bucket.key };
  if (bucket.policyKey !== undefined) payload.policyKey = bucket.policyKey;
  if (bucket.allow !== undefined) payload.allow = bucket.allow;
  return payload;
}

/**
 * Builds the store of `world` as a client would: the owner creates the bucket (the same checks
 * as any createBucket), then each object is uploaded in order by its uploader. A refused bucket
 * is `rejected`; objects without a bucket, or an upload the target refuses, make the world
 * `malformed`, since no client could have built it.
 */
export function loadApsWorld(world: ApsWorld, semantics: ApsSemantics = DOCUMENTED_APS_SEMANTICS): ApsWorldLoad {
  const store = emptyStore();
  const objects = world.objects ?? [];
  if (world.bucket === undefined) {
    if (objects.length > 0) return { kind: 'malformed', message: `the world has ${objects.length} object(s) but no bucket to upload them to` };
    return { kind: 'loaded', store };
  }
  const owner = world.bucket.owner;
  const created = evaluate(store, { actor: owner, operation: 'createBucket', payload: payloadOf(world.bucket) }, undefined, semantics, { worldBucket: true });
  if (created.decision.decision !== 'allow') {
    const d = created.decision;
    return { kind: 'rejected', status: d.status, message: d.message ?? `bucket \`${world.bucket.key}\` refused`, explanation: d.explanation };
  }
  if (created.effect !== undefined) applyEffect(store, created.effect);
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i]!;
    const uploaded = evaluate(store, { actor: o.uploadedBy, operation: 'uploadObject', object: o.key }, world.bucket.key, semantics);
    if (uploaded.decision.decision !== 'allow') {
      const refusal = uploaded.decision.message ?? `status ${uploaded.decision.status}`;
      const load: ApsWorldLoad = {
        kind: 'malformed',
        message: `world object \`${o.key}\` (\`objects[${i}]\`) cannot be uploaded by \`${o.uploadedBy}\`: ${refusal}`,
        object: i,
        refusal,
      };
      const rule = uploaded.decision.explanation.rules[0];
      if (rule !== undefined) load.ruleId = rule;
      return load;
    }
    if (uploaded.effect !== undefined) applyEffect(store, uploaded.effect);
  }
  return { kind: 'loaded', store };
}

/** The APS reference target built from one set of semantics. */
export interface ApsReference {
  readonly semantics: ApsSemantics;
  /**
   * Builds a fresh store for `world`. A refused bucket gives `rejected`; a world no client could
   * build (objects without a bucket, an upload the target refuses) throws `CONFORMANCE_INPUT`.
   */
  prepare(world: ApsWorld): Promise<Preparation>;
}

/** Builds the APS reference target whose steps are the documented ones, except those in `overrides` (for fault injection). */
export function createApsReference(overrides: Partial<ApsSemantics> = {}): ApsReference {
  // An entry given as undefined keeps the documented step, as if it had been left out.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, step]) => step !== undefined));
  const semantics: ApsSemantics = Object.keys(given).length === 0 ? DOCUMENTED_APS_SEMANTICS : Object.freeze({ ...DOCUMENTED_APS_SEMANTICS, ...given });
  return {
    semantics,
    async prepare(world: ApsWorld): Promise<Preparation> {
      // A world that no client could build under the documented rules is the caller's mistake.
      const documented = semantics === DOCUMENTED_APS_SEMANTICS ? undefined : loadApsWorld(world, DOCUMENTED_APS_SEMANTICS);
      const load = loadApsWorld(world, semantics);
      const malformed = documented?.kind === 'malformed' ? documented : documented === undefined && load.kind === 'malformed' ? load : undefined;
      if (malformed) {
        throw new ConformanceError('CONFORMANCE_INPUT', malformed.message, malformed.ruleId === undefined ? {} : { ruleId: malformed.ruleId });
      }
      // With other semantics (a faulty model), a documented world whose setup the target refuses
      // is the target's nonconformance: the world is reported as rejected, for the judge.
      if (load.kind === 'malformed') {
        return { kind: 'rejected', status: 403, message: `the target refused to build the world: ${load.message}`, explanation: { rules: load.ruleId === undefined ? [] : [load.ruleId], statements: [], reason: 'no-grant' } };
      }
      if (load.kind === 'rejected') {
        return { kind: 'rejected', status: load.status, message: load.message, explanation: load.explanation };
      }
      const store = load.store;
      return {
        kind: 'ready',
        async observe(request: Request): Promise<Observation> {
          const { decision, effect } = evaluate(store, request as ApsRequest, world.bucket?.key, semantics);
          if (effect !== undefined) applyEffect(store, effect);
          // APS error bodies are {"reason": "..."} without a code (vendor notes §4), so no `code`.
          return { kind: 'decided', decision: decision.decision, status: decision.status, explanation: decision.explanation };
        },
        async release(): Promise<void> {
          store.buckets.clear();
        },
      };
    },
  };
}
