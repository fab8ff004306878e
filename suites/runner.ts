import * as fc from 'fast-check';
import type { Adapter, Preparation } from '../adapters/types.ts';
import ipaddr from 'ipaddr.js';
import type { Capability, SourceAddressSpace } from '../model/capabilities.ts';
import type { CaseLabels, ConformanceCase, ExpectedRequest, SequenceCase, StepDriver } from '../model/case.ts';
import { ConformanceError, isConformanceError } from '../model/errors.ts';
import type { CaseVerdict, FaultInfo, Observation, Verdict } from '../model/outcome.ts';
import type { CheckResult, Counterexample, Distribution, ObservedOutcome, RuleResult } from '../model/result.ts';
import type { Check, ExampleCheck, PropertyCheck, Rule, SpecTables } from '../model/rule.ts';
import { combineVerdicts, describeExpectation, judgeObservation, judgePreparation, judgeRelation, missingCoverage, type JudgeContext } from './judge.ts';
import { referenceSteps, relationAsExpectations, withReferenceExpectations, type ReferenceSteps } from './differential.ts';
import { isExhaustive, isTargetLacks, type ExhaustiveProperty, type GeneratedProperty, type PropertyDefinition, type PropertyEnv } from './properties/types.ts';
import { sampleExhaustive } from './sample.ts';

/**
 * Runs the checks of a rule against a target: worked examples case by case, properties under
 * fast-check with shrinking. Every verdict comes from the judge; this module only drives the
 * target and counts.
 */

/** How a run is driven: the seed and number of runs of every property, and a replay path. */
export interface RunOptions {
  seed: number;
  numRuns: number;
  /** fast-check path of a counterexample to replay; applies to the check named by `check`. */
  path?: string;
  /** With `path`, for stateful checks: fast-check's replay hint of the shrunk command sequence. */
  replayPath?: string;
  /** Only this check of each rule (by name). */
  check?: string;
  /** The target's name, for replay commands. */
  targetName?: string;
  /** The spec tables, for properties driven by them (the APS access matrix). */
  tables?: SpecTables;
  /**
   * Differential mode: every expectation is what this adapter (the reference evaluator) does with
   * the request, not what the specs or generators say. Named as such in the reports.
   */
  differential?: Adapter;
  /**
   * Aborted when the run is stopped (Ctrl-C, SIGTERM, a test timeout): the case under way ends as
   * it would, and every later case is inconclusive (`INTERRUPTED`) without a request sent.
   */
  signal?: AbortSignal;
  /**
   * At most this many cases of each exhaustive check, sampled (`sampleExhaustive`) so that every
   * label value and outcome of the enumeration is kept; absent, every case runs. A budgeted live
   * run sets it (`--exhaustive N`).
   */
  exhaustive?: number;
}

/** The outcome of running one case against a target. */
interface CaseRun {
  verdict: CaseVerdict;
  /** Labels to count: the case's own, each request's, and `outcome` per request. */
  labels: CaseLabels[];
  failure?: Counterexample;
}

function bump(distribution: Distribution, labels: CaseLabels): void {
  for (const [k, v] of Object.entries(labels)) {
    const byValue = (distribution[k] ??= {});
    byValue[v] = (byValue[v] ?? 0) + 1;
  }
}

function observed(o: Observation): ObservedOutcome {
  return o.kind === 'unreachable' ? { kind: 'unreachable', error: o.error } : { kind: 'observed', observation: o };
}

function preparedOutcome(p: Preparation): ObservedOutcome {
  if (p.kind === 'rejected') {
    const { kind: _k, ...rest } = p;
    return { kind: 'rejected', ...rest };
  }
  if (p.kind === 'unreachable') return { kind: 'unreachable', error: p.error };
  return { kind: 'observed', observation: { kind: 'decided', decision: 'allow' } };
}

/** Thrown by the step driver to stop a sequence at a failing or faulted step; never escapes `runSequence`. */
class SequenceStop extends Error {
  readonly verdict: CaseVerdict;
  constructor(verdict: CaseVerdict) {
    super(verdict.status === 'fail' ? verdict.reason : 'a step met a fault');
    this.verdict = verdict;
  }
}

/** `K3 (write) downloadObject a.txt -> deny (403)`: one line of a sequence's transcript. */
function stepLine(step: ExpectedRequest, index: number): string {
  return `${index + 1}. ${step.name ?? JSON.stringify(step.request)} -> expected ${describeExpectation(step.expect)}`;
}

/**
 * Runs a stateful case under fast-check's `asyncModelRun`: each step computes its request and
 * expected outcome from the model and hands them to the driver, which observes the target and
 * asks the judge. The first failing step ends the run; a fault ends it as inconclusive (model
 * and target may have diverged).
 */
async function runSequence(c: SequenceCase, adapter: Adapter, ctx: JudgeContext, steps?: ReferenceSteps): Promise<CaseRun> {
  const caseLabels = c.labels ?? {};
  const prep = await adapter.prepare(c.world);
  const pv = judgePreparation(undefined, prep, ctx);
  if (pv !== 'continue') {
    const labels = [{ ...caseLabels, outcome: 'rejected' }];
    if (prep.kind === 'ready') await prep.release();
    if (pv.status === 'fail') {
      return { verdict: pv, labels, failure: { case: { kind: 'expect', world: c.world, requests: [] }, requestIndex: -1, expected: 'the world is accepted', observed: preparedOutcome(prep), reason: pv.reason } };
    }
    return { verdict: pv, labels };
  }
  if (prep.kind !== 'ready') throw new Error('unreachable: judgePreparation continues only for ready worlds');
  const transcript: ExpectedRequest[] = [];
  const labels: CaseLabels[] = [];
  let failure: Counterexample | undefined;
  const driver: StepDriver = {
    async send(modelStep) {
      // Differential mode: the reference's answer is the expectation, not the model's.
      const rewritten = steps === undefined ? modelStep : await steps.rewrite(modelStep);
      if ('fault' in rewritten) throw new SequenceStop({ status: 'inconclusive', cause: rewritten.fault });
      const step = rewritten;
      transcript.push(step);
      labels.push({ ...caseLabels, ...step.labels, outcome: step.expect.decision });
      const o = await prep.observe(step.request);
      const v = judgeObservation(step.expect, o, ctx);
      if (v.status === 'fail') {
        failure = {
          case: { kind: 'expect', world: c.world, requests: [...transcript] },
          requestIndex: transcript.length - 1,
          expected: step.expect,
          observed: observed(o),
          reason: v.reason,
          sequence: transcript.map(stepLine),
        };
      }
      if (v.status !== 'pass') throw new SequenceStop(v);
    },
  };
  try {
    await fc.asyncModelRun(() => ({ model: c.model() as object, real: driver }), c.steps as Iterable<fc.AsyncCommand<object, StepDriver>>);
    return { verdict: { status: 'pass' }, labels };
  } catch (error) {
    if (error instanceof SequenceStop) return { verdict: error.verdict, labels, ...(failure ? { failure } : {}) };
    throw error;
  } finally {
    await prep.release();
  }
}

/** Runs one case: prepares its world(s), sends its requests, and asks the judge about each. */
/** The fault of a case that was not run because the run was stopped. */
const INTERRUPTED: FaultInfo = { code: 'INTERRUPTED', message: 'the run was stopped before this case was sent' };

/** Runs case `c` as `options` say (differential or not), or not at all once the run is stopped. */
export async function runCaseWith(c: ConformanceCase, adapter: Adapter, ctx: JudgeContext, options: RunOptions): Promise<CaseRun> {
  if (options.signal?.aborted) return { verdict: { status: 'inconclusive', cause: INTERRUPTED }, labels: [] };
  return runCase(c, adapter, ctx, options.differential);
}

/** Whether `run` is a case that was never sent, the run being stopped. */
function notRun(run: CaseRun): boolean {
  return run.verdict.status === 'inconclusive' && run.verdict.cause === INTERRUPTED;
}

export async function runCase(c: ConformanceCase, adapter: Adapter, ctx: JudgeContext, reference?: Adapter): Promise<CaseRun> {
  if (reference !== undefined) return runDifferentialCase(c, adapter, ctx, reference);
  const caseLabels = c.labels ?? {};
  if (c.kind === 'sequence') return runSequence(c, adapter, ctx);
  if (c.kind === 'expect') {
    const prep = await adapter.prepare(c.world);
    const pv = judgePreparation(c.expectWorld, prep, ctx);
    if (pv !== 'continue') {
      if (prep.kind === 'ready') await prep.release();
      const labels = [{ ...caseLabels, outcome: c.expectWorld?.decision ?? 'allow' }];
      if (pv.status === 'fail') {
        return { verdict: pv, labels, failure: { case: c, requestIndex: -1, expected: c.expectWorld ?? 'the policy is accepted', observed: preparedOutcome(prep), reason: pv.reason } };
      }
      return { verdict: pv, labels };
    }
    if (prep.kind !== 'ready') throw new Error('unreachable: judgePreparation continues only for ready worlds');
    const labels: CaseLabels[] = [];
    try {
      for (const [i, r] of c.requests.entries()) {
        labels.push({ ...caseLabels, ...r.labels, outcome: r.expect.decision });
        const o = await prep.observe(r.request);
        const v = judgeObservation(r.expect, o, ctx);
        if (v.status === 'fail') {
          return { verdict: v, labels, failure: { case: c, requestIndex: i, expected: r.expect, observed: observed(o), reason: v.reason } };
        }
        // A fault may have left the world in a state the later requests' expectations do not
        // assume (a dropped PUT, a DELETE that did or did not happen): stop, as a sequence does.
        if (v.status === 'inconclusive') return { verdict: v, labels };
      }
      return { verdict: { status: 'pass' }, labels };
    } finally {
      await prep.release();
    }
  }
  const base = await adapter.prepare(c.base);
  const variant = await adapter.prepare(c.variant);
  try {
    for (const [which, p] of [['base', base], ['variant', variant]] as const) {
      const pv = judgePreparation(undefined, p, ctx);
      if (pv !== 'continue') {
        const labels = [{ ...caseLabels, outcome: 'rejected' }];
        if (pv.status === 'fail') {
          return { verdict: pv, labels, failure: { case: c, requestIndex: -1, expected: `the ${which} policy is accepted`, observed: preparedOutcome(p), reason: `${which} world: ${pv.reason}` } };
        }
        return { verdict: pv, labels };
      }
    }
    if (base.kind !== 'ready' || variant.kind !== 'ready') throw new Error('unreachable: both worlds are ready here');
    const labels: CaseLabels[] = [];
    for (const [i, request] of c.requests.entries()) {
      const ob = await base.observe(request);
      const ov = await variant.observe(request);
      labels.push({ ...caseLabels, outcome: ob.kind === 'decided' ? ob.decision : 'unreachable' });
      const v = judgeRelation(c.relation, ob, ov);
      if (v.status === 'fail') {
        return {
          verdict: v,
          labels,
          failure: { case: c, requestIndex: i, expected: `${c.relation} (base: ${ob.kind === 'decided' ? ob.decision : 'unreachable'})`, observed: observed(ov), reason: v.reason },
        };
      }
      if (v.status === 'inconclusive') return { verdict: v, labels };
    }
    return { verdict: { status: 'pass' }, labels };
  } finally {
    if (base.kind === 'ready') await base.release();
    if (variant.kind === 'ready') await variant.release();
  }
}

/**
 * Differential mode: the case's expectations are replaced by what the reference does (see
 * suites/differential.ts), and the rewritten case is judged on the target as usual. A relation
 * case becomes its two worlds' expectation cases.
 */
async function runDifferentialCase(c: ConformanceCase, adapter: Adapter, ctx: JudgeContext, reference: Adapter): Promise<CaseRun> {
  const faulted = (error: FaultInfo): CaseRun => ({ verdict: { status: 'inconclusive', cause: error }, labels: [{ ...(c.labels ?? {}), outcome: 'unreachable' }] });
  if (c.kind === 'expect') {
    const rewritten = await withReferenceExpectations(c, reference);
    return rewritten.kind === 'fault' ? faulted(rewritten.error) : runCase(rewritten.case, adapter, ctx);
  }
  if (c.kind === 'relation') {
    const rewritten = await relationAsExpectations(c, reference);
    if (rewritten.kind === 'fault') return faulted(rewritten.error);
    const base = await runCase(rewritten.case[0], adapter, ctx);
    if (base.verdict.status === 'fail') return base;
    const variant = await runCase(rewritten.case[1], adapter, ctx);
    const labels = [...base.labels, ...variant.labels];
    if (variant.verdict.status === 'fail') return { ...variant, labels };
    return { verdict: base.verdict.status === 'inconclusive' ? base.verdict : variant.verdict, labels };
  }
  const steps = await referenceSteps(c.world, reference);
  if ('fault' in steps) return faulted(steps.fault);
  if ('rejected' in steps) return runCase({ kind: 'expect', world: c.world, expectWorld: steps.rejected, requests: [], ...(c.labels ? { labels: c.labels } : {}) }, adapter, ctx);
  try {
    return await runSequence(c, adapter, ctx, steps);
  } finally {
    await steps.release();
  }
}

/** The command that reruns one failing check. */
export function replayCommand(rule: Rule, check: Check, options: RunOptions, path?: string, seed = options.seed, replayPath?: string): string {
  const parts = ['npx bucket-conformance run', '--target', shellQuote(options.targetName ?? 'reference'), '--rules', shellQuote(rule.id), '--check', shellQuote(check.name)];
  if (options.differential) parts.push('--differential');
  if (check.kind === 'property') parts.push('--seed', String(seed), '--num-runs', String(options.numRuns));
  if (check.kind === 'property' && options.exhaustive !== undefined && !path) parts.push('--exhaustive', String(options.exhaustive));
  if (path) parts.push('--path', path);
  if (path && replayPath) parts.push('--replay-path', shellQuote(replayPath));
  return parts.join(' ');
}

/** fast-check's replay hint in the text of a shrunk command sequence (`... /*replayPath="..."*\/`). */
function replayPathOf(steps: unknown): string | undefined {
  const m = /replayPath=("(?:[^"\\]|\\.)*")/.exec(String(steps));
  return m ? (JSON.parse(m[1]!) as string) : undefined;
}

/** A word for a POSIX shell: as is when it is plain, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

function exampleCase(check: ExampleCheck): ConformanceCase {
  const c: ConformanceCase = { kind: 'expect', world: check.world, requests: check.requests.map((r) => ({ request: r.request, expect: r.expect, ...(r.name ? { labels: { request: r.name } } : {}) })) };
  if (check.expectWorld) c.expectWorld = check.expectWorld;
  return c;
}

/** Whether `address` lies in one of the blocks of `space`. */
function inSpace(address: string, space: SourceAddressSpace): boolean {
  try {
    const parsed = ipaddr.process(address);
    const block = parsed.kind() === 'ipv4' ? space.v4 : space.v6;
    if (block === undefined) return false;
    const [net, bits] = ipaddr.parseCIDR(block);
    return parsed.kind() === net.kind() && parsed.match([net, bits]);
  } catch {
    return false;
  }
}

/**
 * What a worked example needs that the target cannot send: an action outside its actions, or a
 * source address outside its address space (an example's requests are fixed, unlike a
 * property's). Undefined when the target can send every request of the example.
 */
function exampleLacks(check: ExampleCheck, adapter: Adapter): string | undefined {
  const { actions, sourceAddresses } = adapter.capabilities;
  if (actions === undefined && sourceAddresses === undefined) return undefined;
  const lower = actions === undefined ? undefined : new Set([...actions].map((a) => a.toLowerCase()));
  // A fixed address matters only where the world's policy has a condition on it; elsewhere the
  // target may send from its own address and decide the same.
  const readsAddress = /SourceIp/i.test(typeof check.world === 'object' && check.world !== null && 'policy' in check.world ? JSON.stringify((check.world as { policy?: unknown }).policy ?? '') : '');
  for (const { request } of check.requests as Array<{ request: { action?: unknown; context?: Record<string, unknown> } }>) {
    if (lower !== undefined && typeof request.action === 'string' && !lower.has(request.action.toLowerCase())) return `the action ${request.action}`;
    const address = request.context?.['acs:SourceIp'] ?? request.context?.['SourceIp'];
    if (readsAddress && sourceAddresses !== undefined && typeof address === 'string' && !inSpace(address, sourceAddresses)) return `the source address ${address} (it sends from ${[sourceAddresses.v4, sourceAddresses.v6].filter(Boolean).join(', ')})`;
  }
  return undefined;
}

async function runExample(rule: Rule, check: ExampleCheck, adapter: Adapter, ctx: JudgeContext, options: RunOptions): Promise<CheckResult> {
  const started = performance.now();
  const lacks = exampleLacks(check, adapter);
  if (lacks !== undefined) {
    return { name: check.name, kind: 'example', verdict: 'skip', message: `target \`${adapter.name}\` lacks ${lacks}`, cases: 0, distribution: {}, durationMs: performance.now() - started };
  }
  const distribution: Distribution = {};
  const run = await runCaseWith(exampleCase(check), adapter, ctx, options);
  for (const l of run.labels) bump(distribution, { outcome: l['outcome'] ?? 'unknown' });
  const result: CheckResult = {
    name: check.name,
    kind: 'example',
    verdict: run.verdict.status,
    cases: Math.max(run.labels.length, 1),
    distribution,
    durationMs: performance.now() - started,
  };
  if (run.verdict.status === 'fail') {
    result.message = run.failure ? describeFailure(run.failure) : run.verdict.reason;
    if (run.failure) result.counterexample = run.failure;
    result.replay = replayCommand(rule, check, options);
  }
  if (run.verdict.status === 'inconclusive') {
    result.message = `inconclusive: ${run.verdict.cause.code}: ${run.verdict.cause.message}`;
    result.faults = [run.verdict.cause];
  }
  return result;
}

function describeFailure(f: Counterexample): string {
  if (f.sequence) return `step ${f.requestIndex + 1} of ${f.sequence.length}: ${f.reason}\n${f.sequence.join('\n')}`;
  const at = f.requestIndex >= 0 ? `request ${f.requestIndex}` : 'world';
  return `${at}: ${f.reason}`;
}

/** What a property may know while it builds its cases. */
function propertyEnv(rule: Rule, adapter: Adapter, options: RunOptions): PropertyEnv {
  const env: PropertyEnv = { capabilities: adapter.capabilities.features, rule: { id: rule.id, vendor: rule.vendor }, tables: options.tables ?? {} };
  if (adapter.capabilities.sourceAddresses !== undefined) env.sourceAddresses = adapter.capabilities.sourceAddresses;
  if (adapter.capabilities.actions !== undefined) env.actions = adapter.capabilities.actions;
  const replaying = options.path !== undefined && options.replayPath !== undefined;
  if (replaying) env.replayPath = options.replayPath!;
  return env;
}

/** Whether the target restricts what the generated cases may use (source addresses, actions). */
function restricted(adapter: Adapter): boolean {
  return adapter.capabilities.sourceAddresses !== undefined || adapter.capabilities.actions !== undefined;
}

/** `it sends from 127.0.0.0/8 only; it can be sent 3 actions`: what a restricted target allows, for skip messages. */
function restrictions(adapter: Adapter): string {
  const { sourceAddresses, actions } = adapter.capabilities;
  const parts: string[] = [];
  if (sourceAddresses !== undefined) parts.push(`it sends from ${[sourceAddresses.v4, sourceAddresses.v6].filter((b) => b !== undefined).join(' and ') || 'no address'} only`);
  if (actions !== undefined) parts.push(`it can be sent ${actions.size} action${actions.size === 1 ? '' : 's'}`);
  return parts.join('; ');
}

/** A check that could not be run for the target, with what it lacks. */
function skippedCheck(check: PropertyCheck, adapter: Adapter, lacks: string, started: number): CheckResult {
  return { name: check.name, kind: 'property', property: check.property, verdict: 'skip', message: `target \`${adapter.name}\` lacks ${lacks}`, cases: 0, distribution: {}, durationMs: performance.now() - started };
}

/**
 * A check whose cases never reached a required outcome or label, against a target that restricts
 * source addresses or actions: the cases it can be sent may not reach it (no v6 address from a v4
 * space, no ACL header without PutBucketAcl), so the check is skipped with that said. It did not
 * check everything it must (never a pass); the cases it ran passed (not a failure). Against any
 * other target, missing coverage is a defect of the property and fails.
 */
function skipUncovered(result: CheckResult, adapter: Adapter, reached: string): void {
  result.verdict = 'skip';
  result.message = `target \`${adapter.name}\` lacks what the cases need to reach every required outcome and label (${restrictions(adapter)}): ${reached}`;
}

/**
 * Runs an exhaustive property: every enumerated case once, in order, up to the first failure.
 * `--path` replays one case by its index.
 */
async function runExhaustive(rule: Rule, check: PropertyCheck, definition: ExhaustiveProperty, adapter: Adapter, ctx: JudgeContext, options: RunOptions): Promise<CheckResult> {
  const started = performance.now();
  const distribution: Distribution = {};
  const faults: FaultInfo[] = [];
  let all: ConformanceCase[];
  try {
    all = definition.enumerate(check.params, propertyEnv(rule, adapter, options));
  } catch (error) {
    if (isTargetLacks(error)) return skippedCheck(check, adapter, error.lacks, started);
    throw error;
  }
  const replaying = options.path !== undefined && (options.check === undefined || options.check === check.name);
  const only = replaying ? Number(options.path) : undefined;
  if (only !== undefined && !(Number.isInteger(only) && only >= 0 && only < all.length)) {
    throw new ConformanceError('CONFORMANCE_USAGE', `--path ${options.path}: check \`${check.name}\` is exhaustive; its path is a case index from 0 to ${all.length - 1}`);
  }
  const result: CheckResult = { name: check.name, kind: 'property', property: check.property, verdict: 'pass', cases: 0, distribution, durationMs: 0 };
  // The indexes to run: one replayed case, a sample (a budgeted run), or all of them.
  const indexes = only !== undefined ? [only] : options.exhaustive !== undefined && options.exhaustive < all.length ? sampleExhaustive(all, options.exhaustive, options.seed) : all.map((_c, i) => i);
  if (only === undefined && indexes.length < all.length) result.enumerated = all.length;
  for (const index of indexes) {
    const c = all[index]!;
    const run = await runCaseWith(c, adapter, ctx, options);
    if (notRun(run)) {
      faults.push(INTERRUPTED);
      break;
    }
    result.cases++;
    for (const l of run.labels) bump(distribution, l);
    if (run.verdict.status === 'inconclusive') faults.push(run.verdict.cause);
    if (run.verdict.status === 'fail') {
      result.verdict = 'fail';
      result.path = String(index);
      if (run.failure) {
        result.counterexample = run.failure;
        result.message = `case ${index} of ${all.length}: ${describeFailure(run.failure)}`;
      } else {
        result.message = `case ${index} of ${all.length}: ${run.verdict.reason}`;
      }
      result.replay = replayCommand(rule, check, options, String(index));
      break;
    }
  }
  if (result.verdict === 'pass' && faults.length > 0) {
    result.verdict = 'inconclusive';
    result.faults = faults.slice(0, 5);
    result.message = `inconclusive: ${faults.length} case(s) met a fault, first: ${faults[0]!.code}: ${faults[0]!.message}`;
  } else if (result.verdict === 'pass' && only === undefined) {
    const missing = missingCoverage(distribution, check.outcomes, check.cover);
    const reached = `the ${indexes.length < all.length ? `${indexes.length} sampled of ${all.length}` : all.length} enumerated cases never reached ${missing.join(', ')}; distribution: ${formatDistribution(distribution)}`;
    if (missing.length > 0 && restricted(adapter)) {
      skipUncovered(result, adapter, reached);
    } else if (missing.length > 0) {
      result.verdict = 'fail';
      result.message = reached;
      result.replay = replayCommand(rule, check, options);
    }
  }
  result.durationMs = performance.now() - started;
  return result;
}

async function runProperty(rule: Rule, check: PropertyCheck, definition: GeneratedProperty, adapter: Adapter, ctx: JudgeContext, options: RunOptions): Promise<CheckResult> {
  const started = performance.now();
  const distribution: Distribution = {};
  const faults: FaultInfo[] = [];
  const failures = new WeakMap<object, Counterexample>();
  let cases = 0;
  // Only the first run of each generated value counts; shrinking reruns are not part of the distribution.
  let shrinking = false;
  let arbitrary: fc.Arbitrary<ConformanceCase>;
  try {
    arbitrary = definition.cases(check.params, propertyEnv(rule, adapter, options));
  } catch (error) {
    if (isTargetLacks(error)) return skippedCheck(check, adapter, error.lacks, started);
    throw error;
  }
  const property = fc.asyncProperty(arbitrary, async (c) => {
    const run = await runCaseWith(c, adapter, ctx, options);
    if (!shrinking && !notRun(run)) {
      cases++;
      for (const l of run.labels) bump(distribution, l);
    }
    if (run.verdict.status === 'inconclusive') {
      faults.push(run.verdict.cause);
      return true;
    }
    if (run.verdict.status === 'fail') {
      shrinking = true;
      if (run.failure) failures.set(c, run.failure);
      return false;
    }
    return true;
  });
  const replaying = options.path !== undefined && (options.check === undefined || options.check === check.name);
  let details: fc.RunDetails<[ConformanceCase]>;
  try {
    details = await fc.check(property, {
      seed: options.seed,
      numRuns: replaying ? 1 : options.numRuns,
      ...(replaying ? { path: options.path } : {}),
    });
    // Coverage is a property of the generator, not of the target: when a required outcome or label
    // was not reached, more batches (seed + 1, ...) tell an unlucky run from a generator that never
    // reaches it. Only the latter fails.
    for (let batch = 1; !replaying && !details.failed && faults.length === 0 && batch <= EXTRA_COVERAGE_BATCHES; batch++) {
      if (missingCoverage(distribution, check.outcomes, check.cover).length === 0) break;
      details = await fc.check(property, { seed: options.seed + batch, numRuns: options.numRuns });
    }
  } catch (error) {
    // A property that finds out only while generating that the target cannot be sent its case
    // (fast-check lets errors of generation through).
    if (isTargetLacks(error)) return skippedCheck(check, adapter, error.lacks, started);
    throw error;
  }
  const result: CheckResult = {
    name: check.name,
    kind: 'property',
    property: check.property,
    verdict: 'pass',
    cases,
    distribution,
    seed: details.seed,
    durationMs: 0,
  };
  if (details.failed) {
    const error = details.errorInstance;
    if (isConformanceError(error)) throw error;
    result.verdict = 'fail';
    result.numShrinks = details.numShrinks;
    if (details.counterexamplePath) result.path = details.counterexamplePath;
    const value = details.counterexample?.[0];
    const failure = value && typeof value === 'object' ? failures.get(value) : undefined;
    if (failure) {
      result.counterexample = failure;
      result.message = describeFailure(failure);
    } else {
      result.message = `the property threw: ${error instanceof Error ? error.message : String(error)}`;
    }
    const steps = value && typeof value === 'object' && (value as ConformanceCase).kind === 'sequence' ? (value as SequenceCase).steps : undefined;
    result.replay = replayCommand(rule, check, options, details.counterexamplePath ?? undefined, details.seed, steps ? replayPathOf(steps) : undefined);
  } else if (faults.length > 0) {
    result.verdict = 'inconclusive';
    result.faults = faults.slice(0, 5);
    result.message = `inconclusive: ${faults.length} case(s) met a fault, first: ${faults[0]!.code}: ${faults[0]!.message}`;
  } else if (!replaying) {
    const missing = missingCoverage(distribution, check.outcomes, check.cover);
    const reached = `the generated cases never reached ${missing.join(', ')}; distribution: ${formatDistribution(distribution)} (seed ${details.seed})`;
    if (missing.length > 0 && restricted(adapter)) {
      skipUncovered(result, adapter, reached);
    } else if (missing.length > 0) {
      result.verdict = 'fail';
      result.message = reached;
      result.replay = replayCommand(rule, check, options);
    }
  }
  result.durationMs = performance.now() - started;
  return result;
}

/** How many more batches of cases a property may run to reach a required outcome or label. */
export const EXTRA_COVERAGE_BATCHES = 4;

/** `outcome: allow 51, deny 49; principal: owner 20, ...` */
export function formatDistribution(distribution: Distribution): string {
  return Object.entries(distribution)
    .filter(([label]) => label !== 'request')
    .map(([label, values]) => `${label}: ${Object.entries(values).sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v} ${n}`).join(', ')}`)
    .join('; ');
}

/** The capabilities a rule needs that the target lacks. */
export function missingCapabilities(rule: Rule, adapter: Adapter): Capability[] {
  return rule.requires.filter((c) => !adapter.capabilities.features.has(c));
}

/**
 * Runs every check of a rule (or the one named by `options.check`) and combines their verdicts.
 * A target that lacks the vendor or a required capability is skipped with the reason.
 */
export async function runRule(rule: Rule, adapter: Adapter, properties: ReadonlyMap<string, PropertyDefinition>, options: RunOptions): Promise<RuleResult> {
  const started = performance.now();
  const base: Omit<RuleResult, 'verdict' | 'cases' | 'distribution' | 'checks' | 'durationMs'> = {
    id: rule.id,
    vendor: rule.vendor,
    status: rule.status,
    title: rule.title,
    source: rule.source,
    file: rule.file,
    ...(rule.reading ? { reading: rule.reading } : {}),
  };
  if (!adapter.capabilities.vendors.includes(rule.vendor)) {
    return { ...base, verdict: 'skip', message: `target \`${adapter.name}\` does not cover vendor ${rule.vendor}`, cases: 0, distribution: {}, checks: [], durationMs: 0 };
  }
  const missing = missingCapabilities(rule, adapter);
  if (missing.length > 0) {
    return { ...base, verdict: 'skip', missing, message: `target \`${adapter.name}\` lacks ${missing.join(', ')}`, cases: 0, distribution: {}, checks: [], durationMs: 0 };
  }
  if (options.check !== undefined && !rule.checks.some((c) => c.name === options.check)) {
    return { ...base, verdict: 'skip', message: `rule has no check named \`${options.check}\``, cases: 0, distribution: {}, checks: [], durationMs: 0 };
  }
  const ctx: JudgeContext = { features: adapter.capabilities.features };
  const checks: CheckResult[] = [];
  for (const check of rule.checks) {
    if (options.check !== undefined && check.name !== options.check) continue;
    const lacking = (check.requires ?? []).filter((c) => !adapter.capabilities.features.has(c));
    if (lacking.length > 0) {
      checks.push({ name: check.name, kind: check.kind, ...(check.kind === 'property' ? { property: check.property } : {}), verdict: 'skip', message: `target \`${adapter.name}\` lacks ${lacking.join(', ')}`, cases: 0, distribution: {}, durationMs: 0 });
      continue;
    }
    if (check.kind === 'example') {
      checks.push(await runExample(rule, check, adapter, ctx, options));
    } else {
      const definition = properties.get(check.property);
      if (!definition) throw new Error(`property \`${check.property}\` is not registered (the spec loader should have refused it)`);
      checks.push(isExhaustive(definition) ? await runExhaustive(rule, check, definition, adapter, ctx, options) : await runProperty(rule, check, definition, adapter, ctx, options));
    }
  }
  const distribution: Distribution = {};
  for (const c of checks) {
    for (const [label, values] of Object.entries(c.distribution)) {
      if (label !== 'outcome') continue;
      for (const [v, n] of Object.entries(values)) bump2(distribution, label, v, n);
    }
  }
  const verdict: Verdict = combineVerdicts(checks.map((c) => c.verdict));
  const failing = checks.find((c) => c.verdict === verdict && c.message);
  return {
    ...base,
    verdict,
    ...(verdict !== 'pass' && failing?.message ? { message: `${failing.name}: ${failing.message}` } : {}),
    cases: checks.reduce((n, c) => n + c.cases, 0),
    distribution,
    checks,
    durationMs: performance.now() - started,
  };
}

function bump2(distribution: Distribution, label: string, value: string, n: number): void {
  const byValue = (distribution[label] ??= {});
  byValue[value] = (byValue[value] ?? 0) + n;
}
