/**
 * The actions the live adapter sends, each as the HTTP request of its API (vendor notes
 * alibaba-oss.md §1.2 API-to-action table, §4.1, §5.5), and how an answer becomes an access
 * decision. A request must not change the world it is observed in (the next request of the same
 * world is decided against the same state), so requests that would change state are built to be
 * refused just after the access check: PutObject and PutBucketPolicy carry a wrong `Content-MD5`
 * (400 InvalidDigest, checked after authorization), DeleteBucket meets a bucket that is not empty
 * (409 BucketNotEmpty, the world keeps a sentinel object), object requests name objects that do
 * not exist (404 NoSuchKey), AbortMultipartUpload an upload that does not exist (404 NoSuchUpload).
 * The few that still change something (PutBucketAcl, DeleteBucketPolicy) are undone by the world
 * before its next request.
 */
import type { AliBucketAcl } from '../../../model/alibaba-oss/types.ts';
import type { OssCall } from './wire.ts';

/** How a request that was allowed still ends once past the access check, without changing anything. */
export interface ActionSpec {
  /** `bucket` actions have no object, `object` actions need one. */
  level: 'bucket' | 'object';
  /** Error codes (after a non-2xx status) that come after the access check: the request was allowed. */
  allowedErrors: readonly string[];
  /** What a 2xx answer changed, for the world to undo before its next request. */
  changes?: 'bucket-acl' | 'policy-deleted' | 'policy-put' | 'object-created' | 'bucket-deleted';
}

/**
 * The actions this client maps to HTTP requests that the emulator's dialect serves and decides
 * like the reference (emulator/alibaba-oss/README.md, "Operations"). Left out: `oss:ListBuckets`
 * (service level: no bucket policy decides it, §1.2), `oss:PutBucket` (a bucket name another
 * account holds is 409 BucketAlreadyExists before any access check, so only the owner's own
 * requests are decided), the other version actions, lifecycle, logging, CORS, tagging, multipart-listing,
 * restore, LiveChannel and vector actions (501 NotImplemented in the emulator, or no such bucket).
 */
export const ACTION_SPECS: Readonly<Record<string, ActionSpec>> = {
  'oss:GetBucketInfo': { level: 'bucket', allowedErrors: [] },
  'oss:GetBucketLocation': { level: 'bucket', allowedErrors: [] },
  'oss:ListObjects': { level: 'bucket', allowedErrors: [] },
  // ListObjectVersions (`GET /?versions`, ali-oss getBucketVersions): a listing, like ListObjects.
  'oss:ListObjectVersions': { level: 'bucket', allowedErrors: [] },
  'oss:GetBucketAcl': { level: 'bucket', allowedErrors: [] },
  'oss:PutBucketAcl': { level: 'bucket', allowedErrors: [], changes: 'bucket-acl' },
  // §3: GetBucketPolicy without a policy is 404 NoSuchBucketPolicy (EC 0030-00000006), after the access check.
  'oss:GetBucketPolicy': { level: 'bucket', allowedErrors: ['NoSuchBucketPolicy'] },
  // InvalidPolicyDocument too: a target that reads the body before its digest refuses the `{}` sent when the world has no policy.
  'oss:PutBucketPolicy': { level: 'bucket', allowedErrors: ['InvalidDigest', 'InvalidPolicyDocument'], changes: 'policy-put' },
  // §3: DeleteBucketPolicy succeeds with or without a policy (204).
  'oss:DeleteBucketPolicy': { level: 'bucket', allowedErrors: [], changes: 'policy-deleted' },
  'oss:DeleteBucket': { level: 'bucket', allowedErrors: ['BucketNotEmpty'], changes: 'bucket-deleted' },
  // §4.1: GetObject of a missing key is 404 NoSuchKey.
  'oss:GetObject': { level: 'object', allowedErrors: ['NoSuchKey'] },
  'oss:PutObject': { level: 'object', allowedErrors: ['InvalidDigest'], changes: 'object-created' },
  // §4.1: DeleteObject is 204 whether or not the object exists.
  'oss:DeleteObject': { level: 'object', allowedErrors: [] },
  'oss:GetObjectAcl': { level: 'object', allowedErrors: ['NoSuchKey'] },
  'oss:PutObjectAcl': { level: 'object', allowedErrors: ['NoSuchKey'] },
  'oss:AbortMultipartUpload': { level: 'object', allowedErrors: ['NoSuchUpload'] },
};

/** The names of the actions this client sends. */
export const SUPPORTED_ACTIONS: ReadonlySet<string> = new Set(Object.keys(ACTION_SPECS));

/**
 * The key of the sentinel object every world's bucket holds, so that an allowed DeleteBucket
 * meets a bucket that is not empty. Upper case: generated keys are lower-case letters, digits,
 * `-`, `_`, `.` and `/` (generators/alibaba-oss/names.ts), so no generated request names it; a
 * request that does is not sent.
 */
export const SENTINEL_KEY = 'BUCKET-CONFORMANCE-SENTINEL';

/** The upload id an AbortMultipartUpload names: no upload of the run has it (the run starts none). */
export const NO_SUCH_UPLOAD_ID = '0000000000000000000000000000BC00';

/** The parameters of a request that its context supplies. */
export interface ActionInput {
  bucket: string;
  key: string | undefined;
  /** `prefix` and `delimiter` of ListObjects and ListObjectVersions (`oss:Prefix`, `oss:Delimiter`), when sent. */
  prefix?: string | undefined;
  delimiter?: string | undefined;
  /** `x-oss-acl` of PutBucketAcl (`oss:x-oss-acl`). */
  bucketAcl?: AliBucketAcl | string | undefined;
  /** `x-oss-object-acl` of PutObject and PutObjectAcl (`oss:x-oss-object-acl`). */
  objectAcl?: string | undefined;
  /** The policy text a PutBucketPolicy carries (refused for its Content-MD5 before it is read). */
  policyText: string;
}

/** The Content-MD5 of nothing sent: a valid digest that matches no body the adapter sends. */
export const WRONG_MD5 = '1B2M2Y8AsgTpgAmY7PhCfg==';

/** The HTTP request of an action (`ACTION_SPECS` says which exist). */
export function actionCall(action: string, input: ActionInput): OssCall {
  const { bucket, key } = input;
  switch (action) {
    case 'oss:GetBucketInfo':
      return { method: 'GET', bucket, query: [['bucketInfo', '']] };
    case 'oss:GetBucketLocation':
      return { method: 'GET', bucket, query: [['location', '']] };
    case 'oss:ListObjects':
    case 'oss:ListObjectVersions': {
      const query: [string, string][] = action === 'oss:ListObjectVersions' ? [['versions', '']] : [];
      if (input.prefix !== undefined) query.push(['prefix', input.prefix]);
      if (input.delimiter !== undefined) query.push(['delimiter', input.delimiter]);
      return { method: 'GET', bucket, query };
    }
    case 'oss:GetBucketAcl':
      return { method: 'GET', bucket, query: [['acl', '']] };
    case 'oss:PutBucketAcl':
      return { method: 'PUT', bucket, query: [['acl', '']], headers: { 'x-oss-acl': String(input.bucketAcl ?? 'private') } };
    case 'oss:GetBucketPolicy':
      return { method: 'GET', bucket, query: [['policy', '']] };
    case 'oss:PutBucketPolicy':
      // WRONG_MD5 is the digest of the empty body: the body is not empty, so the target refuses it (InvalidDigest) once access is granted.
      return { method: 'PUT', bucket, query: [['policy', '']], headers: { 'content-md5': WRONG_MD5 }, body: input.policyText === '' ? '{}' : input.policyText };
    case 'oss:DeleteBucketPolicy':
      return { method: 'DELETE', bucket, query: [['policy', '']] };
    case 'oss:DeleteBucket':
      return { method: 'DELETE', bucket };
    case 'oss:GetObject':
      return { method: 'GET', bucket, key };
    case 'oss:PutObject': {
      const headers: Record<string, string> = { 'content-md5': WRONG_MD5 };
      if (input.objectAcl !== undefined) headers['x-oss-object-acl'] = input.objectAcl;
      return { method: 'PUT', bucket, key, headers, body: 'bucket-conformance probe' };
    }
    case 'oss:DeleteObject':
      return { method: 'DELETE', bucket, key };
    case 'oss:GetObjectAcl':
      return { method: 'GET', bucket, key, query: [['acl', '']] };
    case 'oss:PutObjectAcl':
      return { method: 'PUT', bucket, key, query: [['acl', '']], headers: { 'x-oss-object-acl': input.objectAcl ?? 'default' } };
    case 'oss:AbortMultipartUpload':
      return { method: 'DELETE', bucket, key, query: [['uploadId', NO_SUCH_UPLOAD_ID]] };
    default:
      throw new Error(`no HTTP request for \`${action}\``);
  }
}
