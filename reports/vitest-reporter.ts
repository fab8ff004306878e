import type { Reporter, TestCase, TestModule, TestRunEndReason, TestSpecification } from 'vitest/node';
import type { RuleResult } from '../model/result.ts';
import type { SerializedError } from 'vitest';
import { writeReports } from './index.ts';
import { applyExpectation, buildReport, runHeadline, type KnownFailure, type ReportVerdict, type RuleReport, type RunInfo, type RunReport } from './report.ts';

/** What the reporter needs besides the results: the run's description and where to write. */
export interface ConformanceReporterOptions {
  outDir: string;
  run: Omit<RunInfo, 'startedAt' | 'finishedAt'>;
  /** Where progress lines go (stderr by default, so stdout stays clean). */
  stream?: NodeJS.WritableStream;
  /** The expectations file's entry for a rule, if any (`run --expectations`). */
  expectation?: (rule: RuleResult) => KnownFailure | undefined;
  /**
   * Progress for a person at a terminal: one live line `[k/N] RULE-ID` rewritten in place, and a
   * line only for the rules that did not pass. Without it (CI, a pipe), one plain line per rule.
   */
  live?: boolean;
}

const MARK: Record<ReportVerdict, string> = { pass: '✓', fail: '✗', skip: '↓', inconclusive: '?', 'expected-fail': '✗', 'unexpected-pass': '!' };

/** Erases the current terminal line (carriage return, then erase to its end). */
const ERASE = '\r\x1b[K';

/**
 * A vitest reporter that collects each rule's result (carried in `task.meta.conformance`) and
 * writes the reports when the run ends. It prints one line per rule as the rules finish, with a
 * count of rules done (or, `live`, one line rewritten in place); it decides nothing (the judge
 * did), and only applies the expectations file's entries (`expected-fail`, `unexpected-pass`).
 */
export class ConformanceReporter implements Reporter {
  readonly results: RuleResult[] = [];
  readonly errors: string[] = [];
  report: RunReport | undefined;
  #options: ConformanceReporterOptions;
  #startedAt = new Date();
  #total = 0;
  #done = 0;
  #started = 0;
  #reportedTests = new Set<string>();
  /** The live line on the terminal, rewritten in place; empty when none is shown. */
  #liveLine = '';

  constructor(options: ConformanceReporterOptions) {
    this.#options = options;
  }

  #write(line: string): void {
    const stream = this.#options.stream ?? process.stderr;
    // A lasting line goes above the live line, which is then drawn again.
    stream.write(this.#liveLine ? `${ERASE}${line}\n${this.#liveLine}` : `${line}\n`);
  }

  #showLive(line: string): void {
    this.#liveLine = line;
    (this.#options.stream ?? process.stderr).write(`${ERASE}${line}`);
  }

  #clearLive(): void {
    if (!this.#liveLine) return;
    this.#liveLine = '';
    (this.#options.stream ?? process.stderr).write(ERASE);
  }

  #reported(result: RuleResult): RuleReport {
    return applyExpectation(result, this.#options.expectation?.(result));
  }

  onTestRunStart(_specifications: ReadonlyArray<TestSpecification>): void {
    this.#startedAt = new Date();
  }

  onTestModuleCollected(module: TestModule): void {
    for (const t of module.children.allTests()) if (t.meta().conformance !== undefined || t.options.mode !== 'skip') this.#total++;
  }

  onTestCaseReady(test: TestCase): void {
    if (!this.#options.live || test.options.mode === 'skip') return;
    this.#started = Math.min(this.#started + 1, this.#total);
    this.#showLive(`[${this.#started}/${this.#total}] ${test.name}`);
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.meta().conformance;
    const outcome = test.result();
    if (!result) {
      if (outcome.state === 'failed') {
        this.errors.push(`${test.fullName}: ${outcome.errors.map((e) => e.message).join('; ')}`);
        this.#write(`✗ ${test.name}: error: ${outcome.errors[0]?.message ?? 'failed'}`);
      }
      return;
    }
    // A cancelled run reports its finished tests a second time: each counts once.
    if (this.#reportedTests.has(test.id)) return;
    this.#reportedTests.add(test.id);
    this.results.push(result);
    this.#done++;
    const counts = `${String(this.#done).padStart(String(this.#total).length)}/${this.#total}`;
    const reported = this.#reported(result);
    // At a terminal, passing rules only move the live line; the others stay on screen.
    if (this.#options.live && (reported.verdict === 'pass' || reported.verdict === 'skip')) return;
    // One line per rule: a multi-line message (a shrunk sequence) is printed in full at the end.
    const detail = reported.verdict === 'pass' ? `${result.cases} cases`
      : reported.verdict === 'expected-fail' ? `known: ${reported.expectation!.reason}`
      : reported.verdict === 'unexpected-pass' ? `passed, but the expectations file says: ${reported.expectation!.reason}`
      : (result.message ?? '').split('\n')[0]!;
    this.#write(`${counts} ${MARK[reported.verdict]} ${result.id} (${result.status}) ${reported.verdict}${detail ? `: ${detail}` : ''}`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason?: TestRunEndReason): void {
    for (const m of modules) for (const e of m.errors()) this.errors.push(`${m.relativeModuleId}: ${e.message}`);
    for (const e of unhandledErrors) this.errors.push(`unhandled error: ${e.message}`);
    const run: RunInfo = { ...this.#options.run, ...(reason === 'interrupted' ? { interrupted: { selected: this.#total } } : {}), startedAt: this.#startedAt.toISOString(), finishedAt: new Date().toISOString() };
    this.#clearLive();
    this.report = buildReport(run, this.results.map((r) => this.#reported(r)), this.errors);
    writeReports(this.#options.outDir, this.report);
    for (const r of this.report.rules.filter((x) => x.verdict === 'fail')) {
      for (const c of r.checks.filter((x) => x.verdict === 'fail')) {
        const [first, ...rest] = (c.message ?? '').split('\n');
        this.#write(`\n✗ ${r.id} (${r.status}) check "${c.name}": ${first}`);
        if (c.counterexample?.sequence) this.#write(['  shrunk sequence (the last step failed):', ...c.counterexample.sequence.map((l) => `    ${l}`)].join('\n'));
        else for (const line of rest) this.#write(`  ${line}`);
        if (c.counterexample) this.#write(`  counterexample: ${JSON.stringify(c.counterexample.case)}`);
        if (c.replay) this.#write(`  replay: ${c.replay}`);
      }
    }
    for (const r of this.report.rules.filter((x) => x.verdict === 'unexpected-pass')) {
      this.#write(`\n! ${r.id} (${r.status}) passed unexpectedly: the expectations file says "${r.expectation!.reason}"${r.expectation!.link ? ` (${r.expectation!.link})` : ''}; remove its entry`);
    }
    const v = this.report.summary.verdicts;
    const known = [v['expected-fail'] ? `${v['expected-fail']} failed as expected` : '', v['unexpected-pass'] ? `${v['unexpected-pass']} passed unexpectedly` : ''].filter(Boolean).map((t) => `, ${t}`).join('');
    const strict = this.report.run.strict && v.inconclusive > 0 ? ' (--strict: inconclusive rules fail the run)' : '';
    this.#write(`${runHeadline(this.report)}: ${v.pass} passed, ${v.fail} failed, ${v.skip} skipped, ${v.inconclusive} inconclusive${strict}${known} of ${this.report.summary.total} rules (${this.report.summary.cases} cases); reports in ${this.#options.outDir}`);
  }
}
