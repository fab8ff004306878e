import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../reports/markdown.ts';
import { buildReport } from '../../reports/report.ts';
import type { RuleResult } from '../../model/result.ts';
import { ALL_RESULTS, FAIL, FAIL_PATH, FAIL_REPLAY, INCONCLUSIVE, PASS, RUN_INFO, SKIP } from '../fixtures/reports/rule-results.ts';

/**
 * `summary.md`: every rule's id, status and source; inferred and ambiguous rules flagged; every
 * failure with its counterexample, seed, path and replay command.
 */

const md = renderMarkdown(buildReport(RUN_INFO, ALL_RESULTS));

/** The text of the `## heading` section, up to the next second-level heading. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start === -1) return '';
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The table row of a rule. */
function row(text: string, id: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`| \`${id}\``));
  if (line === undefined) throw new Error(`no row for ${id}`);
  return line;
}

/** The cells of a table row, split on unescaped `|`. */
function cells(line: string): string[] {
  return line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

describe('renderMarkdown: the header', () => {
  it('names the target, the counts, the seed and the specs digest', () => {
    expect(md.startsWith('# Bucket conformance: `./my-adapter.ts`\n')).toBe(true);
    expect(md).toContain('**1 passed, 1 failed, 1 skipped, 1 inconclusive** of 4 rules; 75 cases.');
    expect(md).toContain('Seed `1234` · 50 runs per property · vendors alibaba-oss, huawei-obs · specs `0123456789ab`');
  });

  it('counts verdicts per status', () => {
    expect(md).toContain('| doc | 1 | 1 | 0 | 0 |');
    expect(md).toContain('| inferred | 0 | 0 | 0 | 1 |');
    expect(md).toContain('| ambiguous | 0 | 0 | 1 | 0 |');
  });

  it('ends with exactly one newline', () => {
    expect(md.endsWith('\n')).toBe(true);
    expect(md.endsWith('\n\n')).toBe(false);
  });
});

describe('renderMarkdown: one row per rule', () => {
  it('puts each rule under its vendor', () => {
    for (const r of [PASS, FAIL, SKIP]) expect(section(md, 'alibaba-oss')).toContain(`| \`${r.id}\``);
    expect(section(md, 'alibaba-oss')).not.toContain(`\`${INCONCLUSIVE.id}\``);
    expect(section(md, 'huawei-obs')).toContain(`| \`${INCONCLUSIVE.id}\``);
  });

  it('shows every rule\'s id, status, verdict, cases and source quote in six cells', () => {
    const expected: Array<[RuleResult, string, RegExp]> = [
      [PASS, 'doc', /^✅ pass$/],
      [FAIL, 'doc', /^❌ fail: deny beats allow: request 0: expected deny, observed allow \(200\)$/],
      [SKIP, '**ambiguous**', /^⏭️ skip: target `\.\/my-adapter\.ts` lacks request\.source-ip$/],
      [INCONCLUSIVE, '**inferred**', /^❔ inconclusive: overwrite: inconclusive: 2 case\(s\) met a fault, first: THROTTLED: slow down$/],
    ];
    for (const [r, status, verdict] of expected) {
      const c = cells(row(md, r.id));
      expect(c, r.id).toHaveLength(6);
      expect(c[0]!.startsWith(`\`${r.id}\``)).toBe(true);
      expect(c[1], r.id).toBe(status);
      expect(c[2], r.id).toMatch(verdict);
      expect(c[3], r.id).toBe(String(r.cases));
      expect(c[5]!.startsWith(`${r.source.seed.slice(0, 3)}: "`)).toBe(true);
    }
    for (const r of [PASS, SKIP, INCONCLUSIVE]) expect(row(md, r.id)).toContain(`"${r.source.quote}"`);
  });

  it('shows the outcome distribution, or a dash when nothing ran', () => {
    expect(cells(row(md, PASS.id))[4]).toBe('allow 20 · deny 30');
    expect(cells(row(md, SKIP.id))[4]).toBe('—');
  });

  it('escapes a table separator in a title so the row keeps its cells', () => {
    expect(row(md, FAIL.id)).toContain('An applicable Deny \\| blocks the request');
  });

  it('shortens a long quote in the table and gives it whole under the failure', () => {
    const cell = cells(row(md, FAIL.id))[5]!;
    expect(cell.endsWith('…"')).toBe(true);
    expect(cell.length).toBeLessThan(FAIL.source.quote.length);
    expect(FAIL.source.quote.startsWith(cell.slice('002: "'.length, -2))).toBe(true);
    expect(section(md, 'Failures')).toContain(`> ${FAIL.source.seed}: "${FAIL.source.quote}"`);
  });
});

describe('renderMarkdown: inferred and ambiguous rules', () => {
  it('flags each of them with its status and reading, and no doc rule', () => {
    const flagged = section(md, 'Inferred and ambiguous rules');
    expect(flagged).toContain(`- \`${SKIP.id}\` (**ambiguous**): ${SKIP.reading}`);
    expect(flagged).toContain(`- \`${INCONCLUSIVE.id}\` (**inferred**): ${INCONCLUSIVE.reading}`);
    expect(flagged).not.toContain(PASS.id);
    expect(flagged).not.toContain(FAIL.id);
  });

  it('has no such section when every rule is documented', () => {
    expect(renderMarkdown(buildReport(RUN_INFO, [PASS, FAIL]))).not.toContain('## Inferred and ambiguous rules');
  });
});

describe('renderMarkdown: failures', () => {
  const failures = section(md, 'Failures');

  it('lists only failing rules and failing checks', () => {
    expect(failures).toContain(`### \`${FAIL.id}\` (doc)`);
    expect(failures).toContain('**deny beats allow**: request 0: expected deny, observed allow (200)');
    expect(failures).not.toContain('the worked example');
    for (const r of [PASS, SKIP, INCONCLUSIVE]) expect(failures).not.toContain(r.id);
  });

  it('shows the counterexample as JSON that parses back to the case, request, expected and observed outcome', () => {
    const m = /```json\n([\s\S]*?)\n```/.exec(failures);
    expect(m).not.toBeNull();
    const ce = FAIL.checks[0]!.counterexample!;
    expect(JSON.parse(m![1]!)).toEqual({ case: ce.case, requestIndex: ce.requestIndex, expected: ce.expected, observed: ce.observed });
  });

  it('gives the seed, the path and the replay command', () => {
    expect(failures).toContain(`Seed \`1234\`, path \`${FAIL_PATH}\`.`);
    expect(failures).toContain(`Replay: \`${FAIL_REPLAY}\``);
  });

  it('has no failures section when nothing failed', () => {
    expect(renderMarkdown(buildReport(RUN_INFO, [PASS, SKIP, INCONCLUSIVE]))).not.toContain('## Failures');
  });
});

describe('renderMarkdown: errors', () => {
  it('lists errors outside any rule, on one line each', () => {
    const text = renderMarkdown(buildReport(RUN_INFO, [PASS], ['suites/x.conformance.ts: cannot load\nsecond line']));
    expect(section(text, 'Errors')).toContain('- suites/x.conformance.ts: cannot load second line');
    expect(md).not.toContain('## Errors');
  });
});

describe('summary.md with an expectations file', () => {
  it('counts expected failures and unexpected passes in the header and per status', async () => {
    const { EXPECTED_FAIL, UNEXPECTED_PASS } = await import('./fixtures.ts');
    const text = renderMarkdown(buildReport({ ...RUN_INFO, expectations: 'expectations.yaml' }, [PASS, EXPECTED_FAIL, UNEXPECTED_PASS]));
    expect(text).toContain('**1 passed, 0 failed, 0 skipped, 0 inconclusive, 1 failed as expected, 1 passed unexpectedly** of 3 rules');
    expect(text).toContain('| Status | pass | fail | skip | inconclusive | expected fail | unexpected pass |');
  });

  it('keeps the four verdicts alone when the run has no expectations', () => {
    expect(md).toContain('| Status | pass | fail | skip | inconclusive |\n');
  });
});
