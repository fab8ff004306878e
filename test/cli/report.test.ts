import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MatrixReport } from '../../reports/matrix.ts';
import { buildReport, type RuleReport, type RunInfo, type RunReport } from '../../reports/report.ts';
import { FAIL, INCONCLUSIVE, PASS, RUN_INFO, SKIP } from '../fixtures/reports/rule-results.ts';
import { cli, tempDir } from './cli.ts';

/**
 * `report merge` and `report compare`, as child processes on reports written from the fixture
 * results: runs of two targets become a matrix, shards of one target one run; different spec
 * digests and a rule in two reports of one target are refused; compare exits 1 exactly when a
 * rule moved off pass or disappeared.
 */

const tmp = tempDir('report');
afterAll(() => tmp.remove());

function write(name: string, run: Partial<RunInfo>, rules: readonly RuleReport[] | readonly (typeof PASS)[]): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, JSON.stringify(buildReport({ ...RUN_INFO, ...run }, rules)));
  return path;
}

function read<T = RunReport>(dir: string): T {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as T;
}

describe('report merge', () => {
  it('merges runs of two targets into a matrix, in all four formats (exit 0)', async () => {
    const a = write('gateway.json', { target: './gateway.ts' }, [PASS, FAIL]);
    const b = write('reference.json', { target: 'reference' }, [PASS, { ...FAIL, verdict: 'pass' }, SKIP]);
    const out = join(tmp.dir, 'matrix');
    const run = await cli(['report', 'merge', a, b, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(`merged 2 reports into a matrix of 3 rules by 2 targets (./gateway.ts, reference); reports in ${out}\n`);
    for (const f of ['report.json', 'junit.xml', 'summary.md', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const matrix = read<MatrixReport>(out);
    expect(matrix.format).toBe('bucket-conformance/matrix@1');
    expect(matrix.targets.map((t) => t.name)).toEqual(['./gateway.ts', 'reference']);
    const row = matrix.rows.find((r) => r.id === 'ALI-DENY-FIRST')!;
    expect(Object.fromEntries(Object.entries(row.cells).map(([t, c]) => [t, c.verdict]))).toEqual({ './gateway.ts': 'fail', reference: 'pass' });
    expect(Object.keys(matrix.rows.find((r) => r.id === SKIP.id)!.cells)).toEqual(['reference']);
  });

  it('merges the shards of one target into one run', async () => {
    const s1 = write('shard-1.json', { shard: { index: 1, count: 2 } }, [PASS, FAIL]);
    const s2 = write('shard-2.json', { shard: { index: 2, count: 2 } }, [SKIP, INCONCLUSIVE]);
    const out = join(tmp.dir, 'shards');
    const run = await cli(['report', 'merge', s1, s2, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('merged 2 report(s) of target ./my-adapter.ts into one run of 4 rules (1 passed, 1 failed, 1 skipped, 1 inconclusive)');
    const merged = read(out);
    expect(merged.format).toBe('bucket-conformance/report@1');
    expect(merged.run.shard).toBeUndefined();
    expect(merged.rules.map((r) => r.id).sort()).toEqual([PASS, FAIL, SKIP, INCONCLUSIVE].map((r) => r.id).sort());
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it('refuses reports of different spec digests (exit 2)', async () => {
    const a = write('digest-a.json', { target: './gateway.ts' }, [PASS]);
    const b = write('digest-b.json', { target: 'reference', specDigest: 'f'.repeat(64) }, [PASS]);
    const run = await cli(['report', 'merge', a, b, '--out', join(tmp.dir, 'digests')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error[CONFORMANCE_INPUT]: digest-b.json: spec digest `ffffffffffff` differs from digest-a.json\'s `0123456789ab`\n');
    expect(existsSync(join(tmp.dir, 'digests'))).toBe(false);
  });

  it('refuses a rule in two reports of one target (exit 2)', async () => {
    const a = write('dup-a.json', {}, [PASS, FAIL]);
    const b = write('dup-b.json', {}, [FAIL]);
    const run = await cli(['report', 'merge', a, b, '--out', join(tmp.dir, 'dup')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error[CONFORMANCE_INPUT]: dup-b.json: rule `ALI-DENY-FIRST` (alibaba-oss) is also in dup-a.json\n');
  });

  it('refuses a missing --out, no report, and a file that is not a report (exit 2)', async () => {
    const a = write('alone.json', {}, [PASS]);
    expect((await cli(['report', 'merge', a])).stderr).toContain('report merge needs --out DIR');
    expect((await cli(['report', 'merge', '--out', tmp.dir])).code).toBe(2);
    const notJson = join(tmp.dir, 'not.json');
    writeFileSync(notJson, 'not json');
    const bad = await cli(['report', 'merge', a, notJson, '--out', join(tmp.dir, 'bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`error[CONFORMANCE_INPUT]: ${notJson}: not JSON`);
    const unknown = await cli(['report', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown report subcommand `frobnicate`; subcommands: merge, compare');
  });
});

describe('report compare', () => {
  it('exits 0 when every rule that passed still passes and none disappeared, whatever else changed', async () => {
    const base = write('base-ok.json', {}, [PASS, FAIL, SKIP]);
    const next = write('next-ok.json', {}, [PASS, { ...FAIL, verdict: 'pass' }, { ...SKIP, verdict: 'inconclusive' }, INCONCLUSIVE]);
    const run = await cli(['report', 'compare', base, next]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`no regression: the 1 rules that passed in ${base} still pass in ${next}, and no rule disappeared\n`);
  });

  it('exits 1 and lists the rules that moved off pass and those that disappeared', async () => {
    const base = write('base.json', {}, [PASS, { ...FAIL, verdict: 'pass' }, SKIP]);
    const next = write('next.json', { specDigest: 'a'.repeat(64) }, [{ ...PASS, verdict: 'inconclusive', message: 'implicit deny: inconclusive: ETIMEDOUT\nmore' }, FAIL]);
    const run = await cli(['report', 'compare', base, next]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      'note: the specs differ (digest 0123456789ab, aaaaaaaaaaaa)',
      `- ALI-COND-IP (alibaba-oss): skip -> missing (not in ${next})`,
      `- ALI-DENY-FIRST (alibaba-oss): pass -> fail: ${FAIL.message}`,
      '- ALI-IMPLICIT (alibaba-oss): pass -> inconclusive: implicit deny: inconclusive: ETIMEDOUT',
      `3 regression(s) from ${base} to ${next}: 2 rule(s) moved off pass, 1 disappeared`,
      '',
    ]);
  });

  it('refuses anything but two reports (exit 2)', async () => {
    const base = write('only.json', {}, [PASS]);
    const run = await cli(['report', 'compare', base]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('report compare takes two reports: `report compare BASE.json NEW.json`');
  });
});
