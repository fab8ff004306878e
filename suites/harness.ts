import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createAdapter } from '../adapters/registry.ts';
import type { Adapter } from '../adapters/types.ts';
import type { RuleResult } from '../model/result.ts';
import type { Vendor } from '../model/vendors.ts';
import { describeRuleFailure } from './failure.ts';
import { PROPERTIES } from './properties/index.ts';
import { runRule, type RunOptions } from './runner.ts';
import { ruleMatches, type RunSettings } from './settings.ts';
import { loadSpecSet } from './spec/load.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** The run's settings, fixed once by the global setup. */
    conformance: RunSettings;
  }
  interface TaskMeta {
    /** The rule's result, for the conformance reporters. */
    conformance?: RuleResult;
  }
}

/**
 * Declares one vitest test per rule of `vendor` selected by the run's settings. Each test runs
 * its rule against the target and hands the result to the reporters through `task.meta`; the
 * verdict comes from the judge. Skipped and inconclusive rules are reported as skipped tests,
 * with the reason, never as passes.
 */
export async function conformanceSuite(vendor: Vendor): Promise<void> {
  const settings = inject('conformance');
  // One pass gives the rules and the tables (the APS access matrix), validated together.
  // Every vendor is loaded and this one picked: a specs folder without rules of this vendor gives
  // a skipped suite, not an error (the run as a whole refuses a selection without rules).
  const { rules: all, tables } = await loadSpecSet({ specsDir: settings.specsDir, properties: PROPERTIES });
  const rules = all.filter(
    (r) =>
      r.vendor === vendor &&
      ruleMatches(r.id, settings.rules) &&
      (settings.vendors.length === 0 || settings.vendors.includes(r.vendor)) &&
      (settings.check === undefined || r.checks.some((c) => c.name === settings.check)),
  );
  const options: RunOptions = { seed: settings.seed, numRuns: settings.numRuns, targetName: settings.target, tables };
  if (settings.check !== undefined) options.check = settings.check;
  if (settings.path !== undefined) options.path = settings.path;
  if (settings.replayPath !== undefined) options.replayPath = settings.replayPath;

  describe(vendor, () => {
    let adapter: Adapter;
    beforeAll(async () => {
      adapter = await createAdapter(settings.target, settings.targetOptions);
    });
    afterAll(async () => {
      await adapter?.close();
    });
    if (rules.length === 0) {
      test.skip(`no ${vendor} rule selected`, () => {});
      return;
    }
    for (const rule of rules) {
      test(rule.id, async ({ task, skip }) => {
        const result = await runRule(rule, adapter, PROPERTIES, options);
        task.meta.conformance = result;
        if (result.verdict === 'skip') skip(result.message);
        if (result.verdict === 'inconclusive') skip(`inconclusive: ${result.message ?? ''}`);
        expect(result.verdict, describeRuleFailure(result)).toBe('pass');
      });
    }
  });
}
