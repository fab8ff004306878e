import { describe, expect, it } from 'vitest';
import { buildReport, REPORT_FORMAT, runPassed, summarize } from '../../reports/report.ts';
import { renderJson } from '../../reports/json.ts';
import { ALL_RESULTS, FAIL, INCONCLUSIVE, PASS, RUN_INFO, SKIP } from '../fixtures/reports/rule-results.ts';

/** The canonical report: counts, order, whether a run conforms, and its JSON text. */

describe('summarize', () => {
  it('counts verdicts overall and per rule status, and adds up the cases', () => {
    expect(summarize(ALL_RESULTS)).toEqual({
      total: 4,
      verdicts: { pass: 1, fail: 1, skip: 1, inconclusive: 1, 'expected-fail': 0, 'unexpected-pass': 0 },
      byStatus: {
        doc: { pass: 1, fail: 1, skip: 0, inconclusive: 0, 'expected-fail': 0, 'unexpected-pass': 0 },
        inferred: { pass: 0, fail: 0, skip: 0, inconclusive: 1, 'expected-fail': 0, 'unexpected-pass': 0 },
        ambiguous: { pass: 0, fail: 0, skip: 1, inconclusive: 0, 'expected-fail': 0, 'unexpected-pass': 0 },
      },
      cases: 50 + 18 + 0 + 7,
    });
  });

  it('counts nothing for no rules', () => {
    const s = summarize([]);
    expect(s.total).toBe(0);
    expect(s.cases).toBe(0);
    expect(Object.values(s.verdicts).every((n) => n === 0)).toBe(true);
  });
});

describe('buildReport', () => {
  it('stamps the format, keeps the run, and sorts the rules by vendor then id', () => {
    const report = buildReport(RUN_INFO, ALL_RESULTS);
    expect(report.format).toBe(REPORT_FORMAT);
    expect(report.format).toBe('bucket-conformance/report@1');
    expect(report.run).toEqual(RUN_INFO);
    expect(report.rules.map((r) => r.id)).toEqual(['ALI-COND-IP', 'ALI-DENY-FIRST', 'ALI-IMPLICIT', 'OBS-OVERWRITE']);
    expect(report.summary).toEqual(summarize(ALL_RESULTS));
    expect(report.errors).toEqual([]);
  });

  it('does not reorder the caller\'s list, and copies the errors', () => {
    const input = [...ALL_RESULTS];
    const errors = ['suites/alibaba-oss.conformance.ts: cannot load'];
    const report = buildReport(RUN_INFO, input, errors);
    expect(input).toEqual(ALL_RESULTS);
    errors.push('later');
    expect(report.errors).toEqual(['suites/alibaba-oss.conformance.ts: cannot load']);
  });

  it('keeps each rule result whole: id, status, source, verdict, missing capabilities and counterexample', () => {
    const report = buildReport(RUN_INFO, ALL_RESULTS);
    expect(report.rules.find((r) => r.id === SKIP.id)).toEqual(SKIP);
    expect(report.rules.find((r) => r.id === FAIL.id)?.checks[0]?.counterexample).toEqual(FAIL.checks[0]!.counterexample);
  });
});

describe('runPassed', () => {
  it('conforms with passes, skips and inconclusives only', () => {
    expect(runPassed(buildReport(RUN_INFO, [PASS, SKIP, INCONCLUSIVE]))).toBe(true);
  });

  it('does not conform with a failing rule', () => {
    expect(runPassed(buildReport(RUN_INFO, [PASS, FAIL]))).toBe(false);
  });

  it('does not conform with an error outside any rule, even when every rule passed', () => {
    expect(runPassed(buildReport(RUN_INFO, [PASS], ['unhandled error: boom']))).toBe(false);
  });
});

describe('renderJson', () => {
  it('round-trips the report and ends with a newline', () => {
    const report = buildReport(RUN_INFO, ALL_RESULTS, ['an error']);
    const text = renderJson(report);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(report);
  });

  it('is pretty-printed, two spaces deep', () => {
    const text = renderJson(buildReport(RUN_INFO, [PASS]));
    expect(text.split('\n')[1]).toBe(`  "format": "${REPORT_FORMAT}",`);
  });
});
