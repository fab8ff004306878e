/**
 * The state of the in-process APS target: buckets by key, each with its owner, the grants it was
 * created with, its objects and who uploaded each, and whether it was deleted. The evaluator
 * reads it; only `applyEffect` changes it.
 */
import type { ApsAccess, ApsPolicyKey } from '../../../model/aps-oss/types.ts';

/** A bucket as the target holds it. */
export interface ApsStoredBucket {
  readonly key: string;
  /** The client id of the app that created the bucket. */
  readonly owner: string;
  readonly policyKey: ApsPolicyKey;
  /**
   * The grants by client id, the owner never among them. APS-NO-REVOKE (001): "Currently, there is no
   * supported API to revoke or modify access rights granted to other keys", so they never change.
   */
  readonly grants: ReadonlyMap<string, ApsAccess>;
  /** The objects: object key to the client id of the app that created it. */
  readonly objects: Map<string, string>;
  /** DELETE Bucket marks the bucket; its key stays taken (vendor notes §1.1 [A5]). */
  deleted: boolean;
}

/** Everything the target holds. */
export interface ApsStore {
  readonly buckets: Map<string, ApsStoredBucket>;
}

/** Who an app is relative to a bucket: the app that created it, a key its allow list names, or neither. */
export type ApsRoleIn =
  | { kind: 'owner' }
  | { kind: 'granted'; level: ApsAccess }
  | { kind: 'stranger' };

/** A change the target makes when it allows a request. */
export type ApsEffect =
  | { kind: 'create-bucket'; key: string; owner: string; policyKey: ApsPolicyKey; grants: ReadonlyMap<string, ApsAccess> }
  | { kind: 'delete-bucket'; bucket: string }
  | { kind: 'put-object'; bucket: string; object: string; uploadedBy: string }
  | { kind: 'delete-object'; bucket: string; object: string };

/** A target that holds nothing. */
export function emptyStore(): ApsStore {
  return { buckets: new Map() };
}

/** The role of `app` in `bucket`. The owner is the owner even if its own allow list names it. */
export function roleIn(bucket: ApsStoredBucket, app: string): ApsRoleIn {
  if (app === bucket.owner) return { kind: 'owner' };
  const level = bucket.grants.get(app);
  return level === undefined ? { kind: 'stranger' } : { kind: 'granted', level };
}

/** Whether `app` is a granted key of some bucket that is not deleted. */
export function holdsLiveGrant(store: ApsStore, app: string): boolean {
  for (const bucket of store.buckets.values()) if (!bucket.deleted && bucket.grants.has(app)) return true;
  return false;
}

/** Applies the change of an allowed request. */
export function applyEffect(store: ApsStore, effect: ApsEffect): void {
  switch (effect.kind) {
    case 'create-bucket':
      store.buckets.set(effect.key, { key: effect.key, owner: effect.owner, policyKey: effect.policyKey, grants: effect.grants, objects: new Map(), deleted: false });
      return;
    case 'delete-bucket': {
      const bucket = store.buckets.get(effect.bucket);
      if (bucket !== undefined) bucket.deleted = true;
      return;
    }
    case 'put-object':
      store.buckets.get(effect.bucket)?.objects.set(effect.object, effect.uploadedBy);
      return;
    case 'delete-object':
      store.buckets.get(effect.bucket)?.objects.delete(effect.object);
      return;
  }
}
