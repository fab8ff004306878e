/**
 * The OSS emulator over raw HTTP, for what ali-oss cannot send: bad and missing credentials,
 * skewed and missing dates, malformed Authorization headers, policies and XML, oversized bodies,
 * unknown routes, the emulator-only source-VPC header and source-IP conditions; and the error
 * format (vendor notes alibaba-oss.md §4.2, §5.6). Requests are signed with
 * `adapters/http/alibaba-oss/signing.ts`, which is itself checked against the notes' examples and
 * against ali-oss's own signing code.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { createRequire } from 'node:module';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalRequestV4,
  formatDateV1,
  formatDateV4,
  formatQuery,
  parseAuthorization,
  parsePresignV4,
  parseQuery,
  presignQueryV1,
  presignQueryV4,
  signatureV4,
  signRequestV1,
  signRequestV4,
  stringToSignPresignV1,
  stringToSignV1,
  stringToSignV4,
  type QueryPairs,
} from '../../adapters/http/alibaba-oss/signing.ts';
import { defaultAccounts, type EmulatorAccounts } from '../../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { EmulatorFault, SOURCE_VPC_HEADER, type Exchange } from '../../emulator/types.ts';

interface Key {
  accessKeyId: string;
  secret: string;
  token?: string;
}

const OWNER: Key = { accessKeyId: 'EMU-ALI-OWNER', secret: 'emu-ali-owner-secret' };
const OTHER_USER1: Key = { accessKeyId: 'EMU-ALI-OTHER-USER1', secret: 'emu-ali-other-user1-secret' };
const OTHER_USER1_ID = '2021476040493601';
const SESSION1: Key = { accessKeyId: 'STS.EMU-ALI-SESSION1', secret: 'emu-ali-session1-secret', token: 'emu-ali-session1-token' };
const EXPIRED: Key = { accessKeyId: 'STS.EMU-ALI-EXPIRED', secret: 'emu-ali-expired-secret', token: 'emu-ali-expired-token' };
const MAX_BODY = 4096;
const BUCKET = 'wire-bucket';

let emulator: RunningEmulator;
const agent = new Agent({ keepAlive: true });

function accounts(): EmulatorAccounts {
  const base = defaultAccounts('alibaba-oss');
  const owner = base.accounts[0]!;
  owner.roles.push({ name: 'old-role', sessions: [{ name: 'old-session', accessKeyId: EXPIRED.accessKeyId, accessKeySecret: EXPIRED.secret, securityToken: EXPIRED.token!, expiration: '2001-01-01T00:00:00Z' }] });
  return base;
}

beforeAll(async () => {
  emulator = await startEmulator({ vendor: 'alibaba-oss', accounts: accounts(), maxBodyBytes: MAX_BODY, log: () => {} });
  expect((await send('PUT', `/${BUCKET}/`, { sign: { key: OWNER } })).status).toBe(200);
  expect((await send('PUT', `/${BUCKET}/doc.txt`, { sign: { key: OWNER }, body: 'document', headers: { 'content-type': 'text/plain' } })).status).toBe(200);
});

afterAll(async () => {
  agent.destroy();
  await emulator.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The parsed `<Error>` element, when the body is one. */
  error: Record<string, string> | undefined;
}

interface Signing {
  key: Key;
  version?: 'v1' | 'v4';
  date?: Date;
  /** Leave the security token out even when the key has one. */
  omitToken?: boolean;
  /** Corrupt the signature after computing it. */
  tamper?: boolean;
}

interface Options {
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  sign?: Signing;
}

const xml = new XMLParser({ parseTagValue: false });

/** Splits a path-style target into bucket, key and decoded query, as the signature sees them. */
function target(path: string): { bucket: string | undefined; key: string | undefined; query: QueryPairs } {
  const q = path.indexOf('?');
  const rawPath = q < 0 ? path : path.slice(0, q);
  const rest = rawPath.slice(1);
  const slash = rest.indexOf('/');
  const bucket = rest === '' ? undefined : slash < 0 ? rest : rest.slice(0, slash);
  let key = slash < 0 ? undefined : rest.slice(slash + 1) || undefined;
  try {
    if (key !== undefined) key = decodeURIComponent(key);
  } catch {
    // A deliberately malformed escape is signed as written; the emulator refuses it before the signature.
  }
  return { bucket, key, query: parseQuery(q < 0 ? '' : path.slice(q + 1)) ?? [] };
}

/** Signs the headers of a request in place (V1 or V4, as ali-oss would). */
function sign(method: string, path: string, headers: Record<string, string>, signing: Signing): void {
  const date = signing.date ?? new Date();
  const version = signing.version ?? 'v1';
  headers['x-oss-date'] = version === 'v1' ? formatDateV1(date) : formatDateV4(date);
  if (version === 'v4') headers['x-oss-content-sha256'] = 'UNSIGNED-PAYLOAD';
  if (signing.key.token !== undefined && !signing.omitToken) headers['x-oss-security-token'] = signing.key.token;
  const request = { method, ...target(path), headers };
  let authorization = version === 'v1'
    ? signRequestV1(request, signing.key.accessKeyId, signing.key.secret)
    : signRequestV4(request, signing.key.accessKeyId, signing.key.secret, 'cn-hangzhou');
  if (signing.tamper) authorization = authorization.slice(0, -1) + (authorization.endsWith('0') ? '1' : '0');
  headers['authorization'] = authorization;
}

/** Sends one request over node:http, with full control of the headers. */
function send(method: string, path: string, options: Options = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  if (body !== undefined) {
    headers['content-length'] = String(body.length);
    headers['content-md5'] ??= createHash('md5').update(body).digest('base64');
  }
  if (options.sign !== undefined) sign(method, path, headers, options.sign);
  if (options.host !== undefined) headers['host'] = options.host;
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${emulator.url}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const parsed = text.startsWith('<?xml') ? (xml.parse(text) as { Error?: Record<string, string> }) : undefined;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, error: parsed?.Error });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Checks the OSS error format (§4.2) and returns the error element. */
function expectError(reply: Reply, status: number, code: string, ec?: string): Record<string, string> {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe('application/xml');
  expect(reply.error).toBeDefined();
  const error = reply.error!;
  expect(error['Code']).toBe(code);
  expect(typeof error['Message']).toBe('string');
  expect(error['RequestId']).toBe(reply.headers['x-oss-request-id']);
  expect(error['HostId']).toMatch(/aliyuncs\.com$/);
  if (ec !== undefined) {
    expect(error['EC']).toBe(ec);
    expect(reply.headers['x-oss-ec']).toBe(ec);
  }
  return error;
}

async function putPolicy(policy: unknown): Promise<Reply> {
  return send('PUT', `/${BUCKET}/?policy=`, { sign: { key: OWNER }, body: typeof policy === 'string' ? policy : JSON.stringify(policy) });
}

describe('signing.ts against the notes (§4.3, §4.4) and ali-oss\'s own signing code', () => {
  const date = 'Sun, 22 Nov 2026 13:39:39 GMT';
  const aliSign = createRequire(import.meta.url)('ali-oss/lib/common/signUtils.js') as {
    buildCanonicalString(method: string, resource: string, request: { headers: Record<string, string>; parameters?: unknown }): string;
    getCanonicalRequest(method: string, request: { headers: Record<string, string>; queries: Record<string, unknown> }, bucket?: string, object?: string, additional?: string[]): string;
    authorizationV4(ak: string, sk: string, region: string, method: string, request: { headers: Record<string, string>; queries: Record<string, unknown> }, bucket?: string, object?: string, additional?: string[]): string;
  };

  it('reproduces the V1 string-to-sign examples of §4.3', () => {
    expect(stringToSignV1({ method: 'PUT', bucket: 'mybucket', query: [['policy', '']], headers: { 'content-md5': 'uFWH1QZJx3YZV1RpnHruEA==', 'x-oss-date': date } }))
      .toBe(`PUT\nuFWH1QZJx3YZV1RpnHruEA==\n\n${date}\nx-oss-date:${date}\n/mybucket/?policy`);
    expect(stringToSignV1({ method: 'GET', bucket: 'mybucket', query: [['list-type', '2'], ['prefix', 'dir/'], ['max-keys', '100'], ['continuation-token', 'tok1']], headers: { 'x-oss-date': date } }))
      .toBe(`GET\n\n\n${date}\nx-oss-date:${date}\n/mybucket/?continuation-token=tok1`);
    const headers = { 'content-md5': 'md5==', 'content-type': 'text/plain', 'x-oss-date': date, 'x-oss-object-acl': 'private', 'x-oss-meta-owner': 'me' };
    expect(stringToSignV1({ method: 'PUT', bucket: 'mybucket', key: 'dir/hello world+ü.txt', query: [], headers }))
      .toBe(`PUT\nmd5==\ntext/plain\n${date}\nx-oss-date:${date}\nx-oss-meta-owner:me\nx-oss-object-acl:private\n/mybucket/dir/hello world+ü.txt`);
  });

  it('reproduces the V4 canonical request example of §4.4', () => {
    expect(canonicalRequestV4({ method: 'PUT', bucket: 'mybucket', query: [['policy', '']], headers: { 'content-md5': 'uFWH1QZJx3YZV1RpnHruEA==', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'x-oss-date': '20261122T133939Z' } }))
      .toBe('PUT\n/mybucket/\npolicy\ncontent-md5:uFWH1QZJx3YZV1RpnHruEA==\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20261122T133939Z\n\n\nUNSIGNED-PAYLOAD');
  });

  it('agrees with ali-oss\'s buildCanonicalString (V1) and authorizationV4 (V4), additional headers included', () => {
    const headers = { 'content-type': 'text/plain', 'x-oss-date': date, 'x-oss-meta-a': ' spaced ', 'x-oss-security-token': 'tok' };
    expect(stringToSignV1({ method: 'GET', bucket: 'b', key: 'a (1)!.txt', query: [['acl', ''], ['versionId', 'v1']], headers }))
      .toBe(aliSign.buildCanonicalString('GET', '/b/a (1)!.txt', { headers, parameters: { acl: '', versionId: 'v1' } }));
    const v4headers = { 'content-type': 'text/plain', 'x-oss-date': '20261122T133939Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'x-oss-meta-b': 'B', 'range': 'bytes=0-1' };
    const queries = { 'list-type': 2, prefix: 'a b/', 'continuation-token': 'x+y', acl: null };
    const query: QueryPairs = [['list-type', '2'], ['prefix', 'a b/'], ['continuation-token', 'x+y'], ['acl', '']];
    expect(canonicalRequestV4({ method: 'GET', bucket: 'b', key: 'k (1)!*.txt', query, headers: v4headers, additionalHeaders: ['range'] }))
      .toBe(aliSign.getCanonicalRequest('GET', { headers: v4headers, queries }, 'b', 'k (1)!*.txt', ['range']));
    expect(signRequestV4({ method: 'GET', bucket: 'b', key: 'k (1)!*.txt', query, headers: v4headers, additionalHeaders: ['range'] }, 'AK', 'SK', 'cn-hangzhou'))
      .toBe(aliSign.authorizationV4('AK', 'SK', 'cn-hangzhou', 'GET', { headers: v4headers, queries }, 'b', 'k (1)!*.txt', ['range']));
    const canonical = canonicalRequestV4({ method: 'GET', bucket: 'b', query: [], headers: v4headers });
    expect(signatureV4('SK', '20261122', 'cn-hangzhou', stringToSignV4('20261122T133939Z', 'cn-hangzhou', canonical))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('parses V1 and V4 Authorization headers, with `, ` or `,` between the V4 parts (§4.4)', () => {
    const sig = 'a'.repeat(64);
    expect(parseAuthorization('OSS AK:c2lnbmF0dXJl')).toEqual({ version: 'v1', accessKeyId: 'AK', signature: 'c2lnbmF0dXJl' });
    for (const separator of [',', ', ']) {
      const parsed = parseAuthorization(`OSS4-HMAC-SHA256 Credential=AK/20261122/cn-hangzhou/oss/aliyun_v4_request${separator}AdditionalHeaders=host;range${separator}Signature=${sig}`);
      expect(parsed).toEqual({ version: 'v4', accessKeyId: 'AK', day: '20261122', region: 'cn-hangzhou', product: 'oss', additionalHeaders: ['host', 'range'], signature: sig });
    }
    for (const bad of ['OSS AK', 'OSS :sig', 'Bearer x', 'OSS4-HMAC-SHA256 Credential=AK/20261122/cn-hangzhou/oss/aliyun_v4_request', `OSS4-HMAC-SHA256 Credential=AK/2026/cn-hangzhou/oss/aliyun_v4_request,Signature=${sig}`, 'OSS4-HMAC-SHA256 Credential=AK/20261122/cn-hangzhou/oss/aliyun_v4_request,Signature=XYZ']) {
      expect(parseAuthorization(bad).version).toBe('invalid');
    }
  });
});

describe('authentication failures', () => {
  it.each(['v1', 'v4'] as const)('refuses a bad %s signature with 403 SignatureDoesNotMatch and the string-to-sign', async (version) => {
    const reply = await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OWNER, version, tamper: true } });
    const error = expectError(reply, 403, 'SignatureDoesNotMatch');
    expect(error['OSSAccessKeyId']).toBe(OWNER.accessKeyId);
    expect(error['StringToSign']).toContain(version === 'v1' ? `/${BUCKET}/doc.txt` : 'OSS4-HMAC-SHA256');
    expect(typeof error['SignatureProvided']).toBe('string');
    expect(typeof error['StringToSignBytes']).toBe('string');
  });

  it('refuses the signature of another secret', async () => {
    const reply = await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: { ...OWNER, secret: 'not-the-secret' } } });
    expectError(reply, 403, 'SignatureDoesNotMatch');
  });

  it('accepts a V4 Authorization header written with `, ` separators', async () => {
    const headers: Record<string, string> = {};
    sign('GET', `/${BUCKET}/doc.txt`, headers, { key: OWNER, version: 'v4' });
    const spaced = headers['authorization']!.replace(/,/g, ', ');
    expect(spaced).toContain(', Signature=');
    const reply = await send('GET', `/${BUCKET}/doc.txt`, { headers: { ...headers, authorization: spaced } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('document');
  });

  it('refuses an unknown AccessKeyId with 403 InvalidAccessKeyId', async () => {
    const reply = await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: { accessKeyId: 'NO-SUCH-KEY', secret: 'x' } } });
    expect(expectError(reply, 403, 'InvalidAccessKeyId')['OSSAccessKeyId']).toBe('NO-SUCH-KEY');
  });

  it('refuses an expired session credential', async () => {
    const reply = await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: EXPIRED } });
    expectError(reply, 403, 'SecurityTokenExpired');
  });

  it('refuses a session credential without its security token, or with another one', async () => {
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: SESSION1, omitToken: true } }), 403, 'InvalidSecurityToken');
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: { ...SESSION1, token: 'forged' } } }), 403, 'InvalidSecurityToken');
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: SESSION1, version: 'v4', omitToken: true } }), 403, 'InvalidSecurityToken');
    // With its token the session is authenticated, and denied by the (absent) policy, not by authentication.
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: SESSION1 } }), 403, 'AccessDenied', '0003-00000001');
  });

  it.each(['v1', 'v4'] as const)('refuses a %s date more than 15 minutes off with 403 RequestTimeTooSkewed', async (version) => {
    const skewed = new Date(Date.now() - 20 * 60 * 1000);
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OWNER, version, date: skewed } }), 403, 'RequestTimeTooSkewed');
    const close = new Date(Date.now() - 5 * 60 * 1000);
    expect((await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OWNER, version, date: close } })).status).toBe(200);
  });

  it('refuses a missing date with 403 AccessDenied (EC 0002-00000503) and a bad one with EC 0002-00000502', async () => {
    const headers: Record<string, string> = {};
    sign('GET', `/${BUCKET}/doc.txt`, headers, { key: OWNER });
    const { ['x-oss-date']: _date, ...withoutDate } = headers;
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { headers: withoutDate }), 403, 'AccessDenied', '0002-00000503');
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { headers: { ...headers, 'x-oss-date': 'yesterday' } }), 403, 'AccessDenied', '0002-00000502');
  });

  it('accepts a V1 request dated by the Date header alone', async () => {
    const date = formatDateV1(new Date());
    const headers: Record<string, string> = { date };
    headers['authorization'] = signRequestV1({ method: 'GET', ...target(`/${BUCKET}/doc.txt`), headers }, OWNER.accessKeyId, OWNER.secret);
    expect((await send('GET', `/${BUCKET}/doc.txt`, { headers })).status).toBe(200);
  });

  it.each(['OSS EMU-ALI-OWNER', 'Basic dXNlcjpwYXNz', 'OSS4-HMAC-SHA256 Credential=EMU-ALI-OWNER/x/cn-hangzhou/oss/aliyun_v4_request,Signature=00'])(
    'refuses the malformed Authorization `%s` with 400 InvalidArgument',
    async (authorization) => {
      const reply = await send('GET', `/${BUCKET}/doc.txt`, { headers: { authorization, 'x-oss-date': formatDateV1(new Date()) } });
      expect(expectError(reply, 400, 'InvalidArgument')['ArgumentName']).toBe('Authorization');
    },
  );

  it('treats a request without Authorization as anonymous', async () => {
    expectError(await send('GET', `/${BUCKET}/doc.txt`), 403, 'AccessDenied', '0003-00000001');
    expectError(await send('PUT', `/${BUCKET}/anon.txt`, { body: 'x' }), 403, 'AccessDenied', '0003-00000001');
    expectError(await send('PUT', '/anon-bucket/'), 403, 'AccessDenied');
  });
});

describe('malformed input', () => {
  it('refuses policy text that is not JSON with 400 InvalidPolicyDocument (EC 0030-00000005) and keeps the old policy', async () => {
    expect((await putPolicy({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['123'], Resource: ['*'] }] })).status).toBe(200);
    expectError(await putPolicy('{"Version":"1","Statement":[{'), 400, 'InvalidPolicyDocument', '0030-00000005');
    expectError(await putPolicy('{"Version":1,"Statement":[]}'), 400, 'InvalidPolicyDocument', '0030-00000005');
    const stored = await send('GET', `/${BUCKET}/?policy`, { sign: { key: OWNER } });
    expect(stored.status).toBe(200);
    expect(stored.headers['content-type']).toBe('application/json');
    expect(JSON.parse(stored.body).Statement[0].Principal).toEqual(['123']);
    expect((await send('DELETE', `/${BUCKET}/?policy`, { sign: { key: OWNER } })).status).toBe(204);
    expectError(await send('GET', `/${BUCKET}/?policy`, { sign: { key: OWNER } }), 404, 'NoSuchBucketPolicy', '0030-00000006');
  });

  it('stores the policy text verbatim (§3)', async () => {
    const text = '{\n  "Version": "1",\n  "Statement": [ {"Effect":"Deny","Action":"oss:GetObject","Principal":"999","Resource":"*"} ]\n}';
    expect((await putPolicy(text)).status).toBe(200);
    expect((await send('GET', `/${BUCKET}/?policy=`, { sign: { key: OWNER } })).body).toBe(text);
    await send('DELETE', `/${BUCKET}/?policy=`, { sign: { key: OWNER } });
  });

  it('refuses a body whose Content-MD5 does not match with 400 InvalidDigest', async () => {
    expectError(await send('PUT', `/${BUCKET}/md5.txt`, { sign: { key: OWNER }, body: 'abc', headers: { 'content-md5': createHash('md5').update('abd').digest('base64') } }), 400, 'InvalidDigest');
  });

  it('refuses a malformed CreateBucketConfiguration with 400 MalformedXML and accepts a valid one', async () => {
    expectError(await send('PUT', '/xml-bucket/', { sign: { key: OWNER }, body: '<CreateBucketConfiguration><StorageClass>IA</Storage', headers: { 'content-type': 'application/xml' } }), 400, 'MalformedXML');
    expectError(await send('PUT', '/xml-bucket/', { sign: { key: OWNER }, body: '<Other/>', headers: { 'content-type': 'application/xml' } }), 400, 'MalformedXML');
    expect((await send('PUT', '/xml-bucket/', { sign: { key: OWNER }, body: '<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>', headers: { 'content-type': 'application/xml' } })).status).toBe(200);
    const info = await send('GET', '/xml-bucket/?bucketInfo', { sign: { key: OWNER } });
    expect(info.body).toContain('<StorageClass>IA</StorageClass>');
  });

  it('refuses a body over the limit with 400 EntityTooLarge in the OSS error format', async () => {
    const reply = await send('PUT', `/${BUCKET}/big.bin`, { sign: { key: OWNER }, body: Buffer.alloc(MAX_BODY + 1) });
    expect(expectError(reply, 400, 'EntityTooLarge')['MaxSizeAllowed']).toBe(String(MAX_BODY));
  });

  it('answers unknown sub-resources with 501 NotImplemented and unknown methods with 405', async () => {
    expectError(await send('GET', `/${BUCKET}/?cors`, { sign: { key: OWNER } }), 501, 'NotImplemented');
    expectError(await send('GET', `/${BUCKET}/?uploads`, { sign: { key: OWNER } }), 501, 'NotImplemented');
    expectError(await send('GET', `/${BUCKET}/doc.txt?uploadId=X`, { sign: { key: OWNER } }), 501, 'NotImplemented');
    expectError(await send('PATCH', `/${BUCKET}/doc.txt`, { sign: { key: OWNER } }), 405, 'MethodNotAllowed');
    expectError(await send('POST', `/${BUCKET}/doc.txt`, { sign: { key: OWNER } }), 405, 'MethodNotAllowed');
    expectError(await send('DELETE', '/', { sign: { key: OWNER } }), 405, 'MethodNotAllowed');
  });

  it('refuses bad query values and bad escapes with 400', async () => {
    expectError(await send('GET', `/${BUCKET}/?max-keys=lots`, { sign: { key: OWNER } }), 400, 'InvalidArgument');
    expectError(await send('GET', `/${BUCKET}/?prefix=%E0%A4%A`, { sign: { key: OWNER } }), 400, 'InvalidArgument');
    expectError(await send('GET', `/${BUCKET}/bad%ZZkey`, { sign: { key: OWNER } }), 400, 'InvalidURI');
    expectError(await send('PUT', `/${BUCKET}/?acl`, { sign: { key: OWNER }, headers: { 'x-oss-acl': 'everyone' } }), 400, 'InvalidArgument');
    expectError(await send('PUT', `/${BUCKET}/doc.txt?acl`, { sign: { key: OWNER } }), 400, 'InvalidArgument', '0017-00000105');
    expectError(await send('PUT', '/Bad_Name/', { sign: { key: OWNER } }), 400, 'InvalidBucketName');
  });

  it('answers a missing bucket with 404 NoSuchBucket (EC 0015-00000101)', async () => {
    expect(expectError(await send('GET', '/no-such-bucket/?policy', { sign: { key: OWNER } }), 404, 'NoSuchBucket', '0015-00000101')['BucketName']).toBe('no-such-bucket');
  });
});

describe('error format and addressing', () => {
  it('puts HEAD errors in x-oss-err, base64 error XML, with an empty body (§5.6)', async () => {
    const reply = await send('HEAD', `/${BUCKET}/doc.txt`);
    expect(reply.status).toBe(403);
    expect(reply.body).toBe('');
    const decoded = Buffer.from(String(reply.headers['x-oss-err']), 'base64').toString('utf8');
    const error = (xml.parse(decoded) as { Error: Record<string, string> }).Error;
    expect(error['Code']).toBe('AccessDenied');
    expect(error['EC']).toBe('0003-00000001');
    expect(reply.headers['x-oss-ec']).toBe('0003-00000001');
    expect(error['RequestId']).toBe(reply.headers['x-oss-request-id']);
  });

  it('renders an internal fault as 500 InternalError in the OSS format', () => {
    const sent: { status?: number; headers: Record<string, unknown>; body?: string } = { headers: {} };
    const res = {
      set statusCode(v: number) {
        sent.status = v;
      },
      setHeader: (name: string, value: unknown) => void (sent.headers[name] = value),
      hasHeader: (name: string) => name in sent.headers,
      end: (body?: Buffer) => void (sent.body = body?.toString('utf8')),
    };
    const exchange = { req: { method: 'GET', headers: { host: `${BUCKET}.oss-cn-hangzhou.aliyuncs.com` } }, res, requestId: 'ABC', receivedAt: new Date() } as unknown as Exchange;
    emulator.dialect.renderFault(exchange, new EmulatorFault('internal', 'a bug'));
    expect(sent.status).toBe(500);
    expect(sent.headers['content-type']).toBe('application/xml');
    expect(sent.headers['x-oss-request-id']).toBe('ABC');
    const error = (xml.parse(sent.body ?? '') as { Error: Record<string, string> }).Error;
    expect(error['Code']).toBe('InternalError');
    expect(error['HostId']).toBe(`${BUCKET}.oss-cn-hangzhou.aliyuncs.com`);
  });

  it('carries x-oss-request-id on every response, success or not', async () => {
    for (const reply of [await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OWNER } }), await send('GET', `/${BUCKET}/doc.txt`), await send('PUT', `/${BUCKET}/x`, { body: Buffer.alloc(MAX_BODY + 10) })]) {
      expect(reply.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    }
  });

  it('takes the bucket from a virtual-host Host header, with or without a port, and tolerates the empty label for ListBuckets', async () => {
    const key = OWNER;
    const headers: Record<string, string> = {};
    // The signature covers /bucket/key whatever the addressing (§4.3).
    sign('GET', `/${BUCKET}/doc.txt`, headers, { key });
    const virtual = await new Promise<Reply>((resolve, reject) => {
      const req = httpRequest(`${emulator.url}/doc.txt`, { headers: { ...headers, host: `${BUCKET}.oss-cn-hangzhou.aliyuncs.com:8080` }, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), error: undefined }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(virtual.status).toBe(200);
    expect(virtual.body).toBe('document');
    const list = await send('GET', '/', { sign: { key }, host: '.oss-cn-hangzhou.aliyuncs.com' });
    expect(list.status).toBe(200);
    expect(list.body).toContain(`<Name>${BUCKET}</Name>`);
    expect(list.body).toContain('<Owner><ID>1746495857600001</ID>');
  });
});

describe('condition keys from the request', () => {
  const allowWith = (condition: Record<string, Record<string, string[]>>) => ({
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: [OTHER_USER1_ID], Resource: [`acs:oss:*:*:${BUCKET}/*`], Condition: condition }],
  });

  it('reads acs:SourceVpc from the emulator-only header', async () => {
    expect((await putPolicy(allowWith({ StringEquals: { 'acs:SourceVpc': ['vpc-emu123'] } }))).status).toBe(200);
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied', '0003-00000001');
    expect((await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OTHER_USER1 }, headers: { [SOURCE_VPC_HEADER]: 'vpc-emu123' } })).status).toBe(200);
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OTHER_USER1 }, headers: { [SOURCE_VPC_HEADER]: 'vpc-other' } }), 403, 'AccessDenied');
  });

  it('reads acs:SourceIp from the socket (127.0.0.1)', async () => {
    expect((await putPolicy(allowWith({ IpAddress: { 'acs:SourceIp': ['127.0.0.1/32'] } }))).status).toBe(200);
    expect((await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OTHER_USER1 } })).status).toBe(200);
    expect((await putPolicy(allowWith({ IpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] } }))).status).toBe(200);
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied', '0003-00000001');
    // A Deny on the loopback address beats the Allow.
    await putPolicy({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['oss:GetObject'], Principal: [OTHER_USER1_ID], Resource: [`acs:oss:*:*:${BUCKET}/*`] },
        { Effect: 'Deny', Action: ['oss:*'], Principal: [OTHER_USER1_ID], Resource: ['*'], Condition: { NotIpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] } } },
      ],
    });
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied', '0003-00000101');
  });

  it('reads oss:Prefix for ListObjects and acs:SecureTransport as false over HTTP', async () => {
    await putPolicy({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['oss:ListObjects'], Principal: [OTHER_USER1_ID], Resource: [`acs:oss:*:*:${BUCKET}`], Condition: { StringLike: { 'oss:Prefix': ['pub/*'] }, Bool: { 'acs:SecureTransport': ['false'] } } },
      ],
    });
    expect((await send('GET', `/${BUCKET}/?prefix=pub%2Fx`, { sign: { key: OTHER_USER1 } })).status).toBe(200);
    expectError(await send('GET', `/${BUCKET}/?prefix=priv%2F`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied');
    expectError(await send('GET', `/${BUCKET}/`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied');
    await send('DELETE', `/${BUCKET}/?policy`, { sign: { key: OWNER } });
  });
});

/** A presigned path-style URL path for `path` (no query of its own beyond sub-resources), V1 or V4, as signing.ts builds it. */
function presigned(method: string, path: string, key: Key, options: { version?: 'v1' | 'v4'; signedAt?: Date; expires?: number; tamper?: boolean; omitToken?: boolean } = {}): string {
  const q = path.indexOf('?');
  const base = q < 0 ? path : path.slice(0, q);
  const request = { method, ...target(path), headers: {} };
  const signedAt = options.signedAt ?? new Date();
  const token = key.token !== undefined && !options.omitToken ? key.token : undefined;
  let query: QueryPairs;
  if ((options.version ?? 'v1') === 'v1') {
    const withToken = token === undefined ? request : { ...request, query: [...request.query, ['security-token', token] as const] };
    query = presignQueryV1(withToken, key.accessKeyId, key.secret, Math.floor(signedAt.getTime() / 1000) + (options.expires ?? 600));
  } else {
    query = presignQueryV4(request, { accessKeyId: key.accessKeyId, secret: key.secret, ...(token === undefined ? {} : { securityToken: token }) }, 'cn-hangzhou', formatDateV4(signedAt), options.expires ?? 600);
  }
  if (options.tamper) {
    query = query.map(([k, v]) => (k === 'Signature' || k === 'x-oss-signature' ? [k, (v.startsWith('0') ? '1' : '0') + v.slice(1)] as const : [k, v] as const));
  }
  return `${base}?${formatQuery(query)}`;
}

describe('presigned URLs (§5.3)', () => {
  const aliSign = createRequire(import.meta.url)('ali-oss/lib/common/signUtils.js') as {
    _signatureForURL(secret: string, options: Record<string, unknown>, resource: string, expires: number): { Signature: string };
    getCanonicalRequest(method: string, request: { headers: Record<string, string>; queries: Record<string, unknown> }, bucket?: string, object?: string, additional?: string[]): string;
  };

  it('signs V1 and V4 presigned queries as ali-oss does (_signatureForURL, signatureUrlV4)', () => {
    const v1 = presignQueryV1({ method: 'GET', bucket: 'b', key: 'dir/a b.txt', query: [['security-token', 'tok']], headers: {} }, 'AK', 'SK', 1_800_000_000);
    expect(v1.find(([k]) => k === 'Signature')?.[1]).toBe(aliSign._signatureForURL('SK', { method: 'GET', 'security-token': 'tok' }, '/b/dir/a b.txt', 1_800_000_000).Signature);
    expect(stringToSignPresignV1({ method: 'GET', bucket: 'b', key: 'k', query: [], headers: {} }, '1800000000')).toBe('GET\n\n\n1800000000\n/b/k');
    const v4 = presignQueryV4({ method: 'GET', bucket: 'b', key: 'dir/a b.txt', query: [], headers: {} }, { accessKeyId: 'AK', secret: 'SK', securityToken: 'tok' }, 'cn-hangzhou', '20261122T133939Z', 600);
    const queries = Object.fromEntries(v4.filter(([k]) => k !== 'x-oss-signature'));
    expect(queries).toEqual({ 'x-oss-credential': 'AK/20261122/cn-hangzhou/oss/aliyun_v4_request', 'x-oss-date': '20261122T133939Z', 'x-oss-expires': '600', 'x-oss-signature-version': 'OSS4-HMAC-SHA256', 'x-oss-security-token': 'tok' });
    const canonical = aliSign.getCanonicalRequest('GET', { headers: {}, queries }, 'b', 'dir/a b.txt');
    const expected = signatureV4('SK', '20261122', 'cn-hangzhou', stringToSignV4('20261122T133939Z', 'cn-hangzhou', canonical));
    expect(v4.find(([k]) => k === 'x-oss-signature')?.[1]).toBe(expected);
    const parsed = parsePresignV4(v4);
    expect(parsed.version === 'v4' && parsed.expires).toBe(600);
    expect(parsePresignV4([...v4.filter(([k]) => k !== 'x-oss-expires'), ['x-oss-expires', '0']]).version).toBe('invalid');
  });

  it.each(['v1', 'v4'] as const)('serves a %s presigned GET for the owner and refuses a tampered signature', async (version) => {
    const ok = await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, OWNER, { version }));
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('document');
    const tampered = expectError(await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, OWNER, { version, tamper: true })), 403, 'SignatureDoesNotMatch');
    expect(tampered['OSSAccessKeyId']).toBe(OWNER.accessKeyId);
    expect(tampered['StringToSign']).toContain(version === 'v1' ? `/${BUCKET}/doc.txt` : 'OSS4-HMAC-SHA256');
    // The signature covers the method: a GET URL does not authorise a DELETE.
    expectError(await send('DELETE', presigned('GET', `/${BUCKET}/doc.txt`, OWNER, { version })), 403, 'SignatureDoesNotMatch');
  });

  it.each(['v1', 'v4'] as const)('refuses an expired %s presigned URL with 403 AccessDenied "Request has expired." (EC 0002-00000069)', async (version) => {
    const error = expectError(await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, OWNER, { version, signedAt: new Date(Date.now() - 120_000), expires: 60 })), 403, 'AccessDenied', '0002-00000069');
    expect(error['Message']).toBe('Request has expired.');
  });

  it('refuses a V4 presigned URL dated more than 15 minutes ahead (EC 0002-00000235)', async () => {
    expectError(await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, OWNER, { version: 'v4', signedAt: new Date(Date.now() + 20 * 60_000) })), 403, 'AccessDenied', '0002-00000235');
  });

  it('refuses malformed presigned parameters and unknown keys', async () => {
    const v4 = presigned('GET', `/${BUCKET}/doc.txt`, OWNER, { version: 'v4' });
    expect(expectError(await send('GET', v4.replace(/x-oss-expires=\d+/, 'x-oss-expires=abc')), 400, 'InvalidArgument')['ArgumentName']).toBe('x-oss-expires');
    expect(expectError(await send('GET', v4.replace(/x-oss-signature-version=[^&]+/, 'x-oss-signature-version=OSS2')), 400, 'InvalidArgument')['ArgumentName']).toBe('x-oss-signature-version');
    const v1 = presigned('GET', `/${BUCKET}/doc.txt`, OWNER);
    expectError(await send('GET', v1.replace(/Expires=\d+/, 'Expires=soon')), 403, 'AccessDenied', '0002-00000070');
    expectError(await send('GET', v1.replace(/&Expires=\d+/, '')), 403, 'AccessDenied', '0002-00000068');
    expectError(await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, { accessKeyId: 'NO-SUCH-KEY', secret: 'x' })), 403, 'InvalidAccessKeyId');
  });

  it.each(['v1', 'v4'] as const)('authenticates a %s presigned session URL by its security token, and decides it as the session', async (version) => {
    expectError(await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, SESSION1, { version, omitToken: true })), 403, 'InvalidSecurityToken');
    // Authenticated, then denied by the (absent) policy: the session is not the owner.
    expectError(await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, SESSION1, { version })), 403, 'AccessDenied', '0003-00000001');
  });

  it('decides a presigned URL as the key holder: a stranger\'s URL is denied, the grant applies', async () => {
    expectError(await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, OTHER_USER1, { version: 'v4' })), 403, 'AccessDenied', '0003-00000001');
    await putPolicy({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: [OTHER_USER1_ID], Resource: [`acs:oss:*:*:${BUCKET}/doc.txt`] }] });
    expect((await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, OTHER_USER1, { version: 'v4' }))).status).toBe(200);
    expect((await send('GET', presigned('GET', `/${BUCKET}/doc.txt`, OTHER_USER1))).status).toBe(200);
    await send('DELETE', `/${BUCKET}/?policy`, { sign: { key: OWNER } });
  });
});

describe('Range GET', () => {
  const body = '0123456789';
  beforeAll(async () => {
    expect((await send('PUT', `/${BUCKET}/range.txt`, { sign: { key: OWNER }, body })).status).toBe(200);
  });

  it.each([
    ['bytes=2-5', '2345', 'bytes 2-5/10'],
    ['bytes=7-', '789', 'bytes 7-9/10'],
    ['bytes=-3', '789', 'bytes 7-9/10'],
    ['bytes=0-0', '0', 'bytes 0-0/10'],
  ])('serves `%s` as 206 with Content-Range', async (range, expected, contentRange) => {
    const reply = await send('GET', `/${BUCKET}/range.txt`, { sign: { key: OWNER }, headers: { range } });
    expect(reply.status).toBe(206);
    expect(reply.body).toBe(expected);
    expect(reply.headers['content-range']).toBe(contentRange);
    expect(reply.headers['content-length']).toBe(String(expected.length));
  });

  it.each(['bytes=10-20', 'bytes=5-10', 'bytes=-11', 'bytes=5-2', 'byte=0-1', 'bytes=0-1,3-4', 'items=0-1'])(
    'ignores `%s` by default and answers the whole object with 200 (OSS default range behaviour)',
    async (range) => {
      const reply = await send('GET', `/${BUCKET}/range.txt`, { sign: { key: OWNER }, headers: { range } });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(body);
      expect(reply.headers['content-range']).toBeUndefined();
    },
  );

  it('with x-oss-range-behavior: standard, refuses an unsatisfiable range with 416 InvalidRange and clamps the end', async () => {
    const headers = { 'x-oss-range-behavior': 'standard' };
    const error = expectError(await send('GET', `/${BUCKET}/range.txt`, { sign: { key: OWNER }, headers: { ...headers, range: 'bytes=10-20' } }), 416, 'InvalidRange');
    expect(error['ActualObjectSize']).toBe('10');
    expectError(await send('GET', `/${BUCKET}/range.txt`, { sign: { key: OWNER }, headers: { ...headers, range: 'bytes=0-1,3-4' } }), 416, 'InvalidRange');
    const clamped = await send('GET', `/${BUCKET}/range.txt`, { sign: { key: OWNER }, headers: { ...headers, range: 'bytes=5-100' } });
    expect(clamped.status).toBe(206);
    expect(clamped.body).toBe('56789');
    expect(clamped.headers['content-range']).toBe('bytes 5-9/10');
    // A V4-signed request gets its range too.
    const signed = await send('GET', `/${BUCKET}/range.txt`, { sign: { key: OWNER, version: 'v4' }, headers: { range: 'bytes=1-2' } });
    expect(signed.body).toBe('12');
  });

  it('decides a Range GET like any GetObject', async () => {
    expectError(await send('GET', `/${BUCKET}/range.txt`, { headers: { range: 'bytes=0-1' } }), 403, 'AccessDenied', '0003-00000001');
  });
});

describe('DeleteMultipleObjects (POST /?delete)', () => {
  const deleteXml = (keys: string[], quiet?: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><Delete>${quiet === undefined ? '' : `<Quiet>${quiet}</Quiet>`}${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
  const put = (key: string) => send('PUT', `/${BUCKET}/${key}`, { sign: { key: OWNER }, body: key });

  it('deletes every listed key and lists them in <Deleted>; quiet mode answers without a body', async () => {
    await put('dm/a.txt');
    await put('dm/b&c.txt');
    const reply = await send('POST', `/${BUCKET}/?delete`, { sign: { key: OWNER }, body: deleteXml(['dm/a.txt', 'dm/b&amp;c.txt', 'dm/missing.txt'], 'false') });
    expect(reply.status).toBe(200);
    const result = (xml.parse(reply.body) as { DeleteResult: { Deleted: { Key: string }[] } }).DeleteResult;
    expect(result.Deleted.map((d) => d.Key)).toEqual(['dm/a.txt', 'dm/b&c.txt', 'dm/missing.txt']);
    expect((await send('GET', `/${BUCKET}/dm/a.txt`, { sign: { key: OWNER } })).status).toBe(404);
    await put('dm/q.txt');
    const quiet = await send('POST', `/${BUCKET}/?delete`, { sign: { key: OWNER }, body: deleteXml(['dm/q.txt'], 'true') });
    expect(quiet.status).toBe(200);
    expect(quiet.body).toBe('');
    expect((await send('GET', `/${BUCKET}/dm/q.txt`, { sign: { key: OWNER } })).status).toBe(404);
  });

  it('refuses malformed Delete XML with 400 MalformedXML and a missing Content-MD5 with 400 MissingArgument', async () => {
    expectError(await send('POST', `/${BUCKET}/?delete`, { sign: { key: OWNER }, body: '<Delete><Object><Key>a</Key></Obj' }), 400, 'MalformedXML');
    expectError(await send('POST', `/${BUCKET}/?delete`, { sign: { key: OWNER }, body: '<Remove><Object><Key>a</Key></Object></Remove>' }), 400, 'MalformedXML');
    expectError(await send('POST', `/${BUCKET}/?delete`, { sign: { key: OWNER }, body: '<Delete><Quiet>false</Quiet></Delete>' }), 400, 'MalformedXML');
    expectError(await send('POST', `/${BUCKET}/?delete`, { sign: { key: OWNER }, body: '<Delete><Object><VersionId>v</VersionId></Object></Delete>' }), 400, 'MalformedXML', '0016-00000613');
    expectError(await send('POST', `/${BUCKET}/?delete`, { sign: { key: OWNER }, body: deleteXml(['a'], 'maybe') }), 400, 'MalformedXML', '0016-00000610');
    expectError(await send('POST', `/${BUCKET}/?delete`, { sign: { key: OWNER }, body: deleteXml(['a']), headers: { 'content-md5': createHash('md5').update('x').digest('base64') } }), 400, 'InvalidDigest');
    const headers: Record<string, string> = {};
    const text = deleteXml(['a']);
    sign('POST', `/${BUCKET}/?delete`, headers, { key: OWNER });
    const noMd5 = await new Promise<Reply>((resolve, reject) => {
      const req = httpRequest(`${emulator.url}/${BUCKET}/?delete`, { method: 'POST', headers: { ...headers, 'content-length': String(text.length) }, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, error: (xml.parse(body) as { Error: Record<string, string> }).Error });
        });
      });
      req.on('error', reject);
      req.end(text);
    });
    expectError(noMd5, 400, 'MissingArgument', '0016-00000606');
  });

  it('is all or nothing: an explicitly denied key refuses the batch with EC 0003-00000204, an ungranted one with its own EC', async () => {
    await put('dm/keep/x.txt');
    await put('dm/free/y.txt');
    await putPolicy({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['oss:DeleteObject'], Principal: [OTHER_USER1_ID], Resource: [`acs:oss:*:*:${BUCKET}/dm/*`] },
        { Effect: 'Deny', Action: ['oss:DeleteObject'], Principal: [OTHER_USER1_ID], Resource: [`acs:oss:*:*:${BUCKET}/dm/keep/*`] },
      ],
    });
    const explicit = expectError(await send('POST', `/${BUCKET}/?delete`, { sign: { key: OTHER_USER1 }, body: deleteXml(['dm/free/y.txt', 'dm/keep/x.txt']) }), 403, 'AccessDenied', '0003-00000204');
    expect(explicit['Key']).toBe('dm/keep/x.txt');
    expectError(await send('POST', `/${BUCKET}/?delete`, { sign: { key: OTHER_USER1 }, body: deleteXml(['dm/free/y.txt', 'doc.txt']) }), 403, 'AccessDenied', '0003-00000001');
    expect((await send('GET', `/${BUCKET}/dm/free/y.txt`, { sign: { key: OWNER } })).status).toBe(200);
    const allowed = await send('POST', `/${BUCKET}/?delete`, { sign: { key: OTHER_USER1 }, body: deleteXml(['dm/free/y.txt']) });
    expect(allowed.status).toBe(200);
    expect((await send('GET', `/${BUCKET}/dm/free/y.txt`, { sign: { key: OWNER } })).status).toBe(404);
    await send('DELETE', `/${BUCKET}/?policy`, { sign: { key: OWNER } });
  });
});

describe('multipart upload', () => {
  const initiate = async (key: string, signer: Key = OWNER): Promise<string> => {
    const reply = await send('POST', `/${BUCKET}/${key}?uploads`, { sign: { key: signer } });
    expect(reply.status).toBe(200);
    const result = (xml.parse(reply.body) as { InitiateMultipartUploadResult: { Bucket: string; Key: string; UploadId: string } }).InitiateMultipartUploadResult;
    expect(result.Bucket).toBe(BUCKET);
    expect(result.Key).toBe(key);
    return result.UploadId;
  };
  const part = (key: string, uploadId: string, n: number | string, body: string) => send('PUT', `/${BUCKET}/${key}?partNumber=${n}&uploadId=${uploadId}`, { sign: { key: OWNER }, body });
  const complete = (key: string, uploadId: string, parts: [number, string][]) =>
    send('POST', `/${BUCKET}/${key}?uploadId=${uploadId}`, { sign: { key: OWNER }, body: `<CompleteMultipartUpload>${parts.map(([n, e]) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>` });

  it('completes a one-part upload into an object with a multipart ETag', async () => {
    const id = await initiate('mp/one.bin');
    const uploaded = await part('mp/one.bin', id, 1, 'only part');
    expect(uploaded.status).toBe(200);
    const etag = String(uploaded.headers['etag']);
    expect(etag).toBe(`"${createHash('md5').update('only part').digest('hex').toUpperCase()}"`);
    const done = await complete('mp/one.bin', id, [[1, etag]]);
    expect(done.status).toBe(200);
    expect(done.headers['etag']).toMatch(/^"[0-9A-F]{32}-1"$/);
    const got = await send('GET', `/${BUCKET}/mp/one.bin`, { sign: { key: OWNER } });
    expect(got.body).toBe('only part');
    expect(got.headers['x-oss-object-type']).toBe('Multipart');
    // The upload is over.
    expectError(await part('mp/one.bin', id, 2, 'late'), 404, 'NoSuchUpload');
  });

  it('refuses a wrong part ETag (InvalidPart), a part out of order (InvalidPartOrder) and a small part before the last (EntityTooSmall)', async () => {
    const id = await initiate('mp/bad.bin');
    const e1 = String((await part('mp/bad.bin', id, 1, 'first')).headers['etag']);
    const e2 = String((await part('mp/bad.bin', id, 2, 'second')).headers['etag']);
    expect(expectError(await complete('mp/bad.bin', id, [[1, '"00000000000000000000000000000000"']]), 400, 'InvalidPart')['PartNumber']).toBe('1');
    expectError(await complete('mp/bad.bin', id, [[3, e2]]), 400, 'InvalidPart');
    expectError(await complete('mp/bad.bin', id, [[2, e2], [1, e1]]), 400, 'InvalidPartOrder');
    expectError(await complete('mp/bad.bin', id, [[1, e1], [2, e2]]), 400, 'EntityTooSmall');
    expectError(await send('POST', `/${BUCKET}/mp/bad.bin?uploadId=${id}`, { sign: { key: OWNER }, body: '<CompleteMultipartUpload><Part>' }), 400, 'MalformedXML');
    expect((await send('GET', `/${BUCKET}/mp/bad.bin`, { sign: { key: OWNER } })).status).toBe(404);
    // The failed completes left the upload open: the last part alone completes it.
    expect((await complete('mp/bad.bin', id, [[2, e2]])).status).toBe(200);
  });

  it('refuses an unknown uploadId with 404 NoSuchUpload, bad part numbers with 400, and aborts with 204', async () => {
    expectError(await part('mp/x.bin', 'NOSUCHUPLOAD', 1, 'x'), 404, 'NoSuchUpload');
    expectError(await complete('mp/x.bin', 'NOSUCHUPLOAD', [[1, '"A"']]), 404, 'NoSuchUpload');
    const id = await initiate('mp/x.bin');
    // The upload belongs to its key.
    expectError(await part('mp/other.bin', id, 1, 'x'), 404, 'NoSuchUpload');
    for (const n of ['0', '10001', 'one']) expectError(await part('mp/x.bin', id, n, 'x'), 400, 'InvalidArgument');
    // A bucket with an upload in progress is not empty.
    const bucket = 'mp-bucket';
    expect((await send('PUT', `/${bucket}/`, { sign: { key: OWNER } })).status).toBe(200);
    const pending = (xml.parse((await send('POST', `/${bucket}/p.bin?uploads`, { sign: { key: OWNER } })).body) as { InitiateMultipartUploadResult: { UploadId: string } }).InitiateMultipartUploadResult.UploadId;
    expectError(await send('DELETE', `/${bucket}/`, { sign: { key: OWNER } }), 409, 'BucketNotEmpty');
    expect((await send('DELETE', `/${bucket}/p.bin?uploadId=${pending}`, { sign: { key: OWNER } })).status).toBe(204);
    expect((await send('DELETE', `/${bucket}/`, { sign: { key: OWNER } })).status).toBe(204);
    expect((await send('DELETE', `/${BUCKET}/mp/x.bin?uploadId=${id}`, { sign: { key: OWNER } })).status).toBe(204);
    expectError(await send('DELETE', `/${BUCKET}/mp/x.bin?uploadId=${id}`, { sign: { key: OWNER } }), 404, 'NoSuchUpload');
  });

  it('decides each step as oss:PutObject (abort as oss:AbortMultipartUpload) for the signer', async () => {
    expectError(await send('POST', `/${BUCKET}/mp/s.bin?uploads`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied', '0003-00000001');
    await putPolicy({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Principal: [OTHER_USER1_ID], Resource: [`acs:oss:*:*:${BUCKET}/mp/*`] }] });
    const id = await initiate('mp/s.bin', OTHER_USER1);
    const etag = String((await send('PUT', `/${BUCKET}/mp/s.bin?partNumber=1&uploadId=${id}`, { sign: { key: OTHER_USER1 }, body: 'by stranger' })).headers['etag']);
    expectError(await send('DELETE', `/${BUCKET}/mp/s.bin?uploadId=${id}`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied');
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    expect((await send('POST', `/${BUCKET}/mp/s.bin?uploadId=${id}`, { sign: { key: OTHER_USER1 }, body })).status).toBe(200);
    // The completer's account owns the object, as for a PutObject.
    const acl = await send('GET', `/${BUCKET}/mp/s.bin?acl`, { sign: { key: OWNER } });
    expect(acl.body).toContain('<ID>1746495857600002</ID>');
    await send('DELETE', `/${BUCKET}/?policy`, { sign: { key: OWNER } });
  });
});

describe('the emulator-only administrator key (README "The administrator key")', () => {
  const ADMIN: Key = { accessKeyId: 'EMU-ALI-ADMIN', secret: 'emu-ali-admin-secret' };
  const LOCKED = 'admin-locked-bucket';
  // A Deny of everything unless a prefix `x` is sent: the owner cannot remove its policy, objects or bucket.
  const lockout = {
    Version: '1',
    Statement: [{ Effect: 'Deny', Action: ['*'], Principal: ['*'], Resource: [`acs:oss:*:*:${LOCKED}`, `acs:oss:*:*:${LOCKED}/*`], Condition: { StringNotEquals: { 'oss:Prefix': ['x'] } } }],
  };

  it('is in the default accounts', () => {
    expect(emulator.accounts.admin?.accessKeyId).toBe(ADMIN.accessKeyId);
  });

  it('is allowed every bucket, policy and object operation on a bucket whose policy locks its owner out, which stays locked for everyone else', async () => {
    expect((await send('PUT', `/${LOCKED}/`, { sign: { key: OWNER } })).status).toBe(200);
    expect((await send('PUT', `/${LOCKED}/a.txt`, { sign: { key: OWNER }, body: 'a' })).status).toBe(200);
    expect((await send('PUT', `/${LOCKED}/?policy`, { sign: { key: OWNER }, body: JSON.stringify(lockout) })).status).toBe(200);
    // The owner, another account's user, a session and anonymous are all refused by the policy.
    for (const key of [OWNER, OTHER_USER1, SESSION1]) {
      expectError(await send('DELETE', `/${LOCKED}/?policy`, { sign: { key } }), 403, 'AccessDenied', '0003-00000101');
      expectError(await send('GET', `/${LOCKED}/a.txt`, { sign: { key } }), 403, 'AccessDenied', '0003-00000101');
    }
    expectError(await send('GET', `/${LOCKED}/a.txt`), 403, 'AccessDenied', '0003-00000101');
    expectError(await send('DELETE', `/${LOCKED}/`, { sign: { key: OWNER } }), 403, 'AccessDenied', '0003-00000101');
    // The administrator, signed V1 or V4, is not decided.
    for (const version of ['v1', 'v4'] as const) {
      const sign = { key: ADMIN, version };
      expect((await send('GET', `/${LOCKED}/a.txt`, { sign })).body).toBe('a');
      expect((await send('GET', `/${LOCKED}/?policy`, { sign })).body).toBe(JSON.stringify(lockout));
      expect((await send('GET', `/${LOCKED}/?acl`, { sign })).status).toBe(200);
      expect((await send('PUT', `/${LOCKED}/?acl`, { sign, headers: { 'x-oss-acl': 'private' } })).status).toBe(200);
      expect((await send('GET', `/${LOCKED}/`, { sign })).status).toBe(200);
      expect((await send('GET', `/${LOCKED}/?versions`, { sign })).status).toBe(200);
      expect((await send('GET', `/${LOCKED}/?bucketInfo`, { sign })).status).toBe(200);
      expect((await send('HEAD', `/${LOCKED}/a.txt`, { sign })).status).toBe(200);
    }
    // An object it uploads belongs to the bucket owner; a batch delete is not decided either.
    expect((await send('PUT', `/${LOCKED}/b.txt`, { sign: { key: ADMIN }, body: 'b' })).status).toBe(200);
    const acl = xml.parse((await send('GET', `/${LOCKED}/b.txt?acl`, { sign: { key: ADMIN } })).body) as { AccessControlPolicy: { Owner: { ID: string } } };
    expect(acl.AccessControlPolicy.Owner.ID).toBe(emulator.accounts.accounts[0]!.id);
    const batch = `<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet><Object><Key>b.txt</Key></Object></Delete>`;
    expect((await send('POST', `/${LOCKED}/?delete`, { sign: { key: ADMIN }, body: batch })).status).toBe(200);
    // PutBucket of an existing bucket changes nothing; the policy goes, then the object and the bucket.
    expect((await send('PUT', `/${LOCKED}/`, { sign: { key: ADMIN } })).status).toBe(200);
    expect((await send('DELETE', `/${LOCKED}/?policy`, { sign: { key: ADMIN } })).status).toBe(204);
    expect((await send('PUT', `/${LOCKED}/?policy`, { sign: { key: ADMIN }, body: JSON.stringify(lockout) })).status).toBe(200);
    expect((await send('DELETE', `/${LOCKED}/a.txt`, { sign: { key: ADMIN } })).status).toBe(204);
    expect((await send('DELETE', `/${LOCKED}/`, { sign: { key: ADMIN } })).status).toBe(204);
    expectError(await send('GET', `/${LOCKED}/`, { sign: { key: OWNER } }), 404, 'NoSuchBucket');
  });

  it('belongs to no account: it creates no bucket and lists none', async () => {
    expectError(await send('PUT', '/admin-new-bucket/', { sign: { key: ADMIN } }), 403, 'AccessDenied');
    expectError(await send('GET', '/admin-new-bucket/', { sign: { key: OWNER } }), 404, 'NoSuchBucket');
    expectError(await send('GET', '/', { sign: { key: ADMIN } }), 403, 'AccessDenied');
  });

  it('is verified like any key: a bad signature is refused, and an emulator whose accounts have no admin does not know it', async () => {
    const error = expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: ADMIN, tamper: true } }), 403, 'SignatureDoesNotMatch');
    expect(error['OSSAccessKeyId']).toBe(ADMIN.accessKeyId);
    expectError(await send('GET', `/${BUCKET}/doc.txt`, { sign: { key: { ...ADMIN, secret: 'emu-ali-owner-secret' } } }), 403, 'SignatureDoesNotMatch');
    const bare = accounts();
    delete bare.admin;
    const plain = await startEmulator({ vendor: 'alibaba-oss', accounts: bare, log: () => {} });
    try {
      const path = '/any-bucket/';
      const headers: Record<string, string> = {};
      sign('GET', path, headers, { key: ADMIN });
      const response = await fetch(`${plain.url}${path}`, { headers });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>InvalidAccessKeyId</Code>');
    } finally {
      await plain.close();
    }
  });
});

describe('ListObjectVersions (GET /?versions)', () => {
  const VERSIONS = 'versions-bucket';
  type Listing = { ListVersionsResult: Record<string, unknown> & { Version?: Record<string, unknown> | Record<string, unknown>[]; CommonPrefixes?: { Prefix: string } | { Prefix: string }[] } };
  const list = (reply: Reply): Listing['ListVersionsResult'] => (xml.parse(reply.body) as Listing).ListVersionsResult;
  const many = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

  beforeAll(async () => {
    expect((await send('PUT', `/${VERSIONS}/`, { sign: { key: OWNER } })).status).toBe(200);
    for (const key of ['a.txt', 'dir/b.txt', 'dir/c.txt', 'pub/d.txt']) expect((await send('PUT', `/${VERSIONS}/${key}`, { sign: { key: OWNER }, body: key })).status).toBe(200);
  });

  it('lists every current object as its only version (VersionId null, IsLatest true), with prefix, delimiter, markers and max-keys', async () => {
    const all = await send('GET', `/${VERSIONS}/?versions`, { sign: { key: OWNER } });
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toBe('application/xml');
    const result = list(all);
    expect(result['Name']).toBe(VERSIONS);
    expect(result['IsTruncated']).toBe('false');
    const versions = many(result.Version);
    expect(versions.map((v) => v['Key'])).toEqual(['a.txt', 'dir/b.txt', 'dir/c.txt', 'pub/d.txt']);
    for (const v of versions) {
      expect(v['VersionId']).toBe('null');
      expect(v['IsLatest']).toBe('true');
      expect(v['ETag']).toMatch(/^"[0-9A-F]{32}"$/);
      expect((v['Owner'] as Record<string, string>)['ID']).toBe(emulator.accounts.accounts[0]!.id);
    }
    expect(all.body).not.toContain('DeleteMarker');
    const grouped = list(await send('GET', `/${VERSIONS}/?versions&delimiter=%2F`, { sign: { key: OWNER } }));
    expect(many(grouped.Version).map((v) => v['Key'])).toEqual(['a.txt']);
    expect(many(grouped.CommonPrefixes).map((p) => p.Prefix)).toEqual(['dir/', 'pub/']);
    const page = list(await send('GET', `/${VERSIONS}/?versions&prefix=dir%2F&max-keys=1`, { sign: { key: OWNER } }));
    expect(many(page.Version).map((v) => v['Key'])).toEqual(['dir/b.txt']);
    expect(page['IsTruncated']).toBe('true');
    expect(page['NextKeyMarker']).toBe('dir/b.txt');
    expect(page['NextVersionIdMarker']).toBe('null');
    const next = list(await send('GET', `/${VERSIONS}/?versions&prefix=dir%2F&key-marker=dir%2Fb.txt&version-id-marker=null`, { sign: { key: OWNER } }));
    expect(many(next.Version).map((v) => v['Key'])).toEqual(['dir/c.txt']);
    expectError(await send('GET', `/${VERSIONS}/?versions&version-id-marker=null`, { sign: { key: OWNER } }), 400, 'InvalidArgument');
  });

  it('is decided as oss:ListObjectVersions with oss:Prefix, not as oss:ListObjects', async () => {
    const policy = {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['oss:ListObjectVersions'], Principal: [OTHER_USER1_ID], Resource: [`acs:oss:*:*:${VERSIONS}`], Condition: { StringLike: { 'oss:Prefix': ['pub/*'] } } },
        { Effect: 'Allow', Action: ['oss:ListObjects'], Principal: ['*'], Resource: [`acs:oss:*:*:${VERSIONS}`] },
      ],
    };
    expect((await send('PUT', `/${VERSIONS}/?policy`, { sign: { key: OWNER }, body: JSON.stringify(policy) })).status).toBe(200);
    const granted = await send('GET', `/${VERSIONS}/?versions&prefix=pub%2F`, { sign: { key: OTHER_USER1 } });
    expect(granted.status).toBe(200);
    expect(many(list(granted).Version).map((v) => v['Key'])).toEqual(['pub/d.txt']);
    const other = expectError(await send('GET', `/${VERSIONS}/?versions&prefix=dir%2F`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied', '0003-00000001');
    expect(other['AuthAction']).toBe('oss:ListObjectVersions');
    expectError(await send('GET', `/${VERSIONS}/?versions`, { sign: { key: OTHER_USER1 } }), 403, 'AccessDenied', '0003-00000001');
    // ListObjects is granted to everyone, ListObjectVersions is not.
    expect((await send('GET', `/${VERSIONS}/`)).status).toBe(200);
    expectError(await send('GET', `/${VERSIONS}/?versions&prefix=pub%2F`), 403, 'AccessDenied');
    expect((await send('DELETE', `/${VERSIONS}/?policy`, { sign: { key: OWNER } })).status).toBe(204);
  });
});
