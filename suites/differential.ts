/**
 * Differential mode (`run --differential`), kept apart from conformance: the expected outcome of
 * every request is what the reference evaluator does with it, not what the specs say. A case is
 * first run on the reference, its expectations are replaced by the reference's observations, and
 * the rewritten case goes to the target through the usual judge. A disagreement is therefore a
 * failure "against the reference", reported as such, with fast-check's shrinking as usual. The
 * specs' own expectations are not consulted here; the conformance run is where they are.
 */
import type { Adapter, PreparedWorld } from '../adapters/types.ts';
import type { ExpectationCase, ExpectedRequest, RelationCase } from '../model/case.ts';
import type { Expectation, FaultInfo, Observation } from '../model/outcome.ts';

/** The expectation that matches a reference observation exactly: its decision, status, code and EC. */
export function expectationOf(o: Extract<Observation, { kind: 'decided' }>): Expectation {
  return {
    decision: o.decision,
    ...(o.status === undefined ? {} : { status: o.status }),
    ...(o.code === undefined ? {} : { code: o.code }),
    ...(o.ec === undefined ? {} : { ec: o.ec }),
  };
}

/** What rewriting a case gave: the case with the reference's expectations, or a fault of the reference (a defect: the reference is in-process). */
export type Rewritten<C> = { kind: 'case'; case: C } | { kind: 'fault'; error: FaultInfo };

/** `c` with each request's expectation (and the world's) replaced by what `reference` does. */
export async function withReferenceExpectations(c: ExpectationCase, reference: Adapter): Promise<Rewritten<ExpectationCase>> {
  const prep = await reference.prepare(c.world);
  if (prep.kind === 'unreachable') return { kind: 'fault', error: prep.error };
  if (prep.kind === 'rejected') {
    const { kind: _k, message: _m, explanation: _e, ...rest } = prep;
    const expectWorld: Expectation = { decision: 'rejected', ...rest };
    return { kind: 'case', case: { ...c, expectWorld, requests: [] } };
  }
  try {
    const requests: ExpectedRequest[] = [];
    for (const r of c.requests) {
      const o = await prep.observe(r.request);
      if (o.kind === 'unreachable') return { kind: 'fault', error: o.error };
      requests.push({ ...r, expect: expectationOf(o) });
    }
    const { expectWorld: _w, ...rest } = c;
    return { kind: 'case', case: { ...rest, requests } };
  } finally {
    await prep.release();
  }
}

/** A relation case as two expectation cases, the base world's and the variant's, each with the reference's expectations. */
export async function relationAsExpectations(c: RelationCase, reference: Adapter): Promise<Rewritten<[ExpectationCase, ExpectationCase]>> {
  const toCase = (world: RelationCase['base']): ExpectationCase => ({
    kind: 'expect',
    world,
    requests: c.requests.map((request) => ({ request, expect: { decision: 'allow' } })),
    ...(c.labels ? { labels: c.labels } : {}),
  });
  const base = await withReferenceExpectations(toCase(c.base), reference);
  if (base.kind === 'fault') return base;
  const variant = await withReferenceExpectations(toCase(c.variant), reference);
  if (variant.kind === 'fault') return variant;
  return { kind: 'case', case: [base.case, variant.case] };
}

/** A reference world kept alongside the target's during a stateful case, to rewrite each step's expectation. */
export interface ReferenceSteps {
  /** The step with its expectation replaced by what the reference does with its request (which also advances the reference's state). */
  rewrite(step: ExpectedRequest): Promise<ExpectedRequest | { fault: FaultInfo }>;
  release(): Promise<void>;
}

/** Prepares the reference's copy of a stateful case's world. */
export async function referenceSteps(world: ExpectationCase['world'], reference: Adapter): Promise<ReferenceSteps | { fault: FaultInfo } | { rejected: Expectation }> {
  const prep = await reference.prepare(world);
  if (prep.kind === 'unreachable') return { fault: prep.error };
  if (prep.kind === 'rejected') {
    const { kind: _k, message: _m, explanation: _e, ...rest } = prep;
    return { rejected: { decision: 'rejected', ...rest } };
  }
  const ready: PreparedWorld = prep;
  return {
    async rewrite(step) {
      const o = await ready.observe(step.request);
      if (o.kind === 'unreachable') return { fault: o.error };
      return { ...step, expect: expectationOf(o) };
    },
    release: () => ready.release(),
  };
}
