/**
 * What a target can do or observe. A rule lists the capabilities it needs; a target that lacks
 * one is skipped for that rule, with the missing capability named (never a silent pass).
 */
export const CAPABILITIES = [
  'policy',
  'policy.raw',
  'principal.owner',
  'principal.other-account',
  'principal.ram-user',
  'principal.role-session',
  'principal.anonymous',
  'principal.log-delivery',
  'acl',
  'request.source-ip',
  'request.source-vpc',
  'request.access-id',
  'request.prefix',
  'request.acl-header',
  'request.user-agent',
  'request.secure-transport',
  'request.current-time',
  'bucket.vector',
  'principal.apps',
  'grant.any-client-id',
  'bucket.any-key',
  'observe.status',
  'observe.explanation',
] as const;
/** One capability of a target. */
export type Capability = (typeof CAPABILITIES)[number];

/** What each capability means, for the vocabulary file and for skip messages. */
export const CAPABILITY_DESCRIPTIONS: Readonly<Record<Capability, string>> = {
  'policy': 'can attach a bucket policy to a bucket it prepares',
  'policy.raw': 'can submit arbitrary policy text (malformed JSON, exact byte sizes, any formatting)',
  'principal.owner': 'can send requests as the bucket owner (the account that owns the bucket)',
  'principal.other-account': 'can send requests as an account other than the owner',
  'principal.ram-user': 'can send requests as a RAM (IAM) user',
  'principal.role-session': 'can send requests as an assumed-role (STS) session',
  'principal.anonymous': 'can send unauthenticated requests',
  'principal.log-delivery': 'can send requests as the log delivery service (Huawei OBS: the log delivery group\'s only member)',
  'acl': 'can set a bucket ACL of grants to accounts and groups (in a world it prepares, and by PutBucketAcl requests)',
  'request.source-ip': 'can choose the source IP address of a request (v4 and v6)',
  'request.source-vpc': 'can choose the source VPC of a request, or send it from the public network',
  'request.access-id': 'can choose the AccessKey ID a request is signed with (long-term or STS)',
  'request.prefix': 'can send list requests with or without a prefix',
  'request.acl-header': 'can send the x-oss-acl / x-oss-object-acl request headers',
  'request.user-agent': 'can choose the User-Agent of a request',
  'request.secure-transport': 'can send requests over HTTP and over HTTPS',
  'request.current-time': 'can choose the time at which the target sees a request',
  'bucket.vector': 'can prepare vector buckets and send vector-index requests',
  'principal.apps': 'can act as several APS apps (client ids with credentials): bucket owners, a granted key per access level, and strangers',
  'grant.any-client-id': 'can name in an APS allow list client ids it holds no credentials for (worlds of up to 60 keys, the 61-key limit)',
  'bucket.any-key': 'can send a createBucket with any bucket key the test chooses, even one shorter than 3 characters (a live target cannot: every key it sends starts with the run prefix)',
  'observe.status': 'observes the HTTP status and the error code of a refusal or rejection',
  'observe.explanation': 'observes which rules and statements decided a request',
};

/** Whether `value` is a known capability. */
export function isCapability(value: unknown): value is Capability {
  return typeof value === 'string' && (CAPABILITIES as readonly string[]).includes(value);
}

/**
 * Where a target's requests can come from, when it cannot take any address: an IPv4 and/or IPv6
 * block in CIDR form. `127.0.0.0/8`: the adapter binds any loopback address (the emulator);
 * `203.0.113.7/32`: the one address a real endpoint sees. Generators draw source addresses from
 * these blocks and build conditions around them; a family without a block is not generated.
 */
export interface SourceAddressSpace {
  v4?: string;
  v6?: string;
}
