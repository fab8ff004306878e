/**
 * The OBS dialect driven by the official SDK, `esdk-obs-nodejs` 3.26.8, as a real client
 * (vendor notes huawei-obs.md §8): in its OBS-signature mode (a host-name server, virtual-host
 * style, after the `HEAD /?apiversion` negotiation), in its AWS-V2 mode (an IP server, which
 * forces path style and V2), and in AWS V2 over virtual-host style (negotiation off).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAccounts, type EmulatorAccounts } from '../../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';

const require = createRequire(import.meta.url);
// The SDK is CommonJS; its main export is the ObsClient constructor.
const ObsClient = require('esdk-obs-nodejs') as new (options: Record<string, unknown>) => ObsSdk;

/** What the tests call; every method resolves with `{CommonMsg, InterfaceResult}` (vendor notes §8.5). */
type SdkResult = { CommonMsg: { Status: number; Code: string; Message: string; RequestId?: string; HostId?: string }; InterfaceResult?: Record<string, any> };
type SdkMethod = (params: Record<string, unknown>) => Promise<SdkResult>;
const METHODS = [
  'createBucket', 'headBucket', 'deleteBucket', 'listBuckets', 'listObjects', 'putObject', 'getObject', 'getObjectMetadata', 'deleteObject',
  'setBucketPolicy', 'getBucketPolicy', 'deleteBucketPolicy', 'setBucketAcl', 'getBucketAcl',
] as const;
type ObsSdk = Record<(typeof METHODS)[number], SdkMethod>;

const OWNER = { id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', ak: 'EMUOBSOWNER0000000001', sk: 'emu-obs-owner-secret' };
const OWNER_USER = { ak: 'EMUOBSUSER10000000001', sk: 'emu-obs-user1-secret', name: 'emu-user1' };
const OTHER = { id: '9f8e7d6c5b4a39281706f5e4d3c2b1a0', ak: 'EMUOBSOTHER0000000001', sk: 'emu-obs-other-secret' };
const OTHER_USER = { ak: 'EMUOBSOTHERUSER000001', sk: 'emu-obs-other-user1-secret', id: '3f2e3d4c5b6a79880716253443526172', name: 'emu-other-user1' };
/** A second IAM user of the other account, added by `accounts()`. */
const OTHER_USER_2 = { ak: 'EMUOBSOTHERUSER000002', sk: 'emu-obs-other-user2-secret', id: '4f2e3d4c5b6a79880716253443526173', name: 'emu-other-user2' };
const THIRD = { id: 'aa8e7d6c5b4a39281706f5e4d3c2b1a1', ak: 'EMUOBSTHIRD0000000001', sk: 'emu-obs-third-secret' };
const SESSION = { ak: 'STS.EMUOBSSESSION01', sk: 'emu-obs-session-secret', token: 'emu-obs-session-token' };

/** The default identities plus a role session of the owner's account and a second IAM user of the other account. */
function accounts(): EmulatorAccounts {
  const base = defaultAccounts('huawei-obs');
  const owner = base.accounts.find((a) => a.id === OWNER.id)!;
  owner.roles.push({ name: 'emu-role', sessions: [{ name: 'emu-session', accessKeyId: SESSION.ak, accessKeySecret: SESSION.sk, securityToken: SESSION.token }] });
  const other = base.accounts.find((a) => a.id === OTHER.id)!;
  other.users.push({ id: OTHER_USER_2.id, name: OTHER_USER_2.name, accessKeyId: OTHER_USER_2.ak, accessKeySecret: OTHER_USER_2.sk });
  return base;
}

/** An agent that resolves every name to 127.0.0.1 (vendor notes §8.2) and records each request line and its Authorization scheme. */
class LoopbackAgent extends http.Agent {
  readonly seen: string[] = [];
  constructor() {
    super({
      lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
        options?.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as never,
    });
  }
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    const auth = req.getHeader('authorization');
    this.seen.push(`${req.method} ${req.getHeader('host')} ${req.path} ${typeof auth === 'string' ? auth.split(' ')[0] : '-'}`);
    // addRequest is not in node's public typings of Agent.
    (http.Agent.prototype as unknown as { addRequest(r: http.ClientRequest, o: http.RequestOptions): void }).addRequest.call(this, req, options);
  }
}

interface Mode {
  name: string;
  /** The scheme every signed request must carry. */
  scheme: 'OBS' | 'AWS';
  /** Whether the SDK sends `HEAD /?apiversion` first. */
  negotiates: boolean;
  /** The bucket-level path the SDK sends for `bucket`. */
  bucketPath(bucket: string): string;
  options(emulator: RunningEmulator): Record<string, unknown>;
}

const MODES: Mode[] = [
  {
    // Vendor notes §8.2: a host-name server, virtual-host style, negotiation on: OBS signing after HEAD /?apiversion.
    name: 'OBS signature (virtual host, negotiated)',
    scheme: 'OBS',
    negotiates: true,
    bucketPath: () => '/',
    options: (e) => ({ server: `http://obs.test:${e.port}` }),
  },
  {
    // Vendor notes §8.2: an IP server forces path style, no negotiation, and signature 'obs' silently becomes 'v2'.
    name: 'AWS V2 (IP server, path style)',
    scheme: 'AWS',
    negotiates: false,
    bucketPath: (b) => `/${b}`,
    options: (e) => ({ server: e.url, signature: 'v2' }),
  },
  {
    name: 'AWS V2 (virtual host, negotiation off)',
    scheme: 'AWS',
    negotiates: false,
    bucketPath: () => '/',
    options: (e) => ({ server: `http://obs.test:${e.port}`, signature: 'v2', is_signature_negotiation: false }),
  },
];

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ vendor: 'huawei-obs', accounts: accounts() });
});

afterAll(async () => {
  await emulator.close();
});

describe.each(MODES)('esdk-obs-nodejs, $name', (mode) => {
  const agent = new LoopbackAgent();
  const slug = mode.name.startsWith('OBS') ? 'obs' : mode.name.includes('IP') ? 'v2' : 'v2vh';

  /** A client for a key (none: anonymous), after the yield the 3.26.8 constructor race needs (vendor notes §8.3). */
  async function client(key?: { ak: string; sk: string; token?: string }): Promise<ObsSdk> {
    const options: Record<string, unknown> = { ...mode.options(emulator), http_agent: agent, max_retry_count: 0, timeout: 10 };
    if (key !== undefined) {
      options['access_key_id'] = key.ak;
      options['secret_access_key'] = key.sk;
      if (key.token !== undefined) options['security_token'] = key.token;
    }
    const c = new ObsClient(options);
    await new Promise(setImmediate);
    return c;
  }

  let owner: ObsSdk;
  let other: ObsSdk;
  let anonymous: ObsSdk;

  beforeAll(async () => {
    owner = await client(OWNER);
    other = await client(OTHER);
    anonymous = await client();
  });

  function policyFor(bucket: string, statements: unknown[]): string {
    return JSON.stringify({ Statement: statements.map((s) => ({ ...(s as object) })) }).replaceAll('$BUCKET', bucket);
  }

  it('signs with the expected scheme, negotiating first when the SDK does', async () => {
    const bucket = `${slug}-sign`;
    const from = agent.seen.length;
    const created = await owner.createBucket({ Bucket: bucket });
    expect(created.CommonMsg.Status).toBe(200);
    // The request id arrives in the header of the SDK's dialect (x-obs-request-id or x-amz-request-id, §6.4).
    expect(created.CommonMsg.RequestId).toMatch(/^[0-9A-F]{24}$/);
    const head = await owner.headBucket({ Bucket: bucket });
    expect(head.CommonMsg.Status).toBe(200);
    const lines = agent.seen.slice(from);
    const signed = lines.filter((l) => !l.includes('apiversion'));
    expect(signed.length).toBeGreaterThanOrEqual(2);
    for (const line of signed) expect(line.endsWith(` ${mode.scheme}`)).toBe(true);
    const negotiations = lines.filter((l) => l.startsWith('HEAD ') && l.includes('?apiversion'));
    if (mode.negotiates) {
      // Unsigned, to the bare server for createBucket and to the bucket's host before the first bucket operation (§8.2).
      expect(negotiations).toContain(`HEAD obs.test /?apiversion -`);
      expect(negotiations).toContain(`HEAD ${bucket}.obs.test /?apiversion -`);
    } else {
      expect(negotiations).toEqual([]);
    }
    expect(signed.some((l) => l.startsWith(`HEAD `) && l.includes(` ${mode.bucketPath(bucket)} `))).toBe(true);
  });

  it('creates a bucket once: a second create is 409 for the owner and for another account', async () => {
    const bucket = `${slug}-create`;
    expect((await owner.createBucket({ Bucket: bucket, Location: 'cn-north-4' })).CommonMsg.Status).toBe(200);
    const again = await owner.createBucket({ Bucket: bucket });
    expect(again.CommonMsg).toMatchObject({ Status: 409, Code: 'BucketAlreadyOwnedByYou' });
    const stolen = await other.createBucket({ Bucket: bucket });
    expect(stolen.CommonMsg).toMatchObject({ Status: 409, Code: 'BucketAlreadyExists' });
    const bad = await owner.createBucket({ Bucket: 'Bad_Name' });
    expect(bad.CommonMsg).toMatchObject({ Status: 400, Code: 'InvalidBucketName' });
    // Anonymous callers cannot create buckets.
    expect((await anonymous.createBucket({ Bucket: `${slug}-anon` })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
  });

  it('lists the caller account\'s buckets only', async () => {
    const mine = `${slug}-mine`;
    const theirs = `${slug}-theirs`;
    expect((await owner.createBucket({ Bucket: mine })).CommonMsg.Status).toBe(200);
    expect((await other.createBucket({ Bucket: theirs })).CommonMsg.Status).toBe(200);
    const listed = await owner.listBuckets({});
    expect(listed.CommonMsg.Status).toBe(200);
    const names = (listed.InterfaceResult!['Buckets'] as Array<{ BucketName: string }>).map((b) => b.BucketName);
    expect(names).toContain(mine);
    expect(names).not.toContain(theirs);
    expect(listed.InterfaceResult!['Owner']).toMatchObject({ ID: OWNER.id });
  });

  it('puts, gets, heads, lists and deletes objects, and deletes the bucket once empty', async () => {
    const bucket = `${slug}-objects`;
    expect((await owner.createBucket({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    const key = 'dir/hello world+ü.txt';
    const put = await owner.putObject({ Bucket: bucket, Key: key, Body: 'hello', Metadata: { colour: 'blue' } });
    expect(put.CommonMsg.Status).toBe(200);
    expect(put.InterfaceResult!['ETag']).toBe(`"${createHash('md5').update('hello').digest('hex')}"`);
    for (const k of ['dir/a.txt', 'dir/sub/b.txt', 'top.txt']) expect((await owner.putObject({ Bucket: bucket, Key: k, Body: k })).CommonMsg.Status).toBe(200);

    const got = await owner.getObject({ Bucket: bucket, Key: key });
    expect(got.CommonMsg.Status).toBe(200);
    expect(String(got.InterfaceResult!['Content'])).toBe('hello');
    expect(got.InterfaceResult!['Metadata']).toMatchObject({ colour: 'blue' });
    const head = await owner.getObjectMetadata({ Bucket: bucket, Key: key });
    expect(head.CommonMsg.Status).toBe(200);
    expect(head.InterfaceResult!['ContentLength']).toBe('5');

    const listed = await owner.listObjects({ Bucket: bucket, Prefix: 'dir/', Delimiter: '/' });
    expect(listed.CommonMsg.Status).toBe(200);
    expect((listed.InterfaceResult!['Contents'] as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['dir/a.txt', key]);
    expect((listed.InterfaceResult!['CommonPrefixes'] as Array<{ Prefix: string }>).map((c) => c.Prefix)).toEqual(['dir/sub/']);
    const page = await owner.listObjects({ Bucket: bucket, MaxKeys: 2 });
    expect(page.InterfaceResult!['IsTruncated']).toBe('true');
    const next = await owner.listObjects({ Bucket: bucket, Marker: page.InterfaceResult!['NextMarker'], MaxKeys: 10 });
    expect((next.InterfaceResult!['Contents'] as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['dir/sub/b.txt', 'top.txt']);

    const notEmpty = await owner.deleteBucket({ Bucket: bucket });
    expect(notEmpty.CommonMsg).toMatchObject({ Status: 409, Code: 'BucketNotEmpty' });
    for (const k of [key, 'dir/a.txt', 'dir/sub/b.txt', 'top.txt']) expect((await owner.deleteObject({ Bucket: bucket, Key: k })).CommonMsg.Status).toBe(204);
    const missing = await owner.getObject({ Bucket: bucket, Key: key });
    expect(missing.CommonMsg).toMatchObject({ Status: 404, Code: 'NoSuchKey' });
    // A HEAD error has no body: Code comes from x-obs-error-code / x-amz-error-code (§8.5).
    const missingHead = await owner.getObjectMetadata({ Bucket: bucket, Key: key });
    expect(missingHead.CommonMsg).toMatchObject({ Status: 404, Code: 'NoSuchKey' });
    expect((await owner.deleteBucket({ Bucket: bucket })).CommonMsg.Status).toBe(204);
    const gone = await owner.headBucket({ Bucket: bucket });
    expect(gone.CommonMsg).toMatchObject({ Status: 404, Code: 'NoSuchBucket' });
  });

  it('a bucket policy grants another account, is replaced by the next put, and is deleted', async () => {
    const bucket = `${slug}-policy`;
    expect((await owner.createBucket({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    expect((await owner.putObject({ Bucket: bucket, Key: 'a.txt', Body: 'A' })).CommonMsg.Status).toBe(200);

    // Denied: no policy, the default private ACL (§2: default deny).
    const denied = await other.getObject({ Bucket: bucket, Key: 'a.txt' });
    expect(denied.CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    expect(denied.CommonMsg.RequestId).toMatch(/^[0-9A-F]{24}$/);

    const none = await owner.getBucketPolicy({ Bucket: bucket });
    expect(none.CommonMsg).toMatchObject({ Status: 404, Code: 'NoSuchBucketPolicy' });

    // Allowed after a policy grant; the policy comes back byte for byte (whitespace included, §4).
    const first = `{ "Statement" : [ {"Sid":"1","Effect":"Allow","Principal":{"ID":["domain/${OTHER.id}:user/*"]},"Action":["GetObject"],"Resource":["${bucket}/*"]} ] }`;
    const put = await owner.setBucketPolicy({ Bucket: bucket, Policy: first });
    expect(put.CommonMsg.Status).toBe(204);
    expect((await owner.getBucketPolicy({ Bucket: bucket })).InterfaceResult!['Policy']).toBe(first);
    const allowed = await other.getObject({ Bucket: bucket, Key: 'a.txt' });
    expect(allowed.CommonMsg.Status).toBe(200);
    expect(String(allowed.InterfaceResult!['Content'])).toBe('A');
    // The account's IAM users are covered by `:user/*`.
    const otherUser = await client(OTHER_USER);
    expect((await otherUser.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg.Status).toBe(200);
    // Another account is not.
    const third = await client(THIRD);
    expect((await third.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    // Only the owner manages the policy (OBS-OWNER-MANAGES).
    expect((await other.getBucketPolicy({ Bucket: bucket })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    expect((await other.setBucketPolicy({ Bucket: bucket, Policy: first })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });

    // Replacement: the second put replaces the first; the first grant is gone.
    const second = policyFor(bucket, [{ Effect: 'Allow', Principal: { ID: [`domain/${THIRD.id}`] }, Action: ['GetObject'], Resource: ['$BUCKET/*'] }]);
    expect((await owner.setBucketPolicy({ Bucket: bucket, Policy: second })).CommonMsg.Status).toBe(204);
    expect((await owner.getBucketPolicy({ Bucket: bucket })).InterfaceResult!['Policy']).toBe(second);
    expect((await other.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    expect((await third.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg.Status).toBe(200);

    // Delete: 204, then 404 on get, and 204 again when there is none (§4, O12).
    expect((await owner.deleteBucketPolicy({ Bucket: bucket })).CommonMsg.Status).toBe(204);
    expect((await owner.getBucketPolicy({ Bucket: bucket })).CommonMsg).toMatchObject({ Status: 404, Code: 'NoSuchBucketPolicy' });
    expect((await owner.deleteBucketPolicy({ Bucket: bucket })).CommonMsg.Status).toBe(204);
    expect((await third.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg.Status).toBe(403);
  });

  it('rejects a policy over 20 KB, with an unknown element, or that is not JSON, and keeps the current one', async () => {
    const bucket = `${slug}-badpolicy`;
    expect((await owner.createBucket({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    const good = policyFor(bucket, [{ Effect: 'Allow', Principal: '*', Action: ['GetObject'], Resource: ['$BUCKET/*'] }]);
    expect((await owner.setBucketPolicy({ Bucket: bucket, Policy: good })).CommonMsg.Status).toBe(204);

    // 20 KB = 20480 bytes; one byte more is EntityTooLarge (reference OBS-LIMIT-SIZE, vendor notes §9).
    const padded = (size: number): string => {
      const base = policyFor(bucket, [{ Sid: '', Effect: 'Allow', Principal: '*', Action: ['GetObject'], Resource: ['$BUCKET/*'] }]);
      return base.replace('"Sid":""', `"Sid":"${'x'.repeat(size - Buffer.byteLength(base))}"`);
    };
    expect(Buffer.byteLength(padded(20481))).toBe(20481);
    const tooLarge = await owner.setBucketPolicy({ Bucket: bucket, Policy: padded(20481) });
    expect(tooLarge.CommonMsg).toMatchObject({ Status: 400, Code: 'EntityTooLarge' });
    const unknown = await owner.setBucketPolicy({ Bucket: bucket, Policy: policyFor(bucket, [{ Effect: 'Allow', Principal: '*', Action: ['GetObject'], Resource: ['$BUCKET/*'], Colour: 'red' }]) });
    expect(unknown.CommonMsg).toMatchObject({ Status: 400, Code: 'MalformedPolicy' });
    const notJson = await owner.setBucketPolicy({ Bucket: bucket, Policy: '{"Statement": [' });
    expect(notJson.CommonMsg).toMatchObject({ Status: 400, Code: 'MalformedPolicy' });
    expect((await owner.getBucketPolicy({ Bucket: bucket })).InterfaceResult!['Policy']).toBe(good);
    // Exactly 20480 bytes is accepted.
    expect((await owner.setBucketPolicy({ Bucket: bucket, Policy: padded(20480) })).CommonMsg.Status).toBe(204);
  });

  it('an ACL grant allows another account, a second ACL replaces it, and a policy Deny beats the grant', async () => {
    const bucket = `${slug}-acl`;
    expect((await owner.createBucket({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    expect((await other.listObjects({ Bucket: bucket })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });

    const grantOther = await owner.setBucketAcl({
      Bucket: bucket,
      Owner: { ID: OWNER.id },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: OWNER.id }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'CanonicalUser', ID: OTHER.id }, Permission: 'READ' },
      ],
    });
    expect(grantOther.CommonMsg.Status).toBe(200);
    // The ACL grant lets the other account (and its IAM users) list.
    expect((await other.listObjects({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    const acl = await owner.getBucketAcl({ Bucket: bucket });
    expect(acl.CommonMsg.Status).toBe(200);
    expect(acl.InterfaceResult!['Owner']).toMatchObject({ ID: OWNER.id });
    expect((acl.InterfaceResult!['Grants'] as Array<{ Grantee: { ID: string }; Permission: string }>).map((g) => `${g.Grantee.ID}:${g.Permission}`)).toEqual([`${OWNER.id}:FULL_CONTROL`, `${OTHER.id}:READ`]);

    // An explicit Deny in the policy beats the ACL grant (vendor notes §2).
    const deny = policyFor(bucket, [{ Effect: 'Deny', Principal: { ID: [`domain/${OTHER.id}:user/*`] }, Action: ['ListBucket'], Resource: ['$BUCKET'] }]);
    expect((await owner.setBucketPolicy({ Bucket: bucket, Policy: deny })).CommonMsg.Status).toBe(204);
    expect((await other.listObjects({ Bucket: bucket })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    expect((await owner.deleteBucketPolicy({ Bucket: bucket })).CommonMsg.Status).toBe(204);
    expect((await other.listObjects({ Bucket: bucket })).CommonMsg.Status).toBe(200);

    // Replacement: the second ACL holds only what it lists.
    const replaced = await owner.setBucketAcl({
      Bucket: bucket,
      Owner: { ID: OWNER.id },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: OWNER.id }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'Group', URI: 'AllUsers' }, Permission: 'READ_ACP' },
      ],
    });
    expect(replaced.CommonMsg.Status).toBe(200);
    expect((await other.listObjects({ Bucket: bucket })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    const after = await anonymous.getBucketAcl({ Bucket: bucket });
    expect(after.CommonMsg.Status).toBe(200);
    const grants = after.InterfaceResult!['Grants'] as Array<{ Grantee: { ID: string; URI: string }; Permission: string }>;
    expect(grants).toHaveLength(2);
    expect(grants[1]!.Permission).toBe('READ_ACP');
    expect(grants[1]!.Grantee.URI).toBe(mode.scheme === 'OBS' ? 'Everyone' : 'http://acs.amazonaws.com/groups/global/AllUsers');

    // The owner keeps READ_ACP and WRITE_ACP whatever the ACL says, but lists only with READ (OBS-ACL-OWNER-ACP, OBS-ACL-OWNER-DATA).
    const noOwner = await owner.setBucketAcl({ Bucket: bucket, Owner: { ID: OWNER.id }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: OTHER.id }, Permission: 'WRITE' }] });
    expect(noOwner.CommonMsg.Status).toBe(200);
    expect((await owner.getBucketAcl({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    expect((await owner.listObjects({ Bucket: bucket })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    expect((await other.putObject({ Bucket: bucket, Key: 'w.txt', Body: 'w' })).CommonMsg.Status).toBe(200);

    // An ACL with an unknown permission is refused by the reference validator.
    const bad = await owner.setBucketAcl({ Bucket: bucket, Owner: { ID: OWNER.id }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: OTHER.id }, Permission: 'READ_WRITE' }] });
    expect(bad.CommonMsg).toMatchObject({ Status: 400, Code: 'MalformedACLError' });
  });

  it('canned ACLs at creation and on put: public-read lets anonymous callers list, public-read-write lets them upload', async () => {
    const bucket = `${slug}-canned`;
    expect((await owner.createBucket({ Bucket: bucket, ACL: 'public-read' })).CommonMsg.Status).toBe(200);
    const acl = await owner.getBucketAcl({ Bucket: bucket });
    const grants = acl.InterfaceResult!['Grants'] as Array<{ Grantee: { ID: string; URI: string }; Permission: string }>;
    expect(grants.map((g) => `${g.Grantee.ID || g.Grantee.URI}:${g.Permission}`)).toEqual([
      `${OWNER.id}:FULL_CONTROL`,
      `${mode.scheme === 'OBS' ? 'Everyone' : 'http://acs.amazonaws.com/groups/global/AllUsers'}:READ`,
    ]);
    expect((await anonymous.listObjects({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    expect((await anonymous.putObject({ Bucket: bucket, Key: 'anon.txt', Body: 'x' })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });

    expect((await owner.setBucketAcl({ Bucket: bucket, ACL: 'public-read-write' })).CommonMsg.Status).toBe(200);
    expect((await anonymous.putObject({ Bucket: bucket, Key: 'anon.txt', Body: 'x' })).CommonMsg.Status).toBe(200);

    // OBS mode keeps `-delivered` (Delivered true); the SDK's V2 mode downgrades it to public-read (vendor notes §8.2).
    expect((await owner.setBucketAcl({ Bucket: bucket, ACL: 'public-read-delivered' })).CommonMsg.Status).toBe(200);
    const delivered = await owner.getBucketAcl({ Bucket: bucket });
    const everyone = (delivered.InterfaceResult!['Grants'] as Array<{ Grantee: { URI: string }; Permission: string; Delivered?: string }>).filter((g) => g.Grantee.URI !== '');
    expect(everyone.map((g) => g.Permission)).toEqual(['READ']);
    if (mode.scheme === 'OBS') expect(everyone[0]!.Delivered).toBe('true');
    expect((await anonymous.putObject({ Bucket: bucket, Key: 'anon2.txt', Body: 'x' })).CommonMsg.Status).toBe(403);

    // Back to private: anonymous callers lose READ.
    expect((await owner.setBucketAcl({ Bucket: bucket, ACL: 'private' })).CommonMsg.Status).toBe(200);
    expect((await anonymous.listObjects({ Bucket: bucket })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
  });

  it('IAM users and role sessions act for their account', async () => {
    const bucket = `${slug}-iam`;
    const user = await client(OWNER_USER);
    // A user creates a bucket its account owns; the account manages its policy.
    expect((await user.createBucket({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    const policy = policyFor(bucket, [{ Effect: 'Deny', Principal: { ID: [`domain/${OWNER.id}:user/${OWNER_USER.name}`] }, Action: ['PutObject'], Resource: ['$BUCKET/*'] }]);
    expect((await owner.setBucketPolicy({ Bucket: bucket, Policy: policy })).CommonMsg.Status).toBe(204);
    // The policy names this user: its uploads are denied, the account's are not.
    expect((await user.putObject({ Bucket: bucket, Key: 'u.txt', Body: 'u' })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    expect((await owner.putObject({ Bucket: bucket, Key: 'o.txt', Body: 'o' })).CommonMsg.Status).toBe(200);
    // A role session of the owner's account signs with its security token (x-obs-security-token / x-amz-security-token).
    const session = await client({ ak: SESSION.ak, sk: SESSION.sk, token: SESSION.token });
    expect((await session.getObject({ Bucket: bucket, Key: 'o.txt' })).CommonMsg.Status).toBe(200);
    const wrongToken = await client({ ak: SESSION.ak, sk: SESSION.sk, token: 'not-the-token' });
    expect((await wrongToken.getObject({ Bucket: bucket, Key: 'o.txt' })).CommonMsg).toMatchObject({ Status: 403, Code: 'InvalidAccessKeyId' });
  });

  it('a policy names an IAM user by its id or by its name (vendor notes §1.3: "<userId or userName>"), case-sensitively', async () => {
    const bucket = `${slug}-userid`;
    expect((await owner.createBucket({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    expect((await owner.putObject({ Bucket: bucket, Key: 'a.txt', Body: 'A' })).CommonMsg.Status).toBe(200);
    const user1 = await client(OTHER_USER);
    const user2 = await client(OTHER_USER_2);
    /** The statuses of GetObject by the other account's first user, its second user and the account itself under a policy allowing `named`. */
    async function statusesFor(named: string): Promise<number[]> {
      const policy = policyFor(bucket, [{ Effect: 'Allow', Principal: { ID: [`domain/${OTHER.id}:user/${named}`] }, Action: ['GetObject'], Resource: ['$BUCKET/*'] }]);
      expect((await owner.setBucketPolicy({ Bucket: bucket, Policy: policy })).CommonMsg.Status).toBe(204);
      const out: number[] = [];
      for (const c of [user1, user2, other]) out.push((await c.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg.Status);
      return out;
    }
    // By id, by name: that user only; the other user of the same account and the account itself stay denied.
    expect(await statusesFor(OTHER_USER.id)).toEqual([200, 403, 403]);
    expect(await statusesFor(OTHER_USER.name)).toEqual([200, 403, 403]);
    expect(await statusesFor(OTHER_USER_2.name)).toEqual([403, 200, 403]);
    // O1: "User names in the Principal element are case-sensitive".
    expect(await statusesFor(OTHER_USER.name.toUpperCase())).toEqual([403, 403, 403]);
    const denied = await user2.getObject({ Bucket: bucket, Key: 'a.txt' });
    expect(denied.CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    // A Deny by id beats the account-wide Allow for that user alone.
    const deny = policyFor(bucket, [
      { Effect: 'Allow', Principal: { ID: [`domain/${OTHER.id}:user/*`] }, Action: ['GetObject'], Resource: ['$BUCKET/*'] },
      { Effect: 'Deny', Principal: { ID: [`domain/${OTHER.id}:user/${OTHER_USER_2.id}`] }, Action: ['GetObject'], Resource: ['$BUCKET/*'] },
    ]);
    expect((await owner.setBucketPolicy({ Bucket: bucket, Policy: deny })).CommonMsg.Status).toBe(204);
    expect((await user1.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg.Status).toBe(200);
    expect((await user2.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
    expect((await other.getObject({ Bucket: bucket, Key: 'a.txt' })).CommonMsg.Status).toBe(200);
  });

  it('getObject with Range: 206 and the bytes asked for, the whole object for an invalid range, 416 InvalidRange past the end', async () => {
    const bucket = `${slug}-range`;
    expect((await owner.createBucket({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    expect((await owner.putObject({ Bucket: bucket, Key: 'digits.txt', Body: '0123456789' })).CommonMsg.Status).toBe(200);
    // Vendor notes §8.4: getObject's `Range` goes out as the Range header, verbatim (`bytes=` included).
    const cases: Array<[string, number, string]> = [
      ['bytes=2-5', 206, '2345'],
      ['bytes=7-', 206, '789'],
      ['bytes=-3', 206, '789'],
      ['bytes=8-100', 206, '89'],
      ['bytes=5-2', 200, '0123456789'],
    ];
    for (const [range, status, content] of cases) {
      const got = await owner.getObject({ Bucket: bucket, Key: 'digits.txt', Range: range });
      expect([range, got.CommonMsg.Status, String(got.InterfaceResult!['Content']), got.InterfaceResult!['ContentLength']]).toEqual([range, status, content, String(content.length)]);
    }
    const past = await owner.getObject({ Bucket: bucket, Key: 'digits.txt', Range: 'bytes=10-' });
    expect(past.CommonMsg).toMatchObject({ Status: 416, Code: 'InvalidRange' });
    expect(past.CommonMsg.RequestId).toMatch(/^[0-9A-F]{24}$/);
    // The access check comes first.
    expect((await other.getObject({ Bucket: bucket, Key: 'digits.txt', Range: 'bytes=0-1' })).CommonMsg).toMatchObject({ Status: 403, Code: 'AccessDenied' });
  });

  it('surfaces authentication errors in CommonMsg: unknown key, wrong secret', async () => {
    const bucket = `${slug}-auth`;
    expect((await owner.createBucket({ Bucket: bucket })).CommonMsg.Status).toBe(200);
    const unknown = await client({ ak: 'NOSUCHKEY0000000000', sk: 'x' });
    const u = await unknown.listObjects({ Bucket: bucket });
    expect(u.CommonMsg).toMatchObject({ Status: 403, Code: 'InvalidAccessKeyId' });
    expect(u.CommonMsg.HostId).not.toBe('');
    const wrong = await client({ ak: OWNER.ak, sk: 'not-the-secret' });
    const w = await wrong.listObjects({ Bucket: bucket });
    expect(w.CommonMsg).toMatchObject({ Status: 403, Code: 'SignatureDoesNotMatch' });
    expect(w.CommonMsg.RequestId).toMatch(/^[0-9A-F]{24}$/);
  });
});
