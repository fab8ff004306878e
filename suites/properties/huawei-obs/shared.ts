import * as fc from 'fast-check';
import type { ExpectationCase, RelationCase } from '../../../model/case.ts';
import type { ObsAction, ObsActionLevel } from '../../../model/huawei-obs/actions.ts';
import type { ObsWorld } from '../../../model/huawei-obs/types.ts';
import type { Expectation } from '../../../model/outcome.ts';
import type { Request } from '../../../model/world.ts';
import {
  availableObsActions,
  isOwnerKind,
  OBS_OWNER_DEFAULT_ACTIONS,
  OBS_REQUEST_ACTIONS,
  OBS_POLICY_READINGS,
  obsKinds,
  obsReadings,
  obsRequest,
  obsScene,
  type BuiltObsStatement,
  type GeneratedObsRequest,
  type ObsIdentity,
  type ObsPolicyReading,
  type ObsPrincipalKind,
  type ObsReadings,
  type ObsRequestOptions,
  type ObsScene,
  type ObsStatement,
} from '../../../generators/huawei-obs/index.ts';
import { lacksActions } from '../types.ts';
import type { GeneratedProperty, JsonSchema, PropertyEnv } from '../types.ts';

/**
 * What the OBS policy properties share: the decision the semantics of issue #4
 * (.scratch/obs-semantics.md) give a request in a world with the default private ACL, from the
 * facts its statements were built with, and small builders of cases.
 */

/** Declares a Huawei OBS property (vendor filled in). */
export function obsPolicyProperty<P>(definition: Omit<GeneratedProperty<P>, 'vendor'>): GeneratedProperty<P> {
  return { vendor: 'huawei-obs', ...definition };
}

/**
 * The decision for a request (not a policy API) in a world with the default private ACL, given
 * which of the policy's statements apply to it:
 * 2. "An applicable policy Deny -> deny" (OBS-ALLOW-DENY, the owner included);
 * 3. "An applicable policy Allow -> allow";
 * 4-6. otherwise the ACL and the owner's defaults: the default private ACL grants only the
 *    owner, and the owner "has every action that no ACL permission maps" (step 6);
 * 7. "Otherwise deny".
 * The owner's ACL-mapped actions are not decided here: whether its IAM users get them from the
 * owner account's grant is contested (vendor notes §2, O5), so no case is built on them.
 */
export function documentedDecision(r: GeneratedObsRequest, statements: readonly BuiltObsStatement[]): 'allow' | 'deny' {
  if (statements.some((s) => s.applies && s.statement.Effect === 'Deny')) return 'deny';
  if (statements.some((s) => s.applies && s.statement.Effect === 'Allow')) return 'allow';
  if (!isOwnerKind(r.identity.kind)) return 'deny';
  if (r.action.acl !== undefined) throw new Error(`no case is built on the owner's ACL-mapped action ${r.action.name} without an applicable statement`);
  return 'allow';
}

/** An expectation with only a decision. */
export function decisionOnly(decision: 'allow' | 'deny'): Expectation {
  return { decision };
}

/** A case with one world and its requests, each with its expected decision. */
export function expectationCase(world: ObsWorld, requests: Array<{ request: Request; decision: 'allow' | 'deny'; labels?: Record<string, string> }>, labels: Record<string, string> = {}): ExpectationCase {
  return {
    kind: 'expect',
    world,
    requests: requests.map((r) => ({ request: r.request, expect: decisionOnly(r.decision), ...(r.labels ? { labels: r.labels } : {}) })),
    labels,
  };
}

/** A relation case over the same requests in two worlds. */
export function relationCase(relation: RelationCase['relation'], base: ObsWorld, variant: ObsWorld, requests: readonly Request[], labels: Record<string, string> = {}): RelationCase {
  return { kind: 'relation', relation, base, variant, requests: [...requests], labels };
}

/** The principal kinds among `wanted` the target can send requests as; throws when none. */
export function kindsFor(env: PropertyEnv, wanted?: readonly ObsPrincipalKind[]): ObsPrincipalKind[] {
  const k = obsKinds(env.capabilities, wanted);
  if (k.length === 0) throw new Error(`the target can send requests as none of ${wanted?.join(', ') ?? 'the principal kinds'}`);
  return k;
}

/** The actions a case may request for an identity: for the owner's, only those no ACL permission maps (never a policy API). */
export function actionsFor(identity: Pick<ObsIdentity, 'kind'>, pool: readonly ObsAction[] = OBS_REQUEST_ACTIONS): ObsAction[] {
  return isOwnerKind(identity.kind) ? pool.filter((a) => OBS_OWNER_DEFAULT_ACTIONS.includes(a)) : [...pool];
}

/** What the request generators take from the target: its capabilities, where its requests come from, the actions it can be sent. */
export function target(env: PropertyEnv): Pick<ObsRequestOptions, 'capabilities' | 'sourceAddresses' | 'targetActions'> {
  return { capabilities: env.capabilities, sourceAddresses: env.sourceAddresses, targetActions: env.actions };
}

/**
 * The actions of `pool` the target can be sent; else the check cannot build its cases and is
 * skipped (TargetLacks naming them).
 */
export function usableActions(env: PropertyEnv, pool: readonly ObsAction[]): ObsAction[] {
  const usable = availableObsActions(pool, env.actions);
  if (usable.length === 0) throw lacksActions(pool.map((a) => a.name));
  return usable;
}

/** Which requests `sceneWithRequest` builds: by kinds of principal, among a pool of actions, at some levels. */
export interface RequestChoice {
  kinds?: readonly ObsPrincipalKind[];
  levels?: readonly ObsActionLevel[];
  pool?: readonly ObsAction[];
}

/** The actions of a request by an identity of `kind` (`actionsFor`, at `levels`) that the target can be sent. */
function requestActions(env: PropertyEnv, kind: ObsPrincipalKind, choice: RequestChoice): ObsAction[] {
  const actions = actionsFor({ kind }, choice.pool).filter((a) => !choice.levels || choice.levels.includes(a.level));
  return availableObsActions(actions, env.actions);
}

/**
 * The kinds among `choice.kinds` (default: every kind the target can send as) that have an action
 * the target can be sent; throws TargetLacks when none has (the check is skipped).
 */
export function requestKinds(env: PropertyEnv, choice: RequestChoice = {}): ObsPrincipalKind[] {
  const kinds = choice.kinds ?? kindsFor(env);
  const usable = kinds.filter((k) => requestActions(env, k, choice).length > 0);
  if (usable.length === 0) {
    const wanted = new Set(kinds.flatMap((k) => actionsFor({ kind: k }, choice.pool).filter((a) => !choice.levels || choice.levels.includes(a.level)).map((a) => a.name)));
    throw lacksActions([...wanted]);
  }
  return usable;
}

/** Whether `sceneWithRequest(env, choice)` can build a request for the target. */
export function canRequest(env: PropertyEnv, choice: RequestChoice = {}): boolean {
  const kinds = choice.kinds ?? kindsFor(env);
  return kinds.some((k) => requestActions(env, k, choice).length > 0);
}

/**
 * A scene and one request in it, by an identity of `kinds` (default: every kind the target can
 * send as), for an action the identity's outcome is known for (`actionsFor`) and the target can be
 * sent, from an address the target can send from. Throws TargetLacks when there is none.
 */
export function sceneWithRequest(env: PropertyEnv, options: Omit<ObsRequestOptions, 'capabilities' | 'identities' | 'sourceAddresses' | 'targetActions'> & { pool?: readonly ObsAction[] } = {}): fc.Arbitrary<{ s: ObsScene; r: GeneratedObsRequest }> {
  const { pool, ...rest } = options;
  const choice: RequestChoice = { ...(rest.kinds ? { kinds: rest.kinds } : {}), ...(rest.levels ? { levels: rest.levels } : {}), ...(pool ? { pool } : {}) };
  const kinds = requestKinds(env, choice);
  return obsScene().chain((s) =>
    fc.constantFrom(...s.identities.filter((i) => kinds.includes(i.kind))).chain((identity) => {
      const actions = requestActions(env, identity.kind, choice);
      return obsRequest(s, { ...rest, ...target(env), identities: [identity], actions }).map((r) => ({ s, r }));
    }),
  );
}

/**
 * The effect that lets one statement decide alone: an Allow for a non-owner (allowed exactly when
 * it applies), a Deny for the owner's identities (denied exactly when it applies, else the
 * owner's default for actions no ACL permission maps).
 */
export function decidingEffect(identity: ObsIdentity): 'Allow' | 'Deny' {
  return isOwnerKind(identity.kind) ? 'Deny' : 'Allow';
}

/** The policy statements of built statements. */
export function statementsOf(built: readonly BuiltObsStatement[]): ObsStatement[] {
  return built.map((b) => b.statement);
}

/** `{}`: the params schema of a property without parameters. */
export const NO_PARAMS: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };

/**
 * The JSON Schema of the `readings` param of every policy property: the readings (marked in child
 * rules as inferred or ambiguous) its cases may depend on, default none (generators/huawei-obs/
 * readings.ts). A doc rule's check leaves it out; the child that owns a reading names it.
 */
export const POLICY_READINGS_SCHEMA: JsonSchema = {
  type: 'array',
  uniqueItems: true,
  items: { enum: [...OBS_POLICY_READINGS] },
  default: [],
  description:
    'readings the cases may depend on (default none): action-case (action names match whatever their case, OBS-WILDCARD.action-case), stringlike-case (StringLike compares case, OBS-CONDITIONS.stringlike-case), resource-case (Resources compare case, OBS-WILDCARD.resource-case)',
};

/** Params of a policy property that takes only `readings`. */
export interface ReadingsParams {
  readings?: ObsPolicyReading[];
}

/** `{readings}`: the params schema of a policy property with no other parameter. */
export const READINGS_PARAMS: JsonSchema = { type: 'object', additionalProperties: false, properties: { readings: POLICY_READINGS_SCHEMA } };

/** The readings of a property's params, as the generators take them. */
export function readingsOf(params: ReadingsParams | undefined): ObsReadings {
  return obsReadings(params?.readings);
}

/** The JSON Schema of an expectation in params. */
export const EXPECTATION_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: {
    decision: { enum: ['allow', 'deny', 'rejected'] },
    status: { oneOf: [{ type: 'integer', minimum: 100, maximum: 599 }, { enum: ['4xx', '5xx'] }] },
    code: { type: 'string' },
  },
};

/** Outcome values of the properties whose requests are allowed or denied. */
export const ALLOW_DENY = ['allow', 'deny'] as const;
