import type { Capability } from '../model/capabilities.ts';
import type { Relation } from '../model/case.ts';
import type { CaseVerdict, Expectation, Observation, Rejection, StatusExpectation, Verdict } from '../model/outcome.ts';

/**
 * The judge: the one place where pass or fail is decided. It compares what a spec or a
 * generator expects with what a target was observed to do. A fault (unreachable target) is
 * inconclusive, never a failure; fields the target cannot observe are not compared.
 */

/** What the judge needs to know about the target: whether it observes status and codes. */
export interface JudgeContext {
  features: ReadonlySet<Capability>;
}

function statusMatches(expected: StatusExpectation, actual: number | undefined): boolean {
  if (actual === undefined) return false;
  if (expected === '4xx') return actual >= 400 && actual < 500;
  if (expected === '5xx') return actual >= 500 && actual < 600;
  return actual === expected;
}

/** A short human description of an expectation: `deny (403 AccessDenied)`. */
export function describeExpectation(e: Expectation): string {
  const details = [e.status, e.code, e.ec ? `EC ${e.ec}` : undefined].filter((x) => x !== undefined);
  return details.length ? `${e.decision} (${details.join(' ')})` : e.decision;
}

/** A short human description of what was observed. */
export function describeObserved(o: { decision?: string; status?: number | undefined; code?: string | undefined; ec?: string | undefined }): string {
  const details = [o.status, o.code, o.ec ? `EC ${o.ec}` : undefined].filter((x) => x !== undefined);
  return details.length ? `${o.decision} (${details.join(' ')})` : String(o.decision);
}

/** Compares the status, code and EC an expectation names with what was observed, if the target observes them. */
function detailsMismatch(expected: Expectation, observed: { status?: number | undefined; code?: string | undefined; ec?: string | undefined }, ctx: JudgeContext): string | undefined {
  if (!ctx.features.has('observe.status')) return undefined;
  if (expected.status !== undefined && !statusMatches(expected.status, observed.status)) return `status ${observed.status ?? 'none'} is not ${expected.status}`;
  if (expected.code !== undefined && observed.code !== expected.code) return `code \`${observed.code ?? 'none'}\` is not \`${expected.code}\``;
  if (expected.ec !== undefined && observed.ec !== expected.ec) return `EC \`${observed.ec ?? 'none'}\` is not \`${expected.ec}\``;
  return undefined;
}

/** The verdict on one request: its observation against its expected outcome. */
export function judgeObservation(expected: Expectation, observation: Observation, ctx: JudgeContext): CaseVerdict {
  if (observation.kind === 'unreachable') return { status: 'inconclusive', cause: observation.error };
  const seen = describeObserved(observation);
  if (observation.decision !== expected.decision) {
    return { status: 'fail', reason: `expected ${describeExpectation(expected)}, observed ${seen}` };
  }
  const mismatch = detailsMismatch(expected, observation, ctx);
  if (mismatch) return { status: 'fail', reason: `expected ${describeExpectation(expected)}, observed ${seen}: ${mismatch}` };
  return { status: 'pass' };
}

/** What preparing a world gave, as the judge sees it. */
export type PreparationOutcome = { kind: 'ready' } | ({ kind: 'rejected' } & Rejection) | { kind: 'unreachable'; error: { code: string; message: string } };

/**
 * The verdict on preparing a world. With `expectWorld` rejected, the world must be rejected
 * (with the stated status and codes); otherwise it must be accepted, and `continue` tells the
 * caller to go on with the requests.
 */
export function judgePreparation(expectWorld: Expectation | undefined, outcome: PreparationOutcome, ctx: JudgeContext): CaseVerdict | 'continue' {
  if (outcome.kind === 'unreachable') return { status: 'inconclusive', cause: outcome.error };
  const wantsRejection = expectWorld?.decision === 'rejected';
  if (outcome.kind === 'rejected') {
    const seen = describeObserved({ decision: 'rejected', status: outcome.status, code: outcome.code, ec: outcome.ec });
    if (!wantsRejection) return { status: 'fail', reason: `expected the policy to be accepted, observed ${seen}${outcome.message ? `: ${outcome.message}` : ''}` };
    const mismatch = detailsMismatch(expectWorld, outcome, ctx);
    if (mismatch) return { status: 'fail', reason: `expected ${describeExpectation(expectWorld)}, observed ${seen}: ${mismatch}` };
    return { status: 'pass' };
  }
  if (wantsRejection) return { status: 'fail', reason: `expected ${describeExpectation(expectWorld)}, but the policy was accepted` };
  return 'continue';
}

/** The verdict on one request seen in two worlds, against a metamorphic relation. */
export function judgeRelation(relation: Relation, base: Observation, variant: Observation): CaseVerdict {
  if (base.kind === 'unreachable') return { status: 'inconclusive', cause: base.error };
  if (variant.kind === 'unreachable') return { status: 'inconclusive', cause: variant.error };
  const b = base.decision;
  const v = variant.decision;
  switch (relation) {
    case 'same-decision':
      return b === v ? { status: 'pass' } : { status: 'fail', reason: `the base world decided ${b}, the variant decided ${v}; the relation requires the same decision` };
    case 'no-new-allow':
      return b === 'deny' && v === 'allow' ? { status: 'fail', reason: 'denied in the base world but allowed after a Deny statement was added' } : { status: 'pass' };
    case 'no-new-deny':
      return b === 'allow' && v === 'deny' ? { status: 'fail', reason: 'allowed in the base world but denied after an Allow statement was added' } : { status: 'pass' };
  }
}

/** Combines verdicts: any fail fails; else any inconclusive is inconclusive; else pass (an empty list passes only if `allowEmpty`). */
export function combineVerdicts(verdicts: readonly Verdict[], allowEmpty = false): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('inconclusive')) return 'inconclusive';
  if (verdicts.length === 0) return allowEmpty ? 'pass' : 'fail';
  if (verdicts.every((v) => v === 'skip')) return 'skip';
  return 'pass';
}

/** Outcomes (and other labels) a check required but its cases never reached: a defect of the property, never a pass. */
export function missingCoverage(distribution: Record<string, Record<string, number>>, outcomes: readonly string[], cover: Readonly<Record<string, readonly string[]>>): string[] {
  const missing: string[] = [];
  for (const o of outcomes) if (!(distribution['outcome']?.[o] ?? 0)) missing.push(`outcome=${o}`);
  for (const [label, values] of Object.entries(cover)) {
    for (const v of values) if (!(distribution[label]?.[v] ?? 0)) missing.push(`${label}=${v}`);
  }
  return missing;
}
