import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isExhaustive } from '../../suites/properties/types.ts';
import type { ConformanceCase } from '../../model/case.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { ALL_CAPABILITIES } from './helpers.ts';

/**
 * Property-level distribution: 200 cases of a property, with a fixed seed, reach every outcome
 * its `labels` declare. A generator that silently stops reaching an outcome (every case
 * allowed, say) would make the property pass against a target that always answers the same.
 *
 * Only properties whose cases all carry their expected outcome are here: the outcome of a
 * relation case is what the target decides, which no generator knows.
 */
const env = { capabilities: ALL_CAPABILITIES, rule: { id: 'X-TEST', vendor: 'alibaba-oss' as const }, tables: {} };

/** Params of the properties that need some (the values the spec files use). */
const PARAMS: Record<string, Record<string, unknown>> = {
  'policy-size-limit': { maxBytes: 16384 },
  'field-length-limit': { maxBytes: 4095 },
};

const EXPECTATION_PROPERTIES = [
  'deny-beats-allow',
  'allow-union',
  'implicit-default',
  'wildcard-principal-owner',
  'wildcard-condition-owner',
  'role-session-principal',
  'resource-scope',
  'action-wildcard',
  'vector-resource',
  'condition-and',
  'condition-value-list',
  'condition-string-operators',
  'condition-ip',
  'condition-missing-key',
  'policy-size-limit',
  'field-length-limit',
  'version-value',
];

/** Labels of another kind the same samples must reach, where the property is about them. */
const ALSO: Record<string, readonly string[]> = {
  'deny-beats-allow': ['deny-missed-on', 'deny-first'],
  'resource-scope': ['form', 'level'],
  'vector-resource': ['form'],
  'condition-ip': ['operator', 'family', 'form', 'position'],
  'condition-string-operators': ['operator', 'key'],
  'condition-missing-key': ['operator', 'key'],
  'role-session-principal': ['form'],
  'policy-size-limit': ['side', 'filler'],
  'version-value': ['version'],
};

/** The label sets a case counts, one per request (or one for a world that must be rejected), as the runner counts them. */
function labelSets(c: ConformanceCase): Array<Record<string, string>> {
  if (c.kind !== 'expect') throw new Error('a relation case has no outcome of its own');
  if (c.expectWorld && c.expectWorld.decision !== 'allow') return [{ ...c.labels, outcome: c.expectWorld.decision }];
  return c.requests.map((r) => ({ ...c.labels, ...r.labels, outcome: r.expect.decision }));
}

describe('every declared outcome is reached in 200 cases', () => {
  for (const name of EXPECTATION_PROPERTIES) {
    it(name, () => {
      const property = PROPERTIES.get(name);
      expect(property, name).toBeDefined();
      if (!property || isExhaustive(property)) throw new Error(`${name} is not a generated property`);
      const cases = fc.sample(property.cases(PARAMS[name] ?? {}, env), { seed: 8_080, numRuns: 200 });
      const seen: Record<string, Map<string, number>> = {};
      for (const labels of cases.flatMap(labelSets)) {
        for (const [k, v] of Object.entries(labels)) (seen[k] ??= new Map()).set(v, (seen[k]?.get(v) ?? 0) + 1);
      }
      const distribution = JSON.stringify(Object.fromEntries(Object.entries(seen).map(([k, m]) => [k, Object.fromEntries(m)])));
      for (const label of ['outcome', ...(ALSO[name] ?? [])]) {
        const declared = property!.labels[label];
        expect(declared, `${name} declares ${label}`).toBeDefined();
        for (const value of declared!) expect(seen[label]?.get(value) ?? 0, `${name}: ${label}=${value} never reached, seed 8080; distribution ${distribution}`).toBeGreaterThan(0);
      }
    });
  }
});
