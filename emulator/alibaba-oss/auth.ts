/**
 * Authentication of OSS requests: the Authorization header is parsed and the V1 or V4 signature
 * recomputed with `adapters/http/alibaba-oss/signing.ts` (vendor notes alibaba-oss.md §4.3, §4.4),
 * the date checked for skew, the STS security token and expiry checked; the holder of the key
 * becomes the evaluator's principal (model/alibaba-oss/types.ts `AliRequest.principal`).
 */
import {
  canonicalRequestV4,
  headerValue,
  parseAuthorization,
  parseDateV1,
  parseDateV4,
  signatureV1,
  signatureV4,
  signaturesEqual,
  stringToSignV1,
  stringToSignV4,
  type EmptyQueryValue,
  type QueryPairs,
  type SigningHeaders,
} from '../../adapters/http/alibaba-oss/signing.ts';
import { ANONYMOUS } from '../../model/alibaba-oss/types.ts';
import type { AccountEntry, KeyHolder, KeyRecord } from '../accounts.ts';
import { OssFailure } from './replies.ts';

/** Who sent a request: nobody (no Authorization header), or the holder of a verified key. */
export type OssIdentity =
  | { readonly kind: 'anonymous'; readonly principal: typeof ANONYMOUS }
  | {
      readonly kind: 'signed';
      readonly principal: string;
      readonly account: AccountEntry;
      readonly holder: KeyHolder;
      readonly accessKeyId: string;
      readonly version: 'v1' | 'v4';
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
  readonly keys: ReadonlyMap<string, KeyRecord>;
}

const QUERY_SIGNATURE_PARAMS = ['OSSAccessKeyId', 'Signature', 'x-oss-signature', 'x-oss-credential'];

function bytesOf(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function accessDenied(message: string, ec: string): OssFailure {
  return new OssFailure(403, 'AccessDenied', message, { ec });
}

/** Authenticates a request; throws an `OssFailure` when it is refused. */
export function authenticate(input: AuthInput): OssIdentity {
  const authorization = headerValue(input.headers, 'authorization');
  if (authorization === undefined) {
    if (input.query.some(([name]) => QUERY_SIGNATURE_PARAMS.includes(name))) {
      throw new OssFailure(501, 'NotImplemented', 'Signatures in the query string (presigned URLs) are not supported by this emulator.');
    }
    // §4.3: "Anonymous = no Authorization header".
    return { kind: 'anonymous', principal: ANONYMOUS };
  }
  const parsed = parseAuthorization(authorization);
  if (parsed.version === 'invalid') {
    // §4.2: "Malformed Authorization gives 400 InvalidArgument".
    throw new OssFailure(400, 'InvalidArgument', `Authorization header is invalid: ${parsed.reason}.`, { extra: { ArgumentName: 'Authorization', ArgumentValue: authorization } });
  }
  const record = input.keys.get(parsed.accessKeyId);
  if (record === undefined) {
    throw new OssFailure(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { extra: { OSSAccessKeyId: parsed.accessKeyId } });
  }

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
    const expected = signatureV1(record.accessKeySecret, stringToSign);
    if (!signaturesEqual(expected, parsed.signature)) {
      throw new OssFailure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        extra: { StringToSign: stringToSign, SignatureProvided: parsed.signature, OSSAccessKeyId: parsed.accessKeyId, StringToSignBytes: bytesOf(stringToSign) },
      });
    }
  } else {
    scopeRegion = parsed.region;
    // The scope's day is the x-oss-date's day: a credential scoped to another day does not verify.
    const day = dateText.slice(0, 8);
    const attempt = (emptyQueryValue: EmptyQueryValue) => {
      const canonicalRequest = canonicalRequestV4({ method: input.method, headers: input.headers, bucket: input.bucket, key: input.key, query: input.query, additionalHeaders: parsed.additionalHeaders, emptyQueryValue });
      const stringToSign = stringToSignV4(dateText, parsed.region, canonicalRequest, parsed.product);
      const ok = parsed.day === day && parsed.product === 'oss' && signaturesEqual(signatureV4(record.accessKeySecret, day, parsed.region, stringToSign, parsed.product), parsed.signature);
      return { canonicalRequest, stringToSign, ok };
    };
    // §4.4 writes an empty value as `k` alone; ali-oss writes `prefix: ''` as `prefix=`, so that form is accepted too.
    const first = attempt('bare');
    const { canonicalRequest, stringToSign, ok } = first.ok || !input.query.some(([, v]) => v === '') ? first : attempt('equals');
    if (!ok) {
      throw new OssFailure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        extra: { StringToSign: stringToSign, SignatureProvided: parsed.signature, OSSAccessKeyId: parsed.accessKeyId, CanonicalRequest: canonicalRequest, StringToSignBytes: bytesOf(stringToSign) },
      });
    }
  }

  if (record.securityToken !== undefined) {
    // §4.3: "STS: add the x-oss-security-token header; it is signed as a normal x-oss header". A session key
    // without its token, or with another token, is refused (the code is not in the notes; OSS uses InvalidSecurityToken).
    const token = headerValue(input.headers, 'x-oss-security-token');
    if (token === undefined || !signaturesEqual(record.securityToken, token)) {
      throw new OssFailure(403, 'InvalidSecurityToken', 'The security token you provided is invalid.', { extra: { OSSAccessKeyId: parsed.accessKeyId } });
    }
  }
  if (record.expiresAt !== undefined && input.now.getTime() >= record.expiresAt) {
    throw new OssFailure(403, 'SecurityTokenExpired', 'The security token you provided has expired.', { extra: { OSSAccessKeyId: parsed.accessKeyId } });
  }

  return {
    kind: 'signed',
    principal: principalOf(record.holder),
    account: record.holder.account,
    holder: record.holder,
    accessKeyId: parsed.accessKeyId,
    version: parsed.version,
    scopeRegion,
  };
}

// A Date header in another HTTP date form (RFC 850, asctime) that Date.parse reads; OSS SDKs send RFC 1123.
function parseLooseHttpDate(text: string): Date | undefined {
  if (!/GMT$|\d{4}$/.test(text.trim())) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t);
}
