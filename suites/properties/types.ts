import type * as fc from 'fast-check';
import type { Capability } from '../../model/capabilities.ts';
import type { ConformanceCase } from '../../model/case.ts';
import type { Vendor } from '../../model/vendors.ts';

/** A JSON Schema object, as the loader and ajv take it. */
export type JsonSchema = Record<string, unknown>;

/** What a property may assume about the target when it builds cases. */
export interface PropertyEnv {
  /** The target's capabilities: generators only use request controls the target has. */
  capabilities: ReadonlySet<Capability>;
}

/**
 * A generator-backed check named by spec files (`property: <name>`). Its cases carry their
 * expected outcome by construction, or a relation between two runs; it never asks a target or
 * the reference evaluator what the answer should be.
 */
export interface PropertyDefinition<Params = Record<string, unknown>> {
  name: string;
  vendor: Vendor;
  /** One or two sentences: what the cases are and how their outcome is known. */
  description: string;
  /** JSON Schema of `params` in the spec (an object schema; `{}` params when there are none). */
  params: JsonSchema;
  /** Labels the cases carry and the values each can take; `outcome` is always among them. */
  labels: Readonly<Record<string, readonly string[]>>;
  /** The cases, for validated params. */
  cases(params: Params, env: PropertyEnv): fc.Arbitrary<ConformanceCase>;
}
