import type { ApsMatrix } from './aps-oss/matrix.ts';
import type { Capability } from './capabilities.ts';
import type { Expectation } from './outcome.ts';
import type { Vendor } from './vendors.ts';
import type { Request, World } from './world.ts';

/** How firmly the documents support a rule (RULES.md). */
export const RULE_STATUSES = ['doc', 'inferred', 'ambiguous'] as const;
/** One rule status. */
export type RuleStatus = (typeof RULE_STATUSES)[number];

/** Where a rule comes from: the seed file and the sentence quoted from it. */
export interface Citation {
  seed: string;
  quote: string;
}

/** One request of an example, with the outcome the spec states for it. */
export interface ExampleRequest {
  name?: string;
  request: Request;
  expect: Expectation;
}

/** A worked example: a world and requests whose outcomes the spec states. */
export interface ExampleCheck {
  kind: 'example';
  name: string;
  world: World;
  /** The outcome of preparing the world when it is expected to be rejected (or accepted). */
  expectWorld?: Expectation;
  requests: ExampleRequest[];
  /** Capabilities this check needs besides the rule's; a target without them skips the check. */
  requires?: Capability[];
}

/** A property: generated cases built so that their outcome is known, or related across two runs. */
export interface PropertyCheck {
  kind: 'property';
  name: string;
  property: string;
  params: Record<string, unknown>;
  /** Outcomes the generated cases must reach; a property that never reaches one is a defect. */
  outcomes: string[];
  /** Further labels whose values must all be reached, such as `{address: [v4, v6]}`. */
  cover: Record<string, string[]>;
  /** Capabilities this check needs besides the rule's; a target without them skips the check. */
  requires?: Capability[];
}

/** One executable check of a rule. */
export type Check = ExampleCheck | PropertyCheck;

/** A rule as loaded from `specs/`: its identity, its citation, what it needs, and its checks. */
export interface Rule {
  /** A RULES.md id or a child id such as `ALI-LIMIT-SIZE.error-code`. */
  id: string;
  vendor: Vendor;
  status: RuleStatus;
  title: string;
  source: Citation;
  /** For inferred and ambiguous rules: the reading the suite encodes, and why. */
  reading?: string;
  notes?: string;
  requires: Capability[];
  checks: Check[];
  /** Spec file, relative to the specs folder, and the line where the rule starts. */
  file: string;
  line: number;
}

/** The parent RULES.md id of a rule id (`ALI-LIMIT-SIZE.error-code` gives `ALI-LIMIT-SIZE`). */
export function parentRuleId(id: string): string {
  const dot = id.indexOf('.');
  return dot === -1 ? id : id.slice(0, dot);
}

/** Data files of `specs/` that are tables rather than rules (read by the suites, validated with the rules). */
export interface SpecTables {
  /** `aps-oss/access-matrix.yaml`: the APS decision table. */
  apsMatrix?: ApsMatrix;
}
