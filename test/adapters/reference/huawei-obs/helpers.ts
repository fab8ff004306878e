/**
 * Test helpers for the OBS reference target: the identities around a bucket, worlds, and
 * functions that prepare a world and send requests. Expected outcomes stay in the tests, written
 * literally from seeds 003 and 004 and the vendor notes.
 */
import { createObsReference, type ObsSemantics } from '../../../../adapters/reference/huawei-obs/index.ts';
import type { Preparation, PreparedWorld } from '../../../../adapters/types.ts';
import type { ObsGrant, ObsPrincipal, ObsRequest, ObsWorld } from '../../../../model/huawei-obs/types.ts';
import type { Observation } from '../../../../model/outcome.ts';

/** The bucket of seed 003's example. */
export const BUCKET = 'mybucket';
/** The accounts of seed 003's example ("783fc... (account ID) and 219d5... (account ID)"). */
export const ACCOUNT_1 = '783fc6652cf246c096ea836694f71855';
export const ACCOUNT_2 = '219d520ceac84c5a98b237431a2cf4c2';
/** The bucket owner's account, and a third account the example does not name. */
export const OWNER = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const STRANGER = 'ffffeeeeddddccccbbbbaaaa99998888';

/** The principals of each kind (generators/huawei-obs/scene.ts names the same kinds). */
export const WHO = {
  owner: { account: OWNER },
  ownerUser: { account: OWNER, user: 'owner-iam-user' },
  account1: { account: ACCOUNT_1 },
  user1: { account: ACCOUNT_1, user: 'alice' },
  account2: { account: ACCOUNT_2 },
  stranger: { account: STRANGER },
  strangerUser: { account: STRANGER, user: 'mallory' },
  logDelivery: 'log-delivery',
  anonymous: 'anonymous',
} as const satisfies Record<string, ObsPrincipal>;
/** One kind of principal. */
export type Who = keyof typeof WHO;
export const WHO_NAMES = Object.keys(WHO) as Who[];

/** A world around BUCKET owned by OWNER. */
export function world(parts: { policy?: unknown; acl?: ObsGrant[] } = {}): ObsWorld {
  const w: ObsWorld = { vendor: 'huawei-obs', bucket: { name: BUCKET, owner: OWNER } };
  if (parts.policy !== undefined) w.policy = parts.policy;
  if (parts.acl !== undefined) w.acl = parts.acl;
  return w;
}

/** A policy of these statements. */
export function policyOf(...statements: Record<string, unknown>[]): { Statement: Record<string, unknown>[] } {
  return { Statement: statements };
}

/** The prepared world of a preparation; fails the test when the world was not accepted. */
export function ready(p: Preparation): PreparedWorld {
  if (p.kind !== 'ready') throw new Error(`expected a ready world, got ${JSON.stringify(p)}`);
  return p;
}

/** Prepares `w` with the documented semantics or `overrides`. */
export async function prepare(w: ObsWorld = world(), overrides: Partial<ObsSemantics> = {}): Promise<PreparedWorld> {
  return ready(await createObsReference(overrides).prepare(w));
}

/** A decided observation; fails the test on anything else. */
export function decided(o: Observation): Extract<Observation, { kind: 'decided' }> {
  if (o.kind !== 'decided') throw new Error(`expected a decision, got ${JSON.stringify(o)}`);
  return o;
}

/** A request by `who`; `object` is given for object actions. */
export function req(who: Who | ObsPrincipal, action: string, object?: string, extra: Partial<ObsRequest> = {}): ObsRequest {
  const principal = typeof who === 'string' && who in WHO ? WHO[who as Who] : (who as ObsPrincipal);
  const r: ObsRequest = { principal, action, ...extra };
  if (object !== undefined) r.object = object;
  return r;
}

/** An observation in short: `allow 200`, `deny 403 AccessDenied`, `rejected 400 MalformedPolicy`. */
export function short(o: Observation): string {
  const d = decided(o);
  return [d.decision, d.status, d.code].filter((x) => x !== undefined).join(' ');
}

/** Sends `request` to a fresh copy of `w` and returns the observation in short. */
export async function once(w: ObsWorld, request: ObsRequest, overrides: Partial<ObsSemantics> = {}): Promise<string> {
  return short(await (await prepare(w, overrides)).observe(request));
}

/** Sends `requests` in order to one prepared world and returns the observations in short. */
export async function run(w: PreparedWorld, requests: readonly ObsRequest[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of requests) out.push(short(await w.observe(r)));
  return out;
}

/** A grant to an account. */
export function toAccount(account: string, permission: string): ObsGrant {
  return { grantee: { account }, permission };
}

/** A grant to a group. */
export function toGroup(group: 'Everyone' | 'AuthenticatedUsers' | 'LogDelivery', permission: string): ObsGrant {
  return { grantee: { group }, permission };
}
