/**
 * Differential mode: the expectation of every request is the reference evaluator's answer. The
 * reference agrees with itself on every rule; a target with an Allow beating a Deny disagrees,
 * with a shrunk counterexample whose "expected" is the reference's outcome; a disagreement on a
 * stateful sequence shows the steps.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-adapter.ts';
import type { Rule, SpecTables } from '../../model/rule.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { runRule, type RunOptions } from '../../suites/runner.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecSet } from '../../suites/spec/load.ts';
import allowBeatsDeny from '../fixtures/adapters/allow-beats-deny.ts';

let rules: Rule[];
let tables: SpecTables;

beforeAll(async () => {
  ({ rules, tables } = await loadSpecSet({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES }));
});

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return { seed: 424242, numRuns: 20, targetName: 'faulty', tables, differential: createReferenceAdapter(), ...extra };
}

describe('differential mode', () => {
  it('the reference agrees with itself on every rule of every vendor', async () => {
    const reference = createReferenceAdapter();
    const verdicts = new Map<string, string>();
    for (const rule of rules) verdicts.set(`${rule.vendor} ${rule.id}`, (await runRule(rule, reference, PROPERTIES, options({ numRuns: 100 }))).verdict);
    const bad = [...verdicts].filter(([, v]) => v !== "pass" && v !== "skip");
    expect(bad).toEqual([]);
    expect([...verdicts.values()].filter((v) => v === 'pass').length).toBeGreaterThan(100);
  });

  it('reports where a target disagrees with the reference, expected being the reference\'s outcome', async () => {
    const rule = rules.find((r) => r.id === 'ALI-DENY-FIRST' && r.vendor === 'alibaba-oss')!;
    const result = await runRule(rule, allowBeatsDeny(), PROPERTIES, options());
    expect(result.verdict).toBe('fail');
    const failed = result.checks.find((c) => c.verdict === 'fail' && c.counterexample)!;
    const ce = failed.counterexample!;
    // The reference denied the request that the faulty target allowed.
    expect(ce.expected).toMatchObject({ decision: 'deny' });
    expect(ce.observed).toMatchObject({ kind: 'observed', observation: { decision: 'allow' } });
    expect(failed.replay).toContain('--differential');
  });

  it('compares a stateful run step by step and prints the shrunk steps of a disagreement', async () => {
    // A target whose `full` keys read objects other keys uploaded (APS-FULL-OWN says they may not).
    const faulty = createReferenceAdapter({ apsSemantics: { mayReadOthers: () => true } });
    const rule = rules.find((r) => r.vendor === 'aps-oss' && r.checks.some((c) => c.kind === 'property' && c.property === 'aps-model-sequence'))!;
    const result = await runRule(rule, faulty, PROPERTIES, options({ check: rule.checks.find((c) => c.kind === 'property' && c.property === 'aps-model-sequence')!.name, numRuns: 60 }));
    expect(result.verdict).toBe('fail');
    const failed = result.checks.find((c) => c.verdict === 'fail')!;
    expect(failed.counterexample?.sequence?.length).toBeGreaterThan(0);
    // The last step is the disagreement: the reference refused what the faulty target allowed.
    expect(failed.counterexample!.expected).toMatchObject({ decision: 'deny' });
    expect(failed.counterexample!.observed).toMatchObject({ observation: { decision: 'allow' } });
  });
});
