import type * as fc from 'fast-check';
import type { Capability, SourceAddressSpace } from '../../model/capabilities.ts';
import type { ConformanceCase } from '../../model/case.ts';
import type { Rule, SpecTables } from '../../model/rule.ts';
import type { Vendor } from '../../model/vendors.ts';

/** A JSON Schema object, as the loader and ajv take it. */
export type JsonSchema = Record<string, unknown>;

/** What a property may assume about the target when it builds cases. */
export interface PropertyEnv {
  /** The target's capabilities: generators only use request controls the target has. */
  capabilities: ReadonlySet<Capability>;
  /** Where the target's requests can come from, when not any address: generated source addresses are drawn from these blocks. */
  sourceAddresses?: SourceAddressSpace;
  /** The actions the target can be sent, when not the whole catalogue: generated requests use these only. */
  actions?: ReadonlySet<string>;
  /** The rule whose check is run: properties driven by a table pick the entries of this rule. */
  rule: Pick<Rule, 'id' | 'vendor'>;
  /** The spec tables (the APS access matrix), for properties driven by them. */
  tables: SpecTables;
  /** When replaying a stateful check: fast-check's replay hint for `fc.commands`. */
  replayPath?: string;
}

/**
 * A generator-backed check named by spec files (`property: <name>`). Its cases carry their
 * expected outcome by construction, or a relation between two runs; it never asks a target or
 * the reference evaluator what the answer should be.
 */
interface PropertyBase {
  name: string;
  vendor: Vendor;
  /** One or two sentences: what the cases are and how their outcome is known. */
  description: string;
  /** JSON Schema of `params` in the spec (an object schema; `{}` params when there are none). */
  params: JsonSchema;
  /** Labels the cases carry and the values each can take; `outcome` is always among them. */
  labels: Readonly<Record<string, readonly string[]>>;
}

/** A property whose cases fast-check generates (and shrinks). */
export interface GeneratedProperty<Params = Record<string, unknown>> extends PropertyBase {
  /** The cases, for validated params. */
  cases(params: Params, env: PropertyEnv): fc.Arbitrary<ConformanceCase>;
}

/**
 * A property checked exhaustively: every case of a small, finite domain, smallest first, each
 * run once (no sampling, no shrinking; a failure replays by its index, given as `--path`).
 */
export interface ExhaustiveProperty<Params = Record<string, unknown>> extends PropertyBase {
  /** Every case, for validated params, ordered so that the first failure is a smallest one. */
  enumerate(params: Params, env: PropertyEnv): ConformanceCase[];
}

/** A property of either kind. */
export type PropertyDefinition<Params = Record<string, unknown>> = GeneratedProperty<Params> | ExhaustiveProperty<Params>;

/** Whether a property is checked exhaustively. */
export function isExhaustive<P>(p: PropertyDefinition<P>): p is ExhaustiveProperty<P> {
  return 'enumerate' in p;
}

/**
 * Thrown by a property's `cases` or `enumerate` when it cannot build a single case for the target
 * (it can be sent none of the actions the property needs, or none of the source addresses). The
 * runner reports the check as skipped with what the target lacks: never a pass, never a failure.
 * Matched by `code`, so that a property module need not share this class's identity.
 */
export class TargetLacks extends Error {
  override name = 'TargetLacks';
  readonly code = 'CONFORMANCE_TARGET_LACKS';
  /** What the target lacks, as the skip message names it after `target \`x\` lacks`: `the action oss:PutBucketPolicy`. */
  readonly lacks: string;
  constructor(lacks: string) {
    super(`the target lacks ${lacks}`);
    this.lacks = lacks;
  }
}

/** Whether `error` is a TargetLacks, by its code. */
export function isTargetLacks(error: unknown): error is TargetLacks {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'CONFORMANCE_TARGET_LACKS' && typeof (error as { lacks?: unknown }).lacks === 'string';
}

/**
 * A TargetLacks for a check that needs `needed` (default one) of the actions `names`, none (or too
 * few) of which the target can be sent: `the actions A, B (the check needs one of them)`.
 */
export function lacksActions(names: readonly string[], needed = 1): TargetLacks {
  if (names.length === 1) return new TargetLacks(`the action ${names[0]}`);
  const need = needed === 1 ? 'one of them' : `${needed} of them`;
  return new TargetLacks(`the actions ${names.join(', ')} (the check needs ${need})`);
}
