/**
 * The bucket-policy APIs (seed 003; vendor notes §4): only the owner puts, gets and deletes the
 * policy; a put replaces the policy entirely; a get without policy is 404 NoSuchBucketPolicy; a
 * delete is 204 whether or not there is one.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT_1, decided, once, policyOf, prepare, req, run, STRANGER, WHO_NAMES, world, toAccount } from './helpers.ts';

const ALLOW_1_GET = policyOf({ Effect: 'Allow', Principal: { ID: `domain/${ACCOUNT_1}:user/*` }, Action: 'GetObject', Resource: 'mybucket/*' });
const ALLOW_STRANGER_PUT = policyOf({ Effect: 'Allow', Principal: { ID: `domain/${STRANGER}` }, Action: 'PutObject', Resource: 'mybucket/*' });

describe('PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy by the owner', () => {
  it('put (204), get (200), delete (204), get (404 NoSuchBucketPolicy) (OBS-GET-DELETE: "obtain or delete the existing bucket policy")', async () => {
    const w = await prepare();
    expect(await run(w, [
      req('owner', 'GetBucketPolicy'),
      req('owner', 'PutBucketPolicy', undefined, { policy: ALLOW_1_GET }),
      req('owner', 'GetBucketPolicy'),
      req('owner', 'DeleteBucketPolicy'),
      req('owner', 'GetBucketPolicy'),
      // Vendor notes §4 (O12): 204 "regardless of whether a requested bucket policy exists or not".
      req('owner', 'DeleteBucketPolicy'),
    ])).toEqual(['deny 404 NoSuchBucketPolicy', 'allow 204', 'allow 200', 'allow 204', 'deny 404 NoSuchBucketPolicy', 'allow 204']);
  });

  it('explains each step by its rules', async () => {
    const w = await prepare();
    expect(decided(await w.observe(req('owner', 'GetBucketPolicy')))).toEqual({ kind: 'decided', decision: 'deny', status: 404, code: 'NoSuchBucketPolicy', explanation: { rules: ['OBS-GET-DELETE'], statements: [], reason: 'not-found' } });
    expect(decided(await w.observe(req('owner', 'PutBucketPolicy', undefined, { policy: ALLOW_1_GET })))).toEqual({ kind: 'decided', decision: 'allow', status: 204, explanation: { rules: ['OBS-OWNER-MANAGES', 'OBS-OVERWRITE'], statements: [], reason: 'owner' } });
    expect(decided(await w.observe(req('owner', 'DeleteBucketPolicy')))).toEqual({ kind: 'decided', decision: 'allow', status: 204, explanation: { rules: ['OBS-OWNER-MANAGES', 'OBS-GET-DELETE'], statements: [], reason: 'owner' } });
  });

  it('the policy put takes effect at once, and is gone after the delete (003: "After a policy is set for a bucket, all subsequent accesses to the bucket are controlled by the policy")', async () => {
    const w = await prepare();
    expect(await run(w, [
      req('account1', 'GetObject', 'a'),
      req('owner', 'PutBucketPolicy', undefined, { policy: ALLOW_1_GET }),
      req('account1', 'GetObject', 'a'),
      req('owner', 'DeleteBucketPolicy'),
      req('account1', 'GetObject', 'a'),
    ])).toEqual(['deny 403 AccessDenied', 'allow 204', 'allow 200', 'allow 204', 'deny 403 AccessDenied']);
  });

  it('a put replaces the whole policy (OBS-OVERWRITE: "A new policy will overwrite the existing one")', async () => {
    const w = await prepare(world({ policy: ALLOW_1_GET }));
    expect(await run(w, [
      req('account1', 'GetObject', 'a'),
      req('stranger', 'PutObject', 'a'),
      req('owner', 'PutBucketPolicy', undefined, { policy: ALLOW_STRANGER_PUT }),
      req('account1', 'GetObject', 'a'),
      req('stranger', 'PutObject', 'a'),
    ])).toEqual(['allow 200', 'deny 403 AccessDenied', 'allow 204', 'deny 403 AccessDenied', 'allow 200']);
  });

  it('an IAM user of the owner manages the policy too (vendor notes §4, O10: "the owner, or the owner\'s IAM user with permission")', async () => {
    const w = await prepare();
    expect(await run(w, [req('ownerUser', 'PutBucketPolicy', undefined, { policy: ALLOW_1_GET }), req('ownerUser', 'GetBucketPolicy'), req('ownerUser', 'DeleteBucketPolicy')])).toEqual(['allow 204', 'allow 200', 'allow 204']);
  });

  it('a policy text is put as given: a string verbatim', async () => {
    const w = await prepare();
    expect(await run(w, [req('owner', 'PutBucketPolicy', undefined, { policy: JSON.stringify(ALLOW_1_GET, null, 2) }), req('account1', 'GetObject', 'a')])).toEqual(['allow 204', 'allow 200']);
  });
});

describe('invalid policies are rejected and change nothing', () => {
  it('a malformed policy is `rejected` 400 MalformedPolicy, and the old policy stays', async () => {
    const w = await prepare(world({ policy: ALLOW_1_GET }));
    const o = decided(await w.observe(req('owner', 'PutBucketPolicy', undefined, { policy: '{"Statement": [' })));
    expect(o).toMatchObject({ decision: 'rejected', status: 400, code: 'MalformedPolicy', explanation: { reason: 'invalid-policy', rules: ['OBS-SYNTAX'], statements: [] } });
    expect(await run(w, [req('account1', 'GetObject', 'a'), req('owner', 'PutBucketPolicy', undefined, { policy: { Statement: [] } }), req('account1', 'GetObject', 'a')])).toEqual(['allow 200', 'rejected 400 MalformedPolicy', 'allow 200']);
  });

  it('20480 bytes are accepted and 20481 are `rejected` 400 EntityTooLarge (OBS-LIMIT-SIZE: "cannot exceed 20 KB")', async () => {
    const base = JSON.stringify(policyOf({ Sid: '', Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' }));
    const sized = (n: number) => JSON.stringify(policyOf({ Sid: 'x'.repeat(n - base.length), Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' }));
    expect(Buffer.byteLength(sized(20480))).toBe(20480);
    const w = await prepare();
    expect(await run(w, [req('owner', 'PutBucketPolicy', undefined, { policy: sized(20481) }), req('anonymous', 'GetObject', 'a'), req('owner', 'PutBucketPolicy', undefined, { policy: sized(20480) }), req('anonymous', 'GetObject', 'a')]))
      .toEqual(['rejected 400 EntityTooLarge', 'deny 403 AccessDenied', 'allow 204', 'allow 200']);
    // A JSON value is serialised compactly before it is measured.
    expect(await once(world(), req('owner', 'PutBucketPolicy', undefined, { policy: JSON.parse(sized(20480)) as unknown }))).toBe('allow 204');
  });
});

describe('only the owner manages the policy (OBS-OWNER-MANAGES)', () => {
  const apis = [
    req('stranger', 'PutBucketPolicy', undefined, { policy: ALLOW_1_GET }),
    req('stranger', 'GetBucketPolicy'),
    req('stranger', 'DeleteBucketPolicy'),
  ];

  it('every other principal gets 403 AccessDenied on all three APIs', async () => {
    for (const who of WHO_NAMES.filter((n) => n !== 'owner' && n !== 'ownerUser')) {
      const w = await prepare(world({ policy: ALLOW_1_GET }));
      const principal = req(who, 'GetBucketPolicy').principal;
      expect(await run(w, apis.map((r) => ({ ...r, principal }))), who).toEqual(['deny 403 AccessDenied', 'deny 403 AccessDenied', 'deny 403 AccessDenied']);
    }
  });

  it('even when a policy Allows them the policy APIs, or an ACL grants FULL_CONTROL: the policy does not govern its own management', async () => {
    const policy = policyOf({ Effect: 'Allow', Principal: '*', Action: ['*Policy', 'PutBucketPolicy'], Resource: ['mybucket', 'mybucket/*'] });
    const w = await prepare(world({ policy, acl: [toAccount(STRANGER, 'FULL_CONTROL')] }));
    const o = decided(await w.observe(apis[1]!));
    expect(o).toEqual({ kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', explanation: { rules: ['OBS-OWNER-MANAGES'], statements: [], reason: 'no-grant' } });
    expect(await run(w, [apis[0]!, apis[2]!, req('owner', 'GetBucketPolicy')])).toEqual(['deny 403 AccessDenied', 'deny 403 AccessDenied', 'allow 200']);
  });

  it('a non-owner is refused before its body is read: a malformed policy from a stranger is a 403, not a 400', async () => {
    expect(await once(world(), req('stranger', 'PutBucketPolicy', undefined, { policy: '{' }))).toBe('deny 403 AccessDenied');
  });

  it('a policy Deny does not stop the owner managing the policy', async () => {
    const policy = policyOf({ Effect: 'Deny', Principal: '*', Action: '*', Resource: ['mybucket', 'mybucket/*'] });
    const w = await prepare(world({ policy }));
    expect(await run(w, [req('owner', 'GetObject', 'a'), req('owner', 'GetBucketPolicy'), req('owner', 'DeleteBucketPolicy'), req('owner', 'GetObject', 'a')])).toEqual(['deny 403 AccessDenied', 'allow 200', 'allow 204', 'allow 200']);
  });
});
