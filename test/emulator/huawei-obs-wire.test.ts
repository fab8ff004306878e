/**
 * The OBS dialect on the wire, for what the SDK cannot send: raw HTTP signed with
 * `adapters/http/huawei-obs/signing.ts` (bad signatures, unknown keys, skewed dates, malformed
 * headers and bodies, oversized bodies, unknown routes, the error XML and headers, the source
 * IP condition), and the signing functions against the worked examples.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalHeaders,
  canonicalResource,
  formatAuthorization,
  parseAuthorization,
  requestStringToSign,
  signature,
  signedSubresources,
  signRequest,
  stringToSign,
  type ObsSignatureKind,
} from '../../adapters/http/huawei-obs/signing.ts';
import { evaluate } from '../../adapters/reference/huawei-obs/evaluate.ts';
import { loadObsWorld } from '../../adapters/reference/huawei-obs/evaluator.ts';
import { DOCUMENTED_OBS_SEMANTICS } from '../../adapters/reference/huawei-obs/semantics.ts';
import { applyEffect } from '../../adapters/reference/huawei-obs/store.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import type { ObsRequest } from '../../model/huawei-obs/types.ts';

const OWNER = { id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', accessKeyId: 'EMUOBSOWNER0000000001', secretAccessKey: 'emu-obs-owner-secret' };
const OTHER = { id: '9f8e7d6c5b4a39281706f5e4d3c2b1a0', accessKeyId: 'EMUOBSOTHER0000000001', secretAccessKey: 'emu-obs-other-secret' };
/** The emulator's fixed clock: dates are signed relative to it. */
const NOW = new Date('2026-03-01T12:00:00Z');

describe('signing.ts', () => {
  // AWS S3 REST authentication examples (the V2 algorithm OBS accepts, vendor notes §6.2, O21): secret, string-to-sign, signature.
  const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  it('reproduces the AWS V2 worked examples', () => {
    const get = requestStringToSign({ method: 'GET', headers: { Host: 'johnsmith.s3.amazonaws.com', Date: 'Tue, 27 Mar 2007 19:36:42 +0000' }, rawPath: '/photos/puppy.jpg', rawQuery: '', virtualHostBucket: 'johnsmith' }, 'aws');
    expect(get).toBe('GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg');
    expect(signature(AWS_SECRET, get)).toBe('bWq2s1WEIj+Ydj0vQ697zp+IXMU=');
    const put = requestStringToSign({ method: 'PUT', headers: { 'Content-Type': 'image/jpeg', 'Content-Length': '94328', Date: 'Tue, 27 Mar 2007 21:15:45 +0000' }, rawPath: '/photos/puppy.jpg', rawQuery: '', virtualHostBucket: 'johnsmith' }, 'aws');
    expect(signature(AWS_SECRET, put)).toBe('MyyxeRY7whkBe+bq8fHCL/2kKUg=');
    // prefix and max-keys are not sub-resources; acl is.
    const list = requestStringToSign({ method: 'GET', headers: { Date: 'Tue, 27 Mar 2007 19:42:41 +0000' }, rawPath: '/', rawQuery: 'prefix=photos&max-keys=50&marker=puppy', virtualHostBucket: 'johnsmith' }, 'aws');
    expect(signature(AWS_SECRET, list)).toBe('htDYFYduRNen8P9ZfE/s9SuKy0U=');
    const acl = requestStringToSign({ method: 'GET', headers: { Date: 'Tue, 27 Mar 2007 19:44:46 +0000' }, rawPath: '/', rawQuery: 'acl', virtualHostBucket: 'johnsmith' }, 'aws');
    expect(signature(AWS_SECRET, acl)).toBe('c2WLPFtWHVgbEmeEG93a4cG37dM=');
  });

  it('builds the string-to-sign of O19\'s example and the canonical resources of vendor notes §6.3', () => {
    // O19: GET /object.txt, Host bucket.obs.cn-north-4.myhuaweicloud.com, Date Sat, 12 Oct 2015 08:12:38 GMT.
    expect(requestStringToSign({ method: 'GET', headers: { Host: 'bucket.obs.cn-north-4.myhuaweicloud.com', Date: 'Sat, 12 Oct 2015 08:12:38 GMT' }, rawPath: '/object.txt', rawQuery: '', virtualHostBucket: 'bucket' }, 'obs'))
      .toBe('GET\n\n\nSat, 12 Oct 2015 08:12:38 GMT\n/bucket/object.txt');
    // §6.3: path style has no trailing slash after the bucket; virtual host has one; keys stay percent-encoded.
    expect(canonicalResource('/mybucket', 'policy')).toBe('/mybucket?policy');
    expect(canonicalResource('/', 'policy', 'mybucket')).toBe('/mybucket/?policy');
    expect(canonicalResource('/mybucket', 'prefix=dir/&marker=dir/0&max-keys=100&delimiter=/')).toBe('/mybucket');
    expect(canonicalResource('/', '', 'mybucket')).toBe('/mybucket/');
    expect(canonicalResource('/mybucket/dir/hello%20world%2B%C3%BC.txt', '')).toBe('/mybucket/dir/hello%20world%2B%C3%BC.txt');
    // Sorted, decoded values, response-* kept (§6.3).
    expect(signedSubresources('versionId=a%2Fb&acl&response-content-type=text%2Fplain&foo=1')).toBe('?acl&response-content-type=text/plain&versionId=a/b');
    expect(signedSubresources('prefix=a')).toBe('');
  });

  it('canonicalises the prefixed headers, and an x-obs-date empties the Date line', () => {
    const headers = { 'X-OBS-Meta-B': ' two ', 'x-obs-acl': 'public-read', 'x-obs-meta-a': ['1', '2'], 'x-amz-acl': 'private', 'Content-Type': 'text/plain' };
    expect(canonicalHeaders(headers, 'obs')).toBe('x-obs-acl:public-read\nx-obs-meta-a:1,2\nx-obs-meta-b:two\n');
    expect(canonicalHeaders(headers, 'aws')).toBe('x-amz-acl:private\n');
    expect(stringToSign({ method: 'PUT', contentType: 'text/plain', date: 'Sat, 12 Oct 2015 08:12:38 GMT', canonicalHeaders: 'x-obs-date:Sat, 12 Oct 2015 08:12:38 GMT\n', canonicalResource: '/b/k' }))
      .toBe('PUT\n\ntext/plain\n\nx-obs-date:Sat, 12 Oct 2015 08:12:38 GMT\n/b/k');
  });

  it('parses and formats Authorization headers', () => {
    expect(parseAuthorization('OBS AK1:c2ln/+=')).toEqual({ kind: 'obs', accessKeyId: 'AK1', signature: 'c2ln/+=' });
    expect(parseAuthorization('AWS AK1:sig')).toEqual({ kind: 'aws', accessKeyId: 'AK1', signature: 'sig' });
    expect(formatAuthorization({ kind: 'obs', accessKeyId: 'AK1', signature: 'c2ln' })).toBe('OBS AK1:c2ln');
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=AK/20260301/r/s3/aws4_request')).toMatchObject({ kind: 'error', reason: 'unsupported' });
    for (const bad of ['OBS', 'OBS AK1', 'OBS :sig', 'OBS AK1:', 'OBS AK 1:sig']) expect(parseAuthorization(bad)).toMatchObject({ kind: 'error', reason: 'malformed' });
  });

  it('signRequest adds Date, the security token and Authorization, and its signature verifies', () => {
    const headers = signRequest({ method: 'GET', headers: {}, rawPath: '/b', rawQuery: 'acl' }, 'obs', { accessKeyId: 'AK', secretAccessKey: 'SK', securityToken: 'T' }, NOW);
    expect(headers['Date']).toBe(NOW.toUTCString());
    expect(headers['x-obs-security-token']).toBe('T');
    const toSign = `GET\n\n\n${NOW.toUTCString()}\nx-obs-security-token:T\n/b?acl`;
    expect(headers['Authorization']).toBe(`OBS AK:${signature('SK', toSign)}`);
  });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Send {
  method: string;
  /** The raw path and query as sent. */
  path: string;
  query?: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sign with this key and kind; the bucket of a virtual-host Host must be given too. */
  sign?: { kind: ObsSignatureKind; key: { accessKeyId: string; secretAccessKey: string }; date?: Date; virtualHostBucket?: string };
}

const xml = new XMLParser({ parseTagValue: false });

function send(emulator: RunningEmulator, options: Send): Promise<Reply> {
  const query = options.query ?? '';
  let headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.sign !== undefined) {
    const s = options.sign;
    headers = signRequest({ method: options.method, headers, rawPath: options.path, rawQuery: query, ...(s.virtualHostBucket === undefined ? {} : { virtualHostBucket: s.virtualHostBucket }) }, s.kind, s.key, s.date ?? NOW);
  }
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  if (body !== undefined) headers['Content-Length'] = String(body.length);
  headers['Host'] = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: emulator.port, method: options.method, path: options.path + (query === '' ? '' : `?${query}`), headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The `<Error>` fields of a reply. */
function error(reply: Reply): Record<string, string> {
  return (xml.parse(reply.body) as { Error: Record<string, string> }).Error;
}

const obs = (key = OWNER, date?: Date) => ({ kind: 'obs' as const, key, ...(date === undefined ? {} : { date }) });
const aws = (key = OWNER, date?: Date) => ({ kind: 'aws' as const, key, ...(date === undefined ? {} : { date }) });

describe('the OBS dialect on the wire', () => {
  let emulator: RunningEmulator;
  let small: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ vendor: 'huawei-obs', now: () => NOW });
    small = await startEmulator({ vendor: 'huawei-obs', now: () => NOW, maxBodyBytes: 1024 });
    for (const e of [emulator, small]) expect((await send(e, { method: 'PUT', path: '/wire', sign: obs() })).status).toBe(200);
    expect((await send(emulator, { method: 'PUT', path: '/wire/a.txt', body: 'A', sign: obs() })).status).toBe(200);
  });

  afterAll(async () => {
    await emulator.close();
    await small.close();
  });

  it('answers the negotiation unsigned: 200 with x-obs-api 3.0 for the server and an existing bucket, 404 otherwise', async () => {
    const root = await send(emulator, { method: 'HEAD', path: '/', query: 'apiversion', host: 'obs.test' });
    expect(root.status).toBe(200);
    expect(root.headers['x-obs-api']).toBe('3.0');
    const bucket = await send(emulator, { method: 'HEAD', path: '/', query: 'apiversion', host: 'wire.obs.test' });
    expect(bucket.status).toBe(200);
    expect(bucket.headers['x-obs-api']).toBe('3.0');
    const missing = await send(emulator, { method: 'HEAD', path: '/', query: 'apiversion', host: 'missing.obs.test' });
    expect(missing.status).toBe(404);
    expect(missing.headers['x-obs-error-code']).toBe('NoSuchBucket');
    expect(missing.body).toBe('');
  });

  it('serves virtual-host requests signed over /<bucket>/...', async () => {
    const reply = await send(emulator, { method: 'GET', path: '/a.txt', host: 'wire.obs.test', sign: { ...obs(), virtualHostBucket: 'wire' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('A');
    // The same request signed as path style does not verify.
    const wrong = await send(emulator, { method: 'GET', path: '/a.txt', host: 'wire.obs.test', sign: obs() });
    expect(wrong.status).toBe(403);
    expect(error(wrong).Code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a bad signature with the error XML and headers of vendor notes §6.4', async () => {
    const reply = await send(emulator, { method: 'GET', path: '/wire/a.txt', sign: obs({ ...OWNER, secretAccessKey: 'wrong' }) });
    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('application/xml');
    expect(reply.headers['server']).toBe('OBS');
    expect(reply.headers['x-obs-error-code']).toBe('SignatureDoesNotMatch');
    expect(reply.headers['x-amz-request-id']).toBeUndefined();
    const e = error(reply);
    expect(e.Code).toBe('SignatureDoesNotMatch');
    expect(e.Message).not.toBe('');
    expect(e.RequestId).toBe(reply.headers['x-obs-request-id']);
    expect(e.HostId).toBe(reply.headers['x-obs-id-2']);
    expect(e.Resource).toBe('/wire/a.txt');
    expect(e.StringToSign).toBe(`GET\n\n\n${NOW.toUTCString()}\n/wire/a.txt`);
    expect(reply.body.startsWith('<?xml version="1.0" encoding="UTF-8"?><Error>')).toBe(true);
  });

  it('answers AWS V2 requests with x-amz-* headers', async () => {
    const ok = await send(emulator, { method: 'GET', path: '/wire/a.txt', sign: aws() });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-amz-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(ok.headers['x-obs-request-id']).toBeUndefined();
    const bad = await send(emulator, { method: 'GET', path: '/wire/a.txt', sign: aws({ ...OWNER, secretAccessKey: 'wrong' }) });
    expect(bad.status).toBe(403);
    expect(bad.headers['x-amz-error-code']).toBe('SignatureDoesNotMatch');
    expect(error(bad).RequestId).toBe(bad.headers['x-amz-request-id']);
    // An OBS-signed request whose x-amz-* header is not signed in OBS mode still verifies: only x-obs-* headers are canonical.
    const mixed = await send(emulator, { method: 'GET', path: '/wire/a.txt', headers: { 'x-amz-meta-x': '1' }, sign: obs() });
    expect(mixed.status).toBe(200);
  });

  it('refuses an unknown key, a skewed date, a missing date and malformed Authorization headers', async () => {
    const unknown = await send(emulator, { method: 'GET', path: '/wire/a.txt', sign: obs({ accessKeyId: 'NOSUCHKEY', secretAccessKey: 'x', id: '' }) });
    expect(unknown.status).toBe(403);
    expect(error(unknown).Code).toBe('InvalidAccessKeyId');

    // Vendor notes §6.1: more than 15 minutes off is RequestTimeTooSkewed; 14 minutes is fine.
    const skewed = await send(emulator, { method: 'GET', path: '/wire/a.txt', sign: obs(OWNER, new Date(NOW.getTime() - 16 * 60_000)) });
    expect(skewed.status).toBe(403);
    expect(error(skewed).Code).toBe('RequestTimeTooSkewed');
    const ahead = await send(emulator, { method: 'GET', path: '/wire/a.txt', sign: aws(OWNER, new Date(NOW.getTime() + 16 * 60_000)) });
    expect(error(ahead).Code).toBe('RequestTimeTooSkewed');
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt', sign: obs(OWNER, new Date(NOW.getTime() - 14 * 60_000)) })).status).toBe(200);

    // x-obs-date replaces Date (and empties the Date line of the string-to-sign, O19).
    const withObsDate = await send(emulator, { method: 'GET', path: '/wire/a.txt', headers: { 'x-obs-date': NOW.toUTCString() }, sign: obs() });
    expect(withObsDate.status).toBe(200);

    // No date at all.
    const toSign = `GET\n\n\n\n/wire/a.txt`;
    const noDate = await send(emulator, { method: 'GET', path: '/wire/a.txt', headers: { Authorization: `OBS ${OWNER.accessKeyId}:${signature(OWNER.secretAccessKey, toSign)}` } });
    expect(noDate.status).toBe(403);
    expect(error(noDate).Code).toBe('AccessDenied');

    for (const header of ['OBS', `OBS ${OWNER.accessKeyId}`, 'OBS :abc', 'AWS4-HMAC-SHA256 Credential=x', 'Bearer token']) {
      const reply = await send(emulator, { method: 'GET', path: '/wire/a.txt', headers: { Authorization: header, Date: NOW.toUTCString() } });
      expect(reply.status).toBe(400);
      expect(error(reply).Code).toBe('InvalidArgument');
    }
  });

  it('lets anonymous requests through to the evaluator', async () => {
    const denied = await send(emulator, { method: 'GET', path: '/wire/a.txt' });
    expect(denied.status).toBe(403);
    expect(error(denied).Code).toBe('AccessDenied');
    // Both request-id headers: the dialect of an anonymous caller is unknown.
    expect(denied.headers['x-obs-request-id']).toBe(denied.headers['x-amz-request-id']);
  });

  it('decides the SourceIp, Referer and UserAgent conditions with the request\'s values', async () => {
    const put = (policy: unknown) => send(emulator, { method: 'PUT', path: '/wire', query: 'policy', body: JSON.stringify(policy), headers: { 'Content-Type': 'application/json' }, sign: obs() });
    const allowFrom = (cidr: string) => ({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'wire/*', Condition: { IpAddress: { SourceIp: cidr } } }] });
    expect((await put(allowFrom('127.0.0.1/32'))).status).toBe(204);
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt' })).status).toBe(200);
    expect((await put(allowFrom('10.0.0.0/8'))).status).toBe(204);
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt' })).status).toBe(403);

    const referer = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'wire/*', Condition: { StringLike: { Referer: 'http://ok.example/*' }, StringEquals: { UserAgent: 'wire-test' } } }] };
    expect((await put(referer)).status).toBe(204);
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt', headers: { Referer: 'http://ok.example/page', 'User-Agent': 'wire-test' } })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt', headers: { Referer: 'http://bad.example/page', 'User-Agent': 'wire-test' } })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt', headers: { Referer: 'http://ok.example/page', 'User-Agent': 'other' } })).status).toBe(403);
    expect((await send(emulator, { method: 'DELETE', path: '/wire', query: 'policy', sign: obs() })).status).toBe(204);
  });

  it('refuses malformed policy JSON and malformed ACL XML', async () => {
    const policy = await send(emulator, { method: 'PUT', path: '/wire', query: 'policy', body: '{"Statement":', sign: obs() });
    expect(policy.status).toBe(400);
    expect(error(policy).Code).toBe('MalformedPolicy');
    const notUtf8 = await send(emulator, { method: 'PUT', path: '/wire', query: 'policy', body: Buffer.from([0x7b, 0xff, 0x7d]), sign: obs() });
    expect(error(notUtf8).Code).toBe('MalformedPolicy');

    const broken = await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', body: '<AccessControlPolicy><Owner>', sign: obs() });
    expect(broken.status).toBe(400);
    expect(error(broken).Code).toBe('MalformedXML');
    const wrongRoot = await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', body: '<Policy/>', sign: obs() });
    expect(wrongRoot.status).toBe(400);
    expect(error(wrongRoot).Code).toBe('MalformedACLError');
    const noGrantee = await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', body: '<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>', sign: obs() });
    expect(error(noGrantee).Code).toBe('MalformedACLError');
    const grants = Array.from({ length: 101 }, (_, i) => `<Grant><Grantee><ID>acct${i}</ID></Grantee><Permission>READ</Permission></Grant>`).join('');
    const tooMany = await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', body: `<AccessControlPolicy><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`, sign: obs() });
    expect(error(tooMany).Code).toBe('MalformedACLError');
    const unknownCanned = await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', headers: { 'x-obs-acl': 'public-everything' }, sign: obs() });
    expect(unknownCanned.status).toBe(400);
    expect(error(unknownCanned).Code).toBe('InvalidArgument');
    const noAcl = await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', sign: obs() });
    expect(error(noAcl).Code).toBe('MalformedACLError');
  });

  it('reads and writes the OBS ACL shape (Canned, Delivered) and grant headers', async () => {
    const body = `<AccessControlPolicy><Owner><ID>${OWNER.id}</ID></Owner><AccessControlList>`
      + `<Grant><Grantee><ID>${OWNER.id}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>`
      + '<Grant><Grantee><Canned>Everyone</Canned></Grantee><Permission>READ</Permission><Delivered>true</Delivered></Grant>'
      + '</AccessControlList></AccessControlPolicy>';
    expect((await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', body, sign: obs() })).status).toBe(200);
    const got = await send(emulator, { method: 'GET', path: '/wire', query: 'acl', sign: obs() });
    expect(got.body).toContain('<Grantee><Canned>Everyone</Canned></Grantee><Permission>READ</Permission><Delivered>true</Delivered>');
    const s3 = await send(emulator, { method: 'GET', path: '/wire', query: 'acl', sign: aws() });
    expect(s3.body).toContain('xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission>');

    const headers = await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', headers: { 'x-obs-grant-read': `id=${OTHER.id}` }, sign: obs() });
    expect(headers.status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/wire', sign: obs(OTHER) })).status).toBe(200);
    expect((await send(emulator, { method: 'PUT', path: '/wire', query: 'acl', headers: { 'x-obs-acl': 'private' }, sign: obs() })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/wire', sign: obs(OTHER) })).status).toBe(403);
  });

  it('refuses an oversized body with 400 EntityTooLarge in the OBS format', async () => {
    const reply = await send(small, { method: 'PUT', path: '/wire/big.bin', body: Buffer.alloc(4096, 1), sign: obs() });
    expect(reply.status).toBe(400);
    expect(error(reply).Code).toBe('EntityTooLarge');
    expect(reply.headers['x-obs-error-code']).toBe('EntityTooLarge');
    expect((await send(small, { method: 'PUT', path: '/wire/ok.bin', body: Buffer.alloc(512, 1), sign: obs() })).status).toBe(200);
  });

  it('answers unknown routes and bad input with clean 4xx', async () => {
    for (const [method, path, query] of [['PUT', '/wire', 'versioning'], ['GET', '/wire', 'cors'], ['DELETE', '/wire', 'logging'], ['POST', '/wire/a.txt', ''], ['POST', '/wire/a.txt', 'uploads'], ['DELETE', '/wire/a.txt', 'acl'], ['PATCH', '/wire', ''], ['POST', '/', '']] as const) {
      const reply = await send(emulator, { method, path, query, sign: obs() });
      expect(reply.status, `${method} ${path}?${query}`).toBe(405);
      expect(error(reply).Code).toBe('MethodNotAllowed');
    }
    const badPath = await send(emulator, { method: 'GET', path: '/wire/%E0%A4%A', sign: obs() });
    expect(badPath.status).toBe(400);
    const badMaxKeys = await send(emulator, { method: 'GET', path: '/wire', query: 'max-keys=lots', sign: obs() });
    expect(badMaxKeys.status).toBe(400);
    expect(error(badMaxKeys).Code).toBe('InvalidArgument');
    const badXml = await send(emulator, { method: 'PUT', path: '/newbucket', body: '<CreateBucketConfiguration>', sign: obs() });
    expect(error(badXml).Code).toBe('MalformedXML');
    const missing = await send(emulator, { method: 'HEAD', path: '/wire/none.txt', sign: obs() });
    expect(missing.status).toBe(404);
    expect(missing.headers['x-obs-error-code']).toBe('NoSuchKey');
    expect(missing.body).toBe('');
    // The server is still up.
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt', sign: obs() })).status).toBe(200);
  });

  it('serves byte ranges: 206 with Content-Range, open, suffix and OBS\'s start-only forms, 416 InvalidRange past the end', async () => {
    expect((await send(emulator, { method: 'PUT', path: '/wire/range.txt', body: '0123456789', sign: obs() })).status).toBe(200);
    const etag = `"${createHash('md5').update('0123456789').digest('hex')}"`;
    const get = (range: string, method = 'GET') => send(emulator, { method, path: '/wire/range.txt', headers: { Range: range }, sign: obs() });
    const cases: Array<[string, string, string]> = [
      ['bytes=2-5', '2345', 'bytes 2-5/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=8-100', '89', 'bytes 8-9/10'],
      ['bytes=-50', '0123456789', 'bytes 0-9/10'],
      ['bytes=0-0', '0', 'bytes 0-0/10'],
      // obs_04_0083, "Example 2: bytes=1024": the start alone reads to the end.
      ['bytes=6', '6789', 'bytes 6-9/10'],
      ['BYTES = 1 - 2', '12', 'bytes 1-2/10'],
    ];
    for (const [range, body, contentRange] of cases) {
      const reply = await get(range);
      expect([range, reply.status, reply.body, reply.headers['content-range'], reply.headers['content-length']]).toEqual([range, 206, body, contentRange, String(body.length)]);
      // obs_04_0083: with a Range, the ETag is the whole object's.
      expect(reply.headers['etag']).toBe(etag);
    }
    // A HEAD with a Range answers the same headers, no body.
    const head = await get('bytes=2-5', 'HEAD');
    expect([head.status, head.body, head.headers['content-range'], head.headers['content-length']]).toEqual([206, '', 'bytes 2-5/10', '4']);

    // "If the parameter value is invalid, the entire object is obtained" (obs_04_0083); several ranges are served whole too.
    for (const range of ['bytes=5-2', 'bytes=', 'bytes=-', 'items=0-1', 'bytes=a-b', 'bytes=0-1,4-5', '0-4']) {
      const reply = await get(range);
      expect([range, reply.status, reply.body, reply.headers['content-range']]).toEqual([range, 200, '0123456789', undefined]);
    }

    // Error codes (O18): InvalidRange 416, in the OBS error XML, with Content-Range `bytes */<size>`.
    for (const range of ['bytes=10-', 'bytes=10-20', 'bytes=99', 'bytes=-0']) {
      const reply = await get(range);
      expect([range, reply.status, reply.headers['x-obs-error-code'], reply.headers['content-range'], reply.headers['content-type']]).toEqual([range, 416, 'InvalidRange', 'bytes */10', 'application/xml']);
      expect(error(reply)).toMatchObject({ Code: 'InvalidRange', Resource: '/wire/range.txt', RequestId: reply.headers['x-obs-request-id'] });
    }
    const headPast = await get('bytes=10-', 'HEAD');
    expect([headPast.status, headPast.body, headPast.headers['x-obs-error-code']]).toEqual([416, '', 'InvalidRange']);
    // Every range of an empty object is unsatisfiable; without a Range it is an empty 200.
    expect((await send(emulator, { method: 'PUT', path: '/wire/empty.txt', body: '', sign: obs() })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/wire/empty.txt', headers: { Range: 'bytes=-1' }, sign: obs() })).status).toBe(416);
    expect((await send(emulator, { method: 'GET', path: '/wire/empty.txt', headers: { Range: 'bytes=0-' }, sign: obs() })).status).toBe(416);
    expect((await send(emulator, { method: 'GET', path: '/wire/empty.txt', sign: obs() })).status).toBe(200);

    // The access check comes first: a stranger's ranged read is 403, a missing key 404, whatever the Range.
    const stranger = await send(emulator, { method: 'GET', path: '/wire/range.txt', headers: { Range: 'bytes=99-' }, sign: obs(OTHER) });
    expect([stranger.status, error(stranger).Code]).toEqual([403, 'AccessDenied']);
    const missing = await send(emulator, { method: 'GET', path: '/wire/nothing.txt', headers: { Range: 'bytes=0-1' }, sign: obs() });
    expect([missing.status, error(missing).Code]).toEqual([404, 'NoSuchKey']);
  });

  it('records the uploader as the object owner but decides object reads by the bucket policy and ACL alone (README "Object owners")', async () => {
    expect((await send(emulator, { method: 'PUT', path: '/owners', sign: obs() })).status).toBe(200);
    const policy = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'PutObject', Resource: 'owners/*' }] };
    expect((await send(emulator, { method: 'PUT', path: '/owners', query: 'policy', body: JSON.stringify(policy), sign: obs() })).status).toBe(204);
    expect((await send(emulator, { method: 'PUT', path: '/owners/theirs.txt', body: 'T', sign: obs(OTHER) })).status).toBe(200);
    expect((await send(emulator, { method: 'PUT', path: '/owners/anon.txt', body: 'N' })).status).toBe(200);
    expect((await send(emulator, { method: 'PUT', path: '/owners/public.txt', body: 'P', headers: { 'x-obs-acl': 'public-read' }, sign: obs() })).status).toBe(200);
    const listed = xml.parse((await send(emulator, { method: 'GET', path: '/owners', sign: obs() })).body) as { ListBucketResult: { Contents: Array<{ Key: string; Owner: { ID: string } }> } };
    expect(listed.ListBucketResult.Contents.map((c) => `${c.Key}:${c.Owner.ID}`)).toEqual(['anon.txt:anonymous', `public.txt:${OWNER.id}`, `theirs.txt:${OTHER.id}`]);
    // The bucket owner reads another account's object (vendor notes §2 says it cannot unless granted: not modelled).
    const ownerRead = await send(emulator, { method: 'GET', path: '/owners/theirs.txt', sign: obs() });
    expect([ownerRead.status, ownerRead.body]).toEqual([200, 'T']);
    // The uploader does not read its own object back without a bucket-level grant (§2, O17: the object owner has full control: not modelled).
    expect((await send(emulator, { method: 'GET', path: '/owners/theirs.txt', sign: obs(OTHER) })).status).toBe(403);
    // O16's anonymous-upload quirk ("can be accessed by all OBS users by default") and object canned ACLs are not enforced.
    expect((await send(emulator, { method: 'GET', path: '/owners/anon.txt', sign: obs(OTHER) })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/owners/public.txt' })).status).toBe(403);
    // A Delivered bucket grant (§5.1: "applied to all objects in the bucket") lists, but reads no object; no object ACL is kept.
    expect((await send(emulator, { method: 'PUT', path: '/owners', query: 'acl', headers: { 'x-obs-acl': 'public-read-delivered' }, sign: obs() })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/owners' })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/owners/public.txt' })).status).toBe(403);
    // GetObjectAcl shows the uploader's FULL_CONTROL only, not the upload's canned `public-read`; PutObjectAcl changes nothing.
    const objectAcl = await send(emulator, { method: 'GET', path: '/owners/theirs.txt', query: 'acl', sign: obs() });
    expect(objectAcl.status).toBe(200);
    expect(objectAcl.body).toContain(`<Owner><ID>${OTHER.id}</ID></Owner><AccessControlList><Grant><Grantee><ID>${OTHER.id}</ID></Grantee><Permission>FULL_CONTROL</Permission><Delivered>false</Delivered></Grant></AccessControlList>`);
    expect((await send(emulator, { method: 'GET', path: '/owners/public.txt', query: 'acl' })).status).toBe(403);
    expect((await send(emulator, { method: 'PUT', path: '/owners/theirs.txt', query: 'acl', headers: { 'x-obs-acl': 'public-read' }, sign: obs() })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/owners/theirs.txt' })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/owners/theirs.txt', query: 'acl', sign: obs() })).body).toBe(objectAcl.body);
  });

  it('answers a request signed with the emulator-only log delivery key as the principal `log-delivery` (README "The log delivery service")', async () => {
    const ld = emulator.accounts.logDelivery!;
    // `id` only types the helper: the log delivery service has no account.
    const LD = { id: 'log-delivery', accessKeyId: ld.accessKeyId, secretAccessKey: ld.accessKeySecret };
    expect((await send(emulator, { method: 'PUT', path: '/logs', sign: obs() })).status).toBe(200);
    // The default private ACL: the log delivery service may not write.
    const denied = await send(emulator, { method: 'PUT', path: '/logs/access-1.log', body: 'L', sign: obs(LD) });
    expect([denied.status, error(denied).Code]).toEqual([403, 'AccessDenied']);
    expect((await send(emulator, { method: 'GET', path: '/logs', query: 'acl', sign: obs(LD) })).status).toBe(403);
    // A grant of WRITE and READ_ACP to the LogDelivery group (vendor notes §5.4: log-delivery-write), in the OBS shape.
    const grants = (grantee: string) => `<AccessControlPolicy><Owner><ID>${OWNER.id}</ID></Owner><AccessControlList>`
      + `<Grant><Grantee><ID>${OWNER.id}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>`
      + `<Grant><Grantee>${grantee}</Grantee><Permission>WRITE</Permission></Grant>`
      + `<Grant><Grantee>${grantee}</Grantee><Permission>READ_ACP</Permission></Grant>`
      + '</AccessControlList></AccessControlPolicy>';
    expect((await send(emulator, { method: 'PUT', path: '/logs', query: 'acl', body: grants('<Canned>LogDelivery</Canned>'), sign: obs() })).status).toBe(200);
    expect((await send(emulator, { method: 'PUT', path: '/logs/access-1.log', body: 'L', sign: obs(LD) })).status).toBe(200);
    expect((await send(emulator, { method: 'PUT', path: '/logs/access-2.log', body: 'M', sign: aws(LD) })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/logs', query: 'acl', sign: obs(LD) })).status).toBe(200);
    expect((await send(emulator, { method: 'DELETE', path: '/logs/access-2.log', sign: obs(LD) })).status).toBe(204);
    // WRITE and READ_ACP only: no listing, no reading, no ACL change; and the grant is the group's, not another account's.
    expect((await send(emulator, { method: 'GET', path: '/logs', sign: obs(LD) })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/logs/access-1.log', sign: obs(LD) })).status).toBe(403);
    expect((await send(emulator, { method: 'PUT', path: '/logs', query: 'acl', headers: { 'x-obs-acl': 'private' }, sign: obs(LD) })).status).toBe(403);
    expect((await send(emulator, { method: 'PUT', path: '/logs/other.log', body: 'O', sign: obs(OTHER) })).status).toBe(403);
    // It belongs to no account: its upload is owned by `log-delivery`, and it can neither create nor list buckets.
    const listed = xml.parse((await send(emulator, { method: 'GET', path: '/logs', sign: obs() })).body) as { ListBucketResult: { Contents: { Key: string; Owner: { ID: string } } } };
    expect(listed.ListBucketResult.Contents).toMatchObject({ Key: 'access-1.log', Owner: { ID: 'log-delivery' } });
    expect((await send(emulator, { method: 'PUT', path: '/ld-bucket', sign: obs(LD) })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/', sign: obs(LD) })).status).toBe(403);
    // The same grants to the registered-users group do not reach it (it is no account); an account's do.
    expect((await send(emulator, { method: 'PUT', path: '/logs', query: 'acl', body: grants('<Canned>AuthenticatedUsers</Canned>'), sign: obs() })).status).toBe(200);
    expect((await send(emulator, { method: 'PUT', path: '/logs/access-3.log', body: 'L', sign: obs(LD) })).status).toBe(403);
    expect((await send(emulator, { method: 'PUT', path: '/logs/other.log', body: 'O', sign: obs(OTHER) })).status).toBe(200);
    // Its signature is checked like any key's.
    const forged = await send(emulator, { method: 'PUT', path: '/logs/access-4.log', body: 'L', sign: obs({ ...LD, secretAccessKey: 'wrong' }) });
    expect(error(forged).Code).toBe('SignatureDoesNotMatch');
  });

  it('serves GetObjectAcl, ListBucketVersions and DeleteObjectVersion, decided by the reference under those names', async () => {
    expect((await send(emulator, { method: 'PUT', path: '/vers', sign: obs() })).status).toBe(200);
    for (const key of ['a.txt', 'dir/b.txt', 'dir/c.txt']) expect((await send(emulator, { method: 'PUT', path: `/vers/${key}`, body: key, sign: obs() })).status).toBe(200);
    const other = `domain/${OTHER.id}:root`;
    const policy = {
      Statement: [
        { Effect: 'Allow', Principal: { ID: [other] }, Action: ['GetObjectAcl'], Resource: ['vers/a.txt'] },
        { Effect: 'Allow', Principal: { ID: [other] }, Action: ['ListBucketVersions'], Resource: ['vers'] },
        { Effect: 'Allow', Principal: { ID: [other] }, Action: ['DeleteObjectVersion'], Resource: ['vers/dir/*'], Condition: { StringEquals: { versionId: ['null'] } } },
      ],
    };
    expect((await send(emulator, { method: 'PUT', path: '/vers', query: 'policy', body: JSON.stringify(policy), sign: obs() })).status).toBe(204);

    // GetObjectAcl: the object's owner and its FULL_CONTROL, in the caller's shape; the action is not GetObject's.
    const acl = await send(emulator, { method: 'GET', path: '/vers/a.txt', query: 'acl', sign: obs(OTHER) });
    expect(acl.status).toBe(200);
    expect(acl.headers['content-type']).toBe('application/xml');
    expect(xml.parse(acl.body)).toMatchObject({ AccessControlPolicy: { Owner: { ID: OWNER.id }, AccessControlList: { Grant: { Grantee: { ID: OWNER.id }, Permission: 'FULL_CONTROL', Delivered: 'false' } } } });
    const s3Acl = await send(emulator, { method: 'GET', path: '/vers/a.txt', query: 'acl', sign: aws() });
    expect(s3Acl.body).toContain(`<Owner><ID>${OWNER.id}</ID><DisplayName>owner</DisplayName></Owner>`);
    expect(s3Acl.body).toContain('xsi:type="CanonicalUser"');
    expect((await send(emulator, { method: 'GET', path: '/vers/a.txt', sign: obs(OTHER) })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/vers/dir/b.txt', query: 'acl', sign: obs(OTHER) })).status).toBe(403);
    const missing = await send(emulator, { method: 'GET', path: '/vers/none.txt', query: 'acl', sign: obs() });
    expect([missing.status, error(missing).Code]).toEqual([404, 'NoSuchKey']);
    const deniedMissing = await send(emulator, { method: 'GET', path: '/vers/none.txt', query: 'acl', sign: obs(OTHER) });
    expect([deniedMissing.status, error(deniedMissing).Code]).toEqual([403, 'AccessDenied']);

    // ListBucketVersions: the current objects as their `null` versions; not ListBucket's grant.
    type Versions = { ListVersionsResult: Record<string, unknown> & { Version?: unknown; CommonPrefixes?: unknown } };
    const all = xml.parse((await send(emulator, { method: 'GET', path: '/vers', query: 'versions', sign: obs(OTHER) })).body) as Versions;
    expect(all.ListVersionsResult).toMatchObject({ Name: 'vers', IsTruncated: 'false', MaxKeys: '1000' });
    const versions = all.ListVersionsResult.Version as Array<Record<string, unknown>>;
    expect(versions.map((v) => `${String(v.Key)}:${String(v.VersionId)}:${String(v.IsLatest)}`)).toEqual(['a.txt:null:true', 'dir/b.txt:null:true', 'dir/c.txt:null:true']);
    expect(versions[0]).toMatchObject({ ETag: `"${createHash('md5').update('a.txt').digest('hex')}"`, Size: '5', Owner: { ID: OWNER.id } });
    const grouped = xml.parse((await send(emulator, { method: 'GET', path: '/vers', query: 'versions&delimiter=/', sign: obs(OTHER) })).body) as Versions;
    expect(grouped.ListVersionsResult.CommonPrefixes).toEqual({ Prefix: 'dir/' });
    const page = xml.parse((await send(emulator, { method: 'GET', path: '/vers', query: 'versions&prefix=dir/&max-keys=1', sign: obs(OTHER) })).body) as Versions;
    expect(page.ListVersionsResult).toMatchObject({ Prefix: 'dir/', IsTruncated: 'true', NextKeyMarker: 'dir/b.txt', NextVersionIdMarker: 'null', Version: { Key: 'dir/b.txt' } });
    const next = xml.parse((await send(emulator, { method: 'GET', path: '/vers', query: 'versions&prefix=dir/&key-marker=dir/b.txt&version-id-marker=null', sign: obs(OTHER) })).body) as Versions;
    expect(next.ListVersionsResult).toMatchObject({ KeyMarker: 'dir/b.txt', VersionIdMarker: 'null', IsTruncated: 'false', Version: { Key: 'dir/c.txt' } });
    const noKeyMarker = await send(emulator, { method: 'GET', path: '/vers', query: 'versions&version-id-marker=null', sign: obs(OTHER) });
    expect([noKeyMarker.status, error(noKeyMarker).Code]).toEqual([400, 'InvalidArgument']);
    expect((await send(emulator, { method: 'GET', path: '/vers', sign: obs(OTHER) })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/vers', query: 'versions' })).status).toBe(403);

    // DeleteObjectVersion, with the condition key versionId: 204; version `null` is the object, another deletes nothing.
    const wrongVersion = await send(emulator, { method: 'DELETE', path: '/vers/dir/b.txt', query: 'versionId=v2', sign: obs(OTHER) });
    expect([wrongVersion.status, error(wrongVersion).Code]).toEqual([403, 'AccessDenied']);
    expect((await send(emulator, { method: 'DELETE', path: '/vers/dir/b.txt', sign: obs(OTHER) })).status).toBe(403);
    const deleted = await send(emulator, { method: 'DELETE', path: '/vers/dir/b.txt', query: 'versionId=null', sign: obs(OTHER) });
    expect([deleted.status, deleted.headers['x-obs-version-id'], deleted.body]).toEqual([204, 'null', '']);
    expect((await send(emulator, { method: 'GET', path: '/vers/dir/b.txt', sign: obs() })).status).toBe(404);
    expect((await send(emulator, { method: 'DELETE', path: '/vers/a.txt', query: 'versionId=null', sign: obs(OTHER) })).status).toBe(403);
    const noSuchVersion = await send(emulator, { method: 'DELETE', path: '/vers/a.txt', query: 'versionId=G001', sign: aws() });
    expect([noSuchVersion.status, noSuchVersion.headers['x-amz-version-id']]).toEqual([204, 'G001']);
    expect((await send(emulator, { method: 'GET', path: '/vers/a.txt', sign: obs() })).status).toBe(200);
    const empty = await send(emulator, { method: 'DELETE', path: '/vers/a.txt', query: 'versionId=', sign: obs() });
    expect([empty.status, error(empty).Code]).toEqual([400, 'InvalidArgument']);
    // Other version and object ACL operations stay unserved.
    for (const [method, query] of [['GET', 'versionId=null'], ['HEAD', 'versionId=null'], ['GET', 'acl&versionId=null'], ['PUT', 'acl&versionId=null'], ['DELETE', 'acl']] as const) {
      expect((await send(emulator, { method, path: '/vers/a.txt', query, sign: obs() })).status, `${method} ?${query}`).toBe(405);
    }
  });

  it('serves PutBucketLogging and GetBucketLogging, applying the reference\'s enable-logging effect to the ACL', async () => {
    const ld = emulator.accounts.logDelivery!;
    const LD = { id: 'log-delivery', accessKeyId: ld.accessKeyId, secretAccessKey: ld.accessKeySecret };
    expect((await send(emulator, { method: 'PUT', path: '/logged', sign: obs() })).status).toBe(200);
    const status = (target?: string) => `<BucketLoggingStatus xmlns="http://obs.myhwclouds.com/doc/2015-06-30/">${target === undefined ? '' : `<LoggingEnabled><TargetBucket>${target}</TargetBucket><TargetPrefix>logs/</TargetPrefix></LoggingEnabled>`}</BucketLoggingStatus>`;
    type Logging = { BucketLoggingStatus: string | { LoggingEnabled?: Record<string, string> } };
    const logging = async (): Promise<Logging['BucketLoggingStatus']> => (xml.parse((await send(emulator, { method: 'GET', path: '/logged', query: 'logging', sign: obs() })).body) as Logging).BucketLoggingStatus;
    const aclOf = async (): Promise<unknown[]> => {
      const doc = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Grant' }).parse((await send(emulator, { method: 'GET', path: '/logged', query: 'acl', sign: obs() })).body) as { AccessControlPolicy: { AccessControlList: { Grant: Array<{ Grantee: { ID?: string; Canned?: string }; Permission: string }> } } };
      return doc.AccessControlPolicy.AccessControlList.Grant.map((g) => ({ grantee: g.Grantee.ID !== undefined ? { account: g.Grantee.ID } : { group: g.Grantee.Canned }, permission: g.Permission }));
    };

    // Logging disabled: an empty status; the log delivery service may not write.
    expect(await logging()).toBe('');
    expect((await send(emulator, { method: 'PUT', path: '/logged/logs/a.log', body: 'L', sign: obs(LD) })).status).toBe(403);
    // Bodies that are not a BucketLoggingStatus, before any decision: 400 MalformedXML (also for another account).
    for (const body of ['', 'not xml', '<Other/>', '<BucketLoggingStatus><LoggingEnabled><TargetPrefix>x</TargetPrefix></LoggingEnabled></BucketLoggingStatus>']) {
      const reply = await send(emulator, { method: 'PUT', path: '/logged', query: 'logging', body, sign: obs(OTHER) });
      expect([reply.status, error(reply).Code], body).toEqual([400, 'MalformedXML']);
    }
    // PutBucketLogging is the owner's (no ACL permission maps it): another account is denied before the target is looked at.
    const denied = await send(emulator, { method: 'PUT', path: '/logged', query: 'logging', body: status('logged'), sign: obs(OTHER) });
    expect([denied.status, error(denied).Code]).toEqual([403, 'AccessDenied']);
    // The reference accepts only the bucket itself as target: another (even an existing one) is rejected, and nothing changes.
    const elsewhere = await send(emulator, { method: 'PUT', path: '/logged', query: 'logging', body: status('wire'), sign: obs() });
    expect([elsewhere.status, error(elsewhere).Code, elsewhere.headers['x-obs-error-code']]).toEqual([400, 'InvalidTargetBucketForLogging', 'InvalidTargetBucketForLogging']);
    expect(await logging()).toBe('');
    expect(await aclOf()).toEqual([{ grantee: { account: OWNER.id }, permission: 'FULL_CONTROL' }]);

    // Enabled into the bucket itself: 200, and the ACL is exactly what the reference's effect makes of the same store.
    const load = loadObsWorld({ vendor: 'huawei-obs', bucket: { name: 'logged', owner: OWNER.id } });
    if (load.kind !== 'loaded') throw new Error('the reference refused the world');
    const outcome = evaluate(load.store, { principal: { account: OWNER.id }, action: 'PutBucketLogging', logging: { targetBucket: 'logged' } }, DOCUMENTED_OBS_SEMANTICS);
    expect([outcome.decision.decision, outcome.decision.status, outcome.effect?.kind]).toEqual(['allow', 200, 'enable-logging']);
    applyEffect(load.store, outcome.effect!);
    const enabled = await send(emulator, { method: 'PUT', path: '/logged', query: 'logging', body: status('logged'), sign: obs() });
    expect([enabled.status, enabled.body]).toEqual([200, '']);
    expect(await aclOf()).toEqual(load.store.acl);
    expect(load.store.acl).toContainEqual({ grantee: { group: 'LogDelivery' }, permission: 'WRITE' });
    expect(await logging()).toEqual({ LoggingEnabled: { TargetBucket: 'logged', TargetPrefix: 'logs/' } });
    // The log delivery service now writes and reads the ACL (WRITE, READ_ACP), and lists nothing (no READ).
    expect((await send(emulator, { method: 'PUT', path: '/logged/logs/a.log', body: 'L', sign: obs(LD) })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/logged', query: 'acl', sign: aws(LD) })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/logged', sign: obs(LD) })).status).toBe(403);
    // Enabling twice adds nothing (the reference adds a grant only when missing).
    expect((await send(emulator, { method: 'PUT', path: '/logged', query: 'logging', body: status('logged'), sign: aws() })).status).toBe(200);
    expect(await aclOf()).toEqual(load.store.acl);
    // GetBucketLogging is the owner's too, in the caller's shape.
    expect((await send(emulator, { method: 'GET', path: '/logged', query: 'logging', sign: obs(OTHER) })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/logged', query: 'logging', sign: aws() })).body).toContain('<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled><TargetBucket>logged</TargetBucket>');
    // Disabling (an empty status) keeps the grants, as the reference does (it has no effect for it).
    expect((await send(emulator, { method: 'PUT', path: '/logged', query: 'logging', body: status(), sign: obs() })).status).toBe(200);
    expect(await logging()).toBe('');
    expect(await aclOf()).toEqual(load.store.acl);
    expect((await send(emulator, { method: 'PUT', path: '/logged/logs/b.log', body: 'L', sign: obs(LD) })).status).toBe(200);
  });

  it('serves GetBucketLocation, GetBucketVersioning, ListBucketMultipartUploads and PutObjectAcl, decided by the reference under those names', async () => {
    const location = '<CreateBucketConfiguration><Location>cn-north-4</Location></CreateBucketConfiguration>';
    expect((await send(emulator, { method: 'PUT', path: '/config', body: location, sign: obs() })).status).toBe(200);
    expect((await send(emulator, { method: 'PUT', path: '/config/shared/a.txt', body: 'A', sign: obs() })).status).toBe(200);
    const other = `domain/${OTHER.id}:root`;
    const policy = {
      Statement: [
        { Effect: 'Allow', Principal: { ID: [other] }, Action: ['ListBucketMultipartUploads', 'GetBucketLocation'], Resource: ['config'] },
        { Effect: 'Allow', Principal: { ID: [other] }, Action: ['PutObjectAcl'], Resource: ['config/shared/*'] },
        { Effect: 'Deny', Principal: { ID: [other] }, Action: ['PutObjectAcl'], Resource: ['config/*'], Condition: { StringEquals: { acl: ['public-read'] } } },
      ],
    };
    expect((await send(emulator, { method: 'PUT', path: '/config', query: 'policy', body: JSON.stringify(policy), sign: obs() })).status).toBe(204);
    const load = loadObsWorld({ vendor: 'huawei-obs', bucket: { name: 'config', owner: OWNER.id }, policy });
    if (load.kind !== 'loaded') throw new Error('the reference refused the world');
    const ownerAcl = `<AccessControlPolicy><Owner><ID>${OWNER.id}</ID></Owner><AccessControlList><Grant><Grantee><ID>${OWNER.id}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`;
    // Each wire request beside the reference request it is decided as; the wire status is the reference's (403 for a
    // deny), or 404 NoSuchKey for an allowed PutObjectAcl of a missing object.
    const cases: Array<[Send, ObsRequest, number]> = [
      [{ method: 'GET', path: '/config', query: 'location', sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'GetBucketLocation' }, 200],
      [{ method: 'GET', path: '/config', query: 'location' }, { principal: 'anonymous', action: 'GetBucketLocation' }, 403],
      [{ method: 'GET', path: '/config', query: 'versioning', sign: obs() }, { principal: { account: OWNER.id }, action: 'GetBucketVersioning' }, 200],
      [{ method: 'GET', path: '/config', query: 'versioning', sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'GetBucketVersioning' }, 403],
      [{ method: 'GET', path: '/config', query: 'uploads', sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'ListBucketMultipartUploads' }, 200],
      [{ method: 'GET', path: '/config', sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'ListBucket' }, 403],
      [{ method: 'GET', path: '/config', query: 'uploads' }, { principal: 'anonymous', action: 'ListBucketMultipartUploads' }, 403],
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', headers: { 'x-obs-acl': 'private' }, sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'PutObjectAcl', object: 'shared/a.txt', context: { acl: 'private' } }, 200],
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', headers: { 'x-obs-acl': 'public-read' }, sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'PutObjectAcl', object: 'shared/a.txt', context: { acl: 'public-read' } }, 403],
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', body: ownerAcl, sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'PutObjectAcl', object: 'shared/a.txt' }, 200],
      [{ method: 'PUT', path: '/config/shared/none.txt', query: 'acl', body: ownerAcl, sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'PutObjectAcl', object: 'shared/none.txt' }, 404],
      [{ method: 'PUT', path: '/config/a.txt', query: 'acl', headers: { 'x-obs-acl': 'private' }, sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'PutObjectAcl', object: 'a.txt', context: { acl: 'private' } }, 403],
      [{ method: 'GET', path: '/config/shared/a.txt', query: 'acl', sign: obs(OTHER) }, { principal: { account: OTHER.id }, action: 'GetObjectAcl', object: 'shared/a.txt' }, 403],
    ];
    for (const [wire, request, expected] of cases) {
      const reply = await send(emulator, wire);
      const { decision } = evaluate(load.store, request, DOCUMENTED_OBS_SEMANTICS);
      const what = `${request.action} ${JSON.stringify(request.principal)} ${wire.query ?? ''}`;
      expect(reply.status, what).toBe(expected);
      expect(decision.decision === 'allow' ? [200, 404] : [decision.status], what).toContain(reply.status);
      if (reply.status === 404) expect(error(reply).Code).toBe('NoSuchKey');
    }

    // The bodies: the location the bucket was created with, in each shape; empty without one.
    expect((await send(emulator, { method: 'GET', path: '/config', query: 'location', sign: obs() })).body).toContain('<Location xmlns="http://obs.myhwclouds.com/doc/2015-06-30/">cn-north-4</Location>');
    expect((await send(emulator, { method: 'GET', path: '/config', query: 'location', sign: aws() })).body).toContain('<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">cn-north-4</LocationConstraint>');
    expect(xml.parse((await send(emulator, { method: 'GET', path: '/wire', query: 'location', sign: obs() })).body)).toEqual({ '?xml': '', Location: '' });
    // Versioning never enabled: no Status.
    const versioning = await send(emulator, { method: 'GET', path: '/config', query: 'versioning', sign: obs() });
    expect([versioning.headers['content-type'], xml.parse(versioning.body)]).toEqual(['application/xml', { '?xml': '', VersioningConfiguration: '' }]);
    // No multipart upload is ever started: none listed; the markers and prefix are echoed.
    const uploads = xml.parse((await send(emulator, { method: 'GET', path: '/config', query: 'uploads&prefix=shared/&max-uploads=10&key-marker=k', sign: obs() })).body) as { ListMultipartUploadsResult: Record<string, unknown> };
    expect(uploads.ListMultipartUploadsResult).toEqual({ Bucket: 'config', KeyMarker: 'k', UploadIdMarker: '', Prefix: 'shared/', MaxUploads: '10', IsTruncated: 'false' });
    const badMax = await send(emulator, { method: 'GET', path: '/config', query: 'uploads&max-uploads=lots', sign: obs() });
    expect([badMax.status, error(badMax).Code]).toEqual([400, 'InvalidArgument']);

    // PutObjectAcl's body and header are checked before the decision; an accepted ACL is ignored (README "Object owners").
    const bad: Array<[Send, number, string]> = [
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', headers: { 'x-obs-acl': 'private' }, body: ownerAcl, sign: obs() }, 400, 'InvalidArgument'],
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', headers: { 'x-obs-acl': 'public-read-delivered' }, sign: obs() }, 400, 'InvalidArgument'],
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', sign: obs() }, 400, 'MalformedACLError'],
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', body: '<AccessControlPolicy>', sign: obs() }, 400, 'MalformedXML'],
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', body: ownerAcl.replace('FULL_CONTROL', 'WRITE'), sign: obs() }, 400, 'MalformedACLError'],
      [{ method: 'PUT', path: '/config/shared/a.txt', query: 'acl', body: ownerAcl.replace('FULL_CONTROL', 'READ_WRITE'), sign: obs() }, 400, 'MalformedACLError'],
    ];
    for (const [wire, code, name] of bad) {
      const reply = await send(emulator, wire);
      expect([reply.status, error(reply).Code], JSON.stringify(wire.headers ?? wire.body ?? '')).toEqual([code, name]);
    }
    expect((await send(emulator, { method: 'PUT', path: '/config/shared/a.txt', query: 'acl', headers: { 'x-amz-acl': 'authenticated-read' }, sign: aws() })).status).toBe(200);
    expect((await send(emulator, { method: 'GET', path: '/config/shared/a.txt', sign: obs(OTHER) })).status).toBe(403);
    expect((await send(emulator, { method: 'GET', path: '/config/shared/a.txt', query: 'acl', sign: obs() })).body).toContain(`<AccessControlList><Grant><Grantee><ID>${OWNER.id}</ID></Grantee><Permission>FULL_CONTROL</Permission><Delivered>false</Delivered></Grant></AccessControlList>`);
  });

  it('checks Content-MD5 and verifies signed URLs', async () => {
    const body = 'checked';
    const md5 = createHash('md5').update(body).digest('base64');
    expect((await send(emulator, { method: 'PUT', path: '/wire/md5.txt', body, headers: { 'Content-MD5': md5 }, sign: obs() })).status).toBe(200);
    const mismatch = await send(emulator, { method: 'PUT', path: '/wire/md5.txt', body: 'other', headers: { 'Content-MD5': md5 }, sign: obs() });
    expect(error(mismatch).Code).toBe('BadDigest');

    // A signed URL (vendor notes §8.4 createSignedUrlSync): Expires in the Date line.
    const expires = String(Math.floor(NOW.getTime() / 1000) + 300);
    const sig = signature(OWNER.secretAccessKey, `GET\n\n\n${expires}\n/wire/a.txt`);
    const query = `AccessKeyId=${OWNER.accessKeyId}&Expires=${expires}&Signature=${encodeURIComponent(sig)}`;
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt', query })).status).toBe(200);
    const awsQuery = `AWSAccessKeyId=${OWNER.accessKeyId}&Expires=${expires}&Signature=${encodeURIComponent(sig)}`;
    expect((await send(emulator, { method: 'GET', path: '/wire/a.txt', query: awsQuery })).status).toBe(200);
    const past = String(Math.floor(NOW.getTime() / 1000) - 1);
    const expired = `AccessKeyId=${OWNER.accessKeyId}&Expires=${past}&Signature=${encodeURIComponent(signature(OWNER.secretAccessKey, `GET\n\n\n${past}\n/wire/a.txt`))}`;
    const reply = await send(emulator, { method: 'GET', path: '/wire/a.txt', query: expired });
    expect(reply.status).toBe(403);
    expect(error(reply).Code).toBe('AccessDenied');
  });
});
