/**
 * The semantics seam: each deliberately faulty target is built by overriding ONE entry, and each
 * changes exactly the cells of the access matrix it is meant to change (every other cell of the
 * shared world keeps its documented status).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApsReference, DOCUMENTED_APS_SEMANTICS, type ApsSemantics } from '../../../../adapters/reference/aps-oss/index.ts';
import { APS_MAX_GRANTS } from '../../../../model/aps-oss/types.ts';
import { BUCKET, clientIds, decided, differences, grid, OWNER, prepare, req, STRANGER } from './helpers.ts';

let documented: Map<string, number | undefined>;
beforeAll(async () => {
  documented = await grid();
});

/** The cells `fault` changes, sorted. */
async function changedBy(fault: Partial<ApsSemantics>): Promise<string[]> {
  return differences(documented, await grid(fault)).sort();
}

describe('createApsReference', () => {
  it('uses the documented semantics when nothing is overridden', () => {
    expect(createApsReference().semantics).toBe(DOCUMENTED_APS_SEMANTICS);
    expect(createApsReference({ maxGrants: undefined }).semantics).toBe(DOCUMENTED_APS_SEMANTICS);
    expect(DOCUMENTED_APS_SEMANTICS.maxGrants).toBe(APS_MAX_GRANTS);
    expect(Object.isFrozen(DOCUMENTED_APS_SEMANTICS)).toBe(true);
  });

  it('replaces exactly the overridden entry', () => {
    const mayReadOwn = () => true;
    const s = createApsReference({ mayReadOwn }).semantics;
    expect(s.mayReadOwn).toBe(mayReadOwn);
    for (const key of Object.keys(DOCUMENTED_APS_SEMANTICS) as (keyof ApsSemantics)[]) {
      if (key !== 'mayReadOwn') expect(s[key]).toBe(DOCUMENTED_APS_SEMANTICS[key]);
    }
  });
});

describe('faults expressible by one override', () => {
  it('(a) a write key can download its own upload (mayReadOwn)', async () => {
    expect(await changedBy({ mayReadOwn: () => true })).toEqual([
      'write downloadObject by-self: 403 -> 200',
      // The level now reads its own objects, so a missing one is not found rather than forbidden.
      'write downloadObject missing: 403 -> 404',
    ]);
  });

  it('(b) a full key can read another key\'s object (mayReadOthers)', async () => {
    expect(await changedBy({ mayReadOthers: (level, uploader) => level === 'full' && uploader === 'other-key' })).toEqual([
      'full downloadObject by-other-key: 403 -> 200',
    ]);
  });

  it('(c) a grantee can get bucket details (ownerOnly)', async () => {
    expect(await changedBy({ ownerOnly: (op) => op !== 'getBucketDetails' })).toEqual([
      'full getBucketDetails bucket: 403 -> 200',
      'read getBucketDetails bucket: 403 -> 200',
      'write getBucketDetails bucket: 403 -> 200',
    ]);
  });

  it('(d) 61 grants are accepted (maxGrants)', async () => {
    const fault = { maxGrants: 61 };
    expect(await changedBy(fault)).toEqual([]);
    const create = (n: number) => ({ actor: STRANGER, operation: 'createBucket' as const, payload: { bucketKey: `grants-${n}`, allow: clientIds(n).map((authId) => ({ authId, access: 'read' })) } });
    const documentedWorld = await prepare({ vendor: 'aps-oss' });
    const faulty = await prepare({ vendor: 'aps-oss' }, fault);
    expect(decided(await documentedWorld.observe(create(61))).status).toBe(400);
    expect(decided(await faulty.observe(create(61))).status).toBe(200);
    expect(decided(await faulty.observe(create(62))).status).toBe(400);
    expect(decided(await faulty.observe(create(60))).status).toBe(200);
    const world61 = { vendor: 'aps-oss' as const, bucket: { key: BUCKET, owner: OWNER, allow: clientIds(61).map((authId) => ({ authId, access: 'read' })) } };
    expect((await createApsReference().prepare(world61)).kind).toBe('rejected');
    expect((await createApsReference(fault).prepare(world61)).kind).toBe('ready');
  });

  it('(e) the owner cannot read a grantee\'s upload (ownerMayAccessKeyObject)', async () => {
    expect(await changedBy({ ownerMayAccessKeyObject: (op) => op !== 'downloadObject' })).toEqual([
      'owner downloadObject by-other-key: 200 -> 403',
    ]);
  });

  it('a read key can upload (mayUpload)', async () => {
    expect(await changedBy({ mayUpload: () => true })).toEqual([
      'read uploadObject missing: 403 -> 200',
    ]);
  });

  it('a write key cannot delete its own objects (mayDeleteOwn)', async () => {
    expect(await changedBy({ mayDeleteOwn: (level) => level === 'full' })).toEqual([
      'write deleteObject by-self: 200 -> 403',
      'write deleteObject missing: 404 -> 403',
    ]);
  });

  it('a full key can delete anyone\'s objects (mayModifyOthers)', async () => {
    expect(await changedBy({ mayModifyOthers: (level, op) => level === 'full' && op === 'deleteObject' })).toEqual([
      'full deleteObject by-other-key: 403 -> 200',
      'full deleteObject by-owner: 403 -> 200',
    ]);
  });

  it('granted keys can list buckets (ownerOnly)', async () => {
    expect(await changedBy({ ownerOnly: (op) => op !== 'getBuckets' })).toEqual([
      'full getBuckets account: 403 -> 200',
      'read getBuckets account: 403 -> 200',
      'write getBuckets account: 403 -> 200',
    ]);
  });

  it('the key of a deleted bucket can be taken again at once (deletedKeyReusable)', async () => {
    const fault = { deletedKeyReusable: true };
    expect(await changedBy(fault)).toEqual([]);
    const sequence = [req(OWNER, 'deleteBucket'), { actor: STRANGER, operation: 'createBucket' as const, payload: { bucketKey: BUCKET } }, req(STRANGER, 'getBucketDetails')];
    const run = async (overrides: Partial<ApsSemantics>) => {
      const w = await prepare(undefined, overrides);
      const out = [];
      for (const r of sequence) out.push(decided(await w.observe(r)).status);
      return out;
    };
    expect(await run({})).toEqual([200, 409, 404]);
    expect(await run(fault)).toEqual([200, 200, 200]);
  });
});
