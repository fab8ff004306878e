import { describe, expect, it } from 'vitest';
import { isConformanceError } from '../../model/errors.ts';
import { buildMatrix, isMatrixReport, MATRIX_FORMAT, matrixColumn, mergeShards } from '../../reports/matrix.ts';
import { buildReport, type RuleReport, type RunInfo, type RunReport } from '../../reports/report.ts';
import { allKindsReport, otherTargetReport, RELATION, STATEFUL } from './fixtures.ts';

/**
 * Merging reports: shards of one target back into one run, and runs of different targets into a
 * matrix; both refuse inputs that do not belong together, with a CONFORMANCE_INPUT error that
 * names the report at fault.
 */

/** The error `fn` throws, checked to be a CONFORMANCE_INPUT ConformanceError. */
function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isConformanceError(error), String(error)).toBe(true);
    expect((error as { code: string }).code).toBe('CONFORMANCE_INPUT');
    return (error as Error).message;
  }
  throw new Error('expected a ConformanceError, nothing was thrown');
}

/** Splits a report into `count` shards, rule i going to shard i mod count, each with its own times. */
function shardsOf(report: RunReport, count: number): RunReport[] {
  return Array.from({ length: count }, (_, i) => {
    const rules = report.rules.filter((_r, j) => j % count === i);
    const run: RunInfo = {
      ...report.run,
      shard: { index: i + 1, count },
      startedAt: `2026-01-02T03:04:0${5 + i}.000Z`,
      finishedAt: `2026-01-02T03:05:0${i}.000Z`,
    };
    return buildReport(run, rules, i === 1 ? ['shard two: an error'] : []);
  });
}

function withRun(report: RunReport, run: Partial<RunInfo>): RunReport {
  return { ...report, run: { ...report.run, ...run } };
}

describe('mergeShards', () => {
  const whole = allKindsReport();

  it('gives back the unsharded run: same rules, same summary, no shard, the earliest start and the latest end', () => {
    const shards = shardsOf({ ...whole, errors: [] }, 3);
    expect(shards.map((s) => s.rules.length)).toEqual([4, 3, 3]);
    const merged = mergeShards([shards[2]!, shards[0]!, shards[1]!]);
    expect(merged.rules).toEqual(whole.rules);
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.errors).toEqual(['shard two: an error']);
    const { startedAt, finishedAt, ...run } = merged.run;
    const { startedAt: _s, finishedAt: _f, ...expected } = whole.run;
    expect(run).toEqual(expected);
    expect(merged.run.shard).toBeUndefined();
    expect(startedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(finishedAt).toBe('2026-01-02T03:05:02.000Z');
  });

  it('keeps rules of the same id under different vendors apart', () => {
    const obs = whole.rules.find((r) => r.id === RELATION.id)!;
    const ali: RuleReport = { ...obs, vendor: 'alibaba-oss' };
    const merged = mergeShards([buildReport(whole.run, [obs]), buildReport(whole.run, [ali])]);
    expect(merged.rules.map((r) => `${r.vendor}/${r.id}`)).toEqual(['alibaba-oss/X-ORDER', 'huawei-obs/X-ORDER']);
  });

  it('merges unsharded runs of disjoint rule selections, with the union of their globs, vendors and capabilities', () => {
    const a = buildReport({ ...whole.run, rules: ['ALI-*'], vendors: ['alibaba-oss'], capabilities: ['policy'] }, whole.rules.filter((r) => r.vendor === 'alibaba-oss'));
    const b = buildReport({ ...whole.run, rules: ['APS-*', 'OBS-*'], vendors: ['aps-oss', 'huawei-obs'], capabilities: ['policy', 'acl'], strict: true }, whole.rules.filter((r) => r.vendor !== 'alibaba-oss'));
    const merged = mergeShards([a, b]);
    expect(merged.rules).toEqual(whole.rules);
    expect(merged.run.rules).toEqual(['ALI-*', 'APS-*', 'OBS-*']);
    expect(merged.run.vendors).toEqual(['alibaba-oss', 'aps-oss', 'huawei-obs']);
    expect(merged.run.capabilities).toEqual(['policy', 'acl']);
    expect(merged.run.strict).toBe(true);
  });

  it('refuses no report, and reports of another target, spec digest, seed, number of runs, suite or expectations file', () => {
    const [a, b] = shardsOf(whole, 2) as [RunReport, RunReport];
    const names = { names: ['a.json', 'b.json'] };
    expect(inputError(() => mergeShards([]))).toBe('no report to merge');
    expect(inputError(() => mergeShards([a, withRun(b, { target: 'other' })], names))).toBe("b.json: target `other` differs from a.json's `./my-adapter.ts`");
    expect(inputError(() => mergeShards([a, withRun(b, { specDigest: 'f'.repeat(64) })], names))).toBe("b.json: spec digest `ffffffffffff` differs from a.json's `0123456789ab`");
    expect(inputError(() => mergeShards([a, withRun(b, { seed: 7 })]))).toBe("report 2: seed of target `./my-adapter.ts` `7` differs from report 1's `1234`");
    expect(inputError(() => mergeShards([a, withRun(b, { numRuns: 7 })]))).toMatch(/^report 2: number of runs `7` differs/);
    expect(inputError(() => mergeShards([a, withRun(b, { suite: { name: 'bucket-conformance', version: '9.9.9' } })]))).toMatch(/^report 2: suite `bucket-conformance 9\.9\.9` differs/);
    expect(inputError(() => mergeShards([a, withRun(b, { expectations: 'other.yaml' })]))).toMatch(/^report 2: expectations file `other\.yaml` differs/);
  });

  it('refuses a differential run with a conformance run, and keeps the differential label', () => {
    const [a, b] = shardsOf(whole, 2) as [RunReport, RunReport];
    expect(inputError(() => mergeShards([a, withRun(b, { differential: true })]))).toBe("report 2: mode `differential` differs from report 1's `conformance`");
    expect(mergeShards([withRun(a, { differential: true }), withRun(b, { differential: true })]).run.differential).toBe(true);
    expect(mergeShards([a, b]).run.differential).toBeUndefined();
  });

  it('leaves a merge of an interrupted shard interrupted, counting the rules every shard selected', () => {
    const [a, b] = shardsOf(whole, 2) as [RunReport, RunReport];
    const merged = mergeShards([a, withRun(b, { interrupted: { selected: 9 } })]);
    expect(merged.run.interrupted).toEqual({ selected: a.rules.length + 9 });
    expect(mergeShards([a, b]).run.interrupted).toBeUndefined();
  });

  it('refuses a rule in two reports, naming both', () => {
    const a = buildReport(whole.run, [STATEFUL]);
    expect(inputError(() => mergeShards([a, a], { names: ['a.json', 'b.json'] }))).toBe('b.json: rule `APS-NO-REVOKE` (aps-oss) is also in a.json');
  });

  it('refuses a shard given twice, a missing shard, shards of different splits, and shards with an unsharded run', () => {
    const [a, b, c] = shardsOf(whole, 3) as [RunReport, RunReport, RunReport];
    expect(inputError(() => mergeShards([a, b, withRun(c, { shard: { index: 2, count: 3 } })]))).toBe('report 3: shard 2/3 is also report 2');
    expect(inputError(() => mergeShards([a, c]))).toBe('shards of target `./my-adapter.ts`: 2 of 3 given (1/3, 3/3); merge all 3 shards');
    expect(inputError(() => mergeShards([a, b, withRun(c, { shard: { index: 3, count: 4 } })]))).toMatch(/^report 3: shard count `4` differs from report 1's `3`/);
    const { shard: _s, ...unsharded } = c.run;
    expect(inputError(() => mergeShards([a, b, { ...c, run: unsharded }]))).toBe('report 3: an unsharded run cannot be merged with shards (report 1 is shard 1/3)');
  });
});

describe('buildMatrix', () => {
  const faulty = allKindsReport();
  const reference = otherTargetReport();

  it('has a row per rule (vendor and id) and a column per target, in the order given', () => {
    const m = buildMatrix([faulty, reference]);
    expect(m.format).toBe(MATRIX_FORMAT);
    expect(isMatrixReport(m)).toBe(true);
    expect(isMatrixReport(faulty)).toBe(false);
    expect(m.specDigest).toBe(faulty.run.specDigest);
    expect(m.suite).toEqual(faulty.run.suite);
    expect(m.targets.map((t) => t.name)).toEqual(['./my-adapter.ts', 'reference']);
    expect(m.targets[0]!.summary).toEqual(faulty.summary);
    expect(m.targets[0]!.errors).toEqual(faulty.errors);
    expect(m.rows.map((r) => `${r.vendor}/${r.id}`)).toEqual(faulty.rules.map((r) => `${r.vendor}/${r.id}`));
    const deny = m.rows.find((r) => r.id === 'ALI-DENY-FIRST')!;
    expect(deny.cells['./my-adapter.ts']!.verdict).toBe('fail');
    expect(deny.cells['reference']!.verdict).toBe('pass');
    expect(deny.cells['./my-adapter.ts']!.checks[0]!.counterexample).toBeDefined();
  });

  it('leaves out the cell of a target that did not run the rule', () => {
    const row = buildMatrix([faulty, reference]).rows.find((r) => r.id === STATEFUL.id)!;
    expect(Object.keys(row.cells)).toEqual(['./my-adapter.ts']);
  });

  it('gives back each target\'s report as a column', () => {
    const m = buildMatrix([faulty, reference]);
    expect(matrixColumn(m, m.targets[0]!)).toEqual(faulty);
    expect(matrixColumn(m, m.targets[1]!)).toEqual(reference);
  });

  it('merges the shards of a target into one column', () => {
    const m = buildMatrix([...shardsOf({ ...faulty, errors: [] }, 2), reference]);
    expect(m.targets.map((t) => t.name)).toEqual(['./my-adapter.ts', 'reference']);
    expect(m.targets[0]!.summary).toEqual(faulty.summary);
    expect(m.targets[0]!.run.shard).toBeUndefined();
  });

  it('refuses runs of different spec digests, no run, and two whole runs of one target', () => {
    expect(inputError(() => buildMatrix([faulty, withRun(reference, { specDigest: 'a'.repeat(64) })], { names: ['x.json', 'y.json'] }))).toBe(
      "y.json: spec digest `aaaaaaaaaaaa` differs from x.json's `0123456789ab`",
    );
    expect(inputError(() => buildMatrix([]))).toBe('no report to merge');
    expect(inputError(() => buildMatrix([reference, faulty, reference], { names: ['r1.json', 'f.json', 'r2.json'] }))).toBe('r2.json: rule `ALI-COND-IP` (alibaba-oss) is also in r1.json');
  });
});
