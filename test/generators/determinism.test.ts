import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALI_ACTIONS } from '../../model/alibaba-oss/actions.ts';
import {
  actionPatternCovering,
  actionPatternMissing,
  blockContaining,
  blockExcluding,
  bucketName,
  CONTEXT_KEYS,
  conditionEntry,
  entryPossible,
  identitiesOf,
  nearMissBucketName,
  objectKey,
  operatorsFor,
  patternMatching,
  patternMissing,
  principalCovering,
  principalMissing,
  requestIn,
  resourceCovering,
  resourceMissing,
  scene,
  sourceAddress,
  statementCovering,
  statementMissing,
  statementsAround,
  uid,
  type ContextKey,
} from '../../generators/alibaba-oss/index.ts';
import { ALL_CAPABILITIES, plainValue, sceneAndRequest } from './helpers.ts';

/**
 * Same seed, same value: every public arbitrary, built afresh twice (so that no state kept
 * between builds can leak in), yields deeply equal samples for the same seed. Arbitraries that
 * take inputs get them from other generated values, so the whole chain is checked.
 */
const ARBITRARIES: Record<string, () => fc.Arbitrary<unknown>> = {
  scene: () => scene(),
  requestIn: () => scene().chain((s) => requestIn(s, { capabilities: ALL_CAPABILITIES })),
  actionPatternCovering: () => fc.constantFrom(...ALI_ACTIONS).chain((a) => actionPatternCovering(a.name)),
  actionPatternMissing: () => fc.constantFrom(...ALI_ACTIONS).chain((a) => actionPatternMissing(a.name)),
  principalCovering: () => scene().chain((s) => fc.constantFrom(...identitiesOf(s)).chain((i) => principalCovering(s, i, { withCondition: true }))),
  principalMissing: () => scene().chain((s) => fc.constantFrom(...identitiesOf(s)).chain((i) => principalMissing(s, i, { withCondition: false }))),
  resourceCovering: () => sceneAndRequest().chain(({ s, r }) => resourceCovering(s, r)),
  resourceMissing: () => sceneAndRequest().chain(({ s, r }) => resourceMissing(s, r)),
  conditionEntry: () =>
    sceneAndRequest().chain(({ r }) => {
      const context = r.request.context ?? {};
      const combos = (Object.keys(CONTEXT_KEYS) as ContextKey[]).flatMap((key) =>
        operatorsFor(key).flatMap((op) => [true, false].filter((holds) => entryPossible(op, context[key] !== undefined, holds)).map((holds) => ({ op, key, holds }))),
      );
      return fc.constantFrom(...combos).chain(({ op, key, holds }) => conditionEntry(op, key, context, holds));
    }),
  statementCovering: () => sceneAndRequest().chain(({ s, r }) => statementCovering(s, r, { effect: 'Allow' })),
  statementMissing: () => sceneAndRequest().chain(({ s, r }) => statementMissing(s, r, { effect: 'Deny' })),
  sourceAddress: () => sourceAddress(),
  blockContaining: () => sourceAddress().chain(blockContaining),
  blockExcluding: () => sourceAddress().chain(blockExcluding),
  patternMatching: () => plainValue().chain((v) => patternMatching(v, { question: true })),
  patternMissing: () => plainValue().chain(patternMissing),
  bucketName: () => bucketName(),
  nearMissBucketName: () => bucketName().chain(nearMissBucketName),
  uid: () => uid(),
  objectKey: () => objectKey(),
  statementsAround: () => scene().chain((s) => fc.array(requestIn(s, { capabilities: ALL_CAPABILITIES }), { minLength: 1, maxLength: 3 }).chain((rs) => statementsAround(s, rs))),
};

/** A JSON text of any generated value (block networks are bigints). */
function text(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

describe('same seed, same value', () => {
  for (const [name, build] of Object.entries(ARBITRARIES)) {
    it(name, () => {
      for (const seed of [7, 1_000_003]) {
        const first = fc.sample(build(), { seed, numRuns: 25 });
        const second = fc.sample(build(), { seed, numRuns: 25 });
        expect(second, `${name}, seed ${seed}`).toStrictEqual(first);
        // Not a constant: the comparison above could tell two different generators apart.
        expect(new Set(first.map(text)).size, `${name}, seed ${seed}`).toBeGreaterThan(1);
      }
    });
  }

  it('a different seed gives different values', () => {
    for (const [name, build] of Object.entries(ARBITRARIES)) {
      expect(fc.sample(build(), { seed: 1, numRuns: 25 }).map(text), name).not.toEqual(fc.sample(build(), { seed: 2, numRuns: 25 }).map(text));
    }
  });

  it('replays a value from its seed and path, as failure messages print them', () => {
    const build = ARBITRARIES['statementsAround']!;
    const failure = fc.check(fc.property(build(), (built) => (built as unknown[]).length < 3), { seed: 42, numRuns: 200 });
    expect(failure.failed).toBe(true);
    const replay = fc.check(fc.property(build(), (built) => (built as unknown[]).length < 3), { seed: failure.seed, path: failure.counterexamplePath!, endOnFailure: true });
    expect(replay.failed).toBe(true);
    expect(replay.counterexample).toStrictEqual(failure.counterexample);
  });
});
