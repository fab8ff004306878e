/**
 * The named decision steps of the OSS evaluator, as a record that tests can override one entry
 * at a time to build a deliberately faulty evaluator (and check that the conformance suite
 * catches it). `DOCUMENTED_SEMANTICS` is what the documents say; every entry cites its rule.
 */
import { cidrContains, type AliConditionOperator, type CidrBlock, type ConditionCheck, type ConditionScope, type IpValue } from './conditions.ts';
import { compilePattern, type StringMatcher } from './patterns.ts';

/** What the combination step concludes from the applicable statements. */
export type CombinedEffect = 'deny' | 'allow' | 'none';

/** The statement facts the owner rule looks at. */
export interface OwnerRuleInput {
  readonly effect: 'Allow' | 'Deny';
  /** Whether the statement has a Condition with at least one operator. */
  readonly hasCondition: boolean;
}

/** The decision steps an evaluator is made of. Entries about compilation run once per policy; the others per decision. */
export interface AliSemantics {
  /** Combines the applicable statements' effects into deny, allow, or none (no statement applied). */
  readonly combine: (hasApplicableDeny: boolean, hasApplicableAllow: boolean) => CombinedEffect;
  /** Whether the bucket owner is exempt from a statement that reaches the owner only through Principal `*`. */
  readonly ownerExemptFromWildcard: (statement: OwnerRuleInput) => boolean;
  /** Whether an address lies in a CIDR block (a single address is a /32 or /128 block). */
  readonly inCidr: (address: IpValue, block: CidrBlock) => boolean;
  /** Normalises a statement's Principal list before it is compiled. */
  readonly normalizePrincipals: (principals: readonly string[]) => readonly string[];
  /** Compiles one Resource pattern into a matcher of the request's full resource name. */
  readonly compileResourcePattern: (pattern: string) => StringMatcher;
  /** Whether a statement's Condition holds, given its compiled operator-key checks. */
  readonly conditionBlockHolds: (checks: readonly ConditionCheck[], scope: ConditionScope) => boolean;
  /** Whether an operator-key pair holds when the request does not carry the key. */
  readonly missingKeyHolds: (operator: AliConditionOperator, negated: boolean) => boolean;
}

const EMPTY_IS_STAR: readonly string[] = Object.freeze(['*']);

/** The semantics the documents state or imply; the default of every evaluator. */
export const DOCUMENTED_SEMANTICS: AliSemantics = Object.freeze({
  // ALI-DENY-FIRST (002): "An explicit deny rule in any policy immediately blocks the request and takes precedence over any allow policies."
  // ALI-UNION (002): "the user's permissions are the combination of all policy rules. If any of these policies include a deny permission, the deny permission takes precedence."
  combine: (hasApplicableDeny: boolean, hasApplicableAllow: boolean): CombinedEffect =>
    hasApplicableDeny ? 'deny' : hasApplicableAllow ? 'allow' : 'none',

  // ALI-WILDCARD-OWNER (002): "If the authorized user is set to a wildcard character (*) and the policy does not include a Condition, the bucket policy applies only to users other than the bucket owner."
  // ALI-WILDCARD-COND-OWNER (002): "If the authorized user is set to a wildcard character (*) and the policy includes a Condition, the bucket policy applies to all users, including the bucket owner (root account)."
  ownerExemptFromWildcard: (statement: OwnerRuleInput): boolean => !statement.hasCondition,

  // ALI-COND-IP (002, scenario 9): "blocks requests from outside the specified CIDR block"; both ends of a block are inside it.
  inCidr: cidrContains,

  // ALI-EMPTY-PRINCIPAL (002): "If the Principal field is configured as an empty list (Principal:[]), its behavior is identical to being configured for all accounts (Principal:["*"])."
  normalizePrincipals: (principals: readonly string[]): readonly string[] => (principals.length === 0 ? EMPTY_IS_STAR : principals),

  // ALI-RESOURCE (002): "The policy applies to example-bucket itself and all objects within it." The whole
  // resource name is matched, so `example-bucket/*` stops at the bucket name's `/` boundary.
  compileResourcePattern: compilePattern,

  // ALI-COND-AND (002): "When you configure multiple conditions, all conditions must be met (an AND relationship) for the policy to take effect."
  conditionBlockHolds: (checks: readonly ConditionCheck[], scope: ConditionScope): boolean => {
    for (let i = 0; i < checks.length; i++) if (!(checks[i] as ConditionCheck).holds(scope)) return false;
    return true;
  },

  // ALI-COND-MISSING-KEY (002, scenario 6): "This statement blocks requests that do not originate from a VPC
  // because public network requests do not have a matching VPC network prefix." A missing key fails a positive
  // operator and satisfies a negated one.
  missingKeyHolds: (_operator: AliConditionOperator, negated: boolean): boolean => negated,
});
