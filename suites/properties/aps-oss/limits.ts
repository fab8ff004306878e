import { ConformanceError } from '../../../model/errors.ts';
import * as fc from 'fast-check';
import type { ApsRole, ApsTarget } from '../../../model/aps-oss/matrix.ts';
import { APS_ACCESS_LEVELS, APS_MAX_GRANTS, type ApsGrant, type ApsRequest, type ApsWorld } from '../../../model/aps-oss/types.ts';
import type { ExpectationCase, ExpectedRequest } from '../../../model/case.ts';
import type { Expectation } from '../../../model/outcome.ts';
import { bucketKey, clientIds, objectKey } from '../../../generators/aps-oss/index.ts';
import type { PropertyEnv } from '../types.ts';
import { apsProperty, apsRequest, describeApsRequest, matrixOf } from './shared.ts';

/**
 * The allow list's limits: at most 60 keys (APS-GRANT-LIMIT) and only `full`, `read` or `write`
 * (APS-GRANT-ACCESS-VALUES). An app with no bucket creates one; an invalid payload must be
 * rejected, and then the same bucket key must still be free (no bucket was created), which a
 * valid createBucket with that key shows. A valid payload is accepted and its last grant is in
 * force. Expected outcomes of valid steps come from the matrix.
 */

const REJECTION_SCHEMA = {
  type: 'object',
  description: 'the expected outcome of the invalid payload, such as {decision: rejected, status: 400}',
  required: ['decision'],
  properties: { decision: { const: 'rejected' }, status: {}, code: { type: 'string' } },
} as const;

/** The matrix's expectation for a cell, as a step of a case. */
function step(env: PropertyEnv, role: ApsRole, request: ApsRequest, target: ApsTarget): ExpectedRequest {
  const cell = matrixOf(env).lookup(role, request.operation, target);
  if (!cell) throw new ConformanceError('CONFORMANCE_INPUT', `the access matrix has no cell for ${role} ${request.operation} ${target}`);
  return { name: describeApsRequest(request, role, target), request, expect: { ...cell.expect } };
}

/** An empty world: apps exist, no bucket does yet. */
const EMPTY: ApsWorld = { vendor: 'aps-oss' };

/**
 * The case for one payload: the creator (a stranger to every bucket, since there is none) sends
 * it; if it is invalid, it is rejected and then a valid payload with the same key is accepted;
 * if it is valid, a key it grants then acts on the new bucket as its level allows.
 */
function payloadCase(env: PropertyEnv, creator: string, key: string, allow: ApsGrant[], valid: boolean, rejection: Expectation, fallback: ApsGrant[], object: string, labels: Record<string, string>): ExpectationCase {
  const create = apsRequest(creator, 'createBucket', { payload: { bucketKey: key, policyKey: 'transient', allow } });
  if (!valid) {
    const retry = apsRequest(creator, 'createBucket', { payload: { bucketKey: key, policyKey: 'transient', allow: fallback } });
    return {
      kind: 'expect',
      world: EMPTY,
      requests: [{ name: describeApsRequest(create, 'stranger', 'invalid-payload'), request: create, expect: { ...rejection } }, step(env, 'stranger', retry, 'new-key')],
      labels,
    };
  }
  const last = allow[allow.length - 1];
  const requests = [step(env, 'stranger', create, 'new-key')];
  if (last) {
    const upload = apsRequest(last.authId, 'uploadObject', { bucket: key, object });
    requests.push(step(env, last.access as ApsRole, upload, 'missing'));
  }
  return { kind: 'expect', world: EMPTY, requests, labels };
}

interface LimitParams {
  maxGrants?: number;
  rejection?: Expectation;
}

export const grantLimit = apsProperty<LimitParams>({
  name: 'aps-grant-limit',
  description:
    'createBucket with allow lists just under, at and just over `maxGrants` distinct keys of random levels: over the limit the payload is rejected (`rejection`) and the bucket key stays free; at or under it the bucket is created and its last grant is in force (outcomes from the matrix).',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      maxGrants: { type: 'integer', minimum: 1, maximum: 1000, description: `the most keys an allow list may hold (default ${APS_MAX_GRANTS})` },
      rejection: REJECTION_SCHEMA,
    },
  },
  labels: { outcome: ['allow', 'deny', 'rejected'], side: ['under', 'at', 'over'] },
  cases(params, env) {
    const max = params.maxGrants ?? APS_MAX_GRANTS;
    const rejection = params.rejection ?? { decision: 'rejected' };
    const side = fc.oneof(
      fc.integer({ min: 1, max: Math.min(5, max) }).map((d) => ({ side: 'under', n: max - d })),
      fc.constant({ side: 'at', n: max }),
      fc.integer({ min: 1, max: 5 }).map((d) => ({ side: 'over', n: max + d })),
    );
    return side.chain(({ side, n }) =>
      fc
        .record({
          ids: clientIds(n + 1),
          levels: fc.array(fc.constantFrom(...APS_ACCESS_LEVELS), { minLength: n, maxLength: n }),
          key: bucketKey(),
          object: objectKey(),
        })
        .map(({ ids, levels, key, object }) => {
          const [creator, ...keyIds] = ids as [string, ...string[]];
          const allow = keyIds.map((authId, i) => ({ authId, access: levels[i]! }));
          return payloadCase(env, creator, key, allow, side !== 'over', rejection, allow.slice(0, max), object, { side });
        }),
    );
  },
});

/** Values that are not `full`, `read` or `write`: other cases, the OpenAPI's `read_only`, near misses, other words. */
function invalidAccess(): fc.Arbitrary<{ kind: string; value: string }> {
  return fc.oneof(
    fc.constantFrom('FULL', 'Read', 'WRITE', 'Full').map((value) => ({ kind: 'case', value })),
    fc.constantFrom('read_only', 'readwrite', 'read-write', 'owner', 'admin').map((value) => ({ kind: 'synonym', value })),
    fc.constantFrom('', ' read', 'write ', 'ful').map((value) => ({ kind: 'near-miss', value })),
    fc.stringMatching(/^[a-z]{1,10}$/).filter((v) => !(APS_ACCESS_LEVELS as readonly string[]).includes(v)).map((value) => ({ kind: 'other', value })),
  );
}

export const accessValues = apsProperty<{ rejection?: Expectation }>({
  name: 'aps-access-values',
  description:
    'createBucket with one to five grants, either all of `full`, `read` and `write`, or one with another value (another case, `read_only`, a near miss, any other word): an invalid value is rejected (`rejection`) and the bucket key stays free; valid values are accepted and in force (outcomes from the matrix).',
  params: { type: 'object', additionalProperties: false, properties: { rejection: REJECTION_SCHEMA } },
  labels: { outcome: ['allow', 'deny', 'rejected'], value: ['valid', 'case', 'synonym', 'near-miss', 'other'] },
  cases(params, env) {
    const rejection = params.rejection ?? { decision: 'rejected' };
    return fc
      .record({
        ids: clientIds(6),
        n: fc.integer({ min: 1, max: 5 }),
        levels: fc.array(fc.constantFrom(...APS_ACCESS_LEVELS), { minLength: 5, maxLength: 5 }),
        bad: fc.option(fc.tuple(invalidAccess(), fc.nat()), { freq: 2 }),
        key: bucketKey(),
        object: objectKey(),
      })
      .map(({ ids, n, levels, bad, key, object }) => {
        const [creator, ...keyIds] = ids as [string, ...string[]];
        const valid = keyIds.slice(0, n).map((authId, i) => ({ authId, access: levels[i]! as string }));
        if (!bad) return payloadCase(env, creator, key, valid, true, rejection, valid, object, { value: 'valid' });
        const [{ kind, value }, at] = bad;
        const allow = valid.map((g, i) => (i === at % n ? { ...g, access: value } : g));
        return payloadCase(env, creator, key, allow, false, rejection, valid, object, { value: kind });
      });
  },
});
