/**
 * The APS dialect on the wire, for what the SDKs cannot send: bad client credentials and token
 * requests, unknown and expired tokens, missing scopes (both settings of the scope-failure
 * status), malformed bodies, invalid bucket keys, oversized bodies, unknown routes, `//` paths,
 * `Range` on the signed download URL, expired and tampered signed URLs, part validation, and the
 * grant limit. The clock is the test's, so that expiry needs no waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthorization, tokenRequestBody } from '../../adapters/http/aps-oss/wire.ts';
import { apsDialectFactory } from '../../emulator/aps-oss/index.ts';
import { answerRange } from '../../emulator/aps-oss/ranges.ts';
import { defaultAccounts, type AppEntry } from '../../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';

const apps = defaultAccounts('aps-oss').apps;
const [OWNER, OTHER, STRANGER] = apps as [AppEntry, AppEntry, AppEntry];
const ALL = ['bucket:create', 'bucket:read', 'bucket:delete', 'data:read', 'data:write', 'data:create'];

let skewMs = 0;
const clock = (): Date => new Date(Date.now() + skewMs);

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: S3-style XML, or no body
  }
  return { status: response.status, headers: response.headers, text, json };
}

function tokenRequest(base: string, app: AppEntry, scopes: string[], secret = app.clientSecret): Promise<Reply> {
  return call(`${base}/authentication/v2/token`, {
    method: 'POST',
    headers: { authorization: basicAuthorization(app.clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(scopes),
  });
}

async function tokenFor(base: string, app: AppEntry, scopes = ALL): Promise<string> {
  const reply = await tokenRequest(base, app, scopes);
  expect(reply.status).toBe(200);
  return reply.json.access_token as string;
}

function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

async function createBucket(base: string, token: string, payload: unknown): Promise<Reply> {
  return call(`${base}/oss/v2/buckets`, { method: 'POST', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(payload) });
}

/** Uploads `bytes` in the given part sizes through the signed URL flow, and completes it. */
async function upload(base: string, token: string, bucket: string, object: string, bytes: Buffer, partSizes: number[] = [bytes.length]): Promise<Reply> {
  const path = `${base}/oss/v2/buckets/${bucket}/objects/${encodeURIComponent(object)}/signeds3upload`;
  const urls = await call(`${path}?parts=${partSizes.length}`, { headers: bearer(token) });
  expect(urls.status).toBe(200);
  let offset = 0;
  for (const [i, size] of partSizes.entries()) {
    const put = await fetch((urls.json.urls as string[])[i]!, { method: 'PUT', body: bytes.subarray(offset, offset + size) });
    expect(put.status).toBe(200);
    await put.arrayBuffer();
    offset += size;
  }
  return call(path, { method: 'POST', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify({ uploadKey: urls.json.uploadKey }) });
}

async function downloadUrl(base: string, token: string, bucket: string, object: string, headers: Record<string, string> = {}): Promise<Reply> {
  return call(`${base}/oss/v2/buckets/${bucket}/objects/${encodeURIComponent(object)}/signeds3download`, { headers: bearer(token, headers) });
}

describe('APS OSS dialect on the wire', () => {
  let emulator: RunningEmulator;
  let base: string;
  let owner: string;
  const bucket = 'wire-bucket';
  const eleven = Buffer.from('hello world');

  beforeAll(async () => {
    emulator = await startEmulator({ vendor: 'aps-oss', maxBodyBytes: 64 * 1024, now: clock });
    base = emulator.url;
    owner = await tokenFor(base, OWNER);
    expect((await createBucket(base, owner, { bucketKey: bucket, policyKey: 'persistent', allow: [{ authId: OTHER.clientId, access: 'full' }] })).status).toBe(200);
    expect((await upload(base, owner, bucket, 'eleven.txt', eleven)).status).toBe(200);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('names the base address and the token endpoint in the serve banner', () => {
    const lines = emulator.dialect.describe?.(base) ?? [];
    expect(lines.join('\n')).toContain(`POST ${base}/authentication/v2/token`);
    expect(lines.join('\n')).toContain(OWNER.clientId);
  });

  describe('the token endpoint', () => {
    it('refuses a bad client secret and an unknown client with 401 AUTH-001', async () => {
      const bad = await tokenRequest(base, OWNER, ['data:read'], 'wrong');
      expect(bad.status).toBe(401);
      expect(bad.json).toMatchObject({ errorCode: 'AUTH-001' });
      const unknown = await tokenRequest(base, { clientId: 'nobody', clientSecret: 'x' }, ['data:read']);
      expect(unknown.status).toBe(401);
    });

    it('takes the credentials from the form body too, but not from both places', async () => {
      const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'data:read', client_id: OWNER.clientId, client_secret: OWNER.clientSecret });
      const ok = await call(`${base}/authentication/v2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
      const both = await call(`${base}/authentication/v2/token`, { method: 'POST', headers: { authorization: basicAuthorization(OWNER.clientId, OWNER.clientSecret), 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      expect(both.status).toBe(400);
    });

    it('validates the scope list, the grant type and the content type', async () => {
      const unknownScope = await tokenRequest(base, OWNER, ['data:read', 'bucket:fly']);
      expect(unknownScope.status).toBe(400);
      expect(String(unknownScope.json.developerMessage)).toContain('bucket:fly');
      expect((await tokenRequest(base, OWNER, [])).status).toBe(400);
      const grant = await call(`${base}/authentication/v2/token`, { method: 'POST', headers: { authorization: basicAuthorization(OWNER.clientId, OWNER.clientSecret), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&scope=data:read' });
      expect(grant.status).toBe(400);
      const json = await call(`${base}/authentication/v2/token`, { method: 'POST', headers: { authorization: basicAuthorization(OWNER.clientId, OWNER.clientSecret), 'content-type': 'application/json' }, body: '{}' });
      expect(json.status).toBe(415);
    });
  });

  describe('tokens and scopes on the OSS routes', () => {
    const invalid = { developerMessage: 'Access token provided is invalid or expired.', moreInfo: 'https://aps.autodesk.com/en/docs/oauth/v2/developers_guide/error_handling/', errorCode: 'AUTH-006' };

    it('refuses a missing or unknown token with 401 AUTH-006', async () => {
      const missing = await call(`${base}/oss/v2/buckets/${bucket}/details`);
      expect(missing.status).toBe(401);
      expect(missing.json).toEqual(invalid);
      const unknown = await call(`${base}/oss/v2/buckets/${bucket}/details`, { headers: bearer('made-up') });
      expect(unknown.status).toBe(401);
      expect(unknown.json).toEqual(invalid);
    });

    it('refuses an expired token with 401 AUTH-006', async () => {
      const token = await tokenFor(base, OWNER);
      expect((await call(`${base}/oss/v2/buckets/${bucket}/details`, { headers: bearer(token) })).status).toBe(200);
      skewMs += 3600 * 1000;
      try {
        const expired = await call(`${base}/oss/v2/buckets/${bucket}/details`, { headers: bearer(token) });
        expect(expired.status).toBe(401);
        expect(expired.json).toEqual(invalid);
      } finally {
        skewMs -= 3600 * 1000;
      }
    });

    it('refuses a token without the route\'s scope with 401 AUTH-010 (the default)', async () => {
      const token = await tokenFor(base, OWNER, ['data:read']);
      const refused = await call(`${base}/oss/v2/buckets/${bucket}/details`, { headers: bearer(token) });
      expect(refused.status).toBe(401);
      expect(refused.json).toMatchObject({ errorCode: 'AUTH-010' });
      // Either of data:write and data:create suffices for signeds3upload (aps-oss.md §3 RECOMMENDATION).
      const create = await tokenFor(base, OWNER, ['data:create']);
      expect((await call(`${base}/oss/v2/buckets/${bucket}/objects/x/signeds3upload`, { headers: bearer(create) })).status).toBe(200);
    });

    it('answers 403 AUTH-010 when the dialect is set to', async () => {
      const strict = await startEmulator({ vendor: 'aps-oss', dialect: apsDialectFactory({ scopeFailureStatus: 403 }) });
      try {
        const token = await tokenFor(strict.url, OWNER, ['data:read']);
        const refused = await call(`${strict.url}/oss/v2/buckets`, { headers: bearer(token) });
        expect(refused.status).toBe(403);
        expect(refused.json).toMatchObject({ errorCode: 'AUTH-010' });
      } finally {
        await strict.close();
      }
    });
  });

  describe('malformed requests', () => {
    it('refuses a malformed JSON body for create bucket with 400 and a reason', async () => {
      const reply = await call(`${base}/oss/v2/buckets`, { method: 'POST', headers: bearer(owner, { 'content-type': 'application/json' }), body: '{"bucketKey": "abc",' });
      expect(reply.status).toBe(400);
      expect(String(reply.json.reason)).toContain('not valid JSON');
    });

    it('refuses an invalid bucket key in the path with the documented reason', async () => {
      const reply = await call(`${base}/oss/v2/buckets/Bad_Key/details`, { headers: bearer(owner) });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ reason: "Valid field 'bucketKey' must be of the form  [-_.a-z0-9]{3,128}" });
    });

    it('refuses an invalid limit and an invalid minutesExpiration', async () => {
      expect((await call(`${base}/oss/v2/buckets?limit=0`, { headers: bearer(owner) })).json).toEqual({ reason: 'Invalid limit' });
      expect((await call(`${base}/oss/v2/buckets/${bucket}/objects/eleven.txt/signeds3download?minutesExpiration=61`, { headers: bearer(owner) })).status).toBe(400);
    });

    it('refuses an oversized body with 413 and a JSON reason', async () => {
      const small = await startEmulator({ vendor: 'aps-oss', maxBodyBytes: 1024 });
      try {
        const token = await tokenFor(small.url, OWNER);
        const reply = await createBucket(small.url, token, { bucketKey: 'big-body', padding: 'x'.repeat(4096) });
        expect(reply.status).toBe(413);
        expect(String(reply.json.reason)).toContain('1024 bytes');
        // The emulator still answers afterwards.
        expect((await createBucket(small.url, token, { bucketKey: 'small-body' })).status).toBe(200);
      } finally {
        await small.close();
      }
    });

    it('answers an unknown route with 404 JSON, a wrong method with 405, a batch route with 501', async () => {
      const unknown = await call(`${base}/oss/v3/nothing`, { headers: bearer(owner) });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/json');
      expect(typeof unknown.json.reason).toBe('string');
      const method = await call(`${base}/oss/v2/buckets/${bucket}/details`, { method: 'DELETE', headers: bearer(owner) });
      expect(method.status).toBe(405);
      expect(method.headers.get('allow')).toBe('GET');
      expect((await call(`${base}/oss/v2/buckets/${bucket}/objects/batchsigneds3upload`, { method: 'POST', headers: bearer(owner) })).status).toBe(501);
    });

    it('accepts `//` paths, as the SDK sends with a base address ending in a slash', async () => {
      const token = await call(`${base}//authentication/v2/token`, { method: 'POST', headers: { authorization: basicAuthorization(OWNER.clientId, OWNER.clientSecret), 'content-type': 'application/x-www-form-urlencoded' }, body: tokenRequestBody(ALL) });
      expect(token.status).toBe(200);
      const details = await call(`${base}//oss/v2/buckets//${bucket}/details`, { headers: bearer(token.json.access_token as string) });
      expect(details.status).toBe(200);
      expect(details.json.bucketKey).toBe(bucket);
    });
  });

  describe('buckets', () => {
    it('enforces the grant limit: 60 allow entries pass, 61 are a 400', async () => {
      const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ authId: `app-${i}`, access: 'read' }));
      const sixty = await createBucket(base, await tokenFor(base, STRANGER), { bucketKey: 'sixty-grants', allow: entries(60) });
      expect(sixty.status).toBe(200);
      expect((sixty.json.permissions as unknown[]).length).toBe(61);
      const refused = await createBucket(base, owner, { bucketKey: 'sixty-one-grants', allow: entries(61) });
      expect(refused.status).toBe(400);
      expect(String(refused.json.reason)).toContain('at most 60');
    });

    it('takes the region from `region` over `x-ads-region`, and lists by region', async () => {
      const created = await call(`${base}/oss/v2/buckets`, { method: 'POST', headers: bearer(owner, { 'content-type': 'application/json', region: 'EMEA', 'x-ads-region': 'US' }), body: JSON.stringify({ bucketKey: 'emea-bucket', policyKey: 'transient' }) });
      expect(created.status).toBe(200);
      const emea = await call(`${base}/oss/v2/buckets?region=EMEA`, { headers: bearer(owner) });
      expect((emea.json.items as Array<{ bucketKey: string }>).map((b) => b.bucketKey)).toEqual(['emea-bucket']);
      const us = await call(`${base}/oss/v2/buckets`, { headers: bearer(owner) });
      expect((us.json.items as Array<{ bucketKey: string }>).map((b) => b.bucketKey)).toEqual([bucket]);
    });

    it('pages objects with limit, startAt and a full `next` URL', async () => {
      for (const key of ['p-a', 'p-b', 'p-c']) expect((await upload(base, owner, bucket, key, Buffer.from(key))).status).toBe(200);
      const first = await call(`${base}/oss/v2/buckets/${bucket}/objects?beginsWith=p-&limit=2`, { headers: bearer(owner) });
      expect((first.json.items as Array<{ objectKey: string }>).map((o) => o.objectKey)).toEqual(['p-a', 'p-b']);
      const next = first.json.next as string;
      expect(next.startsWith(`${base}/oss/v2/buckets/${bucket}/objects?`)).toBe(true);
      const second = await call(next, { headers: bearer(owner) });
      expect((second.json.items as Array<{ objectKey: string }>).map((o) => o.objectKey)).toEqual(['p-c']);
      expect(second.json.next).toBeUndefined();
    });
  });

  describe('the signed download URL', () => {
    it('serves the whole object, and 206 for a range', async () => {
      const url = (await downloadUrl(base, owner, bucket, 'eleven.txt')).json.url as string;
      expect(url.startsWith(`${base}/_s3/download/`)).toBe(true);
      const whole = await call(url);
      expect(whole.status).toBe(200);
      expect(whole.text).toBe('hello world');
      const middle = await call(url, { headers: { range: 'bytes=2-4' } });
      expect(middle.status).toBe(206);
      expect(middle.text).toBe('llo');
      expect(middle.headers.get('content-range')).toBe('bytes 2-4/11');
      const suffix = await call(url, { headers: { range: 'bytes=-5' } });
      expect(suffix.text).toBe('world');
    });

    it('clamps a range end past the object, as the SDK asks for `bytes=0-<size>`', async () => {
      const url = (await downloadUrl(base, owner, bucket, 'eleven.txt')).json.url as string;
      const clamped = await call(url, { headers: { range: 'bytes=0-11' } });
      expect(clamped.status).toBe(206);
      expect(clamped.text).toBe('hello world');
      expect(clamped.headers.get('content-range')).toBe('bytes 0-10/11');
      expect((await call(url, { headers: { range: 'bytes=6-5242880' } })).text).toBe('world');
    });

    it('answers an unsatisfiable range with 416 and `bytes */size`', async () => {
      const url = (await downloadUrl(base, owner, bucket, 'eleven.txt')).json.url as string;
      const beyond = await call(url, { headers: { range: 'bytes=11-20' } });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get('content-range')).toBe('bytes */11');
      expect(beyond.text).toContain('<Code>InvalidRange</Code>');
    });

    it('answers 304 only when If-None-Match names the object, not for the SDK\'s request id', async () => {
      const signed = await downloadUrl(base, owner, bucket, 'eleven.txt');
      expect((await downloadUrl(base, owner, bucket, 'eleven.txt', { 'if-none-match': `"${signed.json.sha1 as string}"` })).status).toBe(304);
      const sdkLike = await downloadUrl(base, owner, bucket, 'eleven.txt', { 'if-none-match': '0.123456:wire-bucket%2Feleven.txt' });
      expect(sdkLike.status).toBe(200);
      expect(sdkLike.json.status).toBe('complete');
    });

    it('keeps serving the bytes it signed after the object is overwritten', async () => {
      expect((await upload(base, owner, bucket, 'changing.txt', Buffer.from('first'))).status).toBe(200);
      const url = (await downloadUrl(base, owner, bucket, 'changing.txt')).json.url as string;
      expect((await upload(base, owner, bucket, 'changing.txt', Buffer.from('second'))).status).toBe(200);
      expect((await call(url)).text).toBe('first');
    });

    it('refuses an expired URL and a tampered one with an S3-style 403', async () => {
      const url = (await downloadUrl(base, owner, bucket, 'eleven.txt', {})).json.url as string;
      const tampered = url.replace(/X-Signature=([0-9a-f])/, (_, c: string) => `X-Signature=${c === '0' ? '1' : '0'}`);
      const badSignature = await call(tampered);
      expect(badSignature.status).toBe(403);
      expect(badSignature.text).toContain('<Code>SignatureDoesNotMatch</Code>');
      const longer = url.replace(/X-Expires=(\d+)/, (_, e: string) => `X-Expires=${Number(e) + 3_600_000}`);
      expect((await call(longer)).status).toBe(403);
      skewMs += 3 * 60 * 1000;
      try {
        const expired = await call(url);
        expect(expired.status).toBe(403);
        expect(expired.text).toContain('Request has expired');
      } finally {
        skewMs -= 3 * 60 * 1000;
      }
    });
  });

  it('keeps a started download alive past its URL\'s expiry while parts keep coming, then lets it lapse', async () => {
    const url = (await downloadUrl(base, owner, bucket, 'eleven.txt')).json.url as string;
    const at = async (minutes: number): Promise<number> => {
      skewMs = minutes * 60_000;
      try {
        return (await call(url, { headers: { range: 'bytes=0-3' } })).status;
      } finally {
        skewMs = 0;
      }
    };
    // The URL expires after 2 minutes; each request keeps a started download alive 2 more minutes.
    expect(await at(0)).toBe(206);
    expect(await at(1.5)).toBe(206);
    expect(await at(3)).toBe(206);
    expect(await at(8)).toBe(403);
  });

  describe('the signed upload flow', () => {
    it('refuses a PUT to an expired or tampered upload URL', async () => {
      const urls = await call(`${base}/oss/v2/buckets/${bucket}/objects/late.txt/signeds3upload?minutesExpiration=1`, { headers: bearer(owner) });
      const url = (urls.json.urls as string[])[0]!;
      expect((await call(url.replace('/1?', '/2?'), { method: 'PUT', body: 'x' })).status).toBe(403);
      skewMs += 2 * 60 * 1000;
      try {
        const expired = await call(url, { method: 'PUT', body: 'x' });
        expect(expired.status).toBe(403);
      } finally {
        skewMs -= 2 * 60 * 1000;
      }
      // Fresh URLs for the same upload (aps-oss.md §1.2: "re-request URLs with the same `uploadKey`").
      const again = await call(`${base}/oss/v2/buckets/${bucket}/objects/late.txt/signeds3upload?uploadKey=${urls.json.uploadKey as string}`, { headers: bearer(owner) });
      expect(again.json.uploadKey).toBe(urls.json.uploadKey);
      expect((await call((again.json.urls as string[])[0]!, { method: 'PUT', body: 'on time' })).status).toBe(200);
      const done = await call(`${base}/oss/v2/buckets/${bucket}/objects/late.txt/signeds3upload`, { method: 'POST', headers: bearer(owner, { 'content-type': 'application/json' }), body: JSON.stringify({ uploadKey: urls.json.uploadKey }) });
      expect(done.status).toBe(200);
      expect(done.json.size).toBe(7);
    });

    it('reports a missing part as Pending, and refuses an unknown uploadKey', async () => {
      const urls = await call(`${base}/oss/v2/buckets/${bucket}/objects/gap.bin/signeds3upload?parts=2`, { headers: bearer(owner) });
      expect((await call((urls.json.urls as string[])[1]!, { method: 'PUT', body: 'second only' })).status).toBe(200);
      const complete = await call(`${base}/oss/v2/buckets/${bucket}/objects/gap.bin/signeds3upload`, { method: 'POST', headers: bearer(owner, { 'content-type': 'application/json' }), body: JSON.stringify({ uploadKey: urls.json.uploadKey }) });
      expect(complete.status).toBe(400);
      expect(complete.json).toMatchObject({ status: 'error', parts: [{ part: 1, status: 'Pending' }, { part: 2, status: 'Ok' }] });
      const unknown = await call(`${base}/oss/v2/buckets/${bucket}/objects/gap.bin/signeds3upload`, { method: 'POST', headers: bearer(owner, { 'content-type': 'application/json' }), body: JSON.stringify({ uploadKey: 'nope' }) });
      expect(unknown.status).toBe(400);
    });

    it('makes the completed object the uploading app\'s: a full key reads its own, not the owner\'s', async () => {
      const other = await tokenFor(base, OTHER);
      expect((await upload(base, other, bucket, 'by-other.txt', Buffer.from('mine'))).status).toBe(200);
      expect((await downloadUrl(base, other, bucket, 'by-other.txt')).status).toBe(200);
      const refused = await downloadUrl(base, other, bucket, 'eleven.txt');
      expect(refused.status).toBe(403);
      expect(typeof refused.json.reason).toBe('string');
    });
  });
});

describe('answerRange', () => {
  it('clamps ends, ignores what does not parse, and refuses starts past the end', () => {
    expect(answerRange('bytes=0-5', 5)).toEqual({ kind: 'partial', start: 0, end: 4 });
    expect(answerRange('bytes=3-', 5)).toEqual({ kind: 'partial', start: 3, end: 4 });
    expect(answerRange('bytes=5-9', 5)).toEqual({ kind: 'unsatisfiable' });
    expect(answerRange('bytes=4-2', 5)).toEqual({ kind: 'full' });
    expect(answerRange('bytes=0-1,3-4', 5)).toEqual({ kind: 'full' });
    expect(answerRange('items=0-1', 5)).toEqual({ kind: 'full' });
    expect(answerRange('bytes=-0', 5)).toEqual({ kind: 'unsatisfiable' });
  });
});
