/**
 * POST Bucket: the payload, the 60-key limit, the access values, the key syntax, a taken key,
 * and the order of the checks. A refused payload is `rejected` with a 400 and creates nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ApsGrant, ApsRequest, ApsWorld } from '../../../../model/aps-oss/types.ts';
import { BUCKET, clientIds, decided, expectOutcome, FULL, OWNER, prepare, READ, req, STRANGER } from './helpers.ts';

const CREATOR = 'CREATORAPPxxxxxxxxxxxxxxxxxxxxxx';
const EMPTY: ApsWorld = { vendor: 'aps-oss' };

/** A createBucket request of CREATOR with `payload` (any value: invalid ones are the point). */
function create(payload: unknown, actor = CREATOR): ApsRequest {
  return { actor, operation: 'createBucket', payload: payload as ApsRequest['payload'] };
}

function grants(n: number, access = 'read'): ApsGrant[] {
  return clientIds(n).map((authId) => ({ authId, access }));
}

/** Creates with `payload` in an empty target; returns the observation and whether the bucket then exists. */
async function attempt(payload: unknown) {
  const w = await prepare(EMPTY);
  const o = decided(await w.observe(create(payload)));
  const key = (payload as { bucketKey?: unknown } | null)?.bucketKey;
  const after = typeof key === 'string' ? decided(await w.observe(req(CREATOR, 'getBucketDetails', undefined, { bucket: key }))).status : undefined;
  return { o, after };
}

describe('createBucket: the seed payload', () => {
  it('creates the seed example bucket: the creator owns it (000: "This operation is performed during bucket creation using POST Bucket API")', async () => {
    const { o, after } = await attempt({ bucketKey: 'sample-bucket-with-allow', policyKey: 'transient', allow: [{ authId: FULL, access: 'full' }] });
    expectOutcome(o, 'allow', 200, 'owner');
    expect(o.kind === 'decided' && o.explanation?.rules).toEqual(['APS-GRANT-CREATE']);
    expect(after).toBe(200);
  });

  it('creates a bucket without `allow`, and with an empty `allow`', async () => {
    expectOutcome((await attempt({ bucketKey: 'no-allow' })).o, 'allow', 200, 'owner');
    expectOutcome((await attempt({ bucketKey: 'empty-allow', allow: [] })).o, 'allow', 200, 'owner');
  });

  it('gives the grants of the payload to the keys it names (000: "to which you want to grant bucket permissions, along with the level of access")', async () => {
    const w = await prepare(EMPTY);
    await w.observe(create({ bucketKey: 'granting', allow: [{ authId: FULL, access: 'full' }] }));
    // FULL may now upload to the bucket and read its upload back; a stranger may not.
    expect((decided(await w.observe(req(FULL, 'uploadObject', 'a.txt', { bucket: 'granting' })))).status).toBe(200);
    expect((decided(await w.observe(req(FULL, 'downloadObject', 'a.txt', { bucket: 'granting' })))).status).toBe(200);
    expect((decided(await w.observe(req(STRANGER, 'uploadObject', 'b.txt', { bucket: 'granting' })))).status).toBe(403);
  });
});

describe('createBucket: APS-GRANT-LIMIT (000: "up to 60 keys")', () => {
  it('accepts 60 keys', async () => {
    const { o, after } = await attempt({ bucketKey: 'sixty', policyKey: 'transient', allow: grants(60) });
    expectOutcome(o, 'allow', 200, 'owner');
    expect(after).toBe(200);
  });

  it('rejects 61 keys with a 400, and creates no bucket', async () => {
    const { o, after } = await attempt({ bucketKey: 'sixty-one', policyKey: 'transient', allow: grants(61) });
    expectOutcome(o, 'rejected', 400, 'invalid-request');
    expect(o.kind === 'decided' && o.explanation?.rules).toEqual(['APS-GRANT-LIMIT']);
    expect(after).toBe(404);
  });

  it('counts an entry naming the creator itself', async () => {
    const sixty = [...grants(59), { authId: CREATOR, access: 'full' }];
    expectOutcome((await attempt({ bucketKey: 'sixty-with-self', allow: sixty })).o, 'allow', 200, 'owner');
    expectOutcome((await attempt({ bucketKey: 'sixty-one-with-self', allow: [...grants(60), { authId: CREATOR, access: 'full' }] })).o, 'rejected', 400, 'invalid-request');
  });
});

describe('createBucket: APS-GRANT-ACCESS-VALUES (000: "along with the level of access: full, read or write")', () => {
  for (const access of ['full', 'read', 'write']) {
    it(`accepts \`${access}\``, async () => {
      expectOutcome((await attempt({ bucketKey: `access-${access}`, allow: [{ authId: FULL, access }] })).o, 'allow', 200, 'owner');
    });
  }

  for (const access of ['admin', 'READ', 'read_only', '', 1, null]) {
    it(`rejects ${JSON.stringify(access)} with a 400 and creates no bucket`, async () => {
      const { o, after } = await attempt({ bucketKey: 'bad-access', allow: [{ authId: FULL, access }] });
      expectOutcome(o, 'rejected', 400, 'invalid-request');
      expect(o.kind === 'decided' && o.explanation?.rules).toEqual(['APS-GRANT-ACCESS-VALUES']);
      expect(after).toBe(404);
    });
  }

  it('rejects an entry without `access`', async () => {
    expectOutcome((await attempt({ bucketKey: 'no-access', allow: [{ authId: FULL }] })).o, 'rejected', 400, 'invalid-request');
  });

  it('names every rule a payload breaks', async () => {
    const { o } = await attempt({ bucketKey: 'both', allow: [...grants(60), { authId: FULL, access: 'admin' }] });
    expect(o.kind === 'decided' && o.explanation?.rules).toEqual(['APS-GRANT-LIMIT', 'APS-GRANT-ACCESS-VALUES']);
  });
});

describe('createBucket: the entries of `allow` (APS-GRANT-CREATE: `{authId, access}`)', () => {
  for (const [name, allow] of [
    ['an empty authId', [{ authId: '', access: 'read' }]],
    ['a number as authId', [{ authId: 7, access: 'read' }]],
    ['an entry that is not an object', ['FULLKEY']],
    ['`allow` that is not a list', { authId: FULL, access: 'read' }],
  ] as const) {
    it(`rejects ${name}`, async () => {
      const { o } = await attempt({ bucketKey: 'bad-entry', allow });
      expectOutcome(o, 'rejected', 400, 'invalid-request');
      expect(o.kind === 'decided' && o.explanation?.rules).toEqual(['APS-GRANT-CREATE']);
    });
  }

  it('rejects a client id named twice, whatever the levels (RECOMMENDATION: the documents are silent)', async () => {
    expectOutcome((await attempt({ bucketKey: 'twice', allow: [{ authId: FULL, access: 'read' }, { authId: FULL, access: 'read' }] })).o, 'rejected', 400, 'invalid-request');
    expectOutcome((await attempt({ bucketKey: 'twice', allow: [{ authId: FULL, access: 'read' }, { authId: FULL, access: 'full' }] })).o, 'rejected', 400, 'invalid-request');
  });

  it('accepts and ignores an entry naming the creator: it stays the owner, not a granted key', async () => {
    const w = await prepare(EMPTY);
    expectOutcome(await w.observe(create({ bucketKey: 'self-granted', allow: [{ authId: CREATOR, access: 'read' }] })), 'allow', 200, 'owner');
    // A granted key would get 403 on these (001, owner-only operations); the owner gets 200.
    expect(decided(await w.observe(req(CREATOR, 'getBucketDetails', undefined, { bucket: 'self-granted' }))).status).toBe(200);
    expect(decided(await w.observe(req(CREATOR, 'getBuckets'))).status).toBe(200);
    // A `read` entry would forbid uploads (000: "cannot perform any upload"); the owner uploads.
    expect(decided(await w.observe(req(CREATOR, 'uploadObject', 'a.txt', { bucket: 'self-granted' }))).status).toBe(200);
  });
});

describe('createBucket: bucketKey and policyKey (vendor notes §1.1)', () => {
  for (const key of ['abc', 'a'.repeat(128), 'my-bucket_1.x', '---', 'sample-bucket-with-allow']) {
    it(`accepts bucketKey \`${key.length > 20 ? `${key.slice(0, 8)}... (${key.length})` : key}\``, async () => {
      expectOutcome((await attempt({ bucketKey: key })).o, 'allow', 200, 'owner');
    });
  }

  for (const key of ['ab', 'a'.repeat(129), 'bucketExamplekey', 'my bucket', 'a/b', 'bücket', '']) {
    it(`rejects bucketKey ${JSON.stringify(key.length > 20 ? `${key.slice(0, 8)}... (${key.length})` : key)} with a 400 ("must be of the form [-_.a-z0-9]{3,128}")`, async () => {
      const { o, after } = await attempt({ bucketKey: key });
      expectOutcome(o, 'rejected', 400, 'invalid-request');
      if (key.length > 0) expect(after).toBe(404);
    });
  }

  it('rejects a missing or non-string bucketKey, and a payload that is not an object', async () => {
    for (const payload of [{}, { bucketKey: 123 }, { bucketKey: null }, null, 'sample', [], undefined]) {
      expectOutcome((await attempt(payload)).o, 'rejected', 400, 'invalid-request');
    }
  });

  for (const policyKey of ['transient', 'temporary', 'persistent']) {
    it(`accepts policyKey \`${policyKey}\``, async () => {
      expectOutcome((await attempt({ bucketKey: 'policy', policyKey })).o, 'allow', 200, 'owner');
    });
  }

  for (const policyKey of ['forever', 'Transient', '', 3]) {
    it(`rejects policyKey ${JSON.stringify(policyKey)}`, async () => {
      expectOutcome((await attempt({ bucketKey: 'policy', policyKey })).o, 'rejected', 400, 'invalid-request');
    });
  }
});

describe('createBucket: a taken key (vendor notes §1.1: 409 {"reason":"Bucket already exists"})', () => {
  it('refuses the key of a live bucket with a 409, whoever asks', async () => {
    const w = await prepare({ vendor: 'aps-oss', bucket: { key: BUCKET, owner: OWNER } });
    expectOutcome(await w.observe(create({ bucketKey: BUCKET })), 'deny', 409, 'conflict');
    expectOutcome(await w.observe(create({ bucketKey: BUCKET }, OWNER)), 'deny', 409, 'conflict');
  });

  it('refuses a key that was just created', async () => {
    const w = await prepare(EMPTY);
    expectOutcome(await w.observe(create({ bucketKey: 'once' })), 'allow', 200, 'owner');
    expectOutcome(await w.observe(create({ bucketKey: 'once' }, STRANGER)), 'deny', 409, 'conflict');
  });

  it('refuses the key of a deleted bucket ("Bucket keys of deleted buckets will not be immediately available for reuse")', async () => {
    const w = await prepare({ vendor: 'aps-oss', bucket: { key: BUCKET, owner: OWNER } });
    expect(decided(await w.observe(req(OWNER, 'deleteBucket'))).status).toBe(200);
    expectOutcome(await w.observe(create({ bucketKey: BUCKET }, OWNER)), 'deny', 409, 'conflict');
    expectOutcome(await w.observe(create({ bucketKey: BUCKET })), 'deny', 409, 'conflict');
  });
});

describe('createBucket: the order of the checks', () => {
  const world: ApsWorld = { vendor: 'aps-oss', bucket: { key: BUCKET, owner: OWNER, allow: [{ authId: READ, access: 'read' }] } };

  it('refuses a granted key with a 403 before looking at its payload (APS-OWNER-ONLY-API, literal reading)', async () => {
    const w = await prepare(world);
    expectOutcome(await w.observe(create({ bucketKey: 'mine' }, READ)), 'deny', 403, 'no-grant');
    expectOutcome(await w.observe(create({ bucketKey: 'Bad Key', allow: grants(61) }, READ)), 'deny', 403, 'no-grant');
    expectOutcome(await w.observe(create({ bucketKey: BUCKET }, READ)), 'deny', 403, 'no-grant');
  });

  it('validates the payload before asking whether the key is taken', async () => {
    const w = await prepare(world);
    expectOutcome(await w.observe(create({ bucketKey: BUCKET, allow: grants(61) }, STRANGER)), 'rejected', 400, 'invalid-request');
    expectOutcome(await w.observe(create({ bucketKey: BUCKET, policyKey: 'forever' }, STRANGER)), 'rejected', 400, 'invalid-request');
  });

  it('lets a granted key create buckets once the bucket granting it is deleted (only live buckets make granted keys)', async () => {
    const w = await prepare(world);
    expect(decided(await w.observe(req(OWNER, 'deleteBucket'))).status).toBe(200);
    expectOutcome(await w.observe(create({ bucketKey: 'mine' }, READ)), 'allow', 200, 'owner');
    expect(decided(await w.observe(req(READ, 'getBuckets'))).status).toBe(200);
  });

  it('makes the keys a new bucket names granted keys: they can no longer create buckets or list them', async () => {
    const w = await prepare(EMPTY);
    expect(decided(await w.observe(req(STRANGER, 'getBuckets'))).status).toBe(200);
    expectOutcome(await w.observe(create({ bucketKey: 'first', allow: [{ authId: STRANGER, access: 'write' }] })), 'allow', 200, 'owner');
    expect(decided(await w.observe(req(STRANGER, 'getBuckets'))).status).toBe(403);
    expectOutcome(await w.observe(create({ bucketKey: 'second' }, STRANGER)), 'deny', 403, 'no-grant');
  });
});
