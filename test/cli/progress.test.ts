import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestCase, TestModule } from 'vitest/node';
import type { RuleResult } from '../../model/result.ts';
import { ConformanceReporter } from '../../reports/vitest-reporter.ts';
import { FAIL, PASS, RUN_INFO, SKIP } from '../fixtures/reports/rule-results.ts';
import { MAIN, NODE, runProcess, tempDir, userEnv } from './cli.ts';

/**
 * What a person sees while `run` runs: at a terminal, one live line `[k/N] RULE-ID` rewritten in
 * place and a line for each rule that did not pass; in CI (or a pipe), one plain line per rule.
 */

const tmp = tempDir('progress');
afterAll(() => tmp.remove());

function testCase(name: string, conformance: RuleResult): TestCase {
  return { id: `${name}-id`, name, fullName: `alibaba-oss > ${name}`, options: { mode: 'run' }, meta: () => ({ conformance }), result: () => ({ state: 'passed', errors: [] }) } as unknown as TestCase;
}

function testModule(tests: TestCase[]): TestModule {
  return { relativeModuleId: 'suites/alibaba-oss.conformance.ts', children: { *allTests() { yield* tests; } }, errors: () => [] } as unknown as TestModule;
}

const { startedAt: _s, finishedAt: _f, ...RUN } = RUN_INFO;

describe('the live line', () => {
  it('is rewritten in place as rules start; only the rules that did not pass leave a line; the end erases it', () => {
    const root = mkdtempSync(join(tmpdir(), 'conformance-progress-'));
    try {
      let written = '';
      const stream = { write: (chunk: string) => (written += chunk) } as unknown as NodeJS.WritableStream;
      const reporter = new ConformanceReporter({ outDir: join(root, 'out'), run: RUN, stream, live: true });
      const tests = [testCase('ALI-IMPLICIT', PASS), testCase('ALI-DENY-FIRST', FAIL), testCase('ALI-COND-IP', SKIP)];
      reporter.onTestRunStart([]);
      reporter.onTestModuleCollected(testModule(tests));
      for (const t of tests) {
        reporter.onTestCaseReady(t);
        reporter.onTestCaseResult(t);
      }
      reporter.onTestRunEnd([testModule(tests)], []);
      const E = '\r\x1b[K';
      expect(written.startsWith(`${E}[1/3] ALI-IMPLICIT${E}[2/3] ALI-DENY-FIRST${E}2/3 ✗ ALI-DENY-FIRST (doc) fail: ${FAIL.message}\n[2/3] ALI-DENY-FIRST${E}[3/3] ALI-COND-IP${E}`)).toBe(true);
      // No line for the passing and skipped rules; the final lines after the live line is erased.
      expect(written).not.toContain('✓ ALI-IMPLICIT');
      expect(written).not.toContain('↓ ALI-COND-IP');
      expect(written.endsWith(`of 3 rules (68 cases); reports in ${join(root, 'out')}\n`)).toBe(true);
      expect(written.slice(written.lastIndexOf(E) + E.length)).toMatch(/^\n✗ ALI-DENY-FIRST \(doc\) check "deny beats allow"/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('run at a terminal and in CI', () => {
  // util-linux `script` gives the child a pseudo-terminal, as a person's shell would.
  const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
  const command = (out: string) => `"${NODE}" "${MAIN}" run --rules 'ALI-VERSION*' --seed 1 --num-runs 5 --out "${out}"`;

  it.skipIf(!SCRIPT)('at a terminal: the live line [k/N] RULE-ID, rewritten with \\r, then the final line', async () => {
    const env = userEnv();
    delete env['CI'];
    const run = await runProcess(SCRIPT!, ['-qec', command(join(tmp.dir, 'tty')), '/dev/null'], { env });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('\r\x1b[K[1/2] ALI-VERSION');
    expect(run.stdout).toContain('\r\x1b[K[2/2] ALI-VERSION');
    expect(run.stdout).not.toMatch(/\d\/2 ✓ ALI-VERSION/);
    expect(run.stdout).toMatch(/\r\x1b\[Kconforms: 2 passed, 0 failed/);
  });

  it.skipIf(!SCRIPT)('with CI set, even at a terminal: one plain line per rule', async () => {
    const run = await runProcess(SCRIPT!, ['-qec', command(join(tmp.dir, 'ci')), '/dev/null'], { env: userEnv({ CI: 'true' }) });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toContain('[1/2]');
    expect(run.stdout).toMatch(/1\/2 ✓ ALI-VERSION/);
    expect(run.stdout).toMatch(/2\/2 ✓ ALI-VERSION/);
  });
});
