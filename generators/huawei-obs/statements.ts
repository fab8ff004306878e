import * as fc from 'fast-check';
import { actionPadding, actionPatternCovering, actionPatternMissing, type ObsActionForm } from './actions.ts';
import { conditionPairs, obsConditionBlock, obsConditionEntries, type ObsConditionBlock, type ObsConditionEntry } from './conditions.ts';
import { principalCovering, principalMissing, type ObsPrincipalElement, type ObsPrincipalForm } from './principals.ts';
import type { ObsRequest } from '../../model/huawei-obs/types.ts';
import { NO_READINGS, type ObsReadings } from './readings.ts';
import { asGeneratedRequest, type GeneratedObsRequest, type ObsContextKey } from './requests.ts';
import { resourceCovering, resourceMissing, type ObsResourceForm } from './resources.ts';
import type { ObsScene } from './scene.ts';

/**
 * Statements in the OBS format built around a request: one that applies to it (Principal,
 * Action, Resource and Condition all match), or one that misses it on a chosen element and
 * matches on the others. This is how the properties know an outcome without any evaluator: "A
 * statement applies when its principal, action, resource and condition all match" (semantics of
 * issue #4).
 */

/** A statement of an OBS bucket policy, as the generators write it. */
export interface ObsStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal: ObsPrincipalElement;
  Action: string | string[];
  Resource: string | string[];
  Condition?: ObsConditionBlock;
}

/** The elements a statement can miss a request on. */
export const OBS_DIMENSIONS = ['principal', 'action', 'resource', 'condition'] as const;
/** One element. */
export type ObsDimension = (typeof OBS_DIMENSIONS)[number];

/** A statement and the facts its construction guarantees. */
export interface BuiltObsStatement {
  statement: ObsStatement;
  /** Whether it applies to the request it was built around. */
  applies: boolean;
  /** When it does not apply: the one element it misses on. */
  missedOn?: ObsDimension;
  principalForm: ObsPrincipalForm;
  actionForm: ObsActionForm;
  resourceForm: ObsResourceForm;
  conditions: ObsConditionEntry[];
}

/** Options of the statement builders. */
export interface ObsStatementOptions {
  effect: 'Allow' | 'Deny';
  /** Whether the statement has a Condition: never, always, or either (default). */
  conditions?: 'none' | 'some' | 'maybe';
  /** At most this many condition entries (default 2). */
  maxConditions?: number;
  /** Keys conditions may be written on (default: every key the request carries). */
  keys?: readonly ObsContextKey[];
  /** The form of the Principal (covering, or missing when the statement misses on the principal). */
  principal?: ObsPrincipalForm;
  /** The form of the Action pattern that decides. */
  action?: ObsActionForm;
  /** The form of the Resource entry that decides. */
  resource?: ObsResourceForm;
  /**
   * The readings (readings.ts) whether the statement applies may depend on (default none): without
   * `action-case` no Action pattern in another case, without `stringlike-case` no StringLike value
   * matching only ignoring case, without `resource-case` no Resource differing only in case.
   */
  readings?: ObsReadings;
}

function conditionCount(choice: ObsStatementOptions['conditions'], max: number): fc.Arbitrary<number> {
  if (choice === 'none') return fc.constant(0);
  if (choice === 'some') return fc.integer({ min: 1, max });
  return fc.integer({ min: 0, max });
}

function actionElement(decisive: string, padding: string[], scalar: boolean, at: number): string | string[] {
  if (scalar && padding.length === 0) return decisive;
  const list = [...padding];
  list.splice(at % (list.length + 1), 0, decisive);
  return list;
}

function build(
  options: ObsStatementOptions,
  r: GeneratedObsRequest,
  principal: fc.Arbitrary<{ value: ObsPrincipalElement; form: ObsPrincipalForm }>,
  action: fc.Arbitrary<{ pattern: string; form: ObsActionForm }>,
  resource: fc.Arbitrary<{ value: string | string[]; form: ObsResourceForm }>,
  entries: fc.Arbitrary<ObsConditionEntry[]>,
  facts: { applies: boolean; missedOn?: ObsDimension },
): fc.Arbitrary<BuiltObsStatement> {
  return fc
    .record({ principal, action, padding: actionPadding([r.request.action]), resource, entries, scalar: fc.boolean(), at: fc.nat() })
    .map(({ principal: p, action: a, padding, resource: res, entries: e, scalar, at }) => {
      const statement: ObsStatement = {
        Effect: options.effect,
        Principal: p.value,
        Action: actionElement(a.pattern, padding, scalar, at),
        Resource: res.value,
      };
      if (e.length > 0) statement.Condition = obsConditionBlock(e);
      return { statement, ...facts, principalForm: p.form, actionForm: a.form, resourceForm: res.form, conditions: e };
    });
}

/** A statement that applies to the request (generated, or a plain request by a principal of the scene) on every element. */
export function statementCovering(s: ObsScene, request: GeneratedObsRequest | ObsRequest, options: ObsStatementOptions): fc.Arbitrary<BuiltObsStatement> {
  const r = asGeneratedRequest(s, request);
  const max = options.maxConditions ?? 2;
  const readings = options.readings ?? NO_READINGS;
  const entries = conditionCount(options.conditions, max).chain((n) => obsConditionEntries(r, n, 0, options.keys, readings));
  return build(
    options,
    r,
    principalCovering(s, r.identity, options.principal ? { form: options.principal } : {}),
    actionPatternCovering(r.request.action, options.action, readings),
    resourceCovering(s, r, options.resource),
    entries,
    { applies: true },
  );
}

/** Whether a statement can be built to miss the request on its condition (it carries a key conditions may use). */
export function canMissOnCondition(r: GeneratedObsRequest, keys?: readonly ObsContextKey[]): boolean {
  return conditionPairs(r, keys).length > 0;
}

/**
 * A statement that misses the request on `dimension` (any element, when not given) and applies on
 * the others. Missing on the condition means exactly one entry fails and the others hold.
 */
export function statementMissing(s: ObsScene, request: GeneratedObsRequest | ObsRequest, options: ObsStatementOptions & { dimension?: ObsDimension }): fc.Arbitrary<BuiltObsStatement> {
  const r = asGeneratedRequest(s, request);
  const max = options.maxConditions ?? 2;
  const readings = options.readings ?? NO_READINGS;
  const possible = OBS_DIMENSIONS.filter((d) => d !== 'condition' || (options.conditions !== 'none' && canMissOnCondition(r, options.keys)));
  if (options.dimension && !possible.includes(options.dimension)) throw new Error(`a statement cannot miss this request on its ${options.dimension}`);
  return fc.constantFrom(...(options.dimension ? [options.dimension] : possible)).chain((dimension) => {
    const entries =
      dimension === 'condition'
        ? fc.integer({ min: 1, max: Math.max(1, max) }).chain((n) => obsConditionEntries(r, n, 1, options.keys, readings))
        : conditionCount(options.conditions, max).chain((n) => obsConditionEntries(r, n, 0, options.keys, readings));
    const principalOptions = options.principal ? { form: options.principal } : {};
    return build(
      options,
      r,
      dimension === 'principal' ? principalMissing(s, r.identity, principalOptions) : principalCovering(s, r.identity, principalOptions),
      dimension === 'action' ? actionPatternMissing(r.request.action, options.action, readings) : actionPatternCovering(r.request.action, options.action, readings),
      dimension === 'resource' ? resourceMissing(s, r, options.resource, readings) : resourceCovering(s, r, options.resource),
      entries,
      { applies: false, missedOn: dimension },
    );
  });
}
