import type { ObsAclPermission } from './types.ts';

/**
 * The catalogue of OBS bucket-policy actions the suite generates requests for (vendor notes
 * huawei-obs.md §1.4, from O22), with the resource each acts on and the bucket ACL permission
 * that grants it (§2, the ACL-to-policy table of O3). Actions no bucket ACL permission grants
 * (GetObject is an object ACL's READ; the policy and logging APIs) have none.
 */

/** The resource an action applies to. */
export type ObsActionLevel = 'bucket' | 'object';

/** One action of the catalogue. */
export interface ObsAction {
  /** The bare policy name, such as `GetObject`. */
  name: string;
  level: ObsActionLevel;
  /** The bucket ACL permission that grants it, if any (O3). */
  acl?: Exclude<ObsAclPermission, 'FULL_CONTROL'>;
  /** Condition keys a request for this action can carry besides the general ones (O1). */
  keys?: readonly string[];
}

const bucket = (name: string, acl?: ObsAction['acl'], keys?: readonly string[]): ObsAction => ({ name, level: 'bucket', ...(acl ? { acl } : {}), ...(keys ? { keys } : {}) });
const object = (name: string, acl?: ObsAction['acl'], keys?: readonly string[]): ObsAction => ({ name, level: 'object', ...(acl ? { acl } : {}), ...(keys ? { keys } : {}) });

/** Actions in scope. */
export const OBS_ACTIONS: readonly ObsAction[] = [
  // Bucket READ: "obtain the list of objects in the bucket and the metadata of the bucket" (seed 004).
  bucket('ListBucket', 'READ', ['prefix', 'delimiter', 'max-keys']),
  bucket('ListBucketVersions', 'READ', ['prefix', 'delimiter', 'max-keys']),
  bucket('HeadBucket', 'READ'),
  bucket('ListBucketMultipartUploads', 'READ'),
  // Bucket WRITE: "upload, overwrite, and delete any object in the bucket" (seed 004).
  object('PutObject', 'WRITE', ['acl']),
  object('DeleteObject', 'WRITE'),
  object('DeleteObjectVersion', 'WRITE', ['versionId']),
  // Permission access: READ_ACP "obtain the ACL", WRITE_ACP "update the ACL" (seed 004).
  bucket('GetBucketAcl', 'READ_ACP'),
  bucket('PutBucketAcl', 'WRITE_ACP', ['acl']),
  // The owner's alone (seed 003: "A bucket owner can perform the PutBucket policy operation ...").
  bucket('PutBucketPolicy'),
  bucket('GetBucketPolicy'),
  bucket('DeleteBucketPolicy'),
  // Granted only by a policy (or the owner's default full control).
  object('GetObject'),
  object('GetObjectAcl'),
  object('PutObjectAcl', undefined, ['acl']),
  bucket('GetBucketLocation'),
  bucket('GetBucketLogging'),
  bucket('PutBucketLogging'),
  bucket('GetBucketVersioning'),
  bucket('PutBucketVersioning'),
];

/** The bucket-policy APIs, which only the owner may use (OBS-OWNER-MANAGES). */
export const OBS_POLICY_ACTIONS: readonly string[] = ['PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy'];

const BY_NAME = new Map(OBS_ACTIONS.map((a) => [a.name.toLowerCase(), a] as const));

/** The catalogue entry of an action, by its name in any case (action names are case-insensitive, O1). */
export function obsAction(name: string): ObsAction | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The ACL permissions that imply `permission` (FULL_CONTROL is all four). */
export function permissionsGranting(permission: Exclude<ObsAclPermission, 'FULL_CONTROL'>): readonly ObsAclPermission[] {
  return [permission, 'FULL_CONTROL'];
}
