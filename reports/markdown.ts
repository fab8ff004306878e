import type { Distribution } from '../model/result.ts';
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

function status(r: RuleReport): string {
  return r.status === 'doc' ? 'doc' : `**${r.status}**`;
}

function quote(text: string, max = 90): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Renders the Markdown summary of a run. */
export function renderMarkdown(report: RunReport): string {
  const { run, summary } = report;
  const v = summary.verdicts;
  const lines: string[] = [];
  lines.push(`# Bucket conformance: \`${run.target}\``);
  lines.push('');
  lines.push(`**${v.pass} passed, ${v.fail} failed, ${v.skip} skipped, ${v.inconclusive} inconclusive** of ${summary.total} rules; ${summary.cases} cases.`);
  lines.push('');
  lines.push(`Seed \`${run.seed}\` · ${run.numRuns} runs per property · vendors ${run.vendors.join(', ') || 'all'} · specs \`${run.specDigest.slice(0, 12)}\` · ${run.suite.name} ${run.suite.version} · Node ${run.node} · ${run.startedAt}`);
  lines.push('');
  lines.push('| Status | pass | fail | skip | inconclusive |');
  lines.push('|---|---|---|---|---|');
  for (const [s, c] of Object.entries(summary.byStatus)) lines.push(`| ${s} | ${c.pass} | ${c.fail} | ${c.skip} | ${c.inconclusive} |`);
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
