import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../model/result.ts';
import type { RuleReport, RunReport } from '../../reports/report.ts';
import { shellQuote } from '../../suites/runner.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { cli, tempDir } from './cli.ts';

/**
 * `bucket-conformance replay`, as a child process: every failure of a faulty target's report
 * replays to the same failure (exit 1) and passes against the reference target (exit 0);
 * `--save` writes a regression case that `validate` accepts and every later `run` checks first;
 * a shrunk stateful sequence replays and saves the same way.
 */

const FAULTY = join(PROJECT_ROOT, 'test', 'fixtures', 'adapters', 'allow-beats-deny.ts');
const OWNER_BLIND = join(PROJECT_ROOT, 'test', 'fixtures', 'adapters', 'owner-blind.ts');
const PROPERTY_CHECK = 'a request matched by a Deny is denied whatever Allows match it';
const tmp = tempDir('replay');
afterAll(() => tmp.remove());

function readReport(dir: string): RunReport {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
}

/** A specs folder of its own (the rules copied, `_meta` and `_seeds` linked), so that --save does not write into the project. */
function ownSpecs(name: string): string {
  const specs = join(tmp.dir, name, 'specs');
  mkdirSync(specs, { recursive: true });
  for (const folder of ['alibaba-oss', 'aps-oss', 'huawei-obs', 'common']) cpSync(join(PROJECT_ROOT, 'specs', folder), join(specs, folder), { recursive: true });
  for (const folder of ['_meta', '_seeds']) symlinkSync(join(PROJECT_ROOT, 'specs', folder), join(specs, folder));
  return specs;
}

describe('replay of a faulty target\'s report', () => {
  let reportFile: string;
  let rule: RuleReport;
  let failing: CheckResult[];

  beforeAll(async () => {
    const out = join(tmp.dir, 'faulty');
    const run = await cli(['run', '--target', FAULTY, '--rules', 'ALI-DENY-FIRST', '--seed', '3', '--num-runs', '50', '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    reportFile = join(out, 'report.json');
    rule = readReport(out).rules[0]!;
    failing = rule.checks.filter((c) => c.verdict === 'fail');
  }, 120_000);

  it('asks which check when the report has several failures (exit 2)', async () => {
    expect(failing.length).toBeGreaterThan(1);
    const run = await cli(['replay', reportFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${reportFile}: ${failing.length} failing checks; pick one with --rules ID --check NAME (and --vendor V for an X-* rule):\n`);
    for (const c of failing) expect(run.stderr).toContain(`\n  --rules ALI-DENY-FIRST --check ${shellQuote(c.name)}\n`);
    const none = await cli(['replay', reportFile, '--check', 'no such check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no failing check with a counterexample matches --check \'no such check\'');
  });

  it('replays every failure of the report to the same failure (exit 1)', async () => {
    for (const check of failing) {
      const run = await cli(['replay', reportFile, '--rules', 'ALI-DENY-FIRST', '--check', check.name]);
      expect(run.code, `${check.name}: ${run.stderr}`).toBe(1);
      const ce = check.counterexample!;
      expect(run.stderr).toContain(`replaying ALI-DENY-FIRST (alibaba-oss) check ${shellQuote(check.name)} of ${reportFile} against ${FAULTY}`);
      expect(run.stderr).toContain(`\nfails at request ${ce.requestIndex}: ${ce.reason}\nthe same failure as recorded\n`);
    }
  });

  it('passes against a conforming target (exit 0)', async () => {
    const run = await cli(['replay', reportFile, '--check', PROPERTY_CHECK, '--target', 'reference']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`passes now (recorded: ${failing.find((c) => c.name === PROPERTY_CHECK)!.counterexample!.reason})`);
  });

  describe('--save', () => {
    let specs: string;
    let file: string;

    beforeAll(async () => {
      specs = ownSpecs('save');
      const run = await cli(['replay', reportFile, '--check', PROPERTY_CHECK, '--save', '--specs', specs]);
      expect(run.code, run.stderr).toBe(1);
      const dir = join(specs, '_regressions', 'ALI-DENY-FIRST');
      const names = readdirSync(dir);
      expect(names).toHaveLength(1);
      file = join(dir, names[0]!);
      expect(names[0]).toMatch(/^a-request-matched-by-a-deny-is-denied-whatever-[0-9a-f]{8}\.yaml$/);
      expect(run.stderr).toContain(`saved ${file}: every run of ALI-DENY-FIRST checks it first, as check 'regression: ${names[0]!.replace(/\.yaml$/, '')}'`);
    }, 120_000);

    it('writes the case with its rule, origin and date, the world and each request\'s expected outcome', () => {
      const check = failing.find((c) => c.name === PROPERTY_CHECK)!;
      const saved = parse(readFileSync(file, 'utf8')) as Record<string, any>;
      expect(saved['rule']).toBe('ALI-DENY-FIRST');
      expect(saved['vendor']).toBe('alibaba-oss');
      expect(saved['origin']).toEqual({ check: PROPERTY_CHECK, target: FAULTY, seed: 3, path: check.path, report: reportFile, reason: check.counterexample!.reason, saved: new Date().toISOString().slice(0, 10) });
      const ce = check.counterexample!.case;
      if (ce.kind !== 'expect') throw new Error('an expectation case was expected');
      const { vendor: _v, ...world } = ce.world;
      expect(saved['world']).toEqual(world);
      expect(saved['requests'].map((r: { request: unknown }) => r.request)).toEqual(ce.requests.map((r) => r.request));
      expect(saved['requests'].at(-1).expect).toBe('deny');
    });

    it('is accepted by validate, and saving the same case again keeps one file', async () => {
      const valid = await cli(['validate', '--specs', specs]);
      expect(valid.code, valid.stderr).toBe(0);
      expect(valid.stdout).toMatch(/, 1 regression case\(s\), no problem\n$/);
      const again = await cli(['replay', reportFile, '--check', PROPERTY_CHECK, '--save', '--specs', specs]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`already saved as ${file}`);
      expect(readdirSync(join(specs, '_regressions', 'ALI-DENY-FIRST'))).toHaveLength(1);
    });

    it('every later run checks it first: it fails on the faulty target, passes on the reference', async () => {
      const name = `regression: ${file.replace(/^.*\//, '').replace(/\.yaml$/, '')}`;
      const out = join(tmp.dir, 'with-regression');
      const run = await cli(['run', '--specs', specs, '--target', FAULTY, '--rules', 'ALI-DENY-FIRST', '--seed', '4', '--num-runs', '10', '--out', out]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('1 rules, 1 regression case(s)');
      const checks = readReport(out).rules[0]!.checks;
      expect(checks[0]).toMatchObject({ name, kind: 'example', verdict: 'fail', cases: 1 });
      expect(checks.slice(1).map((c) => c.name)).toEqual(rule.checks.map((c) => c.name));
      expect(checks[0]!.replay).toBe(`npx bucket-conformance run --target ${FAULTY} --rules ALI-DENY-FIRST --check '${name}'`);

      const reference = join(tmp.dir, 'reference-with-regression');
      const passing = await cli(['run', '--specs', specs, '--rules', 'ALI-DENY-FIRST', '--seed', '4', '--num-runs', '10', '--out', reference]);
      expect(passing.code, passing.stderr).toBe(0);
      expect(readReport(reference).rules[0]!.checks[0]).toMatchObject({ name, verdict: 'pass' });

      // Its replay command runs it alone.
      const alone = join(tmp.dir, 'regression-alone');
      const only = await cli(['run', '--specs', specs, '--target', FAULTY, '--rules', 'ALI-DENY-FIRST', '--check', name, '--out', alone]);
      expect(only.code, only.stderr).toBe(1);
      expect(readReport(alone).rules[0]!.checks.map((c) => c.name)).toEqual([name]);
    });

    it('refuses to save a regression case again as a regression', async () => {
      const out = join(tmp.dir, 'with-regression');
      const name = `regression: ${file.replace(/^.*\//, '').replace(/\.yaml$/, '')}`;
      const run = await cli(['replay', join(out, 'report.json'), '--check', name, '--save', '--specs', specs]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('is already a regression case');
    });
  });
});

describe('replay of a shrunk stateful sequence', () => {
  const CHECK = 'long sequences are decided by the creation-time grants';

  it('replays the sequence to the same failure, and saves it as a regression case the next run checks', async () => {
    const out = join(tmp.dir, 'aps');
    const run = await cli(['run', '--target', OWNER_BLIND, '--rules', 'APS-NO-REVOKE', '--seed', '11', '--num-runs', '100', '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    const check = readReport(out).rules[0]!.checks.find((c) => c.name === CHECK)!;
    const sequence = check.counterexample!.sequence!;

    const specs = ownSpecs('aps');
    const replay = await cli(['replay', join(out, 'report.json'), '--rules', 'APS-NO-REVOKE', '--check', CHECK, '--save', '--name', 'owner-reads-key-upload', '--specs', specs]);
    expect(replay.code, replay.stderr).toBe(1);
    expect(replay.stderr).toContain(sequence.map((l) => `    ${l}`).join('\n'));
    expect(replay.stderr).toContain(`fails at request ${sequence.length - 1}: ${check.counterexample!.reason}\nthe same failure as recorded\n`);
    const file = join(specs, '_regressions', 'APS-NO-REVOKE', 'owner-reads-key-upload.yaml');
    expect(existsSync(file)).toBe(true);
    const saved = parse(readFileSync(file, 'utf8')) as { origin: { replayPath?: string }; requests: unknown[] };
    expect(saved.requests).toHaveLength(sequence.length);
    expect(saved.origin.replayPath).toBeTruthy();

    const again = join(tmp.dir, 'aps-again');
    const rerun = await cli(['run', '--specs', specs, '--target', OWNER_BLIND, '--rules', 'APS-NO-REVOKE', '--check', 'regression: owner-reads-key-upload', '--out', again]);
    expect(rerun.code, rerun.stderr).toBe(1);
    const regression = readReport(again).rules[0]!.checks[0]!;
    expect(regression).toMatchObject({ name: 'regression: owner-reads-key-upload', verdict: 'fail' });
    expect(regression.counterexample!.requestIndex).toBe(sequence.length - 1);
  });
});

describe('replay refuses', () => {
  it('a report without failures, and a file that is not a report (exit 2)', async () => {
    const out = join(tmp.dir, 'clean');
    const run = await cli(['run', '--rules', 'ALI-VERSION.rejection', '--seed', '1', '--num-runs', '5', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const clean = await cli(['replay', join(out, 'report.json')]);
    expect(clean.code).toBe(2);
    expect(clean.stderr).toContain(`error[CONFORMANCE_INPUT]: ${join(out, 'report.json')}: no failing check with a counterexample to replay`);
    const summary = await cli(['replay', join(out, 'summary.md')]);
    expect(summary.code).toBe(2);
    expect(summary.stderr).toContain('not JSON');
    const two = await cli(['replay']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('replay takes one report.json');
  });
});
