import { ConformanceError } from '../model/errors.ts';
import type { Citation, RuleStatus } from '../model/rule.ts';
import type { Vendor } from '../model/vendors.ts';
import { buildReport, type RuleReport, type RunInfo, type RunReport, type Summary } from './report.ts';

/**
 * Merging reports: the shards of one run into one run (`mergeShards`), and runs of different
 * targets into a matrix of rules by targets (`buildMatrix`), as wpt.fyi and test262.fyi show
 * them. Both refuse reports of different specs: their rules would not mean the same.
 */

/** The identifier of the matrix format, bumped when its shape changes incompatibly. */
export const MATRIX_FORMAT = 'bucket-conformance/matrix@1';

/** One column of a matrix: a target, with the run that produced its results. */
export interface MatrixTarget {
  /** The run's target (`reference`, an adapter name or a module path); unique in a matrix. */
  name: string;
  run: RunInfo;
  summary: Summary;
  errors: string[];
}

/** The result of one rule on one target: the rule report without the rule's own fields. */
export type MatrixCell = Omit<RuleReport, 'id' | 'vendor' | 'status' | 'title' | 'source' | 'reading' | 'file'>;

/** One row of a matrix: a rule, and its result on each target that ran it. */
export interface MatrixRow {
  id: string;
  vendor: Vendor;
  status: RuleStatus;
  title: string;
  source: Citation;
  reading?: string;
  file: string;
  /** Target name -> result; a target that did not run the rule has no entry. */
  cells: Record<string, MatrixCell>;
}

/** Runs of different targets on the same specs: rules as rows, targets as columns. */
export interface MatrixReport {
  format: typeof MATRIX_FORMAT;
  suite: { name: string; version: string };
  specDigest: string;
  /** The columns, in the order their first report was given. */
  targets: MatrixTarget[];
  /** The rows, sorted by vendor, then id. */
  rows: MatrixRow[];
}

/** Options of the merge functions. */
export interface MergeOptions {
  /** What to call each report in error messages (its file name); `report 1`, `report 2`... by default. */
  names?: readonly string[];
}

/** Whether `report` is a matrix rather than the report of one run. */
export function isMatrixReport(report: RunReport | MatrixReport): report is MatrixReport {
  return report.format === MATRIX_FORMAT;
}

/** The key of a rule in a report: ids repeat across vendors (the cross-vendor `X-*` rules). */
export function ruleKey(rule: { vendor: string; id: string }): string {
  return `${rule.vendor}\u0000${rule.id}`;
}

function nameOf(options: MergeOptions, index: number): string {
  return options.names?.[index] ?? `report ${index + 1}`;
}

function refuse(message: string): never {
  throw new ConformanceError('CONFORMANCE_INPUT', message);
}

function requireSame<T>(reports: readonly RunReport[], options: MergeOptions, what: string, get: (r: RunReport) => T, show: (v: T) => string = String): T {
  const first = get(reports[0]!);
  reports.forEach((r, i) => {
    const value = get(r);
    if (JSON.stringify(value) !== JSON.stringify(first)) {
      refuse(`${nameOf(options, i)}: ${what} \`${show(value)}\` differs from ${nameOf(options, 0)}'s \`${show(first)}\``);
    }
  });
  return first;
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

function shardName(info: RunInfo): string {
  return info.shard ? `shard ${info.shard.index}/${info.shard.count}` : 'unsharded';
}

/**
 * Merges the reports of one target's shards (or of disjoint rule selections) into the report of
 * one run. They must share the target, the spec digest, the seed, the number of runs, the suite
 * version and the expectations file; no rule may be in two of them. Shards must be all shards of
 * one split (`i/n` for every i), and the merged run then has no shard; reports without shard
 * info are merged as they are. The summary is recounted, the run's start is the earliest and its
 * end the latest. Throws a ConformanceError `CONFORMANCE_INPUT` otherwise.
 */
export function mergeShards(reports: readonly RunReport[], options: MergeOptions = {}): RunReport {
  if (reports.length === 0) refuse('no report to merge');
  const target = requireSame(reports, options, 'target', (r) => r.run.target);
  requireSame(reports, options, 'spec digest', (r) => r.run.specDigest, (d) => d.slice(0, 12));
  const seed = requireSame(reports, options, `seed of target \`${target}\``, (r) => r.run.seed);
  requireSame(reports, options, 'number of runs', (r) => r.run.numRuns);
  const exhaustive = requireSame(reports, options, 'exhaustive sample', (r) => r.run.exhaustive, (e) => (e === undefined ? 'all' : String(e)));
  const suite = requireSame(reports, options, 'suite', (r) => r.run.suite, (s) => `${s.name} ${s.version}`);
  const expectations = requireSame(reports, options, 'expectations file', (r) => r.run.expectations, (e) => e ?? 'none');
  const differential = requireSame(reports, options, 'mode', (r) => r.run.differential === true, (d) => (d ? 'differential' : 'conformance'));

  const sharded = reports.filter((r) => r.run.shard);
  if (sharded.length > 0) {
    reports.forEach((r, i) => {
      if (!r.run.shard) refuse(`${nameOf(options, i)}: an unsharded run cannot be merged with shards (${nameOf(options, reports.indexOf(sharded[0]!))} is ${shardName(sharded[0]!.run)})`);
    });
    const count = requireSame(reports, options, 'shard count', (r) => r.run.shard!.count);
    const seen = new Map<number, number>();
    reports.forEach((r, i) => {
      const index = r.run.shard!.index;
      const before = seen.get(index);
      if (before !== undefined) refuse(`${nameOf(options, i)}: shard ${index}/${count} is also ${nameOf(options, before)}`);
      seen.set(index, i);
    });
    if (seen.size !== count) {
      const have = [...seen.keys()].sort((a, b) => a - b).map((i) => `${i}/${count}`).join(', ');
      refuse(`shards of target \`${target}\`: ${seen.size} of ${count} given (${have}); merge all ${count} shards`);
    }
  }

  const owner = new Map<string, number>();
  const rules: RuleReport[] = [];
  reports.forEach((r, i) => {
    for (const rule of r.rules) {
      const key = ruleKey(rule);
      const before = owner.get(key);
      if (before !== undefined) refuse(`${nameOf(options, i)}: rule \`${rule.id}\` (${rule.vendor}) is also in ${nameOf(options, before)}`);
      owner.set(key, i);
      rules.push(rule);
    }
  });

  const first = reports[0]!.run;
  const run: RunInfo = {
    suite,
    specDigest: first.specDigest,
    target,
    capabilities: union(reports.map((r) => r.run.capabilities)),
    vendors: union(reports.map((r) => r.run.vendors)),
    seed,
    numRuns: first.numRuns,
    ...(exhaustive !== undefined ? { exhaustive } : {}),
    rules: union(reports.map((r) => r.run.rules)),
    ...(expectations !== undefined ? { expectations } : {}),
    ...(reports.some((r) => r.run.strict !== undefined) ? { strict: reports.some((r) => r.run.strict === true) } : {}),
    ...(differential ? { differential } : {}),
    // One interrupted shard leaves the whole run without a verdict.
    ...(reports.some((r) => r.run.interrupted) ? { interrupted: { selected: reports.reduce((n, r) => n + (r.run.interrupted?.selected ?? r.rules.length), 0) } } : {}),
    startedAt: reports.map((r) => r.run.startedAt).sort()[0]!,
    finishedAt: reports.map((r) => r.run.finishedAt).sort().at(-1)!,
    node: union(reports.map((r) => [r.run.node])).join(', '),
  };
  return buildReport(run, rules, reports.flatMap((r) => r.errors));
}

/**
 * Builds the matrix of runs of different targets on the same specs: one row per rule (vendor and
 * id), one column per target. Several reports of one target are its shards, merged first with
 * `mergeShards`. Throws a ConformanceError `CONFORMANCE_INPUT` for no report, reports of
 * different spec digests, or shards that do not merge.
 */
export function buildMatrix(reports: readonly RunReport[], options: MergeOptions = {}): MatrixReport {
  if (reports.length === 0) refuse('no report to merge');
  requireSame(reports, options, 'spec digest', (r) => r.run.specDigest, (d) => d.slice(0, 12));
  const byTarget = new Map<string, { reports: RunReport[]; names: string[] }>();
  reports.forEach((r, i) => {
    const group = byTarget.get(r.run.target) ?? { reports: [], names: [] };
    group.reports.push(r);
    group.names.push(nameOf(options, i));
    byTarget.set(r.run.target, group);
  });
  const runs = [...byTarget.values()].map((g) => (g.reports.length === 1 ? g.reports[0]! : mergeShards(g.reports, { names: g.names })));

  const rows = new Map<string, MatrixRow>();
  for (const report of runs) {
    for (const rule of report.rules) {
      const { id, vendor, status, title, source, reading, file, ...cell } = rule;
      const key = ruleKey(rule);
      let row = rows.get(key);
      if (!row) {
        row = { id, vendor, status, title, source, ...(reading !== undefined ? { reading } : {}), file, cells: {} };
        rows.set(key, row);
      }
      row.cells[report.run.target] = cell;
    }
  }
  const first = runs[0]!.run;
  return {
    format: MATRIX_FORMAT,
    suite: first.suite,
    specDigest: first.specDigest,
    targets: runs.map((r) => ({ name: r.run.target, run: r.run, summary: r.summary, errors: r.errors })),
    rows: [...rows.values()].sort((a, b) => a.vendor.localeCompare(b.vendor) || a.id.localeCompare(b.id)),
  };
}

/** The report of one target of a matrix, as its run reported it (rules it did not run left out). */
export function matrixColumn(matrix: MatrixReport, target: MatrixTarget): RunReport {
  const rules: RuleReport[] = [];
  for (const row of matrix.rows) {
    const cell = row.cells[target.name];
    if (!cell) continue;
    const { cells: _cells, ...rule } = row;
    rules.push({ ...rule, ...cell });
  }
  return { ...buildReport(target.run, rules, target.errors), summary: target.summary };
}
