import * as fc from 'fast-check';
import type { ConformanceCase } from '../model/case.ts';

/**
 * The sample of an exhaustive check that a budgeted run sends (`--exhaustive N`): the cases are
 * drawn in a seeded order, and a case is taken first when it brings a label value or an expected
 * outcome that no case taken before had, so that the sample reaches everything the whole
 * enumeration reaches; then the order fills it up to `max`. Indexes are those of the whole
 * enumeration (what `--path` replays), in ascending order.
 */
export function sampleExhaustive(cases: readonly ConformanceCase[], max: number, seed: number): number[] {
  if (cases.length <= max) return cases.map((_c, i) => i);
  const order = shuffled(cases.length, seed);
  const taken = new Set<number>();
  const reached = new Set<string>();
  for (const i of order) {
    const keys = plannedLabels(cases[i]!);
    if (keys.some((k) => !reached.has(k))) {
      taken.add(i);
      for (const k of keys) reached.add(k);
    }
  }
  for (const i of order) {
    if (taken.size >= max) break;
    taken.add(i);
  }
  return [...taken].sort((a, b) => a - b);
}

/** `label=value` for every label a case is known to count before it runs, and `outcome=` each expected decision. */
export function plannedLabels(c: ConformanceCase): string[] {
  const keys = Object.entries(c.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (c.kind === 'expect') {
    if (c.expectWorld) keys.push(`outcome=${c.expectWorld.decision}`);
    for (const r of c.requests) {
      keys.push(`outcome=${r.expect.decision}`);
      for (const [k, v] of Object.entries(r.labels ?? {})) keys.push(`${k}=${v}`);
    }
  }
  return keys;
}

/** 0 .. n-1 in an order fixed by `seed` (fast-check's shuffle, so the same seed gives the same sample). */
function shuffled(n: number, seed: number): number[] {
  const indexes = Array.from({ length: n }, (_v, i) => i);
  return fc.sample(fc.shuffledSubarray(indexes, { minLength: n, maxLength: n }), { seed, numRuns: 1 })[0]!;
}
