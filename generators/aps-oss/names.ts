import * as fc from 'fast-check';
import { APS_MAX_GRANTS } from '../../model/aps-oss/types.ts';

/** Letters and digits, as APS client ids use them. */
const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];

/**
 * The client id of app number `n`: 32 letters and digits, the shape of the seed's `authId` (the
 * seed masks part of it), spread from `n` by a small xorshift so that ids look unrelated.
 * Drawing numbers rather than strings keeps worlds of 60 keys cheap to build and to shrink.
 */
export function clientIdOf(n: number): string {
  let x = (n ^ 0x9e3779b9) >>> 0 || 1;
  let id = '';
  for (let i = 0; i < 32; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    id += ALNUM[x % ALNUM.length];
  }
  return id;
}

/** A client id (see `clientIdOf`). */
export function clientId(): fc.Arbitrary<string> {
  return fc.nat().map(clientIdOf);
}

/** Distinct client ids. */
export function clientIds(minLength: number, maxLength: number = minLength): fc.Arbitrary<string[]> {
  return fc.uniqueArray(fc.nat(), { minLength, maxLength }).map((ns) => ns.map(clientIdOf));
}

/**
 * Arbitraries built from regular expressions are costly to build (fast-check parses the
 * expression), and these are used inside `chain`: each is built once.
 */
function once<T>(build: () => fc.Arbitrary<T>): () => fc.Arbitrary<T> {
  let built: fc.Arbitrary<T> | undefined;
  return () => (built ??= build());
}

/** A valid bucket key (vendor notes §1.1: `[-_.a-z0-9]{3,128}`), kept short and readable. */
export const bucketKey = once(() => fc.stringMatching(/^[a-z0-9][-_.a-z0-9]{2,23}$/));

/** Ways a bucket key breaks `[-_.a-z0-9]{3,128}`, each with a key that breaks it. */
const invalidKeyForms = (short: boolean): fc.Arbitrary<{ why: string; key: string }>[] => [
  ...(short ? [fc.stringMatching(/^[a-z0-9]{1,2}$/).map((key) => ({ why: 'shorter than 3 characters', key }))] : []),
  fc.stringMatching(/^[a-z0-9]{129,140}$/).map((key) => ({ why: 'longer than 128 characters', key })),
  fc.tuple(fc.stringMatching(/^[a-z0-9]{2,8}$/), fc.constantFrom('A', 'Z', 'Q')).map(([k, c]) => ({ why: 'an upper-case letter', key: `${k}${c}` })),
  fc.tuple(fc.stringMatching(/^[a-z0-9]{2,8}$/), fc.constantFrom(' ', '/', '@', '*', '~')).map(([k, c]) => ({ why: `the character \`${c}\``, key: `${k}${c}x` })),
];

/** Ways a bucket key breaks `[-_.a-z0-9]{3,128}`, each with a key that breaks it. */
export const invalidBucketKey = once((): fc.Arbitrary<{ why: string; key: string }> => fc.oneof(...invalidKeyForms(true)));

/**
 * The same, less the keys shorter than 3 characters: for a target that cannot send them (a live
 * target prefixes every key with its run prefix, which makes a short key long enough).
 */
export const invalidPrefixableBucketKey = once((): fc.Arbitrary<{ why: string; key: string }> => fc.oneof(...invalidKeyForms(false)));

/** An object key: plain names, names under a folder, and names with a space (encoded on the wire). */
export const objectKey = once(() => fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/), fc.stringMatching(/^[a-z0-9]{1,6}\/[a-z0-9 ._-]{1,10}$/)));

/** How many keys an allow list holds, biased towards the edges: none, a few, and exactly `max`. */
export function grantCount(min: number, max: number = APS_MAX_GRANTS): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min, max: Math.max(min, Math.min(max, 8)) }) },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constant(max) },
  );
}
