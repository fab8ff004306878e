/**
 * The OBS evaluator: `evaluate` decides one request against the target's state and says what
 * the request changes, in the order of the project's semantics (issue #4): the policy APIs are
 * the owner's; then a policy Deny, a policy Allow, an ACL grant, the owner's permanent ACL
 * rights, the owner's default rights; else the default deny. It reads like seeds 003 and 004
 * and the vendor notes §2, and never changes the state itself: the caller applies the effect of
 * an allowed request.
 */
import { ConformanceError } from '../../../model/errors.ts';
import { OBS_POLICY_ACTIONS, obsAction, type ObsAction } from '../../../model/huawei-obs/actions.ts';
import { OBS_ANONYMOUS, OBS_LOG_DELIVERY, type ObsAclPermission, type ObsBucket, type ObsGrant, type ObsPrincipal, type ObsRequest } from '../../../model/huawei-obs/types.ts';
import type { Explanation } from '../../../model/outcome.ts';
import { validateAcl } from './acl.ts';
import { compilePolicy, type CompiledObsPolicy } from './compile.ts';
import { ObsConditionScope } from './conditions.ts';
import { parseObsPolicy, policyText } from './parse.ts';
import { isOwnerPrincipal, type ObsSemantics } from './semantics.ts';
import type { ObsEffect, ObsStore } from './store.ts';

/** The error codes of OBS decisions (vendor notes §6.4, O18). */
export type ObsErrorCode = 'AccessDenied' | 'NoSuchBucketPolicy' | 'MalformedPolicy' | 'EntityTooLarge' | 'MalformedACLError' | 'InvalidTargetBucketForLogging';

/** The decision on one request. */
export interface ObsDecision {
  decision: 'allow' | 'deny' | 'rejected';
  status: 200 | 204 | 400 | 403 | 404;
  code?: ObsErrorCode;
  /** Why a request was rejected, in words. */
  message?: string;
  explanation: Explanation;
}

/** A decision and, when the request is allowed and changes something, the change. */
export interface ObsOutcome {
  decision: ObsDecision;
  effect?: ObsEffect;
}

type Reason = Explanation['reason'];

/** How a request was allowed, before the action itself is carried out. */
interface Permit {
  reason: Reason;
  rules: string[];
  statements: number[];
}

// Vendor notes §4: PutBucketPolicy and DeleteBucketPolicy answer 204 No Content; issue #4 gives DeleteObject 204 too, every other allow 200.
const NO_CONTENT: ReadonlySet<string> = new Set(['PutBucketPolicy', 'DeleteBucketPolicy', 'DeleteObject']);

// The rule of each ACL permission (seed 004, Table 2).
const PERMISSION_RULE: Readonly<Record<Exclude<ObsAclPermission, 'FULL_CONTROL'>, string>> = {
  READ: 'OBS-ACL-READ',
  WRITE: 'OBS-ACL-WRITE',
  READ_ACP: 'OBS-ACL-ACP',
  WRITE_ACP: 'OBS-ACL-ACP',
};

function uniq(rules: readonly string[]): string[] {
  return [...new Set(rules)];
}

function refused(status: 403 | 404, code: ObsErrorCode, reason: Reason, rules: string[], statements: number[] = []): ObsOutcome {
  return { decision: { decision: 'deny', status, code, explanation: { rules: uniq(rules), statements, reason } } };
}

function rejected(code: ObsErrorCode, reason: Reason, rules: string[], message: string): ObsOutcome {
  return { decision: { decision: 'rejected', status: 400, code, message, explanation: { rules: uniq(rules), statements: [], reason } } };
}

function allowed(name: string, permit: Permit, effect?: ObsEffect): ObsOutcome {
  const decision: ObsDecision = {
    decision: 'allow',
    status: NO_CONTENT.has(name) ? 204 : 200,
    explanation: { rules: uniq(permit.rules), statements: permit.statements, reason: permit.reason },
  };
  return effect === undefined ? { decision } : { decision, effect };
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

/** Whether `value` is a principal a client can send as (model/huawei-obs/types.ts). */
function isPrincipal(value: unknown): value is ObsPrincipal {
  if (value === OBS_ANONYMOUS || value === OBS_LOG_DELIVERY) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const p = value as Record<string, unknown>;
  for (const key of Object.keys(p)) if (key !== 'account' && key !== 'user' && key !== 'userName') return false;
  const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';
  // `userName` names the IAM user `user` is; without `user` there is no IAM user to name.
  if (p['userName'] !== undefined && (p['user'] === undefined || !nonEmpty(p['userName']))) return false;
  return nonEmpty(p['account']) && (p['user'] === undefined || nonEmpty(p['user']));
}

/**
 * The catalogue entry of the request's action (undefined for an action outside the catalogue),
 * after checking that a client could send the request at all. Throws CONFORMANCE_INPUT otherwise.
 */
function checkRequest(request: ObsRequest): ObsAction | undefined {
  if (!isPrincipal(request.principal)) {
    throw new ConformanceError('CONFORMANCE_INPUT', `request principal ${shown(request.principal)} is not \`anonymous\`, \`log-delivery\` or \`{account, user?}\` with non-empty ids (and \`userName\`, the user's name, only with \`user\`)`);
  }
  if (typeof request.action !== 'string' || request.action === '') throw new ConformanceError('CONFORMANCE_INPUT', `request action ${shown(request.action)} must be a non-empty action name`);
  const action = obsAction(request.action);
  if (request.object !== undefined && typeof request.object !== 'string') throw new ConformanceError('CONFORMANCE_INPUT', `request object ${shown(request.object)} must be a string`);
  if (action?.level === 'object' && request.object === undefined) {
    throw new ConformanceError('CONFORMANCE_INPUT', `\`${action.name}\` acts on an object; the request must name \`object\``);
  }
  if (action?.level === 'bucket' && request.object !== undefined) {
    throw new ConformanceError('CONFORMANCE_INPUT', `\`${action.name}\` acts on the bucket; the request must not name \`object\``);
  }
  const bodies = [['policy', 'PutBucketPolicy'], ['acl', 'PutBucketAcl'], ['logging', 'PutBucketLogging']] as const;
  for (const [field, owner] of bodies) {
    if (request[field] !== undefined && action?.name !== owner) {
      throw new ConformanceError('CONFORMANCE_INPUT', `only \`${owner}\` sends \`${field}\`; \`${request.action}\` does not`);
    }
  }
  // The SDK requires a body for both (vendor notes §8.4: `setBucketPolicy` "Policy (string, required)"; `setBucketAcl`
  // `ACL` or `Owner` + `Grants`).
  if (action?.name === 'PutBucketPolicy' && request.policy === undefined) throw new ConformanceError('CONFORMANCE_INPUT', '`PutBucketPolicy` sends a policy; the request must carry `policy`');
  if (action?.name === 'PutBucketAcl' && request.acl === undefined) throw new ConformanceError('CONFORMANCE_INPUT', '`PutBucketAcl` sends an ACL; the request must carry `acl`');
  const logging: unknown = request.logging;
  if (logging !== undefined && (typeof logging !== 'object' || logging === null || typeof (logging as { targetBucket?: unknown }).targetBucket !== 'string')) {
    throw new ConformanceError('CONFORMANCE_INPUT', `request logging ${shown(logging)} must be \`{targetBucket}\``);
  }
  return action;
}

/** The resource a request acts on: the bucket name, or `bucket/object` (vendor notes §1.5). */
export function requestResource(bucket: ObsBucket, request: ObsRequest): string {
  return request.object === undefined ? bucket.name : `${bucket.name}/${request.object}`;
}

/** The statements of a policy that apply to a request, by effect, and what made them apply. */
interface PolicyVerdict {
  denies: number[];
  allows: number[];
  /** For each effect: whether a deciding statement matched through a `*` pattern, and whether one has a Condition. */
  denyWildcard: boolean;
  allowWildcard: boolean;
  denyCondition: boolean;
  allowCondition: boolean;
}

/** Finds the statements that apply to `request`: principal, action, resource and condition all match (OBS-SYNTAX). */
function applicableStatements(policy: CompiledObsPolicy, bucket: ObsBucket, request: ObsRequest, semantics: ObsSemantics): PolicyVerdict {
  const verdict: PolicyVerdict = { denies: [], allows: [], denyWildcard: false, allowWildcard: false, denyCondition: false, allowCondition: false };
  const principal = request.principal;
  const resource = requestResource(bucket, request);
  let scope: ObsConditionScope | undefined;
  for (const s of policy.statements) {
    // Vendor notes §1.2 (O1): Action "case-insensitive"; NotAction: "Actions that are not controlled by this statement".
    const action = s.actions.match(request.action);
    if ((action === 'none') !== s.notAction) continue;
    // Vendor notes §1.2 (O1): NotPrincipal: "Users that the statement does not apply to".
    let named = false;
    for (const id of s.principals) {
      if (semantics.principalIdMatches(id, principal)) {
        named = true;
        break;
      }
    }
    if (named === s.notPrincipal) continue;
    // OBS-WILDCARD (003); NotResource: "Resources that the statement will not apply to" (O1).
    const inResource = s.resources.match(resource);
    if ((inResource === 'none') !== s.notResource) continue;
    if (s.conditions !== null) {
      scope ??= new ObsConditionScope(request.context);
      // OBS-CONDITIONS (003): "based on a variety of conditions"; O1: a statement whose condition fails does not apply.
      if (!semantics.conditionBlockHolds(s.conditions, scope)) continue;
    }
    const wildcard = (!s.notAction && action === 'wildcard') || (!s.notResource && inResource === 'wildcard');
    if (s.deny) {
      verdict.denies.push(s.index);
      verdict.denyWildcard ||= wildcard;
      verdict.denyCondition ||= s.conditions !== null;
    } else {
      verdict.allows.push(s.index);
      verdict.allowWildcard ||= wildcard;
      verdict.allowCondition ||= s.conditions !== null;
    }
  }
  return verdict;
}

/** The rules of a policy decision: OBS-ALLOW-DENY, and the wildcard and condition rules when they took part. */
function policyRules(wildcard: boolean, condition: boolean): string[] {
  const rules = ['OBS-ALLOW-DENY'];
  if (wildcard) rules.push('OBS-WILDCARD');
  if (condition) rules.push('OBS-CONDITIONS');
  return rules;
}

/** PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy (step 1). */
function policyApi(store: ObsStore, request: ObsRequest, name: string, semantics: ObsSemantics): ObsOutcome {
  // OBS-OWNER-MANAGES (003): "A bucket owner can perform the PutBucket policy operation ... GetBucket Policy or
  // DeleteBucket Policy". Reading: the policy does not govern its own management, so neither a statement nor a grant
  // lets anyone else in.
  if (!semantics.mayManagePolicy(request.principal, store.bucket.owner)) return refused(403, 'AccessDenied', 'no-grant', ['OBS-OWNER-MANAGES']);
  const owner: Permit = { reason: 'owner', rules: ['OBS-OWNER-MANAGES'], statements: [] };
  if (name === 'GetBucketPolicy') {
    // OBS-GET-DELETE (003): "obtain ... the existing bucket policy"; vendor notes §4 (O11): 404 NoSuchBucketPolicy "when no policy exists".
    if (store.policy === undefined) return refused(404, 'NoSuchBucketPolicy', 'not-found', ['OBS-GET-DELETE']);
    return allowed(name, { ...owner, rules: [...owner.rules, 'OBS-GET-DELETE'] });
  }
  if (name === 'DeleteBucketPolicy') {
    // OBS-GET-DELETE (003): "delete the existing bucket policy"; vendor notes §4 (O12): 204 "regardless of whether a
    // requested bucket policy exists or not".
    return allowed(name, { ...owner, rules: [...owner.rules, 'OBS-GET-DELETE'] }, { kind: 'delete-policy' });
  }
  const text = policyText(request.policy, 'the PutBucketPolicy body');
  const parsed = parseObsPolicy(text, { maxBytes: semantics.maxPolicyBytes });
  if (parsed.kind === 'rejected') return rejected(parsed.code, 'invalid-policy', parsed.rules, parsed.message);
  // OBS-OVERWRITE (003): "A new policy will overwrite the existing one."
  const current = store.policy === undefined ? undefined : { text: store.policy.text, ast: store.policy.ast };
  const next = semantics.nextPolicy(current, { text, ast: parsed });
  const effect: ObsEffect = { kind: 'put-policy', policy: { text: next.text, ast: next.ast, compiled: compilePolicy(next.ast, semantics) } };
  return allowed(name, { ...owner, rules: [...owner.rules, 'OBS-OVERWRITE'] }, effect);
}

/** Carries out an allowed action: PutBucketAcl and PutBucketLogging validate their bodies and change the ACL. */
function perform(store: ObsStore, request: ObsRequest, action: ObsAction | undefined, permit: Permit, semantics: ObsSemantics): ObsOutcome {
  const name = action?.name ?? request.action;
  if (name === 'PutBucketAcl') {
    const checked = validateAcl(request.acl, semantics.maxGrants);
    // Vendor notes §6.4 (O18): MalformedACLError 400.
    if (checked.kind === 'invalid') return rejected('MalformedACLError', 'invalid-request', checked.rules, checked.message);
    // OBS-ACL-OVERWRITE (004): "Granting new permissions for a bucket overwrites the existing permissions".
    return allowed(name, { ...permit, rules: [...permit.rules, 'OBS-ACL-OVERWRITE'] }, { kind: 'put-acl', acl: semantics.nextAcl(store.acl, checked.grants) });
  }
  if (name === 'PutBucketLogging' && request.logging !== undefined) {
    const target = request.logging.targetBucket;
    // Issue #4: only the bucket itself is supported as the target bucket (a world holds one bucket).
    if (target !== store.bucket.name) {
      return rejected('InvalidTargetBucketForLogging', 'invalid-request', ['OBS-ACL-LOG-DELIVERY'], `target bucket \`${target}\` is not \`${store.bucket.name}\`, the only bucket of this world`);
    }
    // OBS-ACL-LOG-DELIVERY (004): "After Logging is enabled, the bucket write permission, as well as the ACL read
    // permission will be enabled automatically for log delivery users of the Target Bucket."
    const acl = store.acl.slice();
    for (const permission of semantics.logDeliveryPermissions) {
      if (!acl.some((g) => 'group' in g.grantee && g.grantee.group === 'LogDelivery' && g.permission === permission)) acl.push({ grantee: { group: 'LogDelivery' }, permission });
    }
    return allowed(name, { ...permit, rules: [...permit.rules, 'OBS-ACL-LOG-DELIVERY'] }, { kind: 'enable-logging', acl });
  }
  // A PutBucketLogging without `logging` disables logging: the grants stay ("If you manually disable such permissions,
  // bucket logging fails", 004, speaks of the grants, not of logging).
  return allowed(name, permit);
}

/** The rule of the grantee of a grant that covers a request (seed 004, Table 1). */
function granteeRule(grant: ObsGrant): string {
  if ('account' in grant.grantee) return 'OBS-ACL-GRANTEES';
  if (grant.grantee.group === 'Everyone') return 'OBS-ACL-ANONYMOUS';
  if (grant.grantee.group === 'AuthenticatedUsers') return 'OBS-ACL-REGISTERED';
  return 'OBS-ACL-GRANTEES';
}

/**
 * Decides `request` against the target's state. Pure: reads `store`, never changes it; apply
 * the returned effect to make the request happen. Throws a ConformanceError only for a request
 * no client could send. An action outside the catalogue is decided by the policy, then the
 * owner's default rights (no ACL permission maps it), else denied.
 */
export function evaluate(store: ObsStore, request: ObsRequest, semantics: ObsSemantics): ObsOutcome {
  const action = checkRequest(request);
  const principal = request.principal;
  const isOwner = isOwnerPrincipal(principal, store.bucket.owner);

  // Step 1 (OBS-OWNER-MANAGES): the policy APIs are decided by ownership alone.
  if (action !== undefined && OBS_POLICY_ACTIONS.includes(action.name)) return policyApi(store, request, action.name, semantics);

  // Steps 2 and 3: the bucket policy. "After a policy is set for a bucket, all subsequent accesses to the bucket are
  // controlled by the policy" (003); no owner exemption is documented.
  if (store.policy !== undefined) {
    const v = applicableStatements(store.policy.compiled, store.bucket, request, semantics);
    const combined = semantics.combine(v.denies.length > 0, v.allows.length > 0);
    if (combined === 'deny') {
      // OBS-ALLOW-DENY (003; O1): "An explicit deny overrides an allow"; across mechanisms, "an explicit deny in the
      // bucket policy overrides the allow in the ACL" (vendor notes §2).
      return refused(403, 'AccessDenied', 'explicit-deny', policyRules(v.denyWildcard, v.denyCondition), v.denies);
    }
    if (combined === 'allow') {
      // OBS-ALLOW-DENY (O1): "An allow overrides a default deny."
      return perform(store, request, action, { reason: 'explicit-allow', rules: policyRules(v.allowWildcard, v.allowCondition), statements: v.allows }, semantics);
    }
  }

  const needed = action?.acl;
  if (needed !== undefined) {
    // Step 4: an ACL grant. OBS-ACL-READ / OBS-ACL-WRITE / OBS-ACL-ACP (004, Table 2), by grantee (Table 1).
    const rules: string[] = [];
    for (const grant of store.acl) {
      const permission = grant.permission as ObsAclPermission;
      if (semantics.permissionImplies(permission, needed) && semantics.granteeCovers(grant.grantee, principal)) rules.push(granteeRule(grant));
    }
    if (rules.length > 0) return perform(store, request, action, { reason: 'grant', rules: [PERMISSION_RULE[needed], ...rules], statements: [] }, semantics);
    // Step 5: OBS-ACL-OWNER-ACP (004): "The read and write permissions for the bucket ACL are permanently available to
    // the bucket owner, and cannot be modified."
    if (isOwner && semantics.ownerAlwaysHas(needed)) return perform(store, request, action, { reason: 'owner', rules: ['OBS-ACL-OWNER-ACP'], statements: [] }, semantics);
  }

  // Step 6: OBS-ACL-GRANTEES (004): "The bucket owner has all bucket access permissions by default", for what no ACL
  // permission maps.
  if (isOwner && semantics.ownerHasByDefault(action)) return perform(store, request, action, { reason: 'owner', rules: ['OBS-ACL-GRANTEES'], statements: [] }, semantics);

  // Step 7: the default deny. For an ACL-mapped action nothing granted it; OBS-ACL-OWNER-DATA (004) when the owner lost
  // it: "the owner cannot obtain the list of objects in the bucket or upload objects to the bucket".
  if (needed !== undefined) return refused(403, 'AccessDenied', 'no-grant', isOwner ? [PERMISSION_RULE[needed], 'OBS-ACL-OWNER-DATA'] : [PERMISSION_RULE[needed]]);
  // OBS-ALLOW-DENY (O1): "If there are no Explicit Deny or Allow, Default Deny will apply."
  return refused(403, 'AccessDenied', 'implicit-deny', ['OBS-ALLOW-DENY']);
}
