/**
 * Request signing of Alibaba Cloud OSS, as pure functions: signature V1 (`Authorization: OSS
 * AK:sig`, HMAC-SHA1) and signature V4 (`OSS4-HMAC-SHA256`, HMAC-SHA256 chain), vendor notes
 * alibaba-oss.md §4.3 and §4.4. The emulator verifies by recomputing with these; the live HTTP
 * adapter signs with them. The canonicalisation follows what `ali-oss` 6.23.0 signs (§4.3, §4.4,
 * VERIFIED there: every V1 and V4 signature was recomputed from the wire data alone).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Request headers by lower-case name; repeated headers as a list (joined with `,` when signed). */
export type SigningHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Decoded query parameters in the order sent; a parameter written without `=` has the value `''`. */
export type QueryPairs = readonly (readonly [name: string, value: string])[];

/**
 * The query parameters that V1 signs (§4.3 "Which query parameters are signed: only
 * sub-resources"): the documented list of S11, the additions of the Python SDK (S17), and
 * `policy`, which ali-oss signs (VERIFIED). `prefix`, `marker`, `max-keys`, `delimiter`,
 * `list-type`, `start-after`, `fetch-owner` and `encoding-type` are not signed (VERIFIED).
 */
export const V1_SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  // S11 (2019)
  'acl', 'uploads', 'location', 'cors', 'logging', 'website', 'referer', 'lifecycle', 'delete', 'append', 'tagging',
  'objectMeta', 'uploadId', 'partNumber', 'security-token', 'position', 'img', 'style', 'styleName', 'replication',
  'replicationProgress', 'replicationLocation', 'cname', 'bucketInfo', 'comp', 'qos', 'live', 'status', 'vod',
  'startTime', 'endTime', 'symlink', 'x-oss-process', 'response-content-type', 'response-content-language',
  'response-expires', 'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  // S17 (current Python SDK), as far as the notes list it
  'policy', 'stat', 'encryption', 'versions', 'versioning', 'versionId', 'requestPayment', 'x-oss-request-payer',
  'sequential', 'inventory', 'inventoryId', 'continuation-token', 'callback', 'callback-var', 'worm', 'wormId',
  'wormExtend', 'x-oss-traffic-limit', 'qosInfo', 'asyncFetch', 'transferAcceleration', 'regionList', 'metaQuery',
  'resourceGroup', 'httpsConfig', 'accessPoint', 'accessPointPolicy', 'publicAccessBlock',
]);

/** The V4 algorithm name (§4.4). */
export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
/** The terminal element of a V4 scope (§4.4). */
export const V4_TERMINATOR = 'aliyun_v4_request';
/** The payload hash ali-oss always sends in `x-oss-content-sha256` (§4.4). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

// --- shared helpers ---

/** The value of a header as it is signed: repeated values joined with `,`, trimmed; undefined when absent. */
export function headerValue(headers: SigningHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return (typeof v === 'string' ? v : v.join(',')).trim();
}

/**
 * RFC 3986 percent-encoding of one component: unreserved `A-Za-z0-9-._~` kept, everything else
 * escaped as UTF-8 bytes in upper-case hex (ali-oss `encodeString`: `encodeURIComponent` plus
 * `!'()*`).
 */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Splits a raw query string (`?` excluded) into decoded pairs, or returns undefined when an
 * escape is malformed. A `+` is a space, as the Go SDK v2 reads it when it signs (S15 v4.go:
 * `+` replaced by `%20`); ali-oss escapes a plus as `%2B`.
 */
export function parseQuery(rawQuery: string): QueryPairs | undefined {
  if (rawQuery === '') return [];
  const pairs: [string, string][] = [];
  for (const item of rawQuery.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const rawName = eq < 0 ? item : item.slice(0, eq);
    const rawValue = eq < 0 ? '' : item.slice(eq + 1);
    try {
      pairs.push([decodeURIComponent(rawName.replace(/\+/g, ' ')), decodeURIComponent(rawValue.replace(/\+/g, ' '))]);
    } catch {
      return undefined;
    }
  }
  return pairs;
}

/** The resource path the signatures cover: `/`, `/bucket/` or `/bucket/key` (§4.3, §4.4: the bucket is included whatever the addressing). */
export function resourcePath(bucket: string | undefined, key: string | undefined): string {
  if (bucket === undefined || bucket === '') return '/';
  return `/${bucket}/${key ?? ''}`;
}

// --- dates ---

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The V1 `x-oss-date` / `Date` form, RFC 1123 GMT (§5.4): `Sun, 22 Nov 2026 13:39:39 GMT`. */
export function formatDateV1(date: Date): string {
  return date.toUTCString();
}

/** The V4 `x-oss-date` form, ISO 8601 basic (§4.4): `20261122T133939Z`. */
export function formatDateV4(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const V4_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const V1_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** Parses a V4 date (`yyyymmddTHHMMSSZ`); undefined when it is not one. */
export function parseDateV4(text: string): Date | undefined {
  const m = V4_DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 61 ? date : undefined;
}

/** Parses a V1 date (RFC 1123 GMT, `Sun, 22 Nov 2026 13:39:39 GMT`); undefined when it is not one. */
export function parseDateV1(text: string): Date | undefined {
  const m = V1_DATE.exec(text.trim());
  if (m === null) return undefined;
  const day = Number(m[1]);
  const month = MONTHS.indexOf(m[2] as (typeof MONTHS)[number]);
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  const date = new Date(Date.UTC(Number(m[3]), month, day, h, mi, s));
  return date.getUTCDate() === day && h < 24 && mi < 60 && s < 61 ? date : undefined;
}

// --- V1 ---

/**
 * CanonicalizedOSSHeaders (§4.3): every `x-oss-*` header, name lower-cased, value trimmed, sorted
 * by name, each `name:value\n`; the empty string when there is none.
 */
export function canonicalOssHeadersV1(headers: SigningHeaders): string {
  const names = Object.keys(headers).map((n) => n.toLowerCase()).filter((n) => n.startsWith('x-oss-')).sort();
  let out = '';
  for (const name of new Set(names)) {
    const v = headerValue(headers, name);
    if (v !== undefined) out += `${name}:${v}\n`;
  }
  return out;
}

/**
 * CanonicalizedResource (§4.3): `/bucket/key` with the decoded key, then `?` and the signed
 * sub-resources sorted by name, each `k` (empty value) or `k=v` (decoded value).
 */
export function canonicalResourceV1(bucket: string | undefined, key: string | undefined, query: QueryPairs): string {
  const signed = query.filter(([name]) => V1_SIGNED_SUBRESOURCES.has(name)).slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const path = resourcePath(bucket, key);
  if (signed.length === 0) return path;
  return `${path}?${signed.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&')}`;
}

/** What a V1 string-to-sign is computed from. */
export interface V1Input {
  readonly method: string;
  readonly headers: SigningHeaders;
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
  readonly query: QueryPairs;
  /** The Date line when it is not a header (the `Expires` of a presigned URL). */
  readonly date?: string;
}

/**
 * The V1 string-to-sign (§4.3): `VERB\nContent-MD5\nContent-Type\nDate\n` + CanonicalizedOSSHeaders
 * + CanonicalizedResource. The Date line is `x-oss-date` when present, else `Date` (the Python
 * rule the notes recommend; ali-oss sends only `x-oss-date`).
 */
export function stringToSignV1(input: V1Input): string {
  const h = input.headers;
  const date = input.date ?? headerValue(h, 'x-oss-date') ?? headerValue(h, 'date') ?? '';
  return `${input.method.toUpperCase()}\n${headerValue(h, 'content-md5') ?? ''}\n${headerValue(h, 'content-type') ?? ''}\n${date}\n`
    + canonicalOssHeadersV1(h) + canonicalResourceV1(input.bucket, input.key, input.query);
}

/** The V1 signature: base64 of HMAC-SHA1 over the UTF-8 string-to-sign. */
export function signatureV1(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

/** The V1 Authorization header value: `OSS AK:signature`. */
export function formatAuthorizationV1(accessKeyId: string, signature: string): string {
  return `OSS ${accessKeyId}:${signature}`;
}

// --- V4 ---

/** What a V4 canonical request is computed from. */
export interface V4Input {
  readonly method: string;
  readonly headers: SigningHeaders;
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
  readonly query: QueryPairs;
  /** Lower-case names of extra signed headers (`AdditionalHeaders`), as the Authorization header lists them. */
  readonly additionalHeaders?: readonly string[];
  /** How an empty query value is written; default `bare` (`k` alone). */
  readonly emptyQueryValue?: EmptyQueryValue;
}

/** The V4 CanonicalURI (§4.4): `/bucket/key` RFC 3986-encoded with `/` kept. */
export function canonicalUriV4(bucket: string | undefined, key: string | undefined): string {
  return encodeRfc3986(resourcePath(bucket, key)).replace(/%2F/g, '/');
}

/**
 * How a V4 signer writes a parameter whose value is empty: `bare`, `k` alone (§4.4, the Go SDK
 * v2); or `equals`, as ali-oss does: `k=` for an empty-string query value such as `prefix=`, `k`
 * alone for the sub-resources (which it holds as null). Both look like `k=` on the wire.
 */
export type EmptyQueryValue = 'bare' | 'equals';

/**
 * The V4 CanonicalQueryString (§4.4): every parameter RFC 3986-encoded, sorted by encoded name
 * (then value), `k` alone when the value is empty (or `k=`, see `EmptyQueryValue`), joined with `&`.
 */
export function canonicalQueryV4(query: QueryPairs, empty: EmptyQueryValue = 'bare'): string {
  const items = query.map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v), empty === 'bare' || V1_SIGNED_SUBRESOURCES.has(k)] as const);
  items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return items.map(([k, v, bare]) => (v === '' && bare ? k : `${k}=${v}`)).join('&');
}

/** The V4 CanonicalHeaders (§4.4): `content-type`, `content-md5`, `x-oss-*` and the additional headers, sorted, each `k:v\n`. */
export function canonicalHeadersV4(headers: SigningHeaders, additionalHeaders: readonly string[] = []): string {
  const names = new Set<string>(additionalHeaders.map((n) => n.toLowerCase()));
  for (const name of Object.keys(headers)) {
    const n = name.toLowerCase();
    if (n === 'content-type' || n === 'content-md5' || n.startsWith('x-oss-')) names.add(n);
  }
  let out = '';
  for (const name of [...names].sort()) out += `${name}:${headerValue(headers, name) ?? ''}\n`;
  return out;
}

/**
 * The V4 canonical request (§4.4): `VERB\nURI\nQUERY\n` + CanonicalHeaders + `\n` +
 * AdditionalHeaders (`;`-joined) + `\n` + the `x-oss-content-sha256` value (or `UNSIGNED-PAYLOAD`).
 */
export function canonicalRequestV4(input: V4Input): string {
  const additional = [...new Set((input.additionalHeaders ?? []).map((n) => n.toLowerCase()))].sort();
  return [
    input.method.toUpperCase(),
    canonicalUriV4(input.bucket, input.key),
    canonicalQueryV4(input.query, input.emptyQueryValue),
    canonicalHeadersV4(input.headers, additional) + '\n' + additional.join(';'),
    headerValue(input.headers, 'x-oss-content-sha256') ?? UNSIGNED_PAYLOAD,
  ].join('\n');
}

/** The V4 scope: `yyyymmdd/region/oss/aliyun_v4_request`. */
export function scopeV4(day: string, region: string, product = 'oss'): string {
  return `${day}/${region}/${product}/${V4_TERMINATOR}`;
}

/** The V4 string-to-sign (§4.4): algorithm, `x-oss-date`, scope, hex SHA-256 of the canonical request. */
export function stringToSignV4(date: string, region: string, canonicalRequest: string, product = 'oss'): string {
  const day = date.split('T')[0] ?? date;
  return `${V4_ALGORITHM}\n${date}\n${scopeV4(day, region, product)}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
}

/** The V4 signing key (§4.4): HMAC chain from `"aliyun_v4" + secret` over day, region, product and the terminator. */
export function signingKeyV4(secret: string, day: string, region: string, product = 'oss'): Buffer {
  let key = createHmac('sha256', `aliyun_v4${secret}`).update(day).digest();
  key = createHmac('sha256', key).update(region).digest();
  key = createHmac('sha256', key).update(product).digest();
  return createHmac('sha256', key).update(V4_TERMINATOR).digest();
}

/** The V4 signature: lower-case hex HMAC-SHA256 of the string-to-sign with the signing key. */
export function signatureV4(secret: string, day: string, region: string, stringToSign: string, product = 'oss'): string {
  return createHmac('sha256', signingKeyV4(secret, day, region, product)).update(stringToSign, 'utf8').digest('hex');
}

/** What a V4 Authorization header carries. */
export interface V4Credential {
  readonly accessKeyId: string;
  readonly day: string;
  readonly region: string;
  readonly product: string;
  readonly additionalHeaders: readonly string[];
  readonly signature: string;
}

/** The V4 Authorization header value, in ali-oss's form (no space after the commas, §4.4). */
export function formatAuthorizationV4(credential: Omit<V4Credential, 'product'> & { product?: string }): string {
  const additional = credential.additionalHeaders.length > 0 ? `AdditionalHeaders=${credential.additionalHeaders.join(';')},` : '';
  return `${V4_ALGORITHM} Credential=${credential.accessKeyId}/${scopeV4(credential.day, credential.region, credential.product ?? 'oss')},${additional}Signature=${credential.signature}`;
}

// --- Authorization header ---

/** A parsed Authorization header: V1, V4, or the reason it does not parse. */
export type ParsedAuthorization =
  | { readonly version: 'v1'; readonly accessKeyId: string; readonly signature: string }
  | ({ readonly version: 'v4' } & V4Credential)
  | { readonly version: 'invalid'; readonly reason: string };

const V1_AUTH = /^OSS ([^:\s]+):(\S+)$/;

/**
 * Parses an Authorization header. V1 is `OSS AK:signature`; V4 is `OSS4-HMAC-SHA256
 * Credential=AK/day/region/oss/aliyun_v4_request,[AdditionalHeaders=a;b,]Signature=hex`, with
 * `, ` or `,` between the parts (§4.4: the doc shows `, `, ali-oss sends `,`).
 */
export function parseAuthorization(value: string): ParsedAuthorization {
  const text = value.trim();
  if (text.startsWith('OSS ')) {
    const m = V1_AUTH.exec(text);
    if (m === null) return { version: 'invalid', reason: 'a V1 Authorization header is `OSS AccessKeyId:Signature`' };
    return { version: 'v1', accessKeyId: m[1] as string, signature: m[2] as string };
  }
  if (!text.startsWith(`${V4_ALGORITHM} `)) return { version: 'invalid', reason: 'the Authorization header names no known signature method' };
  const fields = new Map<string, string>();
  for (const part of text.slice(V4_ALGORITHM.length + 1).split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return { version: 'invalid', reason: `malformed Authorization field \`${item}\`` };
    const name = item.slice(0, eq);
    if (fields.has(name)) return { version: 'invalid', reason: `Authorization field \`${name}\` is given twice` };
    fields.set(name, item.slice(eq + 1));
  }
  for (const name of fields.keys()) {
    if (name !== 'Credential' && name !== 'AdditionalHeaders' && name !== 'Signature') return { version: 'invalid', reason: `unknown Authorization field \`${name}\`` };
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  if (credential === undefined || signature === undefined) return { version: 'invalid', reason: 'a V4 Authorization header needs Credential and Signature' };
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) return { version: 'invalid', reason: 'Credential must be `AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request`' };
  const [accessKeyId, day, region, product, terminator] = parts as [string, string, string, string, string];
  if (!/^\d{8}$/.test(day) || terminator !== V4_TERMINATOR) return { version: 'invalid', reason: 'Credential must be `AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request`' };
  if (!/^[0-9a-f]{64}$/.test(signature)) return { version: 'invalid', reason: 'Signature must be 64 lower-case hex digits' };
  const additional = fields.get('AdditionalHeaders');
  const additionalHeaders = additional === undefined || additional === '' ? [] : additional.split(';').map((n) => n.trim().toLowerCase());
  if (additionalHeaders.some((n) => n === '')) return { version: 'invalid', reason: 'AdditionalHeaders must be header names separated by `;`' };
  return { version: 'v4', accessKeyId, day, region, product, additionalHeaders, signature };
}

/** Compares two signatures in constant time. */
export function signaturesEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

// --- whole-request helpers for a client ---

/** A request to sign: method, bucket and key (not encoded), decoded query, lower-case headers. */
export interface RequestToSign {
  readonly method: string;
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
  readonly query: QueryPairs;
  readonly headers: SigningHeaders;
}

/** Signs with V1: the Authorization header value. The headers must already carry `x-oss-date` (or `Date`). */
export function signRequestV1(request: RequestToSign, accessKeyId: string, secret: string): string {
  return formatAuthorizationV1(accessKeyId, signatureV1(secret, stringToSignV1(request)));
}

/**
 * Signs with V4: the Authorization header value. The headers must already carry `x-oss-date` in
 * the V4 form (and, as ali-oss sends it, `x-oss-content-sha256`).
 */
export function signRequestV4(request: RequestToSign & { readonly additionalHeaders?: readonly string[] }, accessKeyId: string, secret: string, region: string): string {
  const date = headerValue(request.headers, 'x-oss-date') ?? '';
  const day = date.split('T')[0] ?? '';
  const additionalHeaders = [...new Set((request.additionalHeaders ?? []).map((n) => n.toLowerCase()))].sort();
  const canonical = canonicalRequestV4({ ...request, additionalHeaders });
  const signature = signatureV4(secret, day, region, stringToSignV4(date, region, canonical));
  return formatAuthorizationV4({ accessKeyId, day, region, additionalHeaders, signature });
}

// --- presigned URLs (signature in the query string, §5.3) ---

/** The query parameters of a V1 presigned URL (§5.3: `?OSSAccessKeyId=AK&Expires=<epoch>&Signature=<b64>`). */
export const PRESIGN_V1_PARAMS = ['OSSAccessKeyId', 'Expires', 'Signature'] as const;

/** The query parameters of a V4 presigned URL (§5.3, ali-oss `signatureUrlV4`). */
export const PRESIGN_V4_PARAMS = [
  'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature', 'x-oss-additional-headers',
] as const;

/** The value of the first query parameter named `name`, or undefined. */
export function queryParam(query: QueryPairs, name: string): string | undefined {
  for (const [k, v] of query) if (k === name) return v;
  return undefined;
}

/** Whether a request carries its signature in the query string, and in which version. */
export function presignVersion(query: QueryPairs): 'v1' | 'v4' | undefined {
  if (query.some(([k]) => k === 'x-oss-signature' || k === 'x-oss-credential' || k === 'x-oss-signature-version')) return 'v4';
  if (query.some(([k]) => k === 'OSSAccessKeyId' || k === 'Signature')) return 'v1';
  return undefined;
}

/** The fields of a V1 presigned URL, or the reason they do not parse. */
export type ParsedPresignV1 =
  | { readonly version: 'v1'; readonly accessKeyId: string; readonly expires: number; readonly expiresText: string; readonly signature: string }
  | { readonly version: 'invalid'; readonly reason: string; readonly field: string };

/** Reads `OSSAccessKeyId`, `Expires` (epoch seconds) and `Signature` from a query. */
export function parsePresignV1(query: QueryPairs): ParsedPresignV1 {
  const accessKeyId = queryParam(query, 'OSSAccessKeyId');
  const expiresText = queryParam(query, 'Expires');
  const signature = queryParam(query, 'Signature');
  if (accessKeyId === undefined || accessKeyId === '') return { version: 'invalid', reason: 'the OSSAccessKeyId parameter is missing', field: 'OSSAccessKeyId' };
  if (signature === undefined || signature === '') return { version: 'invalid', reason: 'the Signature parameter is missing', field: 'Signature' };
  if (expiresText === undefined || expiresText === '') return { version: 'invalid', reason: 'the Expires parameter is missing', field: 'Expires' };
  if (!/^\d{1,12}$/.test(expiresText)) return { version: 'invalid', reason: `the Expires parameter \`${expiresText}\` is not a UNIX time`, field: 'Expires' };
  return { version: 'v1', accessKeyId, expires: Number(expiresText), expiresText, signature };
}

/**
 * The V1 string-to-sign of a presigned URL (§4.3, §5.3): as for a header-signed request, with the
 * `Expires` value in the Date line (ali-oss `_signatureForURL`: `expires || headers['x-oss-date']`).
 * `OSSAccessKeyId`, `Expires` and `Signature` are not sub-resources, so they are not signed;
 * `security-token` is.
 */
export function stringToSignPresignV1(input: Omit<V1Input, 'date'>, expires: string): string {
  return stringToSignV1({ ...input, date: expires });
}

/**
 * A V1 presigned query for a client: the request's sub-resources (e.g. `security-token`), then
 * `OSSAccessKeyId`, `Expires`, `Signature`. Append it to the object URL.
 */
export function presignQueryV1(request: RequestToSign, accessKeyId: string, secret: string, expires: number): QueryPairs {
  const signature = signatureV1(secret, stringToSignPresignV1(request, String(expires)));
  return [...request.query, ['OSSAccessKeyId', accessKeyId], ['Expires', String(expires)], ['Signature', signature]];
}

/** The fields of a V4 presigned URL, or the reason they do not parse. */
export type ParsedPresignV4 =
  | ({ readonly version: 'v4'; readonly date: string; readonly expires: number } & V4Credential)
  | { readonly version: 'invalid'; readonly reason: string; readonly field: string };

/** The longest validity of a V4 presigned URL, in seconds (7 days, as for `X-Amz-Expires`). */
export const PRESIGN_V4_MAX_EXPIRES = 604_800;

/**
 * Reads a V4 presigned query (§5.3): `x-oss-signature-version=OSS4-HMAC-SHA256`,
 * `x-oss-credential=AK/day/region/oss/aliyun_v4_request`, `x-oss-date`, `x-oss-expires` (seconds),
 * `x-oss-signature` (64 hex) and the optional `x-oss-additional-headers` (`a;b`).
 */
export function parsePresignV4(query: QueryPairs): ParsedPresignV4 {
  const version = queryParam(query, 'x-oss-signature-version');
  if (version !== V4_ALGORITHM) return { version: 'invalid', reason: `x-oss-signature-version must be \`${V4_ALGORITHM}\``, field: 'x-oss-signature-version' };
  const credential = queryParam(query, 'x-oss-credential') ?? '';
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '') || !/^\d{8}$/.test(parts[1] as string) || parts[4] !== V4_TERMINATOR) {
    return { version: 'invalid', reason: 'x-oss-credential must be `AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request`', field: 'x-oss-credential' };
  }
  const [accessKeyId, day, region, product] = parts as [string, string, string, string];
  const date = queryParam(query, 'x-oss-date') ?? '';
  if (parseDateV4(date) === undefined) return { version: 'invalid', reason: 'x-oss-date must be `yyyymmddTHHMMSSZ`', field: 'x-oss-date' };
  const expiresText = queryParam(query, 'x-oss-expires') ?? '';
  if (!/^\d{1,7}$/.test(expiresText) || Number(expiresText) < 1 || Number(expiresText) > PRESIGN_V4_MAX_EXPIRES) {
    return { version: 'invalid', reason: `x-oss-expires must be a number of seconds from 1 to ${PRESIGN_V4_MAX_EXPIRES}`, field: 'x-oss-expires' };
  }
  const signature = queryParam(query, 'x-oss-signature') ?? '';
  if (!/^[0-9a-f]{64}$/.test(signature)) return { version: 'invalid', reason: 'x-oss-signature must be 64 lower-case hex digits', field: 'x-oss-signature' };
  const additional = queryParam(query, 'x-oss-additional-headers');
  const additionalHeaders = additional === undefined || additional === '' ? [] : additional.split(';').map((n) => n.trim().toLowerCase());
  if (additionalHeaders.some((n) => n === '')) return { version: 'invalid', reason: 'x-oss-additional-headers must be header names separated by `;`', field: 'x-oss-additional-headers' };
  return { version: 'v4', accessKeyId, day, region, product, additionalHeaders, signature, date, expires: Number(expiresText) };
}

/**
 * The V4 canonical request of a presigned URL (ali-oss `signatureUrlV4`): as for a header-signed
 * request, over every query parameter except `x-oss-signature` (the other `x-oss-*` parameters,
 * `x-oss-security-token` included, are signed), with the request's `content-type`,
 * `content-md5`, `x-oss-*` and additional headers.
 */
export function canonicalRequestPresignV4(input: V4Input): string {
  return canonicalRequestV4({ ...input, query: input.query.filter(([k]) => k !== 'x-oss-signature') });
}

/**
 * A V4 presigned query for a client: the request's query plus `x-oss-credential`, `x-oss-date`,
 * `x-oss-expires`, `x-oss-signature-version`, the optional `x-oss-additional-headers` and
 * `x-oss-security-token`, and `x-oss-signature` last. `date` is the `yyyymmddTHHMMSSZ` form.
 */
export function presignQueryV4(
  request: RequestToSign & { readonly additionalHeaders?: readonly string[] },
  credentials: { readonly accessKeyId: string; readonly secret: string; readonly securityToken?: string },
  region: string,
  date: string,
  expires: number,
): QueryPairs {
  const day = date.split('T')[0] ?? '';
  const additionalHeaders = [...new Set((request.additionalHeaders ?? []).map((n) => n.toLowerCase()))].sort();
  const query: [string, string][] = [...request.query.map(([k, v]) => [k, v] as [string, string])];
  if (additionalHeaders.length > 0) query.push(['x-oss-additional-headers', additionalHeaders.join(';')]);
  query.push(['x-oss-credential', `${credentials.accessKeyId}/${scopeV4(day, region)}`], ['x-oss-date', date], ['x-oss-expires', String(expires)], ['x-oss-signature-version', V4_ALGORITHM]);
  if (credentials.securityToken !== undefined) query.push(['x-oss-security-token', credentials.securityToken]);
  const canonical = canonicalRequestPresignV4({ ...request, query, additionalHeaders });
  query.push(['x-oss-signature', signatureV4(credentials.secret, day, region, stringToSignV4(date, region, canonical))]);
  return query;
}

/** A query string from decoded pairs, RFC 3986-encoded, in the given order (`k=` for an empty value). */
export function formatQuery(query: QueryPairs): string {
  return query.map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`).join('&');
}
