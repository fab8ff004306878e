/**
 * Authentication of OSS requests: the Authorization header (or, for a presigned URL, the query
 * string, §5.3) is parsed and the V1 or V4 signature recomputed with
 * `adapters/http/alibaba-oss/signing.ts` (vendor notes alibaba-oss.md §4.3, §4.4), the date
 * checked for skew or the URL for expiry, the STS security token and expiry checked; the holder of the key
 * becomes the evaluator's principal (model/alibaba-oss/types.ts `AliRequest.principal`). The
 * emulator-only administrator key (README "The administrator key") is verified the same way and
 * becomes the identity `admin`, which no evaluator decision is asked about.
 */
import {
  canonicalRequestPresignV4,
  canonicalRequestV4,
  formatDateV4,
  headerValue,
  parseAuthorization,
  parseDateV1,
  parseDateV4,
  parsePresignV1,
  parsePresignV4,
  presignVersion,
  queryParam,
  signatureV1,
  signatureV4,
  signaturesEqual,
  stringToSignPresignV1,
  stringToSignV1,
  stringToSignV4,
  type EmptyQueryValue,
  type QueryPairs,
  type SigningHeaders,
} from '../../adapters/http/alibaba-oss/signing.ts';
import { ANONYMOUS } from '../../model/alibaba-oss/types.ts';
import type { AccountEntry, AdminHolder, KeyHolder, KeyRecord } from '../accounts.ts';
import { OssFailure } from './replies.ts';

/** The principal string the administrator carries; no policy can name it (it is neither a UID nor an ARN). */
export const ADMIN_PRINCIPAL = 'bucket-conformance:emulator-admin';

/**
 * Who sent a request: nobody (no Authorization header), the holder of a verified key of an
 * account, or the emulator's administrator (allowed everything on every bucket, never decided).
 */
export type OssIdentity =
  | { readonly kind: 'anonymous'; readonly principal: typeof ANONYMOUS }
  | {
      readonly kind: 'admin';
      readonly principal: typeof ADMIN_PRINCIPAL;
      readonly accessKeyId: string;
      readonly version: 'v1' | 'v4';
      readonly presigned: boolean;
      readonly scopeRegion: string | undefined;
    }
  | {
      readonly kind: 'signed';
      readonly principal: string;
      readonly account: AccountEntry;
      readonly holder: KeyHolder;
      readonly accessKeyId: string;
      readonly version: 'v1' | 'v4';
      /** Whether the signature came in the query string (a presigned URL, §5.3) rather than in `Authorization`. */
      readonly presigned: boolean;
      /** The region of the V4 scope. */
      readonly scopeRegion: string | undefined;
    };

/** The largest accepted difference between the request date and the server clock (§4.3: "Clock skew > 15 min: 403 RequestTimeTooSkewed"). */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * The principal string of a key holder (model/alibaba-oss/types.ts): the account UID, the RAM
 * user's UID, or `arn:sts::<account uid>:assumed-role/<role>/<session>` (§1.3).
 */
export function principalOf(holder: KeyHolder): string {
  switch (holder.kind) {
    case 'account':
      return holder.account.id;
    case 'user':
      return holder.user.id;
    case 'session':
      return `arn:sts::${holder.account.id}:assumed-role/${holder.role.name}/${holder.session.name}`;
  }
}

/** What authentication reads from a request. */
export interface AuthInput {
  readonly method: string;
  /** Header values as UTF-8 text (Node hands them over as latin1). */
  readonly headers: SigningHeaders;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly query: QueryPairs;
  readonly now: Date;
  /** The keys (with the administrator's, when the accounts have one). */
  readonly keys: ReadonlyMap<string, KeyRecord<KeyHolder | AdminHolder>>;
}

function bytesOf(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function accessDenied(message: string, ec: string, extra?: Record<string, string>): OssFailure {
  return new OssFailure(403, 'AccessDenied', message, { ec, ...(extra === undefined ? {} : { extra }) });
}

function keyRecord(input: AuthInput, accessKeyId: string): KeyRecord<KeyHolder | AdminHolder> {
  const record = input.keys.get(accessKeyId);
  if (record === undefined) {
    throw new OssFailure(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { extra: { OSSAccessKeyId: accessKeyId } });
  }
  return record;
}

function signatureMismatch(accessKeyId: string, signature: string, stringToSign: string, canonicalRequest?: string): OssFailure {
  const extra: Record<string, string> = { StringToSign: stringToSign, SignatureProvided: signature, OSSAccessKeyId: accessKeyId };
  if (canonicalRequest !== undefined) extra['CanonicalRequest'] = canonicalRequest;
  extra['StringToSignBytes'] = bytesOf(stringToSign);
  return new OssFailure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', { extra });
}

/**
 * Checks a session key's security token and expiry. §4.3: "STS: add the x-oss-security-token
 * header; it is signed as a normal x-oss header" (in a presigned URL: the `security-token` or
 * `x-oss-security-token` query parameter). A session key without its token, or with another
 * token, is refused (the code is not in the notes; OSS uses InvalidSecurityToken).
 */
function checkSession(record: KeyRecord<KeyHolder | AdminHolder>, accessKeyId: string, token: string | undefined, now: Date): void {
  if (record.securityToken !== undefined && (token === undefined || !signaturesEqual(record.securityToken, token))) {
    throw new OssFailure(403, 'InvalidSecurityToken', 'The security token you provided is invalid.', { extra: { OSSAccessKeyId: accessKeyId } });
  }
  if (record.expiresAt !== undefined && now.getTime() >= record.expiresAt) {
    throw new OssFailure(403, 'SecurityTokenExpired', 'The security token you provided has expired.', { extra: { OSSAccessKeyId: accessKeyId } });
  }
}

function signedIdentity(record: KeyRecord<KeyHolder | AdminHolder>, accessKeyId: string, version: 'v1' | 'v4', presigned: boolean, scopeRegion: string | undefined): OssIdentity {
  if (record.holder.kind === 'admin') return { kind: 'admin', principal: ADMIN_PRINCIPAL, accessKeyId, version, presigned, scopeRegion };
  return { kind: 'signed', principal: principalOf(record.holder), account: record.holder.account, holder: record.holder, accessKeyId, version, presigned, scopeRegion };
}

/**
 * Verifies a V4 signature by recomputation. §4.4 writes an empty query value as `k` alone;
 * ali-oss writes `prefix: ''` as `prefix=`, so when the first form does not verify and the query
 * has an empty value, the second is tried.
 */
function verifyV4(
  input: AuthInput,
  secret: string,
  credential: { day: string; region: string; product: string; additionalHeaders: readonly string[]; signature: string },
  date: string,
  canonical: (emptyQueryValue: EmptyQueryValue) => string,
): { canonicalRequest: string; stringToSign: string; ok: boolean } {
  // The scope's day is the date's day: a credential scoped to another day does not verify.
  const day = date.slice(0, 8);
  const attempt = (emptyQueryValue: EmptyQueryValue) => {
    const canonicalRequest = canonical(emptyQueryValue);
    const stringToSign = stringToSignV4(date, credential.region, canonicalRequest, credential.product);
    const ok = credential.day === day && credential.product === 'oss' && signaturesEqual(signatureV4(secret, day, credential.region, stringToSign, credential.product), credential.signature);
    return { canonicalRequest, stringToSign, ok };
  };
  const first = attempt('bare');
  return first.ok || !input.query.some(([, v]) => v === '') ? first : attempt('equals');
}

function expired(expiresAt: Date, now: Date): OssFailure {
  // OSS EC 0002-00000069 ("the signed URL has expired"; not in the notes): 403 AccessDenied "Request has expired.".
  return accessDenied('Request has expired.', '0002-00000069', { Expires: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), ServerTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z') });
}

/**
 * A V1 presigned URL (§5.3): `OSSAccessKeyId`, `Expires` (epoch seconds) and `Signature`; the
 * string-to-sign has the `Expires` value in the Date line. Refused once the arrival time is past
 * `Expires`.
 */
function authenticatePresignV1(input: AuthInput): OssIdentity {
  const parsed = parsePresignV1(input.query);
  if (parsed.version === 'invalid') {
    // OSS ECs 0002-00000068 (empty Expires) and 0002-00000070 (invalid Expires), not in the notes.
    if (parsed.field === 'Expires') throw accessDenied(`Invalid presigned URL: ${parsed.reason}.`, parsed.reason.includes('missing') ? '0002-00000068' : '0002-00000070');
    throw new OssFailure(400, 'InvalidArgument', `Invalid presigned URL: ${parsed.reason}.`, { extra: { ArgumentName: parsed.field, ArgumentValue: queryParam(input.query, parsed.field) ?? '' } });
  }
  const record = keyRecord(input, parsed.accessKeyId);
  const expiresAt = new Date(parsed.expires * 1000);
  if (input.now.getTime() > expiresAt.getTime()) throw expired(expiresAt, input.now);
  const stringToSign = stringToSignPresignV1({ method: input.method, headers: input.headers, bucket: input.bucket, key: input.key, query: input.query }, parsed.expiresText);
  if (!signaturesEqual(signatureV1(record.accessKeySecret, stringToSign), parsed.signature)) throw signatureMismatch(parsed.accessKeyId, parsed.signature, stringToSign);
  // ali-oss puts an STS token in the signed sub-resource `security-token` (S13 signatureUrl.js).
  checkSession(record, parsed.accessKeyId, queryParam(input.query, 'security-token') ?? headerValue(input.headers, 'x-oss-security-token'), input.now);
  return signedIdentity(record, parsed.accessKeyId, 'v1', true, undefined);
}

/**
 * A V4 presigned URL (§5.3, ali-oss `signatureUrlV4`): `x-oss-credential`, `x-oss-date`,
 * `x-oss-expires`, `x-oss-signature-version`, optional `x-oss-additional-headers` and
 * `x-oss-security-token`, and `x-oss-signature`. Valid from 15 minutes before `x-oss-date` to
 * `x-oss-date + x-oss-expires`.
 */
function authenticatePresignV4(input: AuthInput): OssIdentity {
  const parsed = parsePresignV4(input.query);
  if (parsed.version === 'invalid') {
    throw new OssFailure(400, 'InvalidArgument', `Invalid presigned URL: ${parsed.reason}.`, { extra: { ArgumentName: parsed.field, ArgumentValue: queryParam(input.query, parsed.field) ?? '' } });
  }
  const record = keyRecord(input, parsed.accessKeyId);
  const signedAt = parseDateV4(parsed.date) as Date;
  if (signedAt.getTime() - input.now.getTime() > MAX_SKEW_MS) {
    // OSS EC 0002-00000235 (not in the notes): the request is earlier than x-oss-date by more than 15 minutes.
    throw accessDenied('Request is not valid yet: x-oss-date is in the future.', '0002-00000235', { RequestTime: formatDateV4(signedAt), ServerTime: formatDateV4(input.now) });
  }
  const expiresAt = new Date(signedAt.getTime() + parsed.expires * 1000);
  if (input.now.getTime() > expiresAt.getTime()) throw expired(expiresAt, input.now);
  const { canonicalRequest, stringToSign, ok } = verifyV4(input, record.accessKeySecret, parsed, parsed.date, (emptyQueryValue) =>
    canonicalRequestPresignV4({ method: input.method, headers: input.headers, bucket: input.bucket, key: input.key, query: input.query, additionalHeaders: parsed.additionalHeaders, emptyQueryValue }));
  if (!ok) throw signatureMismatch(parsed.accessKeyId, parsed.signature, stringToSign, canonicalRequest);
  checkSession(record, parsed.accessKeyId, queryParam(input.query, 'x-oss-security-token') ?? headerValue(input.headers, 'x-oss-security-token'), input.now);
  return signedIdentity(record, parsed.accessKeyId, 'v4', true, parsed.region);
}

/** Authenticates a request; throws an `OssFailure` when it is refused. */
export function authenticate(input: AuthInput): OssIdentity {
  const authorization = headerValue(input.headers, 'authorization');
  if (authorization === undefined) {
    // §5.3: a presigned URL carries the signature in the query string.
    const presigned = presignVersion(input.query);
    if (presigned === 'v1') return authenticatePresignV1(input);
    if (presigned === 'v4') return authenticatePresignV4(input);
    // §4.3: "Anonymous = no Authorization header".
    return { kind: 'anonymous', principal: ANONYMOUS };
  }
  const parsed = parseAuthorization(authorization);
  if (parsed.version === 'invalid') {
    // §4.2: "Malformed Authorization gives 400 InvalidArgument".
    throw new OssFailure(400, 'InvalidArgument', `Authorization header is invalid: ${parsed.reason}.`, { extra: { ArgumentName: 'Authorization', ArgumentValue: authorization } });
  }
  const record = keyRecord(input, parsed.accessKeyId);

  // §4.2: a missing or bad date gives 403 AccessDenied; EC 0002-00000502 (bad format), 0002-00000503 (no date).
  let dateText: string | undefined;
  let date: Date | undefined;
  if (parsed.version === 'v1') {
    // §4.3: the Date line is x-oss-date when present (the recommended Python rule), else Date.
    dateText = headerValue(input.headers, 'x-oss-date') ?? headerValue(input.headers, 'date');
    if (dateText !== undefined) date = parseDateV1(dateText) ?? parseLooseHttpDate(dateText);
  } else {
    dateText = headerValue(input.headers, 'x-oss-date');
    if (dateText !== undefined) date = parseDateV4(dateText);
  }
  if (dateText === undefined || dateText === '') throw accessDenied('OSS authentication requires a valid Date.', '0002-00000503');
  if (date === undefined) throw accessDenied(`The date \`${dateText}\` is not in a valid format.`, '0002-00000502');
  if (Math.abs(date.getTime() - input.now.getTime()) > MAX_SKEW_MS) {
    throw new OssFailure(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      extra: { RequestTime: date.toISOString(), ServerTime: input.now.toISOString(), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS) },
    });
  }

  let scopeRegion: string | undefined;
  if (parsed.version === 'v1') {
    const stringToSign = stringToSignV1({ method: input.method, headers: input.headers, bucket: input.bucket, key: input.key, query: input.query });
    if (!signaturesEqual(signatureV1(record.accessKeySecret, stringToSign), parsed.signature)) throw signatureMismatch(parsed.accessKeyId, parsed.signature, stringToSign);
  } else {
    scopeRegion = parsed.region;
    const v4Date = dateText;
    const { canonicalRequest, stringToSign, ok } = verifyV4(input, record.accessKeySecret, parsed, v4Date, (emptyQueryValue) =>
      canonicalRequestV4({ method: input.method, headers: input.headers, bucket: input.bucket, key: input.key, query: input.query, additionalHeaders: parsed.additionalHeaders, emptyQueryValue }));
    if (!ok) throw signatureMismatch(parsed.accessKeyId, parsed.signature, stringToSign, canonicalRequest);
  }
  checkSession(record, parsed.accessKeyId, headerValue(input.headers, 'x-oss-security-token'), input.now);
  return signedIdentity(record, parsed.accessKeyId, parsed.version, false, scopeRegion);
}

// A Date header in another HTTP date form (RFC 850, asctime) that Date.parse reads; OSS SDKs send RFC 1123.
function parseLooseHttpDate(text: string): Date | undefined {
  if (!/GMT$|\d{4}$/.test(text.trim())) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t);
}
