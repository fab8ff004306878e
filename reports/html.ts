import type { CheckResult, Counterexample, Distribution } from '../model/result.ts';
import type { Request, World } from '../model/world.ts';
import {
  describeExpected,
  describeExplanation,
  describeObserved,
  failedAt,
  firstLine,
  MECHANISM_TITLES,
  MECHANISMS,
  mechanismOf,
  VERDICT_TITLES,
  verdictReason,
  type Mechanism,
} from './describe.ts';
import { isMatrixReport, type MatrixCell, type MatrixReport, type MatrixRow } from './matrix.ts';
import { REPORT_VERDICTS, runHeadline, runPassed, type ReportVerdict, type RuleReport, type RunInfo, type RunReport, type Summary } from './report.ts';
import { RULE_STATUSES, type RuleStatus } from '../model/rule.ts';

/**
 * `report.html`: one self-contained page (inline CSS and JS, a Content-Security-Policy that
 * forbids any network access) with the summary, the run info, and the rules grouped by vendor
 * and mechanism, with filters by vendor, verdict, status and text. Each rule shows its citation
 * and status (inferred and ambiguous rules with their reading), its cases and outcome
 * distribution, and each failure its counterexample: the world as JSON, the failing request
 * highlighted, expected and observed outcome, the shrunk sequence of a stateful failure, and the
 * replay command with a copy button. A matrix shows rules as rows and targets as columns.
 * Everything that comes from a report (rule text is from YAML, messages from targets) is escaped.
 */

/** Escapes text for HTML element bodies and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const esc = escapeHtml;

/** A JSON value on one line, with a space after each comma and colon: `{ "a": [1, 2] }`. */
function inlineJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')} }` : '{}';
}

/**
 * A JSON value pretty-printed for reading: a value that fits on its line (`width` characters, of
 * which `used` are taken by the indentation and the key) stays on one line, a larger one is
 * broken into one member per line. Parses back to the same value.
 */
export function compactJson(value: unknown, width = 96, indent = '', used = 0): string {
  const inline = inlineJson(value);
  if (value === null || typeof value !== 'object' || used + inline.length <= width) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => `${inner}${compactJson(v, width, inner, inner.length)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const members = entries.map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return `${inner}${key}${compactJson(v, width, inner, inner.length + key.length)}`;
  });
  return `{\n${members.join(',\n')}\n${indent}}`;
}

/** A JSON value, pretty-printed by `compactJson`, with its tokens wrapped for colouring (each piece escaped). */
export function jsonHtml(value: unknown, width = 96): string {
  const text = compactJson(value, width);
  const token = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(token)) {
    out += esc(text.slice(last, m.index));
    if (m[1] !== undefined) out += m[2] !== undefined ? `<span class="j-key">${esc(m[1])}</span>${esc(m[2])}` : `<span class="j-str">${esc(m[1])}</span>`;
    else if (m[3] !== undefined) out += `<span class="j-lit">${m[3]}</span>`;
    else out += `<span class="j-num">${esc(m[4]!)}</span>`;
    last = m.index + m[0].length;
  }
  return out + esc(text.slice(last));
}

/** A duration for the page (already escaped). */
function duration(ms: number): string {
  if (ms < 1) return '&lt;1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function verdictBadge(v: ReportVerdict): string {
  return `<span class="badge v-${v}">${esc(VERDICT_TITLES[v])}</span>`;
}

function statusBadge(s: RuleStatus): string {
  return `<span class="badge s-${s}"${s === 'doc' ? '' : ' title="a reading of the documents, not a sentence of them"'}>${esc(s)}</span>`;
}

/** Colours of the outcome bar, by outcome value. */
const OUTCOME_CLASS: Record<string, string> = { allow: 'o-allow', deny: 'o-deny', rejected: 'o-rejected' };

function outcomeBar(d: Distribution): string {
  const o = Object.entries(d['outcome'] ?? {}).sort((a, b) => a[0].localeCompare(b[0]));
  const total = o.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return '<span class="muted">—</span>';
  const segments = o.map(([k, n]) => `<span class="seg ${OUTCOME_CLASS[k] ?? 'o-other'}" style="width:${((100 * n) / total).toFixed(2)}%"></span>`).join('');
  const text = o.map(([k, n]) => `${esc(k)} ${n}`).join(' · ');
  return `<div class="bar" role="img" aria-label="${esc(text)}" title="${esc(text)}">${segments}</div><div class="bar-text">${text}</div>`;
}

function distributionTables(d: Distribution): string {
  const labels = Object.keys(d).sort((a, b) => (a === 'outcome' ? -1 : b === 'outcome' ? 1 : a.localeCompare(b)));
  if (labels.length === 0) return '';
  const tables = labels.map((label) => {
    const entries = Object.entries(d[label]!).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const total = entries.reduce((n, [, c]) => n + c, 0);
    const rows = entries
      .map(([k, n]) => `<tr><td><code>${esc(k)}</code></td><td class="num">${n}</td><td class="pct"><span class="pct-bar" style="width:${total ? ((100 * n) / total).toFixed(1) : 0}%"></span></td></tr>`)
      .join('');
    return `<table class="dist"><caption>${esc(label)}</caption><tbody>${rows}</tbody></table>`;
  });
  return `<details class="distribution"><summary>Outcome distribution (${labels.length} label${labels.length === 1 ? '' : 's'})</summary><div class="dist-grid">${tables.join('')}</div></details>`;
}

function copyable(command: string): string {
  return `<div class="replay"><span class="replay-label">Replay</span><code class="cmd">${esc(command)}</code><button type="button" class="copy" data-copy="${esc(command)}">Copy</button></div>`;
}

function worldBlock(title: string, world: World, failing: boolean): string {
  return `<div class="case-part${failing ? ' failing' : ''}"><div class="part-head">${esc(title)}${failing ? ' <span class="flag">the world itself was at fault</span>' : ''}</div><pre class="json">${jsonHtml(world)}</pre></div>`;
}

function requestBlock(title: string, request: Request, expect: string | undefined, failing: boolean, failure?: Counterexample): string {
  const head = `${esc(title)}${expect ? ` <span class="muted">expected ${esc(expect)}</span>` : ''}${failing ? ' <span class="flag">failing request</span>' : ''}`;
  const observed = failing && failure ? `<div class="observed-line">observed <strong>${esc(describeObserved(failure.observed))}</strong></div>` : '';
  return `<div class="case-part${failing ? ' failing' : ''}"><div class="part-head">${head}</div><pre class="json">${jsonHtml(request, 52)}</pre>${observed}</div>`;
}

function counterexampleHtml(ce: Counterexample): string {
  const parts: string[] = [];
  const explanation = describeExplanation(ce.observed);
  // The reason says more than expected and observed only sometimes (a status or code mismatch, a relation).
  const plain = `expected ${describeExpected(ce.expected)}, observed ${describeObserved(ce.observed)}`;
  parts.push(`<div class="eo"><div class="eo-box expected"><div class="eo-label">Expected</div><div class="eo-value">${esc(describeExpected(ce.expected))}</div></div><div class="eo-box observed"><div class="eo-label">Observed</div><div class="eo-value">${esc(describeObserved(ce.observed))}</div>${explanation ? `<div class="eo-why">target's explanation: ${esc(explanation)}</div>` : ''}</div><div class="eo-at">at <strong>${esc(failedAt(ce))}</strong>${plain === ce.reason ? '' : `: ${esc(ce.reason)}`}</div></div>`);
  if (ce.sequence) {
    const steps = ce.sequence.map((s, i) => `<li${i === ce.sequence!.length - 1 ? ' class="failing"' : ''}>${esc(s.replace(/^\d+\.\s*/, ''))}</li>`).join('');
    parts.push(`<div class="sequence"><div class="part-head">Shrunk sequence <span class="muted">(${ce.sequence.length} step${ce.sequence.length === 1 ? '' : 's'}; the last one failed)</span></div><ol>${steps}</ol></div>`);
  }
  const c = ce.case;
  if (c.kind === 'expect') {
    parts.push(worldBlock('World', c.world, ce.requestIndex < 0));
    if (c.expectWorld) parts.push(`<div class="muted small">preparing the world: expected ${esc(describeExpected(c.expectWorld))}</div>`);
    const requests = c.requests.map((r, i) => {
      // A step's name, or the label a generator gave the request ("the owner downloads an object").
      const said = r.name ?? r.labels?.['request'];
      return requestBlock(`${ce.sequence ? `step ${i + 1}` : `request ${i}`}${said ? `: ${said}` : ''}`, r.request, describeExpected(r.expect), i === ce.requestIndex, ce);
    });
    if (requests.length) parts.push(`<div class="requests">${requests.join('')}</div>`);
  } else {
    parts.push(`<div class="muted small">relation <code>${esc(c.relation)}</code> between the decisions in the base and the variant world</div>`);
    parts.push(`<div class="worlds">${worldBlock('Base world', c.base, false)}${worldBlock('Variant world', c.variant, false)}</div>`);
    const requests = c.requests.map((r, i) => requestBlock(`request ${i}`, r, undefined, i === ce.requestIndex, ce));
    if (requests.length) parts.push(`<div class="requests">${requests.join('')}</div>`);
  }
  return parts.join('');
}

function failureHtml(check: CheckResult): string {
  const meta = [
    check.property ? `property <code>${esc(check.property)}</code>` : check.kind === 'example' ? 'worked example' : '',
    check.seed !== undefined ? `seed <code>${check.seed}</code>` : '',
    check.path ? `path <code>${esc(check.path)}</code>` : '',
    check.numShrinks !== undefined ? `${check.numShrinks} shrinks` : '',
  ].filter(Boolean);
  const rest = check.counterexample ? '' : (check.message ?? '').split('\n').slice(1).join('\n');
  return `<div class="failure"><div class="failure-head"><span class="check-name">${esc(check.name)}</span><span class="failure-msg">${esc(firstLine(check.message))}</span></div>${meta.length ? `<div class="meta">${meta.join(' · ')}</div>` : ''}${rest ? `<pre class="plain">${esc(rest)}</pre>` : ''}${check.counterexample ? counterexampleHtml(check.counterexample) : ''}${check.replay ? copyable(check.replay) : ''}</div>`;
}

function checksTable(checks: readonly CheckResult[]): string {
  if (checks.length === 0) return '';
  const rows = checks
    .map((c) => `<tr><td>${esc(c.name)}</td><td>${c.property ? `<code>${esc(c.property)}</code>` : esc(c.kind)}</td><td>${verdictBadge(c.verdict)}</td><td class="num">${c.cases}${c.enumerated !== undefined ? ` <span class="muted" title="a sample of the ${c.enumerated} enumerated cases (--exhaustive)">of ${c.enumerated}</span>` : ''}</td><td>${outcomeBar(c.distribution)}</td><td class="num">${duration(c.durationMs)}</td></tr>`)
    .join('');
  return `<table class="checks"><thead><tr><th>Check</th><th>Kind</th><th>Verdict</th><th class="num">Cases</th><th>Outcomes</th><th class="num">Time</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The rule's own facts: citation, reading, spec file. */
function ruleInfoHtml(rule: Pick<RuleReport, 'id' | 'status' | 'source' | 'reading' | 'file'>): string {
  const reading = rule.reading
    ? `<div class="reading s-${rule.status}"><span class="reading-label">${rule.status === 'doc' ? 'Reading' : `${esc(rule.status)} reading`}</span> ${esc(rule.reading)}</div>`
    : '';
  return `<blockquote class="citation"><p>${esc(rule.source.quote)}</p><footer>${esc(rule.source.seed)} · <code>specs/${esc(rule.file)}</code></footer></blockquote>${reading}`;
}

/** A rule's result on one target: why, what it lacks, its faults, its checks and failures. */
function resultHtml(result: MatrixCell): string {
  const parts: string[] = [];
  if (result.expectation) {
    parts.push(`<div class="note">Expectations file: known to fail: ${esc(result.expectation.reason)}${result.expectation.link ? ` (<span class="link">${esc(result.expectation.link)}</span>)` : ''}</div>`);
  }
  if (result.verdict === 'unexpected-pass') parts.push('<div class="note warn">Passed although the expectations file lists it as a known failure: remove the entry so that the file is kept honest.</div>');
  if (result.verdict === 'skip' && result.missing?.length) parts.push(`<div class="note">Skipped: the target lacks ${result.missing.map((m) => `<code>${esc(m)}</code>`).join(', ')}</div>`);
  else if (result.verdict === 'skip' || result.verdict === 'inconclusive') parts.push(`<div class="note">${esc(result.message ?? result.verdict)}</div>`);
  const faults = result.checks.flatMap((c) => c.faults ?? []);
  if (faults.length) parts.push(`<ul class="faults">${faults.map((f) => `<li><code>${esc(f.code)}</code> ${esc(f.message)}</li>`).join('')}</ul>`);
  parts.push(checksTable(result.checks));
  parts.push(distributionTables(result.distribution));
  parts.push(result.checks.filter((c) => c.verdict === 'fail').map(failureHtml).join(''));
  return parts.join('');
}

/** The words a row is found by in the text search. */
function searchText(rule: Pick<RuleReport, 'id' | 'vendor' | 'status' | 'title' | 'source' | 'reading' | 'file'>, extra: readonly string[]): string {
  return [rule.id, rule.vendor, rule.status, mechanismOf(rule.id), rule.title, rule.source.seed, rule.source.quote, rule.reading ?? '', rule.file, ...extra].join(' ').toLowerCase();
}

/** Rows grouped by vendor (in order of appearance), then by mechanism. */
function groups<T extends { id: string; vendor: string }>(rows: readonly T[]): Array<{ vendor: string; mechanism: Mechanism; rows: T[] }> {
  const out: Array<{ vendor: string; mechanism: Mechanism; rows: T[] }> = [];
  for (const vendor of [...new Set(rows.map((r) => r.vendor))]) {
    for (const mechanism of MECHANISMS) {
      const these = rows.filter((r) => r.vendor === vendor && mechanismOf(r.id) === mechanism);
      if (these.length) out.push({ vendor, mechanism, rows: these });
    }
  }
  return out;
}

function titleCell(rule: Pick<RuleReport, 'id' | 'title' | 'status' | 'reading'>, reason: string, verdict: ReportVerdict | undefined): string {
  const reading = rule.status !== 'doc' && rule.reading ? `<div class="row-reading s-${rule.status}">${esc(rule.status)} reading: ${esc(rule.reading)}</div>` : '';
  const why = reason ? `<div class="reason${verdict ? ` r-${verdict}` : ''}">${esc(reason)}</div>` : '';
  return `<code class="rule-id">${esc(rule.id)}</code><div class="rule-title">${esc(rule.title)}</div>${reading}${why}`;
}

function toggle(id: string, open: boolean): string {
  return `<button type="button" class="toggle" aria-expanded="${open}" aria-controls="${id}" title="details"><span aria-hidden="true">▸</span></button>`;
}

function selectHtml(id: string, label: string, options: ReadonlyArray<[string, string]>): string {
  return `<label class="filter"><span>${esc(label)}</span><select id="${id}">${options.map(([v, t]) => `<option value="${esc(v)}">${esc(t)}</option>`).join('')}</select></label>`;
}

function filtersHtml(vendors: readonly string[], verdictCounts: Partial<Record<ReportVerdict, number>>, total: number, extra = ''): string {
  const verdictOptions: Array<[string, string]> = [['', 'all verdicts'], ['!pass', 'not passing']];
  for (const v of REPORT_VERDICTS) if (verdictCounts[v]) verdictOptions.push([v, `${VERDICT_TITLES[v]} (${verdictCounts[v]})`]);
  return `<div class="filters" role="search">
${selectHtml('f-vendor', 'Vendor', [['', 'all vendors'], ...vendors.map((v): [string, string] => [v, v])])}
${selectHtml('f-verdict', 'Verdict', verdictOptions)}
${selectHtml('f-status', 'Status', [['', 'all statuses'], ...RULE_STATUSES.map((s): [string, string] => [s, s])])}
<label class="filter grow"><span>Search</span><input id="f-text" type="search" placeholder="id, title, quote, message…" autocomplete="off"></label>
${extra}<div class="filter-actions"><span id="f-count" aria-live="polite">${total} of ${total} rules</span><button type="button" id="f-reset">Reset</button><button type="button" id="f-expand">Expand all</button><button type="button" id="f-collapse">Collapse all</button></div>
</div>`;
}

function summaryCards(summary: Summary): string {
  const cards = REPORT_VERDICTS.filter((v) => v === 'pass' || v === 'fail' || v === 'skip' || v === 'inconclusive' || summary.verdicts[v] > 0).map(
    (v) => `<button type="button" class="card v-${v}${summary.verdicts[v] === 0 ? ' zero' : ''}" data-verdict="${v}"><span class="card-n">${summary.verdicts[v]}</span><span class="card-t">${esc(VERDICT_TITLES[v])}</span></button>`,
  );
  return `<div class="cards">${cards.join('')}<div class="card total"><span class="card-n">${summary.total}</span><span class="card-t">rules · ${summary.cases} cases</span></div></div>`;
}

function byStatusTable(summary: Summary): string {
  const used = REPORT_VERDICTS.filter((v) => v === 'pass' || v === 'fail' || v === 'skip' || v === 'inconclusive' || summary.verdicts[v] > 0);
  const head = used.map((v) => `<th class="num">${esc(VERDICT_TITLES[v])}</th>`).join('');
  const rows = RULE_STATUSES.map((s) => {
    const c = summary.byStatus[s];
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    return `<tr><th>${statusBadge(s)}</th>${used.map((v) => `<td class="num${c[v] ? '' : ' muted'}">${c[v]}</td>`).join('')}<td class="num">${total}</td></tr>`;
  }).join('');
  return `<table class="by-status"><caption>Verdicts by rule status</caption><thead><tr><th>Status</th>${head}<th class="num">total</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function runInfoHtml(run: RunInfo): string {
  const items: Array<[string, string]> = [
    ['Target', `<code>${esc(run.target)}</code>`],
    ['Suite', `${esc(run.suite.name)} ${esc(run.suite.version)}`],
    ['Spec digest', `<code title="${esc(run.specDigest)}">${esc(run.specDigest.slice(0, 16))}…</code>`],
    ['Seed', `<code>${run.seed}</code>`],
    ['Runs per property', String(run.numRuns)],
    ...(run.exhaustive !== undefined ? [['Exhaustive checks', `a sample of at most ${run.exhaustive} cases each, keeping every label value and outcome (<code>--exhaustive ${run.exhaustive}</code>)`] as [string, string]] : []),
    ['Vendors', run.vendors.map((v) => `<span class="chip">${esc(v)}</span>`).join(' ') || 'all'],
    ['Rules', run.rules.map((r) => `<code>${esc(r)}</code>`).join(' ') || 'all'],
  ];
  if (run.shard) items.push(['Shard', `${run.shard.index} of ${run.shard.count}`]);
  if (run.expectations) items.push(['Expectations', `<code>${esc(run.expectations)}</code>`]);
  if (run.strict !== undefined) items.push(['Strict', run.strict ? 'yes: an inconclusive rule fails the run' : 'no']);
  if (run.interrupted) items.push(['Interrupted', `stopped before its end: ${run.interrupted.selected} rules were selected, the rest never ran`]);
  if (run.differential) items.push(['Mode', '<strong>differential</strong>: every expectation is what the reference evaluator did with the same request, not what the specs say']);
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  items.push(['Started', esc(run.startedAt)], ['Finished', `${esc(run.finishedAt)}${Number.isFinite(ms) ? ` <span class="muted">(${duration(ms)})</span>` : ''}`], ['Node', esc(run.node)]);
  items.push(['Capabilities', `<div class="chips">${run.capabilities.map((c) => `<span class="chip">${esc(c)}</span>`).join(' ')}</div>`]);
  return `<dl class="run-info">${items.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

function errorsHtml(errors: readonly string[], label = ''): string {
  if (errors.length === 0) return '';
  return `<section class="errors"><h2>Errors outside any rule${label ? ` on <code>${esc(label)}</code>` : ''}</h2><p>The run cannot conform with any of these.</p><ul>${errors.map((e) => `<li><pre class="plain">${esc(e)}</pre></li>`).join('')}</ul></section>`;
}

/** Whether a verdict's details open by default: the ones a reader came for. */
function opensByDefault(v: ReportVerdict): boolean {
  return v === 'fail' || v === 'unexpected-pass';
}

function runBody(report: RunReport): { title: string; body: string } {
  const { run, summary } = report;
  const passed = runPassed(report);
  const vendors = [...new Set(report.rules.map((r) => r.vendor))];
  const columns = 7;
  let n = 0;
  const tbodies = groups(report.rules).map((g) => {
    const rows = g.rows.map((r) => {
      const id = `d${n++}`;
      const open = opensByDefault(r.verdict);
      const reason = verdictReason(r);
      const data = `data-vendor="${esc(r.vendor)}" data-verdicts="${r.verdict}" data-status="${r.status}" data-text="${esc(searchText(r, [r.verdict, reason, r.message ?? '']))}"`;
      const row = `<tr class="rule v-${r.verdict}" ${data}><td class="tg">${toggle(id, open)}</td><td class="rule-cell">${titleCell(r, reason, r.verdict)}</td><td>${statusBadge(r.status)}</td><td>${verdictBadge(r.verdict)}</td><td class="num">${r.cases}</td><td class="outcomes">${outcomeBar(r.distribution)}</td><td class="num">${duration(r.durationMs)}</td></tr>`;
      const detail = `<tr class="detail" id="${id}"${open ? '' : ' hidden'}><td></td><td colspan="${columns - 1}">${ruleInfoHtml(r)}${resultHtml(r)}</td></tr>`;
      return row + detail;
    });
    return `<tbody class="group" data-vendor="${esc(g.vendor)}"><tr class="group-head"><th colspan="${columns}">${esc(g.vendor)} <span class="sep">·</span> ${esc(MECHANISM_TITLES[g.mechanism])} <span class="muted">${g.rows.length} rule${g.rows.length === 1 ? '' : 's'}</span></th></tr>${rows.join('')}</tbody>`;
  });
  const v = summary.verdicts;
  const body = `<header class="top">
<div class="top-text"><h1>Bucket conformance <code>${esc(run.target)}</code>${run.differential ? ' <span class="chip">differential run</span>' : ''}</h1>
<p class="sub">seed <code>${run.seed}</code> · ${run.numRuns} runs per property · specs <code>${esc(run.specDigest.slice(0, 12))}</code> · ${esc(run.suite.name)} ${esc(run.suite.version)} · Node ${esc(run.node)} · ${esc(run.startedAt)}</p></div>
<div class="banner ${passed ? 'ok' : 'bad'}">${esc(runHeadline(report))}<span>${v.pass} passed · ${v.fail} failed · ${v.skip} skipped · ${v.inconclusive} inconclusive${v['expected-fail'] ? ` · ${v['expected-fail']} expected fail` : ''}${v['unexpected-pass'] ? ` · ${v['unexpected-pass']} unexpected pass` : ''}</span></div>
</header>
<main>
<section class="summary"><h2 class="vh">Summary</h2>${summaryCards(summary)}<div class="summary-side">${byStatusTable(summary)}</div></section>
<details class="panel" open><summary>Run info</summary>${runInfoHtml(run)}</details>
${errorsHtml(report.errors)}
<section class="rules-section"><h2>Rules</h2>
${filtersHtml(vendors, summary.verdicts, report.rules.length)}
<table class="rules" id="rules"><thead><tr><th class="tg"></th><th>Rule</th><th>Status</th><th>Verdict</th><th class="num">Cases</th><th>Outcomes</th><th class="num">Time</th></tr></thead>
${tbodies.join('\n')}
<tbody class="empty" hidden><tr><td colspan="${columns}">No rule matches the filters.</td></tr></tbody>
</table></section>
</main>`;
  return { title: `Bucket conformance: ${run.target}`, body };
}

function shortTarget(name: string): string {
  return name.split('/').at(-1) ?? name;
}

function matrixBody(matrix: MatrixReport): { title: string; body: string } {
  const targets = matrix.targets;
  const columns = 3 + targets.length;
  const counts: Partial<Record<ReportVerdict, number>> = {};
  for (const row of matrix.rows) for (const v of new Set(Object.values(row.cells).map((c) => c.verdict))) counts[v] = (counts[v] ?? 0) + 1;
  let n = 0;
  const targetRows = targets
    .map((t) => {
      const whole: RunReport = { format: 'bucket-conformance/report@1', run: t.run, summary: t.summary, rules: [], errors: t.errors };
      const passed = runPassed(whole);
      const cells = REPORT_VERDICTS.map((v) => `<td class="num${t.summary.verdicts[v] ? ` c-${v}` : ' muted'}">${t.summary.verdicts[v]}</td>`).join('');
      return `<tr><th><code title="${esc(t.name)}">${esc(t.name)}</code></th><td><span class="badge ${passed ? 'v-pass' : 'v-fail'}">${esc(runHeadline(whole))}</span></td>${cells}<td class="num">${t.errors.length}</td><td class="num">${t.summary.cases}</td><td class="num"><code>${t.run.seed}</code></td><td class="num">${t.run.numRuns}</td><td class="small nowrap">${esc(t.run.startedAt)}</td></tr>`;
    })
    .join('');
  const targetTable = `<table class="targets"><thead><tr><th>Target</th><th></th>${REPORT_VERDICTS.map((v) => `<th class="num">${esc(VERDICT_TITLES[v])}</th>`).join('')}<th class="num">errors</th><th class="num">cases</th><th class="num">seed</th><th class="num">runs</th><th>started</th></tr></thead><tbody>${targetRows}</tbody></table>`;
  const tbodies = groups(matrix.rows).map((g) => {
    const rows = g.rows.map((r: MatrixRow) => {
      const id = `d${n++}`;
      const cells = targets.map((t) => r.cells[t.name]);
      const verdicts = [...new Set(cells.filter((c) => c !== undefined).map((c) => c.verdict))];
      const differs = verdicts.length > 1 || cells.some((c) => c === undefined);
      const open = verdicts.some(opensByDefault);
      const reasons = cells.flatMap((c) => (c ? [verdictReason(c)] : []));
      const data = `data-vendor="${esc(r.vendor)}" data-verdicts="${verdicts.join(' ')}" data-status="${r.status}" data-differs="${differs}" data-text="${esc(searchText(r, [...verdicts, ...reasons]))}"`;
      const tds = cells
        .map((c, i) => (c ? `<td class="cell v-${c.verdict}" title="${esc(`${targets[i]!.name}: ${VERDICT_TITLES[c.verdict]}${verdictReason(c) ? `: ${verdictReason(c)}` : ''}`)}">${esc(VERDICT_TITLES[c.verdict])}</td>` : '<td class="cell none" title="not run">—</td>'))
        .join('');
      const row = `<tr class="rule" ${data}><td class="tg">${toggle(id, open)}</td><td class="rule-cell">${titleCell(r, '', undefined)}</td><td>${statusBadge(r.status)}</td>${tds}</tr>`;
      const results = targets
        .map((t) => {
          const c = r.cells[t.name];
          if (!c) return `<section class="target-result"><h4><code>${esc(t.name)}</code> <span class="muted">not run</span></h4></section>`;
          const reason = verdictReason(c);
          return `<section class="target-result"><h4><code>${esc(t.name)}</code> ${verdictBadge(c.verdict)} <span class="muted">${c.cases} cases · ${duration(c.durationMs)}</span></h4>${reason ? `<div class="reason r-${c.verdict}">${esc(reason)}</div>` : ''}${c.verdict === 'pass' ? `<div class="outcomes-inline">${outcomeBar(c.distribution)}</div>` : resultHtml(c)}</section>`;
        })
        .join('');
      const detail = `<tr class="detail" id="${id}"${open ? '' : ' hidden'}><td></td><td colspan="${columns - 1}">${ruleInfoHtml(r)}${results}</td></tr>`;
      return row + detail;
    });
    return `<tbody class="group" data-vendor="${esc(g.vendor)}"><tr class="group-head"><th colspan="${columns}">${esc(g.vendor)} <span class="sep">·</span> ${esc(MECHANISM_TITLES[g.mechanism])} <span class="muted">${g.rows.length} rule${g.rows.length === 1 ? '' : 's'}</span></th></tr>${rows.join('')}</tbody>`;
  });
  const vendors = [...new Set(matrix.rows.map((r) => r.vendor))];
  const differs = `<label class="filter check"><input type="checkbox" id="f-differs"><span>only rules whose verdicts differ</span></label>`;
  const body = `<header class="top">
<div class="top-text"><h1>Bucket conformance matrix</h1>
<p class="sub">${targets.length} target${targets.length === 1 ? '' : 's'} · ${matrix.rows.length} rules · specs <code>${esc(matrix.specDigest.slice(0, 12))}</code> · ${esc(matrix.suite.name)} ${esc(matrix.suite.version)}</p></div>
</header>
<main>
<section class="panel-plain"><h2>Targets</h2>${targetTable}</section>
${targets.map((t) => errorsHtml(t.errors, t.name)).join('')}
<section class="rules-section"><h2>Rules × targets</h2>
${filtersHtml(vendors, counts, matrix.rows.length, differs)}
<table class="rules matrix" id="rules"><thead><tr><th class="tg"></th><th>Rule</th><th>Status</th>${targets.map((t) => `<th class="target-col" title="${esc(t.name)}"><span class="t-short">${esc(shortTarget(t.name))}</span>${shortTarget(t.name) === t.name ? '' : `<span class="t-full">${esc(t.name)}</span>`}</th>`).join('')}</tr></thead>
${tbodies.join('\n')}
<tbody class="empty" hidden><tr><td colspan="${columns}">No rule matches the filters.</td></tr></tbody>
</table></section>
</main>`;
  return { title: `Bucket conformance matrix: ${targets.map((t) => t.name).join(', ')}`, body };
}

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--soft:#f6f8fa;--bg:#fff;--accent:#0969da;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--skip:#57606a;--skip-bg:#eaeef2;
--inc:#9a6700;--inc-bg:#fff8c5;--xf:#0969da;--xf-bg:#ddf4ff;--up:#bc4c00;--up-bg:#fff1e5;
--inf:#8250df;--inf-bg:#fbefff;--amb:#bf3989;--amb-bg:#ffeff7;
--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
code,pre{font-family:var(--mono);font-size:12.5px}
h1{font-size:22px;margin:0 0 4px;font-weight:600}h1 code{font-size:20px;background:var(--soft);padding:1px 6px;border-radius:6px}
h2{font-size:17px;margin:0 0 10px;font-weight:600}
h4{margin:14px 0 6px;font-size:14px;font-weight:600}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.muted{color:var(--muted)}.small{font-size:12px}.nowrap{white-space:nowrap}
header.top{display:flex;gap:24px;align-items:center;justify-content:space-between;padding:20px 32px;border-bottom:1px solid var(--line);background:var(--soft)}
.sub{margin:0;color:var(--muted)}.sub code{color:var(--fg)}
.banner{display:flex;flex-direction:column;align-items:flex-end;font-size:18px;font-weight:700;padding:10px 16px;border-radius:8px;white-space:nowrap}
.banner span{font-size:12px;font-weight:500}
.banner.ok{color:var(--pass);background:var(--pass-bg)}.banner.bad{color:var(--fail);background:var(--fail-bg)}
main{padding:20px 32px 48px;max-width:1600px}
section{margin-bottom:24px}
.summary{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{display:flex;flex-direction:column;align-items:flex-start;min-width:108px;padding:10px 14px;border:1px solid var(--line);border-radius:8px;background:var(--bg);font:inherit;color:inherit;text-align:left}
button.card{cursor:pointer}button.card:hover{border-color:var(--accent)}
.card-n{font-size:24px;font-weight:700;line-height:1.1}.card-t{font-size:12px;color:var(--muted)}
.card.zero{opacity:.55}
.card.v-pass .card-n{color:var(--pass)}.card.v-fail .card-n{color:var(--fail)}.card.v-skip .card-n{color:var(--skip)}
.card.v-inconclusive .card-n{color:var(--inc)}.card.v-expected-fail .card-n{color:var(--xf)}.card.v-unexpected-pass .card-n{color:var(--up)}
.card.total{background:var(--soft)}
table{border-collapse:collapse}
.by-status,.targets,.checks,.dist{font-size:13px}
.by-status caption,.dist caption{text-align:left;font-size:12px;color:var(--muted);padding-bottom:4px}
.by-status th,.by-status td,.targets th,.targets td,.checks th,.checks td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left}
.by-status thead th,.targets thead th,.checks thead th{font-weight:600;color:var(--muted);font-size:12px}
.num{text-align:right!important;font-variant-numeric:tabular-nums;white-space:nowrap}
.targets td.c-fail,.targets td.c-unexpected-pass{color:var(--fail);font-weight:600}
.panel{border:1px solid var(--line);border-radius:8px;padding:8px 14px;margin-bottom:24px}
.panel>summary{cursor:pointer;font-weight:600}
dl.run-info{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:8px 24px;margin:10px 0 4px}
dl.run-info div{min-width:0}dl.run-info dt{font-size:12px;color:var(--muted)}dl.run-info dd{margin:0;overflow-wrap:anywhere}
dl.run-info div:last-child{grid-column:1/-1}
.chips{display:flex;flex-wrap:wrap;gap:4px}.chip{display:inline-block;padding:0 7px;border-radius:10px;background:var(--soft);border:1px solid var(--line);font-size:12px}
.errors{border:1px solid var(--fail);background:var(--fail-bg);border-radius:8px;padding:10px 16px}
.errors h2{color:var(--fail)}
.filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:10px 14px;align-items:flex-end;padding:10px 12px;background:var(--soft);border:1px solid var(--line);border-radius:8px 8px 0 0}
.filter{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.filter select,.filter input[type=search]{font:inherit;font-size:13px;color:var(--fg);padding:4px 6px;border:1px solid var(--line);border-radius:6px;background:var(--bg);min-width:140px}
.filter.grow{flex:1 1 220px}.filter.grow input{width:100%}
.filter.check{flex-direction:row;align-items:center;gap:6px;font-size:13px;color:var(--fg);padding-bottom:5px}
.filter-actions{display:flex;gap:8px;align-items:center;margin-left:auto;padding-bottom:2px}
#f-count{font-size:12px;color:var(--muted);margin-right:4px}
button{font:inherit;font-size:12px;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);cursor:pointer}
button:hover{border-color:var(--accent)}
table.rules{width:100%;border:1px solid var(--line);border-top:0;table-layout:auto}
table.rules>thead th{background:var(--bg);vertical-align:bottom;text-align:left;font-size:12px;color:var(--muted);font-weight:600;padding:6px 8px;border-bottom:1px solid var(--line)}
table.rules td{padding:7px 8px;vertical-align:top;border-bottom:1px solid var(--line)}
tr.group-head th{text-align:left;background:var(--soft);padding:6px 10px;font-size:13px;border-bottom:1px solid var(--line);border-top:1px solid var(--line)}
tr.group-head .sep{color:var(--muted)}
tr.rule:hover{background:#fbfcfd}
tr.rule.v-fail,tr.rule.v-unexpected-pass{background:#fff8f7}
td.tg,th.tg{width:30px;padding-right:0!important}
.toggle{border:0;background:none;padding:2px 6px;color:var(--muted);font-size:12px}
.toggle span{display:inline-block;transition:transform .12s}
.toggle[aria-expanded=true] span{transform:rotate(90deg)}
.rule-cell{min-width:320px}
.rule-id{font-weight:600;font-size:13px}
.rule-title{color:var(--fg)}
.row-reading.s-ambiguous{color:var(--amb)}
.row-reading{font-size:12px;color:var(--inf);display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;max-width:760px}
.reason{font-size:12.5px;margin-top:2px;overflow-wrap:anywhere}
.r-fail,.r-unexpected-pass{color:var(--fail)}.r-skip{color:var(--skip)}.r-inconclusive{color:var(--inc)}.r-expected-fail{color:var(--xf)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid transparent}
.v-pass.badge{color:var(--pass);background:var(--pass-bg)}.v-fail.badge{color:var(--fail);background:var(--fail-bg)}
.v-skip.badge{color:var(--skip);background:var(--skip-bg)}.v-inconclusive.badge{color:var(--inc);background:var(--inc-bg)}
.v-expected-fail.badge{color:var(--xf);background:var(--xf-bg)}.v-unexpected-pass.badge{color:var(--up);background:var(--up-bg)}
.s-doc.badge{color:var(--muted);border-color:var(--line)}
.s-inferred.badge{color:var(--inf);background:var(--inf-bg)}.s-ambiguous.badge{color:var(--amb);background:var(--amb-bg)}
.outcomes{min-width:150px}
.bar{display:flex;height:8px;width:140px;border-radius:4px;overflow:hidden;background:var(--skip-bg);margin-top:5px}
.seg{display:block;height:100%}.o-allow{background:#2da44e}.o-deny{background:#8c959f}.o-rejected{background:#8250df}.o-other{background:#d4a72c}
.bar-text{font-size:11.5px;color:var(--muted);white-space:nowrap}
tr.detail>td{background:#fcfcfd;padding:4px 16px 16px 8px}
.citation{margin:8px 0;padding:6px 12px;border-left:3px solid var(--line);color:#3b424a;max-width:1000px}
.citation p{margin:0 0 2px;font-style:italic}.citation footer{font-size:12px;color:var(--muted)}
.reading{margin:8px 0;padding:6px 12px;border-radius:6px;max-width:1000px;font-size:13px}
.reading.s-inferred{background:var(--inf-bg)}.reading.s-ambiguous{background:var(--amb-bg)}.reading.s-doc{background:var(--soft)}
.reading-label{font-weight:600;margin-right:4px}
.note{margin:8px 0;padding:6px 12px;border-radius:6px;background:var(--soft);max-width:1000px}
.note.warn{background:var(--up-bg);color:var(--up)}
.faults{margin:6px 0;padding-left:20px;color:var(--inc)}
.checks{margin:10px 0;min-width:640px}.checks .bar{margin-top:3px}
.distribution{margin:6px 0}.distribution>summary{cursor:pointer;font-size:12.5px;color:var(--accent)}
.dist-grid{display:flex;flex-wrap:wrap;gap:12px 28px;margin-top:6px}
.dist td{padding:1px 8px 1px 0}.dist .pct{width:80px}.pct-bar{display:block;height:6px;background:#8c959f;border-radius:3px;min-width:1px}
.failure{margin:12px 0 4px;border:1px solid #ffcecb;border-left:4px solid var(--fail);border-radius:8px;padding:10px 14px;background:var(--bg);max-width:1200px}
.failure-head{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.check-name{font-weight:600}.failure-msg{color:var(--fail)}
.meta{font-size:12px;color:var(--muted);margin:2px 0 8px}
.eo{display:flex;flex-wrap:wrap;gap:10px;align-items:stretch;margin:8px 0}
.eo-box{padding:6px 12px;border-radius:6px;min-width:160px}
.eo-box.expected{background:var(--pass-bg)}.eo-box.observed{background:var(--fail-bg)}
.eo-label{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.eo-value{font-family:var(--mono);font-weight:600;font-size:14px}
.eo-why{font-size:12px;color:var(--muted)}
.eo-at{align-self:center;font-size:13px}
.sequence ol{margin:4px 0 10px;padding-left:28px;font-family:var(--mono);font-size:12.5px}
.sequence li{padding:1px 4px}.sequence li.failing{background:var(--fail-bg);color:var(--fail);font-weight:600;border-radius:4px}
.part-head{font-size:12.5px;font-weight:600;margin-bottom:3px}
.case-part{margin:8px 0;border:1px solid var(--line);border-radius:6px;padding:6px 10px;background:var(--bg)}
.case-part.failing{border:2px solid var(--fail);background:#fffafa}
.flag{display:inline-block;margin-left:6px;padding:0 7px;border-radius:10px;background:var(--fail);color:#fff;font-size:11px;font-weight:600}
.observed-line{font-size:13px;color:var(--fail);margin-top:4px}
.worlds{display:grid;grid-template-columns:1fr 1fr;gap:10px}
.requests{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:0 10px}
pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
pre.json{max-height:420px;overflow:auto;background:var(--soft);padding:6px 8px;border-radius:4px}
pre.plain{background:var(--soft);padding:6px 8px;border-radius:4px}
.j-key{color:#0550ae}.j-str{color:#0a3069}.j-num{color:#953800}.j-lit{color:#cf222e}
.replay{display:flex;gap:8px;align-items:center;margin-top:10px;padding:6px 8px;background:#24292f;border-radius:6px}
.replay-label{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#afb8c1}
.replay .cmd{flex:1;color:#f6f8fa;overflow-wrap:anywhere}
.replay .copy{background:#32383f;color:#f6f8fa;border-color:#57606a}
.link{font-family:var(--mono);overflow-wrap:anywhere}
table.matrix td.cell{text-align:center;vertical-align:middle;font-size:12px;font-weight:600;white-space:nowrap;min-width:90px;border-left:1px solid var(--bg)}
td.cell.v-pass{background:var(--pass-bg);color:var(--pass)}td.cell.v-fail{background:var(--fail-bg);color:var(--fail)}
td.cell.v-skip{background:var(--skip-bg);color:var(--skip)}td.cell.v-inconclusive{background:var(--inc-bg);color:var(--inc)}
td.cell.v-expected-fail{background:var(--xf-bg);color:var(--xf)}td.cell.v-unexpected-pass{background:var(--up-bg);color:var(--up)}
td.cell.none{color:var(--muted)}
th.target-col{text-align:center!important;max-width:180px;vertical-align:bottom}
.t-short{display:block;color:var(--fg);font-family:var(--mono)}.t-full{display:block;font-weight:400;font-size:11px;overflow-wrap:anywhere}
.target-result{border-top:1px dashed var(--line);margin-top:8px;padding-top:2px}
.target-result h4{display:flex;gap:8px;align-items:center}
.outcomes-inline .bar{display:inline-flex;vertical-align:middle}
tbody.empty td{text-align:center;color:var(--muted);padding:24px}
@media print{.filters,.toggle,.copy{display:none}tr.detail[hidden]{display:table-row}}
`;

/** The page's behaviour: filters, expanding rows, copying replay commands. Reads only the DOM. */
const SCRIPT = `
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.rule'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('tbody.group'));
  var vendor = $('f-vendor'), verdict = $('f-verdict'), status = $('f-status'), text = $('f-text'), differs = $('f-differs');
  var count = $('f-count'), empty = document.querySelector('tbody.empty');
  function detailOf(row) { var b = row.querySelector('.toggle'); return b ? $(b.getAttribute('aria-controls')) : null; }
  function isOpen(row) { var b = row.querySelector('.toggle'); return !!b && b.getAttribute('aria-expanded') === 'true'; }
  function matches(row) {
    var verdicts = (row.getAttribute('data-verdicts') || '').split(' ');
    if (vendor.value && row.getAttribute('data-vendor') !== vendor.value) return false;
    if (status.value && row.getAttribute('data-status') !== status.value) return false;
    if (verdict.value === '!pass') { if (!verdicts.some(function (v) { return v !== 'pass'; })) return false; }
    else if (verdict.value && verdicts.indexOf(verdict.value) === -1) return false;
    if (differs && differs.checked && row.getAttribute('data-differs') !== 'true') return false;
    var words = text.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    var hay = row.getAttribute('data-text') || '';
    return words.every(function (w) { return hay.indexOf(w) !== -1; });
  }
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row);
      row.hidden = !ok;
      var d = detailOf(row);
      if (d) d.hidden = !ok || !isOpen(row);
      if (ok) shown++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('tr.rule:not([hidden])'); });
    if (empty) empty.hidden = shown !== 0;
    count.textContent = shown + ' of ' + rows.length + ' rules';
  }
  function setOpen(row, open) {
    var b = row.querySelector('.toggle');
    if (!b) return;
    b.setAttribute('aria-expanded', open ? 'true' : 'false');
    var d = detailOf(row);
    if (d) d.hidden = !open || row.hidden;
  }
  [vendor, verdict, status, differs].forEach(function (el) { if (el) el.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  $('f-reset').addEventListener('click', function () {
    vendor.value = ''; verdict.value = ''; status.value = ''; text.value = ''; if (differs) differs.checked = false; apply();
  });
  $('f-expand').addEventListener('click', function () { rows.forEach(function (r) { if (!r.hidden) setOpen(r, true); }); });
  $('f-collapse').addEventListener('click', function () { rows.forEach(function (r) { setOpen(r, false); }); });
  Array.prototype.forEach.call(document.querySelectorAll('button.card[data-verdict]'), function (card) {
    card.addEventListener('click', function () {
      var v = card.getAttribute('data-verdict');
      var has = Array.prototype.some.call(verdict.options, function (o) { return o.value === v; });
      verdict.value = has && verdict.value !== v ? v : '';
      apply();
      $('rules').scrollIntoView({ block: 'start' });
    });
  });
  rows.forEach(function (row) {
    row.addEventListener('click', function (e) {
      if (e.target.closest('a, input, select') || (window.getSelection && String(window.getSelection()).length)) return;
      setOpen(row, !isOpen(row));
    });
  });
  function copied(button, ok) {
    button.textContent = ok ? 'Copied' : 'Select and copy';
    setTimeout(function () { button.textContent = 'Copy'; }, 1600);
  }
  function fallbackCopy(value, button) {
    var area = document.createElement('textarea');
    area.value = value; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (err) { ok = false; }
    document.body.removeChild(area);
    copied(button, ok);
  }
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function (e) {
      e.stopPropagation();
      var value = button.getAttribute('data-copy') || '';
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(function () { copied(button, true); }, function () { fallbackCopy(value, button); });
      } else fallbackCopy(value, button);
    });
  });
  apply();
})();
`;

/** Renders `report.html` for a run, or for a matrix of runs of different targets. */
export function renderHtml(report: RunReport | MatrixReport): string {
  const { title, body } = isMatrixReport(report) ? matrixBody(report) : runBody(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="bucket-conformance">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
