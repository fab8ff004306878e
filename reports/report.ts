import type { RuleResult } from '../model/result.ts';
import type { RuleStatus } from '../model/rule.ts';
import type { Verdict } from '../model/outcome.ts';

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
  rules: string[];
  startedAt: string;
  finishedAt: string;
  node: string;
}

/** Counts of verdicts, overall and per rule status. */
export interface Summary {
  total: number;
  verdicts: Record<Verdict, number>;
  byStatus: Record<RuleStatus, Record<Verdict, number>>;
  cases: number;
}

/** The canonical result of a run: `report.json`. */
export interface RunReport {
  format: typeof REPORT_FORMAT;
  run: RunInfo;
  summary: Summary;
  rules: RuleResult[];
  /** Errors outside any rule (a suite file that failed to load): the run cannot pass with any. */
  errors: string[];
}

function zero(): Record<Verdict, number> {
  return { pass: 0, fail: 0, skip: 0, inconclusive: 0 };
}

/** Counts the verdicts of `rules`. */
export function summarize(rules: readonly RuleResult[]): Summary {
  const summary: Summary = { total: rules.length, verdicts: zero(), byStatus: { doc: zero(), inferred: zero(), ambiguous: zero() }, cases: 0 };
  for (const r of rules) {
    summary.verdicts[r.verdict]++;
    summary.byStatus[r.status][r.verdict]++;
    summary.cases += r.cases;
  }
  return summary;
}

/** Builds the report of a run from its rule results (sorted by vendor, then id). */
export function buildReport(run: RunInfo, rules: readonly RuleResult[], errors: readonly string[] = []): RunReport {
  const sorted = [...rules].sort((a, b) => a.vendor.localeCompare(b.vendor) || a.id.localeCompare(b.id));
  return { format: REPORT_FORMAT, run, summary: summarize(sorted), rules: sorted, errors: [...errors] };
}

/** Whether the run conforms: no failing rule and no error (skips and inconclusives do not fail it). */
export function runPassed(report: RunReport): boolean {
  return report.errors.length === 0 && report.summary.verdicts.fail === 0;
}
