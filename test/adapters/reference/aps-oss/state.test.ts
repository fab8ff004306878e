/**
 * The target is stateful: uploads add objects, deletes remove them, DELETE Bucket marks the
 * bucket deleted. Each test is a sequence of requests on one prepared world, with what the
 * seeds say each step must give.
 */
import { describe, expect, it } from 'vitest';
import { createApsReference } from '../../../../adapters/reference/aps-oss/index.ts';
import { BUCKET, decided, expectOutcome, FULL, OTHER, OWNER, prepare, READ, req, statuses, STRANGER, WRITE } from './helpers.ts';

describe('objects come and go', () => {
  it('a full key uploads, then downloads its own object (000 FULL: "upload/write, download/read and change own data permission")', async () => {
    const w = await prepare();
    expect(await statuses(w, [req(FULL, 'downloadObject', 'new.txt'), req(FULL, 'uploadObject', 'new.txt'), req(FULL, 'downloadObject', 'new.txt')])).toEqual([404, 200, 200]);
  });

  it('an object a full key uploaded is the owner\'s to read, and nobody else\'s (001: "Bucket owner application can access all objects uploaded by granted keys"; "Cannot download objects uploaded by other granted keys")', async () => {
    const w = await prepare();
    await w.observe(req(FULL, 'uploadObject', 'new.txt'));
    expect(await statuses(w, [req(OWNER, 'downloadObject', 'new.txt'), req(OTHER, 'downloadObject', 'new.txt'), req(READ, 'downloadObject', 'new.txt'), req(STRANGER, 'downloadObject', 'new.txt')])).toEqual([200, 403, 403, 403]);
  });

  it('a write key uploads, cannot read its upload back, and deletes it (000 WRITE: "cannot read/download the content/objects it uploaded"; "Delete operation is also allowed only on the objects the app uploaded")', async () => {
    const w = await prepare();
    expect(await statuses(w, [
      req(WRITE, 'uploadObject', 'w.txt'),
      req(WRITE, 'downloadObject', 'w.txt'),
      req(OWNER, 'downloadObject', 'w.txt'),
      req(WRITE, 'deleteObject', 'w.txt'),
      req(OWNER, 'downloadObject', 'w.txt'),
      req(WRITE, 'deleteObject', 'w.txt'),
    ])).toEqual([200, 403, 200, 200, 404, 404]);
  });

  it('a deleted object is gone for everyone, the owner included', async () => {
    const w = await prepare();
    expect(await statuses(w, [
      req(FULL, 'deleteObject', 'by-full.txt'),
      req(FULL, 'downloadObject', 'by-full.txt'),
      req(OWNER, 'downloadObject', 'by-full.txt'),
      req(OWNER, 'getObjectDetails', 'by-full.txt'),
    ])).toEqual([200, 404, 404, 404]);
  });

  it('a key overwrites its own object and it stays its own (000 WRITE: "upload and change own data permission")', async () => {
    const w = await prepare();
    expect(await statuses(w, [req(FULL, 'uploadObject', 'by-full.txt'), req(FULL, 'uploadObject', 'by-full.txt'), req(FULL, 'downloadObject', 'by-full.txt'), req(FULL, 'deleteObject', 'by-full.txt')])).toEqual([200, 200, 200, 200]);
  });

  it('a key cannot overwrite or delete another app\'s object, and the object is left as it was', async () => {
    const w = await prepare();
    expect(await statuses(w, [
      req(WRITE, 'uploadObject', 'by-other-key.txt'),
      req(WRITE, 'deleteObject', 'by-other-key.txt'),
      req(FULL, 'uploadObject', 'by-owner.txt'),
      req(FULL, 'deleteObject', 'by-owner.txt'),
      // Still OTHER's and the owner's.
      req(OTHER, 'downloadObject', 'by-other-key.txt'),
      req(FULL, 'downloadObject', 'by-owner.txt'),
      req(OWNER, 'downloadObject', 'by-owner.txt'),
    ])).toEqual([403, 403, 403, 403, 200, 403, 200]);
  });

  it('the owner overwriting a key\'s object leaves the key its creator; deleting and uploading again makes it the owner\'s', async () => {
    const w = await prepare();
    expect(await statuses(w, [
      req(OWNER, 'uploadObject', 'by-full.txt'),
      req(FULL, 'downloadObject', 'by-full.txt'),
      req(OWNER, 'deleteObject', 'by-full.txt'),
      req(OWNER, 'uploadObject', 'by-full.txt'),
      req(FULL, 'downloadObject', 'by-full.txt'),
      req(FULL, 'deleteObject', 'by-full.txt'),
    ])).toEqual([200, 200, 200, 200, 403, 403]);
  });

  it('refused requests change nothing', async () => {
    const w = await prepare();
    expect(await statuses(w, [
      req(READ, 'uploadObject', 'r.txt'),
      req(STRANGER, 'uploadObject', 's.txt'),
      req(STRANGER, 'deleteObject', 'by-owner.txt'),
      req(READ, 'deleteObject', 'by-owner.txt'),
      req(OWNER, 'downloadObject', 'r.txt'),
      req(OWNER, 'downloadObject', 's.txt'),
      req(OWNER, 'downloadObject', 'by-owner.txt'),
    ])).toEqual([403, 403, 403, 403, 404, 404, 200]);
  });
});

describe('deleted buckets', () => {
  it('a deleted bucket is not found by anyone, and deleting it again is a 409 (vendor notes §1: "409 already marked for deletion")', async () => {
    const w = await prepare();
    expectOutcome(await w.observe(req(OWNER, 'deleteBucket')), 'allow', 200, 'owner');
    for (const actor of [OWNER, FULL, READ, WRITE, STRANGER]) {
      expectOutcome(await w.observe(req(actor, 'getBucketDetails')), 'deny', 404, 'not-found');
      expectOutcome(await w.observe(req(actor, 'downloadObject', 'by-owner.txt')), 'deny', 404, 'not-found');
      expectOutcome(await w.observe(req(actor, 'uploadObject', 'x.txt')), 'deny', 404, 'not-found');
      expectOutcome(await w.observe(req(actor, 'deleteBucket')), 'deny', 409, 'conflict');
    }
  });

  it('a grant on a deleted bucket no longer makes a granted key (001: GET Buckets, POST Bucket are owner-only)', async () => {
    const w = await prepare();
    expect(await statuses(w, [req(FULL, 'getBuckets'), req(OWNER, 'deleteBucket'), req(FULL, 'getBuckets')])).toEqual([403, 200, 200]);
  });

  it('a granted key cannot delete the bucket, and the bucket stays (000: "owner-only operations like bucket delete remain restricted to the creator")', async () => {
    const w = await prepare();
    expect(await statuses(w, [req(FULL, 'deleteBucket'), req(WRITE, 'deleteBucket'), req(READ, 'deleteBucket'), req(OWNER, 'getBucketDetails')])).toEqual([403, 403, 403, 200]);
  });
});

describe('other buckets', () => {
  it('a request naming a bucket that does not exist is a 404 for anyone', async () => {
    const w = await prepare();
    for (const actor of [OWNER, FULL, READ, WRITE, STRANGER]) {
      expectOutcome(await w.observe(req(actor, 'getBucketDetails', undefined, { bucket: 'no-such-bucket' })), 'deny', 404, 'not-found');
      expectOutcome(await w.observe(req(actor, 'downloadObject', 'a.txt', { bucket: 'no-such-bucket' })), 'deny', 404, 'not-found');
    }
  });

  it('a bucket created by a request is usable through `request.bucket`; its grants are its own', async () => {
    const w = await prepare();
    expect(await statuses(w, [
      { actor: STRANGER, operation: 'createBucket', payload: { bucketKey: 'second-bucket', allow: [{ authId: OWNER, access: 'read' }] } },
      req(STRANGER, 'uploadObject', 'a.txt', { bucket: 'second-bucket' }),
      req(STRANGER, 'getBucketObjects', undefined, { bucket: 'second-bucket' }),
      // OWNER owns BUCKET but is a read key of second-bucket.
      req(OWNER, 'downloadObject', 'a.txt', { bucket: 'second-bucket' }),
      req(OWNER, 'getBucketDetails', undefined, { bucket: 'second-bucket' }),
      req(OWNER, 'getBucketDetails', undefined, { bucket: BUCKET }),
      // FULL holds a grant on BUCKET only.
      req(FULL, 'uploadObject', 'b.txt', { bucket: 'second-bucket' }),
    ])).toEqual([200, 200, 200, 403, 403, 200, 403]);
  });
});

describe('release', () => {
  it('empties the target and can be called twice', async () => {
    const w = await prepare();
    await w.release();
    await w.release();
    expect(decided(await w.observe(req(OWNER, 'getBucketDetails'))).status).toBe(404);
  });

  it('gives each prepared world its own store', async () => {
    const reference = createApsReference();
    const world = { vendor: 'aps-oss' as const, bucket: { key: BUCKET, owner: OWNER } };
    const a = await reference.prepare(world);
    const b = await reference.prepare(world);
    if (a.kind !== 'ready' || b.kind !== 'ready') throw new Error('expected ready worlds');
    await a.observe(req(OWNER, 'uploadObject', 'only-in-a.txt'));
    expect(decided(await a.observe(req(OWNER, 'downloadObject', 'only-in-a.txt'))).status).toBe(200);
    expect(decided(await b.observe(req(OWNER, 'downloadObject', 'only-in-a.txt'))).status).toBe(404);
  });
});

describe('requests no client could send', () => {
  it('throws CONFORMANCE_INPUT for an object operation without an object', async () => {
    const w = await prepare();
    await expect(w.observe(req(OWNER, 'downloadObject'))).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT', message: expect.stringContaining('`downloadObject` acts on an object') });
  });

  it('throws CONFORMANCE_INPUT for a bucket operation when neither the request nor the world names a bucket', async () => {
    const w = await prepare({ vendor: 'aps-oss' });
    await expect(w.observe(req(OWNER, 'getBucketDetails'))).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT' });
  });

  it('answers a createBucket without payload with a 400, as the service answers an empty body', async () => {
    const w = await prepare({ vendor: 'aps-oss' });
    expectOutcome(await w.observe({ actor: OWNER, operation: 'createBucket' }), 'rejected', 400, 'invalid-request');
  });
});
