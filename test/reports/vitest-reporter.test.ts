import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestCase, TestModule } from 'vitest/node';
import type { RuleResult } from '../../model/result.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import { REPORT_FORMAT, type RunReport } from '../../reports/report.ts';
import { ConformanceReporter, type ConformanceReporterOptions } from '../../reports/vitest-reporter.ts';
import { FAIL, FAIL_REPLAY, INCONCLUSIVE, PASS, RUN_INFO, SKIP } from '../fixtures/reports/rule-results.ts';

/**
 * The vitest reporter, driven by hand with fake test cases and modules that have only what it
 * calls: it collects each rule's result from `task.meta`, prints one line per rule, and writes
 * report.json and summary.md at the end.
 */

interface FakeTest {
  name: string;
  conformance?: RuleResult;
  state?: 'passed' | 'failed' | 'skipped';
  mode?: 'run' | 'skip';
  errors?: string[];
}

function testCase(t: FakeTest): TestCase {
  const fake = {
    id: `${t.name}-${Math.random().toString(36).slice(2)}`,
    name: t.name,
    fullName: `alibaba-oss > ${t.name}`,
    options: { mode: t.mode ?? 'run' },
    meta: () => (t.conformance ? { conformance: t.conformance } : {}),
    result: () => ({ state: t.state ?? 'passed', errors: (t.errors ?? []).map((message) => ({ message, name: 'AssertionError' })) }),
  };
  return fake as unknown as TestCase;
}

function testModule(tests: TestCase[], errors: string[] = []): TestModule {
  const fake = {
    relativeModuleId: 'suites/alibaba-oss.conformance.ts',
    children: {
      *allTests() {
        yield* tests;
      },
    },
    errors: () => errors.map((message) => ({ message, name: 'Error' })),
  };
  return fake as unknown as TestModule;
}

const { startedAt: _s, finishedAt: _f, ...RUN } = RUN_INFO;
const dirs: string[] = [];

function setup(): { reporter: ConformanceReporter; outDir: string; lines: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'conformance-reporter-'));
  dirs.push(root);
  const lines: string[] = [];
  const stream = { write: (chunk: string) => lines.push(...chunk.replace(/\n$/, '').split('\n')) } as unknown as NodeJS.WritableStream;
  // A folder that does not exist yet: the reporter creates it.
  const outDir = join(root, 'nested', 'out');
  const options: ConformanceReporterOptions = { outDir, run: RUN, stream };
  return { reporter: new ConformanceReporter(options), outDir, lines };
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function runAll(reporter: ConformanceReporter, tests: TestCase[], moduleErrors: string[] = [], unhandled: string[] = []): void {
  const module = testModule(tests, moduleErrors);
  reporter.onTestRunStart([]);
  reporter.onTestModuleCollected(module);
  for (const t of tests) reporter.onTestCaseResult(t);
  reporter.onTestRunEnd([module], unhandled.map((message) => ({ message, name: 'Error' })));
}

describe('ConformanceReporter', () => {
  it('writes report.json and summary.md with every rule result into the out folder', () => {
    const { reporter, outDir } = setup();
    const tests = [
      testCase({ name: 'ALI-IMPLICIT', conformance: PASS }),
      testCase({ name: 'ALI-DENY-FIRST', conformance: FAIL, state: 'failed', errors: ['ALI-DENY-FIRST (doc) fail'] }),
      testCase({ name: 'ALI-COND-IP', conformance: SKIP, state: 'skipped' }),
      testCase({ name: 'OBS-OVERWRITE', conformance: INCONCLUSIVE, state: 'skipped' }),
    ];
    const before = Date.now();
    runAll(reporter, tests);
    const jsonPath = join(outDir, 'report.json');
    const mdPath = join(outDir, 'summary.md');
    expect(existsSync(jsonPath)).toBe(true);
    expect(existsSync(mdPath)).toBe(true);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as RunReport;
    expect(report.format).toBe(REPORT_FORMAT);
    expect(report.rules.map((r) => r.id)).toEqual(['ALI-COND-IP', 'ALI-DENY-FIRST', 'ALI-IMPLICIT', 'OBS-OVERWRITE']);
    expect(report.rules.find((r) => r.id === FAIL.id)).toEqual(FAIL);
    expect(report.summary.verdicts).toEqual({ pass: 1, fail: 1, skip: 1, inconclusive: 1, 'expected-fail': 0, 'unexpected-pass': 0 });
    expect(report.errors).toEqual([]);
    const { startedAt, finishedAt, ...run } = report.run;
    expect(run).toEqual(RUN);
    expect(Date.parse(startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(finishedAt)).toBeGreaterThanOrEqual(Date.parse(startedAt));
    expect(reporter.report).toEqual(report);
    expect(readFileSync(mdPath, 'utf8')).toBe(renderMarkdown(report));
  });

  it('prints one line per rule with a count of rules done, then each failure with its replay command, then the verdict', () => {
    const { reporter, outDir, lines } = setup();
    runAll(reporter, [
      testCase({ name: 'ALI-IMPLICIT', conformance: PASS }),
      testCase({ name: 'no huawei-obs rule selected', mode: 'skip', state: 'skipped' }),
      testCase({ name: 'ALI-DENY-FIRST', conformance: FAIL, state: 'failed', errors: ['fail'] }),
      testCase({ name: 'ALI-COND-IP', conformance: SKIP, state: 'skipped' }),
      testCase({ name: 'OBS-OVERWRITE', conformance: INCONCLUSIVE, state: 'skipped' }),
    ]);
    expect(lines.slice(0, 4)).toEqual([
      '1/4 ✓ ALI-IMPLICIT (doc) pass: 50 cases',
      `2/4 ✗ ALI-DENY-FIRST (doc) fail: ${FAIL.message}`,
      `3/4 ↓ ALI-COND-IP (ambiguous) skip: ${SKIP.message}`,
      `4/4 ? OBS-OVERWRITE (inferred) inconclusive: ${INCONCLUSIVE.message}`,
    ]);
    expect(lines).toContain(`✗ ALI-DENY-FIRST (doc) check "deny beats allow": request 0: expected deny, observed allow (200)`);
    expect(lines).toContain(`  counterexample: ${JSON.stringify(FAIL.checks[0]!.counterexample!.case)}`);
    expect(lines).toContain(`  replay: ${FAIL_REPLAY}`);
    expect(lines.at(-1)).toBe(`does not conform: 1 passed, 1 failed, 1 skipped, 1 inconclusive of 4 rules (75 cases); reports in ${outDir}`);
    expect(reporter.results).toHaveLength(4);
  });

  it('says the target conforms when no rule failed', () => {
    const { reporter, lines } = setup();
    runAll(reporter, [testCase({ name: 'ALI-IMPLICIT', conformance: PASS }), testCase({ name: 'ALI-COND-IP', conformance: SKIP, state: 'skipped' })]);
    expect(lines.at(-1)).toMatch(/^conforms: 1 passed, 0 failed, 1 skipped, 0 inconclusive of 2 rules \(50 cases\); reports in /);
    expect(lines.some((l) => l.includes('replay:'))).toBe(false);
  });

  it('records a test that failed without a rule result, module errors and unhandled errors, and then does not conform', () => {
    const { reporter, outDir, lines } = setup();
    runAll(
      reporter,
      [testCase({ name: 'ALI-IMPLICIT', conformance: PASS }), testCase({ name: 'ALI-VERSION', state: 'failed', errors: ['adapter `x` failed to start'] })],
      ['cannot import the adapter module'],
      ['socket closed'],
    );
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunReport;
    expect(report.errors).toEqual([
      'alibaba-oss > ALI-VERSION: adapter `x` failed to start',
      'suites/alibaba-oss.conformance.ts: cannot import the adapter module',
      'unhandled error: socket closed',
    ]);
    expect(report.rules.map((r) => r.id)).toEqual(['ALI-IMPLICIT']);
    expect(lines).toContain('✗ ALI-VERSION: error: adapter `x` failed to start');
    expect(lines.at(-1)).toMatch(/^does not conform: 1 passed, 0 failed/);
    expect(readFileSync(join(outDir, 'summary.md'), 'utf8')).toContain('## Errors');
  });

  it('counts a test reported twice (as a cancelled run does) once', () => {
    const { reporter, lines } = setup();
    const tests = [testCase({ name: 'ALI-IMPLICIT', conformance: PASS }), testCase({ name: 'ALI-COND-IP', conformance: SKIP, state: 'skipped' })];
    const module = testModule(tests);
    reporter.onTestRunStart([]);
    reporter.onTestModuleCollected(module);
    for (const t of [...tests, ...tests]) reporter.onTestCaseResult(t);
    reporter.onTestRunEnd([module], [], 'passed');
    expect(reporter.results).toHaveLength(2);
    expect(lines.filter((l) => / ALI-/.test(l) && /^\d\/\d /.test(l))).toEqual(['1/2 ✓ ALI-IMPLICIT (doc) pass: 50 cases', `2/2 ↓ ALI-COND-IP (ambiguous) skip: ${SKIP.message}`]);
  });

  it('labels an interrupted run: how many of the selected rules ran, and no verdict, in every report', () => {
    const { reporter, outDir, lines } = setup();
    const tests = [testCase({ name: 'ALI-IMPLICIT', conformance: PASS }), testCase({ name: 'ALI-COND-IP', conformance: SKIP, state: 'skipped' }), testCase({ name: 'ALI-DENY-FIRST' })];
    const module = testModule(tests);
    reporter.onTestRunStart([]);
    reporter.onTestModuleCollected(module);
    // The third rule never ran: Ctrl-C came first.
    reporter.onTestCaseResult(tests[0]!);
    reporter.onTestCaseResult(tests[1]!);
    reporter.onTestRunEnd([module], [], 'interrupted');
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunReport;
    expect(report.run.interrupted).toEqual({ selected: 3 });
    expect(lines.at(-1)).toBe(`interrupted: 2 of 3 rules ran, no verdict: 1 passed, 0 failed, 1 skipped, 0 inconclusive of 2 rules (50 cases); reports in ${outDir}`);
    expect(readFileSync(join(outDir, 'summary.md'), 'utf8')).toContain('> **Interrupted.** The run was stopped before its end: 2 of its 3 rules finished');
    expect(readFileSync(join(outDir, 'report.html'), 'utf8')).toContain('interrupted: 2 of 3 rules ran, no verdict');
    expect(readFileSync(join(outDir, 'junit.xml'), 'utf8')).toContain('<property name="interrupted-of-selected" value="3"/>');
  });

  it('ignores a skipped test without a rule result', () => {
    const { reporter, lines } = setup();
    runAll(reporter, [testCase({ name: 'no alibaba-oss rule selected', mode: 'skip', state: 'skipped' })]);
    expect(reporter.results).toEqual([]);
    expect(reporter.errors).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^conforms: 0 passed, 0 failed, 0 skipped, 0 inconclusive of 0 rules/);
  });
});
