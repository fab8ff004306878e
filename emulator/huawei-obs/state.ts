/**
 * The state of an OBS emulator: many buckets, each one reference `ObsStore` (owner, policy, ACL:
 * what the reference evaluator decides against) plus what only the emulator keeps (objects,
 * creation date, location, which grants are `Delivered`, the logging configuration).
 */
import type { ObsStore } from '../../adapters/reference/huawei-obs/store.ts';
import type { ObsGrantee } from '../../model/huawei-obs/types.ts';

/** One stored object. */
export interface ObsObject {
  readonly key: string;
  readonly body: Buffer;
  /** Quoted MD5 hex, as OBS sends it. */
  readonly etag: string;
  readonly contentType: string;
  /** User metadata: the header name after the `x-obs-meta-` / `x-amz-meta-` prefix, and its value as sent. */
  readonly metadata: ReadonlyMap<string, string>;
  /** The uploading account's id, or `anonymous`. */
  readonly owner: string;
  readonly lastModified: Date;
  /** The canned ACL the upload named, if any (kept, not used for decisions: see README). */
  readonly cannedAcl?: string;
}

/** One bucket. */
export interface ObsBucketState {
  readonly store: ObsStore;
  readonly objects: Map<string, ObsObject>;
  readonly createdAt: Date;
  readonly location?: string;
  /** Keys (`granteeKey|permission`) of the current ACL's grants that were put with `Delivered` true. */
  delivered: Set<string>;
  /** The logging configuration last put by an allowed PutBucketLogging, if logging is enabled (no log is ever written). */
  logging?: { targetBucket: string; targetPrefix: string };
}

/** The key of a grant in `ObsBucketState.delivered`. */
export function grantKey(grantee: ObsGrantee, permission: string): string {
  return `${'account' in grantee ? `account:${grantee.account}` : `group:${grantee.group}`}|${permission}`;
}

/** Everything an emulator instance holds. */
export interface ObsEmulatorState {
  readonly buckets: Map<string, ObsBucketState>;
}
