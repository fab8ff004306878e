/**
 * The named decision steps of the OBS reference target, as a record that tests can override one
 * entry at a time to build a deliberately faulty target (and check that the conformance suite
 * catches it). `DOCUMENTED_OBS_SEMANTICS` is the reading of seeds 003 and 004 and the vendor
 * notes that the project chose (issue #4); every entry cites its rule.
 */
import type { ObsAction } from '../../../model/huawei-obs/actions.ts';
import {
  OBS_LOG_DELIVERY,
  OBS_MAX_GRANTS,
  OBS_MAX_POLICY_BYTES,
  type ObsAclPermission,
  type ObsGrant,
  type ObsGrantee,
  type ObsPrincipal,
} from '../../../model/huawei-obs/types.ts';
import { cidrContains, type CidrBlock, type IpValue, type ObsConditionCheck, type ObsConditionOperator, type ObsConditionScope } from './conditions.ts';
import type { ObsPolicyAst, ObsPrincipalIdAst } from './parse.ts';
import { compileStarPattern, type StringMatcher } from './patterns.ts';

/** What the combination step concludes from the applicable statements. */
export type ObsCombinedEffect = 'deny' | 'allow' | 'none';

/** A policy as submitted (the exact text) and as parsed. */
export interface ObsSubmittedPolicy {
  readonly text: string | Uint8Array;
  readonly ast: ObsPolicyAst;
}

/** Whether a principal is the bucket owner: the owning account, or any of its IAM users. */
export function isOwnerPrincipal(principal: ObsPrincipal, owner: string): boolean {
  return typeof principal !== 'string' && principal.account === owner;
}

/** The decision steps of the target. Entries about compilation run when a policy is put; the others per request. */
export interface ObsSemantics {
  // ── Bucket policy management ──
  /** The most UTF-8 bytes of an accepted policy; one more is `EntityTooLarge`. */
  readonly maxPolicyBytes: number;
  /** The policy after a valid PutBucketPolicy, given the current one (if any) and the one put. */
  readonly nextPolicy: (current: ObsSubmittedPolicy | undefined, put: ObsSubmittedPolicy) => ObsSubmittedPolicy;
  /** Whether `principal` may put, get and delete the policy of a bucket `owner` owns. */
  readonly mayManagePolicy: (principal: ObsPrincipal, owner: string) => boolean;

  // ── Bucket policy evaluation ──
  /** Combines the applicable statements' effects into deny, allow, or none (no statement applied). */
  readonly combine: (hasApplicableDeny: boolean, hasApplicableAllow: boolean) => ObsCombinedEffect;
  /** Whether one Principal entry names a request's principal. */
  readonly principalIdMatches: (id: ObsPrincipalIdAst, principal: ObsPrincipal) => boolean;
  /** Compiles one Action pattern into a matcher of the request's action name. */
  readonly compileActionPattern: (pattern: string) => StringMatcher;
  /** Compiles one Resource pattern into a matcher of the request's resource (`bucket` or `bucket/object`). */
  readonly compileResourcePattern: (pattern: string) => StringMatcher;
  /** Whether StringLike and StringNotLike ignore case. */
  readonly stringLikeIgnoresCase: boolean;
  /** Whether an address lies in a CIDR block (a single address is a /32 or /128 block). */
  readonly inCidr: (address: IpValue, block: CidrBlock) => boolean;
  /** Whether an operator-key pair holds when the request does not carry the key. */
  readonly missingKeyHolds: (operator: ObsConditionOperator, negated: boolean) => boolean;
  /** Whether a statement's Condition holds, given its compiled operator-key checks. */
  readonly conditionBlockHolds: (checks: readonly ObsConditionCheck[], scope: ObsConditionScope) => boolean;

  // ── Bucket ACL ──
  /** The ACL of a bucket nobody has put an ACL on. */
  readonly defaultAcl: (owner: string) => ObsGrant[];
  /** The most grants of an accepted ACL; one more is `MalformedACLError`. */
  readonly maxGrants: number;
  /** The ACL after a valid PutBucketAcl, given the current one and the one put. */
  readonly nextAcl: (current: readonly ObsGrant[], put: readonly ObsGrant[]) => ObsGrant[];
  /** Whether a grant's grantee covers a request's principal. */
  readonly granteeCovers: (grantee: ObsGrantee, principal: ObsPrincipal) => boolean;
  /** Whether holding permission `held` gives the permission `needed`. */
  readonly permissionImplies: (held: ObsAclPermission, needed: ObsAclPermission) => boolean;
  /** Whether the owner has `permission` whatever the ACL says. */
  readonly ownerAlwaysHas: (permission: ObsAclPermission) => boolean;
  /** Whether the owner may perform `action` (undefined: not in the catalogue) without any grant or statement. */
  readonly ownerHasByDefault: (action: ObsAction | undefined) => boolean;
  /** The permissions the log delivery group gains when logging is enabled. */
  readonly logDeliveryPermissions: readonly ObsAclPermission[];
}

const OWNER_ACP: ReadonlySet<ObsAclPermission> = new Set(['READ_ACP', 'WRITE_ACP']);
const LOG_DELIVERY_PERMISSIONS: readonly ObsAclPermission[] = Object.freeze(['WRITE', 'READ_ACP'] as const);

/** The semantics of the project's reading of the documents; the default of every OBS reference target. */
export const DOCUMENTED_OBS_SEMANTICS: ObsSemantics = Object.freeze({
  // OBS-LIMIT-SIZE (003): "the total size of JSON descriptions of all bucket policies in a bucket cannot exceed 20 KB"
  // (20 x 1024 bytes; 20480 is accepted).
  maxPolicyBytes: OBS_MAX_POLICY_BYTES,

  // OBS-OVERWRITE (003): "A new policy will overwrite the existing one." Nothing of the old policy survives.
  nextPolicy: (_current: ObsSubmittedPolicy | undefined, put: ObsSubmittedPolicy): ObsSubmittedPolicy => put,

  // OBS-OWNER-MANAGES (003): "A bucket owner can perform the PutBucket policy operation ... can also perform the GetBucket
  // Policy or DeleteBucket Policy operation". The owner is the account or any of its IAM users (vendor notes §4, O10:
  // "Allowed for the owner, or the owner's IAM user with permission").
  mayManagePolicy: isOwnerPrincipal,

  // OBS-ALLOW-DENY (003; O1): "An explicit deny overrides an allow. An allow overrides a default deny. Statements can be in any order."
  combine: (hasApplicableDeny: boolean, hasApplicableAllow: boolean): ObsCombinedEffect =>
    hasApplicableDeny ? 'deny' : hasApplicableAllow ? 'allow' : 'none',

  // OBS-SYNTAX (003), vendor notes §1.3: `*` is everyone, anonymous included; `domain/<account>:user/*` the account and
  // all its IAM users (seed 003's example, "783fc6652cf246c096ea836694f71855 (account ID)"); `domain/<account>` and
  // `:root` the account itself; `domain/<account>:user/<user>` one IAM user, by "<userId or userName>" (§1.3): the
  // request's `user` (its id) or, when given, its `userName`, compared exactly ("User names in the Principal element are
  // case-sensitive", O1).
  principalIdMatches: (id: ObsPrincipalIdAst, principal: ObsPrincipal): boolean => {
    if (id.kind === 'everyone') return true;
    if (typeof principal === 'string') return false;
    switch (id.kind) {
      case 'account-users':
        return principal.account === id.account;
      case 'account':
        return principal.account === id.account && principal.user === undefined;
      case 'user':
        return principal.account === id.account && principal.user !== undefined && (principal.user === id.user || principal.userName === id.user);
      case 'unmatched':
        return false;
    }
  },

  // OBS-WILDCARD (003), vendor notes §1.2 (O1): actions are "case-insensitive", with the `*` wildcard (`Get*`, `List*`).
  compileActionPattern: (pattern: string): StringMatcher => compileStarPattern(pattern, { ignoreCase: true }),

  // OBS-WILDCARD (003): "an account can add the wildcard ... to resource names". `*` is "an empty string or any
  // combination of characters" (O1); case-sensitive; `?` is literal (vendor notes §1.5 RECOMMENDATION).
  compileResourcePattern: (pattern: string): StringMatcher => compileStarPattern(pattern),

  // OBS-CONDITIONS, vendor notes §1.6: StringLike is "Loose case-sensitive matching" in the OBS-native guide (O1);
  // the S3-compatible guide says case-insensitive (CONFLICT). The native guide is followed.
  stringLikeIgnoresCase: false,

  // OBS-CONDITIONS (003: "elements (for example IP addresses) of the request"): both ends of a block are inside it.
  inCidr: cidrContains,

  // OBS-CONDITIONS, RECOMMENDATION of issue #4: a key the request does not carry fails a positive operator and
  // satisfies a negated one.
  missingKeyHolds: (_operator: ObsConditionOperator, negated: boolean): boolean => negated,

  // OBS-CONDITIONS (O1's example): "time ranges from ... to ... and the request IP address range is ...": operators
  // and keys are AND-ed.
  conditionBlockHolds: (checks: readonly ObsConditionCheck[], scope: ObsConditionScope): boolean => {
    for (const check of checks) if (!check.holds(scope)) return false;
    return true;
  },

  // OBS-ACL-GRANTEES (004): "The bucket owner has all bucket access permissions by default"; vendor notes §5.3 (O17):
  // `private` is "owner FULL_CONTROL".
  defaultAcl: (owner: string): ObsGrant[] => [{ grantee: { account: owner }, permission: 'FULL_CONTROL' }],

  // Vendor notes §5.1 (O13): "A bucket ACL supports a maximum of 100 grants."
  maxGrants: OBS_MAX_GRANTS,

  // OBS-ACL-OVERWRITE (004): "Granting new permissions for a bucket overwrites the existing permissions for the bucket
  // instead of adding permissions".
  nextAcl: (_current: readonly ObsGrant[], put: readonly ObsGrant[]): ObsGrant[] => put.slice(),

  // OBS-ACL-GRANTEES (004, Table 1): "Once a specific account is granted with certain access permissions, all IAM users
  // ... under this account can have the same access permissions".
  // OBS-ACL-ANONYMOUS (004): "An anonymous user can be anyone, either registered or unregistered."
  // OBS-ACL-REGISTERED (004): "any account registered with public cloud service, excluding IAM users or user groups
  // created by any account ... must be authenticated" — the literal reading: accounts only (ambiguous).
  // OBS-ACL-GRANTEES (004): "A log delivery user only delivers access logs".
  granteeCovers: (grantee: ObsGrantee, principal: ObsPrincipal): boolean => {
    if ('account' in grantee) return typeof principal !== 'string' && principal.account === grantee.account;
    switch (grantee.group) {
      case 'Everyone':
        return true;
      case 'AuthenticatedUsers':
        return typeof principal !== 'string' && principal.user === undefined;
      case 'LogDelivery':
        return principal === OBS_LOG_DELIVERY;
    }
  },

  // Vendor notes §5.1 (O13): "FULL_CONTROL = all four".
  permissionImplies: (held: ObsAclPermission, needed: ObsAclPermission): boolean => held === needed || held === 'FULL_CONTROL',

  // OBS-ACL-OWNER-ACP (004): "The read and write permissions for the bucket ACL are permanently available to the bucket
  // owner, and cannot be modified."
  ownerAlwaysHas: (permission: ObsAclPermission): boolean => OWNER_ACP.has(permission),

  // OBS-ACL-GRANTEES (004): "The bucket owner has all bucket access permissions by default", for what no ACL permission
  // maps. OBS-ACL-OWNER-DATA (004): "If you remove the bucket read and write permissions from the bucket owner, the
  // owner cannot obtain the list of objects in the bucket or upload objects to the bucket": what READ and WRITE map
  // comes from the ACL alone.
  ownerHasByDefault: (action: ObsAction | undefined): boolean => action?.acl === undefined,

  // OBS-ACL-LOG-DELIVERY (004): "the bucket write permission, as well as the ACL read permission will be enabled
  // automatically for log delivery users of the Target Bucket."
  logDeliveryPermissions: LOG_DELIVERY_PERMISSIONS,
});
