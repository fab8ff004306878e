/**
 * The validator of POST /oss/v2/buckets bodies: whether a createBucket payload is well formed,
 * before anyone asks whether the key is free. Payloads arrive loosely typed (`unknown`), so that
 * invalid values (61 keys, access `admin`, a number as bucketKey) reach here and become a 400.
 */
import { APS_ACCESS_LEVELS, APS_BUCKET_KEY_PATTERN, APS_POLICY_KEYS, type ApsAccess, type ApsPolicyKey } from '../../../model/aps-oss/types.ts';
import type { ApsSemantics } from './semantics.ts';

/** One problem of a payload: what is wrong, and the rule it breaks (none for syntax the inventory has no rule for). */
export interface ApsPayloadProblem {
  message: string;
  rule?: string;
}

/** A payload that passed: the bucket to create, with the grants keyed by client id. */
export interface ApsValidPayload {
  kind: 'valid';
  bucketKey: string;
  policyKey: ApsPolicyKey;
  /** The grants, the creator's own entry left out (see below). */
  grants: ReadonlyMap<string, ApsAccess>;
}

/** A payload that failed, with every problem found. */
export interface ApsInvalidPayload {
  kind: 'invalid';
  problems: ApsPayloadProblem[];
}

/** The default retention policy (vendor notes §1.1: "OpenAPI default `transient`"). */
export const DEFAULT_POLICY_KEY: ApsPolicyKey = 'transient';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

/** What is wrong with the value of `field`, which must be one of `expected` (a phrase). */
function wrong(field: string, value: unknown, expected: string): string {
  if (value === undefined) return `\`${field}\` is missing; it must be ${expected}`;
  if (typeof value === 'string') return `\`${field}\` \`${value}\` is not ${expected}`;
  return `\`${field}\` must be ${expected}, not ${shown(value)}`;
}

const LEVELS = APS_ACCESS_LEVELS.map((a) => `\`${a}\``).join(', ');
const POLICIES = APS_POLICY_KEYS.map((k) => `\`${k}\``).join(', ');

function isAccess(value: unknown): value is ApsAccess {
  return typeof value === 'string' && (APS_ACCESS_LEVELS as readonly string[]).includes(value);
}

function isPolicyKey(value: unknown): value is ApsPolicyKey {
  return typeof value === 'string' && (APS_POLICY_KEYS as readonly string[]).includes(value);
}

/**
 * Checks a createBucket payload sent by `creator`. Every problem is reported, not only the
 * first; the rules of all of them explain the 400.
 */
export function validateCreatePayload(payload: unknown, creator: string, semantics: ApsSemantics, options: { logicalKey?: boolean } = {}): ApsValidPayload | ApsInvalidPayload {
  if (!isRecord(payload)) return { kind: 'invalid', problems: [{ message: 'the payload must be a JSON object with `bucketKey`' }] };
  const problems: ApsPayloadProblem[] = [];

  const bucketKey = payload['bucketKey'];
  // Vendor notes §1.1 [A1][A3] (RECOMMENDATION: the regex): "Valid field 'bucketKey' must be of the form [-_.a-z0-9]{3,128}".
  // A world's bucket key is a logical name (a live adapter prefixes it with the run's prefix), so
  // only createBucket requests are held to the syntax; a world's key need only be non-empty.
  if (options.logicalKey === true ? typeof bucketKey !== 'string' || bucketKey.length === 0 : typeof bucketKey !== 'string' || !APS_BUCKET_KEY_PATTERN.test(bucketKey)) {
    problems.push({ message: wrong('bucketKey', bucketKey, 'of the form [-_.a-z0-9]{3,128}') });
  }

  const policyKey = payload['policyKey'];
  // Vendor notes §1.1 [A1][A3]: policyKey is `transient`, `temporary` or `persistent`, default `transient`.
  if (policyKey !== undefined && !isPolicyKey(policyKey)) {
    problems.push({ message: wrong('policyKey', policyKey, `one of ${POLICIES}`) });
  }

  const grants = new Map<string, ApsAccess>();
  const allow = payload['allow'];
  if (allow !== undefined && !Array.isArray(allow)) {
    // APS-GRANT-CREATE (000): "using the allow attribute, the bucket owner can specify a list of keys".
    problems.push({ message: '`allow` must be a list of `{authId, access}`', rule: 'APS-GRANT-CREATE' });
  } else if (allow !== undefined) {
    // APS-GRANT-LIMIT (000): "the bucket owner can specify a list of keys; up to 60 keys". Entries are counted as
    // given, an entry naming the creator included.
    if (allow.length > semantics.maxGrants) {
      problems.push({ message: `\`allow\` has ${allow.length} entries; at most ${semantics.maxGrants} keys can be granted`, rule: 'APS-GRANT-LIMIT' });
    }
    const seen = new Set<string>();
    allow.forEach((entry: unknown, i) => {
      if (!isRecord(entry)) {
        problems.push({ message: `\`allow[${i}]\` must be an object \`{authId, access}\``, rule: 'APS-GRANT-CREATE' });
        return;
      }
      const { authId, access } = entry;
      if (typeof authId !== 'string' || authId.length === 0) {
        // APS-GRANT-CREATE (000): each entry names a key ("authId") to grant.
        problems.push({ message: `\`allow[${i}].authId\` must be a non-empty client id`, rule: 'APS-GRANT-CREATE' });
      }
      // APS-GRANT-ACCESS-VALUES (000, inferred): "along with the level of access: full, read or write."
      if (!isAccess(access)) {
        problems.push({ message: wrong(`allow[${i}].access`, access, `one of ${LEVELS}`), rule: 'APS-GRANT-ACCESS-VALUES' });
      }
      if (typeof authId !== 'string' || authId.length === 0) return;
      // RECOMMENDATION (the documents are silent): a client id named twice is a 400, whatever the two levels,
      // rather than a silent choice between them.
      if (seen.has(authId)) {
        problems.push({ message: `\`allow[${i}].authId\` \`${authId}\` is named twice`, rule: 'APS-GRANT-CREATE' });
        return;
      }
      seen.add(authId);
      // An entry naming the creator is accepted and ignored: the owner has every right anyway (vendor notes §2
      // [A3]: "The owner is automatically added to `permissions` with `full`"), and it must never make the owner
      // a "granted key" refused the owner-only operations.
      if (authId !== creator && isAccess(access)) grants.set(authId, access);
    });
  }

  if (problems.length > 0) return { kind: 'invalid', problems };
  return { kind: 'valid', bucketKey: bucketKey as string, policyKey: (policyKey as ApsPolicyKey | undefined) ?? DEFAULT_POLICY_KEY, grants };
}
