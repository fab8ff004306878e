/**
 * Preparing OBS worlds: the world's policy is put as the owner's PutBucketPolicy and its ACL as
 * PutBucketAcl, so invalid ones reject the world; requests no client could send are harness
 * errors (CONFORMANCE_INPUT), never decisions.
 */
import { describe, expect, it } from 'vitest';
import { createObsReference, loadObsWorld } from '../../../../adapters/reference/huawei-obs/index.ts';
import type { ObsRequest, ObsWorld } from '../../../../model/huawei-obs/types.ts';
import { ACCOUNT_1, decided, OWNER, policyOf, prepare, req, run, toAccount, toGroup, world } from './helpers.ts';

describe('prepare', () => {
  it('rejects a world with a malformed policy: 400 MalformedPolicy, the message and the rule', async () => {
    expect(await createObsReference().prepare(world({ policy: { Statement: [{ Effect: 'Permit', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' }] } }))).toEqual({
      kind: 'rejected', status: 400, code: 'MalformedPolicy',
      message: '`Statement[0].Effect` must be `Allow` or `Deny`, not `Permit`',
      explanation: { rules: ['OBS-SYNTAX'], statements: [], reason: 'invalid-policy' },
    });
  });

  it('rejects a world whose policy text exceeds 20 KB with 400 EntityTooLarge (OBS-LIMIT-SIZE)', async () => {
    expect(await createObsReference().prepare(world({ policy: `{"Statement":[]}${' '.repeat(20480)}` }))).toMatchObject({
      kind: 'rejected', status: 400, code: 'EntityTooLarge', explanation: { rules: ['OBS-LIMIT-SIZE'], reason: 'invalid-policy' },
    });
  });

  it('rejects a world with an invalid ACL: 400 MalformedACLError', async () => {
    expect(await createObsReference().prepare(world({ acl: [toGroup('Everyone', 'READ_WRITE')] }))).toEqual({
      kind: 'rejected', status: 400, code: 'MalformedACLError',
      message: '`acl[0].permission` `READ_WRITE` is not one of `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP`, `FULL_CONTROL`',
      explanation: { rules: [], statements: [], reason: 'invalid-request' },
    });
  });

  it('builds the store: no policy and the default private ACL when the world gives none', () => {
    const load = loadObsWorld(world());
    expect(load).toMatchObject({ kind: 'loaded', store: { bucket: { name: 'mybucket', owner: OWNER }, policy: undefined, acl: [toAccount(OWNER, 'FULL_CONTROL')] } });
    const withBoth = loadObsWorld(world({ policy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}', acl: [toAccount(ACCOUNT_1, 'READ')] }));
    if (withBoth.kind !== 'loaded') throw new Error('expected a store');
    expect(withBoth.store.policy?.text).toBe('{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}');
    expect(withBoth.store.acl).toEqual([toAccount(ACCOUNT_1, 'READ')]);
  });

  it('gives each preparation its own store', async () => {
    const reference = createObsReference();
    const a = await reference.prepare(world());
    const b = await reference.prepare(world());
    if (a.kind !== 'ready' || b.kind !== 'ready') throw new Error('expected ready worlds');
    await a.observe(req('owner', 'PutBucketPolicy', undefined, { policy: policyOf({ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' }) }));
    expect(await run(a, [req('anonymous', 'GetObject', 'x')])).toEqual(['allow 200']);
    expect(await run(b, [req('anonymous', 'GetObject', 'x')])).toEqual(['deny 403 AccessDenied']);
    await a.release();
    await a.release();
  });

  it('throws CONFORMANCE_INPUT for a world without a usable bucket, or a policy with no JSON form', async () => {
    await expect(createObsReference().prepare({ vendor: 'huawei-obs' } as unknown as ObsWorld)).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT' });
    await expect(createObsReference().prepare({ vendor: 'huawei-obs', bucket: { name: 'b', owner: '' } })).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT' });
    await expect(createObsReference().prepare(world({ policy: 10n }))).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT' });
  });
});

describe('requests no client could send', () => {
  const cases: Array<[string, ObsRequest, string]> = [
    ['an object action without `object`', req('owner', 'GetObject'), '`GetObject` acts on an object; the request must name `object`'],
    ['a bucket action with `object`', req('owner', 'ListBucket', 'a.txt'), '`ListBucket` acts on the bucket; the request must not name `object`'],
    ['an unknown principal shape', { principal: 'root', action: 'ListBucket' } as unknown as ObsRequest, 'request principal "root" is not `anonymous`, `log-delivery` or `{account, user?}`'],
    ['a principal with an empty account', { principal: { account: '' }, action: 'ListBucket' }, 'request principal {"account":""}'],
    ['a principal with an unknown field', { principal: { account: OWNER, role: 'admin' }, action: 'ListBucket' } as unknown as ObsRequest, 'request principal'],
    ['an empty action', req('owner', ''), 'request action "" must be a non-empty action name'],
    ['a policy body on another action', req('owner', 'ListBucket', undefined, { policy: {} }), 'only `PutBucketPolicy` sends `policy`; `ListBucket` does not'],
    ['an ACL body on another action', req('owner', 'PutObject', 'a', { acl: [] }), 'only `PutBucketAcl` sends `acl`'],
    ['PutBucketPolicy without a body', req('owner', 'PutBucketPolicy'), '`PutBucketPolicy` sends a policy; the request must carry `policy`'],
    ['PutBucketAcl without a body', req('owner', 'PutBucketAcl'), '`PutBucketAcl` sends an ACL; the request must carry `acl`'],
    ['a logging body without a target', req('owner', 'PutBucketLogging', undefined, { logging: {} as { targetBucket: string } }), 'request logging {} must be `{targetBucket}`'],
  ];

  it.each(cases)('throws CONFORMANCE_INPUT for %s', async (_name, request, message) => {
    const w = await prepare();
    await expect(w.observe(request)).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT', message: expect.stringContaining(message) });
  });

  it('decides an action outside the catalogue with or without an object, and a PutBucketLogging without a body (logging disabled)', async () => {
    const w = await prepare();
    expect(await run(w, [req('owner', 'RestoreObject', 'a'), req('owner', 'PutBucketTagging'), req('account1', 'PutBucketTagging'), req('owner', 'PutBucketLogging'), req('logDelivery', 'PutObject', 'x')]))
      .toEqual(['allow 200', 'allow 200', 'deny 403 AccessDenied', 'allow 200', 'deny 403 AccessDenied']);
    expect(decided(await w.observe(req('account1', 'PutBucketTagging'))).explanation).toEqual({ rules: ['OBS-ALLOW-DENY'], statements: [], reason: 'implicit-deny' });
  });
});
