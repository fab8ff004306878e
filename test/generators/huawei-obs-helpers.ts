/**
 * Independent oracles for the OBS generator tests: small re-statements of the semantics of issue
 * #4 (.scratch/obs-semantics.md), written for the tests. They never ask the generators (nor the
 * reference evaluator) whether something matches.
 */
import ipaddr from 'ipaddr.js';
import type { ObsPrincipal, ObsRequest, ObsWorld } from '../../model/huawei-obs/types.ts';

/** Catalogue facts, restated: the bucket ACL permission of each ACL-mapped action (O3), and the object actions. */
export const ACL_OF: Readonly<Record<string, string>> = {
  ListBucket: 'READ',
  ListBucketVersions: 'READ',
  HeadBucket: 'READ',
  ListBucketMultipartUploads: 'READ',
  PutObject: 'WRITE',
  DeleteObject: 'WRITE',
  DeleteObjectVersion: 'WRITE',
  GetBucketAcl: 'READ_ACP',
  PutBucketAcl: 'WRITE_ACP',
};
export const OBJECT_ACTIONS = new Set(['PutObject', 'DeleteObject', 'DeleteObjectVersion', 'GetObject', 'GetObjectAcl', 'PutObjectAcl']);
export const POLICY_APIS = new Set(['PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy']);

/**
 * The readings of the policy documents the specs mark in child rules (generators/huawei-obs/
 * readings.ts), and the other side of each: `action-case` (encoded: action names ignore case;
 * other: they compare case), `stringlike-case` (encoded: StringLike compares case; other: it
 * ignores case), `resource-case` (encoded: Resources compare case; other: they ignore case). The
 * re-statements below follow the encoded side, or the other side of each reading in `other`.
 */
export type Reading = 'action-case' | 'stringlike-case' | 'resource-case';
export const READINGS: readonly Reading[] = ['action-case', 'stringlike-case', 'resource-case'];
/** The readings whose other side a re-statement follows. */
export type OtherSide = ReadonlySet<Reading>;
const ENCODED: OtherSide = new Set();

/** Every subset of the readings, the empty one first: every combination of sides. */
export function readingSides(): OtherSide[] {
  return Array.from({ length: 1 << READINGS.length }, (_, mask) => new Set(READINGS.filter((_r, i) => (mask >> i) & 1)));
}

/** A string or a list, as a list. */
export function listOf(v: unknown): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? (v as string[]) : [v as string];
}

/** Whole-string wildcard match: `*` any run (empty included), `?` one character when `question`. */
export function glob(pattern: string, value: string, options: { ignoreCase?: boolean; question?: boolean } = {}): boolean {
  let source = '';
  for (const c of pattern) {
    if (c === '*') source += '.*';
    else if (c === '?' && options.question) source += '.';
    else source += c.replace(/[\\^$.|+()[\]{}*?/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, options.ignoreCase ? 'si' : 's').test(value);
}

/**
 * The principal coverage table: `*` (bare, or in an ID) everyone; `domain/A:user/*` A and its
 * users; `domain/A` and `domain/A:root` A itself; `domain/A:user/U` that user (case-sensitive);
 * other keys nobody.
 */
export function principalCovers(element: unknown, p: ObsPrincipal): boolean {
  if (element === '*') return true;
  if (element === null || typeof element !== 'object' || !('ID' in element)) return false;
  return listOf((element as { ID: unknown }).ID).some((id) => {
    if (id === '*') return true;
    if (typeof p === 'string') return false;
    const m = /^domain\/([^:]+)(?::(root|user\/(.+)))?$/.exec(id);
    if (!m) return false;
    const [, account, tail, user] = m;
    if (account !== p.account) return false;
    if (tail === undefined || tail === 'root') return p.user === undefined;
    if (user === '*') return true;
    return p.user === user;
  });
}

/** Whether an Action element names the action (case-insensitive, or case-sensitive on the other side of `action-case`; `*` only). */
export function actionCovers(element: unknown, action: string, other: OtherSide = ENCODED): boolean {
  return listOf(element).some((p) => glob(p, action, { ignoreCase: !other.has('action-case') }));
}

/** Whether a Resource element names the request's bucket (no object) or `bucket/key` (case-sensitive, or not on the other side of `resource-case`; `*` only). */
export function resourceCovers(element: unknown, bucket: string, object: string | undefined, other: OtherSide = ENCODED): boolean {
  const target = object === undefined ? bucket : `${bucket}/${object}`;
  return listOf(element).some((p) => glob(p, target, { ignoreCase: other.has('resource-case') }));
}

/** Whether `address` lies in a policy IP value (CIDR or single address), by ipaddr.js. */
export function ipIn(address: string, value: string): boolean {
  const a = ipaddr.parse(address);
  const cidr = value.includes('/') ? ipaddr.parseCIDR(value) : ([ipaddr.parse(value), a.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
  return a.kind() === cidr[0].kind() && a.match(cidr);
}

/** Whether one condition entry holds (values OR-ed; negated operators hold when none matches; StringLike ignores case on the other side of `stringlike-case`). */
export function entryHolds(operator: string, values: readonly string[], v: string | undefined, other: OtherSide = ENCODED): boolean {
  const some = (f: (x: string) => boolean) => v !== undefined && values.some(f);
  const like = { question: true, ignoreCase: other.has('stringlike-case') };
  switch (operator) {
    case 'StringEquals':
      return some((x) => x === v);
    case 'StringNotEquals':
      return !some((x) => x === v);
    case 'StringEqualsIgnoreCase':
      return some((x) => x.toLowerCase() === v!.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !some((x) => x.toLowerCase() === v!.toLowerCase());
    case 'StringLike':
      return some((x) => glob(x, v!, like));
    case 'StringNotLike':
      return !some((x) => glob(x, v!, like));
    case 'IpAddress':
      return some((x) => ipIn(v!, x));
    case 'NotIpAddress':
      return !some((x) => ipIn(v!, x));
    default:
      throw new Error(`the tests know no operator ${operator}`);
  }
}

/** Whether a Condition block holds for a context: operators and keys AND-ed (key names case-insensitive). */
export function conditionHolds(block: unknown, context: Readonly<Record<string, string>>, other: OtherSide = ENCODED): boolean {
  const lower = Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [operator, byKey] of Object.entries((block ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [key, values] of Object.entries(byKey)) if (!entryHolds(operator, listOf(values), lower[key.toLowerCase()], other)) return false;
  }
  return true;
}

/** Which elements of a statement match the request, each on its own. */
export function elementsMatching(st: Record<string, unknown>, bucket: string, r: ObsRequest, other: OtherSide = ENCODED): { principal: boolean; action: boolean; resource: boolean; condition: boolean } {
  return {
    principal: principalCovers(st['Principal'], r.principal),
    action: actionCovers(st['Action'], r.action, other),
    resource: resourceCovers(st['Resource'], bucket, r.object, other),
    condition: conditionHolds(st['Condition'], r.context ?? {}, other),
  };
}

/** Whether a statement applies: all four elements match. */
export function statementApplies(st: Record<string, unknown>, bucket: string, r: ObsRequest, other: OtherSide = ENCODED): boolean {
  const e = elementsMatching(st, bucket, r, other);
  return e.principal && e.action && e.resource && e.condition;
}

/** The statements of a world's policy (a JSON value or its text). */
export function policyStatements(policy: unknown): Array<Record<string, unknown>> {
  const value = typeof policy === 'string' ? JSON.parse(policy) : policy;
  return (value as { Statement: Array<Record<string, unknown>> }).Statement;
}

/**
 * OBS-SYNTAX, restated: the problems of a policy value (none: valid). Top level `Statement`
 * (non-empty) with optional `Version`, `Id`; statements with `Effect`, optional `Sid` and
 * `Condition`, exactly one of each Principal/Action/Resource pair.
 */
export function syntaxProblems(policy: unknown): string[] {
  const value = typeof policy === 'string' ? JSON.parse(policy) : policy;
  const problems: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['not an object'];
  for (const k of Object.keys(value)) if (!['Statement', 'Version', 'Id'].includes(k)) problems.push(`top-level ${k}`);
  const statements = (value as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements) || statements.length === 0) return [...problems, 'no statements'];
  for (const st of statements as Array<Record<string, unknown>>) {
    for (const k of Object.keys(st)) if (!['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].includes(k)) problems.push(`field ${k}`);
    if (st['Effect'] !== 'Allow' && st['Effect'] !== 'Deny') problems.push('Effect');
    for (const [a, b] of [['Principal', 'NotPrincipal'], ['Action', 'NotAction'], ['Resource', 'NotResource']]) if ((a! in st) === (b! in st)) problems.push(`${a}/${b}`);
    for (const k of ['Action', 'Resource']) for (const v of listOf(st[k])) if (typeof v !== 'string' || v.length === 0 || v.includes('?')) problems.push(`${k} value ${String(v)}`);
  }
  return problems;
}

/** Whether a principal is the bucket owner's (the account or one of its IAM users). */
export function isOwner(world: ObsWorld, p: ObsPrincipal): boolean {
  return typeof p !== 'string' && p.account === world.bucket.owner;
}

/**
 * The decision of a request in a world without an explicit ACL (the default private one), by the
 * steps of the semantics: policy APIs for the owner alone; an applicable Deny; an applicable
 * Allow; the default private ACL (the owner account, so the owner's IAM users too, has
 * FULL_CONTROL); the owner's permanent ACP and its default for actions no ACL permission maps;
 * otherwise deny. On the other side of the readings in `other` when given.
 */
export function decide(world: ObsWorld, r: ObsRequest, other: OtherSide = ENCODED): 'allow' | 'deny' {
  if (world.acl !== undefined) throw new Error('the tests decide only worlds with the default ACL');
  const owner = isOwner(world, r.principal);
  if (POLICY_APIS.has(r.action)) {
    if (!owner) return 'deny';
    if (r.action === 'GetBucketPolicy') return world.policy === undefined ? 'deny' : 'allow';
    return 'allow';
  }
  const statements = world.policy === undefined ? [] : policyStatements(world.policy);
  const applying = statements.filter((st) => statementApplies(st, world.bucket.name, r, other));
  if (applying.some((st) => st['Effect'] === 'Deny')) return 'deny';
  if (applying.some((st) => st['Effect'] === 'Allow')) return 'allow';
  return owner ? 'allow' : 'deny';
}
