/**
 * The OSS bucket-policy evaluator: `compilePolicy` turns a validated AST into matchers once, and
 * `evaluate` is a pure function of (compiled policy, world, request) that reads like the seed
 * (002) and the vendor notes §2.1. Decisions are meant to run by the million: the hot path
 * builds no regular expression and no closure, matches each distinct Resource pattern at most
 * once, parses the source address at most once, and allocates little beyond the result.
 */
import { ALI_ACTIONS } from '../../../model/alibaba-oss/actions.ts';
import { ANONYMOUS, DEFAULT_REGION, type AliRequest, type AliWorld } from '../../../model/alibaba-oss/types.ts';
import type { Explanation } from '../../../model/outcome.ts';
import { compileConditionCheck, ConditionScope, type ConditionCheck } from './conditions.ts';
import type { AliPolicyAst, AliStatementAst } from './parse.ts';
import { anyOf, compilePatternList, type StringMatcher } from './patterns.ts';
import { DOCUMENTED_SEMANTICS, type AliSemantics, type CombinedEffect } from './semantics.ts';

/** EC of a request refused by an explicit Deny of a bucket policy (vendor notes §3, S8). */
export const EC_EXPLICIT_DENY = '0003-00000101';
/** EC of a request refused because nothing grants it (S8: no permission and the ACL is not public). */
export const EC_IMPLICIT_DENY = '0003-00000001';

/** One statement, compiled. */
export interface CompiledAliStatement {
  /** 0-based position in `Statement`. */
  readonly index: number;
  readonly deny: boolean;
  readonly matchesAction: StringMatcher;
  /** All Resource patterns as one matcher; `evaluate` goes through `resourceIds` to share work between statements. */
  readonly matchesResource: StringMatcher;
  /** Indexes of the statement's Resource patterns in the policy's table of distinct patterns. */
  readonly resourceIds: readonly number[];
  /** Whether the (normalised) Principal list holds the bare wildcard `*`. */
  readonly star: boolean;
  /** The Principal entries other than `*`, or null when there are none. */
  readonly matchesPrincipal: StringMatcher | null;
  /** Whether the Principal was written as `[]` (for the explanation). */
  readonly emptyPrincipal: boolean;
  /** Whether the statement has a Condition with at least one operator. */
  readonly hasCondition: boolean;
  /** Whether the bucket owner is exempt from this statement when only `*` reaches the owner. */
  readonly ownerExempt: boolean;
  /** The operator-key checks of the Condition, or null without one. */
  readonly conditions: readonly ConditionCheck[] | null;
}

/** A compiled policy (possibly with no statements) and the semantics it was compiled with. */
export interface CompiledAliPolicy {
  readonly statements: readonly CompiledAliStatement[];
  readonly semantics: AliSemantics;
  /** The distinct Resource patterns of all statements, compiled once; a request matches each at most once. */
  readonly resourcePatterns: readonly StringMatcher[];
}

/** The decision on one request, with the statements and rules that made it. */
export interface AliDecision {
  decision: 'allow' | 'deny';
  status: 200 | 403;
  code?: 'AccessDenied';
  ec?: string;
  explanation: Explanation;
}

// Distinct Resource patterns of one policy: pattern -> index in the table and compiled matcher.
type ResourceTable = Map<string, { id: number; matcher: StringMatcher }>;

function resourceEntry(pattern: string, semantics: AliSemantics, table: ResourceTable): { id: number; matcher: StringMatcher } {
  let entry = table.get(pattern);
  if (entry === undefined) {
    // ALI-RESOURCE: each pattern is matched against the request's whole resource name.
    entry = { id: table.size, matcher: semantics.compileResourcePattern(pattern) };
    table.set(pattern, entry);
  }
  return entry;
}

function compileStatement(st: AliStatementAst, semantics: AliSemantics, table: ResourceTable): CompiledAliStatement {
  let star = false;
  let matchesPrincipal: StringMatcher | null = null;
  if (st.principals !== undefined) {
    const principals = semantics.normalizePrincipals(st.principals);
    const others = principals.filter((p) => p !== '*');
    star = others.length < principals.length;
    // ALI-PRINCIPAL-STS (002): "The values for <role-name> and <session-name> are case-sensitive." UIDs and
    // role-session ARNs compare exactly; `*` inside an ARN follows the wildcard rules.
    if (others.length > 0) matchesPrincipal = compilePatternList(others);
  }
  const conditions: ConditionCheck[] = [];
  for (const block of st.conditions ?? []) {
    for (const { key, values } of block.keys) conditions.push(compileConditionCheck(block.operator, key, values, semantics));
  }
  // An empty `"Condition": {}` counts as no Condition; the documents are silent (open question 7).
  const hasCondition = (st.conditions?.length ?? 0) > 0;
  const resources = [...new Set(st.resources)].map((r) => resourceEntry(r, semantics, table));
  return {
    index: st.index,
    deny: st.effect === 'Deny',
    // ALI-ACTION-WILDCARD (002): "The wildcard character * is supported."
    matchesAction: compilePatternList(st.actions),
    matchesResource: anyOf(resources.map((r) => r.matcher)),
    resourceIds: resources.map((r) => r.id),
    star,
    matchesPrincipal,
    emptyPrincipal: st.principals !== undefined && st.principals.length === 0,
    hasCondition,
    ownerExempt: semantics.ownerExemptFromWildcard({ effect: st.effect, hasCondition }),
    conditions: hasCondition ? conditions : null,
  };
}

/**
 * Compiles a validated policy (or none: a bucket without a policy) with the given semantics.
 * Everything that does not depend on the request is done here, once.
 */
export function compilePolicy(ast: AliPolicyAst | undefined, semantics: AliSemantics = DOCUMENTED_SEMANTICS): CompiledAliPolicy {
  const table: ResourceTable = new Map();
  const statements = ast === undefined ? [] : ast.statements.map((st) => compileStatement(st, semantics, table));
  return { statements, semantics, resourcePatterns: [...table.values()].map((e) => e.matcher) };
}

// ALI-VECTOR (002): "Resource": [ "acs:ossvector:*:*:vector-bucket-example/indextest" ] for oss:PutVectors and oss:GetVectors.
const VECTOR_ACTIONS: ReadonlySet<string> = new Set(ALI_ACTIONS.filter((a) => a.level === 'vector-index').map((a) => a.name));

// Data APIs that fall through to the bucket ACL after an implicit deny (vendor notes §2.1 steps 6-7, §2.2).
const ACL_READ = 'oss:GetObject';
const ACL_WRITES: ReadonlySet<string> = new Set(['oss:GetObject', 'oss:PutObject', 'oss:DeleteObject']);

/**
 * The resource name a request acts on (ALI-RESOURCE): the bucket form without an object, the
 * `bucket/object` form with one; `ossvector` for vector-index actions.
 */
export function requestResource(world: AliWorld, request: AliRequest): string {
  const bucket = world.bucket;
  const service = VECTOR_ACTIONS.has(request.action) ? 'ossvector' : 'oss';
  const name = `acs:${service}:${bucket.region ?? DEFAULT_REGION}:${bucket.owner}:${bucket.name}`;
  return request.object === undefined ? name : `${name}/${request.object}`;
}

/** Decides one request against a compiled policy. Pure: the same inputs always give the same decision. */
export function evaluate(policy: CompiledAliPolicy, world: AliWorld, request: AliRequest): AliDecision {
  const statements = policy.statements;
  const semantics = policy.semantics;
  const action = request.action;
  const principal = request.principal;
  const owner = world.bucket.owner;
  const isOwner = principal === owner;
  const anonymous = principal === ANONYMOUS;
  const resource = requestResource(world, request);
  const patterns = policy.resourcePatterns;

  let denies: number[] | undefined;
  let allows: number[] | undefined;
  let scope: ConditionScope | undefined;
  // Statements often repeat Resource patterns, so each distinct pattern is matched at most once: bit `id`
  // of `tried` says it was matched, the same bit of `inside` that it matched (an array beyond 31 patterns).
  const small = patterns.length <= 31;
  let tried = 0;
  let inside = 0;
  let resourceMemo: number[] | undefined;
  let ownerExempted = false;
  let ownerByWildcardDeny = false;
  let ownerByWildcardAllow = false;
  let emptyDeny = false;
  let emptyAllow = false;

  for (let i = 0; i < statements.length; i++) {
    const s = statements[i] as CompiledAliStatement;
    // Cheapest test first: action, then principal, then resource, then the Condition.
    if (!s.matchesAction(action)) continue;

    let viaStar: boolean;
    if (anonymous) {
      // Open question 22: only `*` reaches an anonymous request; it has no UID to list.
      if (!s.star) continue;
      viaStar = true;
    } else if (s.matchesPrincipal !== null && s.matchesPrincipal(principal)) {
      viaStar = false;
    } else if (s.star) {
      viaStar = true;
    } else {
      continue;
    }

    const ids = s.resourceIds;
    let inResource = false;
    for (let k = 0; k < ids.length && !inResource; k++) {
      const id = ids[k] as number;
      if (small) {
        const bit = 1 << id;
        if ((tried & bit) === 0) {
          tried |= bit;
          if ((patterns[id] as StringMatcher)(resource)) inside |= bit;
        }
        inResource = (inside & bit) !== 0;
      } else {
        resourceMemo ??= new Array<number>(patterns.length).fill(0);
        let known = resourceMemo[id] as number;
        if (known === 0) {
          known = (patterns[id] as StringMatcher)(resource) ? 1 : 2;
          resourceMemo[id] = known;
        }
        inResource = known === 1;
      }
    }
    if (!inResource) continue;

    if (s.conditions !== null) {
      scope ??= new ConditionScope(request.context);
      // ALI-COND-AND (002): "When you configure multiple conditions, all conditions must be met (an AND relationship) for the policy to take effect."
      if (!semantics.conditionBlockHolds(s.conditions, scope)) continue;
    }

    if (viaStar && isOwner) {
      // ALI-WILDCARD-OWNER (002): "If the authorized user is set to a wildcard character (*) and the policy does not include a Condition, the bucket policy applies only to users other than the bucket owner."
      if (s.ownerExempt) {
        ownerExempted = true;
        continue;
      }
      // ALI-WILDCARD-COND-OWNER (002): "If the authorized user is set to a wildcard character (*) and the policy includes a Condition, the bucket policy applies to all users, including the bucket owner (root account)."
      if (s.deny) ownerByWildcardDeny = true;
      else ownerByWildcardAllow = true;
    }

    if (s.deny) {
      (denies ??= []).push(i);
      if (viaStar && s.emptyPrincipal) emptyDeny = true;
    } else {
      (allows ??= []).push(i);
      if (viaStar && s.emptyPrincipal) emptyAllow = true;
    }
  }

  const combined: CombinedEffect = semantics.combine(denies !== undefined, allows !== undefined);

  if (combined === 'deny') {
    // ALI-DENY-FIRST (002): "An explicit deny rule in any policy immediately blocks the request and takes precedence over any allow policies."
    const rules = ['ALI-DENY-FIRST'];
    if (ownerByWildcardDeny) rules.push('ALI-WILDCARD-COND-OWNER');
    if (emptyDeny) rules.push('ALI-EMPTY-PRINCIPAL');
    return {
      decision: 'deny',
      status: 403,
      code: 'AccessDenied',
      ec: EC_EXPLICIT_DENY,
      explanation: { rules, statements: denies ?? [], reason: 'explicit-deny' },
    };
  }

  if (combined === 'allow') {
    // ALI-UNION (002): "When you configure multiple bucket policy rules for the same user, the user's permissions are the combination of all policy rules."
    const rules = ['ALI-UNION'];
    if (ownerByWildcardAllow) rules.push('ALI-WILDCARD-COND-OWNER');
    if (emptyAllow) rules.push('ALI-EMPTY-PRINCIPAL');
    if (ownerExempted) rules.push('ALI-WILDCARD-OWNER');
    return { decision: 'allow', status: 200, explanation: { rules, statements: allows ?? [], reason: 'explicit-allow' } };
  }

  if (isOwner) {
    // ALI-IMPLICIT (inferred; open question 23): the owner keeps access unless a Deny applies to the owner.
    const rules = ['ALI-IMPLICIT'];
    if (ownerExempted) rules.push('ALI-WILDCARD-OWNER');
    return { decision: 'allow', status: 200, explanation: { rules, statements: [], reason: 'owner' } };
  }

  const acl = world.bucket.acl;
  if ((acl === 'public-read' && action === ACL_READ) || (acl === 'public-read-write' && ACL_WRITES.has(action))) {
    // ALI-IMPLICIT, vendor notes §2.1 steps 6-7 (open question 24): after an implicit deny from the policies, a
    // public bucket ACL still grants object reads (and writes). Explanation.reason has no ACL value, so an ACL
    // grant is reported as 'explicit-allow' with no statements.
    return { decision: 'allow', status: 200, explanation: { rules: ['ALI-IMPLICIT'], statements: [], reason: 'explicit-allow' } };
  }

  // ALI-IMPLICIT (inferred): with private ACLs, a non-owner with no applicable Allow is denied.
  return {
    decision: 'deny',
    status: 403,
    code: 'AccessDenied',
    ec: EC_IMPLICIT_DENY,
    explanation: { rules: ['ALI-IMPLICIT'], statements: [], reason: 'implicit-deny' },
  };
}
