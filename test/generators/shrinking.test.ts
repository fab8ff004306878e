import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressValue, blockContaining, bucketName, nearMissBucketName, objectKey, scene, sourceAddress, statementCovering, uid } from '../../generators/alibaba-oss/index.ts';
import { sceneAndRequest } from './helpers.ts';

/**
 * Shrinking moves toward smaller values: each property below is false on purpose, and the
 * counterexample fast-check shrinks it to is the smallest value that still falsifies it.
 * Several seeds, so that the result does not depend on where the first failure was found.
 */
const SEEDS = [1, 2, 3];

/** The shrunk counterexample of a property that must fail. */
function shrunk<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => boolean, seed: number): T {
  const details = fc.check(fc.property(arb, predicate), { seed, numRuns: 200 });
  expect(details.failed, `seed ${seed}: the property was meant to fail`).toBe(true);
  return details.counterexample![0];
}

describe('shrinking', () => {
  it('an object key with a `/` shrinks to two one-character segments', () => {
    for (const seed of SEEDS) expect(shrunk(objectKey(), (k) => !k.includes('/'), seed), `seed ${seed}`).toBe('a/a');
  });

  it('a UID ending in 7 shrinks to the smallest such UID', () => {
    for (const seed of SEEDS) expect(shrunk(uid(), (u) => !u.endsWith('7'), seed), `seed ${seed}`).toBe('1000000000000007');
  });

  it('a scene-based property shrinks to the shortest bucket name, the smallest owner and one role session', () => {
    for (const seed of SEEDS) {
      const s = shrunk(scene(), (sc) => sc.others.filter((i) => i.kind === 'role-session').length === 2, seed);
      expect(s.bucket.name, `seed ${seed}`).toBe('aaa');
      expect(s.owner.principal, `seed ${seed}`).toBe('1000000000000000');
      expect(s.others.filter((i) => i.kind === 'role-session'), `seed ${seed}`).toHaveLength(1);
    }
  });

  it('a near-miss bucket name longer than its bucket shrinks to one character and the closing digit on `aaa`', () => {
    const arb = bucketName().chain((n) => nearMissBucketName(n).map((near) => ({ n, near })));
    for (const seed of SEEDS) expect(shrunk(arb, ({ n, near }) => near.length <= n.length, seed), `seed ${seed}`).toEqual({ n: 'aaa', near: 'aaaa0' });
  });

  it('source addresses shrink toward the smallest usable address of their family', () => {
    for (const seed of SEEDS) {
      expect(shrunk(sourceAddress(), (a) => a.includes(':'), seed), `seed ${seed}`).toBe('1.0.0.0');
      expect(shrunk(sourceAddress('v4'), (a) => Number(a.split('.')[0]) < 10, seed), `seed ${seed}`).toBe('10.0.0.0');
      expect(shrunk(sourceAddress('v6'), (a) => addressValue(a).value < 2n ** 64n, seed), `seed ${seed}`).toBe('0:0:0:1::');
    }
  });

  it('a block around an address shrinks to the widest v4 block around the smallest address', () => {
    const arb = sourceAddress('v4').chain((a) => blockContaining(a).map((b) => ({ a, ...b })));
    for (const seed of SEEDS) {
      const { a, block, position } = shrunk(arb, (c) => c.block.prefix === 32, seed);
      expect({ a, prefix: block.prefix, position }, `seed ${seed}`).toEqual({ a: '1.0.0.0', prefix: 8, position: 'first' });
    }
  });

  it('a statement with a Condition shrinks to a single entry, never to anything larger than the first failure', () => {
    const arb = sceneAndRequest().chain(({ s, r }) => statementCovering(s, r, { effect: 'Allow' }).map((b) => ({ s, b })));
    for (const seed of SEEDS) {
      const details = fc.check(
        fc.property(arb, (c) => c.b.statement.Condition === undefined),
        { seed, numRuns: 200, verbose: fc.VerbosityLevel.Verbose },
      );
      expect(details.failed, `seed ${seed}`).toBe(true);
      const first = details.failures[0]![0];
      const { s, b } = details.counterexample![0];
      expect(b.conditions, `seed ${seed}`).toHaveLength(1);
      expect(Object.values(b.statement.Condition!).flatMap((byKey) => Object.keys(byKey)), `seed ${seed}`).toHaveLength(1);
      expect(s.bucket.name.length, `seed ${seed}`).toBeLessThanOrEqual(first.s.bucket.name.length);
      expect(JSON.stringify(b.statement).length, `seed ${seed}`).toBeLessThanOrEqual(JSON.stringify(first.b.statement).length);
    }
  });
});
