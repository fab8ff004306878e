import type { Capability } from './capabilities.ts';
import type { ReportedCase } from './case.ts';
import type { Expectation, FaultInfo, Observation, Rejection, Verdict } from './outcome.ts';
import type { Citation, RuleStatus } from './rule.ts';
import type { Vendor } from './vendors.ts';

/** Label -> value -> number of cases (the outcome distribution of a check or rule). */
export type Distribution = Record<string, Record<string, number>>;

/** What the target did for one request or world, in a form a report can print. */
export type ObservedOutcome =
  | { kind: 'observed'; observation: Observation }
  | ({ kind: 'rejected' } & Rejection)
  | { kind: 'unreachable'; error: FaultInfo };

/** The smallest failing case of a check, with what was expected and what was observed. */
export interface Counterexample {
  /** The failing case; for a stateful case, the world and the steps that ran up to the failure. */
  case: ReportedCase;
  /** Index of the failing request in the case, or -1 when the world itself was at fault. */
  requestIndex: number;
  expected: Expectation | string;
  observed: ObservedOutcome | string;
  reason: string;
  /** For a stateful case: the shrunk sequence of steps, one line each, the failing one last. */
  sequence?: string[];
}

/** The result of one check of a rule. */
export interface CheckResult {
  name: string;
  kind: 'example' | 'property';
  property?: string;
  verdict: Verdict;
  /** Cases run (generated cases for a property, requests plus worlds for an example). */
  cases: number;
  /** For an exhaustive check that ran a sample (`--exhaustive N`): how many cases it enumerates in all. */
  enumerated?: number;
  distribution: Distribution;
  /** Why the check did not pass: the failure reason, the missing outcome, or the fault. */
  message?: string;
  seed?: number;
  path?: string;
  numShrinks?: number;
  counterexample?: Counterexample;
  /** The command that reruns exactly this failure. */
  replay?: string;
  faults?: FaultInfo[];
  durationMs: number;
}

/** The result of one rule against one target. */
export interface RuleResult {
  id: string;
  vendor: Vendor;
  status: RuleStatus;
  title: string;
  source: Citation;
  reading?: string;
  file: string;
  verdict: Verdict;
  /** For `skip`: the capabilities the target lacks. */
  missing?: Capability[];
  message?: string;
  cases: number;
  distribution: Distribution;
  checks: CheckResult[];
  durationMs: number;
}
