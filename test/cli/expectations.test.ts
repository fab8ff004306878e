import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative as relativePath } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectationFor, loadExpectations } from '../../cli/expectations.ts';
import type { RunReport } from '../../reports/report.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { loadSpecs } from '../../suites/spec/load.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { cli, positionOf, tempDir } from './cli.ts';

/**
 * `run --expectations FILE` and `expectations --from report.json`, as child processes: a known
 * failure reports expected-fail and the run conforms; an entry for a rule that passes reports
 * unexpected-pass and the run fails; a file with problems is refused with their locations; a file
 * written from a run turns that run's failures into expected failures. And `--strict`.
 */

const FAULTY = join(PROJECT_ROOT, 'test', 'fixtures', 'adapters', 'allow-beats-deny.ts');
const UNREACHABLE = join(PROJECT_ROOT, 'test', 'fixtures', 'adapters', 'unreachable.ts');
const tmp = tempDir('expectations');
afterAll(() => tmp.remove());

function readReport(dir: string): RunReport {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
}

function write(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

describe('run --expectations', () => {
  it('turns a known failure into expected-fail: the run conforms (exit 0)', async () => {
    const file = write('known.yaml', `target: ${FAULTY}\nrules:\n  ALI-DENY-FIRST: {reason: "Allow wins over Deny in our gateway", link: "https://example.com/issue/12"}\n`);
    const out = join(tmp.dir, 'known');
    const run = await cli(['run', '--target', FAULTY, '--rules', 'ALI-DENY-FIRST', '--seed', '3', '--num-runs', '20', '--expectations', file, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('1/1 ✗ ALI-DENY-FIRST (doc) expected-fail: known: Allow wins over Deny in our gateway');
    expect(run.stderr).toMatch(/\nconforms: 0 passed, 0 failed, 0 skipped, 0 inconclusive, 1 failed as expected of 1 rules/);
    const report = readReport(out);
    expect(report.run.expectations).toBe(file);
    const rule = report.rules[0]!;
    expect(rule.verdict).toBe('expected-fail');
    expect(rule.expectation).toEqual({ reason: 'Allow wins over Deny in our gateway', link: 'https://example.com/issue/12' });
    // The failure itself is kept: the checks still fail, with their counterexamples.
    expect(rule.checks.some((c) => c.verdict === 'fail' && c.counterexample)).toBe(true);
    expect(report.summary.verdicts['expected-fail']).toBe(1);
  });

  it('turns an entry for a passing rule into unexpected-pass: the run fails (exit 1)', async () => {
    const file = write('stale.yaml', 'rules:\n  ALI-DENY-FIRST: {reason: "known"}\n  ALI-VERSION*: "versions are broken"\n');
    const out = join(tmp.dir, 'stale');
    const run = await cli(['run', '--target', FAULTY, '--rules', 'ALI-DENY-FIRST,ALI-VERSION', '--seed', '3', '--num-runs', '20', '--expectations', file, '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    const verdicts = Object.fromEntries(readReport(out).rules.map((r) => [r.id, r.verdict]));
    // `--rules ALI-VERSION` selects the rule and its child, and the glob covers both.
    expect(verdicts).toEqual({ 'ALI-DENY-FIRST': 'expected-fail', 'ALI-VERSION': 'unexpected-pass', 'ALI-VERSION.rejection': 'unexpected-pass' });
    expect(run.stderr).toContain('! ALI-VERSION (doc) passed unexpectedly: the expectations file says "versions are broken"; remove its entry');
    expect(run.stderr).toMatch(/\ndoes not conform: 0 passed, 0 failed, 0 skipped, 0 inconclusive, 1 failed as expected, 2 passed unexpectedly of 3 rules/);
  });

  it('refuses a file with problems, each with FILE:line:col, before anything runs (exit 2)', async () => {
    const text = [
      'target: reference',
      'rules:',
      '  ALI-DENY-FRST: {reason: "typo"}',
      '  ALI-IMPLICIT: {reason: "x", lnk: "https://example.com"}',
      '  APS-NOPE*: "a glob that matches nothing"',
      '  ALI-VERSION: {link: "not a url"}',
      '  "ALI DENY": x',
      '',
    ].join('\n');
    const file = write('bad.yaml', text);
    const out = join(tmp.dir, 'bad');
    const run = await cli(['run', '--rules', 'ALI-VERSION', '--expectations', file, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error['))).toEqual([
      `error[CONFORMANCE_SPEC_UNKNOWN_RULE_ID]: ${file}:${positionOf(text, 'ALI-DENY-FRST')}: unknown rule \`ALI-DENY-FRST\`, did you mean \`ALI-DENY-FIRST\`?`,
      `error[CONFORMANCE_SPEC_UNKNOWN_FIELD]: ${file}:${positionOf(text, 'lnk')}: unknown field \`lnk\`, did you mean \`link\`?`,
      `error[CONFORMANCE_SPEC_INVALID_VALUE]: ${file}:${positionOf(text, 'APS-NOPE*')}: \`APS-NOPE*\` matches no rule`,
      `error[CONFORMANCE_SPEC_MISSING_FIELD]: ${file}:${positionOf(text, '{link')}: missing field \`rules.ALI-VERSION.reason\`: expected a reason, or a map {reason, link}`,
      `error[CONFORMANCE_SPEC_INVALID_VALUE]: ${file}:${positionOf(text, '"not a url"')}: invalid value \`"not a url"\` for \`rules.ALI-VERSION.link\`: expected a URL such as \`https://example.com/issue/12\``,
      `error[CONFORMANCE_SPEC_INVALID_VALUE]: ${file}:${positionOf(text, '"ALI DENY"')}: \`ALI DENY\` is not a rule id or a glob such as \`ALI-*\``,
    ]);
    expect(run.stderr).toContain('6 problem(s) found; nothing was run');

    const yaml = write('yaml.yaml', 'rules:\n  ALI-VERSION: {reason: "x"\n');
    const broken = await cli(['run', '--rules', 'ALI-VERSION', '--expectations', yaml, '--out', out]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^error\\[CONFORMANCE_SPEC_YAML_SYNTAX\\]: ${yaml.replace(/[.]/g, '\\.')}:\\d+:\\d+: invalid YAML: `));
  });

  it('refuses a file written for another target, pointing at its target (exit 2)', async () => {
    const text = `# for the gateway\ntarget: ${FAULTY}\nrules:\n  ALI-DENY-FIRST: {reason: "x"}\n`;
    const file = write('other-target.yaml', text);
    const run = await cli(['run', '--rules', 'ALI-DENY-FIRST', '--expectations', file, '--out', join(tmp.dir, 'other')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error[CONFORMANCE_USAGE]: ${file}:${positionOf(text, FAULTY)}: the expectations are for target \`${FAULTY}\`, not \`reference\` (--target)`);
    // A module path names the same target however it is written.
    const relative = write('relative.yaml', `target: ${relativePath(tmp.dir, FAULTY)}\nrules: {}\n`);
    const same = await cli(['run', '--target', 'test/fixtures/adapters/allow-beats-deny.ts', '--rules', 'ALI-VERSION', '--num-runs', '5', '--expectations', relative, '--out', join(tmp.dir, 'same')]);
    expect(same.code, same.stderr).toBe(0);
  });
});

describe('expectations --from', () => {
  let report: RunReport;
  let file: string;

  beforeAll(async () => {
    const out = join(tmp.dir, 'from');
    const run = await cli(['run', '--target', FAULTY, '--rules', 'ALI-DENY-FIRST,ALI-UNION,ALI-IMPLICIT', '--seed', '3', '--num-runs', '20', '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    report = readReport(out);
    file = join(tmp.dir, 'from.yaml');
    const written = await cli(['expectations', '--from', join(out, 'report.json'), '--out', file]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toBe(`wrote ${file}: 2 rule(s) known to fail on ${FAULTY}\n`);
  }, 120_000);

  it('lists the failed rules with the target and the first line of each failure as the reason', () => {
    const failed = report.rules.filter((r) => r.verdict === 'fail');
    expect(failed.map((r) => r.id)).toEqual(['ALI-DENY-FIRST', 'ALI-UNION']);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# Expectations of target /);
    const data = parse(text) as { target: string; rules: Record<string, { reason: string }> };
    expect(data.target).toBe(FAULTY);
    expect(Object.keys(data.rules)).toEqual(['ALI-DENY-FIRST', 'ALI-UNION']);
    for (const r of failed) expect(data.rules[r.id]).toEqual({ reason: r.message!.split('\n')[0] });
  });

  it('round trip: the same run with the file conforms, each failure now expected', async () => {
    const out = join(tmp.dir, 'round-trip');
    const run = await cli(['run', '--target', FAULTY, '--rules', 'ALI-DENY-FIRST,ALI-UNION,ALI-IMPLICIT', '--seed', '3', '--num-runs', '20', '--expectations', file, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const again = readReport(out);
    expect(again.rules.map((r) => [r.id, r.verdict])).toEqual([['ALI-DENY-FIRST', 'expected-fail'], ['ALI-IMPLICIT', 'pass'], ['ALI-UNION', 'expected-fail']]);
    // Written again from the run with the file, the entries are kept as they were.
    const rewritten = await cli(['expectations', '--from', join(out, 'report.json')]);
    expect(rewritten.code).toBe(0);
    expect((parse(rewritten.stdout) as { rules: unknown }).rules).toEqual((parse(readFileSync(file, 'utf8')) as { rules: unknown }).rules);
  });

  it('refuses what is not a report (exit 2)', async () => {
    const missing = await cli(['expectations']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('expectations needs --from report.json');
    const notReport = write('not-a-report.json', '{"format": "something-else"}');
    const refused = await cli(['expectations', '--from', notReport]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error[CONFORMANCE_INPUT]: ${notReport}: a \`something-else\` file; expected the report.json of a run (format \`bucket-conformance/report@1\`)`);
  });
});

describe('run --strict', () => {
  it('an inconclusive rule does not fail the run, unless --strict', async () => {
    const args = ['run', '--target', UNREACHABLE, '--rules', 'ALI-VERSION', '--num-runs', '5'];
    const lenient = await cli([...args, '--out', join(tmp.dir, 'lenient')]);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(readReport(join(tmp.dir, 'lenient')).rules.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive']);
    const strict = await cli([...args, '--strict', '--out', join(tmp.dir, 'strict')]);
    expect(strict.code, strict.stderr).toBe(1);
    expect(strict.stderr).toMatch(/\ndoes not conform: 0 passed, 0 failed, 0 skipped, 2 inconclusive \(--strict: inconclusive rules fail the run\) of 2 rules/);
    expect(readReport(join(tmp.dir, 'strict')).run.strict).toBe(true);
  });
});

describe('the example expectations file', () => {
  it('examples/expectations.yaml is valid against the specs, and its entries apply as documented', async () => {
    const ids = (await loadSpecs({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES })).map((r) => r.id);
    const file = loadExpectations(join(PROJECT_ROOT, 'examples', 'expectations.yaml'), ids);
    expect(file.target).toBe('./adapters/my-gateway.ts');
    expect(expectationFor(file, 'ALI-DENY-FIRST')).toEqual({ reason: 'Allow wins over Deny in our gateway', link: 'https://example.com/issue/12' });
    expect(expectationFor(file, 'ALI-LIMIT-SIZE.error-code')).toEqual({ reason: 'the gateway accepts policies up to 64 KB' });
    expect(expectationFor(file, 'OBS-ACL-REGISTERED')).toEqual({ reason: 'IAM users count as registered users' });
    // An id names that rule only, not its children.
    expect(expectationFor(file, 'ALI-DENY-FIRST.status')).toBeUndefined();
    expect(expectationFor(file, 'ALI-IMPLICIT')).toBeUndefined();
  });

  it('an entry of the rule\'s own id wins over globs; among globs, the first in the file', () => {
    const path = write('precedence.yaml', 'rules:\n  ALI-*: first glob\n  ALI-DENY-FIRST: own id\n  ALI-D*: second glob\n');
    const file = loadExpectations(path, ['ALI-DENY-FIRST', 'ALI-DENY-FIRST.status', 'ALI-IMPLICIT']);
    expect(expectationFor(file, 'ALI-DENY-FIRST')).toEqual({ reason: 'own id' });
    expect(expectationFor(file, 'ALI-DENY-FIRST.status')).toEqual({ reason: 'first glob' });
    expect(expectationFor(file, 'ALI-IMPLICIT')).toEqual({ reason: 'first glob' });
  });
});
