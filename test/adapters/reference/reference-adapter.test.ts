import { describe, expect, it } from 'vitest';
import type { PreparedWorld, Preparation } from '../../../adapters/types.ts';
import { createReferenceAdapter } from '../../../adapters/reference/reference-adapter.ts';
import { CAPABILITIES } from '../../../model/capabilities.ts';
import type { AliWorld } from '../../../model/alibaba-oss/types.ts';
import type { ApsWorld } from '../../../model/aps-oss/types.ts';
import type { ObsWorld } from '../../../model/huawei-obs/types.ts';
import type { World } from '../../../model/world.ts';

const bucket = { name: 'example-bucket', owner: '174649585760xxxx' };
const OTHER = '1111111111111111';
const allowOther = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [OTHER], Resource: 'acs:oss:*:*:example-bucket/*' }] };

const world = (policy?: unknown): AliWorld => (policy === undefined ? { vendor: 'alibaba-oss', bucket } : { vendor: 'alibaba-oss', bucket, policy });

function ready(p: Preparation): PreparedWorld {
  if (p.kind !== 'ready') throw new Error(`expected a ready world, got ${JSON.stringify(p)}`);
  return p;
}

describe('createReferenceAdapter', () => {
  it('is named reference, supports alibaba-oss, huawei-obs and aps-oss and has every capability', () => {
    const adapter = createReferenceAdapter();
    expect(adapter.name).toBe('reference');
    expect(adapter.capabilities.vendors).toEqual(['alibaba-oss', 'huawei-obs', 'aps-oss']);
    expect([...adapter.capabilities.features].sort()).toEqual([...CAPABILITIES].sort());
  });

  it('observes decisions with status, code, EC and explanation', async () => {
    const w = ready(await createReferenceAdapter().prepare(world(allowOther)));
    expect(await w.observe({ principal: OTHER, action: 'oss:GetObject', object: 'a' })).toEqual({
      kind: 'decided', decision: 'allow', status: 200, explanation: { rules: ['ALI-UNION'], statements: [0], reason: 'explicit-allow' },
    });
    expect(await w.observe({ principal: '2222222222222222', action: 'oss:GetObject', object: 'a' })).toEqual({
      kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', ec: '0003-00000001',
      explanation: { rules: ['ALI-IMPLICIT'], statements: [], reason: 'implicit-deny' },
    });
    await w.release();
    await w.release();
  });

  it('prepares a world without policy', async () => {
    const w = ready(await createReferenceAdapter().prepare(world()));
    expect(await w.observe({ principal: OTHER, action: 'oss:GetObject', object: 'a' })).toMatchObject({ decision: 'deny', ec: '0003-00000001' });
    expect(await w.observe({ principal: bucket.owner, action: 'oss:PutBucketAcl' })).toMatchObject({ decision: 'allow', explanation: { reason: 'owner' } });
  });

  it('rejects an invalid policy with status, code, EC, message and the rule', async () => {
    const p = await createReferenceAdapter().prepare(world({ Version: '2', Statement: allowOther.Statement }));
    expect(p).toEqual({
      kind: 'rejected', status: 400, code: 'InvalidPolicyDocument', ec: '0030-00000002',
      message: 'unsupported `Version` `2`; the only version is `1`',
      explanation: { rules: ['ALI-VERSION'], statements: [], reason: 'invalid-policy' },
    });
  });

  it('submits a string policy verbatim, whitespace included', async () => {
    const adapter = createReferenceAdapter();
    const compact = JSON.stringify(allowOther);
    const padded = compact.replace('{', `{${' '.repeat(16384 - compact.length + 1)}`);
    expect(Buffer.byteLength(padded)).toBe(16385);
    expect(await adapter.prepare(world(padded))).toMatchObject({ kind: 'rejected', ec: '0030-00000001' });
    expect((await adapter.prepare(world(JSON.parse(padded) as unknown))).kind).toBe('ready');
    expect(await adapter.prepare(world('{"Version":"1",'))).toMatchObject({ kind: 'rejected', ec: '0030-00000005' });
  });

  it('serialises any other policy value as JSON, null included', async () => {
    const adapter = createReferenceAdapter();
    expect(await adapter.prepare(world(null))).toMatchObject({ kind: 'rejected', ec: '0030-00000005', message: 'policy must be a JSON object, not null' });
    expect(await adapter.prepare(world(['x']))).toMatchObject({ kind: 'rejected', ec: '0030-00000005' });
  });

  it('submits raw bytes verbatim, so that invalid UTF-8 can be tested', async () => {
    const adapter = createReferenceAdapter();
    expect(await adapter.prepare(world(new Uint8Array([0x7b, 0xff, 0x7d])))).toMatchObject({ kind: 'rejected', ec: '0030-00000004' });
    expect((await adapter.prepare(world(new TextEncoder().encode(JSON.stringify(allowOther))))).kind).toBe('ready');
  });

  it('throws a harness error for a policy that has no JSON form', async () => {
    await expect(createReferenceAdapter().prepare(world({ n: 1n }))).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT' });
    await expect(createReferenceAdapter().prepare(world(() => 1))).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT' });
  });

  it('throws a harness error for a world of an unsupported vendor', async () => {
    const s3 = { vendor: 'aws-s3', bucket } as unknown as World;
    await expect(createReferenceAdapter().prepare(s3)).rejects.toMatchObject({
      name: 'ConformanceError',
      code: 'CONFORMANCE_INPUT',
      message: 'the reference adapter does not support worlds of vendor `aws-s3`; supported: alibaba-oss, huawei-obs, aps-oss',
    });
  });

  it('uses semantics overrides (fault injection)', async () => {
    const p = { Version: '1', Statement: [...allowOther.Statement, { ...allowOther.Statement[0], Effect: 'Deny' }] };
    const request = { principal: OTHER, action: 'oss:GetObject', object: 'a' };
    const documented = ready(await createReferenceAdapter().prepare(world(p)));
    const faulty = ready(await createReferenceAdapter({ aliSemantics: { combine: (d, a) => (a ? 'allow' : d ? 'deny' : 'none') } }).prepare(world(p)));
    expect(await documented.observe(request)).toMatchObject({ decision: 'deny', ec: '0003-00000101' });
    expect(await faulty.observe(request)).toMatchObject({ decision: 'allow' });
  });

  describe('aps-oss worlds', () => {
    const apsWorld: ApsWorld = {
      vendor: 'aps-oss',
      bucket: { key: 'sample-bucket-with-allow', owner: 'OWNERAPP', policyKey: 'transient', allow: [{ authId: 'WRITEKEY', access: 'write' }] },
      objects: [{ key: 'a.txt', uploadedBy: 'WRITEKEY' }],
    };

    it('observes decisions with status and explanation, and no code', async () => {
      const w = ready(await createReferenceAdapter().prepare(apsWorld));
      // Seed 000, WRITE: "cannot read/download the content/objects it uploaded".
      expect(await w.observe({ actor: 'WRITEKEY', operation: 'downloadObject', object: 'a.txt' })).toEqual({
        kind: 'decided', decision: 'deny', status: 403, explanation: { rules: ['APS-WRITE-NO-READ'], statements: [], reason: 'no-grant' },
      });
      // Seeds 000, 001: "Bucket owner application can access all objects uploaded by granted keys".
      expect(await w.observe({ actor: 'OWNERAPP', operation: 'downloadObject', object: 'a.txt' })).toEqual({
        kind: 'decided', decision: 'allow', status: 200, explanation: { rules: ['APS-OWNER-READS-ALL'], statements: [], reason: 'owner' },
      });
      await w.release();
      await w.release();
    });

    it('rejects a bucket granting an unknown access level', async () => {
      const p = await createReferenceAdapter().prepare({ ...apsWorld, bucket: { ...apsWorld.bucket!, allow: [{ authId: 'WRITEKEY', access: 'admin' }] }, objects: [] });
      expect(p).toMatchObject({ kind: 'rejected', status: 400, explanation: { rules: ['APS-GRANT-ACCESS-VALUES'], statements: [], reason: 'invalid-request' } });
    });

    it('throws a harness error for an object its uploader cannot upload', async () => {
      await expect(createReferenceAdapter().prepare({ ...apsWorld, objects: [{ key: 'a.txt', uploadedBy: 'STRANGER' }] })).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT' });
    });

    it('uses APS semantics overrides (fault injection)', async () => {
      const request = { actor: 'WRITEKEY', operation: 'downloadObject' as const, object: 'a.txt' };
      const faulty = ready(await createReferenceAdapter({ apsSemantics: { mayReadOwn: () => true } }).prepare(apsWorld));
      expect(await faulty.observe(request)).toMatchObject({ decision: 'allow', status: 200 });
    });
  });

  describe('huawei-obs worlds', () => {
    const OBS_OWNER = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
    const ACCOUNT = '783fc6652cf246c096ea836694f71855';
    // Seed 003's example policy.
    const obsWorld: ObsWorld = {
      vendor: 'huawei-obs',
      bucket: { name: 'mybucket', owner: OBS_OWNER },
      policy: { Statement: [{ Effect: 'Allow', Sid: '1', Principal: { ID: [`domain/${ACCOUNT}:user/*`] }, Action: ['GetObject'], Resource: 'mybucket/*' }] },
    };

    it('observes decisions with status, code and explanation, and keeps state between requests', async () => {
      const w = ready(await createReferenceAdapter().prepare(obsWorld));
      expect(await w.observe({ principal: { account: ACCOUNT, user: 'alice' }, action: 'GetObject', object: 'a.txt' })).toEqual({
        kind: 'decided', decision: 'allow', status: 200, explanation: { rules: ['OBS-ALLOW-DENY', 'OBS-WILDCARD'], statements: [0], reason: 'explicit-allow' },
      });
      expect(await w.observe({ principal: { account: ACCOUNT }, action: 'PutObject', object: 'a.txt' })).toEqual({
        kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', explanation: { rules: ['OBS-ACL-WRITE'], statements: [], reason: 'no-grant' },
      });
      // Seed 003: "A bucket owner can ... perform the GetBucket Policy or DeleteBucket Policy operation".
      expect(await w.observe({ principal: { account: OBS_OWNER }, action: 'DeleteBucketPolicy' })).toMatchObject({ decision: 'allow', status: 204 });
      expect(await w.observe({ principal: { account: OBS_OWNER }, action: 'GetBucketPolicy' })).toMatchObject({ decision: 'deny', status: 404, code: 'NoSuchBucketPolicy' });
      await w.release();
      await w.release();
    });

    it('rejects a world whose policy is malformed', async () => {
      expect(await createReferenceAdapter().prepare({ ...obsWorld, policy: '{"Statement":' })).toMatchObject({ kind: 'rejected', status: 400, code: 'MalformedPolicy', explanation: { reason: 'invalid-policy' } });
    });

    it('uses OBS semantics overrides (fault injection)', async () => {
      const acl = [{ grantee: { group: 'AuthenticatedUsers' as const }, permission: 'WRITE' }];
      const request = { principal: 'anonymous' as const, action: 'PutObject', object: 'a.txt' };
      const documented = ready(await createReferenceAdapter().prepare({ ...obsWorld, acl }));
      const faulty = ready(await createReferenceAdapter({ obsSemantics: { granteeCovers: () => true } }).prepare({ ...obsWorld, acl }));
      expect(await documented.observe(request)).toMatchObject({ decision: 'deny' });
      expect(await faulty.observe(request)).toMatchObject({ decision: 'allow' });
    });
  });

  it('closes without error', async () => {
    await expect(createReferenceAdapter().close()).resolves.toBeUndefined();
  });
});
