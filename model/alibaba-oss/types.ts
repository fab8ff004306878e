/**
 * Alibaba Cloud OSS worlds and requests, in the shape of the `decide` case format (issue #2):
 * a bucket with its owner, an optional bucket policy, and a request by a principal.
 */

/** Bucket ACL values (vendor notes §2.2). Public ACLs are outside the seeds; `private` is the default. */
export const ALI_BUCKET_ACLS = ['private', 'public-read', 'public-read-write'] as const;
/** A bucket ACL value. */
export type AliBucketAcl = (typeof ALI_BUCKET_ACLS)[number];

/** The bucket a world is about. `owner` is the UID of the account that owns it. */
export interface AliBucket {
  name: string;
  owner: string;
  /** Region id used in resource names of requests, such as `cn-hangzhou`. Default `cn-hangzhou`. */
  region?: string;
  /** Bucket ACL; default `private`. */
  acl?: AliBucketAcl;
}

/** A string or a list of strings, as Action, Principal and Resource accept (ALI-SYNTAX). */
export type OneOrMany = string | string[];

/** One statement of a bucket policy, as written in JSON. */
export interface AliStatement {
  Effect: 'Allow' | 'Deny';
  Action: OneOrMany;
  Principal?: OneOrMany;
  Resource: OneOrMany;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A bucket policy document, as written in JSON. */
export interface AliPolicy {
  Version: string;
  Statement: AliStatement[];
}

/**
 * A world: the bucket and its policy. `policy` is either a JSON value (serialized compactly
 * before it is submitted) or a string holding the exact policy text to submit.
 */
export interface AliWorld {
  vendor: 'alibaba-oss';
  bucket: AliBucket;
  policy?: unknown;
}

/** The principal string of an anonymous request. */
export const ANONYMOUS = 'anonymous';

/**
 * One request. `principal` is an account or RAM user UID, an
 * `arn:sts::<uid>:assumed-role/<role>/<session>` string, or `anonymous`; `object` is absent for
 * bucket-level actions; `context` maps condition keys (`acs:SourceIp`, `oss:Prefix`, ...) to the
 * request's values. A key absent from `context` is absent from the request.
 */
export interface AliRequest {
  principal: string;
  action: string;
  object?: string;
  context?: Record<string, string>;
}

/** The default region of a bucket whose world does not name one. */
export const DEFAULT_REGION = 'cn-hangzhou';
