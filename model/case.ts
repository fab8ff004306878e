import type { Expectation } from './outcome.ts';
import type { Request, World } from './world.ts';

/** Labels of a generated case, counted into the outcome distribution (`{outcome: 'deny', principal: 'owner'}`). */
export type CaseLabels = Record<string, string>;

/** A request together with the outcome its construction guarantees. */
export interface ExpectedRequest {
  /** A one-line description, for the steps of stateful cases: `K3 (write) downloadObject a.txt (by-self)`. */
  name?: string;
  request: Request;
  expect: Expectation;
  labels?: CaseLabels;
}

/** A case whose outcome is known by construction (or stated by a spec). */
export interface ExpectationCase {
  kind: 'expect';
  world: World;
  /** When present, the expected outcome of preparing the world (`rejected`, or accepted as `allow`). */
  expectWorld?: Expectation;
  requests: ExpectedRequest[];
  labels?: CaseLabels;
}

/** Relations between the decisions of the same request in two worlds. */
export const RELATIONS = ['same-decision', 'no-new-allow', 'no-new-deny'] as const;
/** One relation: equal decisions; or, from base to variant, no denied request becomes allowed (`no-new-allow`), or no allowed one becomes denied (`no-new-deny`). */
export type Relation = (typeof RELATIONS)[number];

/** A metamorphic case: the oracle is the relation between the runs in two worlds. */
export interface RelationCase {
  kind: 'relation';
  relation: Relation;
  base: World;
  variant: World;
  requests: Request[];
  labels?: CaseLabels;
}

/** What a step of a stateful case hands its request to: the runner observes it and asks the judge. */
export interface StepDriver {
  send(step: ExpectedRequest): Promise<void>;
}

/**
 * One step of a stateful case, in the shape of a fast-check `AsyncCommand`: whether it applies
 * in the model's state, and what it does. `run` computes the request and its expected outcome
 * from the model (which the rules define), hands them to the driver, and advances the model. It
 * never looks at what the target did.
 */
export interface SequenceStep<M> {
  check(model: Readonly<M>): boolean;
  run(model: M, driver: StepDriver): Promise<void>;
  toString(): string;
}

/**
 * A stateful case: a world, the model's state for it, and a sequence of steps checked one by one
 * against the model (fast-check `asyncModelRun`). Its failures are reported as the expectation
 * case of the steps that ran, so that they print and replay like any other.
 */
export interface SequenceCase<M = unknown> {
  kind: 'sequence';
  world: World;
  model(): M;
  steps: Iterable<SequenceStep<M>>;
  labels?: CaseLabels;
}

/** A generated or example case, ready for a target. */
export type ConformanceCase = ExpectationCase | RelationCase | SequenceCase;

/** A case that can be printed and replayed: what a sequence case reports when it fails. */
export type ReportedCase = ExpectationCase | RelationCase;
