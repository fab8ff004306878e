import * as fc from 'fast-check';
import { obsId, type ObsScene } from './scene.ts';

/**
 * Values of realistic shape for OBS cases: object keys, near-miss bucket names, User-Agent and
 * Referer headers, list prefixes. None contains `*` or `?`, so a pattern built from a value by
 * inserting a wildcard is a pattern of that value only; every one contains a letter, so its case
 * can be changed (case-sensitive resources and user ids, the IgnoreCase operators).
 */

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** A string of `min`..`max` characters drawn from `alphabet`. */
export function obsStringOf(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength: min, maxLength: max });
}

/**
 * Arbitraries used inside `chain` are built once: building them is what costs (each
 * `constantFrom` over an alphabet, each composed record), not drawing from them.
 */
function once<T>(build: () => fc.Arbitrary<T>): () => fc.Arbitrary<T> {
  let built: fc.Arbitrary<T> | undefined;
  return () => (built ??= build());
}

/** An object key such as `docs/2024/Report-1.txt`: one to three segments, the first starting with a lower-case letter. */
export const obsObjectKey = once(() => {
  const rest = obsStringOf(LOWER + UPPER + DIGITS + '-_.', 0, 7);
  const segment = fc.tuple(obsStringOf(LOWER + UPPER + DIGITS, 1, 1), rest).map(([a, b]) => a + b);
  return fc
    .tuple(obsStringOf(LOWER, 1, 1), rest, fc.array(segment, { maxLength: 2 }))
    .map(([first, tail, more]) => [first + tail, ...more].join('/'));
});

/** A list prefix such as `logs/` or `Photos/2024`: starts with a letter. */
export const obsListPrefix = once(() =>
  fc
    .tuple(obsStringOf(LOWER + UPPER, 1, 1), obsStringOf(LOWER + UPPER + DIGITS + '-_/', 0, 9))
    .map(([a, b]) => a + b),
);

/** A User-Agent header: `curl/8.5.0`, `obs-sdk-nodejs/3.26.8`, `Mozilla/5.0 (X11; Linux x86_64)`, ... */
export const obsUserAgent = once(() =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom('curl', 'Wget', 'obsutil', 'aws-cli', 'python-requests', 'Go-http-client', 'okhttp', 'obs-sdk-nodejs', 'obs-sdk-java'), fc.nat(9), fc.nat(30), fc.nat(9))
      .map(([name, a, b, c]) => `${name}/${a}.${b}.${c}`),
    fc
      .tuple(fc.constantFrom('X11; Linux x86_64', 'Windows NT 10.0; Win64; x64', 'Macintosh; Intel Mac OS X 14_4'), fc.constantFrom('', ' Chrome/124.0', ' Firefox/125.0'))
      .map(([platform, browser]) => `Mozilla/5.0 (${platform})${browser}`),
  ),
);

/** A Referer header: `https://Portal.example.com/a/Index.html`, never with a query (`?`). */
export const obsReferer = once(() =>
  fc
    .tuple(
      fc.constantFrom('http', 'https'),
      fc.tuple(obsStringOf(LOWER + UPPER, 1, 1), obsStringOf(LOWER + UPPER + DIGITS + '-', 0, 7)).map(([a, b]) => a + b),
      fc.constantFrom('example.com', 'example.org', 'Example.net'),
      obsStringOf(LOWER + UPPER + DIGITS + '/-_.', 0, 12),
    )
    .map(([scheme, host, domain, path]) => `${scheme}://${host}.${domain}/${path}`),
);

/** A lower-case letter or digit, for appending to names. */
const NAME_END = once(() => obsStringOf(LOWER + DIGITS, 1, 3));

/**
 * A bucket name that differs from `name` only at its end (it extended, or truncated to at least
 * three characters): a resource of that bucket must not match this one's requests.
 */
export function nearMissBucketName(name: string): fc.Arbitrary<string> {
  const extended = NAME_END().map((s) => `${name}${s}`);
  if (name.length <= 3) return extended;
  return fc.oneof(
    extended,
    fc.integer({ min: 3, max: name.length - 1 }).map((n) => {
      const cut = name.slice(0, n).replace(/-+$/, '');
      return cut.length >= 3 ? cut : `${name}0`;
    }),
  );
}

const ID = once(obsId);

/** An account or user id that no identity of the scene has. */
export function freshId(s: ObsScene): fc.Arbitrary<string> {
  const taken = new Set<string>([s.bucket.owner]);
  for (const i of s.identities) if (typeof i.principal !== 'string') {
    taken.add(i.principal.account);
    if (i.principal.user !== undefined) taken.add(i.principal.user);
  }
  return ID().filter((id) => !taken.has(id));
}

/** The positions of letters in `value`. */
export function letterPositions(value: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) if (value[i]!.toLowerCase() !== value[i]!.toUpperCase()) out.push(i);
  return out;
}

/** `value` with the case of one letter changed (the letter chosen by `at`), or undefined when it has no letter. */
export function flipCase(value: string, at: number): string | undefined {
  const letters = letterPositions(value);
  if (letters.length === 0) return undefined;
  const i = letters[at % letters.length]!;
  const c = value[i]!;
  const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  return value.slice(0, i) + flipped + value.slice(i + 1);
}

/** A character of `[a-z0-9]` that differs from `c` ignoring case (chosen by `at`). */
export function otherChar(c: string | undefined, at: number): string {
  const pool = (LOWER + DIGITS).split('').filter((x) => x !== c?.toLowerCase());
  return pool[at % pool.length]!;
}

/** Inserts `value` into a copy of `list` at `at` (modulo the length + 1). */
export function insertAt<T>(list: readonly T[], value: T, at: number): T[] {
  const out = [...list];
  out.splice(at % (out.length + 1), 0, value);
  return out;
}
