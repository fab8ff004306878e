import * as fc from 'fast-check';
import type { AliStatement, OneOrMany } from '../../model/alibaba-oss/types.ts';
import { actionPatternCovering, actionPatternMissing, type ActionPatternForm } from './actions.ts';
import { conditionBlock, conditionEntry, entryPossible, operatorsFor, type ConditionEntry, type Operator } from './conditions.ts';
import type { Scene } from './identities.ts';
import { principalCovering, principalMissing, type PrincipalForm } from './principals.ts';
import type { ContextKey, GeneratedRequest } from './requests.ts';
import { resourceCovering, resourceMissing, type ResourceForm } from './resources.ts';

/**
 * Statements built around a request: one that applies to it on every element (Principal,
 * Action, Resource, Condition), or one that misses it on a chosen element and applies on the
 * others. This is how the suites know the outcome of a case without asking any evaluator.
 */

/** The statement elements a statement can miss a request on. */
export const DIMENSIONS = ['principal', 'action', 'resource', 'condition'] as const;
/** One element a statement can miss a request on. */
export type Dimension = (typeof DIMENSIONS)[number];

/** A statement and the facts its construction guarantees. */
export interface BuiltStatement {
  statement: AliStatement;
  /** Whether the statement applies to the request it was built around. */
  applies: boolean;
  /** When it does not apply: the element it misses on. */
  missedOn?: Dimension;
  principalForm: PrincipalForm;
  actionForm: ActionPatternForm;
  resourceForm: ResourceForm;
  conditions: ConditionEntry[];
}

/** How conditions are chosen for a statement. */
export type ConditionChoice = 'none' | 'some' | 'maybe';

/** Options of the statement builders. */
export interface StatementOptions {
  effect: 'Allow' | 'Deny';
  conditions?: ConditionChoice;
  /** How many condition entries at most (default 3). */
  maxConditions?: number;
  /** Whether the Principal names the identity or uses `*` (when it covers). */
  wildcard?: 'never' | 'always' | 'maybe';
  /** Keys that conditions may be written on (default: every key the request has, plus absent ones it could have). */
  keys?: readonly ContextKey[];
}

function oneOrManyPatterns(main: string, extras: string[], scalar: boolean, at: number): OneOrMany {
  if (scalar && extras.length === 0) return main;
  const list = [...extras];
  list.splice(at % (list.length + 1), 0, main);
  return list;
}

/** (operator, key) pairs that can be built to hold (or fail) against this request. */
function candidatePairs(r: GeneratedRequest, keys: readonly ContextKey[], holds: boolean): Array<[Operator, ContextKey]> {
  const out: Array<[Operator, ContextKey]> = [];
  for (const key of keys) {
    const present = r.request.context?.[key] !== undefined;
    for (const op of operatorsFor(key)) if (entryPossible(op, present, holds)) out.push([op, key]);
  }
  return out;
}

/** Keys a condition can sensibly be written on for this request. */
function defaultKeys(r: GeneratedRequest): ContextKey[] {
  const keys = new Set<ContextKey>(Object.keys(r.request.context ?? {}) as ContextKey[]);
  // Keys absent from this request but meaningful for it: missing-key conditions.
  keys.add('acs:SourceVpc');
  for (const k of r.action.keys ?? []) if (k !== 'oss:Delimiter') keys.add(k as ContextKey);
  return [...keys];
}

/**
 * Entries of which exactly `failing` fail (0 or 1) and the rest hold, on distinct (operator,
 * key) pairs, `count` in all (fewer only when the request offers fewer pairs).
 */
export function conditionEntries(r: GeneratedRequest, count: number, failing: 0 | 1, keys?: readonly ContextKey[]): fc.Arbitrary<ConditionEntry[]> {
  const usable = keys ?? defaultKeys(r);
  const holding = candidatePairs(r, usable, true);
  const failingPairs = candidatePairs(r, usable, false);
  if (failing === 1 && failingPairs.length === 0) throw new Error('no condition can be built to fail for this request');
  const context = r.request.context ?? {};
  const want = count - failing;
  return (failing === 1 ? fc.constantFrom(...failingPairs) : fc.constant(undefined)).chain((bad) => {
    // The holding entries are drawn from the pairs other than the failing one, so that there are `count` in all when possible.
    const pool = bad ? holding.filter(([op, key]) => !(bad[0] === op && bad[1] === key)) : holding;
    const n = Math.min(want, pool.length);
    return fc.shuffledSubarray(pool, { minLength: n, maxLength: n }).chain((good) => {
      const entries = good.map(([op, key]) => conditionEntry(op, key, context, true));
      if (bad) entries.push(conditionEntry(bad[0], bad[1], context, false));
      return fc.tuple(...entries).chain((built) => fc.shuffledSubarray(built, { minLength: built.length, maxLength: built.length }));
    });
  });
}

function conditionCount(choice: ConditionChoice, max: number): fc.Arbitrary<number> {
  if (choice === 'none') return fc.constant(0);
  if (choice === 'some') return fc.integer({ min: 1, max });
  return fc.integer({ min: 0, max });
}

function assemble(
  effect: 'Allow' | 'Deny',
  principal: { value: OneOrMany; form: PrincipalForm },
  actionPattern: { pattern: string; form: ActionPatternForm },
  actionExtras: string[],
  resource: { value: OneOrMany; form: ResourceForm },
  entries: ConditionEntry[],
  scalar: boolean,
  at: number,
): Omit<BuiltStatement, 'applies'> {
  const statement: AliStatement = {
    Effect: effect,
    Action: oneOrManyPatterns(actionPattern.pattern, actionExtras, scalar, at),
    Principal: principal.value,
    Resource: resource.value,
  };
  if (entries.length > 0) statement.Condition = conditionBlock(entries);
  return { statement, principalForm: principal.form, actionForm: actionPattern.form, resourceForm: resource.form, conditions: entries };
}

/** Extra action patterns that do not cover the request's action, for lists. */
function extraActions(name: string): fc.Arbitrary<string[]> {
  return fc.uniqueArray(actionPatternMissing(name).map((p) => p.pattern), { maxLength: 3 });
}

/** A statement that applies to the request on every element. */
export function statementCovering(s: Scene, r: GeneratedRequest, options: StatementOptions): fc.Arbitrary<BuiltStatement> {
  const max = options.maxConditions ?? 3;
  let choice = options.conditions ?? 'maybe';
  // ALI-WILDCARD-OWNER: `*` covers the owner only with a Condition.
  if (r.identity.kind === 'owner' && options.wildcard === 'always') choice = 'some';
  return conditionCount(choice, max).chain((count) =>
    fc
      .record({
        entries: count === 0 ? fc.constant<ConditionEntry[]>([]) : conditionEntries(r, count, 0, options.keys),
      })
      .chain(({ entries }) =>
        fc
          .record({
            principal: principalCovering(s, r.identity, { withCondition: entries.length > 0, ...(options.wildcard ? { wildcard: options.wildcard } : {}) }),
            action: actionPatternCovering(r.request.action),
            extras: extraActions(r.request.action),
            resource: resourceCovering(s, r),
            scalar: fc.boolean(),
            at: fc.nat(),
          })
          .map(({ principal, action, extras, resource, scalar, at }) => ({
            ...assemble(options.effect, principal, action, extras, resource, entries, scalar, at),
            applies: true,
          })),
      ),
  );
}

/** A statement that misses the request on `dimension` (any, when not given) and applies on the other elements. */
export function statementMissing(s: Scene, r: GeneratedRequest, options: StatementOptions & { dimension?: Dimension }): fc.Arbitrary<BuiltStatement> {
  const max = options.maxConditions ?? 3;
  const keys = options.keys ?? defaultKeys(r);
  const canFailCondition = candidatePairs(r, keys, false).length > 0 && options.conditions !== 'none';
  const dimensions = options.dimension ? [options.dimension] : DIMENSIONS.filter((d) => d !== 'condition' || canFailCondition);
  return fc.constantFrom(...dimensions).chain((dimension) => {
    const entriesArb =
      dimension === 'condition'
        ? fc.integer({ min: 1, max }).chain((n) => conditionEntries(r, n, 1, keys))
        : conditionCount(options.conditions ?? 'maybe', max).chain((n) => (n === 0 ? fc.constant<ConditionEntry[]>([]) : conditionEntries(r, n, 0, keys)));
    return entriesArb.chain((entries) =>
      fc
        .record({
          principal:
            dimension === 'principal'
              ? principalMissing(s, r.identity, { withCondition: entries.length > 0 })
              : principalCovering(s, r.identity, { withCondition: entries.length > 0, ...(options.wildcard ? { wildcard: options.wildcard === 'always' && r.identity.kind === 'owner' && entries.length === 0 ? 'never' : options.wildcard } : {}) }),
          action: dimension === 'action' ? actionPatternMissing(r.request.action) : actionPatternCovering(r.request.action),
          extras: extraActions(r.request.action),
          resource: dimension === 'resource' ? resourceMissing(s, r) : resourceCovering(s, r),
          scalar: fc.boolean(),
          at: fc.nat(),
        })
        .map(({ principal, action, extras, resource, scalar, at }) => ({
          ...assemble(options.effect, principal, action, extras, resource, entries, scalar, at),
          applies: false,
          missedOn: dimension,
        })),
    );
  });
}
