import * as fc from 'fast-check';
import type { ObsAction } from '../../../model/huawei-obs/actions.ts';
import { obsAction } from '../../../model/huawei-obs/actions.ts';
import type { ObsGrant, ObsRequest, ObsWorld } from '../../../model/huawei-obs/types.ts';
import type { SequenceCase, SequenceStep, StepDriver } from '../../../model/case.ts';
import type { Expectation } from '../../../model/outcome.ts';
import { ACL_ACTIONS, allGrants, grantAllows, OBS_PRINCIPAL_KINDS, obsScene, type ObsIdentity, type ObsScene } from '../../../generators/huawei-obs/index.ts';
import { aclRequest, obsProperty, ownerKeepsAcp, READINGS_SCHEMA, type AclReading } from './acl.ts';
import { usableActions } from './shared.ts';
import { availableObsActions } from '../../../generators/huawei-obs/index.ts';
import { statementApplying } from './combined.ts';

/**
 * Stateful runs of the management APIs, checked step by step against a model built from the
 * rules (fast-check `asyncModelRun`): ACL replacement with the owner's permanent ACP rights
 * (OBS-ACL-OVERWRITE, OBS-ACL-OWNER-ACP, OBS-ACL-OWNER-DATA), and policy replacement, reading and
 * deletion by the owner alone (OBS-OVERWRITE, OBS-GET-DELETE, OBS-OWNER-MANAGES).
 */

/** The default private ACL: the owner has FULL_CONTROL (seed 004: "The bucket owner has all bucket access permissions by default"). */
function privateAcl(s: ObsScene): ObsGrant[] {
  return [{ grantee: { account: s.bucket.owner }, permission: 'FULL_CONTROL' }];
}

function isOwner(who: ObsIdentity): boolean {
  return who.kind === 'owner' || who.kind === 'owner-user';
}

/** Whether the ACL lets `who` do `action`, the owner's permanent READ_ACP/WRITE_ACP included (seed 004). */
function aclAllows(s: ObsScene, acl: readonly ObsGrant[], who: ObsIdentity, action: ObsAction): boolean {
  return ownerKeepsAcp(who, action) || acl.some((g) => grantAllows(s, g, who, action));
}


// ── ACL sequences ──────────────────────────────────────────────────────────────────────────

interface AclModel {
  acl: ObsGrant[];
}

/** A PutBucketAcl by an identity: allowed to the owner and to grantees with WRITE_ACP; then the ACL is replaced, never merged. */
class PutAcl implements SequenceStep<AclModel> {
  private readonly s: ObsScene;
  private readonly who: ObsIdentity;
  private readonly grants: ObsGrant[];
  private readonly invalid: boolean;
  constructor(s: ObsScene, who: ObsIdentity, grants: ObsGrant[], invalid: boolean) {
    this.s = s;
    this.who = who;
    this.grants = grants;
    this.invalid = invalid;
  }
  check(): boolean {
    return true;
  }
  async run(m: AclModel, driver: StepDriver): Promise<void> {
    const action = obsAction('PutBucketAcl')!;
    const allowed = aclAllows(this.s, m.acl, this.who, action);
    const body: ObsGrant[] = this.invalid ? [...this.grants, { grantee: { group: 'Everyone' }, permission: 'READ_WRITE' }] : this.grants;
    // An invalid body is only sent by someone allowed to put an ACL: the documents do not order refusal and rejection.
    const sendInvalid = this.invalid && allowed;
    const request = aclRequest(this.who, action, '', sendInvalid ? body : this.grants);
    const expect: Expectation = { decision: !allowed ? 'deny' : sendInvalid ? 'rejected' : 'allow' };
    await driver.send({ name: `${this.who.kind} PutBucketAcl [${request.acl!.map(show).join(', ') || 'no grants'}]`, request, expect, labels: { step: 'put-acl', principal: this.who.kind } });
    if (expect.decision === 'allow') m.acl = [...this.grants];
  }
  toString(): string {
    return `PutAcl(${this.who.kind}${this.invalid ? ', invalid' : ''}, ${this.grants.map(show).join(' ')})`;
  }
}

function show(g: ObsGrant): string {
  return `${'group' in g.grantee ? g.grantee.group : g.grantee.account.slice(0, 6)}:${g.permission}`;
}

/** A request for an ACL-mapped action (GetBucketAcl, listing, uploads, deletes), decided by the current ACL. */
class AclRequest implements SequenceStep<AclModel> {
  private readonly s: ObsScene;
  private readonly who: ObsIdentity;
  private readonly action: ObsAction;
  constructor(s: ObsScene, who: ObsIdentity, action: ObsAction) {
    this.s = s;
    this.who = who;
    this.action = action;
  }
  check(): boolean {
    return true;
  }
  async run(m: AclModel, driver: StepDriver): Promise<void> {
    const allowed = aclAllows(this.s, m.acl, this.who, this.action);
    const request: ObsRequest = aclRequest(this.who, this.action, 'a.txt', []);
    const labels: Record<string, string> = { step: 'request', principal: this.who.kind };
    // The owner's ACP actions when the current ACL grants the owner no ACP: the permanent rights at work.
    if (ownerKeepsAcp(this.who, this.action) && !m.acl.some((g) => grantAllows(this.s, g, this.who, this.action))) labels['owner-acp'] = 'kept';
    // The owner's listing or uploading without a READ or WRITE grant: OBS-ACL-OWNER-DATA.
    if (isOwner(this.who) && !allowed) labels['owner-data'] = 'lost';
    await driver.send({ name: `${this.who.kind} ${this.action.name}`, request, expect: { decision: allowed ? 'allow' : 'deny' }, labels });
  }
  toString(): string {
    return `${this.action.name}(${this.who.kind})`;
  }
}

export const aclSequence = obsProperty<{ maxSteps?: number; readings?: AclReading[] }>({
  name: 'obs-acl-sequence',
  description:
    'Sequences of PutBucketAcl (by the owner, its IAM user, and other identities; valid or with an unknown permission) and requests for the ACL-mapped actions, checked against a model in which a put ACL replaces the old one, the owner keeps READ_ACP and WRITE_ACP under any ACL, and loses listing or uploading without READ or WRITE.',
  params: { type: 'object', additionalProperties: false, properties: { maxSteps: { type: 'integer', minimum: 1, maximum: 200, description: 'most steps of a sequence (default 40)' }, readings: READINGS_SCHEMA } },
  labels: { outcome: ['allow', 'deny', 'rejected'], step: ['put-acl', 'request'], principal: OBS_PRINCIPAL_KINDS, 'owner-acp': ['kept'], 'owner-data': ['lost'] },
  cases: (params, env) => {
    // The ACL is replaced by PutBucketAcl; requests and the owner's ACP reads only when the target can be sent them.
    usableActions(env, [obsAction('PutBucketAcl')!]);
    const requested = availableObsActions(ACL_ACTIONS.filter((a) => a.name !== 'PutBucketAcl'), env.actions);
    const acpReads = availableObsActions(ACL_ACTIONS.filter((a) => a.acl === 'READ_ACP'), env.actions);
    return obsScene().chain((s) => {
      // Without the reading, no grant to registered users: whether it reaches IAM users is ambiguous.
      const pool = allGrants(s)
        .map((g) => g.grant)
        .filter((g) => (params.readings ?? []).includes('registered-iam-users') || !('group' in g.grantee && g.grantee.group === 'AuthenticatedUsers'));
      const who = fc.constantFrom(...s.identities);
      // Puts by the owner most often, so that the ACL changes; others are refused unless granted WRITE_ACP.
      const putter = fc.oneof({ weight: 3, arbitrary: fc.constant(s.owner) }, { weight: 2, arbitrary: who });
      const put = fc.tuple(putter, fc.shuffledSubarray(pool, { minLength: 0, maxLength: 4 }), fc.nat({ max: 9 })).map(([w, grants, r]) => new PutAcl(s, w, grants, r === 0));
      const commands: Array<fc.Arbitrary<fc.AsyncCommand<AclModel, StepDriver, boolean>>> = [put, put];
      if (requested.length > 0) {
        const request = fc.tuple(who, fc.constantFrom(...requested)).map(([w, a]) => new AclRequest(s, w, a));
        commands.push(request, request, request);
      }
      if (acpReads.length > 0) commands.push(fc.constantFrom(...acpReads).map((a) => new AclRequest(s, s.owner, a)));
      const constraints: fc.CommandsContraints = { maxCommands: params.maxSteps ?? 40 };
      if (env.replayPath !== undefined) constraints.replayPath = env.replayPath;
      return fc.commands<AclModel, StepDriver, boolean>(commands, constraints).map(
        (steps): SequenceCase<AclModel> => ({ kind: 'sequence', world: { vendor: 'huawei-obs', bucket: s.bucket }, model: () => ({ acl: privateAcl(s) }), steps: steps as Iterable<SequenceStep<AclModel>> }),
      );
    });
  },
});

// ── Policy sequences ───────────────────────────────────────────────────────────────────────

/** A statement of a generated policy: who, what, and its effect; it names its request exactly. */
interface Clause {
  effect: 'Allow' | 'Deny';
  who: ObsIdentity;
  action: ObsAction;
}

interface PolicyModel {
  /** The current policy's clauses, or none. */
  policy: Clause[] | undefined;
}

/** Actions the policy decides for non-owners (no ACL grant in these worlds): reads, uploads, deletes, listing. */
const POLICY_ACTIONS = ['GetObject', 'PutObject', 'DeleteObject', 'ListBucket'].map((n) => obsAction(n)!);
const OBJECT = 'shared/report.pdf';

/**
 * Whether a clause written for `clause` names a request by `who`: its principal is
 * `domain/<account>:user/*` for an account, which names the account and all its IAM users, or
 * `domain/<account>:user/<user>` for one user (seed 003; vendor notes §1.3).
 */
function names(clause: ObsIdentity, who: ObsIdentity): boolean {
  if (clause === who) return true;
  if (typeof clause.principal === 'string' || typeof who.principal === 'string') return false;
  return clause.principal.user === undefined && clause.principal.account === who.principal.account;
}

/** A non-owner's request, decided by the current policy's clauses: a Deny naming it wins, else an Allow naming it, else the default deny. */
class PolicyRequest implements SequenceStep<PolicyModel> {
  private readonly who: ObsIdentity;
  private readonly action: ObsAction;
  constructor(who: ObsIdentity, action: ObsAction) {
    this.who = who;
    this.action = action;
  }
  check(): boolean {
    return true;
  }
  async run(m: PolicyModel, driver: StepDriver): Promise<void> {
    const naming = (m.policy ?? []).filter((c) => names(c.who, this.who) && c.action === this.action);
    const decision = naming.some((c) => c.effect === 'Deny') ? 'deny' : naming.some((c) => c.effect === 'Allow') ? 'allow' : 'deny';
    const request: ObsRequest = { principal: this.who.principal, action: this.action.name };
    if (this.action.level === 'object') request.object = OBJECT;
    await driver.send({ name: `${this.who.kind} ${this.action.name}`, request, expect: { decision }, labels: { step: 'request', principal: this.who.kind } });
  }
  toString(): string {
    return `${this.action.name}(${this.who.kind})`;
  }
}

/** A policy API call by an identity: only the owner's succeed; a put replaces the whole policy, a delete removes it, a get finds it or NoSuchBucketPolicy. */
class PolicyApi implements SequenceStep<PolicyModel> {
  private readonly s: ObsScene;
  private readonly who: ObsIdentity;
  private readonly api: 'put' | 'get' | 'delete';
  private readonly clauses: Clause[];
  private readonly malformed: boolean;
  constructor(s: ObsScene, who: ObsIdentity, api: 'put' | 'get' | 'delete', clauses: Clause[], malformed: boolean) {
    this.s = s;
    this.who = who;
    this.api = api;
    this.clauses = clauses;
    this.malformed = malformed;
  }
  check(): boolean {
    return true;
  }
  async run(m: PolicyModel, driver: StepDriver): Promise<void> {
    const owner = isOwner(this.who);
    // A malformed body is only sent by the owner: a non-owner is refused whatever it sends.
    const malformed = this.malformed && owner;
    const action = { put: 'PutBucketPolicy', get: 'GetBucketPolicy', delete: 'DeleteBucketPolicy' }[this.api];
    const request: ObsRequest = { principal: this.who.principal, action };
    let expect: Expectation;
    if (!owner) expect = { decision: 'deny', status: 403 };
    else if (this.api === 'get') expect = m.policy ? { decision: 'allow', status: 200 } : { decision: 'deny', status: 404, code: 'NoSuchBucketPolicy' };
    else if (this.api === 'delete') expect = { decision: 'allow' };
    else expect = { decision: malformed ? 'rejected' : 'allow' };
    if (this.api === 'put') {
      request.policy = malformed
        ? `{"Statement": [${this.clauses.map((c) => JSON.stringify(statementApplying(this.s, c.effect, c.who, c.action, OBJECT))).join(',')}`
        : { Statement: this.clauses.map((c) => statementApplying(this.s, c.effect, c.who, c.action, OBJECT)) };
    }
    const what = this.api === 'put' ? ` [${malformed ? 'malformed JSON' : this.clauses.map((c) => `${c.effect} ${c.who.kind} ${c.action.name}`).join('; ')}]` : '';
    await driver.send({ name: `${this.who.kind} ${action}${what}`, request, expect, labels: { step: this.api, principal: this.who.kind } });
    if (expect.decision !== 'allow') return;
    if (this.api === 'put') m.policy = [...this.clauses];
    if (this.api === 'delete') m.policy = undefined;
  }
  toString(): string {
    return `${this.api}Policy(${this.who.kind}${this.api === 'put' ? `, ${this.malformed ? 'malformed' : this.clauses.length}` : ''})`;
  }
}

export const policySequence = obsProperty<{ maxSteps?: number }>({
  name: 'obs-policy-sequence',
  description:
    'Sequences of PutBucketPolicy (whole policies of one to three statements, or malformed JSON), GetBucketPolicy and DeleteBucketPolicy by the owner, its IAM user and others, and non-owners\' requests that the statements name; checked against a model in which only the owner manages the policy, a put replaces the policy entirely, a get after a delete finds none (404 NoSuchBucketPolicy), and requests are decided by the current statements (Deny wins, else Allow, else deny).',
  params: { type: 'object', additionalProperties: false, properties: { maxSteps: { type: 'integer', minimum: 1, maximum: 200, description: 'most steps of a sequence (default 40)' } } },
  labels: { outcome: ['allow', 'deny', 'rejected'], step: ['put', 'get', 'delete', 'request'], principal: OBS_PRINCIPAL_KINDS },
  cases: (params, env) => {
    // The policy is put by PutBucketPolicy; gets, deletes and requests only when the target can be sent them.
    usableActions(env, [obsAction('PutBucketPolicy')!]);
    const canGet = availableObsActions(['GetBucketPolicy'], env.actions).length > 0;
    const canDelete = availableObsActions(['DeleteBucketPolicy'], env.actions).length > 0;
    const requested = availableObsActions(POLICY_ACTIONS, env.actions);
    // Statements name the actions requested (any of them when none can be requested: the puts are still checked).
    const named = requested.length > 0 ? requested : POLICY_ACTIONS;
    return obsScene().chain((s) => {
      // The identities a policy decides for: accounts and users other than the owner's (no ACL grant reaches them).
      const outsiders = s.identities.filter((i) => i.kind === 'other-account' || i.kind === 'other-user');
      const clause = fc.record({ effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'), who: fc.constantFrom(...outsiders), action: fc.constantFrom(...named) });
      const manager = fc.oneof({ weight: 4, arbitrary: fc.constant(s.owner) }, { weight: 1, arbitrary: fc.constantFrom(...s.identities) });
      const put = fc.tuple(manager, fc.array(clause, { minLength: 1, maxLength: 3 }), fc.nat({ max: 7 })).map(([w, cs, r]) => new PolicyApi(s, w, 'put', cs, r === 0));
      const commands: Array<fc.Arbitrary<fc.AsyncCommand<PolicyModel, StepDriver, boolean>>> = [put, put];
      if (canGet) commands.push(manager.map((w) => new PolicyApi(s, w, 'get', [], false)));
      if (canDelete) commands.push(manager.map((w) => new PolicyApi(s, w, 'delete', [], false)));
      if (requested.length > 0) {
        const request = fc.tuple(fc.constantFrom(...outsiders), fc.constantFrom(...requested)).map(([w, a]) => new PolicyRequest(w, a));
        commands.push(request, request, request);
      }
      const constraints: fc.CommandsContraints = { maxCommands: params.maxSteps ?? 40 };
      if (env.replayPath !== undefined) constraints.replayPath = env.replayPath;
      return fc.commands<PolicyModel, StepDriver, boolean>(commands, constraints).map(
        (steps): SequenceCase<PolicyModel> => ({ kind: 'sequence', world: { vendor: 'huawei-obs', bucket: s.bucket } as ObsWorld, model: () => ({ policy: undefined }), steps: steps as Iterable<SequenceStep<PolicyModel>> }),
      );
    });
  },
});
