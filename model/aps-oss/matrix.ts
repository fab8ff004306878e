import type { Expectation } from '../outcome.ts';
import type { Citation, RuleStatus } from '../rule.ts';
import { APS_BUCKET_OPERATIONS, APS_OBJECT_OPERATIONS, type ApsOperation } from './types.ts';

/**
 * The APS access matrix (`specs/aps-oss/access-matrix.yaml`): who may do what to which object,
 * as a decision table. The suites and the stateful model read it; the reference evaluator does
 * not (it implements the rules in code, and the table is the oracle it is checked against).
 */

/** Who performs a request, relative to the bucket: its creator, a key with a grant, or an app with none. */
export const APS_ROLES = ['owner', 'full', 'read', 'write', 'stranger'] as const;
/** One role. */
export type ApsRole = (typeof APS_ROLES)[number];

/**
 * What a request acts on, relative to its actor. Object operations: an object the actor
 * uploaded (`by-self`), one the bucket owner uploaded (`by-owner`), one another granted key
 * uploaded (`by-other-key`), or a key where there is no object (`missing`; for `uploadObject`,
 * a new object). `createBucket`: a bucket key nobody holds (`new-key`) or the world's bucket
 * key (`taken-key`). Bucket operations: `bucket`; `getBuckets`: `account`.
 */
export const APS_TARGETS = ['by-self', 'by-owner', 'by-other-key', 'missing', 'new-key', 'taken-key', 'bucket', 'account'] as const;
/** One target. */
export type ApsTarget = (typeof APS_TARGETS)[number];

/** One cell of the matrix, after lists are expanded: the outcome of an operation by a role on a target. */
export interface ApsCell {
  /** The RULES.md id (or child id) the cell belongs to: the rule that reports it. */
  rule: string;
  status: RuleStatus;
  source: Citation;
  /** Why the status or the reading, for inferred and ambiguous cells. */
  reading?: string;
  role: ApsRole;
  operation: ApsOperation;
  target: ApsTarget;
  expect: Expectation;
  /** Where the entry that gave the cell starts: `aps-oss/access-matrix.yaml:12`. */
  at: string;
}

/** The matrix, with a lookup by (role, operation, target). */
export interface ApsMatrix {
  cells: readonly ApsCell[];
  lookup(role: ApsRole, operation: ApsOperation, target: ApsTarget): ApsCell | undefined;
}

/** The key of a cell in lookups: `full downloadObject by-self`. */
export function cellKey(role: ApsRole, operation: ApsOperation, target: ApsTarget): string {
  return `${role} ${operation} ${target}`;
}

/** Builds the lookup over expanded cells (the loader has checked that no two share a key). */
export function apsMatrix(cells: readonly ApsCell[]): ApsMatrix {
  const byKey = new Map(cells.map((c) => [cellKey(c.role, c.operation, c.target), c] as const));
  return { cells, lookup: (role, operation, target) => byKey.get(cellKey(role, operation, target)) };
}

/** The roles that can hold objects they uploaded: those whose grant lets them upload. */
const UPLOADING_ROLES: readonly ApsRole[] = ['owner', 'full', 'write'];

/**
 * The targets of an operation for a role that a world can present. `by-self` needs an object the
 * actor uploaded, so it exists only for roles that can upload: under the literal reading
 * (APS-READ-NOTHING-TO-READ) a `read` key never has one, and a stranger cannot upload. The owner's
 * own objects are `by-self`, never `by-owner`.
 */
export function apsTargets(role: ApsRole, operation: ApsOperation): readonly ApsTarget[] {
  if ((APS_OBJECT_OPERATIONS as readonly string[]).includes(operation)) {
    const targets: ApsTarget[] = [];
    if (UPLOADING_ROLES.includes(role)) targets.push('by-self');
    if (role !== 'owner') targets.push('by-owner');
    targets.push('by-other-key', 'missing');
    return targets;
  }
  if ((APS_BUCKET_OPERATIONS as readonly string[]).includes(operation)) return ['bucket'];
  if (operation === 'createBucket') return ['new-key', 'taken-key'];
  return ['account'];
}
