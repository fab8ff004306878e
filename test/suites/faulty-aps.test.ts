import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-adapter.ts';
import type { ApsSemantics } from '../../adapters/reference/aps-oss/index.ts';
import type { ApsRequest } from '../../model/aps-oss/types.ts';
import type { CheckResult, RuleResult } from '../../model/result.ts';
import type { Rule, SpecTables } from '../../model/rule.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { runRule, type RunOptions } from '../../suites/runner.ts';
import { LIVE_DEFAULTS, PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecSet } from '../../suites/spec/load.ts';

/**
 * Mutation checks for APS OSS: a reference model made wrong in one documented way must fail the
 * APS rules that cover it, and the stateful model run (APS-NO-REVOKE's `aps-model-sequence`)
 * must catch it too, shrunk to a short operation sequence that is printed here and replays to
 * the same failure. Faults are injected through the evaluator's semantics seam, one at a time.
 */

const SEED = 20261123;
const OPTIONS: RunOptions = { seed: SEED, numRuns: 100, targetName: 'reference' };
let rules: Rule[];
let tables: SpecTables;

beforeAll(async () => {
  const set = await loadSpecSet({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES, vendors: ['aps-oss'] });
  rules = set.rules;
  tables = set.tables;
});

async function runAll(overrides: Partial<ApsSemantics>): Promise<RuleResult[]> {
  const adapter = createReferenceAdapter({ apsSemantics: overrides });
  const results: RuleResult[] = [];
  for (const rule of rules) results.push(await runRule(rule, adapter, PROPERTIES, { ...OPTIONS, tables }));
  return results;
}

interface Fault {
  name: string;
  overrides: Partial<ApsSemantics>;
  /** Rules that must fail. */
  caughtBy: string[];
  /** The operation of the failing step of the shrunk sequence. */
  failingOperation: ApsRequest['operation'];
  /** The most steps the shrunk sequence may have; 0 when the target already fails to build the initial world. */
  maxSteps: number;
}

const FAULTS: Fault[] = [
  { name: 'a write key can download its own upload', overrides: { mayReadOwn: () => true }, caughtBy: ['APS-WRITE-NO-READ'], failingOperation: 'downloadObject', maxSteps: 2 },
  {
    name: "a full key reads another key's object",
    overrides: { mayReadOthers: (level, uploader) => level === 'full' && uploader === 'other-key' },
    caughtBy: ['APS-NO-CROSS-READ'],
    failingOperation: 'downloadObject',
    maxSteps: 2,
  },
  { name: 'a grantee can get bucket details', overrides: { ownerOnly: (op) => op !== 'getBucketDetails' }, caughtBy: ['APS-OWNER-ONLY-API'], failingOperation: 'getBucketDetails', maxSteps: 1 },
  { name: '61 grants are accepted', overrides: { maxGrants: 61 }, caughtBy: ['APS-GRANT-LIMIT'], failingOperation: 'createBucket', maxSteps: 1 },
  {
    name: "the owner cannot read a grantee's upload",
    overrides: { ownerMayAccessKeyObject: (op) => op !== 'downloadObject' },
    caughtBy: ['APS-OWNER-READS-ALL'],
    failingOperation: 'downloadObject',
    maxSteps: 2,
  },
  { name: 'read and write are swapped for uploads', overrides: { mayUpload: (level) => level !== 'write' }, caughtBy: ['APS-READ-NO-WRITE', 'APS-WRITE-UPLOAD'], failingOperation: 'uploadObject', maxSteps: 0 },
  {
    name: "a write key can delete the owner's objects",
    overrides: { mayModifyOthers: (level, op, uploader) => level === 'write' && op === 'deleteObject' && uploader === 'owner' },
    caughtBy: ['APS-WRITE-DELETE-OWN'],
    failingOperation: 'deleteObject',
    maxSteps: 2,
  },
];

function sequenceCheck(results: RuleResult[]): CheckResult | undefined {
  return results.find((r) => r.id === 'APS-NO-REVOKE')?.checks.find((c) => c.property === 'aps-model-sequence');
}

describe('a faulty APS model fails the conformance suite', () => {
  test.each(FAULTS)('$name', async ({ name, overrides, caughtBy, failingOperation, maxSteps }) => {
    const results = await runAll(overrides);
    const failed = results.filter((r) => r.verdict === 'fail').map((r) => r.id);
    expect(failed).toEqual(expect.arrayContaining(caughtBy));

    // The stateful run catches it, shrunk to a short sequence whose last step is the faulty one.
    const check = sequenceCheck(results)!;
    expect(check.verdict).toBe('fail');
    const ce = check.counterexample!;
    if (maxSteps === 0) {
      // The initial world holds objects that write keys uploaded: the target refuses to build it.
      expect(ce.requestIndex).toBe(-1);
      expect(check.message).toContain('the target refused to build the world');
      return;
    }
    const sequence = ce.sequence!;
    console.log(`${name}: shrunk sequence (${check.numShrinks} shrinks)\n  ${sequence.join('\n  ')}\n  replay: ${check.replay}`);
    expect(sequence.length).toBeGreaterThanOrEqual(1);
    expect(sequence.length).toBeLessThanOrEqual(maxSteps);
    expect(ce.requestIndex).toBe(sequence.length - 1);
    const failing = ce.case.kind === 'expect' ? (ce.case.requests[ce.requestIndex]!.request as ApsRequest) : undefined;
    expect(failing?.operation).toBe(failingOperation);
    expect(check.replay).toMatch(/--path \S+ --replay-path \S+/);
  });

  // A live run's defaults (LIVE_DEFAULTS: 10 runs per property, a sample of 40 cases per
  // exhaustive check) still catch every fault with the rules that catch it in a full run.
  test.each(FAULTS)('with the live defaults: $name', async ({ overrides, caughtBy }) => {
    const adapter = createReferenceAdapter({ apsSemantics: overrides });
    const failed: string[] = [];
    for (const rule of rules.filter((r) => caughtBy.includes(r.id))) {
      const result = await runRule(rule, adapter, PROPERTIES, { ...OPTIONS, tables, numRuns: LIVE_DEFAULTS.numRuns, exhaustive: LIVE_DEFAULTS.exhaustive });
      if (result.verdict === 'fail') failed.push(rule.id);
    }
    expect(failed.sort()).toEqual([...caughtBy].sort());
  });

  test('the replay command of a shrunk sequence reproduces it', async () => {
    const fault = FAULTS[0]!;
    const first = sequenceCheck(await runAll(fault.overrides))!;
    const replay = first.replay!;
    const path = /--path (\S+)/.exec(replay)![1]!;
    const replayPath = /--replay-path '?([^' ]+)'?/.exec(replay)![1]!;
    const seed = Number(/--seed (\d+)/.exec(replay)![1]);
    const rule = rules.find((r) => r.id === 'APS-NO-REVOKE')!;
    const again = await runRule(rule, createReferenceAdapter({ apsSemantics: fault.overrides }), PROPERTIES, { ...OPTIONS, tables, seed, path, replayPath, check: first.name });
    expect(again.checks[0]!.cases).toBe(1);
    expect(again.checks[0]!.counterexample!.sequence).toEqual(first.counterexample!.sequence);
  });

  test('the documented model passes every APS rule with the same seed', async () => {
    const results = await runAll({});
    expect(results.filter((r) => r.verdict !== 'pass').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(results.length).toBe(rules.length);
  });
});
