import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AliRequest } from '../../model/alibaba-oss/types.ts';
import type { ConformanceCase, SequenceCase, SequenceStep, StepDriver } from '../../model/case.ts';
import { isConformanceError } from '../../model/errors.ts';
import type { Observation } from '../../model/outcome.ts';
import type { World } from '../../model/world.ts';
import { runRule, type RunOptions } from '../../suites/runner.ts';
import type { ExhaustiveProperty, GeneratedProperty, PropertyDefinition } from '../../suites/properties/types.ts';
import { fakeAdapter, fakeRule, propertyCheck } from './fakes.ts';

/**
 * Stateful (sequence) cases and exhaustive properties in the runner, with fake targets whose
 * faults are known: the failing step is reported with the shrunk sequence and a replay command
 * that reproduces it; a fault mid-sequence is inconclusive; an exhaustive property stops at its
 * first failing case and replays it by index.
 */

const WORLD: World = { vendor: 'alibaba-oss', bucket: { name: 'counter-bucket', owner: '1746495857600001' } };
const OWNER = '1746495857600001';

/** The model: how many objects were put. */
interface Count {
  puts: number;
}

/** Put: always allowed; the model counts it. */
class Put implements SequenceStep<Count> {
  check(): boolean {
    return true;
  }
  async run(m: Count, driver: StepDriver): Promise<void> {
    await driver.send({ name: 'put', request: { principal: OWNER, action: 'oss:PutObject', object: 'x' }, expect: { decision: 'allow' }, labels: { step: 'put' } });
    m.puts++;
  }
  toString(): string {
    return 'Put';
  }
}

/** Read: allowed once something was put, denied before (by the fake's rules). */
class Read implements SequenceStep<Count> {
  check(): boolean {
    return true;
  }
  async run(m: Count, driver: StepDriver): Promise<void> {
    await driver.send({ name: 'read', request: { principal: OWNER, action: 'oss:GetObject', object: 'x' }, expect: { decision: m.puts > 0 ? 'allow' : 'deny' }, labels: { step: 'read' } });
  }
  toString(): string {
    return 'Read';
  }
}

const COUNTER: GeneratedProperty = {
  name: 'fake-counter-sequence',
  vendor: 'alibaba-oss',
  description: 'Puts and reads; a read is allowed once something was put.',
  params: { type: 'object', properties: {} },
  labels: { outcome: ['allow', 'deny'], step: ['put', 'read'] },
  cases: (_params, env) =>
    fc.commands([fc.constant(new Put()), fc.constant(new Read())], { maxCommands: 20, ...(env.replayPath ? { replayPath: env.replayPath } : {}) }).map(
      (steps): SequenceCase<Count> => ({ kind: 'sequence', world: WORLD, model: () => ({ puts: 0 }), steps: steps as Iterable<SequenceStep<Count>> }),
    ),
};

/** A counting target; `forgetAt` makes it lose its objects at that put (a stateful fault). */
function counterTarget(forgetAt = Infinity, fault?: Observation) {
  let puts = 0;
  return fakeAdapter({
    prepare: () => {
      puts = 0;
      return { kind: 'ready' };
    },
    observe: (_w, r) => {
      const action = (r as AliRequest).action;
      if (action === 'oss:PutObject') {
        puts++;
        if (puts === forgetAt) puts = 0;
        if (fault && puts === 2) return fault;
        return { kind: 'decided', decision: 'allow' };
      }
      return { kind: 'decided', decision: puts > 0 ? 'allow' : 'deny' };
    },
  });
}

const PROPERTIES: ReadonlyMap<string, PropertyDefinition> = new Map<string, PropertyDefinition>([[COUNTER.name, COUNTER]]);
const OPTIONS: RunOptions = { seed: 7, numRuns: 100, targetName: 'fake' };
const sequenceCheck = propertyCheck('puts then reads', COUNTER.name, ['allow', 'deny'], { step: ['put', 'read'] });

describe('sequence cases', () => {
  it('pass against a target that behaves as the model says, counting every step', async () => {
    const result = await runRule(fakeRule([sequenceCheck]), counterTarget(), PROPERTIES, OPTIONS);
    expect(result.verdict, result.message).toBe('pass');
    expect(result.checks[0]!.distribution['step']!['put']).toBeGreaterThan(0);
    expect(result.checks[0]!.distribution['outcome']!['deny']).toBeGreaterThan(0);
  });

  it('fail at the first wrong step, shrunk to the shortest sequence, printed step by step', async () => {
    // The target forgets its objects at the 3rd put: the shortest failure is put, put, put, read.
    const result = await runRule(fakeRule([sequenceCheck]), counterTarget(3), PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
    const check = result.checks[0]!;
    const ce = check.counterexample!;
    expect(ce.sequence).toEqual(['1. put -> expected allow', '2. put -> expected allow', '3. put -> expected allow', '4. read -> expected allow']);
    expect(ce.requestIndex).toBe(3);
    expect(ce.case.kind).toBe('expect');
    expect(ce.observed).toEqual({ kind: 'observed', observation: { kind: 'decided', decision: 'deny' } });
    expect(check.message).toContain('step 4 of 4: expected allow, observed deny\n1. put -> expected allow');
    expect(check.replay).toMatch(/--path \S+ --replay-path \S+/);
  });

  it('replay with the path and replay path of the report to the same shrunk sequence', async () => {
    const first = await runRule(fakeRule([sequenceCheck]), counterTarget(3), PROPERTIES, OPTIONS);
    const replay = first.checks[0]!.replay!;
    const path = /--path (\S+)/.exec(replay)![1]!;
    const replayPath = /--replay-path '?([^' ]+)'?/.exec(replay)![1]!;
    const seed = Number(/--seed (\d+)/.exec(replay)![1]);
    const again = await runRule(fakeRule([sequenceCheck]), counterTarget(3), PROPERTIES, { ...OPTIONS, seed, path, replayPath, check: sequenceCheck.name });
    expect(again.verdict).toBe('fail');
    expect(again.checks[0]!.cases).toBe(1);
    expect(again.checks[0]!.counterexample!.sequence).toEqual(first.checks[0]!.counterexample!.sequence);
  });

  it('are inconclusive when a step meets a fault, never failed', async () => {
    const result = await runRule(fakeRule([sequenceCheck]), counterTarget(Infinity, { kind: 'unreachable', error: { code: 'ECONNRESET', message: 'socket hang up' } }), PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('inconclusive');
    expect(result.message).toContain('ECONNRESET');
  });
});

/** Ten cases, the i-th with i + 1 owner reads of a bucket without a policy; cases 0-4 also have a stranger's read. */
const TEN: ExhaustiveProperty = {
  name: 'fake-ten',
  vendor: 'alibaba-oss',
  description: 'Ten enumerated cases.',
  params: { type: 'object', properties: {} },
  labels: { outcome: ['allow', 'deny'] },
  enumerate: () =>
    Array.from({ length: 10 }, (_, i): ConformanceCase => ({
      kind: 'expect',
      world: WORLD,
      requests: [
        ...Array.from({ length: i + 1 }, (_x, j) => ({ request: { principal: OWNER, action: 'oss:GetObject', object: `o${j}` }, expect: { decision: 'allow' as const } })),
        ...(i < 5 ? [{ request: { principal: '2021476040493501', action: 'oss:GetObject', object: 'o' }, expect: { decision: 'deny' as const } }] : []),
      ],
    })),
};
const TEN_PROPERTIES: ReadonlyMap<string, PropertyDefinition> = new Map<string, PropertyDefinition>([[TEN.name, TEN]]);
const tenCheck = propertyCheck('every case', TEN.name);

/** Owner-only target that wrongly denies the owner's 7th object (o6): cases 6 to 9 fail. */
const brokenAtSeven = () => fakeAdapter({ observe: (_w, r) => ({ kind: 'decided', decision: (r as AliRequest).principal === OWNER && (r as AliRequest).object !== 'o6' ? 'allow' : 'deny' }) });

describe('exhaustive properties', () => {
  it('run every case once and count them', async () => {
    const ok = fakeAdapter({ observe: (_w, r) => ({ kind: 'decided', decision: (r as AliRequest).principal === OWNER ? 'allow' : 'deny' }) });
    const result = await runRule(fakeRule([tenCheck]), ok, TEN_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('pass');
    expect(result.checks[0]!.cases).toBe(10);
    expect(result.checks[0]!.distribution['outcome']).toEqual({ allow: 55, deny: 5 });
    expect(ok.log.prepared).toHaveLength(10);
  });

  it('stop at the first failing case and replay it by index', async () => {
    const result = await runRule(fakeRule([tenCheck]), brokenAtSeven(), TEN_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
    expect(result.checks[0]!.path).toBe('6');
    expect(result.checks[0]!.cases).toBe(7);
    expect(result.checks[0]!.replay).toContain('--path 6');
    const replayed = await runRule(fakeRule([tenCheck]), brokenAtSeven(), TEN_PROPERTIES, { ...OPTIONS, path: '6', check: tenCheck.name });
    expect(replayed.verdict).toBe('fail');
    expect(replayed.checks[0]!.cases).toBe(1);
    expect(replayed.checks[0]!.counterexample!.requestIndex).toBe(6);
  });

  it('fail when the enumeration never reaches a required outcome', async () => {
    const ok = fakeAdapter({ observe: (_w, r) => ({ kind: 'decided', decision: (r as AliRequest).principal === OWNER ? 'allow' : 'deny' }) });
    const conforming = await runRule(fakeRule([propertyCheck('every case', TEN.name, ['allow', 'deny', 'rejected'])]), ok, TEN_PROPERTIES, OPTIONS);
    expect(conforming.verdict).toBe('fail');
    expect(conforming.checks[0]!.message).toMatch(/^the 10 enumerated cases never reached outcome=rejected; distribution: outcome: allow 55, deny 5/);
  });

  it('refuse a path that is not a case index, as a usage error', async () => {
    const error = await runRule(fakeRule([tenCheck]), brokenAtSeven(), TEN_PROPERTIES, { ...OPTIONS, path: '12:0', check: tenCheck.name }).catch((e: unknown) => e);
    expect(isConformanceError(error) && error.code).toBe('CONFORMANCE_USAGE');
    expect((error as Error).message).toContain('a case index from 0 to 9');
  });
});

describe('per-check capabilities', () => {
  const ok = () => fakeAdapter({ observe: (_w, r) => ({ kind: 'decided', decision: (r as AliRequest).principal === OWNER ? 'allow' : 'deny' }) });

  it('skip a check whose capabilities the target lacks, naming them, and run the others', async () => {
    const needy = { ...propertyCheck('needs VPCs', TEN.name), requires: ['request.source-vpc' as const] };
    const result = await runRule(fakeRule([tenCheck, needy]), ok(), TEN_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('pass');
    expect(result.checks.map((c) => [c.name, c.verdict, c.message])).toEqual([
      ['every case', 'pass', undefined],
      ['needs VPCs', 'skip', 'target `fake` lacks request.source-vpc'],
    ]);
  });

  it('skip the rule when every check is skipped, never pass it', async () => {
    const needy = { ...propertyCheck('needs VPCs', TEN.name), requires: ['request.source-vpc' as const] };
    const result = await runRule(fakeRule([needy]), ok(), TEN_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('skip');
    expect(result.message).toContain('lacks request.source-vpc');
  });
});
