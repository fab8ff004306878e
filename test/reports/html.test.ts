import { describe, expect, it } from 'vitest';
import { mechanismOf } from '../../reports/describe.ts';
import { compactJson, escapeHtml, jsonHtml, renderHtml } from '../../reports/html.ts';
import { buildReport } from '../../reports/report.ts';
import {
  allKindsReport,
  EXPECTED_FAIL,
  FAIL,
  FAIL_REPLAY,
  fixtureMatrix,
  HOSTILE,
  PASS,
  RELATION,
  RUN_INFO,
  SKIP,
  STATEFUL,
  STATEFUL_REPLAY,
  STATEFUL_SEQUENCE,
} from './fixtures.ts';

/**
 * `report.html` as text: self-contained (no URL is loaded, a CSP forbids it), everything from the
 * report escaped, a row per rule grouped by vendor and mechanism, and each failure's
 * counterexample on the page. The behaviour (filters, expanding) is tested in a real browser by
 * html-browser.test.ts.
 */

/** The text of an HTML fragment: tags dropped, entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The names of all attributes of all tags (every value is double-quoted, so a quote ends it). */
function attributeNames(html: string): Set<string> {
  const names = new Set<string>();
  for (const tag of html.matchAll(/<[a-z][a-z0-9]*((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const a of tag[1]!.matchAll(/\s([a-z-]+)(?:="[^"]*")?/g)) names.add(a[1]!);
  }
  return names;
}

function count(text: string, needle: string | RegExp): number {
  return typeof needle === 'string' ? text.split(needle).length - 1 : [...text.matchAll(needle)].length;
}

describe('mechanismOf', () => {
  it('derives the mechanism from the rule id family', () => {
    expect(mechanismOf('ALI-DENY-FIRST')).toBe('policy');
    expect(mechanismOf('ALI-VERSION.rejection')).toBe('policy');
    expect(mechanismOf('OBS-WILDCARD.action')).toBe('policy');
    expect(mechanismOf('OBS-ACL-READ')).toBe('acl');
    expect(mechanismOf('OBS-ACL-REGISTERED.iam-users')).toBe('acl');
    expect(mechanismOf('APS-NO-REVOKE')).toBe('grants');
    expect(mechanismOf('X-ORDER')).toBe('cross-vendor');
  });
});

describe('escapeHtml and jsonHtml', () => {
  it('escapes the five characters that matter in bodies and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('colours JSON tokens and keeps its text: the page shows exactly the pretty-printed value', () => {
    const value = { a: '<b>"&\'', n: -1.5e3, t: true, z: null, list: [1, 'x: y'] };
    const html = jsonHtml(value);
    expect(html).toContain('<span class="j-key">&quot;a&quot;</span>:');
    expect(html).toContain('<span class="j-num">-1500</span>');
    expect(html).toContain('<span class="j-lit">true</span>');
    expect(html).not.toContain('<b>');
    expect(textOf(html)).toBe(compactJson(value));
    expect(JSON.parse(textOf(html))).toEqual(value);
  });

  it('keeps what fits on a line on one line, and breaks larger values one member per line', () => {
    expect(compactJson({ a: [1, 2], b: { c: 'd' }, e: [], f: {} })).toBe('{ "a": [1, 2], "b": { "c": "d" }, "e": [], "f": {} }');
    const world = FAIL.checks[0]!.counterexample!.case.kind === 'expect' ? FAIL.checks[0]!.counterexample!.case.world : undefined;
    const text = compactJson(world, 60);
    expect(JSON.parse(text)).toEqual(world);
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(text).toContain('\n  "bucket": { "name": "aaa", "owner": "1000000000000000" },\n');
    expect(text).toContain('\n        "Action": ["oss:GetObject"],\n');
    expect(compactJson([{ a: 1 }, 'x'], 14)).toBe('[\n  { "a": 1 },\n  "x"\n]');
  });
});

describe('renderHtml: a run', () => {
  const report = allKindsReport();
  const html = renderHtml(report);

  it('is one self-contained page: inline style and script, a CSP that forbids loading anything', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(attributeNames(html)).not.toContain('src');
    expect(attributeNames(html)).not.toContain('href');
    expect(attributeNames(html)).toContain('data-copy');
    expect(html).not.toMatch(/url\(|@import/);
    expect(count(html, '<script>')).toBe(1);
    expect(count(html, '<style>')).toBe(1);
    expect(html.endsWith('</html>\n')).toBe(true);
  });

  it('escapes every text from the report, so that a title cannot open a tag', () => {
    expect(html).not.toContain('window.__pwned = 1</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
    expect(textOf(html)).toContain(HOSTILE.title);
    expect(textOf(html)).toContain(HOSTILE.source.quote);
    expect(textOf(html)).toContain(HOSTILE.reading);
  });

  it('names the target, the verdict of the run and the counts per verdict and per status', () => {
    expect(html).toContain('<title>Bucket conformance: ./my-adapter.ts</title>');
    expect(html).toContain('<div class="banner bad">does not conform');
    for (const [verdict, n] of Object.entries(report.summary.verdicts)) {
      expect(html).toContain(`data-verdict="${verdict}"><span class="card-n">${n}</span>`);
    }
    expect(html).toContain('Verdicts by rule status');
    expect(textOf(html)).toContain('expectations/my-adapter.yaml');
  });

  it('has one row per rule, carrying what the filters read, under a group of its vendor and mechanism', () => {
    expect(count(html, /<tr class="rule /g)).toBe(report.rules.length);
    expect(count(html, /<tr class="detail"/g)).toBe(report.rules.length);
    for (const r of report.rules) expect(html).toContain(`data-vendor="${r.vendor}" data-verdicts="${r.verdict}" data-status="${r.status}"`);
    const heads = [...html.matchAll(/<tr class="group-head"><th colspan="7">([^<]*) <span class="sep">·<\/span> ([^<]*) </g)].map((m) => `${m[1]} / ${m[2]}`);
    expect(heads).toEqual(['alibaba-oss / bucket policy', 'aps-oss / bucket grants', 'huawei-obs / bucket policy', 'huawei-obs / bucket ACL', 'huawei-obs / cross-vendor properties']);
  });

  it('shows each rule\'s citation, and flags inferred and ambiguous rules with their reading', () => {
    expect(html).toContain(`<blockquote class="citation"><p>${escapeHtml(PASS.source.quote)}</p><footer>${PASS.source.seed} · <code>specs/${PASS.file}</code></footer></blockquote>`);
    expect(html).toContain(`<span class="badge s-ambiguous"`);
    expect(html).toContain(`<div class="row-reading s-ambiguous">ambiguous reading: ${escapeHtml(SKIP.reading!)}</div>`);
    expect(html).toContain(`<div class="reading s-inferred"><span class="reading-label">inferred reading</span> ${escapeHtml(RELATION.reading!)}</div>`);
  });

  it('opens the details of failures and unexpected passes, and only those', () => {
    const open = [...html.matchAll(/aria-expanded="true" aria-controls="(d\d+)"/g)].map((m) => m[1]);
    const failing = report.rules.filter((r) => r.verdict === 'fail' || r.verdict === 'unexpected-pass');
    expect(open).toHaveLength(failing.length);
    for (const id of open) expect(html).toContain(`<tr class="detail" id="${id}"><td>`);
  });

  it('shows a failure\'s counterexample: expected and observed, the world, the failing request flagged, the replay command to copy', () => {
    expect(html).toContain('<div class="eo-label">Expected</div><div class="eo-value">deny</div>');
    expect(html).toContain('<div class="eo-label">Observed</div><div class="eo-value">allow (200)</div>');
    expect(textOf(html)).toContain(compactJson(FAIL.checks[0]!.counterexample!.case.kind === 'expect' && FAIL.checks[0]!.counterexample!.case.world));
    expect(html).toContain('request 0 <span class="muted">expected deny</span> <span class="flag">failing request</span>');
    expect(html).toContain(`<code class="cmd">${escapeHtml(FAIL_REPLAY)}</code><button type="button" class="copy" data-copy="${escapeHtml(FAIL_REPLAY)}">Copy</button>`);
    expect(html).toContain('seed <code>1234</code> · path <code>17:0:2:1</code> · 3 shrinks');
  });

  it('shows a stateful failure\'s shrunk sequence with the failing step last and marked', () => {
    const steps = STATEFUL_SEQUENCE.map((s) => escapeHtml(s.replace(/^\d+\.\s*/, '')));
    expect(html).toContain(`<ol><li>${steps[0]}</li><li class="failing">${steps[1]}</li></ol>`);
    expect(html).toContain('at <strong>step 2 of 2</strong>');
    expect(textOf(html)).toContain("target's explanation: no-grant by APS-OWNER-READS-ALL");
    expect(html).not.toMatch(/<\d/);
    expect(html).toContain(`data-copy="${escapeHtml(STATEFUL_REPLAY)}"`);
  });

  it('shows a relation\'s two worlds, and an expected failure\'s entry', () => {
    expect(html).toContain('relation <code>same-decision</code>');
    expect(html).toContain('Base world');
    expect(html).toContain('Variant world');
    expect(html).toContain(`Expectations file: known to fail: ${escapeHtml(EXPECTED_FAIL.expectation!.reason)}`);
    expect(html).toContain('Passed although the expectations file lists it as a known failure');
  });

  it('says that the world itself was at fault when no request was', () => {
    const ce = { ...FAIL.checks[0]!.counterexample!, requestIndex: -1 };
    const page = renderHtml(buildReport(RUN_INFO, [{ ...FAIL, checks: [{ ...FAIL.checks[0]!, counterexample: ce }] }]));
    expect(page).toContain('World <span class="flag">the world itself was at fault</span>');
    expect(page).not.toContain('failing request</span>');
  });

  it('lists errors outside any rule', () => {
    expect(html).toContain('Errors outside any rule');
    expect(html).toContain('suites/x.conformance.ts: cannot load `x` &amp; &lt;y&gt;');
  });

  it('has the filters: vendor, verdict (with counts), status and search', () => {
    expect(html).toContain('<select id="f-vendor"><option value="">all vendors</option><option value="alibaba-oss">alibaba-oss</option><option value="aps-oss">aps-oss</option><option value="huawei-obs">huawei-obs</option></select>');
    expect(html).toContain('<option value="!pass">not passing</option>');
    expect(html).toContain('<option value="fail">fail (4)</option>');
    expect(html).toContain('<select id="f-status">');
    expect(html).toContain('<input id="f-text" type="search"');
  });
});

describe('renderHtml: a matrix', () => {
  const matrix = fixtureMatrix();
  const html = renderHtml(matrix);

  it('has a column per target and a cell per rule and target, with a dash where a target did not run the rule', () => {
    expect(html).toContain('<title>Bucket conformance matrix: ./my-adapter.ts, reference</title>');
    expect(count(html, /<th class="target-col"/g)).toBe(2);
    expect(count(html, /<tr class="rule"/g)).toBe(matrix.rows.length);
    expect(count(html, /<td class="cell /g)).toBe(2 * matrix.rows.length);
    expect(count(html, '<td class="cell none" title="not run">—</td>')).toBe(1);
    expect(html).toContain(`data-verdicts="fail pass" data-status="doc" data-differs="true"`);
    expect(html).toContain('only rules whose verdicts differ');
  });

  it('shows each target\'s summary and each failing cell\'s counterexample with its replay command', () => {
    expect(count(html, '<span class="badge v-fail">does not conform</span>')).toBe(1);
    expect(count(html, '<span class="badge v-pass">conforms</span>')).toBe(1);
    expect(html).toContain(`data-copy="${escapeHtml(FAIL_REPLAY)}"`);
    expect(html).toContain('<h4><code>reference</code> <span class="muted">not run</span></h4>');
  });
});
