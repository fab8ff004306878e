import type { Expectation } from '../model/outcome.ts';
import type { CheckResult, Counterexample, ObservedOutcome } from '../model/result.ts';
import type { ReportVerdict, RuleReport } from './report.ts';

/**
 * Short descriptions shared by the reporters: a rule's mechanism, an expected and an observed
 * outcome, a verdict's reason. They read results only.
 */

/** The access-control mechanisms a rule can be about, derived from its id family. */
export const MECHANISMS = ['policy', 'acl', 'grants', 'cross-vendor'] as const;
/** One mechanism. */
export type Mechanism = (typeof MECHANISMS)[number];

/** How each mechanism is named in a report. */
export const MECHANISM_TITLES: Readonly<Record<Mechanism, string>> = {
  policy: 'bucket policy',
  acl: 'bucket ACL',
  grants: 'bucket grants',
  'cross-vendor': 'cross-vendor properties',
};

/**
 * The mechanism of a rule id: `X-*` rules are cross-vendor properties, `OBS-ACL-*` are about
 * OBS bucket ACLs, `APS-*` about APS grants, and the other `ALI-*` and `OBS-*` rules about
 * bucket policies.
 */
export function mechanismOf(id: string): Mechanism {
  if (id.startsWith('X-')) return 'cross-vendor';
  if (id.startsWith('APS-')) return 'grants';
  if (id.startsWith('OBS-ACL-') || id.startsWith('OBS-ACL.')) return 'acl';
  return 'policy';
}

/** How each verdict is named in a report. */
export const VERDICT_TITLES: Readonly<Record<ReportVerdict, string>> = {
  pass: 'pass',
  fail: 'fail',
  skip: 'skip',
  inconclusive: 'inconclusive',
  'expected-fail': 'expected fail',
  'unexpected-pass': 'unexpected pass',
};

/** An expected outcome in a few words: `deny (403 AccessDenied)`. */
export function describeExpected(e: Expectation | string): string {
  if (typeof e === 'string') return e;
  const details = [e.status, e.code, e.ec ? `EC ${e.ec}` : undefined].filter((x) => x !== undefined);
  return details.length ? `${e.decision} (${details.join(' ')})` : e.decision;
}

/** An observed outcome in a few words: `allow (200)`, `rejected (400 MalformedPolicy)`, `unreachable: ETIMEDOUT`. */
export function describeObserved(o: ObservedOutcome | string): string {
  if (typeof o === 'string') return o;
  const details = (x: { status?: number | undefined; code?: string | undefined; ec?: string | undefined }): string => {
    const parts = [x.status, x.code, x.ec ? `EC ${x.ec}` : undefined].filter((p) => p !== undefined);
    return parts.length ? ` (${parts.join(' ')})` : '';
  };
  if (o.kind === 'unreachable') return `unreachable: ${o.error.code}: ${o.error.message}`;
  if (o.kind === 'rejected') return `rejected${details(o)}`;
  const obs = o.observation;
  if (obs.kind === 'unreachable') return `unreachable: ${obs.error.code}: ${obs.error.message}`;
  return `${obs.decision}${details(obs)}`;
}

/** The explanation a target gave with an observation, if any: `explicit-allow by ALI-UNION, statement 0`. */
export function describeExplanation(o: ObservedOutcome | string): string | undefined {
  if (typeof o === 'string') return undefined;
  const e = o.kind === 'observed' ? (o.observation.kind === 'decided' ? o.observation.explanation : undefined) : o.kind === 'rejected' ? o.explanation : undefined;
  if (!e) return undefined;
  const by = e.rules.length ? ` by ${e.rules.join(', ')}` : '';
  const at = e.statements.length ? `, statement${e.statements.length > 1 ? 's' : ''} ${e.statements.join(', ')}` : '';
  return `${e.reason}${by}${at}`;
}

/** The failing checks of a rule (those with a `fail` verdict). */
export function failingChecks(rule: Pick<RuleReport, 'checks'>): CheckResult[] {
  return rule.checks.filter((c) => c.verdict === 'fail');
}

/** The first line of a message. */
export function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!;
}

/** Where a counterexample failed: `request 1`, `step 2 of 2`, or `the world`. */
export function failedAt(ce: Counterexample): string {
  if (ce.sequence) return `step ${ce.requestIndex + 1} of ${ce.sequence.length}`;
  return ce.requestIndex >= 0 ? `request ${ce.requestIndex}` : 'the world';
}

/**
 * Why a rule has its verdict, in one line: the failure, the missing capabilities, the fault, the
 * expectations entry. Empty for a plain pass.
 */
export function verdictReason(rule: Pick<RuleReport, 'verdict' | 'message' | 'missing' | 'expectation'>): string {
  const known = rule.expectation ? `${rule.expectation.reason}${rule.expectation.link ? ` (${rule.expectation.link})` : ''}` : '';
  switch (rule.verdict) {
    case 'pass':
      return '';
    case 'skip':
      return firstLine(rule.message) || (rule.missing?.length ? `lacks ${rule.missing.join(', ')}` : 'skipped');
    case 'expected-fail':
      return `known failure: ${known}${rule.message ? `; ${firstLine(rule.message)}` : ''}`;
    case 'unexpected-pass':
      return `listed as a known failure (${known}) but passed: remove it from the expectations file`;
    default:
      return firstLine(rule.message) || rule.verdict;
  }
}
