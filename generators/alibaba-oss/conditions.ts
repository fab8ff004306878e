import * as fc from 'fast-check';
import { blockContaining, blockExcluding, formatBlock, sourceAddress, type IpPosition } from './ip.ts';
import { longTermAccessId, stringOf, stsAccessId, vpcId } from './names.ts';
import { BUCKET_ACL_VALUES, OBJECT_ACL_VALUES, type ContextKey } from './requests.ts';
import { patternMatching, patternMissing } from './strings.ts';

/**
 * Condition entries built around a request's context so that whether they hold is known by
 * construction (ALI-COND-AND, ALI-COND-VALUES, ALI-COND-STRING, ALI-COND-IP,
 * ALI-COND-MISSING-KEY). An entry is one operator, one key and its value list.
 */

/** The string operators of ALI-COND-STRING. */
export const STRING_OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'] as const;
/** The IP operators of ALI-COND-IP. */
export const IP_OPERATORS = ['IpAddress', 'NotIpAddress'] as const;
/** An operator the generators build entries for. */
export type Operator = (typeof STRING_OPERATORS)[number] | (typeof IP_OPERATORS)[number];

const NEGATED: ReadonlySet<Operator> = new Set(['StringNotEquals', 'StringNotLike', 'NotIpAddress']);

/** Whether an operator is negated (holds when no value matches; holds for an absent key). */
export function isNegated(operator: Operator): boolean {
  return NEGATED.has(operator);
}

/** One condition entry and what is known about it. */
export interface ConditionEntry {
  operator: Operator;
  key: ContextKey;
  values: string[];
  /** Whether the entry holds for the request it was built for. */
  holds: boolean;
  /** Whether the request carries the key. */
  presence: 'present' | 'absent';
  /** For IP entries: where the request's address lies relative to the block that decides. */
  position?: IpPosition;
  /** For IP entries: single address or CIDR block. */
  form?: 'address' | 'cidr';
}

/** Operators that make sense for a key. */
export function operatorsFor(key: ContextKey): readonly Operator[] {
  return key === 'acs:SourceIp' ? IP_OPERATORS : STRING_OPERATORS;
}

/** Values of the same kind as the key's, for lists that must or may hold other values. */
function alike(key: ContextKey): fc.Arbitrary<string> {
  switch (key) {
    case 'acs:SourceVpc':
      return vpcId();
    case 'acs:AccessId':
      return fc.oneof(longTermAccessId(), stsAccessId());
    case 'oss:Prefix':
      return stringOf('abcdefghijklmnopqrstuvwxyz0123456789/', 1, 10);
    case 'oss:x-oss-acl':
      return fc.constantFrom(...BUCKET_ACL_VALUES);
    case 'oss:x-oss-object-acl':
      return fc.constantFrom(...OBJECT_ACL_VALUES);
    case 'acs:SourceIp':
      return sourceAddress();
  }
}

/** 0..max values of the key's kind, none equal to `value` and none matching it as a pattern. */
function otherValues(key: ContextKey, value: string | undefined, min: number, max: number): fc.Arbitrary<string[]> {
  if (key === 'oss:x-oss-acl' || key === 'oss:x-oss-object-acl') {
    const domain = (key === 'oss:x-oss-acl' ? BUCKET_ACL_VALUES : OBJECT_ACL_VALUES).filter((v) => v !== value);
    return fc.shuffledSubarray([...domain], { minLength: Math.min(min, domain.length), maxLength: Math.min(max, domain.length) });
  }
  return fc.uniqueArray(alike(key).filter((v) => v !== value), { minLength: min, maxLength: max });
}

/** Missing patterns, 1..3 of them, none matching `value`. */
function missingPatterns(key: ContextKey, value: string | undefined): fc.Arbitrary<string[]> {
  if (value === undefined) return fc.uniqueArray(alike(key).chain((v) => patternMatching(v)), { minLength: 1, maxLength: 3 });
  return fc.uniqueArray(patternMissing(value), { minLength: 1, maxLength: 3 });
}

function insert(list: string[], value: string, at: number): string[] {
  const out = [...list];
  out.splice(at % (out.length + 1), 0, value);
  return out;
}

/** A string entry that holds (or fails, when `holds` is false) for a request whose value of `key` is `value`. */
function stringEntry(operator: (typeof STRING_OPERATORS)[number], key: ContextKey, value: string | undefined, holds: boolean): fc.Arbitrary<ConditionEntry> {
  const presence = value === undefined ? 'absent' : 'present';
  const base = { operator, key, holds, presence } as const;
  // Whether some value of the list must match the request's value.
  const someMatch = isNegated(operator) ? !holds : holds;
  if (value === undefined) {
    // ALI-COND-MISSING-KEY: an absent key never matches; positive operators fail, negated ones hold.
    if (someMatch) throw new Error(`${operator} cannot ${holds ? 'hold' : 'fail'} for an absent key`);
    const values = operator.endsWith('Like') ? missingPatterns(key, undefined) : otherValues(key, undefined, 1, 3);
    return values.map((v) => ({ ...base, values: v }));
  }
  if (operator === 'StringEquals' || operator === 'StringNotEquals') {
    if (someMatch) return fc.tuple(otherValues(key, value, 0, 3), fc.nat()).map(([others, at]) => ({ ...base, values: insert(others, value, at) }));
    return otherValues(key, value, 1, 3).map((v) => ({ ...base, values: v }));
  }
  if (someMatch) {
    return fc.tuple(patternMatching(value, { question: true }), missingPatterns(key, value), fc.nat(), fc.boolean()).map(([p, others, at, alone]) => ({
      ...base,
      values: alone ? [p] : insert(others.filter((o) => o !== p), p, at),
    }));
  }
  return missingPatterns(key, value).map((v) => ({ ...base, values: v }));
}

/** An IP entry that holds (or fails) for a request whose source address is `address`. */
function ipEntry(operator: (typeof IP_OPERATORS)[number], address: string, holds: boolean): fc.Arbitrary<ConditionEntry> {
  const someMatch = operator === 'IpAddress' ? holds : !holds;
  const bare = fc.boolean();
  const excluded = fc.array(fc.tuple(blockExcluding(address), bare), { minLength: someMatch ? 0 : 1, maxLength: 3 });
  if (someMatch) {
    return fc.tuple(blockContaining(address), bare, excluded, fc.nat()).map(([{ block, position }, b, others, at]) => {
      const text = formatBlock(block, b);
      return {
        operator,
        key: 'acs:SourceIp' as const,
        values: [...new Set(insert(others.map(([o, ob]) => formatBlock(o.block, ob)), text, at))],
        holds,
        presence: 'present' as const,
        position,
        form: text.includes('/') ? ('cidr' as const) : ('address' as const),
      };
    });
  }
  return excluded.map((blocks) => {
    const texts = blocks.map(([o, ob]) => formatBlock(o.block, ob));
    const deciding = blocks[0]!;
    return {
      operator,
      key: 'acs:SourceIp' as const,
      values: [...new Set(texts)],
      holds,
      presence: 'present' as const,
      position: deciding[0].position,
      form: texts[0]!.includes('/') ? ('cidr' as const) : ('address' as const),
    };
  });
}

/**
 * An entry on `key` with `operator` that holds (or fails) for a request whose context is
 * `context`. Throws when the combination is impossible: a positive operator cannot hold, and a
 * negated one cannot fail, on an absent key.
 */
export function conditionEntry(operator: Operator, key: ContextKey, context: Readonly<Record<string, string>>, holds: boolean): fc.Arbitrary<ConditionEntry> {
  const value = context[key];
  if (operator === 'IpAddress' || operator === 'NotIpAddress') {
    if (value === undefined) throw new Error('IP entries need a source address in the context');
    return ipEntry(operator, value, holds);
  }
  return stringEntry(operator, key, value, holds);
}

/** Whether an entry with `operator` can be built to hold (`holds`) or fail for a request with or without the key. */
export function entryPossible(operator: Operator, present: boolean, holds: boolean): boolean {
  if (present) return true;
  if (operator === 'IpAddress' || operator === 'NotIpAddress') return false;
  return isNegated(operator) ? holds : !holds;
}

/** Folds entries into a policy Condition block: `{Operator: {key: values}}`. Each (operator, key) must occur once. */
export function conditionBlock(entries: readonly ConditionEntry[]): Record<string, Record<string, string | string[]>> {
  const block: Record<string, Record<string, string | string[]>> = {};
  for (const e of entries) {
    const byKey = (block[e.operator] ??= {});
    if (byKey[e.key] !== undefined) throw new Error(`duplicate condition ${e.operator} ${e.key}`);
    byKey[e.key] = e.values.length === 1 ? e.values[0]! : e.values;
  }
  return block;
}
