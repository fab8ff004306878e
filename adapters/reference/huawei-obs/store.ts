/**
 * The state of the in-process OBS target: one bucket with its owner, its current policy (the
 * text as put, its AST, and its compiled form) or none, and its current ACL. The evaluator reads
 * it; only `applyEffect` changes it.
 */
import type { ObsBucket, ObsGrant } from '../../../model/huawei-obs/types.ts';
import type { CompiledObsPolicy } from './compile.ts';
import type { ObsSubmittedPolicy } from './semantics.ts';

/** A policy as the target holds it. */
export interface ObsStoredPolicy extends ObsSubmittedPolicy {
  readonly compiled: CompiledObsPolicy;
}

/** Everything the target holds. */
export interface ObsStore {
  readonly bucket: ObsBucket;
  policy: ObsStoredPolicy | undefined;
  /** The whole ACL, as last put (or the default one); the owner's permanent rights are not in it. */
  acl: ObsGrant[];
}

/** A change the target makes when it allows a request. */
export type ObsEffect =
  | { kind: 'put-policy'; policy: ObsStoredPolicy }
  | { kind: 'delete-policy' }
  | { kind: 'put-acl'; acl: ObsGrant[] }
  | { kind: 'enable-logging'; acl: ObsGrant[] };

/** Applies the change of an allowed request. */
export function applyEffect(store: ObsStore, effect: ObsEffect): void {
  switch (effect.kind) {
    case 'put-policy':
      store.policy = effect.policy;
      return;
    case 'delete-policy':
      store.policy = undefined;
      return;
    case 'put-acl':
    case 'enable-logging':
      store.acl = effect.acl;
      return;
  }
}
