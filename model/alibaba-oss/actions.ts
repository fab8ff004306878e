/**
 * The catalogue of OSS actions the suite generates requests for, with the resource level each
 * acts on (vendor notes alibaba-oss.md §1.2, from S2 and S5). The evaluator does not read this
 * table: a request names its object or not, and that decides the resource form (ALI-RESOURCE).
 */

/** The resource an action applies to: the service, a bucket, an object, or a vector index. */
export type ActionLevel = 'service' | 'bucket' | 'object' | 'vector-index';

/** One action of the catalogue. */
export interface AliAction {
  /** The policy name, such as `oss:GetObject`. */
  name: string;
  level: ActionLevel;
  /** Condition keys that a request for this action can carry besides the common ones. */
  keys?: readonly string[];
}

const service = (n: string): AliAction => ({ name: `oss:${n}`, level: 'service' });
const bucket = (n: string, keys?: readonly string[]): AliAction => ({ name: `oss:${n}`, level: 'bucket', ...(keys ? { keys } : {}) });
const object = (n: string, keys?: readonly string[]): AliAction => ({ name: `oss:${n}`, level: 'object', ...(keys ? { keys } : {}) });
const vector = (n: string): AliAction => ({ name: `oss:${n}`, level: 'vector-index' });

/** Actions in scope, grouped by level. */
export const ALI_ACTIONS: readonly AliAction[] = [
  service('ListBuckets'),
  bucket('PutBucket', ['oss:x-oss-acl']),
  bucket('DeleteBucket'),
  bucket('GetBucketInfo'),
  bucket('GetBucketLocation'),
  bucket('GetBucketStat'),
  bucket('ListObjects', ['oss:Prefix', 'oss:Delimiter']),
  bucket('ListObjectVersions', ['oss:Prefix', 'oss:Delimiter']),
  bucket('ListMultipartUploads'),
  bucket('PutBucketAcl', ['oss:x-oss-acl']),
  bucket('GetBucketAcl'),
  bucket('PutBucketPolicy'),
  bucket('GetBucketPolicy'),
  bucket('DeleteBucketPolicy'),
  bucket('GetBucketPolicyStatus'),
  bucket('PutBucketLifecycle'),
  bucket('GetBucketLifecycle'),
  bucket('DeleteBucketLifecycle'),
  bucket('PutBucketLogging'),
  bucket('GetBucketLogging'),
  bucket('PutBucketCors'),
  bucket('GetBucketCors'),
  bucket('PutBucketTagging'),
  bucket('GetBucketTagging'),
  bucket('PutBucketVersioning'),
  bucket('GetBucketVersioning'),
  object('GetObject'),
  object('PutObject', ['oss:x-oss-object-acl']),
  object('DeleteObject'),
  object('GetObjectAcl'),
  object('PutObjectAcl', ['oss:x-oss-object-acl']),
  object('GetObjectVersion'),
  object('GetObjectVersionAcl'),
  object('PutObjectVersionAcl', ['oss:x-oss-object-acl']),
  object('DeleteObjectVersion'),
  object('RestoreObject'),
  object('RestoreObjectVersion'),
  object('AbortMultipartUpload'),
  object('ListParts'),
  object('GetObjectTagging'),
  object('PutObjectTagging'),
  object('DeleteObjectTagging'),
  object('GetVodPlaylist'),
  object('PostVodPlaylist'),
  object('PublishRtmpStream'),
  vector('PutVectors'),
  vector('GetVectors'),
];

const byName = new Map(ALI_ACTIONS.map((a) => [a.name, a] as const));

/** The catalogue entry of `name`, or undefined for an action outside the catalogue. */
export function aliAction(name: string): AliAction | undefined {
  return byName.get(name);
}

/** Catalogue actions of one level. */
export function aliActionsAt(level: ActionLevel): readonly AliAction[] {
  return ALI_ACTIONS.filter((a) => a.level === level);
}
