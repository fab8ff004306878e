/**
 * Huawei Cloud OBS worlds and requests, in the shape of the `decide` case format (issue #4): a
 * bucket with its owner (an account), an optional bucket policy in the OBS format, an optional
 * bucket ACL, and a request by an account, one of its IAM users, the log delivery service or an
 * anonymous caller.
 */

/** Permissions of a bucket ACL grant (seed 004, Table 2; vendor notes §5.1). */
export const OBS_ACL_PERMISSIONS = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'] as const;
/** One permission. */
export type ObsAclPermission = (typeof OBS_ACL_PERMISSIONS)[number];

/** Grantee groups (seed 004, Table 1): anonymous users, registered users, the log delivery user. */
export const OBS_ACL_GROUPS = ['Everyone', 'AuthenticatedUsers', 'LogDelivery'] as const;
/** One group. */
export type ObsAclGroup = (typeof OBS_ACL_GROUPS)[number];

/** Who a grant is for: an account (and so all its IAM users), or a group. */
export type ObsGrantee = { account: string } | { group: ObsAclGroup };

/** One grant of a bucket ACL. Fields are strings so that invalid values can be submitted. */
export interface ObsGrant {
  grantee: ObsGrantee;
  permission: string;
}

/** The most grants a bucket ACL holds (vendor notes §5.1: "a maximum of 100 grants"). */
export const OBS_MAX_GRANTS = 100;

/** The most bytes of a bucket policy (seed 003: "cannot exceed 20 KB"; 20 KB = 20 x 1024 bytes). */
export const OBS_MAX_POLICY_BYTES = 20 * 1024;

/** The bucket a world is about. `owner` is the id of the account that owns it. */
export interface ObsBucket {
  name: string;
  owner: string;
}

/**
 * A world: the bucket, its policy and its ACL. `policy` is a JSON value (serialized compactly
 * before it is submitted) or a string holding the exact policy text; absent, there is none.
 * `acl` absent is the default private ACL (the owner has FULL_CONTROL); present, it is the
 * whole ACL (the owner has only what it lists, plus its permanent READ_ACP and WRITE_ACP).
 */
export interface ObsWorld {
  vendor: 'huawei-obs';
  bucket: ObsBucket;
  policy?: unknown;
  acl?: ObsGrant[];
}

/** The principal of an anonymous request. */
export const OBS_ANONYMOUS = 'anonymous';
/** The principal of the log delivery service (the log delivery group's only member). */
export const OBS_LOG_DELIVERY = 'log-delivery';

/**
 * Who sends a request: an account (no `user`: the account itself), one of its IAM users, the log
 * delivery service, or nobody. An IAM user is `user`, its id (or, where only a name is known, the
 * name), and optionally `userName`, its name: a policy may name the user by either (vendor notes
 * §1.3: `domain/<accountId>:user/<userId or userName>`). `userName` is given only with `user`.
 */
export type ObsPrincipal = { account: string; user?: string; userName?: string } | typeof OBS_ANONYMOUS | typeof OBS_LOG_DELIVERY;

/**
 * One request. `action` is an OBS policy action name (`GetObject`, `ListBucket`,
 * `PutBucketPolicy`, ...); `object` is given for object actions only; `context` maps condition
 * keys (`SourceIp`, `UserAgent`, `Referer`, `prefix`, ...) to the request's values. The bodies of
 * the management actions: `policy` for PutBucketPolicy (a JSON value or the exact text), `acl`
 * for PutBucketAcl (the whole new ACL), `logging` for PutBucketLogging.
 */
export interface ObsRequest {
  principal: ObsPrincipal;
  action: string;
  object?: string;
  context?: Record<string, string>;
  policy?: unknown;
  acl?: ObsGrant[];
  logging?: { targetBucket: string };
}
