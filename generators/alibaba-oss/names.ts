import * as fc from 'fast-check';

/**
 * Names of realistic shape: bucket names, account UIDs, object keys, role and session names,
 * VPC ids and AccessKey ids. Every arbitrary here yields values free of `*` and `?`, so a
 * pattern built from a value by inserting a wildcard never contains two in a row.
 */

const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';

/** A string of `min`..`max` characters drawn from `alphabet`. */
export function stringOf(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength: min, maxLength: max });
}

/** A bucket name as OSS accepts it: 3-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
export function bucketName(): fc.Arbitrary<string> {
  return fc
    .tuple(stringOf(lower + digits, 1, 1), stringOf(lower + digits + '-', 1, 20), stringOf(lower + digits, 1, 1))
    .map(([a, b, c]) => `${a}${b}${c}`);
}

/**
 * Bucket names that differ from `name` only at its end: a prefix of it, or it with a suffix.
 * Used to check the bucket-name boundary of resource matching (ALI-RESOURCE).
 */
export function nearMissBucketName(name: string): fc.Arbitrary<string> {
  const extended = stringOf(lower + digits + '-', 1, 4).map((s) => `${name}${s}`.replace(/-+$/, '') + '0');
  if (name.length <= 3) return extended;
  const truncated = fc.integer({ min: 3, max: name.length - 1 }).map((n) => name.slice(0, n).replace(/-+$/, '') || name.slice(0, 3));
  return fc.oneof(extended, truncated).filter((n) => n !== name && n.length >= 3);
}

/** A 16-digit account or RAM-user UID. */
export function uid(): fc.Arbitrary<string> {
  return fc.tuple(stringOf('123456789', 1, 1), stringOf(digits, 15, 15)).map(([a, b]) => a + b);
}

/** A role or session name: letters, digits and hyphens, with at least one letter so that its case can be changed. */
export function roleOrSessionName(): fc.Arbitrary<string> {
  return fc
    .tuple(stringOf(lower, 1, 1), stringOf(lower + digits + '-', 0, 10), stringOf(lower + digits, 1, 1))
    .map(([a, b, c]) => a + b + c);
}

/** One path segment of an object key. */
function keySegment(): fc.Arbitrary<string> {
  return stringOf(lower + digits + '-_.', 1, 8).filter((s) => s !== '.' && s !== '..');
}

/** An object key such as `docs/2020/a.txt`: one to four segments. */
export function objectKey(): fc.Arbitrary<string> {
  return fc.array(keySegment(), { minLength: 1, maxLength: 4 }).map((segments) => segments.join('/'));
}

/** A VPC id such as `vpc-t4nlw426y44rd3iq40001`. */
export function vpcId(): fc.Arbitrary<string> {
  return stringOf(lower + digits, 8, 22).map((s) => `vpc-${s}`);
}

/** A long-term AccessKey ID (`LTAI...`). */
export function longTermAccessId(): fc.Arbitrary<string> {
  return stringOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 16, 20).map((s) => `LTAI${s}`);
}

/** A temporary AccessKey ID issued by STS (`STS....`). */
export function stsAccessId(): fc.Arbitrary<string> {
  return stringOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 16, 24).map((s) => `STS.${s}`);
}

/** A string that differs from `value` in its first character, so it equals no value that starts like `value`. */
export function differentFrom(value: string, alphabet = lower + digits): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(alphabet.length - 1), stringOf(alphabet, 0, 10)).map(([i, rest]) => {
    const pick = alphabet[i] === value[0] ? alphabet[(i + 1) % alphabet.length] : alphabet[i];
    return `${pick}${rest}`;
  });
}
