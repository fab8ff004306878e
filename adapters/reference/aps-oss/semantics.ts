/**
 * The named decision steps of the APS OSS evaluator, as a record that tests can override one
 * entry at a time to build a deliberately faulty target (and check that the conformance suite
 * catches it). `DOCUMENTED_APS_SEMANTICS` is the literal reading of seeds 000 and 001 that the
 * project chose; every entry cites its rule.
 */
import { APS_MAX_GRANTS, type ApsAccess, type ApsObjectOperation } from '../../../model/aps-oss/types.ts';

/**
 * The operations that seed 001 lists under "Owner-Only Operations": GET Buckets, POST Bucket,
 * GET Bucket Details, GET Bucket Objects, GET Bucket Object Details, DELETE Bucket.
 */
export const APS_OWNER_ONLY_OPERATIONS = ['getBuckets', 'createBucket', 'getBucketDetails', 'getBucketObjects', 'getObjectDetails', 'deleteBucket'] as const;
/** One owner-only operation. */
export type ApsOwnerOnlyOperation = (typeof APS_OWNER_ONLY_OPERATIONS)[number];

/** Who uploaded an object that a granted key did not upload itself: the bucket owner or another granted key. */
export const APS_OTHER_UPLOADERS = ['owner', 'other-key'] as const;
/** One uploader other than the actor. */
export type ApsOtherUploader = (typeof APS_OTHER_UPLOADERS)[number];

/** The object operations that change an object: overwrite (upload over it) or delete it. */
export type ApsModifyOperation = Extract<ApsObjectOperation, 'uploadObject' | 'deleteObject'>;

/** The decision steps of the evaluator. Each answers one question the documents answer (or that the project's reading settles). */
export interface ApsSemantics {
  /** The most entries an `allow` list may hold; one more is a 400. */
  readonly maxGrants: number;
  /**
   * Whether a granted key is refused `operation` with a 403. For the account operations
   * (getBuckets, createBucket) "granted key" means an app named in the allow list of any live
   * bucket. An operation this answers `false` for is decided like the owner's bucket operations
   * (bucket operations) or like a download (getObjectDetails).
   */
  readonly ownerOnly: (operation: ApsOwnerOnlyOperation) => boolean;
  /** Whether a key of `level` may upload: new objects, and overwriting objects it uploaded. */
  readonly mayUpload: (level: ApsAccess) => boolean;
  /** Whether a key of `level` may download objects it uploaded itself. */
  readonly mayReadOwn: (level: ApsAccess) => boolean;
  /** Whether a key of `level` may delete objects it uploaded itself. */
  readonly mayDeleteOwn: (level: ApsAccess) => boolean;
  /** Whether a key of `level` that may read its own objects may also download one that `uploader` uploaded. */
  readonly mayReadOthers: (level: ApsAccess, uploader: ApsOtherUploader) => boolean;
  /** Whether a key of `level` that may upload (or delete) its own objects may overwrite (or delete) one that `uploader` uploaded. */
  readonly mayModifyOthers: (level: ApsAccess, operation: ApsModifyOperation, uploader: ApsOtherUploader) => boolean;
  /** Whether the bucket owner may perform `operation` on an object that a granted key uploaded. */
  readonly ownerMayAccessKeyObject: (operation: ApsObjectOperation) => boolean;
  /** Whether the key of a deleted bucket may be given to a new bucket (a 409 when not). */
  readonly deletedKeyReusable: boolean;
}

/** The semantics of the literal reading of the documents; the default of every APS reference target. */
export const DOCUMENTED_APS_SEMANTICS: ApsSemantics = Object.freeze({
  // APS-GRANT-LIMIT (000): "the bucket owner can specify a list of keys; up to 60 keys, to which you want to grant
  // bucket permissions". The vendor notes (§2) record the conflict with "up to 59 additional applications" [A3];
  // the project reads 60 entries of `allow`.
  maxGrants: APS_MAX_GRANTS,

  // APS-OWNER-ONLY-API (001): "Most OSS APIs are restricted to the bucket owner. Granted keys attempting these
  // operations will receive a 403 Forbidden response. These APIs include: GET Buckets, POST Bucket, GET Bucket
  // Details, GET Bucket Objects, GET Bucket Object Details, DELETE Bucket". Literal reading: all six, for any app
  // that holds a grant.
  ownerOnly: (_operation: ApsOwnerOnlyOperation): boolean => true,

  // APS-READ-NO-WRITE (000): "The app cannot perform any upload or delete operations in either buckets or objects."
  // APS-WRITE-UPLOAD (000): "The app can create and change content (uploads / writes) into the bucket".
  // APS-FULL-OWN (000): "This type of access is 'upload/write, download/read and change own data permission'".
  mayUpload: (level: ApsAccess): boolean => level === 'write' || level === 'full',

  // APS-READ-OWN (000): "the app will only access objects that they own or upload into the bucket."
  // APS-WRITE-NO-READ (000): "cannot read/download the content/objects it uploaded."
  // APS-FULL-OWN (000): "'upload/write, download/read and change own data permission'".
  mayReadOwn: (level: ApsAccess): boolean => level === 'read' || level === 'full',

  // APS-WRITE-DELETE-OWN (000): "Delete operation is also allowed only on the objects the app uploaded into the bucket."
  // APS-FULL-OWN (000): "change own data"; APS-READ-NO-WRITE (000): no "upload or delete operations".
  mayDeleteOwn: (level: ApsAccess): boolean => level === 'write' || level === 'full',

  // APS-NO-CROSS-READ (001): "Even when a ClientID is granted full access to a bucket, access is still restricted :
  // Cannot download objects uploaded by the bucket owner; Cannot download objects uploaded by other granted keys".
  mayReadOthers: (_level: ApsAccess, _uploader: ApsOtherUploader): boolean => false,

  // APS-WRITE-UPLOAD, APS-FULL-OWN (000): "upload and change own data permission", "change own data permission";
  // vendor notes §2 [A3]: "Regardless of the permission level, an application can only read, modify, or delete
  // objects it has created."
  mayModifyOthers: (_level: ApsAccess, _operation: ApsModifyOperation, _uploader: ApsOtherUploader): boolean => false,

  // APS-OWNER-READS-ALL (001): "Bucket owner application can access all objects uploaded by granted keys".
  ownerMayAccessKeyObject: (_operation: ApsObjectOperation): boolean => true,

  // Vendor notes §1.1 [A5]: "Bucket keys of deleted buckets will not be immediately available for reuse"; in a
  // prepared world "not immediately" is "never".
  deletedKeyReusable: false,
});
