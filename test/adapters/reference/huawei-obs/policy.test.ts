/**
 * Bucket policy decisions, from seed 003 and the vendor notes §1 and §2: the seed's example,
 * each Principal form against each kind of principal, actions, resources, the Not- forms, and
 * Deny over Allow in any order.
 */
import { describe, expect, it } from 'vitest';
import type { ObsPrincipal } from '../../../../model/huawei-obs/types.ts';
import { decided, once, policyOf, prepare, req, WHO_NAMES, world, type Who, ACCOUNT_1, ACCOUNT_2, STRANGER, OWNER } from './helpers.ts';

/** Seed 003's example policy: accounts 783f... and 219d... may GetObject on all objects of mybucket. */
const SEED_POLICY = policyOf({
  Effect: 'Allow',
  Sid: '1',
  Principal: { ID: [`domain/${ACCOUNT_1}:user/*`, `domain/${ACCOUNT_2}:user/*`] },
  Action: ['GetObject'],
  Resource: 'mybucket/*',
});

describe('seed 003\'s example (OBS-EXAMPLE)', () => {
  it('"allows 783fc6652cf246c096ea836694f71855 (account ID) and 219d520ceac84c5a98b237431a2cf4c2 (account ID) to perform the GetObject operation on all the objects in bucket mybucket"', async () => {
    const w = await prepare(world({ policy: SEED_POLICY }));
    for (const who of ['account1', 'user1', 'account2'] as const) {
      for (const object of ['a.txt', 'dir/sub/b.bin', 'photos/cat 1.jpg']) {
        expect(decided(await w.observe(req(who, 'GetObject', object)))).toEqual({
          kind: 'decided', decision: 'allow', status: 200, explanation: { rules: ['OBS-ALLOW-DENY', 'OBS-WILDCARD'], statements: [0], reason: 'explicit-allow' },
        });
      }
    }
  });

  it('nobody else may GetObject (an allow overrides only the default deny, O1)', async () => {
    const w = await prepare(world({ policy: SEED_POLICY }));
    for (const who of ['stranger', 'strangerUser', 'anonymous', 'logDelivery'] as const) {
      expect(decided(await w.observe(req(who, 'GetObject', 'a.txt')))).toEqual({
        kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied', explanation: { rules: ['OBS-ALLOW-DENY'], statements: [], reason: 'implicit-deny' },
      });
    }
  });

  it('the two accounts may not PutObject, list, or read the bucket\'s ACL: the example grants GetObject only', async () => {
    const w = await prepare(world({ policy: SEED_POLICY }));
    for (const who of ['account1', 'user1', 'account2'] as const) {
      expect(decided(await w.observe(req(who, 'PutObject', 'a.txt')))).toMatchObject({ decision: 'deny', status: 403, code: 'AccessDenied' });
      expect(decided(await w.observe(req(who, 'ListBucket')))).toMatchObject({ decision: 'deny', status: 403 });
      expect(decided(await w.observe(req(who, 'GetBucketAcl')))).toMatchObject({ decision: 'deny', status: 403 });
    }
  });

  it('the owner keeps its default rights: "The bucket owner has all bucket access permissions by default" (004)', async () => {
    const w = await prepare(world({ policy: SEED_POLICY }));
    expect(decided(await w.observe(req('owner', 'GetObject', 'a.txt')))).toMatchObject({ decision: 'allow', explanation: { reason: 'owner' } });
    expect(decided(await w.observe(req('owner', 'PutObject', 'a.txt')))).toMatchObject({ decision: 'allow', explanation: { reason: 'grant' } });
  });
});

/** Which kinds of principal each Principal form names (vendor notes §1.3). */
const PRINCIPAL_FORMS: Array<[string, unknown, Who[]]> = [
  ['"*"', '*', WHO_NAMES],
  ['{"ID": "*"}', { ID: '*' }, WHO_NAMES],
  ['{"ID": ["*"]}', { ID: ['*'] }, WHO_NAMES],
  // Seed 003's form: the account and all its IAM users.
  ['domain/<account 1>:user/*', { ID: [`domain/${ACCOUNT_1}:user/*`] }, ['account1', 'user1']],
  // §1.3: "an account (used in the console JSON example)" and the account root: the account itself.
  ['domain/<account 1>', { ID: `domain/${ACCOUNT_1}` }, ['account1']],
  ['domain/<account 1>:root', { ID: [`domain/${ACCOUNT_1}:root`] }, ['account1']],
  // §1.3: "a specific IAM user"; O1: "User names in the Principal element are case-sensitive".
  ['domain/<account 1>:user/alice', { ID: [`domain/${ACCOUNT_1}:user/alice`] }, ['user1']],
  ['domain/<account 1>:user/Alice', { ID: [`domain/${ACCOUNT_1}:user/Alice`] }, []],
  ['domain/<stranger>:user/mallory', { ID: [`domain/${STRANGER}:user/mallory`] }, ['strangerUser']],
  ['domain/<owner>:user/*', { ID: [`domain/${OWNER}:user/*`] }, ['owner', 'ownerUser']],
  // Agencies and federated users are principals no request here carries.
  ['domain/<account 1>:agency/ops', { ID: [`domain/${ACCOUNT_1}:agency/ops`] }, []],
  ['Federated', { Federated: `domain/${ACCOUNT_1}:identity-provider/idp` }, []],
  ['two accounts', { ID: [`domain/${ACCOUNT_2}`, `domain/${STRANGER}:user/*`] }, ['account2', 'stranger', 'strangerUser']],
];

describe('Principal forms against each kind of principal (OBS-SYNTAX, vendor notes §1.3)', () => {
  it.each(PRINCIPAL_FORMS)('Principal %s names exactly the expected principals', async (_name, principal, named) => {
    const w = await prepare(world({ policy: policyOf({ Effect: 'Allow', Principal: principal, Action: 'GetObject', Resource: 'mybucket/*' }) }));
    const got: Who[] = [];
    for (const who of WHO_NAMES) {
      if (decided(await w.observe(req(who, 'GetObject', 'a.txt'))).explanation?.reason === 'explicit-allow') got.push(who);
    }
    expect(got).toEqual(named);
  });

  it('"*" includes anonymous users ("Everyone/Anonymous", O1): an anonymous GetObject is allowed', async () => {
    expect(await once(world({ policy: policyOf({ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' }) }), req('anonymous', 'GetObject', 'a.txt'))).toBe('allow 200');
  });

  it('NotPrincipal: O1\'s example Denies everyone except the named user and root (vendor notes §1.2)', async () => {
    const policy = policyOf(
      { Effect: 'Allow', Principal: '*', Action: '*', Resource: ['mybucket', 'mybucket/*'] },
      { Effect: 'Deny', NotPrincipal: { ID: [`domain/${ACCOUNT_1}:user/alice`, `domain/${ACCOUNT_1}:root`] }, Action: '*', Resource: ['mybucket', 'mybucket/*'] },
    );
    const w = await prepare(world({ policy }));
    const decisions: Record<string, string> = {};
    for (const who of WHO_NAMES) decisions[who] = decided(await w.observe(req(who, 'GetObject', 'a.txt'))).decision;
    expect(decisions).toEqual({ owner: 'deny', ownerUser: 'deny', account1: 'allow', user1: 'allow', account2: 'deny', stranger: 'deny', strangerUser: 'deny', logDelivery: 'deny', anonymous: 'deny' });
  });
});

describe('an IAM user named by id or by name (vendor notes §1.3: `domain/<accountId>:user/<userId or userName>`)', () => {
  const ALICE_ID = '5a1ce0000000000000000000000000a1';
  /** Alice of account 1, with her id and her name. */
  const alice = { account: ACCOUNT_1, user: ALICE_ID, userName: 'alice' };
  /** Another IAM user of account 1. */
  const bob = { account: ACCOUNT_1, user: 'b0b00000000000000000000000000b0b', userName: 'bob' };

  /** The decision on `principal`'s GetObject under a policy allowing GetObject to `domain/<account 1>:user/<named>`. */
  async function allowedFor(named: string, principal: ObsPrincipal): Promise<string> {
    const policy = policyOf({ Effect: 'Allow', Principal: { ID: [`domain/${ACCOUNT_1}:user/${named}`] }, Action: 'GetObject', Resource: 'mybucket/*' });
    return once(world({ policy }), req(principal, 'GetObject', 'a.txt'));
  }

  it('a Principal naming the user by name matches a request carrying that userName', async () => {
    expect(await allowedFor('alice', alice)).toBe('allow 200');
  });

  it('a Principal naming the user by id matches the request whatever its userName', async () => {
    expect(await allowedFor(ALICE_ID, alice)).toBe('allow 200');
    expect(await allowedFor(ALICE_ID, { account: ACCOUNT_1, user: ALICE_ID })).toBe('allow 200');
  });

  it('another user of the same account, another name, another case of the name, or the name under another account does not match', async () => {
    expect(await allowedFor('alice', bob)).toBe('deny 403 AccessDenied');
    expect(await allowedFor(ALICE_ID, bob)).toBe('deny 403 AccessDenied');
    expect(await allowedFor('bob', alice)).toBe('deny 403 AccessDenied');
    // O1: "User names in the Principal element are case-sensitive".
    expect(await allowedFor('Alice', alice)).toBe('deny 403 AccessDenied');
    expect(await allowedFor('alice', { account: ACCOUNT_2, user: ALICE_ID, userName: 'alice' })).toBe('deny 403 AccessDenied');
  });

  it('a Deny naming the user by name overrides an Allow naming her by id, and the account forms treat her as before', async () => {
    const policy = policyOf(
      { Effect: 'Allow', Principal: { ID: [`domain/${ACCOUNT_1}:user/${ALICE_ID}`] }, Action: 'GetObject', Resource: 'mybucket/*' },
      { Effect: 'Deny', Principal: { ID: [`domain/${ACCOUNT_1}:user/alice`] }, Action: 'GetObject', Resource: 'mybucket/*' },
    );
    expect(decided(await (await prepare(world({ policy }))).observe(req(alice, 'GetObject', 'a.txt')))).toMatchObject({ decision: 'deny', explanation: { reason: 'explicit-deny', statements: [1] } });
    // `domain/<account>` and `:root` name the account itself, not its users; `:user/*` all of them (§1.3).
    const accountOnly = policyOf({ Effect: 'Allow', Principal: { ID: [`domain/${ACCOUNT_1}`, `domain/${ACCOUNT_1}:root`] }, Action: 'GetObject', Resource: 'mybucket/*' });
    expect(await once(world({ policy: accountOnly }), req(alice, 'GetObject', 'a.txt'))).toBe('deny 403 AccessDenied');
    expect(await allowedFor('*', alice)).toBe('allow 200');
  });

  it('refuses a userName without a user id, or an empty one, as a request no client could send', async () => {
    const w = await prepare();
    for (const principal of [{ account: ACCOUNT_1, userName: 'alice' }, { account: ACCOUNT_1, user: ALICE_ID, userName: '' }]) {
      await expect(w.observe(req(principal, 'GetObject', 'a.txt'))).rejects.toMatchObject({ code: 'CONFORMANCE_INPUT', message: expect.stringContaining('`userName`') });
    }
  });
});

describe('Action (vendor notes §1.2: "case-insensitive"; §1.4: `*`, `Get*`, `Put*`, `List*`)', () => {
  /** The decision on a stranger's `action` under a policy allowing it `pattern` on the bucket and its objects. */
  async function strangerMay(pattern: unknown, action: string, object?: string): Promise<string> {
    const policy = policyOf({ Effect: 'Allow', Principal: { ID: `domain/${STRANGER}` }, Action: pattern, Resource: ['mybucket', 'mybucket/*'] });
    const extra = action === 'PutBucketAcl' ? { acl: [] } : {};
    return decided(await (await prepare(world({ policy }))).observe(req('stranger', action, object, extra))).decision;
  }

  it('matches action names in any case, both in the policy and in the request', async () => {
    expect(await strangerMay('getobject', 'GetObject', 'a')).toBe('allow');
    expect(await strangerMay('GETOBJECT', 'GetObject', 'a')).toBe('allow');
    expect(await strangerMay(['GetObject'], 'getObject', 'a')).toBe('allow');
    expect(await strangerMay('GetObject', 'PutObject', 'a')).toBe('deny');
    expect(await strangerMay('Get', 'GetObject', 'a')).toBe('deny');
  });

  it('`*` matches any run of characters, none included', async () => {
    expect(await strangerMay('*', 'DeleteObject', 'a')).toBe('allow');
    expect(await strangerMay('*', 'PutBucketAcl')).toBe('allow');
    expect(await strangerMay('Get*', 'GetObject', 'a')).toBe('allow');
    expect(await strangerMay('Get*', 'GetBucketAcl')).toBe('allow');
    expect(await strangerMay('get*', 'GetBucketLocation')).toBe('allow');
    expect(await strangerMay('Get*', 'PutObject', 'a')).toBe('deny');
    expect(await strangerMay('List*', 'ListBucket')).toBe('allow');
    expect(await strangerMay('List*', 'ListBucketMultipartUploads')).toBe('allow');
    expect(await strangerMay('List*', 'HeadBucket')).toBe('deny');
    expect(await strangerMay('Put*', 'PutObject', 'a')).toBe('allow');
    expect(await strangerMay('*Object', 'DeleteObject', 'a')).toBe('allow');
    expect(await strangerMay('*Object', 'DeleteObjectVersion', 'a')).toBe('deny');
    expect(await strangerMay('GetObject*', 'GetObject', 'a')).toBe('allow');
    expect(await strangerMay(['PutObject', 'List*'], 'ListBucketVersions')).toBe('allow');
  });

  it('NotAction: the statement applies to every action but the listed ones (O1: "Actions that are not controlled by this statement")', async () => {
    const policy = policyOf({ Effect: 'Allow', Principal: '*', NotAction: ['PutObject', 'Delete*'], Resource: 'mybucket/*' });
    const w = world({ policy });
    expect(await once(w, req('stranger', 'GetObject', 'a'))).toBe('allow 200');
    expect(await once(w, req('stranger', 'PutObject', 'a'))).toBe('deny 403 AccessDenied');
    expect(await once(w, req('stranger', 'DeleteObject', 'a'))).toBe('deny 403 AccessDenied');
  });
});

describe('Resource (vendor notes §1.5: `bucketname`, `bucketname/objectname`, `*` wildcards)', () => {
  /** Whether a stranger may `action` on `object` under a policy allowing GetObject and ListBucket on `resource`. */
  async function inResource(resource: unknown, object: string | undefined): Promise<boolean> {
    const policy = policyOf({ Effect: 'Allow', Principal: '*', Action: ['GetObject', 'ListBucket'], Resource: resource });
    const action = object === undefined ? 'ListBucket' : 'GetObject';
    return decided(await (await prepare(world({ policy }))).observe(req('stranger', action, object))).decision === 'allow';
  }

  it('`mybucket/*` is every object and not the bucket; `mybucket` is the bucket and no object', async () => {
    expect(await inResource('mybucket/*', 'a.txt')).toBe(true);
    expect(await inResource('mybucket/*', 'dir/sub/a.txt')).toBe(true);
    expect(await inResource('mybucket/*', undefined)).toBe(false);
    expect(await inResource('mybucket', undefined)).toBe(true);
    expect(await inResource('mybucket', 'a.txt')).toBe(false);
    // O1: both together, `["examplebucket/*","examplebucket"]`.
    expect(await inResource(['mybucket/*', 'mybucket'], undefined)).toBe(true);
    expect(await inResource(['mybucket/*', 'mybucket'], 'a.txt')).toBe(true);
  });

  it('directories, prefixes and suffixes (O1: `bucketname/directory/*`, `imgs*`, `*.jpg`)', async () => {
    expect(await inResource('mybucket/docs/*', 'docs/a.txt')).toBe(true);
    expect(await inResource('mybucket/docs/*', 'docs')).toBe(false);
    expect(await inResource('mybucket/docs/*', 'other/docs/a.txt')).toBe(false);
    expect(await inResource('mybucket/imgs*', 'imgs1.png')).toBe(true);
    expect(await inResource('mybucket/imgs*', 'imgs/a.png')).toBe(true);
    expect(await inResource('mybucket/imgs*', 'img.png')).toBe(false);
    expect(await inResource('mybucket/*.jpg', 'dir/b.jpg')).toBe(true);
    expect(await inResource('mybucket/*.jpg', 'b.png')).toBe(false);
    expect(await inResource('*', 'x')).toBe(true);
  });

  it('is case-sensitive, names its bucket, and treats `?` literally (§1.5 RECOMMENDATION: "support only `*`")', async () => {
    expect(await inResource('MyBucket/*', 'a.txt')).toBe(false);
    expect(await inResource('mybucket/A.txt', 'a.txt')).toBe(false);
    expect(await inResource('otherbucket/*', 'a.txt')).toBe(false);
    expect(await inResource('mybucket/a?c', 'abc')).toBe(false);
    expect(await inResource('mybucket/a?c', 'a?c')).toBe(true);
  });

  it('NotResource: the statement applies to every resource but the listed ones (O1)', async () => {
    const policy = policyOf({ Effect: 'Allow', Principal: '*', Action: 'GetObject', NotResource: 'mybucket/private/*' });
    expect(await once(world({ policy }), req('stranger', 'GetObject', 'public/a'))).toBe('allow 200');
    expect(await once(world({ policy }), req('stranger', 'GetObject', 'private/a'))).toBe('deny 403 AccessDenied');
  });
});

describe('Deny wins (OBS-ALLOW-DENY; O1: "An explicit deny overrides an allow ... Statements can be in any order")', () => {
  const allow = { Effect: 'Allow', Principal: { ID: `domain/${STRANGER}:user/*` }, Action: 'GetObject', Resource: 'mybucket/*' };
  const deny = { Effect: 'Deny', Principal: '*', Action: 'GetObject', Resource: 'mybucket/secret/*' };

  it('denies what a Deny matches, whatever the order of the statements, naming the Deny', async () => {
    for (const [statements, denyAt] of [[[allow, deny], 1], [[deny, allow], 0], [[allow, allow, deny, deny], 2]] as const) {
      const w = await prepare(world({ policy: policyOf(...statements) }));
      const o = decided(await w.observe(req('strangerUser', 'GetObject', 'secret/plan.pdf')));
      expect(o).toMatchObject({ decision: 'deny', status: 403, code: 'AccessDenied', explanation: { reason: 'explicit-deny' } });
      expect(o.explanation!.statements[0]).toBe(denyAt);
      expect(await once(world({ policy: policyOf(...statements) }), req('strangerUser', 'GetObject', 'public/plan.pdf'))).toBe('allow 200');
    }
  });

  it('a Deny binds the owner too: no owner exemption is documented', async () => {
    expect(await once(world({ policy: policyOf(deny) }), req('owner', 'GetObject', 'secret/a'))).toBe('deny 403 AccessDenied');
    expect(await once(world({ policy: policyOf(deny) }), req('ownerUser', 'GetObject', 'secret/a'))).toBe('deny 403 AccessDenied');
    expect(await once(world({ policy: policyOf(deny) }), req('owner', 'GetObject', 'public/a'))).toBe('allow 200');
  });

  it('an action outside the catalogue is decided by the policy, then the owner\'s default rights', async () => {
    const policy = policyOf({ Effect: 'Allow', Principal: '*', Action: 'RestoreObject', Resource: 'mybucket/*' }, { Effect: 'Deny', Principal: { ID: `domain/${OWNER}` }, Action: 'PutBucketTagging', Resource: 'mybucket' });
    expect(await once(world({ policy }), req('stranger', 'RestoreObject', 'a'))).toBe('allow 200');
    expect(await once(world({ policy }), req('stranger', 'PutBucketTagging'))).toBe('deny 403 AccessDenied');
    expect(await once(world({ policy }), req('ownerUser', 'PutBucketTagging'))).toBe('allow 200');
    expect(await once(world({ policy }), req('owner', 'PutBucketTagging'))).toBe('deny 403 AccessDenied');
  });
});
