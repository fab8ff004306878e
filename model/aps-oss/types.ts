/**
 * APS OSS worlds and requests, in the shape of the `decide` case format (issue #3): a bucket
 * created by its owner with an `allow` list of other keys, the objects in it with the key that
 * uploaded each, and one operation by an app (a client id).
 */

/** Access levels of an `allow` entry (seed 000: "full, read or write"). */
export const APS_ACCESS_LEVELS = ['full', 'read', 'write'] as const;
/** One access level. */
export type ApsAccess = (typeof APS_ACCESS_LEVELS)[number];

/** Retention policies of a bucket (vendor notes aps-oss.md §1.1). */
export const APS_POLICY_KEYS = ['transient', 'temporary', 'persistent'] as const;
/** One retention policy. */
export type ApsPolicyKey = (typeof APS_POLICY_KEYS)[number];

/** The most keys an `allow` list may name (seed 000: "up to 60 keys"). */
export const APS_MAX_GRANTS = 60;

/** The bucketKey syntax of the OpenAPI path (vendor notes §1.1, RECOMMENDATION: the regex). */
export const APS_BUCKET_KEY_PATTERN = /^[-_.a-z0-9]{3,128}$/;

/** Operations on objects: the request names an object. */
export const APS_OBJECT_OPERATIONS = ['uploadObject', 'downloadObject', 'deleteObject', 'getObjectDetails'] as const;
/** Operations on the bucket as a whole. */
export const APS_BUCKET_OPERATIONS = ['getBucketDetails', 'getBucketObjects', 'deleteBucket'] as const;
/** Operations of the app's account, not of one bucket: list buckets, create a bucket. */
export const APS_ACCOUNT_OPERATIONS = ['getBuckets', 'createBucket'] as const;
/** Every operation a request may perform (the `@aps_sdk/oss` method names). */
export const APS_OPERATIONS = [...APS_ACCOUNT_OPERATIONS, ...APS_BUCKET_OPERATIONS, ...APS_OBJECT_OPERATIONS] as const;
/** One operation. */
export type ApsOperation = (typeof APS_OPERATIONS)[number];
/** One object operation. */
export type ApsObjectOperation = (typeof APS_OBJECT_OPERATIONS)[number];

/** Whether an operation acts on an object (and so needs `request.object`). */
export function isObjectOperation(op: string): op is ApsObjectOperation {
  return (APS_OBJECT_OPERATIONS as readonly string[]).includes(op);
}

/** Whether `value` is an operation name. */
export function isApsOperation(value: unknown): value is ApsOperation {
  return typeof value === 'string' && (APS_OPERATIONS as readonly string[]).includes(value);
}

/**
 * One entry of an `allow` list. `access` is a string so that invalid values can be submitted
 * (APS-GRANT-ACCESS-VALUES); valid worlds use an `ApsAccess`.
 */
export interface ApsGrant {
  authId: string;
  access: string;
}

/** The body of POST /oss/v2/buckets. Fields are loosely typed so that invalid payloads can be submitted. */
export interface ApsCreatePayload {
  bucketKey: string;
  policyKey?: string;
  allow?: ApsGrant[];
}

/** A bucket: its key, the app that created it, and the grants it was created with. */
export interface ApsBucket {
  key: string;
  /** The client id of the app that created the bucket. */
  owner: string;
  policyKey?: string;
  allow?: ApsGrant[];
}

/** An object in the bucket and the app that uploaded it. */
export interface ApsObject {
  key: string;
  uploadedBy: string;
}

/**
 * A world: optionally a bucket created by its owner with its `allow` list, and the objects in
 * it, each uploaded (in order) by the app named. Preparing it creates the bucket with the
 * owner's credentials and uploads each object with its uploader's; a world whose bucket is
 * invalid (61 keys, an unknown access value) is rejected. The bucket key is a logical name (a
 * live target prefixes it with the run's prefix), so its syntax is held only to createBucket
 * requests.
 */
export interface ApsWorld {
  vendor: 'aps-oss';
  bucket?: ApsBucket;
  objects?: ApsObject[];
}

/**
 * One request: an app (client id) performs an operation. `bucket` defaults to the world's
 * bucket; `object` names the object of object operations; `payload` is the body of
 * `createBucket`, which names no bucket.
 */
export interface ApsRequest {
  actor: string;
  operation: ApsOperation;
  bucket?: string;
  object?: string;
  payload?: ApsCreatePayload;
}
