/**
 * Independent oracles for the generator tests. The generators are the oracle of the suite, so
 * these tests never ask them (nor the reference evaluator under adapters/) whether a value
 * matches: everything here is a small re-statement of the documents, written for the tests.
 */
import * as fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { CAPABILITIES, type Capability } from '../../model/capabilities.ts';
import type { AliStatement, OneOrMany } from '../../model/alibaba-oss/types.ts';
import { requestIn, scene, type GeneratedRequest, type Identity, type RequestOptions, type Scene } from '../../generators/alibaba-oss/index.ts';

/** Every capability: requests may carry every context key. */
export const ALL_CAPABILITIES: ReadonlySet<Capability> = new Set(CAPABILITIES);

/** Valid bucket names: 3-63 lower-case letters, digits and hyphens, letter or digit at both ends. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Account and RAM-user UIDs: 16 digits. */
export const UID = /^[0-9]{16}$/;

/** The region of a bucket whose world names none (the generators never name one). */
export const REGION = 'cn-hangzhou';

/** A whole-string wildcard pattern as a RegExp: `*` any run, `?` one character, the rest literal. */
export function globRegExp(pattern: string): RegExp {
  let source = '';
  for (const c of pattern) {
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += c.replace(/[\\^$.|+()[\]{}*?/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** Whether the wildcard `pattern` matches all of `value`. */
export function globMatches(pattern: string, value: string): boolean {
  return globRegExp(pattern).test(value);
}

/** A OneOrMany as a list. */
export function listOf(value: OneOrMany | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The resource string of a request, built from the documents' format. */
export function requestResource(s: Scene, r: GeneratedRequest): string {
  const service = r.action.level === 'vector-index' ? 'ossvector' : 'oss';
  const bucket = `acs:${service}:${REGION}:${s.bucket.owner}:${s.bucket.name}`;
  return r.request.object === undefined ? bucket : `${bucket}/${r.request.object}`;
}

/** Whether a Resource element names the request's resource (any entry, `*` as a wildcard). */
export function resourceCovers(resource: OneOrMany, s: Scene, r: GeneratedRequest): boolean {
  const target = requestResource(s, r);
  return listOf(resource).some((p) => globMatches(p, target));
}

/** Whether an Action element names the action (any entry, `*` as a wildcard). */
export function actionCovers(action: OneOrMany, name: string): boolean {
  return listOf(action).some((p) => globMatches(p, name));
}

/** Whether a Principal value is a wildcard: `*` among its entries, or the empty list. */
export function isWildcardPrincipal(principal: OneOrMany | undefined): boolean {
  const list = listOf(principal);
  return (Array.isArray(principal) && principal.length === 0) || list.includes('*');
}

/**
 * Whether a Principal element names `identity`: a wildcard (`*`, `[]`) names everyone but the
 * bucket owner, and the owner too when the statement has a Condition; other entries name the
 * identity's principal exactly, or as a wildcard pattern (`.../role/*`).
 */
export function principalCovers(principal: OneOrMany | undefined, identity: Identity, ownerUid: string, withCondition: boolean): boolean {
  const isOwner = identity.principal === ownerUid;
  if (isWildcardPrincipal(principal) && (!isOwner || withCondition)) return true;
  return listOf(principal).some((p) => p !== '*' && globMatches(p, identity.principal));
}

/** The integer of an address. */
export function addressBigInt(address: string): bigint {
  let v = 0n;
  for (const b of ipaddr.parse(address).toByteArray()) v = (v << 8n) | BigInt(b);
  return v;
}

/** A policy IP value (`a.b.c.d/p`, or a bare address) as a CIDR text. */
export function asCidr(value: string): string {
  if (value.includes('/')) return value;
  return `${value}/${ipaddr.parse(value).kind() === 'ipv4' ? 32 : 128}`;
}

/** The first and last address of a policy IP value, and its family. */
export function blockBounds(value: string): { family: 'ipv4' | 'ipv6'; first: bigint; last: bigint } {
  const [addr, prefix] = ipaddr.parseCIDR(asCidr(value));
  const bits = addr.kind() === 'ipv4' ? 32 : 128;
  let v = 0n;
  for (const b of addr.toByteArray()) v = (v << 8n) | BigInt(b);
  const host = (1n << BigInt(bits - prefix)) - 1n;
  return { family: addr.kind(), first: v & ~host, last: (v & ~host) | host };
}

/** Whether `address` lies in the policy IP value, by ipaddr.js. */
export function ipIn(address: string, value: string): boolean {
  const a = ipaddr.parse(address);
  const cidr = ipaddr.parseCIDR(asCidr(value));
  return a.kind() === cidr[0].kind() && a.match(cidr);
}

/** Whether one condition entry holds for a request with `context`, per operator. */
export function entryHolds(operator: string, key: string, values: readonly string[], context: Readonly<Record<string, string>>): boolean {
  const v = context[key];
  switch (operator) {
    case 'StringEquals':
      return v !== undefined && values.some((x) => x === v);
    case 'StringNotEquals':
      return v === undefined || !values.some((x) => x === v);
    case 'StringLike':
      return v !== undefined && values.some((x) => globMatches(x, v));
    case 'StringNotLike':
      return v === undefined || !values.some((x) => globMatches(x, v));
    case 'IpAddress':
      return v !== undefined && values.some((x) => ipIn(v, x));
    case 'NotIpAddress':
      return v === undefined || !values.some((x) => ipIn(v, x));
    default:
      throw new Error(`the tests know no operator ${operator}`);
  }
}

/** Whether every entry of a statement's Condition block holds for the request. */
export function conditionHolds(condition: AliStatement['Condition'], context: Readonly<Record<string, string>>): boolean {
  for (const [operator, byKey] of Object.entries(condition ?? {})) {
    for (const [key, values] of Object.entries(byKey)) {
      if (!entryHolds(operator, key, listOf(values), context)) return false;
    }
  }
  return true;
}

/** Which elements of a statement name the request, each judged on its own. */
export function elementsApplying(st: AliStatement, s: Scene, r: GeneratedRequest): { principal: boolean; action: boolean; resource: boolean; condition: boolean } {
  return {
    principal: principalCovers(st.Principal, r.identity, s.bucket.owner, st.Condition !== undefined),
    action: actionCovers(st.Action, r.request.action),
    resource: resourceCovers(st.Resource, s, r),
    condition: conditionHolds(st.Condition, r.request.context ?? {}),
  };
}

/** A scene and one request in it (every principal kind and action level unless restricted). */
export function sceneAndRequest(options: Partial<RequestOptions> = {}): fc.Arbitrary<{ s: Scene; r: GeneratedRequest }> {
  return scene().chain((s) => requestIn(s, { capabilities: ALL_CAPABILITIES, ...options }).map((r) => ({ s, r })));
}

/** Every string value in a JSON value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

/** UTF-8 byte length. */
export function bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Characters the generators' values are built from (never `*` or `?`), for hand-made values. */
export const VALUE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:#';

/** Strings of `VALUE_ALPHABET`. */
export function plainValue(maxLength = 12): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...VALUE_ALPHABET.split('')), maxLength });
}
