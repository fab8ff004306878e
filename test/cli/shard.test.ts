import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleReport, RunReport } from '../../reports/report.ts';
import { cli, tempDir } from './cli.ts';

/**
 * `run --shard i/n`, as child processes: the three shards of a run over the same seed are
 * disjoint and cover the selection, and `report merge` of them gives the same rules, verdicts,
 * cases and distributions, check by check, as the unsharded run.
 */

const tmp = tempDir('shard');
afterAll(() => tmp.remove());
const SELECTION = ['--vendor', 'aps-oss', '--seed', '7', '--num-runs', '20'];

function readReport(dir: string): RunReport {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
}

/** What must not depend on the machine: everything but durations and times. */
function comparable(r: RuleReport): unknown {
  const { durationMs: _d, checks, ...rest } = r;
  return { ...rest, checks: checks.map(({ durationMs: _c, ...c }) => c) };
}

describe('run --shard i/n', () => {
  let whole: RunReport;
  let shards: RunReport[];

  beforeAll(async () => {
    const runs = await Promise.all([
      cli(['run', ...SELECTION, '--out', join(tmp.dir, 'whole')]),
      ...[1, 2, 3].map((i) => cli(['run', ...SELECTION, '--shard', `${i}/3`, '--out', join(tmp.dir, `shard-${i}`)])),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    whole = readReport(join(tmp.dir, 'whole'));
    shards = [1, 2, 3].map((i) => readReport(join(tmp.dir, `shard-${i}`)));
  }, 120_000);

  it('splits the selection into disjoint shards that cover it, each saying which shard it is', () => {
    const ids = whole.rules.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(6);
    shards.forEach((s, i) => {
      expect(s.run.shard).toEqual({ index: i + 1, count: 3 });
      // Shard i holds the rules at positions i-1, i-1+3, ... of the sorted selection.
      expect(s.rules.map((r) => r.id)).toEqual(ids.filter((_, p) => p % 3 === i));
    });
  });

  it('merged, gives the same verdicts, cases and distributions as the unsharded run', async () => {
    const out = join(tmp.dir, 'merged');
    const run = await cli(['report', 'merge', ...[1, 2, 3].map((i) => join(tmp.dir, `shard-${i}`, 'report.json')), '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const merged = readReport(out);
    expect(merged.run.shard).toBeUndefined();
    expect(merged.run.seed).toBe(whole.run.seed);
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.rules.map(comparable)).toEqual(whole.rules.map(comparable));
  });

  it('refuses a shard that is not i/n with 1 <= i <= n, and one with no rule (exit 2)', async () => {
    const bad = await cli(['run', '--vendor', 'aps-oss', '--shard', '4/3', '--out', join(tmp.dir, 'bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[CONFORMANCE_USAGE]: --shard: `4/3` is not a shard `i/n` with 1 <= i <= n, such as `1/3`');
    const empty = await cli(['run', '--rules', 'ALI-VERSION', '--shard', '3/3', '--out', join(tmp.dir, 'empty')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error[CONFORMANCE_USAGE]: --shard 3/3: the selection has only 2 rule(s), so shard 3 has none; use at most 2 shards');
  });

  it('list --shard lists the rules a shard runs', async () => {
    const listed = await cli(['list', '--vendor', 'aps-oss', '--shard', '2/3', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((r) => r.id)).toEqual(shards[1]!.rules.map((r) => r.id));
  });
});
