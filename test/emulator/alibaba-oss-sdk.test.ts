/**
 * The OSS emulator driven by the official SDK `ali-oss` 6.23.0 as a real client, with signature
 * V1 (the default) and V4 (`authorizationV4: true`), in both addressing modes of vendor notes
 * alibaba-oss.md §5.2: an IP endpoint (the SDK writes the bucket into `Host`) and a `localhost`
 * endpoint with `sldEnable` (the bucket in the path). Anonymous requests, which the SDK cannot
 * send, go through node:http; presigned URLs (§5.3) are fetched with undici.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { createRequire } from 'node:module';
import type { LookupFunction } from 'node:net';
import { Agent as UndiciAgent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';

/** The part of the ali-oss client these tests call (the package ships no types). */
interface OSS {
  putBucket(name: string, options?: Record<string, unknown>): Promise<{ res: SdkResponse }>;
  deleteBucket(name: string): Promise<{ res: SdkResponse }>;
  getBucketInfo(name: string): Promise<{ bucket: { Name: string; Owner: { ID: string }; AccessControlList: { Grant: string } } }>;
  listBuckets(query: Record<string, unknown>): Promise<{ owner: { id: string }; buckets: { name: string }[] | null }>;
  getBucketACL(name: string): Promise<{ acl: string; owner: { id: string } }>;
  putBucketACL(name: string, acl: string): Promise<{ res: SdkResponse }>;
  putBucketPolicy(name: string, policy: object): Promise<{ status: number }>;
  getBucketPolicy(name: string): Promise<{ policy: unknown; status: number }>;
  deleteBucketPolicy(name: string): Promise<{ status: number }>;
  put(key: string, body: Buffer, options?: Record<string, unknown>): Promise<{ res: SdkResponse }>;
  get(key: string, options?: Record<string, unknown>): Promise<{ content: Buffer; res: SdkResponse }>;
  head(key: string): Promise<{ status: number; meta: Record<string, string> | null }>;
  getObjectMeta(key: string): Promise<{ status: number }>;
  delete(key: string): Promise<{ res: SdkResponse }>;
  getACL(key: string): Promise<{ acl: string }>;
  putACL(key: string, acl: string): Promise<{ res: SdkResponse }>;
  list(query: Record<string, unknown>, options: object): Promise<{ objects: SdkObject[]; prefixes: string[] | null; isTruncated: boolean }>;
  listV2(query: Record<string, unknown>, options: object): Promise<{ objects: SdkObject[]; isTruncated: boolean; keyCount: number; nextContinuationToken: string }>;
  getBucketVersions(query: Record<string, unknown>, options?: object): Promise<{ objects: SdkVersion[]; deleteMarker: unknown[]; prefixes: string[] | null; isTruncated: boolean; nextKeyMarker: string | null; nextVersionIdMarker: string | null }>;
  deleteMulti(keys: string[], options?: { quiet?: boolean }): Promise<{ deleted: (string | { Key: string })[]; res: SdkResponse }>;
  multipartUpload(key: string, body: Buffer, options: { partSize: number; progress?: (p: number) => void }): Promise<{ etag?: string; res: SdkResponse }>;
  initMultipartUpload(key: string): Promise<{ uploadId: string }>;
  abortMultipartUpload(key: string, uploadId: string): Promise<{ res: SdkResponse }>;
  signatureUrl(key: string, options?: Record<string, unknown>): string;
  signatureUrlV4(method: string, expires: number, request: { headers?: Record<string, string>; queries?: Record<string, unknown> } | undefined, key: string, additionalHeaders?: string[]): Promise<string>;
}
interface SdkResponse {
  status: number;
  headers: Record<string, string>;
}
interface SdkObject {
  name: string;
  owner: { id: string } | null;
}
interface SdkVersion {
  name: string;
  versionId: string;
  isLatest: boolean;
  etag: string;
  size: number;
  owner: { id: string; displayName: string };
}

const require = createRequire(import.meta.url);
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => OSS;

const OWNER = { id: '1746495857600001', accessKeyId: 'EMU-ALI-OWNER', accessKeySecret: 'emu-ali-owner-secret' };
const OWNER_USER1 = { id: '2021476040493501', accessKeyId: 'EMU-ALI-USER1', accessKeySecret: 'emu-ali-user1-secret' };
const OTHER = { id: '1746495857600002', accessKeyId: 'EMU-ALI-OTHER', accessKeySecret: 'emu-ali-other-secret' };
const OTHER_USER1 = { id: '2021476040493601', accessKeyId: 'EMU-ALI-OTHER-USER1', accessKeySecret: 'emu-ali-other-user1-secret' };
const SESSION1 = { accessKeyId: 'STS.EMU-ALI-SESSION1', accessKeySecret: 'emu-ali-session1-secret', stsToken: 'emu-ali-session1-token' };
const SESSION1_ARN = `arn:sts::${OWNER.id}:assumed-role/emu-role/emu-session`;

type Credentials = { accessKeyId: string; accessKeySecret: string; stsToken?: string };
type Addressing = 'ip' | 'localhost-sld';
type Mode = { signature: 'v1' | 'v4'; addressing: Addressing };

const MODES: Mode[] = [
  { signature: 'v1', addressing: 'ip' },
  { signature: 'v4', addressing: 'ip' },
  { signature: 'v1', addressing: 'localhost-sld' },
  { signature: 'v4', addressing: 'localhost-sld' },
];

// `localhost` may resolve to ::1 first; the emulator listens on 127.0.0.1 (notes §5.2: a lookup that answers loopback).
const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;
const agent = new Agent({ keepAlive: true, lookup });
// The same loopback lookup for undici's fetch, which resolves `<bucket>.localhost` names itself.
const dispatcher = new UndiciAgent({ connect: { lookup } });

let emulator: RunningEmulator;
// The emulator's clock runs this far ahead of the real one; tests move it to expire presigned URLs.
let clockOffsetMs = 0;

beforeAll(async () => {
  emulator = await startEmulator({ vendor: 'alibaba-oss', log: () => {}, now: () => new Date(Date.now() + clockOffsetMs) });
});

afterAll(async () => {
  agent.destroy();
  await dispatcher.close();
  await emulator.close();
});

/** An ali-oss client in the given mode. */
function client(mode: Mode, credentials: Credentials, bucket?: string): OSS {
  const endpoint = mode.addressing === 'ip' ? emulator.url : `http://localhost:${emulator.port}`;
  return new OSS({
    ...credentials,
    ...(credentials.stsToken === undefined ? {} : { refreshSTSTokenInterval: 3_600_000 }),
    endpoint,
    region: 'oss-cn-hangzhou',
    ...(bucket === undefined ? {} : { bucket }),
    authorizationV4: mode.signature === 'v4',
    sldEnable: mode.addressing === 'localhost-sld',
    agent,
    timeout: 10_000,
  });
}

/** An anonymous request (no Authorization), path-style on the loopback address. */
function anonymous(method: string, path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${emulator.url}${path}`, { method, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The error an SDK call throws, or a failure when it does not throw. */
async function failure(promise: Promise<unknown>): Promise<{ code?: string; status?: number; ecCode?: string; name?: string; requestId?: string; hostId?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; status?: number; ecCode?: string };
  }
  throw new Error('expected the SDK call to fail');
}

/** Fetches a URL with undici (as a browser or a plain HTTP client would use a presigned URL). */
async function fetchUrl(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; code: string | undefined; ec: string | undefined; message: string | undefined }> {
  const res = await fetch(url, { ...init, dispatcher });
  const body = await res.text();
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return { status: res.status, body, code, ec: res.headers.get('x-oss-ec') ?? undefined, message };
}

/** Runs `body` with the emulator's clock moved `ms` ahead, then puts it back. */
async function later<T>(ms: number, body: () => Promise<T>): Promise<T> {
  clockOffsetMs = ms;
  try {
    return await body();
  } finally {
    clockOffsetMs = 0;
  }
}

function allowGet(principal: string, bucket: string, objects = '*') {
  return { Effect: 'Allow', Action: ['oss:GetObject'], Principal: [principal], Resource: [`acs:oss:*:*:${bucket}/${objects}`] };
}

describe.each(MODES)('ali-oss 6.23.0, signature $signature, addressing $addressing', (mode) => {
  const bucket = `emu-${mode.signature}-${mode.addressing}`;
  let owner: OSS;

  beforeAll(async () => {
    owner = client(mode, OWNER, bucket);
    await owner.putBucket(bucket, { storageClass: 'Standard', acl: 'private' });
  });

  it('creates a bucket that the owner sees in GetBucketInfo, ListBuckets and GetBucketAcl', async () => {
    const info = await owner.getBucketInfo(bucket);
    expect(info.bucket.Name).toBe(bucket);
    expect(info.bucket.Owner.ID).toBe(OWNER.id);
    expect(info.bucket.AccessControlList.Grant).toBe('private');
    const listed = await client(mode, OWNER).listBuckets({ prefix: bucket });
    expect(listed.owner.id).toBe(OWNER.id);
    expect(listed.buckets?.map((b) => b.name)).toContain(bucket);
    const acl = await owner.getBucketACL(bucket);
    expect(acl.acl).toBe('private');
    expect(acl.owner.id).toBe(OWNER.id);
  });

  it('refuses a name taken by another account with 409 BucketAlreadyExists', async () => {
    const error = await failure(client(mode, OTHER).putBucket(bucket));
    expect(error.status).toBe(409);
    expect(error.code).toBe('BucketAlreadyExists');
  });

  it('puts, gets, heads and deletes objects with metadata, ETag and object ACL', async () => {
    const body = Buffer.from('hello, emulator');
    const key = 'dir/hello world+ü.txt';
    const put = await owner.put(key, body, { meta: { owner: 'me' }, headers: { 'x-oss-object-acl': 'private' } });
    const md5 = createHash('md5').update(body).digest('hex').toUpperCase();
    expect(put.res.status).toBe(200);
    expect(put.res.headers.etag).toBe(`"${md5}"`);
    const got = await owner.get(key);
    expect(got.content.toString()).toBe('hello, emulator');
    expect(got.res.headers['x-oss-meta-owner']).toBe('me');
    const head = await owner.head(key);
    expect(head.status).toBe(200);
    expect(head.meta).toEqual({ owner: 'me' });
    const meta = await owner.getObjectMeta(key);
    expect(meta.status).toBe(200);
    expect((await owner.getACL(key)).acl).toBe('private');
    const deleted = await owner.delete(key);
    expect(deleted.res.status).toBe(204);
    // §4.1: DELETE is 204 whether or not the object exists.
    expect((await owner.delete(key)).res.status).toBe(204);
    const missing = await failure(owner.get(key));
    expect(missing.status).toBe(404);
    expect(missing.code).toBe('NoSuchKey');
  });

  it('lists objects with ListObjects V1 (Owner on every Contents) and V2 (continuation token, KeyCount)', async () => {
    for (const key of ['list/a.txt', 'list/b.txt', 'list/sub/c.txt', 'other.txt']) await owner.put(key, Buffer.from(key));
    const v1 = await owner.list({ prefix: 'list/', delimiter: '/', 'max-keys': 100 }, {});
    expect(v1.objects.map((o) => o.name)).toEqual(['list/a.txt', 'list/b.txt']);
    expect(v1.objects.every((o) => o.owner?.id === OWNER.id)).toBe(true);
    expect(v1.prefixes).toEqual(['list/sub/']);
    expect(v1.isTruncated).toBe(false);

    const page1 = await owner.listV2({ prefix: 'list/', 'max-keys': 2 }, {});
    expect(page1.objects.map((o) => o.name)).toEqual(['list/a.txt', 'list/b.txt']);
    expect(page1.isTruncated).toBe(true);
    expect(page1.keyCount).toBe(2);
    const page2 = await owner.listV2({ prefix: 'list/', 'max-keys': 2, 'continuation-token': page1.nextContinuationToken, 'fetch-owner': true }, {});
    expect(page2.objects.map((o) => o.name)).toEqual(['list/sub/c.txt']);
    expect(page2.objects[0]?.owner?.id).toBe(OWNER.id);
    expect(page2.isTruncated).toBe(false);
    const after = await owner.listV2({ 'start-after': 'list/b.txt' }, {});
    expect(after.objects.map((o) => o.name)).toEqual(['list/sub/c.txt', 'other.txt']);
  });

  it('lists object versions with getBucketVersions (each current object its only version), decided as oss:ListObjectVersions', async () => {
    for (const key of ['versions/a.txt', 'versions/b.txt', 'versions/sub/c.txt']) await owner.put(key, Buffer.from(key));
    const all = await owner.getBucketVersions({ prefix: 'versions/', delimiter: '/' });
    expect(all.objects.map((o) => o.name)).toEqual(['versions/a.txt', 'versions/b.txt']);
    expect(all.objects.every((o) => o.versionId === 'null' && o.isLatest && o.owner.id === OWNER.id && o.size === o.name.length)).toBe(true);
    expect(all.prefixes).toEqual(['versions/sub/']);
    expect(all.deleteMarker).toEqual([]);
    expect(all.isTruncated).toBe(false);
    const page = await owner.getBucketVersions({ prefix: 'versions/', maxKeys: 1 });
    expect(page.objects.map((o) => o.name)).toEqual(['versions/a.txt']);
    expect(page.isTruncated).toBe(true);
    const next = await owner.getBucketVersions({ prefix: 'versions/', keyMarker: page.nextKeyMarker, versionIdMarker: page.nextVersionIdMarker });
    expect(next.objects.map((o) => o.name)).toEqual(['versions/b.txt', 'versions/sub/c.txt']);
    // Another account's user: denied until a policy grants ListObjectVersions (ListObjects alone does not).
    const stranger = client(mode, OTHER_USER1, bucket);
    const denied = await failure(stranger.getBucketVersions({ prefix: 'versions/' }));
    expect(denied.status).toBe(403);
    expect(denied.code).toBe('AccessDenied');
    const grant = (action: string) => ({ Version: '1', Statement: [{ Effect: 'Allow', Action: [action], Principal: [OTHER_USER1.id], Resource: [`acs:oss:*:*:${bucket}`] }] });
    await owner.putBucketPolicy(bucket, grant('oss:ListObjects'));
    expect((await failure(stranger.getBucketVersions({ prefix: 'versions/' }))).code).toBe('AccessDenied');
    await owner.putBucketPolicy(bucket, grant('oss:ListObjectVersions'));
    expect((await stranger.getBucketVersions({ prefix: 'versions/' })).objects.map((o) => o.name)).toEqual(['versions/a.txt', 'versions/b.txt', 'versions/sub/c.txt']);
    await owner.deleteBucketPolicy(bucket);
    for (const key of ['versions/a.txt', 'versions/b.txt', 'versions/sub/c.txt']) await owner.delete(key);
  });

  it('grants another account\'s user by bucket policy, replaces the policy, and lets an explicit Deny win', async () => {
    await owner.put('shared/doc.txt', Buffer.from('shared'));
    const stranger = client(mode, OTHER_USER1, bucket);
    const denied = await failure(stranger.get('shared/doc.txt'));
    expect(denied.status).toBe(403);
    expect(denied.code).toBe('AccessDenied');
    expect(denied.ecCode).toBe('0003-00000001');

    const grant = { Version: '1', Statement: [allowGet(OTHER_USER1.id, bucket, 'shared/*')] };
    expect((await owner.putBucketPolicy(bucket, grant)).status).toBe(200);
    expect((await stranger.get('shared/doc.txt')).content.toString()).toBe('shared');
    const stored = await owner.getBucketPolicy(bucket);
    expect(stored.status).toBe(200);
    expect(stored.policy).toEqual(grant);

    // A second put replaces the first: its grant no longer applies.
    await owner.putBucketPolicy(bucket, { Version: '1', Statement: [allowGet(OTHER.id, bucket, 'shared/*')] });
    expect((await failure(stranger.get('shared/doc.txt'))).ecCode).toBe('0003-00000001');

    // An explicit Deny beats an Allow (ALI-DENY-FIRST).
    await owner.putBucketPolicy(bucket, {
      Version: '1',
      Statement: [allowGet(OTHER_USER1.id, bucket), { ...allowGet(OTHER_USER1.id, bucket, 'shared/*'), Effect: 'Deny' }],
    });
    const explicit = await failure(stranger.get('shared/doc.txt'));
    expect(explicit.status).toBe(403);
    expect(explicit.code).toBe('AccessDenied');
    expect(explicit.ecCode).toBe('0003-00000101');
    await owner.put('open.txt', Buffer.from('open'));
    expect((await stranger.get('open.txt')).res.status).toBe(200);

    // HEAD errors have no body; x-oss-err names the error (§5.6).
    const head = await failure(stranger.head('shared/doc.txt'));
    expect(head.status).toBe(403);
    expect(head.code).toBe('AccessDenied');
    expect(head.name).toBe('AccessDeniedError');
    expect(head.ecCode).toBe('0003-00000101');
    const missingHead = await failure(owner.head('no/such.txt'));
    expect(missingHead.status).toBe(404);
    expect(missingHead.code).toBe('NoSuchKey');

    // DeleteBucketPolicy must be 204 for the SDK; GetBucketPolicy then answers 404 without throwing.
    expect((await owner.deleteBucketPolicy(bucket)).status).toBe(204);
    const none = await owner.getBucketPolicy(bucket);
    expect(none.policy).toBeNull();
    expect(none.status).toBe(404);
    expect((await owner.deleteBucketPolicy(bucket)).status).toBe(204);
    expect((await failure(stranger.get('open.txt'))).status).toBe(403);
  });

  it('refuses a syntactically valid policy the parser rejects with 400 InvalidPolicyDocument and its EC', async () => {
    const error = await failure(owner.putBucketPolicy(bucket, { Version: '2', Statement: [allowGet(OTHER.id, bucket)] }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('InvalidPolicyDocument');
    expect(error.ecCode).toBe('0030-00000002');
    const doubled = await failure(owner.putBucketPolicy(bucket, { Version: '1', Statement: [{ ...allowGet(OTHER.id, bucket), Resource: [`acs:oss:*:*:${bucket}/**`] }] }));
    expect(doubled.ecCode).toBe('0030-00000007');
    expect((await owner.getBucketPolicy(bucket)).status).toBe(404);
  });

  it('serves an STS session by its role-session principal, with x-oss-security-token', async () => {
    await owner.put('sts/data.txt', Buffer.from('for the session'));
    const session = client(mode, SESSION1, bucket);
    const denied = await failure(session.get('sts/data.txt'));
    expect(denied.status).toBe(403);
    expect(denied.code).toBe('AccessDenied');
    await owner.putBucketPolicy(bucket, { Version: '1', Statement: [allowGet(SESSION1_ARN, bucket, 'sts/*')] });
    expect((await session.get('sts/data.txt')).content.toString()).toBe('for the session');
    // The same account's RAM user is not named by the policy.
    expect((await failure(client(mode, OWNER_USER1, bucket).get('sts/data.txt'))).status).toBe(403);
    await owner.deleteBucketPolicy(bucket);
  });

  it('follows bucket ACL replacement private -> public-read -> private for anonymous GetObject', async () => {
    await owner.put('acl/pub.txt', Buffer.from('public?'));
    const path = `/${bucket}/acl/pub.txt`;
    expect((await anonymous('GET', path)).status).toBe(403);
    await owner.putBucketACL(bucket, 'public-read');
    expect((await owner.getBucketACL(bucket)).acl).toBe('public-read');
    const open = await anonymous('GET', path);
    expect(open.status).toBe(200);
    expect(open.body).toBe('public?');
    await owner.putBucketACL(bucket, 'private');
    const closed = await anonymous('GET', path);
    expect(closed.status).toBe(403);
    expect(closed.headers['x-oss-ec']).toBe('0003-00000001');
  });

  it('reports an inheriting object ACL as default and follows object ACL replacement', async () => {
    await owner.put('acl/obj.txt', Buffer.from('object acl'));
    expect((await owner.getACL('acl/obj.txt')).acl).toBe('default');
    await owner.putACL('acl/obj.txt', 'public-read');
    expect((await owner.getACL('acl/obj.txt')).acl).toBe('public-read');
    expect((await anonymous('GET', `/${bucket}/acl/obj.txt`)).status).toBe(200);
    await owner.putACL('acl/obj.txt', 'default');
    expect((await anonymous('GET', `/${bucket}/acl/obj.txt`)).status).toBe(403);
  });

  it('gets byte ranges: 206 with Content-Range for a closed, open and suffix range', async () => {
    await owner.put('range/digits.txt', Buffer.from('0123456789'));
    const closed = await owner.get('range/digits.txt', { headers: { Range: 'bytes=2-5' } });
    expect(closed.res.status).toBe(206);
    expect(closed.content.toString()).toBe('2345');
    expect(closed.res.headers['content-range']).toBe('bytes 2-5/10');
    const open = await owner.get('range/digits.txt', { headers: { Range: 'bytes=7-' } });
    expect(open.content.toString()).toBe('789');
    const suffix = await owner.get('range/digits.txt', { headers: { Range: 'bytes=-4' } });
    expect(suffix.content.toString()).toBe('6789');
    expect(suffix.res.headers['content-range']).toBe('bytes 6-9/10');
    // OSS's default range behaviour: a range past the end is ignored (200, whole object).
    const past = await owner.get('range/digits.txt', { headers: { Range: 'bytes=20-30' } });
    expect(past.res.status).toBe(200);
    expect(past.content.toString()).toBe('0123456789');
  });

  it('deletes several objects with deleteMulti; a key the policy explicitly denies refuses the whole batch (EC 0003-00000204)', async () => {
    const keys = ['multi/a.txt', 'multi/b c.txt', 'multi/keep/d.txt'];
    for (const key of keys) await owner.put(key, Buffer.from(key));
    await owner.putBucketPolicy(bucket, {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['oss:DeleteObject'], Principal: [OTHER_USER1.id], Resource: [`acs:oss:*:*:${bucket}/multi/*`] },
        { Effect: 'Deny', Action: ['oss:DeleteObject'], Principal: [OTHER_USER1.id], Resource: [`acs:oss:*:*:${bucket}/multi/keep/*`] },
      ],
    });
    const stranger = client(mode, OTHER_USER1, bucket);
    const refused = await failure(stranger.deleteMulti(keys));
    expect(refused.status).toBe(403);
    expect(refused.code).toBe('AccessDenied');
    expect(refused.ecCode).toBe('0003-00000204');
    // All or nothing: nothing was deleted.
    expect((await owner.list({ prefix: 'multi/' }, {})).objects.map((o) => o.name)).toEqual(keys);
    const allowed = await stranger.deleteMulti(['multi/a.txt', 'multi/b c.txt']);
    expect(allowed.res.status).toBe(200);
    expect(allowed.deleted.map((d) => (typeof d === 'string' ? d : d.Key))).toEqual(['multi/a.txt', 'multi/b c.txt']);
    const quiet = await owner.deleteMulti(['multi/keep/d.txt', 'multi/never.txt'], { quiet: true });
    expect(quiet.deleted).toEqual([]);
    expect((await owner.list({ prefix: 'multi/' }, {})).objects).toEqual([]);
    await owner.deleteBucketPolicy(bucket);
  });

  it('uploads 300 KB with multipartUpload in 100 KB parts and reads it back byte for byte', async () => {
    const body = Buffer.alloc(300 * 1024 + 17);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + (i >> 8)) & 0xff;
    const progress: number[] = [];
    const done = await owner.multipartUpload('big/blob.bin', body, { partSize: 100 * 1024, progress: (p) => void progress.push(p) });
    expect(done.res.status).toBe(200);
    // Four parts: three of 100 KB and the 17-byte rest.
    expect(done.etag).toMatch(/^"[0-9A-F]{32}-4"$/);
    expect(progress.at(-1)).toBe(1);
    const got = await owner.get('big/blob.bin');
    expect(got.res.headers['x-oss-object-type']).toBe('Multipart');
    expect(Buffer.compare(got.content, body)).toBe(0);
    const { uploadId } = await owner.initMultipartUpload('big/aborted.bin');
    expect((await owner.abortMultipartUpload('big/aborted.bin', uploadId)).res.status).toBe(204);
    const gone = await failure(owner.abortMultipartUpload('big/aborted.bin', uploadId));
    expect(gone.status).toBe(404);
    expect(gone.code).toBe('NoSuchUpload');
    await owner.delete('big/blob.bin');
  });

  it('refuses to delete a bucket that is not empty, then deletes it once emptied', async () => {
    const name = `${bucket}-tmp`;
    await owner.putBucket(name);
    const tmp = client(mode, OWNER, name);
    await tmp.put('x.txt', Buffer.from('x'));
    const error = await failure(owner.deleteBucket(name));
    expect(error.status).toBe(409);
    expect(error.code).toBe('BucketNotEmpty');
    await tmp.delete('x.txt');
    expect((await owner.deleteBucket(name)).res.status).toBe(204);
    const gone = await failure(owner.getBucketInfo(name));
    expect(gone.status).toBe(404);
    expect(gone.code).toBe('NoSuchBucket');
  });
});

describe('ali-oss with an IP endpoint and sldEnable (bucket in Host and path, notes §5.2 CONFLICT)', () => {
  it.each(['v1', 'v4'] as const)('reads the request as path-style (%s)', async (signature) => {
    const bucket = `emu-both-${signature}`;
    const both = new OSS({ ...OWNER, endpoint: emulator.url, bucket, sldEnable: true, authorizationV4: signature === 'v4', agent });
    await both.putBucket(bucket);
    await both.put('k.txt', Buffer.from('both'));
    expect((await both.get('k.txt')).content.toString()).toBe('both');
    // The same object, addressed virtual-host style by a client without sldEnable.
    const virtual = new OSS({ ...OWNER, endpoint: emulator.url, bucket, authorizationV4: signature === 'v4', agent });
    expect((await virtual.get('k.txt')).content.toString()).toBe('both');
    const listed = await both.list({ prefix: '' }, {});
    expect(listed.objects.map((o) => o.name)).toEqual(['k.txt']);
  });
});

describe('presigned URLs from ali-oss (§5.3), fetched with undici', () => {
  const bucket = 'emu-presign';
  const hostEndpoint = () => `http://localhost:${emulator.port}`;
  let owner: OSS;

  beforeAll(async () => {
    owner = new OSS({ ...OWNER, endpoint: emulator.url, bucket, agent });
    await owner.putBucket(bucket);
    await owner.put('pub/a b.txt', Buffer.from('presigned body'));
    await owner.put('secret/x.txt', Buffer.from('secret'));
    await owner.putBucketPolicy(bucket, {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['oss:GetObject'], Principal: [OTHER_USER1.id, SESSION1_ARN], Resource: [`acs:oss:*:*:${bucket}/*`] },
        { Effect: 'Deny', Action: ['oss:GetObject'], Principal: [OTHER_USER1.id], Resource: [`acs:oss:*:*:${bucket}/secret/*`] },
      ],
    });
  });

  it('refuses signatureUrl with an IP endpoint, as the notes say (client-side)', () => {
    expect(() => owner.signatureUrl('pub/a b.txt')).toThrow(/endpoint is IP/);
  });

  describe.each([
    { name: 'virtual-host (`<bucket>.localhost`)', sldEnable: false },
    { name: 'path style (sldEnable)', sldEnable: true },
  ])('V1 signatureUrl with a host-name endpoint, $name', ({ sldEnable }) => {
    const v1 = (credentials: Credentials) => new OSS({ ...credentials, endpoint: hostEndpoint(), bucket, sldEnable, agent });

    it('serves the owner, the granted stranger and the granted session, and denies what the policy denies', async () => {
      const url = v1(OWNER).signatureUrl('pub/a b.txt', { expires: 60 });
      expect(url).toMatch(/OSSAccessKeyId=EMU-ALI-OWNER&Expires=\d+&Signature=/);
      expect(new URL(url).host).toBe(sldEnable ? `localhost:${emulator.port}` : `${bucket}.localhost:${emulator.port}`);
      const ok = await fetchUrl(url);
      expect(ok.status).toBe(200);
      expect(ok.body).toBe('presigned body');
      expect((await fetchUrl(v1(OTHER_USER1).signatureUrl('pub/a b.txt'))).status).toBe(200);
      const denied = await fetchUrl(v1(OTHER_USER1).signatureUrl('secret/x.txt'));
      expect(denied.status).toBe(403);
      expect(denied.code).toBe('AccessDenied');
      expect(denied.ec).toBe('0003-00000101');
      // An STS session's URL carries security-token; the policy grants the session.
      const session = await fetchUrl(v1(SESSION1).signatureUrl('pub/a b.txt'));
      expect(session.status).toBe(200);
    });

    it('refuses the URL once the emulator\'s clock is past Expires', async () => {
      const url = v1(OWNER).signatureUrl('pub/a b.txt', { expires: 60 });
      expect((await fetchUrl(url)).status).toBe(200);
      const expired = await later(120_000, () => fetchUrl(url));
      expect(expired.status).toBe(403);
      expect(expired.code).toBe('AccessDenied');
      expect(expired.message).toBe('Request has expired.');
      expect(expired.ec).toBe('0002-00000069');
    });

    it('serves a presigned PUT with the Content-Type it was signed with', async () => {
      const url = v1(OWNER).signatureUrl('up/put.txt', { method: 'PUT', 'Content-Type': 'text/plain' });
      const put = await fetchUrl(url, { method: 'PUT', body: 'uploaded by URL', headers: { 'content-type': 'text/plain' } });
      expect(put.status).toBe(200);
      expect((await owner.get('up/put.txt')).content.toString()).toBe('uploaded by URL');
      // Another Content-Type is another string-to-sign.
      expect((await fetchUrl(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/html' } })).code).toBe('SignatureDoesNotMatch');
    });
  });

  describe.each([
    { name: 'an IP endpoint with sldEnable (bucket in the path)', endpoint: () => emulator.url, sldEnable: true },
    { name: 'a host-name endpoint (`<bucket>.localhost`)', endpoint: hostEndpoint, sldEnable: false },
  ])('V4 signatureUrlV4 with $name', ({ endpoint, sldEnable }) => {
    const v4 = (credentials: Credentials) => new OSS({ ...credentials, endpoint: endpoint(), bucket, sldEnable, agent, region: 'oss-cn-hangzhou' });

    it('serves the owner and the granted stranger, and denies what the policy denies', async () => {
      const url = await v4(OWNER).signatureUrlV4('GET', 60, undefined, 'pub/a b.txt');
      expect(url).toContain('x-oss-signature-version=OSS4-HMAC-SHA256');
      const ok = await fetchUrl(url);
      expect(ok.status).toBe(200);
      expect(ok.body).toBe('presigned body');
      expect((await fetchUrl(await v4(OTHER_USER1).signatureUrlV4('GET', 60, undefined, 'pub/a b.txt'))).status).toBe(200);
      const denied = await fetchUrl(await v4(OTHER_USER1).signatureUrlV4('GET', 60, undefined, 'secret/x.txt'));
      expect(denied.status).toBe(403);
      expect(denied.ec).toBe('0003-00000101');
      expect((await fetchUrl(await v4(SESSION1).signatureUrlV4('GET', 60, undefined, 'pub/a b.txt'))).status).toBe(200);
    });

    it('refuses the URL once the emulator\'s clock is past x-oss-date + x-oss-expires', async () => {
      const url = await v4(OWNER).signatureUrlV4('GET', 60, undefined, 'pub/a b.txt');
      expect((await fetchUrl(url)).status).toBe(200);
      const expired = await later(120_000, () => fetchUrl(url));
      expect(expired.status).toBe(403);
      expect(expired.message).toBe('Request has expired.');
      expect(expired.ec).toBe('0002-00000069');
    });

    it('signs extra query parameters and additional headers (x-oss-additional-headers)', async () => {
      const url = await v4(OWNER).signatureUrlV4('GET', 60, { headers: { range: 'bytes=0-8' }, queries: { 'response-content-type': 'text/x-test' } }, 'pub/a b.txt', ['range']);
      expect(url).toContain('x-oss-additional-headers=range');
      const res = await fetch(url, { dispatcher, headers: { range: 'bytes=0-8' } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-type')).toBe('text/x-test');
      expect(await res.text()).toBe('presigned');
      // Without the signed header, or with another value, the signature does not verify.
      expect((await fetchUrl(url)).code).toBe('SignatureDoesNotMatch');
      expect((await fetchUrl(url, { headers: { range: 'bytes=0-1' } })).code).toBe('SignatureDoesNotMatch');
    });
  });

  it('signatureUrlV4 with an IP endpoint and no sldEnable names no bucket: the emulator cannot serve it (SignatureDoesNotMatch)', async () => {
    const url = await new OSS({ ...OWNER, endpoint: emulator.url, bucket, agent }).signatureUrlV4('GET', 60, undefined, 'pub/a b.txt');
    expect(new URL(url).pathname).toBe('/pub/a%20b.txt');
    // The bucket appears nowhere on the wire except in the signature; the path's first segment is read as the bucket.
    expect((await fetchUrl(url)).code).toBe('SignatureDoesNotMatch');
  });
});
