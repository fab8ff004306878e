/**
 * The runner against targets that restrict what a case may use (issue #7): a property that cannot
 * build a single case for the target is skipped naming what the target lacks; one whose cases
 * cannot reach every required label for the target is skipped saying so, after its cases ran (a
 * failing case still fails); against an unrestricted target, missing coverage still fails.
 */
import { join } from 'node:path';
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-adapter.ts';
import type { Adapter, AdapterCapabilities } from '../../adapters/types.ts';
import type { CheckResult } from '../../model/result.ts';
import type { Rule, SpecTables } from '../../model/rule.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import type { PropertyDefinition } from '../../suites/properties/types.ts';
import { TargetLacks } from '../../suites/properties/types.ts';
import { runRule, type RunOptions } from '../../suites/runner.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecSet } from '../../suites/spec/load.ts';
import { alwaysAllow, FAKE_RUNNER_PROPERTIES, fakeAdapter, fakeRule, OWNER_ONLY_CASES, ownerOnly, propertyCheck } from './fakes.ts';

const OPTIONS: RunOptions = { seed: 20261123, numRuns: 60, targetName: 'restricted' };
let rules: Rule[];
let tables: SpecTables;

beforeAll(async () => {
  const set = await loadSpecSet({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES, vendors: ['alibaba-oss', 'huawei-obs'] });
  rules = set.rules;
  tables = set.tables;
});

/** The reference target, as a target that can send only from `sourceAddresses` and only `actions`. */
function restricted(extra: Pick<AdapterCapabilities, 'sourceAddresses' | 'actions'>): Adapter {
  const reference = createReferenceAdapter();
  return { name: 'restricted', capabilities: { ...reference.capabilities, ...extra }, prepare: (w) => reference.prepare(w), close: () => reference.close() };
}

function rule(id: string, vendor = id.startsWith('OBS') ? 'huawei-obs' : 'alibaba-oss'): Rule {
  const found = rules.find((r) => r.id === id && r.vendor === vendor);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

function propertyChecks(checks: readonly CheckResult[]): CheckResult[] {
  return checks.filter((c) => c.kind === 'property');
}

describe('a property that cannot build a case for the target', () => {
  it('is skipped, naming the actions the target lacks, with no case run', async () => {
    const adapter = restricted({ actions: new Set(['GetObject', 'PutObject', 'ListBucket']) });
    const result = await runRule(rule('OBS-OWNER-MANAGES'), adapter, PROPERTIES, { ...OPTIONS, tables });
    const checks = propertyChecks(result.checks);
    expect(checks.map((c) => [c.property, c.verdict, c.cases])).toEqual([
      ['obs-owner-manages', 'skip', 0],
      ['obs-policy-sequence', 'skip', 0],
    ]);
    expect(checks[0]!.message).toBe('target `restricted` lacks the actions PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy (the check needs one of them)');
    expect(checks[1]!.message).toBe('target `restricted` lacks the action PutBucketPolicy');
  });

  it('is skipped when it finds out only while generating', async () => {
    const late: PropertyDefinition = { ...OWNER_ONLY_CASES, name: 'fake-late', cases: () => fc.integer().map((): never => { throw new TargetLacks('the action oss:GetObjectMeta'); }) };
    const properties = new Map([...FAKE_RUNNER_PROPERTIES, [late.name, late]]);
    const result = await runRule(fakeRule([propertyCheck('late', late.name)]), fakeAdapter({ observe: ownerOnly }), properties, OPTIONS);
    expect(result.verdict).toBe('skip');
    expect(result.checks[0]).toMatchObject({ verdict: 'skip', cases: 0, message: 'target `fake` lacks the action oss:GetObjectMeta' });
  });

  it('still fails for any other error it throws', async () => {
    const broken: PropertyDefinition = { ...OWNER_ONLY_CASES, name: 'fake-broken', cases: () => { throw new Error('a bug'); } };
    const properties = new Map([...FAKE_RUNNER_PROPERTIES, [broken.name, broken]]);
    await expect(runRule(fakeRule([propertyCheck('broken', broken.name)]), fakeAdapter({ observe: ownerOnly }), properties, OPTIONS)).rejects.toThrow('a bug');
  });
});

describe('a property whose cases cannot reach every required label for the target', () => {
  it('ALI-COND-IP from 127.0.0.0/8 only: the v4 cases run and pass, the check is skipped for the v6 it cannot reach', async () => {
    const adapter = restricted({ sourceAddresses: { v4: '127.0.0.0/8' } });
    const result = await runRule(rule('ALI-COND-IP'), adapter, PROPERTIES, { ...OPTIONS, tables });
    const [check] = propertyChecks(result.checks);
    expect(check!.verdict).toBe('skip');
    expect(check!.cases).toBeGreaterThanOrEqual(OPTIONS.numRuns);
    expect(Object.keys(check!.distribution['family'] ?? {})).toEqual(['v4']);
    expect(check!.message).toMatch(/^target `restricted` lacks what the cases need to reach every required outcome and label \(it sends from 127\.0\.0\.0\/8 only\): the generated cases never reached family=v6; distribution: /);
  });

  it('a failing case still fails', async () => {
    // The target allows everyone: the stranger's requests are denied by construction, so the check fails before coverage matters.
    const adapter = fakeAdapter({ observe: alwaysAllow });
    adapter.capabilities.actions = new Set(['oss:GetObject']);
    const result = await runRule(fakeRule([propertyCheck('owner or stranger', 'fake-owner-or-stranger', ['allow', 'deny'], { principal: ['owner', 'stranger', 'nobody'] })]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.checks[0]!.verdict).toBe('fail');
  });

  it('against an unrestricted target, missing coverage is still a defect of the property', async () => {
    const check = propertyCheck('owners read', OWNER_ONLY_CASES.name, ['allow', 'deny']);
    const open = await runRule(fakeRule([check]), fakeAdapter({ observe: ownerOnly }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(open.checks[0]).toMatchObject({ verdict: 'fail' });
    expect(open.checks[0]!.message).toMatch(/^the generated cases never reached outcome=deny/);
    const adapter = fakeAdapter({ observe: ownerOnly });
    adapter.capabilities.actions = new Set(['oss:GetObject']);
    const closed = await runRule(fakeRule([check]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(closed.checks[0]).toMatchObject({ verdict: 'skip' });
    expect(closed.checks[0]!.message).toContain('(it can be sent 1 action): the generated cases never reached outcome=deny');
  });
});

describe('a property the target can be sent every case of', () => {
  it('passes with its cases from the target\'s addresses and actions', async () => {
    const adapter = restricted({ sourceAddresses: { v4: '127.0.0.0/8' }, actions: new Set(['oss:GetObject', 'oss:PutObject', 'oss:ListObjects']) });
    const result = await runRule(rule('ALI-DENY-FIRST'), adapter, PROPERTIES, { ...OPTIONS, tables });
    const [check] = propertyChecks(result.checks);
    expect(check).toMatchObject({ verdict: 'pass' });
    expect(check!.cases).toBe(OPTIONS.numRuns);
    expect(result.verdict).toBe('pass');
  });
});

describe('a worked example the target cannot be sent', () => {
  it('is skipped, naming the action or the source address, while the examples it can be sent run', async () => {
    // OBS-ALLOW-DENY has worked examples with GetObjectAcl; OBS-CONDITIONS has examples from 203.0.113.x.
    const noAcl = restricted({ actions: new Set(['GetObject', 'PutObject', 'DeleteObject', 'ListBucket', 'PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'HeadBucket']) });
    const allowDeny = await runRule(rule('OBS-ALLOW-DENY'), noAcl, PROPERTIES, { ...OPTIONS, numRuns: 5, tables });
    const examples = allowDeny.checks.filter((c) => c.kind === 'example');
    expect(examples.some((c) => c.verdict === 'skip' && c.message === 'target `restricted` lacks the action GetObjectAcl')).toBe(true);
    expect(examples.some((c) => c.verdict === 'pass')).toBe(true);
    expect(allowDeny.checks.every((c) => c.verdict === 'pass' || c.verdict === 'skip')).toBe(true);

    const loopback = restricted({ sourceAddresses: { v4: '127.0.0.0/8' } });
    const conditions = await runRule(rule('OBS-CONDITIONS'), loopback, PROPERTIES, { ...OPTIONS, numRuns: 5, tables });
    const skipped = conditions.checks.filter((c) => c.kind === 'example' && c.verdict === 'skip');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped[0]!.message).toMatch(/^target `restricted` lacks the source address [0-9.]+ \(it sends from 127\.0\.0\.0\/8\)$/);
  });
});
