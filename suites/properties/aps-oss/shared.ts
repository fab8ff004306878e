import type { ApsCell, ApsMatrix } from '../../../model/aps-oss/matrix.ts';
import type { ApsCreatePayload, ApsOperation, ApsRequest } from '../../../model/aps-oss/types.ts';
import { ConformanceError } from '../../../model/errors.ts';
import type { Expectation } from '../../../model/outcome.ts';
import type { ExhaustiveProperty, GeneratedProperty, PropertyEnv } from '../types.ts';

/**
 * What the APS properties share: the access matrix (the oracle of every cell), the cells of the
 * rule being checked, and request builders.
 */

/** The access matrix the run loaded; a property driven by it cannot run without it. */
export function matrixOf(env: PropertyEnv): ApsMatrix {
  const matrix = env.tables.apsMatrix;
  if (!matrix) throw new ConformanceError('CONFORMANCE_INPUT', `rule ${env.rule.id}: the APS access matrix (specs/aps-oss/access-matrix.yaml) was not loaded for this run`);
  return matrix;
}

/** The cells of the matrix that belong to the rule being checked (`rule:` equal to its id). */
export function cellsOf(env: PropertyEnv): ApsCell[] {
  const cells = matrixOf(env).cells.filter((c) => c.rule === env.rule.id);
  if (cells.length === 0) throw new ConformanceError('CONFORMANCE_INPUT', `rule ${env.rule.id}: no cell of specs/aps-oss/access-matrix.yaml belongs to this rule, so its matrix checks have nothing to check`);
  return cells;
}

/** Operations after which the bucket is not as it was: such a request runs alone on a fresh world. */
const MUTATING: ReadonlySet<ApsOperation> = new Set(['uploadObject', 'deleteObject', 'deleteBucket', 'createBucket']);

/** Whether an operation may change the world (so that requests after it would see another world). */
export function mutates(operation: ApsOperation): boolean {
  return MUTATING.has(operation);
}

/** A request: an app performs an operation, on an object or with a createBucket payload. */
export function apsRequest(actor: string, operation: ApsOperation, extra: { object?: string; payload?: ApsCreatePayload; bucket?: string } = {}): ApsRequest {
  const r: ApsRequest = { actor, operation };
  if (extra.bucket !== undefined) r.bucket = extra.bucket;
  if (extra.object !== undefined) r.object = extra.object;
  if (extra.payload !== undefined) r.payload = extra.payload;
  return r;
}

/** A copy of a cell's expectation (cases must not share objects with the matrix). */
export function expectationOf(cell: ApsCell): Expectation {
  return { ...cell.expect };
}

/** `K3 (write) downloadObject a.txt [by-self]`: a request in a transcript. */
export function describeApsRequest(r: ApsRequest, role: string, target?: string, names?: ReadonlyMap<string, string>): string {
  const who = `${names?.get(r.actor) ?? r.actor} (${role})`;
  const on = r.object !== undefined ? ` ${JSON.stringify(r.object)}` : r.payload ? ` ${JSON.stringify(r.payload.bucketKey)}${r.payload.allow ? ` with ${r.payload.allow.length} grant(s)` : ''}` : '';
  const where = r.bucket !== undefined ? ` in ${r.bucket}` : '';
  return `${who} ${r.operation}${on}${where}${target ? ` [${target}]` : ''}`;
}

/** A generated APS property. */
export function apsProperty<P>(definition: Omit<GeneratedProperty<P>, 'vendor'>): GeneratedProperty<P> {
  return { vendor: 'aps-oss', ...definition };
}

/** An exhaustive APS property. */
export function apsExhaustive<P>(definition: Omit<ExhaustiveProperty<P>, 'vendor'>): ExhaustiveProperty<P> {
  return { vendor: 'aps-oss', ...definition };
}
