import * as fc from 'fast-check';
import { ALI_ACTIONS, type ActionLevel, type AliAction } from '../../../model/alibaba-oss/actions.ts';
import type { AliStatement, AliWorld } from '../../../model/alibaba-oss/types.ts';
import type { ExpectationCase, RelationCase } from '../../../model/case.ts';
import type { Expectation } from '../../../model/outcome.ts';
import type { Request } from '../../../model/world.ts';
import {
  availableActions,
  availableKinds,
  defaultLevels,
  requestIn,
  scene,
  type BuiltStatement,
  type GeneratedRequest,
  type Identity,
  type PrincipalKind,
  type RequestOptions,
  type Scene,
} from '../../../generators/alibaba-oss/index.ts';
import { lacksActions } from '../types.ts';
import type { GeneratedProperty, JsonSchema, PropertyDefinition, PropertyEnv } from '../types.ts';

/**
 * What the Alibaba properties share: the decision that the documents give a request, from the
 * facts a case was built with, and small builders of cases.
 */

/**
 * The documented decision for a request, given which statements built around it apply:
 * ALI-DENY-FIRST (002): "An explicit deny rule in any policy immediately blocks the request";
 * ALI-UNION (002): "the user's permissions are the combination of all policy rules";
 * ALI-IMPLICIT (inferred): the owner keeps access, anyone else without an Allow is denied.
 */
export function documentedDecision(identity: Identity, statements: readonly BuiltStatement[]): 'allow' | 'deny' {
  if (statements.some((s) => s.applies && s.statement.Effect === 'Deny')) return 'deny';
  if (statements.some((s) => s.applies && s.statement.Effect === 'Allow')) return 'allow';
  return identity.kind === 'owner' ? 'allow' : 'deny';
}

/** An expectation with only a decision. */
export function expect(decision: 'allow' | 'deny'): Expectation {
  return { decision };
}

/** A case with one world and its requests, each with its expected decision. */
export function expectationCase(world: AliWorld, requests: Array<{ request: Request; decision: 'allow' | 'deny'; labels?: Record<string, string> }>, labels: Record<string, string> = {}): ExpectationCase {
  return {
    kind: 'expect',
    world,
    requests: requests.map((r) => ({ request: r.request, expect: expect(r.decision), ...(r.labels ? { labels: r.labels } : {}) })),
    labels,
  };
}

/** A relation case over the same requests in two worlds. */
export function relationCase(relation: RelationCase['relation'], base: AliWorld, variant: AliWorld, requests: readonly Request[], labels: Record<string, string> = {}): RelationCase {
  return { kind: 'relation', relation, base, variant, requests: [...requests], labels };
}

/** What the request generators take from the target: its capabilities, where its requests come from, the actions it can be sent. */
export function target(env: PropertyEnv): Pick<RequestOptions, 'capabilities' | 'sourceAddresses' | 'targetActions'> {
  return { capabilities: env.capabilities, sourceAddresses: env.sourceAddresses, targetActions: env.actions };
}

/** The catalogue actions of `levels` (default: the levels a bucket policy decides for this target). */
export function actionsAt(env: PropertyEnv, levels?: readonly ActionLevel[]): AliAction[] {
  const wanted = levels ?? defaultLevels(env.capabilities);
  return ALI_ACTIONS.filter((a) => wanted.includes(a.level));
}

/**
 * The actions of `pool` (default: every level a bucket policy decides) the target can be sent, at
 * least `needed` of them; else the check cannot build its cases and is skipped (TargetLacks).
 */
export function usableActions(env: PropertyEnv, pool: readonly AliAction[] = actionsAt(env), needed = 1): AliAction[] {
  const usable = availableActions(pool, env.actions);
  if (usable.length < needed) throw lacksActions(pool.map((a) => a.name), needed);
  return usable;
}

/**
 * A scene with one request in it, by a principal of `kinds` that the target can send as, for an
 * action of `actions` (or `levels`) that the target can be sent, from an address it can send from.
 */
export function sceneWithRequest(env: PropertyEnv, options: Omit<RequestOptions, 'capabilities'> = {}): fc.Arbitrary<{ s: Scene; r: GeneratedRequest }> {
  usableActions(env, options.actions ?? actionsAt(env, options.levels));
  return scene().chain((s) => requestIn(s, { ...options, ...target(env) }).map((r) => ({ s, r })));
}

/** The principal kinds among `wanted` that the target can send requests as. */
export function kinds(env: PropertyEnv, wanted?: readonly PrincipalKind[]): PrincipalKind[] {
  const k = availableKinds(env.capabilities, wanted);
  if (k.length === 0) throw new Error(`the target can send requests as none of ${wanted?.join(', ') ?? 'the principal kinds'}`);
  return k;
}

/** The policy statements of built statements. */
export function statementsOf(built: readonly BuiltStatement[]): AliStatement[] {
  return built.map((b) => b.statement);
}

/** `{}`: the params schema of a property without parameters. */
export const NO_PARAMS: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };

/** The JSON Schema of an expectation in params. */
export const EXPECTATION_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: {
    decision: { enum: ['allow', 'deny', 'rejected'] },
    status: { oneOf: [{ type: 'integer', minimum: 100, maximum: 599 }, { enum: ['4xx', '5xx'] }] },
    code: { type: 'string' },
    ec: { type: 'string' },
  },
};

/** Principal kind values, for labels. */
export const KIND_VALUES = ['owner', 'other-account', 'ram-user', 'role-session', 'anonymous'] as const;

/** Declares an Alibaba OSS property (vendor filled in). */
export function aliProperty<P>(definition: Omit<GeneratedProperty<P>, 'vendor'>): GeneratedProperty<P> {
  return { vendor: 'alibaba-oss', ...definition };
}
