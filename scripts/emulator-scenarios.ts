/**
 * The load scenarios of each vendor's emulator: a setup done over HTTP as a client would, then a
 * fixed mix of requests whose answers are known from that setup and the documents (the APS
 * access matrix, an Alibaba or OBS policy built for them), never from the emulator's code:
 * allowed (the owner reads its bucket and objects, a grantee reads what the policy grants),
 * denied (a stranger, an explicit Deny) and malformed (bad JSON, a bad signature, an unknown
 * token, an unknown route).
 */
import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { formatDateV1, signRequestV1 } from '../adapters/http/alibaba-oss/signing.ts';
import { basicAuthorization, bucketPath, objectPath, tokenRequestBody } from '../adapters/http/aps-oss/wire.ts';
import { signRequest as signObs } from '../adapters/http/huawei-obs/signing.ts';
import type { EmulatorAccounts } from '../emulator/accounts.ts';
import type { Vendor } from '../model/vendors.ts';

/** One request of the mix, ready to send, with its expected answer. */
export interface Probe {
  kind: 'allowed' | 'denied' | 'malformed';
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  status: number;
  bodyIncludes?: string;
  bodyEquals?: Buffer;
}

/** A prepared scenario. */
export interface Scenario {
  probes: Probe[];
}

async function must(response: Response, what: string, status = 200): Promise<string> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`load setup: ${what}: status ${response.status}, expected ${status}: ${text.slice(0, 300)}`);
  return text;
}

// ── APS ──────────────────────────────────────────────────────────────────────────────────────

const APS_SCOPES = ['bucket:create', 'bucket:read', 'bucket:delete', 'data:read', 'data:write', 'data:create'];

async function apsToken(base: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${base}/authentication/v2/token`, {
    method: 'POST',
    headers: { authorization: basicAuthorization(clientId, clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(APS_SCOPES),
  });
  return (JSON.parse(await must(res, 'token')) as { access_token: string }).access_token;
}

/**
 * APS: the owner creates a bucket granting `full` to a second app and uploads an object through
 * the signed-URL flow; a third app is a stranger (specs/aps-oss/access-matrix.yaml).
 */
async function apsScenario(base: string, accounts: EmulatorAccounts): Promise<Scenario> {
  const [owner, grantee, stranger] = accounts.apps;
  if (owner === undefined || grantee === undefined || stranger === undefined) throw new Error('load setup: the APS scenario needs three apps');
  const ownerToken = await apsToken(base, owner.clientId, owner.clientSecret);
  const strangerToken = await apsToken(base, stranger.clientId, stranger.clientSecret);
  const bucket = `load-${randomBytes(6).toString('hex')}`;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  await must(await fetch(`${base}/oss/v2/buckets`, {
    method: 'POST',
    headers: { ...auth(ownerToken), 'content-type': 'application/json' },
    body: JSON.stringify({ bucketKey: bucket, policyKey: 'transient', allow: [{ authId: grantee.clientId, access: 'full' }] }),
  }), 'create bucket');
  const bytes = randomBytes(1024);
  const upload = JSON.parse(await must(await fetch(`${base}${objectPath(bucket, 'owned.bin', 'signeds3upload')}?parts=1`, { headers: auth(ownerToken) }), 'signeds3upload')) as { uploadKey: string; urls: string[] };
  await must(await fetch(upload.urls[0]!, { method: 'PUT', body: bytes }), 'signed PUT');
  await must(await fetch(`${base}${objectPath(bucket, 'owned.bin', 'signeds3upload')}`, { method: 'POST', headers: { ...auth(ownerToken), 'content-type': 'application/json' }, body: JSON.stringify({ uploadKey: upload.uploadKey }) }), 'complete upload');
  const download = JSON.parse(await must(await fetch(`${base}${objectPath(bucket, 'owned.bin', 'signeds3download')}`, { headers: auth(ownerToken) }), 'signeds3download')) as { url: string };
  const downloadPath = new URL(download.url).pathname + new URL(download.url).search;

  return {
    probes: [
      // APS-OWNER-ONLY-API: the owner may get its bucket's details; the matrix says allow.
      { kind: 'allowed', name: 'owner bucket details', method: 'GET', path: bucketPath(bucket, 'details'), headers: auth(ownerToken), status: 200, bodyIncludes: bucket },
      { kind: 'allowed', name: 'owner object details', method: 'GET', path: objectPath(bucket, 'owned.bin', 'details'), headers: auth(ownerToken), status: 200, bodyIncludes: 'owned.bin' },
      { kind: 'allowed', name: 'signed download', method: 'GET', path: downloadPath, headers: {}, status: 200, bodyEquals: bytes },
      // APS-STRANGER: 403 for the bucket and every object in it.
      { kind: 'denied', name: 'stranger bucket details', method: 'GET', path: bucketPath(bucket, 'details'), headers: auth(strangerToken), status: 403 },
      { kind: 'denied', name: 'stranger object details', method: 'GET', path: objectPath(bucket, 'owned.bin', 'details'), headers: auth(strangerToken), status: 403 },
      { kind: 'malformed', name: 'create bucket with broken JSON', method: 'POST', path: '/oss/v2/buckets', headers: { ...auth(ownerToken), 'content-type': 'application/json' }, body: '{"bucketKey": ', status: 400 },
      { kind: 'malformed', name: 'unknown token', method: 'GET', path: bucketPath(bucket, 'details'), headers: auth('not-a-token'), status: 401 },
      { kind: 'malformed', name: 'unknown route', method: 'GET', path: '/oss/v2/no-such-route', headers: auth(ownerToken), status: 404 },
    ],
  };
}

// ── Alibaba OSS ──────────────────────────────────────────────────────────────────────────────

interface AliKey {
  accessKeyId: string;
  accessKeySecret: string;
}

/** A path-style request signed with V1 as ali-oss signs it (x-oss-date, Content-MD5 of a body). */
function aliRequest(key: AliKey | undefined, method: string, bucket: string, object: string | undefined, query: string, text?: string | Buffer): { path: string; headers: Record<string, string>; body?: string | Buffer } {
  // Bytes, not a string: fetch would add a Content-Type to a string body after it was signed.
  const body = text === undefined ? undefined : Buffer.from(text);
  const headers: Record<string, string> = { 'x-oss-date': formatDateV1(new Date()) };
  if (body !== undefined) headers['content-md5'] = createHash('md5').update(body).digest('base64');
  const path = `/${bucket}/${object === undefined ? '' : object.split('/').map(encodeURIComponent).join('/')}${query === '' ? '' : `?${query}`}`;
  if (key !== undefined) {
    const pairs = query === '' ? [] : query.split('&').map((p) => [p.split('=')[0]!, decodeURIComponent(p.split('=')[1] ?? '')] as const);
    headers['authorization'] = signRequestV1({ method, bucket, key: object, query: pairs, headers }, key.accessKeyId, key.accessKeySecret);
  }
  return { path, headers, ...(body === undefined ? {} : { body }) };
}

async function aliSend(base: string, r: { path: string; headers: Record<string, string>; body?: string | Buffer }, method: string): Promise<Response> {
  return fetch(`${base}${r.path}`, { method, headers: r.headers, ...(r.body === undefined ? {} : { body: r.body }) });
}

/**
 * Alibaba OSS: the owner account creates a bucket with two objects and a policy that allows a
 * second account `oss:GetObject` on `public/*` and denies it `private/*`; a third account is
 * named by no statement (ALI-DENY-FIRST, ALI-IMPLICIT-DENY).
 */
async function aliScenario(base: string, accounts: EmulatorAccounts): Promise<Scenario> {
  const [owner, other, third] = accounts.accounts;
  if (owner === undefined || other === undefined || third === undefined) throw new Error('load setup: the Alibaba scenario needs three accounts');
  const bucket = `load-${randomBytes(6).toString('hex')}`;
  await must(await aliSend(base, aliRequest(owner, 'PUT', bucket, undefined, ''), 'PUT'), 'PutBucket');
  const publicBytes = randomBytes(512);
  const privateBytes = randomBytes(512);
  await must(await aliSend(base, aliRequest(owner, 'PUT', bucket, 'public/a.bin', '', publicBytes), 'PUT'), 'PutObject public');
  await must(await aliSend(base, aliRequest(owner, 'PUT', bucket, 'private/b.bin', '', privateBytes), 'PUT'), 'PutObject private');
  const policy = JSON.stringify({
    Version: '1',
    Statement: [
      { Effect: 'Allow', Principal: [other.id], Action: ['oss:GetObject'], Resource: [`acs:oss:*:*:${bucket}/*`] },
      { Effect: 'Deny', Principal: [other.id], Action: ['oss:GetObject'], Resource: [`acs:oss:*:*:${bucket}/private/*`] },
    ],
  });
  await must(await aliSend(base, aliRequest(owner, 'PUT', bucket, undefined, 'policy', policy), 'PUT'), 'PutBucketPolicy');
  const probe = (kind: Probe['kind'], name: string, method: string, r: ReturnType<typeof aliRequest>, status: number, extra: Partial<Probe> = {}): Probe => ({ kind, name, method, ...r, status, ...extra });
  const tampered = aliRequest(other, 'GET', bucket, 'public/a.bin', '');
  tampered.headers['authorization'] = `${tampered.headers['authorization']!.slice(0, -2)}AA`;
  return {
    probes: [
      probe('allowed', 'other account reads public/ (policy Allow)', 'GET', aliRequest(other, 'GET', bucket, 'public/a.bin', ''), 200, { bodyEquals: publicBytes }),
      probe('allowed', 'owner reads private/', 'GET', aliRequest(owner, 'GET', bucket, 'private/b.bin', ''), 200, { bodyEquals: privateBytes }),
      probe('denied', 'other account reads private/ (explicit Deny)', 'GET', aliRequest(other, 'GET', bucket, 'private/b.bin', ''), 403, { bodyIncludes: '<Code>AccessDenied</Code>' }),
      probe('denied', 'third account reads public/ (no statement)', 'GET', aliRequest(third, 'GET', bucket, 'public/a.bin', ''), 403, { bodyIncludes: '<Code>AccessDenied</Code>' }),
      probe('denied', 'anonymous reads public/ (private ACL)', 'GET', aliRequest(undefined, 'GET', bucket, 'public/a.bin', ''), 403),
      probe('malformed', 'tampered signature', 'GET', tampered, 403, { bodyIncludes: '<Code>SignatureDoesNotMatch</Code>' }),
      probe('malformed', 'policy that is not JSON', 'PUT', aliRequest(owner, 'PUT', bucket, undefined, 'policy', '{"Version": "1", "Statement": ['), 400),
      probe('malformed', 'unknown AccessKey', 'GET', aliRequest({ accessKeyId: 'NO-SUCH-KEY', accessKeySecret: 'x' }, 'GET', bucket, 'public/a.bin', ''), 403, { bodyIncludes: '<Code>InvalidAccessKeyId</Code>' }),
    ],
  };
}

// ── Huawei OBS ───────────────────────────────────────────────────────────────────────────────

function obsRequest(key: AliKey | undefined, method: string, rawPath: string, rawQuery: string, text?: string | Buffer): { path: string; headers: Record<string, string>; body?: string | Buffer } {
  const body = text === undefined ? undefined : Buffer.from(text);
  let headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-MD5'] = createHash('md5').update(body).digest('base64');
  if (key !== undefined) headers = signObs({ method, headers, rawPath, rawQuery }, 'obs', { accessKeyId: key.accessKeyId, secretAccessKey: key.accessKeySecret });
  return { path: `${rawPath}${rawQuery === '' ? '' : `?${rawQuery}`}`, headers, ...(body === undefined ? {} : { body }) };
}

/**
 * Huawei OBS: the owner account creates a bucket with two objects and a policy that allows every
 * user of a second account `GetObject` on the bucket and denies it `private/*`; a third account
 * is in no statement and no ACL grant (OBS-ALLOW-DENY, OBS-DEFAULT-DENY).
 */
async function obsScenario(base: string, accounts: EmulatorAccounts): Promise<Scenario> {
  const [owner, other, third] = accounts.accounts;
  if (owner === undefined || other === undefined || third === undefined) throw new Error('load setup: the OBS scenario needs three accounts');
  const bucket = `load-${randomBytes(6).toString('hex')}`;
  const send = (r: ReturnType<typeof obsRequest>, method: string) => fetch(`${base}${r.path}`, { method, headers: r.headers, ...(r.body === undefined ? {} : { body: r.body }) });
  await must(await send(obsRequest(owner, 'PUT', `/${bucket}`, ''), 'PUT'), 'CreateBucket');
  const publicBytes = randomBytes(512);
  const privateBytes = randomBytes(512);
  await must(await send(obsRequest(owner, 'PUT', `/${bucket}/public/a.bin`, '', publicBytes), 'PUT'), 'PutObject public');
  await must(await send(obsRequest(owner, 'PUT', `/${bucket}/private/b.bin`, '', privateBytes), 'PUT'), 'PutObject private');
  const policy = JSON.stringify({
    Statement: [
      { Sid: 'read', Effect: 'Allow', Principal: { ID: [`domain/${other.id}:user/*`] }, Action: ['GetObject'], Resource: [`${bucket}/*`] },
      { Sid: 'private', Effect: 'Deny', Principal: { ID: [`domain/${other.id}:user/*`] }, Action: ['GetObject'], Resource: [`${bucket}/private/*`] },
    ],
  });
  await must(await send(obsRequest(owner, 'PUT', `/${bucket}`, 'policy', policy), 'PUT'), 'PutBucketPolicy', 204);
  const probe = (kind: Probe['kind'], name: string, method: string, r: ReturnType<typeof obsRequest>, status: number, extra: Partial<Probe> = {}): Probe => ({ kind, name, method, ...r, status, ...extra });
  const tampered = obsRequest(other, 'GET', `/${bucket}/public/a.bin`, '');
  tampered.headers['Authorization'] = `${tampered.headers['Authorization']!.slice(0, -2)}AA`;
  return {
    probes: [
      probe('allowed', 'other account reads public/ (policy Allow)', 'GET', obsRequest(other, 'GET', `/${bucket}/public/a.bin`, ''), 200, { bodyEquals: publicBytes }),
      probe('allowed', 'owner reads private/ (owner ACL)', 'GET', obsRequest(owner, 'GET', `/${bucket}/private/b.bin`, ''), 200, { bodyEquals: privateBytes }),
      probe('denied', 'other account reads private/ (explicit Deny)', 'GET', obsRequest(other, 'GET', `/${bucket}/private/b.bin`, ''), 403, { bodyIncludes: '<Code>AccessDenied</Code>' }),
      probe('denied', 'third account reads public/ (no grant)', 'GET', obsRequest(third, 'GET', `/${bucket}/public/a.bin`, ''), 403, { bodyIncludes: '<Code>AccessDenied</Code>' }),
      probe('denied', 'other account puts the policy (owner only)', 'PUT', obsRequest(other, 'PUT', `/${bucket}`, 'policy', policy), 403),
      probe('malformed', 'tampered signature', 'GET', tampered, 403, { bodyIncludes: '<Code>SignatureDoesNotMatch</Code>' }),
      probe('malformed', 'policy that is not JSON', 'PUT', obsRequest(owner, 'PUT', `/${bucket}`, 'policy', '{"Statement": ['), 400),
      probe('malformed', 'ACL that is not XML', 'PUT', obsRequest(owner, 'PUT', `/${bucket}`, 'acl', '<AccessControlPolicy><Owner>'), 400),
    ],
  };
}

/** The scenario of each vendor. */
export const SCENARIOS: Readonly<Record<Vendor, (base: string, accounts: EmulatorAccounts) => Promise<Scenario>>> = {
  'aps-oss': apsScenario,
  'alibaba-oss': aliScenario,
  'huawei-obs': obsScenario,
};
