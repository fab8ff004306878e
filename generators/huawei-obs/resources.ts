import * as fc from 'fast-check';
import { flipCase, letterPositions, nearMissBucketName, obsObjectKey, obsStringOf, otherChar } from './names.ts';
import { NO_READINGS, type ObsReadings } from './readings.ts';
import type { GeneratedObsRequest } from './requests.ts';
import type { ObsScene } from './scene.ts';

/**
 * Resource elements in the OBS format (O1, vendor notes §1.5): `<bucket>` for the bucket
 * (bucket actions), `<bucket>/<pattern>` for objects, `*` the only wildcard (any run, the empty
 * one included), case-sensitive. Built to cover the request's bucket or object, or to miss it.
 * That case matters is the reading `resource-case` (OBS-WILDCARD.resource-case): without it, no
 * entry that decides differs from the request's bucket or key only in the case of its letters
 * (every miss differs ignoring case too), so that a Resource covers or misses alike whether the
 * target compares case or not.
 */

/** The forms of a Resource entry, as the distributions count them. */
export const OBS_RESOURCE_FORMS = ['bucket', 'all-objects', 'prefix', 'suffix', 'exact'] as const;
/** One form. */
export type ObsResourceForm = (typeof OBS_RESOURCE_FORMS)[number];

/** A Resource element and the form of its decisive entry. */
export interface BuiltResource {
  value: string | string[];
  form: ObsResourceForm;
}

/** The forms a Resource entry can take to cover a request of this level. */
export function coveringResourceForms(objectRequest: boolean): ObsResourceForm[] {
  return objectRequest ? ['all-objects', 'prefix', 'suffix', 'exact'] : ['bucket'];
}

/** The forms a Resource entry can take to miss a request (every form can). */
export function missingResourceForms(): ObsResourceForm[] {
  return [...OBS_RESOURCE_FORMS];
}

const EXTRA = obsStringOf('abcdefghijklmnopqrstuvwxyz0123456789', 1, 3);

/** Resources of buckets whose names extend or truncate this one's: they never cover its requests. */
function padding(s: ObsScene): fc.Arbitrary<string[]> {
  return fc.array(
    fc.tuple(nearMissBucketName(s.bucket.name), fc.constantFrom('', '/*')).map(([b, tail]) => b + tail),
    { maxLength: 2 },
  );
}

function shape(entry: fc.Arbitrary<string>, s: ObsScene, form: ObsResourceForm): fc.Arbitrary<BuiltResource> {
  return fc.tuple(entry, padding(s), fc.boolean(), fc.nat()).map(([e, more, scalar, at]) => {
    if (scalar && more.length === 0) return { value: e, form };
    const list = [...more];
    list.splice(at % (list.length + 1), 0, e);
    return { value: list, form };
  });
}

function choose(forms: readonly ObsResourceForm[], wanted: ObsResourceForm | undefined, what: string): fc.Arbitrary<ObsResourceForm> {
  if (wanted === undefined) return fc.constantFrom(...forms);
  if (!forms.includes(wanted)) throw new Error(`no Resource of form ${wanted} can ${what} this request`);
  return fc.constant(wanted);
}

/**
 * A Resource element that covers the request's bucket or object, of `form` when given. Its
 * entries spell the bucket and key in their own case, so it depends on no reading.
 */
export function resourceCovering(s: ObsScene, r: GeneratedObsRequest, form?: ObsResourceForm): fc.Arbitrary<BuiltResource> {
  const bucket = s.bucket.name;
  const key = r.request.object;
  return choose(coveringResourceForms(key !== undefined), form, 'cover').chain((f) => {
    if (key === undefined) return shape(fc.constant(bucket), s, f);
    switch (f) {
      case 'all-objects':
        return shape(fc.constant(`${bucket}/*`), s, f);
      case 'prefix':
        // The whole key followed by `*` is among them: `*` then matches the empty run.
        return shape(fc.integer({ min: 1, max: key.length }).map((n) => `${bucket}/${key.slice(0, n)}*`), s, f);
      case 'suffix':
        return shape(fc.integer({ min: 0, max: key.length - 1 }).map((n) => `${bucket}/*${key.slice(n)}`), s, f);
      default:
        return shape(fc.constant(`${bucket}/${key}`), s, f);
    }
  });
}

/**
 * Object-key prefixes that `key` does not start with: a differing character, longer than the key,
 * or (with the reading `resource-case`) one letter in another case.
 */
function prefixMissing(key: string, readings: ObsReadings): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc.tuple(fc.nat(key.length - 1), fc.nat()).map(([i, c]) => key.slice(0, i) + otherChar(key[i], c)),
    EXTRA.map((x) => key + x),
  ];
  const letters = letterPositions(key);
  if (readings.has('resource-case') && letters.length > 0) {
    options.push(
      fc.tuple(fc.nat(letters.length - 1), fc.nat(key.length)).map(([li, extra]) => {
        const j = letters[li]!;
        const flipped = flipCase(key, li)!;
        return flipped.slice(0, Math.min(key.length, j + 1 + extra));
      }),
    );
  }
  return fc.oneof(...options);
}

/** Object-key suffixes that `key` does not end with, built the same way from the end. */
function suffixMissing(key: string, readings: ObsReadings): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc.tuple(fc.nat(key.length - 1), fc.nat()).map(([i, c]) => otherChar(key[i], c) + key.slice(i + 1)),
    EXTRA.map((x) => x + key),
  ];
  const letters = letterPositions(key);
  if (readings.has('resource-case') && letters.length > 0) {
    options.push(
      fc.tuple(fc.nat(letters.length - 1), fc.nat(key.length)).map(([li, back]) => {
        const j = letters[li]!;
        const flipped = flipCase(key, li)!;
        return flipped.slice(Math.max(0, j - back));
      }),
    );
  }
  return fc.oneof(...options);
}

/**
 * Keys other than `key`: the key extended, another key (that differs ignoring case), or (with the
 * reading `resource-case`: keys are case-sensitive) one letter in another case.
 */
function otherKey(key: string, readings: ObsReadings): fc.Arbitrary<string> {
  const others = [EXTRA.map((x) => key + x), obsObjectKey().filter((k) => k.toLowerCase() !== key.toLowerCase())];
  if (!readings.has('resource-case')) return fc.oneof(...others);
  return fc.oneof(fc.nat().map((at) => flipCase(key, at) ?? `${key}0`), ...others);
}

/**
 * A Resource element none of whose entries covers the request, its decisive entry of `form` when
 * given. For an object request: the bucket form, another bucket's objects, a prefix, suffix or
 * exact key the key does not have. For a bucket request: another bucket's name (or, with the
 * reading `resource-case`, this one's in another case), or any object form of this bucket.
 */
export function resourceMissing(s: ObsScene, r: GeneratedObsRequest, form?: ObsResourceForm, readings: ObsReadings = NO_READINGS): fc.Arbitrary<BuiltResource> {
  const bucket = s.bucket.name;
  const key = r.request.object;
  const near = nearMissBucketName(bucket);
  return choose(missingResourceForms(), form, 'miss').chain((f) => {
    if (key === undefined) {
      switch (f) {
        case 'bucket': {
          const options = [near];
          if (readings.has('resource-case') && letterPositions(bucket).length > 0) options.push(fc.nat().map((at) => flipCase(bucket, at)!));
          return shape(fc.oneof(...options), s, f);
        }
        case 'all-objects':
          return shape(fc.constant(`${bucket}/*`), s, f);
        case 'prefix':
          return shape(obsObjectKey().map((k) => `${bucket}/${k}*`), s, f);
        case 'suffix':
          return shape(obsObjectKey().map((k) => `${bucket}/*${k}`), s, f);
        default:
          return shape(obsObjectKey().map((k) => `${bucket}/${k}`), s, f);
      }
    }
    switch (f) {
      case 'bucket':
        return shape(fc.oneof(fc.constant(bucket), near), s, f);
      case 'all-objects':
        return shape(near.map((b) => `${b}/*`), s, f);
      case 'prefix':
        return shape(prefixMissing(key, readings).map((p) => `${bucket}/${p}*`), s, f);
      case 'suffix':
        return shape(suffixMissing(key, readings).map((p) => `${bucket}/*${p}`), s, f);
      default:
        return shape(fc.oneof(otherKey(key, readings).map((k) => `${bucket}/${k}`), near.map((b) => `${b}/${key}`)), s, f);
    }
  });
}
