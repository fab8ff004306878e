import type { Expectation } from './outcome.ts';
import type { Request, World } from './world.ts';

/** Labels of a generated case, counted into the outcome distribution (`{outcome: 'deny', principal: 'owner'}`). */
export type CaseLabels = Record<string, string>;

/** A request together with the outcome its construction guarantees. */
export interface ExpectedRequest {
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

/** A generated or example case, ready for a target. */
export type ConformanceCase = ExpectationCase | RelationCase;
