/**
 * Test helpers for the APS reference target: a world with one app of every role, and functions
 * that prepare it and send requests. Expected outcomes stay in the tests, written literally
 * from seeds 000 and 001.
 */
import { expect } from 'vitest';
import { createApsReference, type ApsSemantics } from '../../../../adapters/reference/aps-oss/index.ts';
import type { Preparation, PreparedWorld } from '../../../../adapters/types.ts';
import { APS_ROLES, apsTargets, type ApsRole, type ApsTarget } from '../../../../model/aps-oss/matrix.ts';
import { APS_OPERATIONS, type ApsGrant, type ApsObject, type ApsOperation, type ApsRequest, type ApsWorld } from '../../../../model/aps-oss/types.ts';
import type { Observation } from '../../../../model/outcome.ts';

/** The app that creates the bucket. */
export const OWNER = 'OWNERAPPxxxxxxxxxxxxxxxxxxxxxxxx';
/** Granted keys, one per level, and a second `full` key: "other granted keys" (001). */
export const FULL = 'FULLKEYxxxxxxxxxxxxxxxxxxxxxxxxx';
export const READ = 'READKEYxxxxxxxxxxxxxxxxxxxxxxxxx';
export const WRITE = 'WRITEKEYxxxxxxxxxxxxxxxxxxxxxxxx';
export const OTHER = 'OTHERKEYxxxxxxxxxxxxxxxxxxxxxxxx';
/** An app the bucket does not name. */
export const STRANGER = 'STRANGERxxxxxxxxxxxxxxxxxxxxxxxx';

/** The bucket of the seed's example payload. */
export const BUCKET = 'sample-bucket-with-allow';

/** The allow list of the shared world. */
export const GRANTS: ApsGrant[] = [
  { authId: FULL, access: 'full' },
  { authId: READ, access: 'read' },
  { authId: WRITE, access: 'write' },
  { authId: OTHER, access: 'full' },
];

/** One object per uploader: the owner, each key that can upload, and the other key. */
export const OBJECTS: ApsObject[] = [
  { key: 'by-owner.txt', uploadedBy: OWNER },
  { key: 'by-full.txt', uploadedBy: FULL },
  { key: 'by-write.txt', uploadedBy: WRITE },
  { key: 'by-other-key.txt', uploadedBy: OTHER },
];

/** The shared world: BUCKET created by OWNER with GRANTS, holding OBJECTS. */
export function sharedWorld(): ApsWorld {
  return { vendor: 'aps-oss', bucket: { key: BUCKET, owner: OWNER, policyKey: 'transient', allow: GRANTS.map((g) => ({ ...g })) }, objects: OBJECTS.map((o) => ({ ...o })) };
}

/** The prepared world of a preparation; fails the test when the world was not accepted. */
export function ready(p: Preparation): PreparedWorld {
  if (p.kind !== 'ready') throw new Error(`expected a ready world, got ${JSON.stringify(p)}`);
  return p;
}

/** Prepares `world` (the shared one unless given) with the documented semantics or `overrides`. */
export async function prepare(world: ApsWorld = sharedWorld(), overrides: Partial<ApsSemantics> = {}): Promise<PreparedWorld> {
  return ready(await createApsReference(overrides).prepare(world));
}

/** A decided observation's fields; fails the test on anything else. */
export function decided(o: Observation): Extract<Observation, { kind: 'decided' }> {
  if (o.kind !== 'decided') throw new Error(`expected a decision, got ${JSON.stringify(o)}`);
  return o;
}

/** Sends `requests` in order to one prepared world and returns the statuses. */
export async function statuses(w: PreparedWorld, requests: readonly ApsRequest[]): Promise<(number | undefined)[]> {
  const out: (number | undefined)[] = [];
  for (const r of requests) out.push(decided(await w.observe(r)).status);
  return out;
}

/** A request of `actor`. */
export function req(actor: string, operation: ApsOperation, object?: string, extra: Partial<ApsRequest> = {}): ApsRequest {
  const r: ApsRequest = { actor, operation, ...extra };
  if (object !== undefined) r.object = object;
  return r;
}

/** `n` distinct client ids. */
export function clientIds(n: number, prefix = 'KEY'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}xxxxxxxxxxxxxxxxxxxxxxxxxx`);
}

/** Asserts the decision, status and reason of an observation (and that it carries no code). */
export function expectOutcome(o: Observation, decision: 'allow' | 'deny' | 'rejected', status: number, reason: string): void {
  const d = decided(o);
  expect({ decision: d.decision, status: d.status, reason: d.explanation?.reason }).toEqual({ decision, status, reason });
  expect(d.code).toBeUndefined();
  expect(d.explanation?.statements).toEqual([]);
}

/** The app that plays each role of the access matrix in the shared world. */
export const ACTOR: Readonly<Record<ApsRole, string>> = { owner: OWNER, full: FULL, read: READ, write: WRITE, stranger: STRANGER };

/** The object each role uploaded in the shared world (a `read` key and a stranger cannot upload). */
const OWN_OBJECT: Readonly<Partial<Record<ApsRole, string>>> = { owner: 'by-owner.txt', full: 'by-full.txt', write: 'by-write.txt' };

/** A key that holds no bucket in the shared world. */
export const NEW_BUCKET = 'fresh-bucket';

/** The request of one cell of the access matrix, in the shared world. */
export function cellRequest(role: ApsRole, operation: ApsOperation, target: ApsTarget): ApsRequest {
  const actor = ACTOR[role];
  switch (target) {
    case 'by-self': {
      const own = OWN_OBJECT[role];
      if (own === undefined) throw new Error(`${role} has no object of its own`);
      return req(actor, operation, own);
    }
    case 'by-owner':
      return req(actor, operation, 'by-owner.txt');
    case 'by-other-key':
      return req(actor, operation, 'by-other-key.txt');
    case 'missing':
      return req(actor, operation, 'missing.txt');
    case 'new-key':
      return req(actor, operation, undefined, { payload: { bucketKey: NEW_BUCKET, policyKey: 'transient' } });
    case 'taken-key':
      return req(actor, operation, undefined, { payload: { bucketKey: BUCKET, policyKey: 'transient' } });
    case 'bucket':
    case 'account':
      return req(actor, operation);
  }
}

/** The key of a cell: `full downloadObject by-self`. */
export function cellName(role: ApsRole, operation: ApsOperation, target: ApsTarget): string {
  return `${role} ${operation} ${target}`;
}

/**
 * The status of every cell of the access matrix, each sent to a fresh copy of the shared world,
 * with the documented semantics or `overrides`.
 */
export async function grid(overrides: Partial<ApsSemantics> = {}): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  for (const role of APS_ROLES) {
    for (const operation of APS_OPERATIONS) {
      for (const target of apsTargets(role, operation)) {
        const w = await prepare(sharedWorld(), overrides);
        out.set(cellName(role, operation, target), decided(await w.observe(cellRequest(role, operation, target))).status);
      }
    }
  }
  return out;
}

/** The cells whose status differs between two grids, as `cell: before -> after`. */
export function differences(before: Map<string, number | undefined>, after: Map<string, number | undefined>): string[] {
  return [...before].filter(([k, v]) => after.get(k) !== v).map(([k, v]) => `${k}: ${v} -> ${after.get(k)}`);
}
