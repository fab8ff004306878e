import * as fc from 'fast-check';
import { OBS_ACTIONS } from '../../model/huawei-obs/actions.ts';
import { flipCase } from './names.ts';
import { NO_READINGS, type ObsReadings } from './readings.ts';

/**
 * Action patterns in the OBS format: bare names matched case-insensitively, `*` matching any run
 * of characters, the empty run included (O1 "case-insensitive"; O23 `*`, `Get*`, `List*`,
 * `Put*`). Whether a pattern covers an action is known from how it was built. That case does not
 * matter is the reading `action-case` (OBS-WILDCARD.action-case): without it, every pattern is
 * written in the API case of the names it comes from, so that it covers (or misses) alike
 * whether the target compares case or not, and the form `other-case` is never built.
 */

/** The shapes of an action pattern, as the distributions count them. */
export const OBS_ACTION_FORMS = ['exact', 'other-case', 'prefix-star', 'star'] as const;
/** One shape. */
export type ObsActionForm = (typeof OBS_ACTION_FORMS)[number];

/** An action pattern and its shape. */
export interface ObsActionPattern {
  pattern: string;
  form: ObsActionForm;
}

/**
 * Documented bucket-policy action names outside the catalogue (vendor notes §1.4), used as
 * patterns that cover none of the catalogue's actions.
 */
export const OBS_OTHER_ACTION_NAMES: readonly string[] = [
  'GetObjectVersion',
  'GetObjectVersionAcl',
  'PutObjectVersionAcl',
  'RestoreObject',
  'AbortMultipartUpload',
  'ListMultipartUploadParts',
  'ModifyObjectMetaData',
  'PutLifecycleConfiguration',
  'GetLifecycleConfiguration',
  'PutBucketTagging',
  'DeleteBucketTagging',
  'PutBucketWebsite',
  'DeleteBucket',
];

const ALL_NAMES: readonly string[] = [...OBS_ACTIONS.map((a) => a.name), ...OBS_OTHER_ACTION_NAMES];

function words(name: string): string[] {
  return name.match(/[A-Z][a-z0-9]*/g) ?? [name];
}

/** Whether a pattern of the shapes built here (a name, `P*`, `*`) covers `name`, ignoring case. */
function covers(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p.endsWith('*')) return n.startsWith(p.slice(0, -1));
  return p === n;
}

/** `P*` patterns of a name: every word prefix (the whole name too, `*` then matching the empty run) and every character prefix. */
function prefixPatterns(name: string): string[] {
  const w = words(name);
  const out = new Set<string>();
  for (let k = 1; k <= w.length; k++) out.add(`${w.slice(0, k).join('')}*`);
  for (let n = 1; n <= name.length; n++) out.add(`${name.slice(0, n)}*`);
  return [...out];
}

/** Case variants of a name that differ from it: all lower, all upper, one letter changed. */
function caseVariants(name: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...new Set([name.toLowerCase(), name.toUpperCase()])),
    fc.nat().map((at) => flipCase(name, at)!),
  ).map((v) => (v === name ? name.toLowerCase() : v));
}

/** The forms a pattern can take to cover an action: `other-case` only with the reading `action-case`. */
export function coveringActionForms(readings: ObsReadings = NO_READINGS): ObsActionForm[] {
  return OBS_ACTION_FORMS.filter((f) => f !== 'other-case' || readings.has('action-case'));
}

function chooseForm(forms: readonly ObsActionForm[], wanted: ObsActionForm | undefined, what: string): fc.Arbitrary<ObsActionForm> {
  if (wanted === undefined) return fc.constantFrom(...forms);
  if (!forms.includes(wanted)) {
    throw new Error(wanted === 'other-case' ? 'an Action pattern in another case depends on the reading action-case' : `no Action pattern of form ${wanted} can ${what} an action`);
  }
  return fc.constant(wanted);
}

/**
 * A pattern that covers the action `name`, of `form` when given (else each form `readings` allow
 * equally often). Without the reading `action-case`, patterns are in the name's own case.
 */
export function actionPatternCovering(name: string, form?: ObsActionForm, readings: ObsReadings = NO_READINGS): fc.Arbitrary<ObsActionPattern> {
  const anyCase = readings.has('action-case');
  return chooseForm(coveringActionForms(readings), form, 'cover').chain((f): fc.Arbitrary<ObsActionPattern> => {
    switch (f) {
      case 'exact':
        return fc.constant({ pattern: name, form: f });
      case 'other-case':
        return caseVariants(name).map((pattern) => ({ pattern, form: f }));
      case 'prefix-star':
        // In the name's own case; with the reading, sometimes lower-cased (names are case-insensitive).
        if (!anyCase) return fc.constantFrom(...prefixPatterns(name)).map((pattern) => ({ pattern, form: f }));
        return fc.tuple(fc.constantFrom(...prefixPatterns(name)), fc.nat(3)).map(([p, c]) => ({ pattern: c === 0 ? p.toLowerCase() : p, form: f }));
      case 'star':
        return fc.constant({ pattern: '*', form: f });
    }
  });
}

interface MissingPools {
  names: string[];
  prefixes: string[];
}

const missingCache = new Map<string, MissingPools>();

function missingPools(name: string): MissingPools {
  let pools = missingCache.get(name);
  if (!pools) {
    const names = ALL_NAMES.filter((n) => !covers(n, name));
    const prefixes = [...new Set(ALL_NAMES.flatMap(prefixPatterns))].filter((p) => !covers(p, name));
    pools = { names, prefixes };
    missingCache.set(name, pools);
  }
  return pools;
}

/** The forms a pattern can take to miss an action (`*` covers every action), with every reading. */
export const OBS_ACTION_MISSING_FORMS: readonly ObsActionForm[] = ['exact', 'other-case', 'prefix-star'];

/** The forms a pattern can take to miss an action: `other-case` only with the reading `action-case`. */
export function missingActionForms(readings: ObsReadings = NO_READINGS): ObsActionForm[] {
  return OBS_ACTION_MISSING_FORMS.filter((f) => f !== 'other-case' || readings.has('action-case'));
}

/**
 * A pattern that does not cover the action `name`, of `form` when given: another action's name
 * (as written, or in another case with the reading `action-case`), or a prefix with `*` that the
 * name does not start with (ignoring case), such as `List*` or `GetObjectAcl*` for GetObject.
 */
export function actionPatternMissing(name: string, form?: ObsActionForm, readings: ObsReadings = NO_READINGS): fc.Arbitrary<ObsActionPattern> {
  if (form === 'star') throw new Error('`*` covers every action');
  const { names, prefixes } = missingPools(name);
  return chooseForm(missingActionForms(readings), form, 'miss').chain((f): fc.Arbitrary<ObsActionPattern> => {
    if (f === 'exact') return fc.constantFrom(...names).map((pattern) => ({ pattern, form: f }));
    if (f === 'other-case') return fc.constantFrom(...names).chain(caseVariants).map((pattern) => ({ pattern, form: f }));
    return fc.constantFrom(...prefixes).map((pattern) => ({ pattern, form: f }));
  });
}

const paddingCache = new Map<string, string[]>();

/** Patterns that cover none of `names`, for padding Action lists (other names and two-word prefixes, in their own case). */
export function actionPadding(names: readonly string[], max = 2): fc.Arbitrary<string[]> {
  const cacheKey = names.join(',');
  let pool = paddingCache.get(cacheKey);
  if (!pool) {
    const twoWords = ALL_NAMES.flatMap((n) => {
      const w = words(n);
      return w.length > 1 ? [`${w[0]}${w[1]}*`] : [];
    });
    pool = [...new Set([...ALL_NAMES, ...twoWords])].filter((p) => names.every((n) => !covers(p, n)));
    paddingCache.set(cacheKey, pool);
  }
  return pool.length === 0 ? fc.constant([]) : fc.shuffledSubarray(pool, { maxLength: max });
}
