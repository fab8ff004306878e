import * as fc from 'fast-check';
import { APS_ACCESS_LEVELS, APS_OPERATIONS, isObjectOperation, type ApsGrant, type ApsRequest, type ApsWorld } from '../../../model/aps-oss/types.ts';
import type { RelationCase } from '../../../model/case.ts';
import { apsWorld, bucketKey, clientIds, levelUploads, objectKey } from '../../../generators/aps-oss/index.ts';
import { apsProperty, apsRequest } from './shared.ts';

/**
 * X-ORDER for APS: the order of an allow list's grants changes no decision. The same requests
 * (of the owner, every key and a stranger, on existing and missing objects) are sent to a bucket
 * created with the list and to one created with a permutation of it; each must be decided the
 * same way in both.
 */

/** A permutation of a list that differs from it (for lists of two or more distinct items). */
function permutation<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length }).map((p) => {
    if (p.every((x, i) => x === items[i]) && p.length > 1) return [...p.slice(1), p[0]!];
    return p;
  });
}

export const grantOrder = apsProperty<Record<string, never>>({
  name: 'aps-grant-order',
  description:
    'A bucket created with an allow list of two to eight keys of random levels, and the same bucket created with the list permuted, with the same objects; the same requests of every app (including uploads and deletes, in the same order) must get the same decision in both.',
  params: { type: 'object', additionalProperties: false, properties: {} },
  labels: { outcome: ['allow', 'deny', 'rejected'] },
  cases() {
    return fc.integer({ min: 2, max: 8 }).chain((n) =>
      fc
        .record({
          ids: clientIds(n + 2),
          levels: fc.array(fc.constantFrom(...APS_ACCESS_LEVELS), { minLength: n, maxLength: n }),
          key: bucketKey(),
          objectKeys: fc.uniqueArray(objectKey(), { minLength: 2, maxLength: 4 }),
          uploaderPicks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
          picks: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...APS_OPERATIONS), fc.nat()), { minLength: 4, maxLength: 12 }),
        })
        .chain(({ ids, levels, key, objectKeys, uploaderPicks, picks }) => {
          const [owner, stranger, ...keyIds] = ids as [string, string, ...string[]];
          const allow: ApsGrant[] = keyIds.map((authId, i) => ({ authId, access: levels[i]! }));
          const uploaders = [owner, ...allow.filter((g) => levelUploads(g.access)).map((g) => g.authId)];
          // The last object key is never uploaded: requests on it meet a missing object.
          const objects = objectKeys.slice(0, -1).map((k, i) => ({ key: k, uploadedBy: uploaders[uploaderPicks[i]! % uploaders.length]! }));
          const everyone = [owner, ...keyIds, stranger];
          const requests: ApsRequest[] = picks.map(([who, operation, what]) => {
            const actor = everyone[who % everyone.length]!;
            if (operation === 'createBucket') return apsRequest(actor, operation, { payload: { bucketKey: what % 2 ? key : `${key}-2`, policyKey: 'transient' } });
            return apsRequest(actor, operation, isObjectOperation(operation) ? { object: objectKeys[what % objectKeys.length]! } : {});
          });
          const base: ApsWorld = apsWorld({ key, owner, policyKey: 'transient', allow }, objects);
          return permutation(allow).map(
            (permuted): RelationCase => ({
              kind: 'relation',
              relation: 'same-decision',
              base,
              variant: apsWorld({ key, owner, policyKey: 'transient', allow: permuted }, objects),
              requests,
            }),
          );
        }),
    );
  },
});
