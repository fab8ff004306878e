import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-adapter.ts';
import { DOCUMENTED_OBS_SEMANTICS, type ObsSemantics } from '../../adapters/reference/huawei-obs/index.ts';
import type { RuleResult } from '../../model/result.ts';
import type { Rule, SpecTables } from '../../model/rule.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { runRule, type RunOptions } from '../../suites/runner.ts';
import { LIVE_DEFAULTS, PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecSet } from '../../suites/spec/load.ts';

/**
 * Mutation checks for Huawei OBS: a reference target made wrong in one documented way must fail
 * the rules that cover it, with a counterexample and a replay command; stateful faults (an ACL
 * or a policy merged instead of replaced) are caught by the sequence checks, which print the
 * shrunk sequence. Faults are injected through the evaluator's semantics seam, one at a time.
 */

const SEED = 20261123;
const OPTIONS: RunOptions = { seed: SEED, numRuns: 100, targetName: 'reference' };
let rules: Rule[];
let tables: SpecTables;

beforeAll(async () => {
  const set = await loadSpecSet({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES, vendors: ['huawei-obs'] });
  rules = set.rules;
  tables = set.tables;
});

async function runAll(overrides: Partial<ObsSemantics>): Promise<RuleResult[]> {
  const adapter = createReferenceAdapter({ obsSemantics: overrides });
  const results: RuleResult[] = [];
  for (const rule of rules) results.push(await runRule(rule, adapter, PROPERTIES, { ...OPTIONS, tables }));
  return results;
}

interface Fault {
  name: string;
  overrides: Partial<ObsSemantics>;
  /** Rules that must fail. */
  caughtBy: string[];
  /** A property check that must fail among them (its rule, its property), with a counterexample. */
  property: [string, string];
}

const FAULTS: Fault[] = [
  {
    name: 'a put ACL is merged into the old one instead of replacing it',
    overrides: { nextAcl: (current, put) => [...current, ...put] },
    caughtBy: ['OBS-ACL-OVERWRITE'],
    property: ['OBS-ACL-OVERWRITE', 'obs-acl-sequence'],
  },
  {
    name: 'the owner loses WRITE_ACP when its ACL does not list it',
    overrides: { ownerAlwaysHas: (permission) => permission === 'READ_ACP' },
    caughtBy: ['OBS-ACL-OWNER-ACP'],
    property: ['OBS-ACL-OWNER-ACP', 'obs-acl-sequence'],
  },
  {
    name: 'registered users include anonymous callers',
    overrides: { granteeCovers: (grantee, principal) => ('group' in grantee && grantee.group === 'AuthenticatedUsers' && principal === 'anonymous') || DOCUMENTED_OBS_SEMANTICS.granteeCovers(grantee, principal) },
    caughtBy: ['OBS-ACL-REGISTERED'],
    property: ['OBS-ACL-REGISTERED', 'obs-acl-grant'],
  },
  {
    name: 'a put policy is merged with the old one',
    overrides: { nextPolicy: (current, put) => (current ? { text: put.text, ast: { ...put.ast, statements: [...current.ast.statements, ...put.ast.statements] } } : put) },
    caughtBy: ['OBS-OVERWRITE'],
    property: ['OBS-OVERWRITE', 'obs-policy-sequence'],
  },
  {
    name: 'an Allow beats a Deny',
    overrides: { combine: (deny, allow) => (allow ? 'allow' : deny ? 'deny' : 'none') },
    caughtBy: ['OBS-ALLOW-DENY.precedence', 'X-DENY-MONOTONE'],
    property: ['OBS-ALLOW-DENY.precedence', 'obs-deny-wins'],
  },
  {
    name: 'a policy of 20 KB + 1 byte is accepted',
    overrides: { maxPolicyBytes: 20 * 1024 + 1 },
    caughtBy: ['OBS-LIMIT-SIZE'],
    property: ['OBS-LIMIT-SIZE', 'obs-policy-size-limit'],
  },
];

describe('a faulty OBS target fails the conformance suite', () => {
  // A live run's defaults (LIVE_DEFAULTS: 10 runs per property) still catch every fault.
  test.each(FAULTS)('with the live defaults: $name', async ({ overrides, caughtBy }) => {
    const adapter = createReferenceAdapter({ obsSemantics: overrides });
    const failed: string[] = [];
    for (const rule of rules.filter((r) => caughtBy.includes(r.id))) {
      const result = await runRule(rule, adapter, PROPERTIES, { ...OPTIONS, tables, numRuns: LIVE_DEFAULTS.numRuns, exhaustive: LIVE_DEFAULTS.exhaustive });
      if (result.verdict === 'fail') failed.push(rule.id);
    }
    expect(failed.sort()).toEqual([...caughtBy].sort());
  });

  test.each(FAULTS)('$name', async ({ name, overrides, caughtBy, property: [ruleId, property] }) => {
    const results = await runAll(overrides);
    const failed = results.filter((r) => r.verdict === 'fail').map((r) => r.id);
    expect(failed).toEqual(expect.arrayContaining(caughtBy));
    const check = results.find((r) => r.id === ruleId)!.checks.find((c) => c.property === property)!;
    expect(check.verdict, `${ruleId} ${property}`).toBe('fail');
    expect(check.counterexample).toBeDefined();
    expect(check.replay).toContain(`--rules ${ruleId}`);
    const sequence = check.counterexample!.sequence;
    console.log(`${name}: ${ruleId} ${property} fails: ${check.message?.split('\n')[0]}${sequence ? `\n  ${sequence.join('\n  ')}` : ''}`);
    if (sequence) {
      // A stateful fault shows after at least one state change: the shrunk sequence is short, but longer than one step.
      expect(sequence.length).toBeGreaterThanOrEqual(2);
      expect(sequence.length).toBeLessThanOrEqual(4);
    }
  });

  test('the documented target passes every OBS rule with the same seed', async () => {
    const results = await runAll({});
    expect(results.filter((r) => r.verdict !== 'pass').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(results.length).toBe(rules.length);
  });
});
