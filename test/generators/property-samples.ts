/**
 * Samples of every Alibaba OSS and Huawei OBS property, as the spec files configure them, for the
 * tests of the target-dependent generation (source address spaces, action subsets): each rule's
 * property checks with their params, sampled with a fixed seed.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { CAPABILITIES } from '../../model/capabilities.ts';
import type { ConformanceCase, StepDriver } from '../../model/case.ts';
import type { PropertyCheck, Rule, SpecTables } from '../../model/rule.ts';
import type { Request } from '../../model/world.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { isExhaustive, type PropertyDefinition, type PropertyEnv } from '../../suites/properties/types.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecSet } from '../../suites/spec/load.ts';

/** One property check of a rule, with its definition. */
export interface PropertyUse {
  rule: Rule;
  check: PropertyCheck;
  definition: PropertyDefinition;
}

/** Every property check of the Alibaba and OBS rules, with the spec tables. */
export async function propertyUses(): Promise<{ uses: PropertyUse[]; tables: SpecTables }> {
  const set = await loadSpecSet({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES, vendors: ['alibaba-oss', 'huawei-obs'] });
  const uses: PropertyUse[] = [];
  for (const rule of set.rules) {
    for (const check of rule.checks) {
      if (check.kind !== 'property') continue;
      const definition = PROPERTIES.get(check.property);
      if (!definition) throw new Error(`property ${check.property} is not registered`);
      uses.push({ rule, check, definition });
    }
  }
  return { uses, tables: set.tables };
}

/** The env the reference target gives a property (every capability), with `extra` fields. */
export function envFor(use: PropertyUse, tables: SpecTables, extra: Partial<PropertyEnv> = {}): PropertyEnv {
  return { capabilities: new Set(CAPABILITIES), rule: { id: use.rule.id, vendor: use.rule.vendor }, tables, ...extra };
}

/** `numRuns` cases of a property check for `env`, with a fixed seed. */
export function sampleCases(use: PropertyUse, env: PropertyEnv, seed: number, numRuns: number): ConformanceCase[] {
  if (isExhaustive(use.definition)) return use.definition.enumerate(use.check.params, env).slice(0, numRuns);
  return fc.sample(use.definition.cases(use.check.params, env), { seed, numRuns });
}

/** A JSON text of a case: sequence steps as their own fields, in order. */
export function caseText(c: ConformanceCase): string {
  const plain = c.kind === 'sequence' ? { ...c, model: undefined, steps: [...c.steps].map((s) => ({ step: String(s), fields: s })) } : c;
  return JSON.stringify(plain, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** A short digest of cases. */
export function digest(cases: readonly ConformanceCase[]): string {
  const h = createHash('sha256');
  for (const c of cases) h.update(caseText(c)).update('\n');
  return h.digest('hex').slice(0, 16);
}

/**
 * The requests a case sends, in order: an expectation or relation case's own, and a sequence
 * case's steps run against its model with a driver that only records them (the steps compute
 * their requests from the model, never from what a target did).
 */
export async function requestsOf(c: ConformanceCase): Promise<Request[]> {
  if (c.kind === 'expect') return c.requests.map((r) => r.request);
  if (c.kind === 'relation') return [...c.requests];
  const sent: Request[] = [];
  const driver: StepDriver = {
    async send(step) {
      sent.push(step.request);
    },
  };
  await fc.asyncModelRun(() => ({ model: c.model() as object, real: driver }), c.steps as Iterable<fc.AsyncCommand<object, StepDriver>>);
  return sent;
}

/** The source address a request carries (Alibaba `acs:SourceIp`, OBS `SourceIp`), if any. */
export function sourceOf(request: Request): string | undefined {
  const context = (request as { context?: Record<string, string> }).context ?? {};
  return context['acs:SourceIp'] ?? context['SourceIp'];
}
