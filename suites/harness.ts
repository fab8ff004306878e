import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createAdapter } from '../adapters/registry.ts';
import type { Adapter } from '../adapters/types.ts';
import type { CheckResult, Distribution, RuleResult } from '../model/result.ts';
import type { Rule } from '../model/rule.ts';
import type { Vendor } from '../model/vendors.ts';
import { describeRuleFailure } from './failure.ts';
import { combineVerdicts } from './judge.ts';
import { PROPERTIES } from './properties/index.ts';
import { missingCapabilities, replayCommand, runCaseWith, runRule, type RunOptions } from './runner.ts';
import { selectRules, type RunSettings } from './settings.ts';
import { loadSpecSet } from './spec/load.ts';
import { regressionCheckName, type Regression } from './spec/regressions.ts';

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
  // The selection (and the shard) is taken over every vendor's rules, as the CLI counts them.
  const { rules: all, tables, regressions } = await loadSpecSet({ specsDir: settings.specsDir, properties: PROPERTIES });
  const regressionsOf = (rule: Rule) => regressions.filter((r) => r.vendor === rule.vendor && r.ruleId === rule.id);
  const rules = selectRules(all, settings, (r) => regressionsOf(r).map((x) => regressionCheckName(x.name))).filter((r) => r.vendor === vendor);
  const options: RunOptions = { seed: settings.seed, numRuns: settings.numRuns, targetName: settings.target, tables };
  if (settings.check !== undefined) options.check = settings.check;
  if (settings.path !== undefined) options.path = settings.path;
  if (settings.replayPath !== undefined) options.replayPath = settings.replayPath;
  if (settings.exhaustive !== undefined) options.exhaustive = settings.exhaustive;
  // Differential mode compares the target with another target, the `reference` one, never with
  // the specs: its adapter is created by name, like the target's, in beforeAll.

  describe(vendor, () => {
    let adapter: Adapter;
    beforeAll(async () => {
      if (settings.differential) options.differential = await createAdapter('reference');
      // The suite's vendor goes with the options: a target of several files (the emulators of
      // `npm test`) picks the one for this vendor.
      adapter = await createAdapter(settings.target, { ...settings.targetOptions, vendor });
    });
    afterAll(async () => {
      await adapter?.close();
      await options.differential?.close();
    });
    if (rules.length === 0) {
      test.skip(`no ${vendor} rule selected`, () => {});
      return;
    }
    for (const rule of rules) {
      test(rule.id, async ({ task, skip, signal }) => {
        const result = await runRuleWithRegressions(rule, regressionsOf(rule), adapter, { ...options, signal });
        task.meta.conformance = result;
        if (result.verdict === 'skip') skip(result.message);
        if (result.verdict === 'inconclusive') skip(`inconclusive: ${result.message ?? ''}`);
        expect(result.verdict, describeRuleFailure(result)).toBe('pass');
      });
    }
  });
}

/**
 * Runs a rule's regression cases (each an example check named `regression: <name>`, run first
 * and reported first), then its own checks, and combines the verdicts as `runRule` does. With
 * `options.check`, only the check (or regression) of that name runs.
 */
export async function runRuleWithRegressions(rule: Rule, regressions: readonly Regression[], adapter: Adapter, options: RunOptions): Promise<RuleResult> {
  const selected = regressions.filter((r) => options.check === undefined || regressionCheckName(r.name) === options.check);
  const ownSelected = options.check === undefined || rule.checks.some((c) => c.name === options.check);
  // A target that lacks the vendor or a capability of the rule skips the whole rule, regressions included.
  if (selected.length === 0 || !adapter.capabilities.vendors.includes(rule.vendor) || missingCapabilities(rule, adapter).length > 0) {
    return runRule(rule, adapter, PROPERTIES, options);
  }
  const started = performance.now();
  const checks: CheckResult[] = [];
  for (const regression of selected) checks.push(await runRegression(rule, regression, adapter, options));
  const own = ownSelected ? await runRule(rule, adapter, PROPERTIES, options) : undefined;
  if (own) checks.push(...own.checks);
  const distribution: Distribution = {};
  for (const c of checks) {
    for (const [value, n] of Object.entries(c.distribution['outcome'] ?? {})) {
      const byValue = (distribution['outcome'] ??= {});
      byValue[value] = (byValue[value] ?? 0) + n;
    }
  }
  const verdict = combineVerdicts(checks.map((c) => c.verdict));
  const failing = checks.find((c) => c.verdict === verdict && c.message);
  return {
    id: rule.id,
    vendor: rule.vendor,
    status: rule.status,
    title: rule.title,
    source: rule.source,
    file: rule.file,
    ...(rule.reading ? { reading: rule.reading } : {}),
    verdict,
    ...(verdict !== 'pass' && failing?.message ? { message: `${failing.name}: ${failing.message}` } : {}),
    cases: checks.reduce((n, c) => n + c.cases, 0),
    distribution,
    checks,
    durationMs: performance.now() - started,
  };
}

/** Runs one regression case against the target: exactly the saved case, judged as an example. */
async function runRegression(rule: Rule, regression: Regression, adapter: Adapter, options: RunOptions): Promise<CheckResult> {
  const name = regressionCheckName(regression.name);
  const started = performance.now();
  const lacking = regression.requires.filter((c) => !adapter.capabilities.features.has(c));
  if (lacking.length > 0) {
    return { name, kind: 'example', verdict: 'skip', message: `target \`${adapter.name}\` lacks ${lacking.join(', ')}`, cases: 0, distribution: {}, durationMs: 0 };
  }
  const run = await runCaseWith(regression.case, adapter, { features: adapter.capabilities.features }, options);
  const outcome: Record<string, number> = {};
  for (const l of run.labels) outcome[l['outcome'] ?? 'unknown'] = (outcome[l['outcome'] ?? 'unknown'] ?? 0) + 1;
  const result: CheckResult = { name, kind: 'example', verdict: run.verdict.status, cases: Math.max(run.labels.length, 1), distribution: { outcome }, durationMs: 0 };
  if (run.verdict.status === 'fail') {
    const f = run.failure;
    result.message = f ? `${f.requestIndex >= 0 ? `request ${f.requestIndex}` : 'world'}: ${f.reason} (${regression.file})` : `${run.verdict.reason} (${regression.file})`;
    if (f) result.counterexample = f;
    result.replay = replayCommand(rule, { kind: 'example', name, world: regression.case.kind === 'expect' ? regression.case.world : regression.case.base, requests: [] }, options);
  }
  if (run.verdict.status === 'inconclusive') {
    result.message = `inconclusive: ${run.verdict.cause.code}: ${run.verdict.cause.message}`;
    result.faults = [run.verdict.cause];
  }
  result.durationMs = performance.now() - started;
  return result;
}
