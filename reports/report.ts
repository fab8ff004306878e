import type { RuleResult } from '../model/result.ts';
import type { RuleStatus } from '../model/rule.ts';

/**
 * The verdicts a report gives a rule: the judge's (pass, fail, skip, inconclusive), and, when an
 * expectations file names the rule as known to fail, `expected-fail` (it failed) or
 * `unexpected-pass` (it passed: the file is out of date, and the run fails so it is kept honest).
 */
export const REPORT_VERDICTS = ['pass', 'fail', 'skip', 'inconclusive', 'expected-fail', 'unexpected-pass'] as const;
/** One reported verdict. */
export type ReportVerdict = (typeof REPORT_VERDICTS)[number];

/** An entry of an expectations file: why the rule is known to fail on this target. */
export interface KnownFailure {
  reason: string;
  link?: string;
}

/** A rule's result as reported: the judge's result, with the verdict after the expectations file. */
export interface RuleReport extends Omit<RuleResult, 'verdict'> {
  verdict: ReportVerdict;
  /** The expectations file's entry for this rule, when it has one. */
  expectation?: KnownFailure;
}

/** The identifier of the report format, bumped when its shape changes incompatibly. */
export const REPORT_FORMAT = 'bucket-conformance/report@1';

/** What was run, against what, and how to run it again. */
export interface RunInfo {
  suite: { name: string; version: string };
  /** sha256 of the spec files, so that runs of different specs are never compared. */
  specDigest: string;
  target: string;
  capabilities: string[];
  vendors: string[];
  seed: number;
  numRuns: number;
  /** At most this many cases of each exhaustive check were run, sampled (`--exhaustive N`); absent: all of them. */
  exhaustive?: number;
  rules: string[];
  /** For one shard of a sharded run: which, of how many (`run --shard i/n`). */
  shard?: { index: number; count: number };
  /** The expectations file the verdicts were read with, if any. */
  expectations?: string;
  /** Whether an inconclusive rule fails the run (`--strict`). */
  strict?: boolean;
  /**
   * A differential run (`--differential`): every expectation was what the reference evaluator did
   * with the request, not what the specs say; a failure is a disagreement with the reference.
   */
  differential?: boolean;
  /**
   * A run stopped before its end (Ctrl-C, SIGTERM): only some of the `selected` rules ran, so the
   * report gives no verdict on the target.
   */
  interrupted?: { selected: number };
  startedAt: string;
  finishedAt: string;
  node: string;
}

/** Counts of verdicts, overall and per rule status. */
export interface Summary {
  total: number;
  verdicts: Record<ReportVerdict, number>;
  byStatus: Record<RuleStatus, Record<ReportVerdict, number>>;
  cases: number;
}

/** The canonical result of a run: `report.json`. */
export interface RunReport {
  format: typeof REPORT_FORMAT;
  run: RunInfo;
  summary: Summary;
  rules: RuleReport[];
  /** Errors outside any rule (a suite file that failed to load): the run cannot pass with any. */
  errors: string[];
}

function zero(): Record<ReportVerdict, number> {
  return { pass: 0, fail: 0, skip: 0, inconclusive: 0, 'expected-fail': 0, 'unexpected-pass': 0 };
}

/** Counts the verdicts of `rules`. */
export function summarize(rules: readonly RuleReport[]): Summary {
  const summary: Summary = { total: rules.length, verdicts: zero(), byStatus: { doc: zero(), inferred: zero(), ambiguous: zero() }, cases: 0 };
  for (const r of rules) {
    summary.verdicts[r.verdict]++;
    summary.byStatus[r.status][r.verdict]++;
    summary.cases += r.cases;
  }
  return summary;
}

/**
 * A rule's reported verdict, given the expectations file's entry for it: a known failure that
 * fails is `expected-fail`, one that passes is `unexpected-pass`; skipped and inconclusive rules
 * keep their verdict (they neither confirm nor refute the entry).
 */
export function applyExpectation(rule: RuleResult | RuleReport, known: KnownFailure | undefined): RuleReport {
  if (!known) return rule as RuleReport;
  const verdict: ReportVerdict = rule.verdict === 'fail' ? 'expected-fail' : rule.verdict === 'pass' ? 'unexpected-pass' : rule.verdict;
  return { ...rule, verdict, expectation: known };
}

/** Builds the report of a run from its rule results (sorted by vendor, then id). */
export function buildReport(run: RunInfo, rules: readonly (RuleResult | RuleReport)[], errors: readonly string[] = []): RunReport {
  const sorted = ([...rules] as RuleReport[]).sort((a, b) => a.vendor.localeCompare(b.vendor) || a.id.localeCompare(b.id));
  return { format: REPORT_FORMAT, run, summary: summarize(sorted), rules: sorted, errors: [...errors] };
}

/**
 * Whether the run conforms: no error, no failing rule and no unexpected pass. Skips, expected
 * failures and (unless the run is strict) inconclusive rules do not fail it.
 */
export function runPassed(report: RunReport, strict = report.run.strict === true): boolean {
  const v = report.summary.verdicts;
  return report.run.interrupted === undefined && report.errors.length === 0 && v.fail === 0 && v['unexpected-pass'] === 0 && (!strict || v.inconclusive === 0);
}

/**
 * The run's verdict in words, as every report heads it: an interrupted run gives none, a
 * differential run says whether the target agreed with the reference, any other whether it conforms.
 */
export function runHeadline(report: RunReport): string {
  const { run } = report;
  if (run.interrupted) return `interrupted: ${report.summary.total} of ${run.interrupted.selected} rules ran, no verdict`;
  const passed = runPassed(report);
  if (run.differential) return passed ? 'agrees with the reference' : 'disagrees with the reference';
  return passed ? 'conforms' : 'does not conform';
}
