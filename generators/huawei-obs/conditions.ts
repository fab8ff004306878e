import * as fc from 'fast-check';
import { formatBlock, type IpFamily } from '../alibaba-oss/ip.ts';
import { blockBeside, blockContaining, blockElsewhere, type ObsIpPosition, type PlacedBlock } from './ip.ts';
import { flipCase, insertAt, letterPositions, obsListPrefix, obsReferer, obsStringOf, obsUserAgent, otherChar } from './names.ts';
import { NO_READINGS, type ObsReadings } from './readings.ts';
import type { GeneratedObsRequest, ObsContextKey } from './requests.ts';

/**
 * Condition entries built around a request's context so that whether each holds is known by
 * construction (O1; semantics of issue #4): `{Operator: {Key: value | [values]}}`, values OR-ed,
 * keys and operators AND-ed. StringEquals/StringNotEquals compare exactly, the IgnoreCase pair
 * ignoring case, StringLike/StringNotLike match `*` and `?` patterns case-SENSITIVELY (O1's
 * reading). IpAddress/NotIpAddress take CIDR blocks or single addresses. Entries are only built
 * on keys the request carries. That StringLike compares case is the reading `stringlike-case`
 * (OBS-CONDITIONS.stringlike-case): without it, no StringLike/StringNotLike value's match depends
 * on case (values either match in the value's own case or differ from it ignoring case too).
 */

/** The string operators. */
export const OBS_STRING_OPERATORS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'] as const;
/** One string operator. */
export type ObsStringOperator = (typeof OBS_STRING_OPERATORS)[number];
/** The address operators. */
export const OBS_IP_OPERATORS = ['IpAddress', 'NotIpAddress'] as const;
/** One address operator. */
export type ObsIpOperator = (typeof OBS_IP_OPERATORS)[number];
/** An operator the generators build entries for. */
export type ObsOperator = ObsStringOperator | ObsIpOperator;

/** Whether an operator is negated: it holds when no value matches. */
export function isNegatedOperator(operator: ObsOperator): boolean {
  return operator.includes('Not');
}

/** The operators that make sense for a key. */
export function obsOperatorsFor(key: ObsContextKey): readonly ObsOperator[] {
  return key === 'SourceIp' ? OBS_IP_OPERATORS : OBS_STRING_OPERATORS;
}

/** One condition entry and what is known about it. */
export interface ObsConditionEntry {
  operator: ObsOperator;
  key: ObsContextKey;
  values: string[];
  /** Whether the entry holds for the request it was built for. */
  holds: boolean;
  /** Address entries: where the request's address lies relative to the block that decides. */
  position?: ObsIpPosition;
  /** Address entries: the family of the request's address. */
  family?: IpFamily;
  /** Address entries: whether the deciding value is a bare address or a CIDR block. */
  form?: 'address' | 'cidr';
}

/** A condition block: operator, key, one value or a list. */
export type ObsConditionBlock = Record<string, Record<string, string | string[]>>;

/** Values of the same kind as the key's: never containing `*` or `?`. */
function alike(key: ObsContextKey): fc.Arbitrary<string> {
  switch (key) {
    case 'UserAgent':
      return obsUserAgent();
    case 'Referer':
      return obsReferer();
    case 'prefix':
      return obsListPrefix();
    case 'SourceIp':
      throw new Error('address values are blocks, not strings');
  }
}

/** A pattern that matches `value` case-sensitively: a run replaced by `*` (maybe empty), or one character by `?`. */
function patternMatching(value: string): fc.Arbitrary<string> {
  const star = fc.tuple(fc.nat(value.length), fc.nat(value.length)).map(([a, b]) => {
    const [i, j] = a <= b ? [a, b] : [b, a];
    return `${value.slice(0, i)}*${value.slice(j)}`;
  });
  if (value.length === 0) return star;
  return fc.oneof(star, fc.nat(value.length - 1).map((i) => `${value.slice(0, i)}?${value.slice(i + 1)}`));
}

/**
 * A pattern that matches `value` only when case is ignored: a matching pattern with one of its
 * literal letters in the other case (or, when `*` took every letter, the value with one letter
 * changed).
 */
function patternMatchingOnlyIgnoringCase(value: string): fc.Arbitrary<string> {
  return fc.tuple(patternMatching(value), fc.nat()).map(([p, at]) => {
    const literal = letterPositions(p);
    if (literal.length === 0) return flipCase(value, at)!;
    return flipCase(p, at)!;
  });
}

/** A pattern that matches `value` in no case: a differing character before `*`, after `*`, or a literal longer than the value. */
function patternMissing(value: string): fc.Arbitrary<string> {
  const extra = obsStringOf('abcdefghijklmnopqrstuvwxyz0123456789', 1, 3);
  return fc.oneof(
    fc.tuple(fc.nat(value.length - 1), fc.nat()).map(([i, c]) => `${value.slice(0, i)}${otherChar(value[i], c)}*`),
    fc.tuple(fc.nat(value.length - 1), fc.nat()).map(([i, c]) => `*${otherChar(value[i], c)}${value.slice(i + 1)}`),
    extra.map((x) => `${value}${x}*`),
  );
}

/** How an operator compares: exactly, ignoring case, or as a case-sensitive pattern. */
function comparison(operator: ObsStringOperator): 'exact' | 'ignore-case' | 'like' {
  if (operator.endsWith('IgnoreCase')) return 'ignore-case';
  if (operator.endsWith('Like')) return 'like';
  return 'exact';
}

/** A value that the operator's comparison matches against `value`. */
function matchingValue(operator: ObsStringOperator, value: string): fc.Arbitrary<string> {
  switch (comparison(operator)) {
    case 'exact':
      return fc.constant(value);
    case 'ignore-case':
      return fc.oneof(fc.constant(value), fc.nat().map((at) => flipCase(value, at)!), fc.constant(value.toUpperCase()), fc.constant(value.toLowerCase()));
    case 'like':
      return fc.oneof(fc.constant(value), patternMatching(value));
  }
}

/**
 * A value that the operator's comparison does not match against `value`: near misses by case
 * first (for StringLike/StringNotLike only with the reading `stringlike-case`).
 */
function missingValue(operator: ObsStringOperator, key: ObsContextKey, value: string, readings: ObsReadings): fc.Arbitrary<string> {
  const others = alike(key).filter((v) => v.toLowerCase() !== value.toLowerCase());
  switch (comparison(operator)) {
    case 'exact':
      return fc.oneof(fc.nat().map((at) => flipCase(value, at)!), others);
    case 'ignore-case':
      return others;
    case 'like':
      if (!readings.has('stringlike-case')) return fc.oneof(patternMissing(value), others);
      return fc.oneof(patternMatchingOnlyIgnoringCase(value), patternMissing(value), others);
  }
}

/** A string entry on `key` that holds (or fails) for the request's `value`. */
function stringEntry(operator: ObsStringOperator, key: ObsContextKey, value: string, holds: boolean, readings: ObsReadings): fc.Arbitrary<ObsConditionEntry> {
  if (letterPositions(value).length === 0) throw new Error(`the value of ${key} has no letter: \`${value}\``);
  const someMatch = isNegatedOperator(operator) ? !holds : holds;
  const misses = (min: number, max: number) => fc.uniqueArray(missingValue(operator, key, value, readings), { minLength: min, maxLength: max });
  const values = someMatch
    ? fc.tuple(matchingValue(operator, value), misses(0, 2), fc.nat()).map(([hit, rest, at]) => insertAt(rest, hit, at))
    : misses(1, 3);
  return values.map((v) => ({ operator, key, values: [...new Set(v)], holds }));
}

/** An address entry that holds (or fails) for the request's source `address`. */
function ipEntry(operator: ObsIpOperator, address: string, holds: boolean): fc.Arbitrary<ObsConditionEntry> {
  const family: IpFamily = address.includes(':') ? 'v6' : 'v4';
  const someContain = operator === 'IpAddress' ? holds : !holds;
  const text = ([placed, bare]: [PlacedBlock, boolean]) => formatBlock(placed.block, bare);
  const outside = fc.tuple(fc.oneof(blockBeside(address), blockElsewhere(address)), fc.boolean());
  const deciding = fc.tuple(someContain ? blockContaining(address) : blockBeside(address), fc.boolean());
  return fc.tuple(deciding, fc.array(outside, { maxLength: 2 }), fc.nat()).map(([d, rest, at]) => {
    const decidingText = text(d);
    return {
      operator,
      key: 'SourceIp' as const,
      values: [...new Set(insertAt(rest.map(text), decidingText, at))],
      holds,
      position: d[0].position,
      family,
      form: decidingText.includes('/') ? ('cidr' as const) : ('address' as const),
    };
  });
}

/**
 * An entry with `operator` on `key` that holds (or fails) for a request whose context is
 * `context`. The key must be present: absent keys are left out of generated cases. Its values
 * depend on no reading outside `readings` (default none).
 */
export function obsConditionEntry(operator: ObsOperator, key: ObsContextKey, context: Readonly<Record<string, string>>, holds: boolean, readings: ObsReadings = NO_READINGS): fc.Arbitrary<ObsConditionEntry> {
  const value = context[key];
  if (value === undefined) throw new Error(`the request carries no ${key}`);
  if (operator === 'IpAddress' || operator === 'NotIpAddress') {
    if (key !== 'SourceIp') throw new Error(`${operator} applies to SourceIp only`);
    return ipEntry(operator, value, holds);
  }
  if (key === 'SourceIp') throw new Error(`${operator} is not an address operator`);
  return stringEntry(operator, key, value, holds, readings);
}

/** (operator, key) pairs for the keys of `keys` the request carries. */
export function conditionPairs(r: GeneratedObsRequest, keys?: readonly ObsContextKey[]): Array<[ObsOperator, ObsContextKey]> {
  const context = r.request.context ?? {};
  const usable = (keys ?? (Object.keys(context) as ObsContextKey[])).filter((k) => context[k] !== undefined);
  return usable.flatMap((key) => obsOperatorsFor(key).map((op) => [op, key] as [ObsOperator, ObsContextKey]));
}

/**
 * `count` entries (fewer when the request offers fewer pairs) on distinct (operator, key) pairs,
 * of which exactly `failing` (0 or 1) fail and the rest hold, in some order, depending on no
 * reading outside `readings`.
 */
export function obsConditionEntries(r: GeneratedObsRequest, count: number, failing: 0 | 1, keys?: readonly ObsContextKey[], readings: ObsReadings = NO_READINGS): fc.Arbitrary<ObsConditionEntry[]> {
  const pairs = conditionPairs(r, keys);
  if (pairs.length === 0) {
    if (failing === 1) throw new Error('no condition can be built to fail for this request: it carries none of the keys');
    return fc.constant([]);
  }
  const context = r.request.context ?? {};
  const n = Math.max(failing, Math.min(count, pairs.length));
  return fc.shuffledSubarray(pairs, { minLength: n, maxLength: n }).chain((chosen) =>
    fc.tuple(...chosen.map(([op, key], i) => obsConditionEntry(op, key, context, !(failing === 1 && i === 0), readings))).chain((built) =>
      fc.shuffledSubarray(built, { minLength: built.length, maxLength: built.length }),
    ),
  );
}

/** Folds entries into a Condition block. Each (operator, key) must occur once (O1: "only the last key is retained"). */
export function obsConditionBlock(entries: readonly ObsConditionEntry[]): ObsConditionBlock {
  const block: ObsConditionBlock = {};
  for (const e of entries) {
    const byKey = (block[e.operator] ??= {});
    if (byKey[e.key] !== undefined) throw new Error(`duplicate condition ${e.operator} ${e.key}`);
    byKey[e.key] = e.values.length === 1 ? e.values[0]! : e.values;
  }
  return block;
}
