import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestCase, TestModule, TestSpecification } from 'vitest/node';
import type { RuleResult } from '../model/result.ts';
import type { SerializedError } from 'vitest';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { buildReport, runPassed, type RunInfo, type RunReport } from './report.ts';

/** What the reporter needs besides the results: the run's description and where to write. */
export interface ConformanceReporterOptions {
  outDir: string;
  run: Omit<RunInfo, 'startedAt' | 'finishedAt'>;
  /** Where progress lines go (stderr by default, so stdout stays clean). */
  stream?: NodeJS.WritableStream;
}

const MARK = { pass: '✓', fail: '✗', skip: '↓', inconclusive: '?' } as const;

/**
 * A vitest reporter that collects each rule's result (carried in `task.meta.conformance`) and
 * writes `report.json` and `summary.md` when the run ends. It prints one line per rule as the
 * rules finish, with a count of rules done; it decides nothing (the judge did).
 */
export class ConformanceReporter implements Reporter {
  readonly results: RuleResult[] = [];
  readonly errors: string[] = [];
  report: RunReport | undefined;
  #options: ConformanceReporterOptions;
  #startedAt = new Date();
  #total = 0;
  #done = 0;

  constructor(options: ConformanceReporterOptions) {
    this.#options = options;
  }

  #write(line: string): void {
    (this.#options.stream ?? process.stderr).write(`${line}\n`);
  }

  onTestRunStart(_specifications: ReadonlyArray<TestSpecification>): void {
    this.#startedAt = new Date();
  }

  onTestModuleCollected(module: TestModule): void {
    for (const t of module.children.allTests()) if (t.meta().conformance !== undefined || t.options.mode !== 'skip') this.#total++;
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
    this.results.push(result);
    this.#done++;
    const counts = `${String(this.#done).padStart(String(this.#total).length)}/${this.#total}`;
    // One line per rule: a multi-line message (a shrunk sequence) is printed in full at the end.
    const detail = result.verdict === 'pass' ? `${result.cases} cases` : (result.message ?? '').split('\n')[0]!;
    this.#write(`${counts} ${MARK[result.verdict]} ${result.id} (${result.status}) ${result.verdict}${detail ? `: ${detail}` : ''}`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    for (const m of modules) for (const e of m.errors()) this.errors.push(`${m.relativeModuleId}: ${e.message}`);
    for (const e of unhandledErrors) this.errors.push(`unhandled error: ${e.message}`);
    const run: RunInfo = { ...this.#options.run, startedAt: this.#startedAt.toISOString(), finishedAt: new Date().toISOString() };
    this.report = buildReport(run, this.results, this.errors);
    mkdirSync(this.#options.outDir, { recursive: true });
    writeFileSync(join(this.#options.outDir, 'report.json'), renderJson(this.report));
    writeFileSync(join(this.#options.outDir, 'summary.md'), renderMarkdown(this.report));
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
    const v = this.report.summary.verdicts;
    this.#write(`${runPassed(this.report) ? 'conforms' : 'does not conform'}: ${v.pass} passed, ${v.fail} failed, ${v.skip} skipped, ${v.inconclusive} inconclusive of ${this.report.summary.total} rules (${this.report.summary.cases} cases); reports in ${this.#options.outDir}`);
  }
}
