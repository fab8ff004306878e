/**
 * Who sends a request: the OBS signature or AWS V2 signature of the `Authorization` header, or a
 * signed URL's query parameters, verified by recomputing with `adapters/http/huawei-obs/signing.ts`
 * (vendor notes §6.1-6.3, §7 item 2); no signature at all is an anonymous request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  canonicalHeaders,
  canonicalResource,
  headerPrefix,
  parseAuthorization,
  requestStringToSign,
  signature,
  signaturesMatch,
  stringToSign,
  type ObsSignatureKind,
  type SigningHeaders,
} from '../../adapters/http/huawei-obs/signing.ts';
import { OBS_LOG_DELIVERY, type ObsPrincipal } from '../../model/huawei-obs/types.ts';
import type { AccountEntry, AnyKeyRecord, KeyRecord, LogDeliveryHolder } from '../accounts.ts';

/** Vendor notes §6.1 (O19): more than 15 minutes between the request's date and the server's clock is RequestTimeTooSkewed. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * A caller that passed authentication: nobody, the holder of an account's key, or the holder of
 * the emulator-only log delivery key (README "Identities and principals"), which belongs to no
 * account.
 */
export type ObsCaller =
  | { kind: 'anonymous' }
  | { kind: 'key'; signature: ObsSignatureKind; record: KeyRecord; account: AccountEntry; principal: ObsPrincipal }
  | { kind: 'log-delivery'; signature: ObsSignatureKind; record: KeyRecord<LogDeliveryHolder>; principal: typeof OBS_LOG_DELIVERY };

/** A refusal of authentication, rendered as an OBS error. */
export interface AuthFailure {
  kind: 'failure';
  status: 400 | 403;
  code: string;
  message: string;
  /** The signature kind the request claimed, for the response headers. */
  signature?: ObsSignatureKind;
  extra?: Record<string, string>;
}

/** What a request carries, for authentication. */
export interface AuthInput {
  method: string;
  headers: IncomingHttpHeaders;
  /** Headers with every value as a list (node's `headersDistinct`). */
  headersDistinct: Readonly<Record<string, string[] | undefined>>;
  rawPath: string;
  rawQuery: string;
  query: ReadonlyMap<string, string>;
  virtualHostBucket: string | undefined;
  receivedAt: Date;
  keys: ReadonlyMap<string, AnyKeyRecord>;
}

/**
 * The principal of a key holder as the reference evaluator reads it (README "Identities"): an
 * account is `{account}`, an IAM user `{account, user: <id>, userName: <name>}` (vendor notes
 * §1.3: a policy names a user by "<userId or userName>"), a role session
 * `{account, user: <role>/<session>}`.
 */
export function principalOf(record: KeyRecord): ObsPrincipal {
  const holder = record.holder;
  switch (holder.kind) {
    case 'account':
      return { account: holder.account.id };
    case 'user':
      // A user without a name in the accounts file is named by its id alone.
      return { account: holder.account.id, user: holder.user.id, ...(holder.user.name === undefined ? {} : { userName: holder.user.name }) };
    case 'session':
      // Emulator choice: OBS role sessions are agency principals (`domain/<id>:agency/<name>`, §1.3), which the reference
      // matches to no request; a session is read as a user `<role>/<session>` of its account instead, so that
      // `domain/<id>:user/*` covers it and `domain/<id>:user/<role>/<session>` names it.
      return { account: holder.account.id, user: `${holder.role.name}/${holder.session.name}` };
  }
}

function failure(status: 400 | 403, code: string, message: string, signatureKind?: ObsSignatureKind, extra?: Record<string, string>): AuthFailure {
  return { kind: 'failure', status, code, message, ...(signatureKind === undefined ? {} : { signature: signatureKind }), ...(extra === undefined ? {} : { extra }) };
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Checks the key (known, not expired) and the session token (vendor notes §6.3: "An STS token adds `x-obs-security-token` / `x-amz-security-token`, which is signed"). */
function checkKey(input: AuthInput, accessKeyId: string, kind: ObsSignatureKind, token: string | undefined): AnyKeyRecord | AuthFailure {
  const record = input.keys.get(accessKeyId);
  // Vendor notes §6.4: InvalidAccessKeyId 403.
  if (record === undefined) return failure(403, 'InvalidAccessKeyId', 'The AccessKey Id you provided does not exist in our records.', kind);
  if (record.expiresAt !== undefined && input.receivedAt.getTime() > record.expiresAt) {
    return failure(403, 'InvalidAccessKeyId', 'The temporary AccessKey has expired.', kind);
  }
  if (record.securityToken !== undefined && token !== record.securityToken) {
    return failure(403, 'InvalidAccessKeyId', token === undefined ? 'The temporary AccessKey needs its security token.' : 'The security token does not match the temporary AccessKey.', kind);
  }
  if (record.securityToken === undefined && token !== undefined) {
    return failure(403, 'InvalidAccessKeyId', 'A security token was sent with a permanent AccessKey.', kind);
  }
  return record;
}

function caller(record: AnyKeyRecord, kind: ObsSignatureKind): ObsCaller {
  const holder = record.holder;
  // Emulator-only: the log delivery key acts as the reference's principal `log-delivery`, the only member of the
  // LogDelivery group (vendor notes §5.4; model/huawei-obs/types.ts OBS_LOG_DELIVERY).
  if (holder.kind === 'log-delivery') return { kind: 'log-delivery', signature: kind, record: { ...record, holder }, principal: OBS_LOG_DELIVERY };
  const accountRecord: KeyRecord = { ...record, holder };
  return { kind: 'key', signature: kind, record: accountRecord, account: holder.account, principal: principalOf(accountRecord) };
}

/** Authenticates a request signed in its `Authorization` header. */
function headerAuth(input: AuthInput, header: string): ObsCaller | AuthFailure {
  const parsed = parseAuthorization(header);
  if (parsed.kind === 'error') {
    // The SDK recognises 400 "Unsupported Authorization Type" (its CreateBucket fallback, S2); vendor notes §6.4: InvalidArgument 400.
    return failure(400, 'InvalidArgument', parsed.message);
  }
  const kind = parsed.kind;
  const prefix = headerPrefix(kind);
  const key = checkKey(input, parsed.accessKeyId, kind, single(input.headers, `${prefix}security-token`));
  if ('kind' in key && key.kind === 'failure') return key;
  const record = key as AnyKeyRecord;
  const headers = input.headersDistinct as SigningHeaders;
  const toSign = requestStringToSign({ method: input.method, headers, rawPath: input.rawPath, rawQuery: input.rawQuery, ...(input.virtualHostBucket === undefined ? {} : { virtualHostBucket: input.virtualHostBucket }) }, kind);
  const expected = signature(record.accessKeySecret, toSign);
  if (!signaturesMatch(expected, parsed.signature)) {
    // Vendor notes §6.4: SignatureDoesNotMatch 403. The string-to-sign is echoed, as S3-style services do, for debugging.
    return failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', kind, {
      StringToSign: toSign,
      SignatureProvided: parsed.signature,
      AccessKeyId: parsed.accessKeyId,
    });
  }
  const dateText = single(input.headers, `${prefix}date`) ?? single(input.headers, 'date');
  const date = dateText === undefined ? Number.NaN : Date.parse(dateText);
  if (Number.isNaN(date)) return failure(403, 'AccessDenied', 'The request must carry a valid Date or ' + `${prefix}date header.`, kind);
  // Vendor notes §6.1 (O19): "Clock skew > 15 min: 403 RequestTimeTooSkewed".
  if (Math.abs(input.receivedAt.getTime() - date) > MAX_SKEW_MS) {
    return failure(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server\'s time is too large.', kind, {
      RequestTime: dateText ?? '',
      ServerTime: input.receivedAt.toISOString(),
    });
  }
  return caller(record, kind);
}

/**
 * Authenticates a signed URL (vendor notes §8.4 `createSignedUrlSync`): `AccessKeyId` (OBS) or
 * `AWSAccessKeyId` (AWS V2), `Expires` (epoch seconds, in the Date line) and `Signature`.
 */
function queryAuth(input: AuthInput): ObsCaller | AuthFailure {
  const kind: ObsSignatureKind = input.query.has('AccessKeyId') ? 'obs' : 'aws';
  const accessKeyId = input.query.get(kind === 'obs' ? 'AccessKeyId' : 'AWSAccessKeyId') ?? '';
  const provided = input.query.get('Signature');
  const expires = input.query.get('Expires');
  if (accessKeyId === '' || provided === undefined || expires === undefined || !/^\d+$/.test(expires)) {
    return failure(403, 'AccessDenied', 'A signed URL needs AccessKeyId (or AWSAccessKeyId), Expires and Signature.', kind);
  }
  const key = checkKey(input, accessKeyId, kind, input.query.get(`${headerPrefix(kind)}security-token`) ?? single(input.headers, `${headerPrefix(kind)}security-token`));
  if ('kind' in key && key.kind === 'failure') return key;
  const record = key as AnyKeyRecord;
  const headers = input.headersDistinct as SigningHeaders;
  const toSign = stringToSign({
    method: input.method,
    contentMd5: single(input.headers, 'content-md5'),
    contentType: single(input.headers, 'content-type'),
    date: expires,
    canonicalHeaders: canonicalHeaders(headers, kind),
    canonicalResource: canonicalResource(input.rawPath, input.rawQuery, input.virtualHostBucket),
  });
  if (!signaturesMatch(signature(record.accessKeySecret, toSign), provided)) {
    return failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', kind, { StringToSign: toSign, SignatureProvided: provided, AccessKeyId: accessKeyId });
  }
  if (Number(expires) * 1000 < input.receivedAt.getTime()) return failure(403, 'AccessDenied', 'Request has expired.', kind);
  return caller(record, kind);
}

/**
 * Authenticates a request: the Authorization header if present, else a signed URL's query, else
 * anonymous (vendor notes §6.3: "No AK/SK configured: no Authorization header (anonymous)").
 */
export function authenticate(input: AuthInput): ObsCaller | AuthFailure {
  const header = single(input.headers, 'authorization');
  if (header !== undefined) return headerAuth(input, header);
  if (input.query.has('Signature')) return queryAuth(input);
  return { kind: 'anonymous' };
}
