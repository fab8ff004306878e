import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-adapter.ts';
import type { ConformanceCase } from '../../model/case.ts';
import type { Rule, SpecTables } from '../../model/rule.ts';
import type { World } from '../../model/world.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { runRule } from '../../suites/runner.ts';
import { plannedLabels, sampleExhaustive } from '../../suites/sample.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecSet } from '../../suites/spec/load.ts';

/**
 * The sample of an exhaustive check that a budgeted run sends (`--exhaustive N`): seeded, at most
 * N cases unless more are needed to keep every label value and outcome of the enumeration, and
 * replayable by the indexes of the whole enumeration.
 */

const WORLD: World = { vendor: 'alibaba-oss', bucket: { name: 'b', owner: '1' } };

/** `n` cases: role cycles through 5 values, outcome through allow/deny, and one rare label on case 977. */
function cases(n: number): ConformanceCase[] {
  return Array.from({ length: n }, (_v, i): ConformanceCase => ({
    kind: 'expect',
    world: WORLD,
    requests: [{ request: { principal: '1', action: 'oss:GetObject' }, expect: { decision: i % 2 ? 'deny' : 'allow' }, labels: { role: `r${i % 5}`, ...(i === 977 ? { rare: 'yes' } : {}) } }],
  }));
}

describe('sampleExhaustive', () => {
  const all = cases(1200);

  it('takes N cases, in ascending order, keeping every label value and outcome of the whole', () => {
    const sample = sampleExhaustive(all, 40, 7);
    expect(sample).toHaveLength(40);
    expect(sample).toEqual([...sample].sort((a, b) => a - b));
    expect(new Set(sample).size).toBe(40);
    const whole = new Set(all.flatMap(plannedLabels));
    const kept = new Set(sample.flatMap((i) => plannedLabels(all[i]!)));
    expect(kept).toEqual(whole);
    // The one case with a rare label is always in.
    expect(sample).toContain(977);
  });

  it('is the same for the same seed and another for another seed', () => {
    expect(sampleExhaustive(all, 40, 7)).toEqual(sampleExhaustive(all, 40, 7));
    expect(sampleExhaustive(all, 40, 8)).not.toEqual(sampleExhaustive(all, 40, 7));
  });

  it('takes more than N when N cases cannot hold every label value, and all when N is not smaller', () => {
    expect(sampleExhaustive(all, 2, 1).length).toBeGreaterThanOrEqual(6);
    expect(sampleExhaustive(all.slice(0, 30), 40, 1)).toEqual(Array.from({ length: 30 }, (_v, i) => i));
  });
});

describe('a budgeted run of the APS access matrix (--exhaustive 40)', () => {
  let rules: Rule[];
  let tables: SpecTables;
  beforeAll(async () => {
    ({ rules, tables } = await loadSpecSet({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES, vendors: ['aps-oss'] }));
  });

  it('runs a sample of each exhaustive check, reaches every label value the whole run reaches, and says how many cases there are in all', async () => {
    const adapter = createReferenceAdapter();
    let sampled = 0;
    for (const rule of rules) {
      const whole = await runRule(rule, adapter, PROPERTIES, { seed: 3, numRuns: 10, tables });
      const budgeted = await runRule(rule, adapter, PROPERTIES, { seed: 3, numRuns: 10, tables, exhaustive: 40 });
      expect(budgeted.verdict, `${rule.id}: ${budgeted.message ?? ''}`).toBe('pass');
      for (const [i, check] of budgeted.checks.entries()) {
        const full = whole.checks[i]!;
        if (check.enumerated === undefined) {
          expect(check.cases, `${rule.id} ${check.name}`).toBe(full.cases);
          continue;
        }
        sampled++;
        expect(check.enumerated).toBe(full.cases);
        expect(check.cases).toBeLessThan(full.cases);
        const values = (d: Record<string, Record<string, number>>) => Object.entries(d).flatMap(([k, byValue]) => Object.keys(byValue).map((v) => `${k}=${v}`)).sort();
        expect(values(check.distribution), `${rule.id} ${check.name}`).toEqual(values(full.distribution));
      }
    }
    // The APS rules do have exhaustive checks larger than the sample.
    expect(sampled).toBeGreaterThan(5);
  });
});
