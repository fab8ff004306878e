import { beforeAll, describe, expect, test } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-adapter.ts';
import { cidrContains, type AliSemantics } from '../../adapters/reference/alibaba-oss/index.ts';
import type { RuleResult } from '../../model/result.ts';
import type { Rule } from '../../model/rule.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { runRule } from '../../suites/runner.ts';
import { loadSpecs } from '../../suites/spec/load.ts';
import { LIVE_DEFAULTS, PROJECT_ROOT } from '../../suites/settings.ts';
import { join } from 'node:path';

/**
 * Mutation checks: an evaluator made wrong in one documented way must make at least one
 * conformance rule fail, with a shrunk counterexample, its seed and path, and a replay command.
 * The faults are injected through the evaluator's semantics seam, one step at a time.
 */

const SEED = 20261123;
let rules: Rule[];

beforeAll(async () => {
  rules = await loadSpecs({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES, vendors: ['alibaba-oss'] });
});

async function runAll(overrides: Partial<AliSemantics>): Promise<RuleResult[]> {
  const adapter = createReferenceAdapter({ aliSemantics: overrides });
  const results: RuleResult[] = [];
  for (const rule of rules) results.push(await runRule(rule, adapter, PROPERTIES, { seed: SEED, numRuns: 100 }));
  return results;
}

const FAULTS: Array<{ name: string; overrides: Partial<AliSemantics>; caughtBy: string[] }> = [
  {
    name: 'an Allow beats a Deny',
    overrides: { combine: (deny, allow) => (allow ? 'allow' : deny ? 'deny' : 'none') },
    caughtBy: ['ALI-DENY-FIRST', 'ALI-UNION'],
  },
  {
    name: 'the owner is exempt from a wildcard Deny that has a Condition',
    overrides: { ownerExemptFromWildcard: () => true },
    caughtBy: ['ALI-WILDCARD-COND-OWNER'],
  },
  {
    name: 'the owner is not exempt from a wildcard statement without Condition',
    overrides: { ownerExemptFromWildcard: () => false },
    caughtBy: ['ALI-WILDCARD-OWNER'],
  },
  {
    name: 'CIDR matching leaves out the last address of a block',
    overrides: { inCidr: (a, b) => cidrContains(a, b) && a.value !== b.last },
    caughtBy: ['ALI-COND-IP'],
  },
  {
    name: 'CIDR matching leaves out the first address of a block',
    overrides: { inCidr: (a, b) => cidrContains(a, b) && a.value !== b.first },
    caughtBy: ['ALI-COND-IP'],
  },
  {
    name: 'CIDR matching takes in the address just after a block',
    overrides: {
      inCidr: (a, b) =>
        cidrContains(a, b) || (a.version === b.version && (typeof a.value === 'bigint' ? a.value === (b.last as bigint) + 1n : a.value === (b.last as number) + 1)),
    },
    caughtBy: ['ALI-COND-IP'],
  },
  {
    name: '`Principal: []` is treated as no principal',
    overrides: { normalizePrincipals: (p) => p },
    caughtBy: ['ALI-EMPTY-PRINCIPAL'],
  },
  {
    name: 'a Resource is matched as a prefix, ignoring the bucket-name boundary',
    overrides: {
      compileResourcePattern: (pattern) => {
        const literal = pattern.split('*')[0]!;
        return (resource) => resource.startsWith(literal) || resource.startsWith(literal.replace(/\/$/, ''));
      },
    },
    caughtBy: ['ALI-RESOURCE'],
  },
  {
    name: 'conditions are ORed instead of ANDed',
    overrides: { conditionBlockHolds: (checks, scope) => checks.length === 0 || checks.some((c) => c.holds(scope)) },
    caughtBy: ['ALI-COND-AND'],
  },
  {
    name: 'a missing key satisfies no operator, negated ones included',
    overrides: { missingKeyHolds: () => false },
    caughtBy: ['ALI-COND-MISSING-KEY'],
  },
];

describe('a faulty evaluator fails the conformance suite', () => {
  // A live run's defaults (LIVE_DEFAULTS: 10 runs per property) still catch every fault.
  test.each(FAULTS)('with the live defaults: $name', async ({ overrides, caughtBy }) => {
    const adapter = createReferenceAdapter({ aliSemantics: overrides });
    const failed: string[] = [];
    for (const rule of rules.filter((r) => caughtBy.includes(r.id))) {
      const result = await runRule(rule, adapter, PROPERTIES, { seed: SEED, numRuns: LIVE_DEFAULTS.numRuns, exhaustive: LIVE_DEFAULTS.exhaustive });
      if (result.verdict === 'fail') failed.push(rule.id);
    }
    expect(failed.sort()).toEqual([...caughtBy].sort());
  });

  test.each(FAULTS)('$name', async ({ overrides, caughtBy }) => {
    const results = await runAll(overrides);
    const failed = results.filter((r) => r.verdict === 'fail');
    expect(failed.map((r) => r.id)).toEqual(expect.arrayContaining(caughtBy));
    for (const id of caughtBy) {
      const result = failed.find((r) => r.id === id)!;
      const check = result.checks.find((c) => c.verdict === 'fail' && c.kind === 'property' && c.counterexample);
      // A generated counterexample, shrunk, with what it takes to replay it.
      expect(check, `${id} should fail a property with a counterexample`).toBeDefined();
      expect(check!.seed).toBeTypeOf('number');
      expect(check!.path).toMatch(/^\d+(:\d+)*$/);
      expect(check!.numShrinks).toBeGreaterThanOrEqual(0);
      expect(check!.replay).toContain(`--rules ${id}`);
      expect(check!.replay).toContain(`--seed ${check!.seed}`);
      expect(check!.replay).toContain(`--path ${check!.path}`);
      expect(check!.message).toMatch(/expected|relation|decided/);
    }
  });

  test('the documented evaluator passes every rule with the same seed', async () => {
    const results = await runAll({});
    expect(results.filter((r) => r.verdict !== 'pass').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(results.length).toBe(rules.length);
  });
});
