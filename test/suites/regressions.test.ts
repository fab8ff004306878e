import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-adapter.ts';
import type { RelationCase } from '../../model/case.ts';
import { ConformanceErrors } from '../../model/errors.ts';
import type { Rule } from '../../model/rule.ts';
import { runRuleWithRegressions } from '../../suites/harness.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { parseShard, PROJECT_ROOT, selectRules } from '../../suites/settings.ts';
import { loadSpecSet } from '../../suites/spec/load.ts';
import { caseKey, regressionFileName, renderRegression, type Regression } from '../../suites/spec/regressions.ts';
import allowBeatsDeny from '../fixtures/adapters/allow-beats-deny.ts';

/**
 * Regression cases (`specs/_regressions/<RULE-ID>/<name>.yaml`): the loader reads and checks them
 * with the rule files, every problem located; the harness runs them before the rule's own checks;
 * and the rule selection, shards included.
 */

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'regressions', 'ALI-DENY-FIRST', 'deny-beats-allow.yaml');
const REAL = { metaDir: join(PROJECT_ROOT, 'specs', '_meta'), seedsDir: join(PROJECT_ROOT, 'specs', '_seeds') };
let root: string;
let n = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'conformance-regressions-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A specs folder (named `specs`, so that messages show `specs/...`) with the Alibaba and common rules and `files` under `_regressions/`. */
function specsWith(files: Record<string, string>): string {
  const specs = join(root, `case-${++n}`, 'specs');
  mkdirSync(specs, { recursive: true });
  cpSync(join(PROJECT_ROOT, 'specs', 'alibaba-oss'), join(specs, 'alibaba-oss'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'specs', 'common'), join(specs, 'common'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(specs, '_regressions', path)), { recursive: true });
    writeFileSync(join(specs, '_regressions', path), text);
  }
  return specs;
}

function load(specs: string) {
  return loadSpecSet({ specsDir: specs, properties: PROPERTIES, ...REAL });
}

async function problems(specs: string): Promise<string[]> {
  const error: unknown = await load(specs).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConformanceErrors);
  return (error as ConformanceErrors).errors.map((e) => `${e.code} ${e.message}`);
}

const fixtureText = readFileSync(FIXTURE, 'utf8');

describe('loading regression cases', () => {
  it('reads a saved case as an expectation case of its rule, with its origin', async () => {
    const { regressions } = await load(specsWith({ 'ALI-DENY-FIRST/deny-beats-allow.yaml': fixtureText }));
    expect(regressions).toHaveLength(1);
    const r = regressions[0]!;
    expect([r.ruleId, r.vendor, r.name, r.file]).toEqual(['ALI-DENY-FIRST', 'alibaba-oss', 'deny-beats-allow', '_regressions/ALI-DENY-FIRST/deny-beats-allow.yaml']);
    expect(r.origin).toMatchObject({ check: 'a request matched by a Deny is denied whatever Allows match it', seed: 3, saved: '2026-01-02', reason: 'expected deny, observed allow (200)' });
    expect(r.origin.path).toMatch(/^\d+(:\d+)+$/);
    expect(r.requires).toEqual([]);
    expect(r.case.kind).toBe('expect');
    if (r.case.kind !== 'expect') return;
    expect(r.case.world.vendor).toBe('alibaba-oss');
    expect(r.case.requests.map((q) => q.expect)).toEqual([{ decision: 'deny' }]);
  });

  it('has no case without the folder, and ignores files that are not YAML (the README)', async () => {
    const none = await load(specsWith({}));
    expect(none.regressions).toEqual([]);
    const readme = await load(specsWith({ 'README.md': '# Regression cases\n' }));
    expect(readme.regressions).toEqual([]);
  });

  it('writes what it reads: an expectation case with request names, statuses and a world expectation, and a relation case', async () => {
    const world = { vendor: 'alibaba-oss' as const, bucket: { name: 'example-bucket', owner: '1746495857600001' }, policy: { Version: '1', Statement: [] } };
    const expectCase = {
      kind: 'expect' as const,
      world,
      requests: [
        { request: { principal: '1746495857600001', action: 'oss:GetObject', object: 'a.txt' }, expect: { decision: 'allow' as const }, labels: { request: 'the owner downloads' } },
        { request: { principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt' }, expect: { decision: 'deny' as const, status: 403, code: 'AccessDenied', ec: '0003-00000001' } },
      ],
    };
    const relation: RelationCase = {
      kind: 'relation',
      relation: 'same-decision',
      base: world,
      variant: { ...world, policy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: ['2021476040493501'], Resource: 'acs:oss:*:*:example-bucket/*' }] } },
      requests: [{ principal: '2021476040493501', action: 'oss:GetObject', object: 'a.txt' }],
    };
    const origin = { check: 'a check', seed: 1, path: '0:1', saved: '2026-01-02' };
    const specs = specsWith({
      'ALI-IMPLICIT/expect.yaml': renderRegression({ ruleId: 'ALI-IMPLICIT', vendor: 'alibaba-oss', origin, requires: ['observe.status'], case: expectCase }),
      'X-ORDER/relation.yaml': renderRegression({ ruleId: 'X-ORDER', vendor: 'alibaba-oss', origin, case: relation }),
    });
    const text = readFileSync(join(specs, '_regressions', 'ALI-IMPLICIT', 'expect.yaml'), 'utf8');
    expect(text).toContain('  path: "0:1"\n');
    expect(text).toContain('  saved: "2026-01-02"\n');
    expect(text).toContain('    expect: allow\n');
    const { regressions } = await load(specs);
    const byName = new Map(regressions.map((r) => [r.name, r]));
    expect(byName.get('expect')!.requires).toEqual(['observe.status']);
    expect(byName.get('expect')!.origin).toEqual(origin);
    expect(caseKey(byName.get('expect')!.case)).toBe(caseKey(expectCase));
    expect(byName.get('expect')!.case).toMatchObject({ requests: [{ labels: { request: 'the owner downloads' } }, {}] });
    expect(byName.get('relation')!.case).toEqual(relation);
    // The default file name: the check's first words and a hash of the case, the same for the same case.
    expect(regressionFileName('A request matched by a Deny is denied, whatever Allows match it', expectCase)).toMatch(/^a-request-matched-by-a-deny-is-denied-whatever-[0-9a-f]{8}$/);
    expect(regressionFileName('x', byName.get('expect')!.case)).toBe(regressionFileName('x', expectCase));
  });

  it('reports every problem of every file with its location and rule', async () => {
    const badRequest = fixtureText.replace('    expect: deny', '    expected: deny');
    const badWorld = fixtureText.replace('    name: aaa', '    name: A_B');
    const specs = specsWith({
      'stray.yaml': fixtureText,
      'ALI-IMPLICIT/elsewhere.yaml': fixtureText,
      'ALI-DENY-FIRST/unknown-rule.yaml': fixtureText.replace('rule: ALI-DENY-FIRST', 'rule: ALI-DENY-FRIST'),
      'ALI-DENY-FIRST/bad-request.yaml': badRequest,
      'ALI-DENY-FIRST/bad-world.yaml': badWorld,
      'ALI-DENY-FIRST/no-date.yaml': fixtureText.replace(/ {2}saved: .*\n/, ''),
      'ALI-DENY-FIRST/yaml.yaml': 'rule: [ALI-DENY-FIRST\n',
    });
    const expectAt = badRequest.split('\n').findIndex((l) => l === '    expected: deny') + 1;
    const requestAt = badRequest.split('\n').findIndex((l) => l === '  - request:') + 1;
    const nameAt = badWorld.split('\n').findIndex((l) => l === '    name: A_B') + 1;
    const originAt = fixtureText.split('\n').findIndex((l) => l === 'origin:') + 2;
    const dir = 'specs/_regressions';
    expect(await problems(specs)).toEqual([
      `CONFORMANCE_SPEC_MISSING_FIELD ${dir}/ALI-DENY-FIRST/bad-request.yaml:${requestAt}:5: missing field \`requests[0].expect\` (rule ALI-DENY-FIRST)`,
      `CONFORMANCE_SPEC_UNKNOWN_FIELD ${dir}/ALI-DENY-FIRST/bad-request.yaml:${expectAt}:5: unknown field \`expected\`, did you mean \`expect\`? (rule ALI-DENY-FIRST)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${dir}/ALI-DENY-FIRST/bad-world.yaml:${nameAt}:11: invalid value \`A_B\` for \`world.bucket.name\`: expected a bucket name: 3 to 63 lower-case letters, digits and hyphens (rule ALI-DENY-FIRST)`,
      `CONFORMANCE_SPEC_MISSING_FIELD ${dir}/ALI-DENY-FIRST/no-date.yaml:${originAt}:3: missing field \`origin.saved\` (rule ALI-DENY-FIRST)`,
      `CONFORMANCE_SPEC_UNKNOWN_RULE_ID ${dir}/ALI-DENY-FIRST/unknown-rule.yaml:2:7: unknown rule \`ALI-DENY-FRIST\` of \`alibaba-oss\`, did you mean \`ALI-DENY-FIRST\`? (rule ALI-DENY-FRIST)`,
      `CONFORMANCE_SPEC_YAML_SYNTAX ${dir}/ALI-DENY-FIRST/yaml.yaml:2:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]`,
      `CONFORMANCE_SPEC_WRONG_PLACE ${dir}/ALI-IMPLICIT/elsewhere.yaml:2:7: a regression of \`ALI-DENY-FIRST\` in \`_regressions/ALI-IMPLICIT/\`; move it to \`_regressions/ALI-DENY-FIRST/\` (rule ALI-DENY-FIRST)`,
      `CONFORMANCE_SPEC_WRONG_PLACE ${dir}/stray.yaml:2:1: regression files belong in \`_regressions/<RULE-ID>/\`, one folder per rule (rule ALI-DENY-FIRST)`,
    ]);
  });
});

describe('running regression cases', () => {
  let rule: Rule;
  let regression: Regression;
  const options = { seed: 3, numRuns: 10, targetName: './faulty.ts' };

  beforeAll(async () => {
    const spec = await load(specsWith({ 'ALI-DENY-FIRST/deny-beats-allow.yaml': fixtureText }));
    rule = spec.rules.find((r) => r.id === 'ALI-DENY-FIRST')!;
    regression = spec.regressions[0]!;
  });

  it('runs them before the rule\'s own checks, as example checks, and counts them in the verdict', async () => {
    const faulty = await runRuleWithRegressions(rule, [regression], allowBeatsDeny(), options);
    expect(faulty.checks.map((c) => c.name)).toEqual(['regression: deny-beats-allow', ...rule.checks.map((c) => c.name)]);
    const check = faulty.checks[0]!;
    expect(check).toMatchObject({ kind: 'example', verdict: 'fail', cases: 1 });
    expect(check.message).toBe('request 0: expected deny, observed allow (200) (_regressions/ALI-DENY-FIRST/deny-beats-allow.yaml)');
    expect(check.counterexample!.case).toEqual(regression.case);
    expect(check.replay).toBe("npx bucket-conformance run --target ./faulty.ts --rules ALI-DENY-FIRST --check 'regression: deny-beats-allow'");
    expect(faulty.verdict).toBe('fail');
    expect(faulty.message).toBe(`regression: deny-beats-allow: ${check.message}`);
    expect(faulty.cases).toBe(faulty.checks.reduce((s, c) => s + c.cases, 0));

    const reference = await runRuleWithRegressions(rule, [regression], createReferenceAdapter(), options);
    expect(reference.verdict).toBe('pass');
    expect(reference.checks[0]).toMatchObject({ name: 'regression: deny-beats-allow', verdict: 'pass', distribution: { outcome: { deny: 1 } } });
    expect(reference.distribution['outcome']!['deny']).toBeGreaterThan(0);
  });

  it('runs only the regression case that --check names', async () => {
    const only = await runRuleWithRegressions(rule, [regression], allowBeatsDeny(), { ...options, check: 'regression: deny-beats-allow' });
    expect(only.checks.map((c) => [c.name, c.verdict])).toEqual([['regression: deny-beats-allow', 'fail']]);
    const own = await runRuleWithRegressions(rule, [regression], createReferenceAdapter(), { ...options, check: rule.checks[1]!.name });
    expect(own.checks.map((c) => c.name)).toEqual([rule.checks[1]!.name]);
  });

  it('skips them with the rule, and on their own when the target lacks a capability they require', async () => {
    const reference = createReferenceAdapter();
    const blind = { ...reference, capabilities: { ...reference.capabilities, features: new Set([...reference.capabilities.features].filter((f) => f !== 'policy')) } };
    const skipped = await runRuleWithRegressions(rule, [regression], blind, options);
    expect(skipped.verdict).toBe('skip');
    expect(skipped.checks).toEqual([]);
    const needy = { ...regression, requires: ['bucket.vector' as const] };
    const noVector = { ...reference, capabilities: { ...reference.capabilities, features: new Set([...reference.capabilities.features].filter((f) => f !== 'bucket.vector')) } };
    const result = await runRuleWithRegressions(rule, [needy], noVector, options);
    expect(result.checks[0]).toMatchObject({ verdict: 'skip', message: 'target `reference` lacks bucket.vector' });
    expect(result.verdict).toBe('pass');
  });
});

describe('selecting rules, and shards', () => {
  const rules = ['A-1', 'A-2', 'A-3', 'A-4', 'B-1', 'B-2', 'B-3'].map((id) => ({ id, vendor: (id.startsWith('A') ? 'alibaba-oss' : 'aps-oss') as 'alibaba-oss' | 'aps-oss', checks: [{ name: `check ${id}` }] }));
  const all = { rules: [], vendors: [] };

  it('splits the selection by position: shard i of n keeps positions i-1, i-1+n, ...', () => {
    const shards = [1, 2, 3].map((index) => selectRules(rules, { ...all, shard: { index, count: 3 } }).map((r) => r.id));
    expect(shards).toEqual([['A-1', 'A-4', 'B-3'], ['A-2', 'B-1'], ['A-3', 'B-2']]);
    expect(shards.flat().sort()).toEqual(rules.map((r) => r.id));
    // The split is over the selection, not over every rule.
    expect(selectRules(rules, { rules: ['B-*'], vendors: [], shard: { index: 2, count: 2 } }).map((r) => r.id)).toEqual(['B-2']);
    expect(selectRules(rules, { ...all, shard: { index: 1, count: 1 } })).toEqual(rules);
  });

  it('selects by glob, vendor and check name, a regression\'s included', () => {
    expect(selectRules(rules, { rules: ['A-*'], vendors: ['alibaba-oss'], check: 'check A-2' }).map((r) => r.id)).toEqual(['A-2']);
    expect(selectRules(rules, { ...all, check: 'regression: x' }, (r) => (r.id === 'B-2' ? ['regression: x'] : [])).map((r) => r.id)).toEqual(['B-2']);
  });

  it('parses i/n with 1 <= i <= n, and refuses anything else as a usage error', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/3/4', '-1/3']) {
      expect(() => parseShard(bad), bad).toThrow(`--shard: \`${bad}\` is not a shard \`i/n\` with 1 <= i <= n, such as \`1/3\``);
    }
  });
});
