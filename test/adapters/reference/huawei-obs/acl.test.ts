/**
 * The bucket ACL (seed 004; vendor notes §2 and §5): who each grantee covers, what each
 * permission grants, the owner's permanent ACL rights and removable data rights, replacement,
 * the 100-grant limit, log delivery, and the ACL next to a bucket policy.
 */
import { describe, expect, it } from 'vitest';
import type { ObsGrant } from '../../../../model/huawei-obs/types.ts';
import { ACCOUNT_1, BUCKET, decided, once, OWNER, policyOf, prepare, req, run, short, STRANGER, toAccount, toGroup, WHO_NAMES, world, type Who } from './helpers.ts';
import { createObsReference } from '../../../../adapters/reference/huawei-obs/index.ts';

/** Who each grantee covers (seed 004, Table 1), written from the table. */
const COVERS: Array<[string, (permission: string) => ObsGrant, Who[]]> = [
  // "Once a specific account is granted with certain access permissions, all IAM users ... under this account can have the same access permissions".
  ['account 1', (p) => toAccount(ACCOUNT_1, p), ['account1', 'user1']],
  ['the owner\'s account', (p) => toAccount(OWNER, p), ['owner', 'ownerUser']],
  // "An anonymous user can be anyone, either registered or unregistered."
  ['Everyone', (p) => toGroup('Everyone', p), WHO_NAMES],
  // "any account registered with public cloud service, excluding IAM users or user groups created by any account" (OBS-ACL-REGISTERED, literal reading).
  ['AuthenticatedUsers', (p) => toGroup('AuthenticatedUsers', p), ['owner', 'account1', 'account2', 'stranger']],
  // "A log delivery user only delivers access logs".
  ['LogDelivery', (p) => toGroup('LogDelivery', p), ['logDelivery']],
];

/** What each permission grants (seed 004, Table 2; vendor notes §2, the ACL-to-policy table of O3). */
const GRANTS: Array<[string, string[]]> = [
  ['READ', ['ListBucket', 'ListBucketVersions', 'HeadBucket', 'ListBucketMultipartUploads']],
  ['WRITE', ['PutObject', 'DeleteObject', 'DeleteObjectVersion']],
  ['READ_ACP', ['GetBucketAcl']],
  ['WRITE_ACP', ['PutBucketAcl']],
  // Vendor notes §5.1: "FULL_CONTROL = all four".
  ['FULL_CONTROL', ['ListBucket', 'ListBucketVersions', 'HeadBucket', 'ListBucketMultipartUploads', 'PutObject', 'DeleteObject', 'DeleteObjectVersion', 'GetBucketAcl', 'PutBucketAcl']],
];

const ACL_ACTIONS = GRANTS.at(-1)![1];
const OBJECT_ACTIONS = new Set(['PutObject', 'DeleteObject', 'DeleteObjectVersion']);

function aclAction(who: Who, action: string) {
  return req(who, action, OBJECT_ACTIONS.has(action) ? 'a.txt' : undefined, action === 'PutBucketAcl' ? { acl: [toAccount(OWNER, 'FULL_CONTROL')] } : {});
}

describe('grantees × permissions (OBS-ACL-GRANTEES, OBS-ACL-READ, OBS-ACL-WRITE, OBS-ACL-ACP)', () => {
  for (const [grantee, grant, covered] of COVERS) {
    for (const [permission, actions] of GRANTS) {
      it(`a ${grantee} ${permission} grant lets exactly the covered principals do exactly its actions`, async () => {
        const w = world({ acl: [grant(permission)] });
        for (const who of WHO_NAMES) {
          for (const action of ACL_ACTIONS) {
            const owner = who === 'owner' || who === 'ownerUser';
            // OBS-ACL-OWNER-ACP (004): the owner's ACL read and write "are permanently available to the bucket owner".
            const expected = (covered.includes(who) && actions.includes(action)) || (owner && (action === 'GetBucketAcl' || action === 'PutBucketAcl'));
            expect((await once(w, aclAction(who, action))).startsWith(expected ? 'allow' : 'deny'), `${who} ${action}`).toBe(true);
          }
        }
      });
    }
  }

  it('explains an ACL grant by the permission\'s rule and the grantee\'s rule', async () => {
    const w = await prepare(world({ acl: [toGroup('Everyone', 'READ'), toGroup('AuthenticatedUsers', 'WRITE')] }));
    expect(decided(await w.observe(req('anonymous', 'ListBucket')))).toEqual({ kind: 'decided', decision: 'allow', status: 200, explanation: { rules: ['OBS-ACL-READ', 'OBS-ACL-ANONYMOUS'], statements: [], reason: 'grant' } });
    expect(decided(await w.observe(req('stranger', 'DeleteObject', 'a')))).toEqual({ kind: 'decided', decision: 'allow', status: 204, explanation: { rules: ['OBS-ACL-WRITE', 'OBS-ACL-REGISTERED'], statements: [], reason: 'grant' } });
    expect(decided(await w.observe(req('strangerUser', 'PutObject', 'a')))).toEqual({ kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', explanation: { rules: ['OBS-ACL-WRITE'], statements: [], reason: 'no-grant' } });
  });

  it('no bucket grant gives GetObject or the bucket\'s configuration: an object\'s READ is an object ACL\'s (vendor notes §2, O3)', async () => {
    const w = world({ acl: [toGroup('Everyone', 'FULL_CONTROL')] });
    for (const action of ['GetObject', 'GetObjectAcl', 'GetBucketLogging', 'PutBucketVersioning']) {
      const object = action.includes('Object') ? 'a.txt' : undefined;
      expect(await once(w, req('stranger', action, object)), action).toBe('deny 403 AccessDenied');
    }
  });
});

describe('the owner (seed 004, Table 1: "Owner")', () => {
  it('has everything by default: "The bucket owner has all bucket access permissions by default"', async () => {
    const w = await prepare();
    expect(await run(w, [
      req('owner', 'ListBucket'),
      req('owner', 'PutObject', 'a'),
      req('owner', 'GetObject', 'a'),
      req('owner', 'GetBucketAcl'),
      req('ownerUser', 'GetBucketLogging'),
      req('ownerUser', 'PutBucketVersioning'),
    ])).toEqual(['allow 200', 'allow 200', 'allow 200', 'allow 200', 'allow 200', 'allow 200']);
  });

  it('keeps READ_ACP and WRITE_ACP under any ACL (OBS-ACL-OWNER-ACP: "permanently available to the bucket owner, and cannot be modified")', async () => {
    for (const acl of [[], [toGroup('Everyone', 'READ')], [toAccount(ACCOUNT_1, 'FULL_CONTROL')]]) {
      const w = await prepare(world({ acl }));
      const o = decided(await w.observe(req('owner', 'GetBucketAcl')));
      expect(o).toEqual({ kind: 'decided', decision: 'allow', status: 200, explanation: { rules: ['OBS-ACL-OWNER-ACP'], statements: [], reason: 'owner' } });
      expect(short(await w.observe(req('ownerUser', 'PutBucketAcl', undefined, { acl: [] })))).toBe('allow 200');
      // ... and so after putting an empty ACL, still.
      expect(await run(w, [req('owner', 'GetBucketAcl'), req('owner', 'PutBucketAcl', undefined, { acl })])).toEqual(['allow 200', 'allow 200']);
    }
  });

  it('loses listing and uploading without READ and WRITE (OBS-ACL-OWNER-DATA: "the owner cannot obtain the list of objects in the bucket or upload objects to the bucket")', async () => {
    const w = await prepare(world({ acl: [toAccount(OWNER, 'READ_ACP')] }));
    const o = decided(await w.observe(req('owner', 'ListBucket')));
    expect(o).toEqual({ kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', explanation: { rules: ['OBS-ACL-READ', 'OBS-ACL-OWNER-DATA'], statements: [], reason: 'no-grant' } });
    expect(await run(w, [req('ownerUser', 'ListBucket'), req('owner', 'PutObject', 'a'), req('owner', 'DeleteObject', 'a'), req('owner', 'GetObject', 'a'), req('owner', 'GetBucketAcl')]))
      .toEqual(['deny 403 AccessDenied', 'deny 403 AccessDenied', 'deny 403 AccessDenied', 'allow 200', 'allow 200']);
    // Putting READ and WRITE back restores them.
    expect(await run(w, [req('owner', 'PutBucketAcl', undefined, { acl: [toAccount(OWNER, 'READ'), toAccount(OWNER, 'WRITE')] }), req('owner', 'ListBucket'), req('owner', 'PutObject', 'a')]))
      .toEqual(['allow 200', 'allow 200', 'allow 200']);
  });
});

describe('PutBucketAcl', () => {
  it('replaces the ACL (OBS-ACL-OVERWRITE: "overwrites the existing permissions for the bucket instead of adding permissions")', async () => {
    const w = await prepare(world({ acl: [toAccount(OWNER, 'FULL_CONTROL'), toAccount(ACCOUNT_1, 'READ')] }));
    expect(await run(w, [
      req('account1', 'ListBucket'),
      req('owner', 'PutBucketAcl', undefined, { acl: [toAccount(OWNER, 'FULL_CONTROL'), toAccount(STRANGER, 'WRITE')] }),
      req('account1', 'ListBucket'),
      req('stranger', 'PutObject', 'a'),
      req('owner', 'PutBucketAcl', undefined, { acl: [] }),
      req('stranger', 'PutObject', 'a'),
      req('owner', 'ListBucket'),
    ])).toEqual(['allow 200', 'allow 200', 'deny 403 AccessDenied', 'allow 200', 'allow 200', 'deny 403 AccessDenied', 'deny 403 AccessDenied']);
  });

  it('a world\'s ACL replaces the default one: the owner has only what it lists (model/huawei-obs/types.ts)', async () => {
    expect(await once(world({ acl: [toAccount(ACCOUNT_1, 'READ')] }), req('owner', 'ListBucket'))).toBe('deny 403 AccessDenied');
  });

  it('is allowed to a WRITE_ACP grantee (OBS-ACL-ACP: "can update the ACL of the bucket") and refused to others', async () => {
    const w = await prepare(world({ acl: [toAccount(OWNER, 'FULL_CONTROL'), toAccount(ACCOUNT_1, 'WRITE_ACP')] }));
    expect(decided(await w.observe(req('user1', 'PutBucketAcl', undefined, { acl: [toAccount(ACCOUNT_1, 'FULL_CONTROL')] })))).toMatchObject({ decision: 'allow', status: 200, explanation: { reason: 'grant', rules: ['OBS-ACL-ACP', 'OBS-ACL-GRANTEES', 'OBS-ACL-OVERWRITE'] } });
    expect(await run(w, [req('account1', 'ListBucket'), req('stranger', 'PutBucketAcl', undefined, { acl: [] }), req('owner', 'ListBucket')])).toEqual(['allow 200', 'deny 403 AccessDenied', 'deny 403 AccessDenied']);
  });

  it('accepts 100 grants and rejects 101 with 400 MalformedACLError (vendor notes §5.1: "a maximum of 100 grants"); the ACL stays', async () => {
    const grants = (n: number) => Array.from({ length: n }, (_, i) => toAccount(`acct${String(i).padStart(4, '0')}`, 'READ'));
    const w = await prepare();
    const o = decided(await w.observe(req('owner', 'PutBucketAcl', undefined, { acl: grants(101) })));
    expect(o).toEqual({ kind: 'decided', decision: 'rejected', status: 400, code: 'MalformedACLError', explanation: { rules: [], statements: [], reason: 'invalid-request' } });
    expect(await run(w, [req('owner', 'ListBucket'), req('owner', 'PutBucketAcl', undefined, { acl: grants(100) }), req({ account: 'acct0099' }, 'ListBucket'), req('owner', 'ListBucket')]))
      .toEqual(['allow 200', 'allow 200', 'allow 200', 'deny 403 AccessDenied']);
    expect((await createObsReference().prepare(world({ acl: grants(100) }))).kind).toBe('ready');
    expect(await createObsReference().prepare(world({ acl: grants(101) }))).toMatchObject({ kind: 'rejected', status: 400, code: 'MalformedACLError', explanation: { reason: 'invalid-request' } });
  });

  it('rejects unknown permissions and grantees with 400 MalformedACLError (seed 004, Tables 1 and 2)', async () => {
    const bad: unknown[] = [
      [toGroup('Everyone', 'READ_WRITE')],
      [toAccount(ACCOUNT_1, 'read')],
      [{ grantee: { group: 'AllUsers' }, permission: 'READ' }],
      [{ grantee: { account: '' }, permission: 'READ' }],
      [{ grantee: { account: ACCOUNT_1, group: 'Everyone' }, permission: 'READ' }],
      [{ grantee: { id: ACCOUNT_1 }, permission: 'READ' }],
      [{ grantee: { account: ACCOUNT_1 }, permission: 'READ', delivered: true }],
      [toAccount(ACCOUNT_1, 'READ'), null],
      'public-read',
    ];
    for (const acl of bad) {
      expect(await once(world(), req('owner', 'PutBucketAcl', undefined, { acl: acl as ObsGrant[] })), JSON.stringify(acl)).toBe('rejected 400 MalformedACLError');
    }
  });

  it('refuses a stranger before reading its body: an invalid ACL from it is a 403, not a 400', async () => {
    expect(await once(world(), req('stranger', 'PutBucketAcl', undefined, { acl: [toGroup('Everyone', 'READ_WRITE')] }))).toBe('deny 403 AccessDenied');
  });
});

describe('log delivery (OBS-ACL-LOG-DELIVERY)', () => {
  it('"After Logging is enabled, the bucket write permission, as well as the ACL read permission will be enabled automatically for log delivery users"', async () => {
    const w = await prepare();
    expect(await run(w, [req('logDelivery', 'PutObject', 'logs/1'), req('logDelivery', 'GetBucketAcl')])).toEqual(['deny 403 AccessDenied', 'deny 403 AccessDenied']);
    const o = decided(await w.observe(req('owner', 'PutBucketLogging', undefined, { logging: { targetBucket: BUCKET } })));
    expect(o).toEqual({ kind: 'decided', decision: 'allow', status: 200, explanation: { rules: ['OBS-ACL-GRANTEES', 'OBS-ACL-LOG-DELIVERY'], statements: [], reason: 'owner' } });
    expect(await run(w, [
      req('logDelivery', 'PutObject', 'logs/1'),
      req('logDelivery', 'GetBucketAcl'),
      req('logDelivery', 'ListBucket'),
      req('logDelivery', 'PutBucketAcl', undefined, { acl: [] }),
      req('anonymous', 'PutObject', 'logs/1'),
      // The owner's grants stay: logging adds, it does not replace.
      req('owner', 'ListBucket'),
    ])).toEqual(['allow 200', 'allow 200', 'deny 403 AccessDenied', 'deny 403 AccessDenied', 'deny 403 AccessDenied', 'allow 200']);
  });

  it('a later ACL put can take the grants away again ("If you manually disable such permissions, bucket logging fails")', async () => {
    const w = await prepare();
    expect(await run(w, [
      req('owner', 'PutBucketLogging', undefined, { logging: { targetBucket: BUCKET } }),
      req('owner', 'PutBucketAcl', undefined, { acl: [toAccount(OWNER, 'FULL_CONTROL')] }),
      req('logDelivery', 'PutObject', 'logs/1'),
    ])).toEqual(['allow 200', 'allow 200', 'deny 403 AccessDenied']);
  });

  it('refuses another target bucket with 400 InvalidTargetBucketForLogging, and a stranger with 403', async () => {
    const w = await prepare();
    expect(await run(w, [
      req('owner', 'PutBucketLogging', undefined, { logging: { targetBucket: 'other-bucket' } }),
      req('logDelivery', 'PutObject', 'logs/1'),
      req('stranger', 'PutBucketLogging', undefined, { logging: { targetBucket: BUCKET } }),
    ])).toEqual(['rejected 400 InvalidTargetBucketForLogging', 'deny 403 AccessDenied', 'deny 403 AccessDenied']);
  });
});

describe('the ACL next to a bucket policy (vendor notes §2)', () => {
  it('a policy Deny beats an ACL grant: "an explicit deny in the bucket policy overrides the allow in the ACL"', async () => {
    const policy = policyOf({ Effect: 'Deny', Principal: { ID: `domain/${ACCOUNT_1}:user/*` }, Action: 'PutObject', Resource: 'mybucket/*' });
    const w = await prepare(world({ policy, acl: [toAccount(OWNER, 'FULL_CONTROL'), toAccount(ACCOUNT_1, 'WRITE')] }));
    expect(decided(await w.observe(req('account1', 'PutObject', 'a')))).toEqual({ kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', explanation: { rules: ['OBS-ALLOW-DENY', 'OBS-WILDCARD'], statements: [0], reason: 'explicit-deny' } });
    expect(await run(w, [req('user1', 'DeleteObject', 'a'), req('owner', 'PutObject', 'a')])).toEqual(['allow 204', 'allow 200']);
  });

  it('a policy Deny beats the owner\'s permanent ACL rights too', async () => {
    const policy = policyOf({ Effect: 'Deny', Principal: '*', Action: 'PutBucketAcl', Resource: 'mybucket' });
    expect(await once(world({ policy }), req('owner', 'PutBucketAcl', undefined, { acl: [] }))).toBe('deny 403 AccessDenied');
  });

  it('an ACL grant allows what no statement mentions ("Only if no method specifies a deny statement and one or more methods specify an allow statement")', async () => {
    const policy = policyOf({ Effect: 'Allow', Principal: { ID: `domain/${STRANGER}` }, Action: 'GetObject', Resource: 'mybucket/*' });
    const w = await prepare(world({ policy, acl: [toAccount(OWNER, 'FULL_CONTROL'), toGroup('Everyone', 'READ')] }));
    expect(decided(await w.observe(req('anonymous', 'ListBucket')))).toMatchObject({ decision: 'allow', explanation: { reason: 'grant' } });
    expect(await run(w, [req('stranger', 'GetObject', 'a'), req('account1', 'GetObject', 'a')])).toEqual(['allow 200', 'deny 403 AccessDenied']);
  });

  it('a policy Allow grants what the ACL does not, and a PutBucketAcl so allowed still validates its body', async () => {
    const policy = policyOf({ Effect: 'Allow', Principal: { ID: `domain/${ACCOUNT_1}:user/*` }, Action: ['PutBucketAcl', 'ListBucket'], Resource: 'mybucket' });
    const w = await prepare(world({ policy }));
    expect(await run(w, [
      req('user1', 'ListBucket'),
      req('user1', 'PutBucketAcl', undefined, { acl: [toGroup('Everyone', 'WRITE')] }),
      req('anonymous', 'PutObject', 'a'),
      req('user1', 'PutBucketAcl', undefined, { acl: [toGroup('Everyone', 'EVERYTHING')] }),
    ])).toEqual(['allow 200', 'allow 200', 'allow 200', 'rejected 400 MalformedACLError']);
  });
});
