import type { Distribution } from '../model/result.ts';
import { verdictReason } from './describe.ts';
import { isMatrixReport, type MatrixReport } from './matrix.ts';
import type { ReportVerdict, RuleReport, RunReport } from './report.ts';

/**
 * `summary.md`: a short Markdown summary fit for a pull request or `$GITHUB_STEP_SUMMARY`.
 * Every rule shows its RULES.md id, its status and its source; inferred and ambiguous rules
 * are flagged, and each failure shows its counterexample and the command that replays it.
 */

const ICON: Record<ReportVerdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  skip: '⏭️ skip',
  inconclusive: '❔ inconclusive',
  'expected-fail': '☑️ expected fail',
  'unexpected-pass': '⚠️ unexpected pass',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function outcomes(d: Distribution): string {
  const o = d['outcome'] ?? {};
  return Object.entries(o).sort((a, b) => a[0].localeCompare(b[0])).map(([k, n]) => `${k} ${n}`).join(' · ') || '—';
}

function status(r: Pick<RuleReport, 'status'>): string {
  return r.status === 'doc' ? 'doc' : `**${r.status}**`;
}

function quote(text: string, max = 90): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Renders the Markdown summary of a run, or the table of a matrix (`renderMatrixMarkdown`). */
export function renderMarkdown(report: RunReport | MatrixReport): string {
  if (isMatrixReport(report)) return renderMatrixMarkdown(report);
  const { run, summary } = report;
  const v = summary.verdicts;
  const lines: string[] = [];
  lines.push(`# Bucket conformance: \`${run.target}\`${run.differential ? ' (differential run)' : ''}`);
  lines.push('');
  if (run.interrupted) {
    lines.push(`> **Interrupted.** The run was stopped before its end: ${summary.total} of its ${run.interrupted.selected} rules finished, listed below, and it gives no verdict. Run it again for one.`);
    lines.push('');
  }
  if (run.differential) {
    lines.push('> **Differential run.** Every expectation below is what the reference evaluator did with the same request, not what the specs say: a failure is a disagreement between the target and the reference. Run without `--differential` for conformance.');
    lines.push('');
  }
  // The verdicts of an expectations file show when the run has any.
  const known = v['expected-fail'] + v['unexpected-pass'] > 0 || run.expectations !== undefined;
  const extra = known ? `, ${v['expected-fail']} failed as expected, ${v['unexpected-pass']} passed unexpectedly` : '';
  lines.push(`**${v.pass} passed, ${v.fail} failed, ${v.skip} skipped, ${v.inconclusive} inconclusive${extra}** of ${summary.total} rules; ${summary.cases} cases.`);
  lines.push('');
  lines.push(`Seed \`${run.seed}\` · ${run.numRuns} runs per property${run.exhaustive !== undefined ? ` · at most ${run.exhaustive} cases per exhaustive check` : ''} · vendors ${run.vendors.join(', ') || 'all'} · specs \`${run.specDigest.slice(0, 12)}\` · ${run.suite.name} ${run.suite.version} · Node ${run.node} · ${run.startedAt}`);
  lines.push('');
  lines.push(`| Status | pass | fail | skip | inconclusive |${known ? ' expected fail | unexpected pass |' : ''}`);
  lines.push(`|---|---|---|---|---|${known ? '---|---|' : ''}`);
  for (const [s, c] of Object.entries(summary.byStatus)) lines.push(`| ${s} | ${c.pass} | ${c.fail} | ${c.skip} | ${c.inconclusive} |${known ? ` ${c['expected-fail']} | ${c['unexpected-pass']} |` : ''}`);
  lines.push('');
  if (report.errors.length) {
    lines.push('## Errors');
    lines.push('');
    for (const e of report.errors) lines.push(`- ${cell(e)}`);
    lines.push('');
  }
  const vendors = [...new Set(report.rules.map((r) => r.vendor))];
  for (const vendor of vendors) {
    lines.push(`## ${vendor}`);
    lines.push('');
    lines.push('| Rule | Status | Verdict | Cases | Outcomes | Source |');
    lines.push('|---|---|---|---|---|---|');
    for (const r of report.rules.filter((x) => x.vendor === vendor)) {
      const verdict = r.verdict === 'pass' ? ICON.pass : `${ICON[r.verdict]}${r.message ? `: ${cell(quote(r.message, 120))}` : ''}`;
      lines.push(`| \`${r.id}\` ${cell(r.title)} | ${status(r)} | ${verdict} | ${r.cases} | ${outcomes(r.distribution)} | ${r.source.seed.slice(0, 3)}: "${cell(quote(r.source.quote))}" |`);
    }
    lines.push('');
  }
  const flagged = report.rules.filter((r) => r.status !== 'doc');
  if (flagged.length) {
    lines.push('## Inferred and ambiguous rules');
    lines.push('');
    lines.push('These rules encode a reading of the documents, not a sentence of them.');
    lines.push('');
    for (const r of flagged) lines.push(`- \`${r.id}\` (**${r.status}**): ${cell(r.reading ?? '')}`);
    lines.push('');
  }
  const failed = report.rules.filter((r) => r.verdict === 'fail');
  if (failed.length) {
    lines.push('## Failures');
    lines.push('');
    for (const r of failed) {
      lines.push(`### \`${r.id}\` (${r.status})`);
      lines.push('');
      lines.push(`> ${r.source.seed}: "${r.source.quote}"`);
      lines.push('');
      for (const c of r.checks.filter((x) => x.verdict === 'fail')) {
        lines.push(`**${c.name}**: ${(c.message ?? '').split('\n')[0]}`);
        lines.push('');
        if (c.counterexample?.sequence) {
          lines.push('Shrunk sequence (the last step failed):');
          lines.push('');
          lines.push('```text');
          lines.push(...c.counterexample.sequence);
          lines.push('```');
          lines.push('');
        }
        if (c.counterexample) {
          lines.push('```json');
          lines.push(JSON.stringify({ case: c.counterexample.case, requestIndex: c.counterexample.requestIndex, expected: c.counterexample.expected, observed: c.counterexample.observed }, null, 2));
          lines.push('```');
          lines.push('');
        }
        if (c.seed !== undefined) lines.push(`Seed \`${c.seed}\`${c.path ? `, path \`${c.path}\`` : ''}.`);
        if (c.replay) lines.push(`Replay: \`${c.replay}\``);
        lines.push('');
      }
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The icon of a verdict alone, for the cells of a matrix. */
const MARK: Record<ReportVerdict, string> = {
  pass: '✅',
  fail: '❌',
  skip: '⏭️',
  inconclusive: '❔',
  'expected-fail': '☑️',
  'unexpected-pass': '⚠️',
};

/**
 * Renders the Markdown summary of a matrix: the counts per target, then one table per vendor
 * with a row per rule and a column per target, then each target's failures with their replay
 * commands.
 */
export function renderMatrixMarkdown(matrix: MatrixReport): string {
  const lines: string[] = [];
  const names = matrix.targets.map((t) => t.name);
  lines.push(`# Bucket conformance matrix: ${names.map((n) => `\`${n}\``).join(', ')}`);
  lines.push('');
  lines.push(`Specs \`${matrix.specDigest.slice(0, 12)}\` · ${matrix.suite.name} ${matrix.suite.version} · ${matrix.rows.length} rules · ${names.length} targets.`);
  lines.push('');
  lines.push('| Target | pass | fail | skip | inconclusive | expected fail | unexpected pass | errors | cases | seed |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const t of matrix.targets) {
    const v = t.summary.verdicts;
    lines.push(`| \`${cell(t.name)}\` | ${v.pass} | ${v.fail} | ${v.skip} | ${v.inconclusive} | ${v['expected-fail']} | ${v['unexpected-pass']} | ${t.errors.length} | ${t.summary.cases} | ${t.run.seed} |`);
  }
  lines.push('');
  lines.push(`${Object.entries(MARK).map(([v, m]) => `${m} ${v}`).join(' · ')} · — not run`);
  lines.push('');
  for (const vendor of [...new Set(matrix.rows.map((r) => r.vendor))]) {
    lines.push(`## ${vendor}`);
    lines.push('');
    lines.push(`| Rule | Status | ${names.map((n) => `\`${cell(n)}\``).join(' | ')} |`);
    lines.push(`|---|---|${names.map(() => '---|').join('')}`);
    for (const r of matrix.rows.filter((x) => x.vendor === vendor)) {
      const cells = names.map((n) => {
        const c = r.cells[n];
        return c ? MARK[c.verdict] : '—';
      });
      lines.push(`| \`${r.id}\` ${cell(r.title)} | ${status(r)} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  const failures: string[] = [];
  for (const r of matrix.rows) {
    for (const n of names) {
      const c = r.cells[n];
      if (!c || (c.verdict !== 'fail' && c.verdict !== 'unexpected-pass')) continue;
      const replay = c.checks.find((x) => x.verdict === 'fail' && x.replay)?.replay;
      failures.push(`- \`${cell(n)}\` \`${r.id}\` (${r.vendor}, ${r.status}): ${ICON[c.verdict]}: ${cell(quote(verdictReason(c), 160))}${replay ? ` — replay: \`${replay}\`` : ''}`);
    }
  }
  if (failures.length) {
    lines.push('## Failures');
    lines.push('');
    lines.push(...failures);
    lines.push('');
  }
  const errors = matrix.targets.flatMap((t) => t.errors.map((e) => `- \`${cell(t.name)}\`: ${cell(e)}`));
  if (errors.length) {
    lines.push('## Errors');
    lines.push('');
    lines.push(...errors);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
