import * as fc from 'fast-check';
import { differentFrom, stringOf } from './names.ts';

/**
 * Wildcard patterns (`*` any run of characters, `?` one character) built from a value so that
 * they match it, or built so that they cannot (ALI-COND-STRING, ALI-ACTION-WILDCARD). The values
 * these take never contain `*` or `?` themselves.
 */

/** A pattern that matches `value`: a run of it replaced by `*`, or one character by `?`. */
export function patternMatching(value: string, options: { question?: boolean } = {}): fc.Arbitrary<string> {
  const star = fc
    .tuple(fc.nat(value.length), fc.nat(value.length))
    .map(([a, b]) => {
      const [i, j] = a <= b ? [a, b] : [b, a];
      return `${value.slice(0, i)}*${value.slice(j)}`;
    });
  if (!options.question || value.length === 0) return star;
  const question = fc.nat(value.length - 1).map((i) => `${value.slice(0, i)}?${value.slice(i + 1)}`);
  return fc.oneof(star, question);
}

/**
 * A pattern that cannot match `value`: a literal prefix that differs from the value's own at
 * some position followed by `*`, or `*` followed by a suffix the value does not end with, or a
 * different literal.
 */
export function patternMissing(value: string): fc.Arbitrary<string> {
  const other = (c: string | undefined) => fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789#').filter((x) => x !== c);
  const options: fc.Arbitrary<string>[] = [differentFrom(value)];
  if (value.length > 0) {
    // Position i holds a character other than value[i], so no expansion of `*` can match.
    options.push(
      fc.nat(value.length - 1).chain((i) => other(value[i]).map((c) => `${value.slice(0, i)}${c}*`)),
      fc.nat(value.length - 1).chain((i) => other(value[i]).map((c) => `*${c}${value.slice(i + 1)}`)),
    );
  }
  // A literal part longer than the value cannot match it.
  options.push(stringOf('abcdefghijklmnopqrstuvwxyz0123456789', 1, 3).map((extra) => `${value}${extra}*`));
  return fc.oneof(...options);
}

/** Values distinct from `value` (and from each other), for value lists that must not contain it. */
export function valuesOtherThan(value: string | undefined, min: number, max: number, alike: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc.uniqueArray(alike.filter((v) => v !== value), { minLength: min, maxLength: max });
}
