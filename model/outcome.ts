/**
 * Outcomes: what a spec or a generator expects, what a target is observed to do, and the
 * verdicts the judge derives from the two.
 */

/** The decision a request or a policy gets. `rejected` means the policy itself was refused. */
export const DECISIONS = ['allow', 'deny', 'rejected'] as const;
/** One decision. */
export type Decision = (typeof DECISIONS)[number];

/** An HTTP status, or a class such as `4xx` when the documents leave the exact status open. */
export type StatusExpectation = number | '4xx' | '5xx';

/**
 * The expected outcome of one request (or of preparing a world, for `rejected`). Only the fields
 * given are compared: a spec that states only the decision asserts only the decision.
 */
export interface Expectation {
  decision: Decision;
  status?: StatusExpectation;
  code?: string;
  ec?: string;
}

/** Why a target decided as it did, when it can tell (the reference evaluator can). */
export interface Explanation {
  /** Rule ids whose documented behaviour decided the request. */
  rules: string[];
  /** Indexes (0-based) of the statements that decided it. */
  statements: number[];
  /**
   * The step of the evaluation that decided. Policies: `explicit-deny`, `explicit-allow`,
   * `owner`, `implicit-deny`, `invalid-policy`. Grants (APS): `owner`, `grant` (allowed by the
   * key's access level), `no-grant` (refused: no grant, or the level does not cover it),
   * `not-found` (no such bucket or object), `conflict` (the bucket key is taken),
   * `invalid-request` (a createBucket payload is refused).
   */
  reason: 'explicit-deny' | 'explicit-allow' | 'owner' | 'implicit-deny' | 'invalid-policy' | 'grant' | 'no-grant' | 'not-found' | 'conflict' | 'invalid-request';
}

/** A fault outside the target's access control: refused connection, timeout, throttling. */
export interface FaultInfo {
  /** A stable code such as `UND_ERR_CONNECT_TIMEOUT` or `THROTTLED`. */
  code: string;
  message: string;
}

/**
 * What a target did with one request. Adapters return this and never throw for target behaviour.
 * `rejected` is for requests whose body the target refuses as invalid (an APS createBucket with
 * 61 keys), as opposed to a refusal on access grounds (`deny`).
 */
export type Observation =
  | {
      kind: 'decided';
      decision: Decision;
      status?: number;
      code?: string;
      ec?: string;
      explanation?: Explanation;
    }
  | { kind: 'unreachable'; error: FaultInfo };

/** What a target did with a world: accepted it, rejected its policy, or could not be reached. */
export type Rejection = { status?: number; code?: string; ec?: string; message?: string; explanation?: Explanation };

/** The verdict on one case (one request, or one world that should be rejected). */
export type CaseVerdict =
  | { status: 'pass' }
  | { status: 'fail'; reason: string }
  | { status: 'inconclusive'; cause: FaultInfo };

/** The verdict on a check or a rule. `skip` carries the missing capabilities. */
export const VERDICTS = ['pass', 'fail', 'skip', 'inconclusive'] as const;
/** One verdict. */
export type Verdict = (typeof VERDICTS)[number];
