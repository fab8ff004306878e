/**
 * Preparing a world: the owner creates the bucket (a refused bucket rejects the world), then
 * each object is uploaded by its uploader (a refused upload is a world no client could build:
 * CONFORMANCE_INPUT).
 */
import { describe, expect, it } from 'vitest';
import { createApsReference, loadApsWorld } from '../../../../adapters/reference/aps-oss/index.ts';
import type { ApsWorld } from '../../../../model/aps-oss/types.ts';
import { BUCKET, clientIds, decided, FULL, OWNER, prepare, READ, req, sharedWorld, STRANGER, WRITE } from './helpers.ts';

const world = (bucket: Partial<NonNullable<ApsWorld['bucket']>>, objects?: ApsWorld['objects']): ApsWorld => {
  const w: ApsWorld = { vendor: 'aps-oss', bucket: { key: BUCKET, owner: OWNER, ...bucket } };
  if (objects !== undefined) w.objects = objects;
  return w;
};

describe('prepare: the world\'s bucket', () => {
  it('prepares the shared world, objects included', async () => {
    const w = await prepare(sharedWorld());
    expect(decided(await w.observe(req(OWNER, 'downloadObject', 'by-full.txt'))).status).toBe(200);
    expect(decided(await w.observe(req(FULL, 'downloadObject', 'by-full.txt'))).status).toBe(200);
  });

  it('prepares a world without bucket: only account operations apply', async () => {
    const w = await prepare({ vendor: 'aps-oss' });
    expect(decided(await w.observe(req(STRANGER, 'getBuckets'))).status).toBe(200);
    expect(decided(await w.observe({ actor: STRANGER, operation: 'createBucket', payload: { bucketKey: BUCKET } })).status).toBe(200);
  });

  it('accepts a bucket granting 60 keys (000: "up to 60 keys")', async () => {
    const p = await createApsReference().prepare(world({ allow: clientIds(60).map((authId) => ({ authId, access: 'read' })) }));
    expect(p.kind).toBe('ready');
  });

  it('rejects a bucket granting 61 keys with a 400, the rule and a message', async () => {
    const p = await createApsReference().prepare(world({ allow: clientIds(61).map((authId) => ({ authId, access: 'read' })) }));
    expect(p).toEqual({
      kind: 'rejected',
      status: 400,
      message: '`allow` has 61 entries; at most 60 keys can be granted',
      explanation: { rules: ['APS-GRANT-LIMIT'], statements: [], reason: 'invalid-request' },
    });
  });

  it('rejects an unknown access value and a bad policyKey; takes the bucket key as a logical name', async () => {
    expect(await createApsReference().prepare(world({ allow: [{ authId: FULL, access: 'admin' }] }))).toMatchObject({
      kind: 'rejected', status: 400, explanation: { rules: ['APS-GRANT-ACCESS-VALUES'], reason: 'invalid-request' },
    });
    // A world's key is a logical name (live adapters prefix it); only createBucket requests are held to [-_.a-z0-9]{3,128}.
    expect(await createApsReference().prepare(world({ key: 'bucketExamplekey' }))).toMatchObject({ kind: 'ready' });
    expect(await createApsReference().prepare(world({ key: '' }))).toMatchObject({ kind: 'rejected', status: 400 });
    expect(await createApsReference().prepare(world({ policyKey: 'forever' }))).toMatchObject({ kind: 'rejected', status: 400 });
  });

  it('rejects the bucket before looking at the objects', async () => {
    const p = await createApsReference().prepare(world({ allow: [{ authId: READ, access: 'admin' }] }, [{ key: 'a.txt', uploadedBy: READ }]));
    expect(p.kind).toBe('rejected');
  });
});

describe('prepare: worlds no client could build', () => {
  it('throws CONFORMANCE_INPUT for objects without a bucket', async () => {
    await expect(createApsReference().prepare({ vendor: 'aps-oss', objects: [{ key: 'a.txt', uploadedBy: OWNER }] })).rejects.toMatchObject({
      name: 'ConformanceError',
      code: 'CONFORMANCE_INPUT',
      message: 'the world has 1 object(s) but no bucket to upload them to',
    });
  });

  it('throws CONFORMANCE_INPUT naming the object for an upload by a read key (000: "The app cannot perform any upload")', async () => {
    const w = world({ allow: [{ authId: READ, access: 'read' }] }, [{ key: 'ok.txt', uploadedBy: OWNER }, { key: 'r.txt', uploadedBy: READ }]);
    await expect(createApsReference().prepare(w)).rejects.toMatchObject({
      code: 'CONFORMANCE_INPUT',
      ruleId: 'APS-READ-NO-WRITE',
      message: `world object \`r.txt\` (\`objects[1]\`) cannot be uploaded by \`${READ}\`: \`${READ}\` holds a \`read\` grant, which cannot upload (rule APS-READ-NO-WRITE)`,
    });
  });

  it('throws CONFORMANCE_INPUT for an upload by a stranger', async () => {
    await expect(createApsReference().prepare(world({}, [{ key: 's.txt', uploadedBy: STRANGER }]))).rejects.toMatchObject({
      code: 'CONFORMANCE_INPUT', ruleId: 'APS-STRANGER', message: expect.stringContaining('world object `s.txt` (`objects[0]`)'),
    });
  });

  it('throws CONFORMANCE_INPUT for a key overwriting an object someone else uploaded first', async () => {
    const w = world({ allow: [{ authId: WRITE, access: 'write' }] }, [{ key: 'a.txt', uploadedBy: OWNER }, { key: 'a.txt', uploadedBy: WRITE }]);
    await expect(createApsReference().prepare(w)).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT', message: expect.stringContaining('(`objects[1]`)') });
  });

  it('uploads in order: a key may upload the same object twice, the owner may overwrite a key\'s', async () => {
    const w = world({ allow: [{ authId: WRITE, access: 'write' }] }, [{ key: 'a.txt', uploadedBy: WRITE }, { key: 'a.txt', uploadedBy: WRITE }, { key: 'a.txt', uploadedBy: OWNER }]);
    const p = await prepare(w);
    // Still WRITE's: the owner's overwrite keeps the creator.
    expect(decided(await p.observe(req(WRITE, 'deleteObject', 'a.txt'))).status).toBe(200);
  });

  it('reports the malformed object by its index (loadApsWorld, as decide uses it)', () => {
    const w = world({ allow: [{ authId: READ, access: 'read' }] }, [{ key: 'ok.txt', uploadedBy: OWNER }, { key: 'r.txt', uploadedBy: READ }]);
    expect(loadApsWorld(w)).toMatchObject({ kind: 'malformed', object: 1, ruleId: 'APS-READ-NO-WRITE' });
    expect(loadApsWorld({ vendor: 'aps-oss', objects: [{ key: 'a', uploadedBy: OWNER }] })).toMatchObject({ kind: 'malformed' });
    expect(loadApsWorld({ vendor: 'aps-oss', objects: [{ key: 'a', uploadedBy: OWNER }] })).not.toHaveProperty('object');
  });
});
