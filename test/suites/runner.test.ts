import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConformanceError } from '../../model/errors.ts';
import type { FaultInfo, Observation } from '../../model/outcome.ts';
import type { ExampleCheck } from '../../model/rule.ts';
import type { AliRequest, AliWorld } from '../../model/alibaba-oss/types.ts';
import type { World } from '../../model/world.ts';
import { describeRuleFailure } from '../../suites/failure.ts';
import { EXTRA_COVERAGE_BATCHES, formatDistribution, missingCapabilities, replayCommand, runRule, type RunOptions } from '../../suites/runner.ts';
import {
  ALL_FEATURES,
  FAKE_RUNNER_PROPERTIES,
  OWNER_ONLY_CASES,
  OWNER_OR_STRANGER,
  POLICY_CHANGES_NOTHING,
  alwaysAllow,
  fakeAdapter,
  fakeRule,
  ownerOnly,
  propertyCheck,
} from './fakes.ts';

/**
 * The runner drives a target through a rule's checks and counts; the judge decides. These
 * tests use hand-written fake targets, so that each verdict has one known cause: a wrong
 * decision fails with a replayable counterexample, a fault is inconclusive, a missing vendor or
 * capability is a skip naming it, and a property that never reaches an outcome is a defect.
 */

const OPTIONS: RunOptions = { seed: 42, numRuns: 40, targetName: 'fake' };
const ownerCheck = propertyCheck('owners read, strangers do not', OWNER_OR_STRANGER.name);
const throttled: FaultInfo = { code: 'THROTTLED', message: 'SlowDown outlasted 3 retries' };

const EXAMPLE_WORLD: World = { vendor: 'alibaba-oss', bucket: { name: 'example-bucket', owner: '1746495857600001' } };

function example(name: string, overrides: Partial<ExampleCheck> = {}): ExampleCheck {
  return {
    kind: 'example',
    name,
    world: EXAMPLE_WORLD,
    requests: [
      { name: 'the owner reads', request: { principal: '1746495857600001', action: 'oss:GetObject', object: 'a.txt' }, expect: { decision: 'allow' } },
      { name: 'a stranger reads', request: { principal: '2021476040493501', action: 'oss:GetObject', object: 'a.txt' }, expect: { decision: 'deny', status: 403, code: 'AccessDenied' } },
    ],
    ...overrides,
  };
}

describe('runRule: property checks', () => {
  it('passes a conforming target, counting every generated case and both outcomes, and releases every world', async () => {
    const adapter = fakeAdapter({ observe: ownerOnly });
    const result = await runRule(fakeRule([ownerCheck]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('pass');
    expect(result.message).toBeUndefined();
    const [check] = result.checks;
    expect(check).toMatchObject({ name: ownerCheck.name, kind: 'property', property: OWNER_OR_STRANGER.name, verdict: 'pass', cases: OPTIONS.numRuns, seed: OPTIONS.seed });
    expect(check!.distribution['outcome']!['allow']).toBeGreaterThan(0);
    expect(check!.distribution['outcome']!['deny']).toBeGreaterThan(0);
    expect(result.cases).toBe(OPTIONS.numRuns);
    // The rule's distribution keeps only the outcomes.
    expect(Object.keys(result.distribution)).toEqual(['outcome']);
    expect(adapter.log.prepared).toHaveLength(OPTIONS.numRuns);
    expect(adapter.log.released).toBe(adapter.log.prepared.length);
  });

  it('carries the rule identity and citation into the result', async () => {
    const rule = fakeRule([ownerCheck], { id: 'ALI-IMPLICIT', status: 'inferred', reading: 'the reading', file: 'alibaba-oss/ALI-IMPLICIT.yaml' });
    const result = await runRule(rule, fakeAdapter({ observe: ownerOnly }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result).toMatchObject({ id: 'ALI-IMPLICIT', vendor: 'alibaba-oss', status: 'inferred', title: rule.title, source: rule.source, reading: 'the reading', file: rule.file });
  });

  it('fails a target that allows everything, with a shrunk counterexample, the seed, the path and a replay command', async () => {
    const result = await runRule(fakeRule([ownerCheck]), fakeAdapter({ observe: alwaysAllow }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
    const check = result.checks[0]!;
    expect(check.verdict).toBe('fail');
    expect(check.seed).toBe(OPTIONS.seed);
    expect(check.path).toMatch(/^\d+(:\d+)*$/);
    expect(check.numShrinks).toBeGreaterThanOrEqual(0);
    const ce = check.counterexample!;
    expect(ce.case.kind).toBe('expect');
    if (ce.case.kind !== 'expect') return;
    // Shrunk: the smallest failing case has the one request that should have been denied.
    expect(ce.case.requests).toHaveLength(1);
    expect(ce.requestIndex).toBe(0);
    expect(ce.case.requests[0]!.expect).toEqual({ decision: 'deny' });
    expect((ce.case.requests[0]!.request as AliRequest).principal).not.toBe((ce.case.world as AliWorld).bucket.owner);
    expect(ce.expected).toEqual({ decision: 'deny' });
    expect(ce.observed).toEqual({ kind: 'observed', observation: { kind: 'decided', decision: 'allow', status: 200 } });
    expect(check.message).toBe('request 0: expected deny, observed allow (200)');
    expect(result.message).toBe(`${ownerCheck.name}: request 0: expected deny, observed allow (200)`);
    expect(check.replay).toBe(`npx bucket-conformance run --target fake --rules ALI-IMPLICIT --check '${ownerCheck.name}' --seed 42 --num-runs 40 --path ${check.path}`);
    // The failure message a test prints carries all of it.
    const text = describeRuleFailure(result);
    expect(text).toContain(`seed: 42, path: ${check.path}`);
    expect(text).toContain(`replay: ${check.replay}`);
    expect(text).toContain(`counterexample: ${JSON.stringify(ce.case)}`);
  });

  it('is inconclusive, never fail nor pass, when some requests meet a fault', async () => {
    let n = 0;
    const flaky = (world: World, request: Parameters<typeof ownerOnly>[1]): Observation => (++n % 3 === 0 ? { kind: 'unreachable', error: throttled } : ownerOnly(world, request));
    const adapter = fakeAdapter({ observe: flaky });
    const result = await runRule(fakeRule([ownerCheck]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('inconclusive');
    const check = result.checks[0]!;
    expect(check.verdict).toBe('inconclusive');
    expect(check.faults?.[0]).toEqual(throttled);
    expect(check.faults!.length).toBeLessThanOrEqual(5);
    expect(check.counterexample).toBeUndefined();
    expect(check.message).toMatch(/^inconclusive: \d+ case\(s\) met a fault, first: THROTTLED: SlowDown outlasted 3 retries$/);
    expect(result.message).toContain('THROTTLED');
    expect(adapter.log.released).toBe(adapter.log.prepared.length);
  });

  it('is inconclusive when every request meets a fault, even though nothing was decided', async () => {
    const result = await runRule(fakeRule([ownerCheck]), fakeAdapter({ observe: () => ({ kind: 'unreachable', error: throttled }) }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('inconclusive');
  });

  it('is inconclusive when preparing the world meets a fault', async () => {
    const adapter = fakeAdapter({ observe: alwaysAllow, prepare: () => ({ kind: 'unreachable', error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' } }) });
    const result = await runRule(fakeRule([ownerCheck]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('inconclusive');
    expect(result.checks[0]!.faults?.[0]?.code).toBe('ECONNREFUSED');
    expect(adapter.log.observed).toHaveLength(0);
  });

  it('still fails a wrong decision when other cases met a fault', async () => {
    let n = 0;
    const result = await runRule(fakeRule([ownerCheck]), fakeAdapter({ observe: () => (++n % 2 === 0 ? { kind: 'unreachable', error: throttled } : alwaysAllow()) }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
  });

  it('fails a property that throws, with the error', async () => {
    const result = await runRule(fakeRule([ownerCheck]), fakeAdapter({ observe: () => { throw new Error('socket hang up in the adapter'); } }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
    expect(result.checks[0]!.message).toBe('the property threw: socket hang up in the adapter');
    expect(result.checks[0]!.replay).toContain('--path ');
  });

  it('lets a configuration error out instead of turning it into a verdict', async () => {
    const adapter = fakeAdapter({ observe: () => { throw new ConformanceError('CONFORMANCE_INPUT', 'world policy cannot be serialized as JSON'); } });
    await expect(runRule(fakeRule([ownerCheck]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS)).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT' });
  });

  it('refuses a property the map does not hold', async () => {
    await expect(runRule(fakeRule([propertyCheck('x', 'no-such-property')]), fakeAdapter({ observe: ownerOnly }), FAKE_RUNNER_PROPERTIES, OPTIONS)).rejects.toThrow('`no-such-property` is not registered');
  });
});

describe('runRule: relation properties', () => {
  const relationCheck = propertyCheck('a policy changes nothing', POLICY_CHANGES_NOTHING.name);

  it('passes when both worlds decide alike', async () => {
    const adapter = fakeAdapter({ observe: ownerOnly });
    const result = await runRule(fakeRule([relationCheck]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('pass');
    expect(adapter.log.prepared).toHaveLength(2 * OPTIONS.numRuns);
    expect(adapter.log.released).toBe(2 * OPTIONS.numRuns);
  });

  it('fails when the variant decides otherwise, naming the relation and the base decision', async () => {
    const adapter = fakeAdapter({ observe: (world, request) => ((world as AliWorld).policy === undefined ? ownerOnly(world, request) : { kind: 'decided', decision: 'deny' }) });
    const result = await runRule(fakeRule([relationCheck]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
    const ce = result.checks[0]!.counterexample!;
    expect(ce.case.kind).toBe('relation');
    expect(ce.expected).toBe('same-decision (base: allow)');
    expect(ce.observed).toEqual({ kind: 'observed', observation: { kind: 'decided', decision: 'deny' } });
    expect(result.checks[0]!.message).toBe(`request ${ce.requestIndex}: the base world decided allow, the variant decided deny; the relation requires the same decision`);
  });

  it('fails when the target rejects one of the two worlds, saying which', async () => {
    const adapter = fakeAdapter({ observe: ownerOnly, prepare: (w) => ((w as AliWorld).policy === undefined ? { kind: 'ready' } : { kind: 'rejected', status: 400, code: 'MalformedPolicy' }) });
    const result = await runRule(fakeRule([relationCheck]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
    const ce = result.checks[0]!.counterexample!;
    expect(ce.requestIndex).toBe(-1);
    expect(ce.expected).toBe('the variant policy is accepted');
    expect(ce.observed).toEqual({ kind: 'rejected', status: 400, code: 'MalformedPolicy' });
    expect(result.checks[0]!.message).toMatch(/^world: variant world: expected the policy to be accepted/);
    // The base world, which was accepted, is released all the same.
    expect(adapter.log.released).toBeGreaterThan(0);
  });
});

describe('runRule: skips', () => {
  it('skips a rule whose required capability the target lacks, naming it, without touching the target', async () => {
    const rule = fakeRule([ownerCheck], { requires: ['policy', 'request.source-ip', 'observe.status', 'observe.explanation'] });
    const adapter = fakeAdapter({ observe: alwaysAllow, features: ['policy', 'observe.status'] });
    const result = await runRule(rule, adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('skip');
    expect(result.missing).toEqual(['request.source-ip', 'observe.explanation']);
    expect(result.message).toBe('target `fake` lacks request.source-ip, observe.explanation');
    expect(result.cases).toBe(0);
    expect(result.checks).toEqual([]);
    expect(adapter.log.prepared).toHaveLength(0);
    expect(missingCapabilities(rule, adapter)).toEqual(['request.source-ip', 'observe.explanation']);
  });

  it('skips a rule of a vendor the target does not cover', async () => {
    const adapter = fakeAdapter({ name: 'obs-only', vendors: ['huawei-obs'], observe: alwaysAllow });
    const result = await runRule(fakeRule([ownerCheck]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('skip');
    expect(result.message).toBe('target `obs-only` does not cover vendor alibaba-oss');
    expect(result.missing).toBeUndefined();
    expect(adapter.log.prepared).toHaveLength(0);
  });

  it('does not skip when the target has every required capability', async () => {
    const result = await runRule(fakeRule([ownerCheck], { requires: ALL_FEATURES }), fakeAdapter({ observe: ownerOnly }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('pass');
    expect(result.missing).toBeUndefined();
  });
});

describe('runRule: coverage of outcomes and labels', () => {
  it('fails a property whose cases never reach a required outcome, after the extra batches, showing the distribution', async () => {
    const check = propertyCheck('owners read', OWNER_ONLY_CASES.name, ['allow', 'deny']);
    const adapter = fakeAdapter({ observe: ownerOnly });
    const result = await runRule(fakeRule([check]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
    const c = result.checks[0]!;
    // Every batch ran before the property was blamed: the first and EXTRA_COVERAGE_BATCHES more.
    const runs = OPTIONS.numRuns * (1 + EXTRA_COVERAGE_BATCHES);
    expect(c.cases).toBe(runs);
    expect(c.distribution['outcome']).toEqual({ allow: runs });
    expect(c.message).toContain('the generated cases never reached outcome=deny');
    expect(c.message).toContain('; distribution: ');
    expect(c.message).toContain(`outcome: allow ${runs}`);
    expect(c.message).toContain(`principal: owner ${runs}`);
    expect(c.message).toContain(`(seed ${OPTIONS.seed + EXTRA_COVERAGE_BATCHES})`);
    expect(c.counterexample).toBeUndefined();
    expect(c.replay).toContain(`--check 'owners read'`);
    expect(result.message).toContain('never reached outcome=deny');
  });

  it('fails a property that never reaches a required label value, naming it', async () => {
    const check = propertyCheck('owners and strangers', OWNER_OR_STRANGER.name, ['allow', 'deny'], { principal: ['owner', 'stranger', 'anonymous'] });
    const result = await runRule(fakeRule([check]), fakeAdapter({ observe: ownerOnly }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('fail');
    const message = result.checks[0]!.message!;
    expect(message).toContain('never reached principal=anonymous');
    expect(message).not.toContain('outcome=');
    expect(message).toMatch(/principal: (owner|stranger) \d+, (owner|stranger) \d+/);
  });

  it('passes when every required outcome and label is reached', async () => {
    const check = propertyCheck('owners and strangers', OWNER_OR_STRANGER.name, ['allow', 'deny'], { principal: ['owner', 'stranger'], requests: ['1', '2', '3'] });
    const result = await runRule(fakeRule([check]), fakeAdapter({ observe: ownerOnly }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('pass');
    expect(result.checks[0]!.cases).toBe(OPTIONS.numRuns);
  });

  it('formats a distribution by label, most frequent value first, leaving out request names', () => {
    expect(formatDistribution({ outcome: { allow: 2, deny: 5 }, request: { 'the owner reads': 1 }, principal: { owner: 1 } })).toBe('outcome: deny 5, allow 2; principal: owner 1');
  });
});

describe('runRule: example checks', () => {
  it('passes a worked example the target gets right, counting its requests', async () => {
    const adapter = fakeAdapter({ observe: ownerOnly });
    const result = await runRule(fakeRule([example('owner and stranger')]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('pass');
    expect(result.checks[0]).toMatchObject({ kind: 'example', verdict: 'pass', cases: 2, distribution: { outcome: { allow: 1, deny: 1 } } });
    expect(result.checks[0]!.seed).toBeUndefined();
    expect(adapter.log.released).toBe(1);
  });

  it('fails the first wrong request with its index, and replays without seed or path', async () => {
    const result = await runRule(fakeRule([example('owner and stranger')]), fakeAdapter({ observe: alwaysAllow }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    const c = result.checks[0]!;
    expect(c.verdict).toBe('fail');
    expect(c.counterexample?.requestIndex).toBe(1);
    expect(c.message).toBe('request 1: expected deny (403 AccessDenied), observed allow (200)');
    expect(c.replay).toBe("npx bucket-conformance run --target fake --rules ALI-IMPLICIT --check 'owner and stranger'");
  });

  it('compares status and code only for a target that observes them', async () => {
    // Right decisions, but neither status nor code.
    const bare = (world: World, request: Parameters<typeof ownerOnly>[1]): Observation => ({ kind: 'decided', decision: (request as AliRequest).principal === (world as AliWorld).bucket.owner ? 'allow' : 'deny' });
    const observing = await runRule(fakeRule([example('owner and stranger')]), fakeAdapter({ observe: bare }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(observing.verdict).toBe('fail');
    expect(observing.checks[0]!.message).toContain('status none is not 403');
    const decisionOnly = await runRule(fakeRule([example('owner and stranger')], { requires: ['policy'] }), fakeAdapter({ observe: bare, features: ['policy'] }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(decisionOnly.verdict).toBe('pass');
  });

  it('fails an accepted world that the spec says must be rejected, blaming the world', async () => {
    const check = example('Version 2 is rejected', { requests: [], expectWorld: { decision: 'rejected', status: '4xx', ec: '0030-00000002' }, world: { ...EXAMPLE_WORLD, policy: { Version: '2', Statement: [] } } });
    const adapter = fakeAdapter({ observe: alwaysAllow });
    const result = await runRule(fakeRule([check]), adapter, FAKE_RUNNER_PROPERTIES, OPTIONS);
    const c = result.checks[0]!;
    expect(c.verdict).toBe('fail');
    expect(c.counterexample).toMatchObject({ requestIndex: -1, expected: { decision: 'rejected', status: '4xx', ec: '0030-00000002' } });
    expect(c.message).toBe('world: expected rejected (4xx EC 0030-00000002), but the policy was accepted');
    expect(adapter.log.released).toBe(1);
  });

  it('passes a rejection with the stated EC and fails one with another EC', async () => {
    const check = example('Version 2 is rejected', { requests: [], expectWorld: { decision: 'rejected', status: '4xx', ec: '0030-00000002' } });
    const right = await runRule(fakeRule([check]), fakeAdapter({ observe: alwaysAllow, prepare: () => ({ kind: 'rejected', status: 400, code: 'InvalidPolicyDocument', ec: '0030-00000002' }) }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(right.verdict).toBe('pass');
    expect(right.checks[0]!.distribution).toEqual({ outcome: { rejected: 1 } });
    const wrong = await runRule(fakeRule([check]), fakeAdapter({ observe: alwaysAllow, prepare: () => ({ kind: 'rejected', status: 400, ec: '0030-00000005' }) }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(wrong.verdict).toBe('fail');
    expect(wrong.checks[0]!.counterexample?.observed).toEqual({ kind: 'rejected', status: 400, ec: '0030-00000005' });
  });

  it('is inconclusive when a request of the example meets a fault', async () => {
    const result = await runRule(fakeRule([example('owner and stranger')]), fakeAdapter({ observe: () => ({ kind: 'unreachable', error: throttled }) }), FAKE_RUNNER_PROPERTIES, OPTIONS);
    expect(result.verdict).toBe('inconclusive');
    expect(result.checks[0]!.faults).toEqual([throttled]);
    expect(result.checks[0]!.message).toBe('inconclusive: THROTTLED: SlowDown outlasted 3 retries');
  });
});

describe('runRule: the check option', () => {
  it('runs only the named check of the rule', async () => {
    const adapter = fakeAdapter({ observe: ownerOnly });
    const rule = fakeRule([ownerCheck, example('owner and stranger'), example('another example')]);
    const result = await runRule(rule, adapter, FAKE_RUNNER_PROPERTIES, { ...OPTIONS, check: 'owner and stranger' });
    expect(result.checks.map((c) => c.name)).toEqual(['owner and stranger']);
    expect(adapter.log.prepared).toEqual([EXAMPLE_WORLD]);
    expect(result.verdict).toBe('pass');
  });

  it('leaves out a failing check that was not selected', async () => {
    const rule = fakeRule([ownerCheck, example('owner and stranger')]);
    const allowing = fakeAdapter({ observe: (world, request) => (request.object === 'a.txt' ? ownerOnly(world, request) : alwaysAllow()) });
    expect((await runRule(rule, allowing, FAKE_RUNNER_PROPERTIES, OPTIONS)).verdict).toBe('fail');
    expect((await runRule(rule, allowing, FAKE_RUNNER_PROPERTIES, { ...OPTIONS, check: 'owner and stranger' })).verdict).toBe('pass');
  });
});

describe('runRule: replaying a counterexample', () => {
  it('reruns exactly the counterexample first, with one generated case, and finds the same failure', async () => {
    const rule = fakeRule([ownerCheck, example('owner and stranger')]);
    const first = (await runRule(rule, fakeAdapter({ observe: alwaysAllow }), FAKE_RUNNER_PROPERTIES, { seed: 7, numRuns: 60, targetName: 'fake' })).checks[0]!;
    expect(first.verdict).toBe('fail');
    const replayer = fakeAdapter({ observe: alwaysAllow });
    const again = await runRule(rule, replayer, FAKE_RUNNER_PROPERTIES, { seed: first.seed!, numRuns: 60, targetName: 'fake', check: ownerCheck.name, path: first.path! });
    expect(again.checks.map((c) => c.name)).toEqual([ownerCheck.name]);
    const replayed = again.checks[0]!;
    expect(replayed.verdict).toBe('fail');
    expect(replayed.cases).toBe(1);
    expect(replayed.counterexample).toEqual(first.counterexample);
    expect(replayed.message).toBe(first.message);
    expect(replayed.path).toBe(first.path);
    expect(replayed.replay).toBe(first.replay);
    // The first world and requests the target saw are the counterexample's.
    const ce = first.counterexample!.case;
    if (ce.kind !== 'expect') throw new Error('expected an expectation case');
    expect(replayer.log.prepared[0]).toEqual(ce.world);
    expect(replayer.log.observed[0]?.request).toEqual(ce.requests[0]!.request);
  });

  it('replays a path against a fixed target as a pass, without reporting missing coverage', async () => {
    const rule = fakeRule([ownerCheck]);
    const first = (await runRule(rule, fakeAdapter({ observe: alwaysAllow }), FAKE_RUNNER_PROPERTIES, { seed: 7, numRuns: 60 })).checks[0]!;
    const ce = first.counterexample!.case;
    if (ce.kind !== 'expect') throw new Error('expected an expectation case');
    // The counterexample reaches only `deny`; a replay does not blame the property for missing `allow`.
    const fixedTarget = fakeAdapter({ observe: ownerOnly });
    const fixed = await runRule(rule, fixedTarget, FAKE_RUNNER_PROPERTIES, { seed: first.seed!, numRuns: 60, check: ownerCheck.name, path: first.path! });
    expect(fixed.verdict).toBe('pass');
    expect(fixed.checks[0]!.message).toBeUndefined();
    expect(fixedTarget.log.observed[0]?.request).toEqual(ce.requests[0]!.request);
  });
});

describe('replayCommand', () => {
  it('quotes the check name so that a POSIX shell gives it back unchanged', () => {
    const name = "the owner's `id` and $HOME stay 'quoted'";
    const rule = fakeRule([propertyCheck(name, OWNER_OR_STRANGER.name)]);
    const command = replayCommand(rule, rule.checks[0]!, { seed: 5, numRuns: 10, targetName: 'reference' }, '3:1:0');
    expect(command.startsWith('npx bucket-conformance run ')).toBe(true);
    const shell = spawnSync('/bin/sh', ['-c', `set -- ${command.slice('npx bucket-conformance '.length)}; printf '%s\\n' "$@"`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    expect(shell.status).toBe(0);
    expect(shell.stdout.split('\n').slice(0, -1)).toEqual(['run', '--target', 'reference', '--rules', 'ALI-IMPLICIT', '--check', name, '--seed', '5', '--num-runs', '10', '--path', '3:1:0']);
  });

  it('names the reference target when none is given, and uses the seed it is handed', () => {
    const rule = fakeRule([ownerCheck]);
    expect(replayCommand(rule, ownerCheck, { seed: 1, numRuns: 5 }, undefined, 9)).toBe(`npx bucket-conformance run --target reference --rules ALI-IMPLICIT --check '${ownerCheck.name}' --seed 9 --num-runs 5`);
  });
});

describe('runRule: a stopped run', () => {
  it('finishes the case under way, sends no later case, and is inconclusive (INTERRUPTED) with only the cases sent counted', async () => {
    const controller = new AbortController();
    let sent = 0;
    // The run is stopped (Ctrl-C) while the fifth case is being sent.
    const adapter = fakeAdapter({ observe: (world, request) => {
      if (++sent === 5) controller.abort();
      return ownerOnly(world, request);
    } });
    const result = await runRule(fakeRule([ownerCheck]), adapter, FAKE_RUNNER_PROPERTIES, { ...OPTIONS, signal: controller.signal });
    expect(result.verdict).toBe('inconclusive');
    expect(result.checks[0]!.faults?.[0]).toEqual({ code: 'INTERRUPTED', message: 'the run was stopped before this case was sent' });
    const prepared = adapter.log.prepared.length;
    expect(prepared).toBeGreaterThan(0);
    expect(prepared).toBeLessThan(OPTIONS.numRuns);
    expect(result.checks[0]!.cases).toBe(prepared);
    expect(adapter.log.released).toBe(prepared);
  });

  it('sends nothing of an example once stopped', async () => {
    const controller = new AbortController();
    controller.abort();
    const adapter = fakeAdapter({ observe: ownerOnly });
    const result = await runRule(fakeRule([example('the owner reads, a stranger does not')]), adapter, FAKE_RUNNER_PROPERTIES, { ...OPTIONS, signal: controller.signal });
    expect(result.verdict).toBe('inconclusive');
    expect(result.message).toContain('INTERRUPTED');
    expect(adapter.log.prepared).toEqual([]);
  });
});
