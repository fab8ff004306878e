import { basename, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeMatrix, writeReports } from '../reports/index.ts';
import { buildMatrix, mergeShards, ruleKey } from '../reports/matrix.ts';
import type { ReportVerdict, RunReport } from '../reports/report.ts';
import { EXIT, readReport, usage } from './args.ts';

/**
 * `bucket-conformance report merge|compare`: merging reports (the shards of one target into one
 * run, runs of different targets into a matrix) and comparing a run with a baseline.
 */

/** Names for the reports in messages: their file names, or their paths when two share a name. */
function displayNames(files: readonly string[]): string[] {
  const names = files.map((f) => basename(f));
  return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) ? relative(process.cwd(), resolve(files[i]!)) || files[i]! : n));
}

/**
 * `report merge A.json B.json ... --out DIR`: one target's reports (its shards) become one run,
 * written as a run's reports; reports of several targets become a matrix (each target's shards
 * merged first). Reports of different spec digests, shards that do not make a whole split, and
 * a rule in two reports of one target are refused (exit code 2).
 */
export async function commandMerge(args: string[], out: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true });
  if (positionals.length === 0) usage('report merge takes the report.json files to merge: `report merge A.json B.json ... --out DIR`');
  if (values.out === undefined) usage('report merge needs --out DIR');
  const reports = positionals.map((f) => readReport(f));
  const names = displayNames(positionals);
  const outDir = resolve(values.out);
  const targets = [...new Set(reports.map((r) => r.run.target))];
  if (targets.length === 1) {
    const merged = mergeShards(reports, { names });
    writeReports(outDir, merged);
    const v = merged.summary.verdicts;
    out.write(`merged ${reports.length} report(s) of target ${targets[0]!} into one run of ${merged.summary.total} rules (${v.pass} passed, ${v.fail} failed, ${v.skip} skipped, ${v.inconclusive} inconclusive); reports in ${outDir}\n`);
    return EXIT.ok;
  }
  const matrix = buildMatrix(reports, { names });
  writeMatrix(outDir, matrix);
  out.write(`merged ${reports.length} reports into a matrix of ${matrix.rows.length} rules by ${matrix.targets.length} targets (${matrix.targets.map((t) => t.name).join(', ')}); reports in ${outDir}\n`);
  return EXIT.ok;
}

/** A rule that moved off `pass`, or disappeared, between a baseline and a new run. */
export interface Regressed {
  id: string;
  vendor: string;
  from: ReportVerdict;
  /** Undefined when the rule is not in the new run. */
  to?: ReportVerdict;
  reason?: string;
}

/**
 * The rules of `base` that moved off `pass` in `next` (pass -> anything else), and those that
 * are not in `next` at all, whatever their verdict was.
 */
export function compareReports(base: RunReport, next: RunReport): Regressed[] {
  const now = new Map(next.rules.map((r) => [ruleKey(r), r]));
  const moved: Regressed[] = [];
  for (const r of base.rules) {
    const after = now.get(ruleKey(r));
    if (!after) moved.push({ id: r.id, vendor: r.vendor, from: r.verdict });
    else if (r.verdict === 'pass' && after.verdict !== 'pass') {
      moved.push({ id: r.id, vendor: r.vendor, from: r.verdict, to: after.verdict, ...(after.message ? { reason: after.message.split('\n')[0]! } : {}) });
    }
  }
  return moved;
}

/**
 * `report compare BASE.json NEW.json`: lists the rules that moved off pass or disappeared, on
 * standard output, and exits 1 if any did.
 */
export async function commandCompare(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 2) usage('report compare takes two reports: `report compare BASE.json NEW.json`');
  const [baseFile, nextFile] = positionals as [string, string];
  const base = readReport(baseFile);
  const next = readReport(nextFile);
  const notes: string[] = [];
  if (base.run.target !== next.run.target) notes.push(`note: the targets differ (\`${base.run.target}\`, \`${next.run.target}\`)`);
  if (base.run.specDigest !== next.run.specDigest) notes.push(`note: the specs differ (digest ${base.run.specDigest.slice(0, 12)}, ${next.run.specDigest.slice(0, 12)})`);
  const moved = compareReports(base, next);
  const lines = [...notes];
  for (const m of moved) {
    lines.push(m.to === undefined ? `- ${m.id} (${m.vendor}): ${m.from} -> missing (not in ${nextFile})` : `- ${m.id} (${m.vendor}): ${m.from} -> ${m.to}${m.reason ? `: ${m.reason}` : ''}`);
  }
  const passed = base.rules.filter((r) => r.verdict === 'pass').length;
  lines.push(moved.length === 0
    ? `no regression: the ${passed} rules that passed in ${baseFile} still pass in ${nextFile}, and no rule disappeared`
    : `${moved.length} regression(s) from ${baseFile} to ${nextFile}: ${moved.filter((m) => m.to !== undefined).length} rule(s) moved off pass, ${moved.filter((m) => m.to === undefined).length} disappeared`);
  out.write(`${lines.join('\n')}\n`);
  return moved.length === 0 ? EXIT.ok : EXIT.nonconformance;
}
