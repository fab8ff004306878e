/**
 * The APS dialect driven by the official SDKs as real clients: `@aps_sdk/authentication` gets
 * two-legged tokens, `@aps_sdk/oss` creates buckets with an `allow` list, lists, reads details,
 * uploads and downloads through the signed S3 URLs, and deletes; the decisions are the reference
 * evaluator's (specs/aps-oss/access-matrix.yaml). Each app gets its own SdkManager with a large
 * retry count, so that the SDK's circuit breaker never opens on the expected 4xx
 * (aps-oss.md §5.5), and logging off.
 */
import { AuthenticationClient, Scopes } from '@aps_sdk/authentication';
import { ApsConfiguration, Logger, LogLevel, ResiliencyConfiguration, SdkManagerBuilder, StaticAuthenticationProvider, type SdkManager } from '@aps_sdk/autodesk-sdkmanager';
import { OssApiError, OssClient, PolicyKey, Region, With, type CreateBucketsPayloadAllow } from '@aps_sdk/oss';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAccounts, type AppEntry } from '../../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';

const apps = defaultAccounts('aps-oss').apps;
const [OWNER, READER, FULL, WRITER, STRANGER, SCOPELESS] = apps as [AppEntry, AppEntry, AppEntry, AppEntry, AppEntry, AppEntry];

const ALL_SCOPES = [Scopes.BucketCreate, Scopes.BucketRead, Scopes.BucketDelete, Scopes.DataRead, Scopes.DataWrite, Scopes.DataCreate];

/**
 * A fresh SdkManager against the emulator. `base` as a URL gives `//oss/v2/...` on the wire, as a
 * string without a trailing slash `/oss/v2/...` (aps-oss.md §5.1); both are exercised.
 */
function manager(base: URL | string): SdkManager {
  const configuration = new ApsConfiguration({});
  // The setter is typed URL; a string is what gives single-slash paths (aps-oss.md §5.1 variant 1).
  configuration.BaseAddress = base as URL;
  return SdkManagerBuilder.create()
    .addApsConfiguration(configuration)
    // retryCount is also the breaker's threshold: 1000 consecutive failures before it opens.
    .addResiliencyConfiguration(new ResiliencyConfiguration(1000, 10, 1000, 15000))
    .addLogger(new Logger(LogLevel.ERROR, false))
    .build();
}

async function tokenOf(emulator: RunningEmulator, app: AppEntry, scopes: Scopes[] = ALL_SCOPES): Promise<string> {
  const auth = new AuthenticationClient({ sdkManager: manager(new URL(emulator.url)) });
  const token = await auth.getTwoLeggedToken(app.clientId, app.clientSecret, scopes);
  return token.access_token!;
}

async function ossFor(emulator: RunningEmulator, app: AppEntry, base: URL | string, scopes?: Scopes[]): Promise<OssClient> {
  const token = await tokenOf(emulator, app, scopes);
  return new OssClient({ sdkManager: manager(base), authenticationProvider: new StaticAuthenticationProvider(token) });
}

/** The OssApiError a call rejects with: its status and parsed body. */
async function failure(call: Promise<unknown>): Promise<{ status: number | null | undefined; body: Record<string, unknown>; message: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof OssApiError)) throw error;
    return { status: error.httpStatusCode(), body: (error.axiosError?.response?.data ?? {}) as Record<string, unknown>, message: error.message };
  }
  throw new Error('expected the call to fail');
}

/**
 * Reads `size` bytes of a `downloadObject` stream. The SDK never ends the stream it returns
 * (it pipes each part with `end: false`), so the test stops at the size it expects.
 */
function readBytes(stream: Readable, size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(() => reject(new Error(`only ${total} of ${size} bytes arrived`)), 10_000);
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= size) {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks));
      }
    });
    stream.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('APS OSS dialect with @aps_sdk/oss and @aps_sdk/authentication', () => {
  let emulator: RunningEmulator;
  let owner: OssClient;
  let reader: OssClient;
  let full: OssClient;
  let writer: OssClient;
  let stranger: OssClient;
  const bucket = `sdk-${randomBytes(4).toString('hex')}`;
  const ownerBytes = Buffer.from('bytes uploaded by the owner through a signed S3 URL\n');

  beforeAll(async () => {
    emulator = await startEmulator({ vendor: 'aps-oss' });
    // The owner's client uses a URL base (double slashes on the wire), the others a string base.
    owner = await ossFor(emulator, OWNER, new URL(emulator.url));
    reader = await ossFor(emulator, READER, emulator.url);
    full = await ossFor(emulator, FULL, emulator.url);
    writer = await ossFor(emulator, WRITER, emulator.url);
    stranger = await ossFor(emulator, STRANGER, emulator.url);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('issues a two-legged token with the SDK (Basic auth, form body)', async () => {
    const auth = new AuthenticationClient({ sdkManager: manager(new URL(emulator.url)) });
    const token = await auth.getTwoLeggedToken(OWNER.clientId, OWNER.clientSecret, [Scopes.BucketRead]);
    expect(token.token_type).toBe('Bearer');
    expect(token.expires_in).toBe(3599);
    expect(token.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('refuses a bad client secret with the SDK error', async () => {
    const auth = new AuthenticationClient({ sdkManager: manager(emulator.url) });
    let caught: unknown;
    try {
      await auth.getTwoLeggedToken(OWNER.clientId, 'not-the-secret', [Scopes.BucketRead]);
    } catch (error) {
      caught = error;
    }
    const response = (caught as { axiosError?: { response?: { status: number; data: unknown } } }).axiosError?.response;
    expect(response?.status).toBe(401);
    expect(response?.data).toMatchObject({ errorCode: 'AUTH-001' });
  });

  it('creates a bucket with an allow list; the owner is listed with full access', async () => {
    const allow = [
      { authId: READER.clientId, access: 'read' },
      { authId: FULL.clientId, access: 'full' },
      // `write` is documented (aps-oss.md §2) but not in the SDK's enum; the SDK sends what it is given.
      { authId: WRITER.clientId, access: 'write' },
    ] as unknown as CreateBucketsPayloadAllow[];
    const created = await owner.createBucket(Region.Us, { bucketKey: bucket, policyKey: PolicyKey.Transient, allow });
    expect(created.bucketKey).toBe(bucket);
    expect(created.bucketOwner).toBe(OWNER.clientId);
    expect(created.policyKey).toBe('transient');
    expect(created.permissions).toEqual([
      { authId: OWNER.clientId, access: 'full' },
      { authId: READER.clientId, access: 'read' },
      { authId: FULL.clientId, access: 'full' },
      { authId: WRITER.clientId, access: 'write' },
    ]);
  });

  it('refuses a second bucket with the same key: 409 "Bucket already exists"', async () => {
    const refused = await failure(owner.createBucket(Region.Us, { bucketKey: bucket, policyKey: PolicyKey.Transient }));
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ reason: 'Bucket already exists' });
  });

  it('refuses an invalid bucket key with 400 and a reason', async () => {
    const refused = await failure(owner.createBucket(Region.Us, { bucketKey: 'bucketExamplekey', policyKey: PolicyKey.Transient }));
    expect(refused.status).toBe(400);
    expect(String(refused.body.reason)).toContain('[-_.a-z0-9]{3,128}');
  });

  it('gives bucket details to the owner and a 403 to a granted key and to a stranger', async () => {
    const details = await owner.getBucketDetails(bucket);
    expect(details.bucketKey).toBe(bucket);
    expect(details.bucketOwner).toBe(OWNER.clientId);
    // APS-OWNER-ONLY-API: GET Bucket Details is owner-only.
    expect((await failure(full.getBucketDetails(bucket))).status).toBe(403);
    // APS-STRANGER: an app the bucket does not know.
    const strangerRefusal = await failure(stranger.getBucketDetails(bucket));
    expect(strangerRefusal.status).toBe(403);
    expect(String(strangerRefusal.body.reason)).toContain(STRANGER.clientId);
  });

  it('lists the owner\'s buckets; a granted key may not list buckets', async () => {
    const listed = await owner.getBuckets({ region: Region.Us });
    expect(listed.items.map((b) => b.bucketKey)).toContain(bucket);
    expect(listed.items.find((b) => b.bucketKey === bucket)).toMatchObject({ policyKey: 'transient' });
    expect(typeof listed.items[0]!.createdDate).toBe('number');
    // APS-OWNER-ONLY-API (literal reading): GET Buckets is refused to an app holding a grant.
    expect((await failure(reader.getBuckets())).status).toBe(403);
  });

  it('uploads and downloads through the signed S3 URLs (bytes round-trip)', async () => {
    const uploaded = await owner.uploadObject(bucket, 'dir/owner file.txt', ownerBytes);
    expect(uploaded).toMatchObject({ bucketKey: bucket, objectKey: 'dir/owner file.txt', size: ownerBytes.length, objectId: `urn:adsk.objects:os.object:${bucket}/dir/owner file.txt` });
    const stream = (await owner.downloadObject(bucket, 'dir/owner file.txt')) as Readable;
    expect((await readBytes(stream, ownerBytes.length)).equals(ownerBytes)).toBe(true);
  });

  it('uploads a 12 MiB object in three signed parts and serves the same bytes back', async () => {
    const big = randomBytes(12 * 1024 * 1024);
    const uploaded = await owner.uploadObject(bucket, 'big.bin', big);
    expect(uploaded).toMatchObject({ size: big.length });
    const details = await owner.getObjectDetails(bucket, 'big.bin');
    expect(details.size).toBe(big.length);
    // The SDK's multi-part download pipes parts into one stream without ordering them, so the
    // bytes are checked through the signed URL it would use.
    const signed = await owner.signedS3Download(bucket, 'big.bin');
    expect(signed.status).toBe('complete');
    const fetched = Buffer.from(await (await fetch(signed.url!)).arrayBuffer());
    expect(fetched.equals(big)).toBe(true);
  });

  it('lets a full key upload and read back its own object, not the owner\'s', async () => {
    const own = Buffer.from('the full key\'s own object');
    await full.uploadObject(bucket, 'by-full.txt', own);
    const stream = (await full.downloadObject(bucket, 'by-full.txt')) as Readable;
    expect((await readBytes(stream, own.length)).equals(own)).toBe(true);
    // APS-NO-CROSS-READ: not even a full key downloads what the owner uploaded.
    const refused = await failure(full.downloadObject(bucket, 'dir/owner file.txt'));
    expect(refused.status).toBe(403);
    expect(String(refused.body.reason)).toContain('cannot download');
  });

  it('refuses a read key an upload and a download of the owner\'s object', async () => {
    // APS-READ-NO-WRITE: signeds3upload is refused, and uploadObject rethrows the 403 (aps-oss.md §5.4).
    const upload = await failure(reader.uploadObject(bucket, 'by-reader.txt', Buffer.from('x')));
    expect(upload.status).toBe(403);
    // APS-NO-CROSS-READ / APS-READ-NOTHING-TO-READ: a read key has no objects of its own to read.
    const download = await failure(reader.downloadObject(bucket, 'dir/owner file.txt'));
    expect(download.status).toBe(403);
    expect(download.message).toContain('Request failed with status : 403');
  });

  it('lets a write key upload but not read back what it uploaded', async () => {
    await writer.uploadObject(bucket, 'by-writer.txt', Buffer.from('write-only'));
    // APS-WRITE-NO-READ.
    expect((await failure(writer.downloadObject(bucket, 'by-writer.txt'))).status).toBe(403);
  });

  it('refuses a stranger any object access, but lets it list its own (no) buckets', async () => {
    // APS-STRANGER denies the bucket's objects; GET Buckets is allowed to an app holding no grant.
    expect((await stranger.getBuckets()).items).toEqual([]);
    expect((await failure(stranger.uploadObject(bucket, 'by-stranger.txt', Buffer.from('x')))).status).toBe(403);
    expect((await failure(stranger.downloadObject(bucket, 'dir/owner file.txt'))).status).toBe(403);
  });

  it('lists every object and gives object details to the owner only', async () => {
    const listed = await owner.getObjects(bucket, { limit: 100 });
    expect(listed.items!.map((o) => o.objectKey)).toEqual(['big.bin', 'by-full.txt', 'by-writer.txt', 'dir/owner file.txt']);
    const page = await owner.getObjects(bucket, { limit: 2, beginsWith: 'by-' });
    expect(page.items!.map((o) => o.objectKey)).toEqual(['by-full.txt', 'by-writer.txt']);
    const details = await owner.getObjectDetails(bucket, 'by-full.txt', { _with: With.CreatedDate });
    expect(details).toMatchObject({ objectKey: 'by-full.txt', size: 25 });
    expect(typeof details.createdDate).toBe('number');
    // APS-OWNER-ONLY-API: listing objects and object details are owner-only, even for the object's uploader.
    expect((await failure(full.getObjects(bucket))).status).toBe(403);
    expect((await failure(full.getObjectDetails(bucket, 'by-full.txt'))).status).toBe(403);
  });

  it('surfaces a missing scope and an unknown token as SDK errors', async () => {
    // A token without data:read: the scope-failure status (default 401) with AUTH-010.
    const noRead = await ossFor(emulator, SCOPELESS, emulator.url, [Scopes.BucketRead]);
    const scope = await failure(noRead.getObjects(bucket));
    expect(scope.status).toBe(401);
    expect(scope.body).toMatchObject({ errorCode: 'AUTH-010' });
    const unknown = new OssClient({ sdkManager: manager(emulator.url), authenticationProvider: new StaticAuthenticationProvider('not-a-token') });
    const invalid = await failure(unknown.getBucketDetails(bucket));
    expect(invalid.status).toBe(401);
    expect(invalid.body).toEqual({ developerMessage: 'Access token provided is invalid or expired.', moreInfo: expect.any(String), errorCode: 'AUTH-006' });
  });

  it('deletes objects as the reference allows, then the bucket', async () => {
    // APS-READ-NO-WRITE: a read key cannot delete.
    expect((await failure(reader.deleteObject(bucket, 'by-full.txt'))).status).toBe(403);
    // APS-WRITE-DELETE-OWN: a write key deletes only what it uploaded.
    expect((await failure(writer.deleteObject(bucket, 'by-full.txt'))).status).toBe(403);
    await writer.deleteObject(bucket, 'by-writer.txt');
    // APS-OWNER-READS-ALL: the owner deletes an object a granted key uploaded.
    await owner.deleteObject(bucket, 'by-full.txt');
    expect((await failure(owner.getObjectDetails(bucket, 'by-full.txt'))).status).toBe(404);
    const left = await owner.getObjects(bucket, { limit: 100 });
    expect(left.items!.map((o) => o.objectKey)).toEqual(['big.bin', 'dir/owner file.txt']);
    // APS-NOT-OWNER: a full key cannot delete the bucket.
    expect((await failure(full.deleteBucket(bucket))).status).toBe(403);
    await owner.deleteBucket(bucket);
    expect((await failure(owner.getBucketDetails(bucket))).status).toBe(404);
    // aps-oss.md §1: deleting it again is a 409, "already marked for deletion".
    expect((await failure(owner.deleteBucket(bucket))).status).toBe(409);
  });
});
