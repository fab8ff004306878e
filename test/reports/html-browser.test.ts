import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { mechanismOf } from '../../reports/describe.ts';
import { writeMatrix, writeReports } from '../../reports/index.ts';
import { renderJunit } from '../../reports/junit.ts';
import { allKindsReport, AMBIGUOUS, EXPECTED_FAIL, FAIL, FAIL_REPLAY, fixtureMatrix, HOSTILE, RELATION, SKIP, STATEFUL, STATEFUL_SEQUENCE } from './fixtures.ts';

/**
 * `report.html` in a real headless Chromium (Debian's `chromium` package, driven by
 * playwright-core): the page loads with no console error and no request, its rows render, the
 * filters hide and show rows, a failure's counterexample is visible, and screenshots of the run
 * and matrix pages are left in out/browser-test/ for a person to look at.
 *
 * Without a Chromium this test fails, saying how to install one: it never passes silently. Set
 * BUCKET_CONFORMANCE_NO_BROWSER=1 to skip it instead (a machine that cannot have a browser), and
 * BUCKET_CONFORMANCE_CHROMIUM=/path/to/chromium to use another binary.
 */

const NO_BROWSER = process.env['BUCKET_CONFORMANCE_NO_BROWSER'] === '1';
const SKIP_REASON = 'BUCKET_CONFORMANCE_NO_BROWSER=1: the report.html browser test is skipped';
const OUT = join(import.meta.dirname, '..', '..', 'out', 'browser-test');

/** The Chromium to drive: $BUCKET_CONFORMANCE_CHROMIUM, `chromium` on the PATH, or Debian's /usr/bin/chromium. */
function findChromium(): string | undefined {
  const given = process.env['BUCKET_CONFORMANCE_CHROMIUM'];
  if (given) {
    if (!existsSync(given)) throw new Error(`BUCKET_CONFORMANCE_CHROMIUM=${given}: no such file`);
    return given;
  }
  const which = spawnSync('which', ['chromium'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  if (onPath) return onPath;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

let browser: Browser | undefined;
const report = allKindsReport();
const matrix = fixtureMatrix();
let runPage: Page;
let matrixPage: Page;
/** What went wrong on a page: console errors and warnings, uncaught exceptions, requests leaving the file. */
const problems: string[] = [];

async function open(file: string): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${file}: console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${file}: uncaught: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`${file}: dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`${file}: request to ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return page;
}

beforeAll(async () => {
  if (NO_BROWSER) return;
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(
      'no Chromium found for the report.html browser test: install Debian\'s chromium (`apt-get install -y chromium`; .ci/run does), ' +
        'or set BUCKET_CONFORMANCE_CHROMIUM to a Chromium binary, or set BUCKET_CONFORMANCE_NO_BROWSER=1 to skip this test',
    );
  }
  browser = await chromium.launch({ executablePath });
  const run = writeReports(join(OUT, 'run'), report);
  const m = writeMatrix(join(OUT, 'matrix'), matrix);
  runPage = await open(run.html);
  matrixPage = await open(m.html);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Skips the test when BUCKET_CONFORMANCE_NO_BROWSER=1, with that reason. */
function needsBrowser(ctx: TestContext): void {
  if (NO_BROWSER) ctx.skip(SKIP_REASON);
  if (!browser) throw new Error('the browser did not start (see the error of beforeAll)');
}

/** What the page's script sets on a row it hides (the test's tsconfig has no DOM types). */
interface Shown {
  hidden: boolean;
  offsetParent: unknown;
}

/** The ids of the rule rows shown (`vendor/id`), in page order. */
function shownRules(page: Page): Promise<string[]> {
  return page.$$eval('tr.rule', (rows) =>
    rows.filter((r) => !(r as unknown as Shown).hidden && (r as unknown as Shown).offsetParent !== null).map((r) => `${r.getAttribute('data-vendor')}/${r.querySelector('.rule-id')!.textContent}`),
  );
}

/** The rule row of `id` (and vendor, ids repeating across vendors). */
function ruleRow(page: Page, id: string, vendor: string) {
  return page.locator(`tr.rule[data-vendor="${vendor}"]`).filter({ has: page.locator('.rule-id', { hasText: new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

async function reset(page: Page): Promise<void> {
  await page.click('#f-reset');
}

/** The rows of the page in its order: by vendor, then by mechanism (policy, ACL, grants, cross-vendor), then by id. */
const MECHANISM_ORDER = ['policy', 'acl', 'grants', 'cross-vendor'];
function pageOrder<T extends { vendor: string; id: string }>(rules: readonly T[]): string[] {
  const vendors = [...new Set(rules.map((r) => r.vendor))];
  return [...rules]
    .sort((a, b) => vendors.indexOf(a.vendor) - vendors.indexOf(b.vendor) || MECHANISM_ORDER.indexOf(mechanismOf(a.id)) - MECHANISM_ORDER.indexOf(mechanismOf(b.id)) || a.id.localeCompare(b.id))
    .map((r) => `${r.vendor}/${r.id}`);
}
const all = pageOrder(report.rules);

describe('report.html of a run, in Chromium', () => {
  it('loads with no console error, no uncaught exception, no dialog and no request', (ctx) => {
    needsBrowser(ctx);
    expect(problems).toEqual([]);
  });

  it('renders a row per rule under vendor and mechanism groups, and the counts', async (ctx) => {
    needsBrowser(ctx);
    expect(await shownRules(runPage)).toEqual(all);
    const heads = await runPage.$$eval('tr.group-head th', (ths) => ths.map((t) => (t.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(heads).toEqual([
      'alibaba-oss · bucket policy 6 rules',
      'aps-oss · bucket grants 1 rule',
      'huawei-obs · bucket policy 1 rule',
      'huawei-obs · bucket ACL 1 rule',
      'huawei-obs · cross-vendor properties 1 rule',
    ]);
    expect(await runPage.textContent('#f-count')).toBe(`${all.length} of ${all.length} rules`);
    expect(await runPage.textContent('.banner')).toContain('does not conform');
    expect(await runPage.textContent('button.card[data-verdict="fail"] .card-n')).toBe(String(report.summary.verdicts.fail));
  });

  it('filters by verdict, vendor, status and text, hides empty groups, and resets', async (ctx) => {
    needsBrowser(ctx);
    await runPage.selectOption('#f-verdict', 'fail');
    const failing = pageOrder(report.rules.filter((r) => r.verdict === 'fail'));
    expect(await shownRules(runPage)).toEqual(failing);
    expect(await runPage.textContent('#f-count')).toBe(`${failing.length} of ${all.length} rules`);

    await runPage.selectOption('#f-vendor', 'huawei-obs');
    expect(await shownRules(runPage)).toEqual([`huawei-obs/${RELATION.id}`]);
    expect(await runPage.locator('tbody.group[data-vendor="alibaba-oss"]').isHidden()).toBe(true);

    await reset(runPage);
    await runPage.selectOption('#f-status', 'ambiguous');
    expect(await shownRules(runPage)).toEqual([`alibaba-oss/${SKIP.id}`, `huawei-obs/${AMBIGUOUS.id}`]);

    await reset(runPage);
    await runPage.selectOption('#f-verdict', '!pass');
    expect(await shownRules(runPage)).toEqual(pageOrder(report.rules.filter((r) => r.verdict !== 'pass')));

    await reset(runPage);
    await runPage.fill('#f-text', 'revoke grants');
    expect(await shownRules(runPage)).toEqual([`aps-oss/${STATEFUL.id}`]);
    await runPage.fill('#f-text', 'no such rule anywhere');
    expect(await shownRules(runPage)).toEqual([]);
    expect(await runPage.locator('tbody.empty').isVisible()).toBe(true);

    await reset(runPage);
    expect(await shownRules(runPage)).toEqual(all);
    expect(await runPage.locator('tbody.empty').isHidden()).toBe(true);

    await runPage.click('button.card[data-verdict="expected-fail"]');
    expect(await shownRules(runPage)).toEqual([`alibaba-oss/${EXPECTED_FAIL.id}`]);
    await reset(runPage);
    expect(problems).toEqual([]);
  });

  it('shows a failure\'s counterexample at once: expected and observed, the world, the failing request, the replay command', async (ctx) => {
    needsBrowser(ctx);
    const detail = runPage.locator(`#${await ruleRow(runPage, FAIL.id, 'alibaba-oss').locator('.toggle').getAttribute('aria-controls')}`);
    expect(await detail.isVisible()).toBe(true);
    const failure = detail.locator('.failure');
    expect(await failure.locator('.eo-box.expected').innerText()).toMatch(/expected\s+deny/i);
    expect(await failure.locator('.eo-box.observed').innerText()).toMatch(/observed\s+allow \(200\)/i);
    expect(await failure.locator('.case-part', { hasText: 'World' }).locator('pre').innerText()).toContain('"Effect": "Deny"');
    const failing = failure.locator('.case-part.failing');
    expect(await failing.isVisible()).toBe(true);
    expect(await failing.innerText()).toContain('failing request');
    expect(await failure.locator('.replay .cmd').innerText()).toBe(FAIL_REPLAY);
    expect(await failure.locator('.replay .cmd').isVisible()).toBe(true);
  });

  it('shows a stateful failure\'s shrunk sequence, the failing step marked', async (ctx) => {
    needsBrowser(ctx);
    const row = ruleRow(runPage, STATEFUL.id, 'aps-oss');
    const detail = runPage.locator(`#${await row.locator('.toggle').getAttribute('aria-controls')}`);
    const steps = detail.locator('.sequence li');
    expect(await steps.allTextContents()).toEqual(STATEFUL_SEQUENCE.map((s) => s.replace(/^\d+\.\s*/, '')));
    expect(await detail.locator('.sequence li.failing').textContent()).toBe(STATEFUL_SEQUENCE[1]!.replace(/^\d+\.\s*/, ''));
    expect(await detail.locator('.sequence li.failing').isVisible()).toBe(true);
  });

  it('expands and collapses a rule\'s details, by its toggle, by its row, and all at once', async (ctx) => {
    needsBrowser(ctx);
    const row = ruleRow(runPage, SKIP.id, 'alibaba-oss');
    const detail = runPage.locator(`#${await row.locator('.toggle').getAttribute('aria-controls')}`);
    expect(await detail.isHidden()).toBe(true);
    await row.locator('.toggle').click();
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.innerText()).toContain(SKIP.source.quote);
    expect(await detail.innerText()).toContain('request.source-ip');
    await row.locator('.rule-title').click();
    expect(await detail.isHidden()).toBe(true);
    await runPage.click('#f-collapse');
    expect(await runPage.locator('tr.detail:visible').count()).toBe(0);
    await runPage.click('#f-expand');
    expect(await runPage.locator('tr.detail:visible').count()).toBe(all.length);
    await runPage.click('#f-collapse');
    await ruleRow(runPage, FAIL.id, 'alibaba-oss').locator('.toggle').click();
    await ruleRow(runPage, STATEFUL.id, 'aps-oss').locator('.toggle').click();
  });

  it('copies a replay command with its button, without an error', async (ctx) => {
    needsBrowser(ctx);
    const button = ruleRow(runPage, FAIL.id, 'alibaba-oss').locator('xpath=following-sibling::tr[1]').locator('button.copy');
    await button.click();
    await expect.poll(() => button.innerText(), { timeout: 1000 }).toMatch(/^(Copied|Select and copy)$/);
    expect(problems).toEqual([]);
  });

  it('runs nothing from the report\'s text: the hostile title is shown as text', async (ctx) => {
    needsBrowser(ctx);
    expect(await runPage.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await runPage.locator('img').count()).toBe(0);
    expect(await ruleRow(runPage, HOSTILE.id, 'alibaba-oss').locator('.rule-title').textContent()).toBe(HOSTILE.title);
  });

  it('leaves a screenshot of the page', async (ctx) => {
    needsBrowser(ctx);
    const path = join(OUT, 'report-html.png');
    mkdirSync(OUT, { recursive: true });
    // From the top, so that the sticky filter bar sits above the table.
    await runPage.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await runPage.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });
});

describe('report.html of a matrix, in Chromium', () => {
  it('renders rules as rows and targets as columns, a cell per verdict, with no error', async (ctx) => {
    needsBrowser(ctx);
    const heads = await matrixPage.$$eval('th.target-col', (ths) => ths.map((t) => t.getAttribute('title')));
    expect(heads).toEqual(['./my-adapter.ts', 'reference']);
    expect(await shownRules(matrixPage)).toEqual(pageOrder(matrix.rows));
    const cells = await ruleRow(matrixPage, FAIL.id, 'alibaba-oss').locator('td.cell').allInnerTexts();
    expect(cells).toEqual(['fail', 'pass']);
    expect(await ruleRow(matrixPage, STATEFUL.id, 'aps-oss').locator('td.cell').allInnerTexts()).toEqual(['fail', '—']);
    expect(problems).toEqual([]);
  });

  it('filters rows by a verdict in any column, and to the rules whose verdicts differ', async (ctx) => {
    needsBrowser(ctx);
    await matrixPage.selectOption('#f-verdict', 'skip');
    expect(await shownRules(matrixPage)).toEqual([`alibaba-oss/${SKIP.id}`]);
    await reset(matrixPage);
    await matrixPage.check('#f-differs');
    const differ = matrix.rows.filter((r) => new Set(Object.values(r.cells).map((c) => c.verdict)).size > 1 || Object.keys(r.cells).length < 2);
    expect(await shownRules(matrixPage)).toEqual(pageOrder(differ));
    expect(differ.length).toBeLessThan(matrix.rows.length);
    await reset(matrixPage);
    expect(await matrixPage.isChecked('#f-differs')).toBe(false);
  });

  it('shows a failing cell\'s counterexample in the row\'s details', async (ctx) => {
    needsBrowser(ctx);
    const row = ruleRow(matrixPage, FAIL.id, 'alibaba-oss');
    const detail = matrixPage.locator(`#${await row.locator('.toggle').getAttribute('aria-controls')}`);
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.locator('.failure .replay .cmd').innerText()).toBe(FAIL_REPLAY);
    expect(await detail.locator('.target-result').count()).toBe(2);
  });

  it('leaves a screenshot of the page', async (ctx) => {
    needsBrowser(ctx);
    const path = join(OUT, 'report-html-matrix.png');
    await matrixPage.screenshot({ path, fullPage: false });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });
});

describe('junit.xml, in Chromium\'s XML parser', () => {
  it('is well-formed XML with a testcase per rule', async (ctx) => {
    needsBrowser(ctx);
    const parsed = await runPage.evaluate((xml) => {
      const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(text: string, type: string): { getElementsByTagName(name: string): { length: number } } } };
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      return { errors: doc.getElementsByTagName('parsererror').length, cases: doc.getElementsByTagName('testcase').length };
    }, renderJunit(report));
    expect(parsed).toEqual({ errors: 0, cases: report.rules.length + report.errors.length });
  });
});
