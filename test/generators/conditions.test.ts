import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_ACL_VALUES,
  CONTEXT_KEYS,
  conditionBlock,
  conditionEntries,
  conditionEntry,
  entryPossible,
  OBJECT_ACL_VALUES,
  operatorsFor,
  type ContextKey,
  type Operator,
} from '../../generators/alibaba-oss/index.ts';
import { addressBigInt, blockBounds, conditionHolds, entryHolds, ipIn, sceneAndRequest } from './helpers.ts';

const RUN = { seed: 5_501, numRuns: 500 };
const KEYS = Object.keys(CONTEXT_KEYS) as ContextKey[];

/** A request, an (operator, key among `keys`, holds) the generator can build an entry for, and the entry. */
function entryCaseOn(keys: readonly ContextKey[]) {
  return sceneAndRequest().chain(({ r }) => {
    const context = r.request.context ?? {};
    const combos: Array<{ op: Operator; key: ContextKey; holds: boolean }> = [];
    for (const key of keys) for (const op of operatorsFor(key)) for (const holds of [true, false]) if (entryPossible(op, context[key] !== undefined, holds)) combos.push({ op, key, holds });
    return fc.constantFrom(...combos).chain(({ op, key, holds }) => conditionEntry(op, key, context, holds).map((entry) => ({ context, op, key, holds, entry })));
  });
}
const entryCase = entryCaseOn(KEYS);

describe('conditionEntry', () => {
  it('holds exactly when it claims to, by each operator\'s documented meaning', () => {
    fc.assert(
      fc.property(entryCase, ({ context, op, key, holds, entry }) => {
        expect(entry.operator).toBe(op);
        expect(entry.key).toBe(key);
        expect(entry.holds).toBe(holds);
        expect(entry.presence).toBe(context[key] === undefined ? 'absent' : 'present');
        expect(entryHolds(op, key, entry.values, context)).toBe(holds);
        expect(entry.values.length).toBeGreaterThanOrEqual(1);
        expect(new Set(entry.values).size).toBe(entry.values.length);
        for (const v of entry.values) expect(v.includes('**')).toBe(false);
      }),
      RUN,
    );
  });

  it('on an absent key, positive operators fail and negated ones hold', () => {
    fc.assert(
      fc.property(entryCase.filter(({ entry }) => entry.presence === 'absent'), ({ op, entry }) => entry.holds === op.includes('Not')),
      { seed: 5_502, numRuns: 200 },
    );
  });

  it('ACL keys take values of the ACL domain under the equality operators', () => {
    fc.assert(
      fc.property(entryCaseOn(['oss:x-oss-acl', 'oss:x-oss-object-acl']).filter(({ op }) => op.includes('Equals')), ({ key, entry }) => {
        const domain: readonly string[] = key === 'oss:x-oss-acl' ? BUCKET_ACL_VALUES : OBJECT_ACL_VALUES;
        for (const v of entry.values) expect(domain).toContain(v);
      }),
      { seed: 5_503, numRuns: 100 },
    );
  });

  it('IP entries report the form and the position of the address relative to the deciding block', () => {
    fc.assert(
      fc.property(entryCaseOn(['acs:SourceIp']), ({ context, op, holds, entry }) => {
        const address = context['acs:SourceIp']!;
        const someMatch = op === 'IpAddress' ? holds : !holds;
        const containing = entry.values.filter((v) => ipIn(address, v));
        expect(containing.length).toBe(someMatch ? 1 : 0);
        const deciding = someMatch ? containing[0]! : entry.values[0]!;
        expect(entry.form).toBe(deciding.includes('/') ? 'cidr' : 'address');
        const { first, last } = blockBounds(deciding);
        const a = addressBigInt(address);
        const expected = {
          first: () => a === first,
          last: () => a === last,
          interior: () => a > first && a < last,
          before: () => a + 1n === first,
          after: () => a - 1n === last,
          elsewhere: () => a < first || a > last,
        }[entry.position!];
        expect(expected?.()).toBe(true);
        expect(['first', 'last', 'interior'].includes(entry.position!)).toBe(someMatch);
      }),
      { seed: 5_504, numRuns: 300 },
    );
  });

  it('throws for the impossible combinations on an absent key', () => {
    expect(() => conditionEntry('StringEquals', 'acs:SourceVpc', {}, true)).toThrow(/absent key/);
    expect(() => conditionEntry('StringNotLike', 'acs:SourceVpc', {}, false)).toThrow(/absent key/);
    expect(() => conditionEntry('IpAddress', 'acs:SourceIp', {}, true)).toThrow(/source address/);
  });

  it('reaches every operator, holding and failing, on present and absent keys', () => {
    const seen = new Set(fc.sample(entryCase, { seed: 5_505, numRuns: 600 }).map(({ op, holds, entry }) => `${op}:${holds}:${entry.presence}`));
    for (const op of ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'IpAddress', 'NotIpAddress']) {
      for (const holds of [true, false]) expect(seen).toContain(`${op}:${holds}:present`);
    }
    for (const op of ['StringEquals', 'StringLike']) expect(seen).toContain(`${op}:false:absent`);
    for (const op of ['StringNotEquals', 'StringNotLike']) expect(seen).toContain(`${op}:true:absent`);
  });
});

describe('conditionEntries', () => {
  it('builds `count` entries on distinct (operator, key) pairs, exactly `failing` of them failing', () => {
    const arb = sceneAndRequest().chain(({ r }) =>
      fc.record({ count: fc.integer({ min: 1, max: 4 }), failing: fc.constantFrom<0 | 1>(0, 1) }).chain(({ count, failing }) => conditionEntries(r, count, failing).map((entries) => ({ r, count, failing, entries }))),
    );
    fc.assert(
      fc.property(arb, ({ r, count, failing, entries }) => {
        const context = r.request.context ?? {};
        expect(entries.length).toBeGreaterThanOrEqual(1);
        // A request with a source address offers at least four pairs that can hold (IpAddress and
        // NotIpAddress on acs:SourceIp, the two negated string operators on acs:SourceVpc at
        // least), so up to four entries are always possible.
        expect(entries.length).toBe(count);
        expect(new Set(entries.map((e) => `${e.operator} ${e.key}`)).size).toBe(entries.length);
        expect(entries.filter((e) => !entryHolds(e.operator, e.key, e.values, context)).length).toBe(failing);
        expect(conditionHolds(conditionBlock(entries), context)).toBe(failing === 0);
      }),
      { seed: 5_506, numRuns: 300 },
    );
  });
});
