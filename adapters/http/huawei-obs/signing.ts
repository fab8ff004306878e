/**
 * Request signing of Huawei Cloud OBS, as pure functions: the OBS signature (`Authorization:
 * OBS AK:sig`, `x-obs-*` headers) and the AWS V2 signature OBS also accepts (`AWS AK:sig`,
 * `x-amz-*` headers), both HMAC-SHA1 over the same string-to-sign (vendor notes huawei-obs.md
 * §6.1-6.3). The emulator verifies by recomputing with these; the live HTTP adapter signs with
 * them. The canonicalisation follows what `esdk-obs-nodejs` 3.26.8 signs (§6.3, VERIFIED there).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The two header signatures: OBS-native (`OBS`, `x-obs-`) and AWS V2 (`AWS`, `x-amz-`). */
export const OBS_SIGNATURE_KINDS = ['obs', 'aws'] as const;
/** One signature kind. */
export type ObsSignatureKind = (typeof OBS_SIGNATURE_KINDS)[number];

/** The header prefix of a signature kind: `x-obs-` or `x-amz-` (vendor notes §6.1, §6.2). */
export function headerPrefix(kind: ObsSignatureKind): 'x-obs-' | 'x-amz-' {
  return kind === 'obs' ? 'x-obs-' : 'x-amz-';
}

/** The scheme word of the Authorization header: `OBS` or `AWS`. */
export function authorizationScheme(kind: ObsSignatureKind): 'OBS' | 'AWS' {
  return kind === 'obs' ? 'OBS' : 'AWS';
}

/**
 * The query parameters that enter the canonical resource: the SDK's allow-list
 * (`allowedResourceParameterNames` of `lib/utils.js`, vendor notes §6.3: "Only sub-resources on
 * the SDK's allow-list enter the canonical resource (`prefix`/`max-keys` do not)"), compared
 * lower-cased.
 */
export const OBS_SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'acl', 'backtosource', 'policy', 'torrent', 'logging', 'location', 'storageinfo', 'quota', 'storageclass', 'storagepolicy',
  'requestpayment', 'versions', 'versioning', 'versionid', 'uploads', 'uploadid', 'partnumber', 'website', 'notification',
  'replication', 'lifecycle', 'deletebucket', 'delete', 'cors', 'restore', 'tagging', 'append', 'position',
  'response-content-type', 'response-content-language', 'response-expires', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'x-image-process', 'x-oss-process', 'x-image-save-object',
  'x-image-save-bucket', 'encryption', 'directcoldaccess', 'rename', 'name', 'metadata', 'modify', 'attname', 'truncate',
  'x-obs-security-token', 'x-workflow-prefix', 'x-workflow-start', 'x-workflow-limit', 'x-workflow-template-name',
  'x-workflow-graph-name', 'x-workflow-execution-state', 'x-workflow-execution-type', 'x-workflow-next-marker',
  'obsworkflowtriggerpolicy', 'obsbucketalias', 'obsalias', 'publicaccessblock', 'bucketstatus', 'policystatus',
  'customdomain', 'inventory', 'object-lock', 'retention', 'mirrorbacktosource', 'obscompresspolicy', 'length',
]);

/** Decodes a percent-encoded query component; a malformed escape is kept as written. */
function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The signed sub-resources of a raw query string, `?a&b=v` or `''`: the `&`-separated items
 * sorted as sent, the allowed ones kept, each as its decoded name and, when it has a non-empty
 * value, `=` and the decoded value (vendor notes §6.3: "Values are URL-decoded in the
 * string-to-sign"; the SDK's `doAuth`).
 */
export function signedSubresources(rawQuery: string): string {
  if (rawQuery === '') return '';
  const items = rawQuery.split('&').sort();
  const kept: string[] = [];
  for (const item of items) {
    if (item === '') continue;
    const parts = item.split('=');
    const name = decodeComponent(parts[0] as string);
    if (!OBS_SIGNED_SUBRESOURCES.has(name.toLowerCase())) continue;
    const value = parts.length === 2 && parts[1] !== '' ? decodeComponent(parts[1] as string) : undefined;
    kept.push(value === undefined ? name : `${name}=${value}`);
  }
  return kept.length === 0 ? '' : `?${kept.join('&')}`;
}

/**
 * The path part of the canonical resource (vendor notes §6.3): path style signs the path as sent
 * (`/bucket`, `/bucket/dir/a%20b.txt`, still percent-encoded); virtual-host style signs
 * `/<bucket>` followed by the path as sent (`/bucket/`, `/bucket/k.txt`); a service-level request
 * signs `/`.
 */
export function resourcePath(rawPath: string, virtualHostBucket?: string): string {
  const path = rawPath === '' ? '/' : rawPath;
  return virtualHostBucket === undefined ? path : `/${virtualHostBucket}${path}`;
}

/** The canonical resource: the resource path and the signed sub-resources (vendor notes §6.1, §6.3). */
export function canonicalResource(rawPath: string, rawQuery: string, virtualHostBucket?: string): string {
  return resourcePath(rawPath, virtualHostBucket) + signedSubresources(rawQuery);
}

/** Request headers by name; a name sent more than once has a list of values. Names in any case. */
export type SigningHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

function headerValues(headers: SigningHeaders, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    if (typeof value === 'string') values.push(value);
    else values.push(...value);
  }
  return values;
}

/** The single value of a header (several joined with `,`), or undefined. */
function headerValue(headers: SigningHeaders, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(',');
}

/**
 * The canonicalised headers (vendor notes §6.1, O19): the headers starting with the kind's
 * prefix, names lower-cased and sorted, each `name:value\n`; values of the same name joined with
 * `,`; surrounding spaces removed ("meaningless spaces removed").
 */
export function canonicalHeaders(headers: SigningHeaders, kind: ObsSignatureKind): string {
  const prefix = headerPrefix(kind);
  const byName = new Map<string, string[]>();
  for (const [key, value] of Object.entries(headers)) {
    const name = key.toLowerCase();
    if (!name.startsWith(prefix) || value === undefined) continue;
    const list = byName.get(name) ?? [];
    if (typeof value === 'string') list.push(value.trim());
    else list.push(...value.map((v) => v.trim()));
    byName.set(name, list);
  }
  return [...byName.keys()].sort().map((name) => `${name}:${(byName.get(name) as string[]).join(',')}\n`).join('');
}

/** What a string-to-sign is made of. */
export interface StringToSignParts {
  method: string;
  contentMd5?: string;
  contentType?: string;
  /** The `Date` header; ignored when the prefixed date header (`x-obs-date` / `x-amz-date`) is among `canonicalHeaders`. */
  date?: string;
  canonicalHeaders: string;
  canonicalResource: string;
}

/**
 * The string-to-sign (vendor notes §6.1): `VERB\nContent-MD5\nContent-Type\nDate\n` then the
 * canonical headers and the canonical resource. "If `x-obs-date` is present, the Date line is
 * empty" (O19; the same for `x-amz-date` in V2).
 */
export function stringToSign(parts: StringToSignParts): string {
  const hasPrefixedDate = /^x-(obs|amz)-date:/m.test(parts.canonicalHeaders);
  const date = hasPrefixedDate ? '' : (parts.date ?? '');
  return `${parts.method}\n${parts.contentMd5 ?? ''}\n${parts.contentType ?? ''}\n${date}\n${parts.canonicalHeaders}${parts.canonicalResource}`;
}

/** A request as it is signed: method, headers, raw path and query as sent, and the virtual-host bucket if any. */
export interface SignableRequest {
  method: string;
  headers: SigningHeaders;
  rawPath: string;
  rawQuery: string;
  virtualHostBucket?: string;
}

/** The string-to-sign of a request under a signature kind. */
export function requestStringToSign(request: SignableRequest, kind: ObsSignatureKind): string {
  return stringToSign({
    method: request.method.toUpperCase(),
    contentMd5: headerValue(request.headers, 'content-md5'),
    contentType: headerValue(request.headers, 'content-type'),
    date: headerValue(request.headers, 'date'),
    canonicalHeaders: canonicalHeaders(request.headers, kind),
    canonicalResource: canonicalResource(request.rawPath, request.rawQuery, request.virtualHostBucket),
  });
}

/** The signature: Base64(HMAC-SHA1(secret, UTF-8(stringToSign))) (vendor notes §6.1). */
export function signature(secret: string, toSign: string): string {
  return createHmac('sha1', secret).update(toSign, 'utf8').digest('base64');
}

/** Whether two signatures are equal, compared in constant time. */
export function signaturesMatch(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A parsed Authorization header. */
export interface ObsAuthorization {
  kind: ObsSignatureKind;
  accessKeyId: string;
  signature: string;
}

/** Why an Authorization header did not parse: an unknown scheme, or a malformed `AK:sig`. */
export interface ObsAuthorizationError {
  kind: 'error';
  reason: 'unsupported' | 'malformed';
  message: string;
}

/**
 * Parses `OBS <AK>:<sig>` or `AWS <AK>:<sig>` (vendor notes §6.1, §6.2): the scheme, one space,
 * the AccessKey id, a colon, the signature. Other schemes (AWS V4 among them) are refused as `unsupported`.
 */
export function parseAuthorization(header: string): ObsAuthorization | ObsAuthorizationError {
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  let kind: ObsSignatureKind;
  if (scheme === 'OBS') kind = 'obs';
  else if (scheme === 'AWS') kind = 'aws';
  else return { kind: 'error', reason: 'unsupported', message: 'Unsupported Authorization Type' };
  const credential = header.slice(space + 1);
  const colon = credential.lastIndexOf(':');
  if (space < 0 || colon <= 0 || colon === credential.length - 1 || /\s/.test(credential)) {
    return { kind: 'error', reason: 'malformed', message: `the Authorization header must be \`${scheme} <AccessKeyId>:<Signature>\`` };
  }
  return { kind, accessKeyId: credential.slice(0, colon), signature: credential.slice(colon + 1) };
}

/** Formats an Authorization header value. */
export function formatAuthorization(auth: ObsAuthorization): string {
  return `${authorizationScheme(auth.kind)} ${auth.accessKeyId}:${auth.signature}`;
}

/** What a client needs to sign a request. */
export interface ObsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** A session's security token, sent (and signed) as `x-obs-security-token` / `x-amz-security-token`. */
  securityToken?: string;
}

/**
 * Signs a request: returns its headers with `Date` (if absent), the security token header (if
 * any) and `Authorization` added. The caller sends exactly these headers.
 */
export function signRequest(request: SignableRequest, kind: ObsSignatureKind, credentials: ObsCredentials, now: Date = new Date()): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined || key.toLowerCase() === 'authorization') continue;
    headers[key] = typeof value === 'string' ? value : value.join(',');
  }
  if (headerValue(headers, 'date') === undefined && headerValue(headers, `${headerPrefix(kind)}date`) === undefined) headers['Date'] = now.toUTCString();
  if (credentials.securityToken !== undefined) headers[`${headerPrefix(kind)}security-token`] = credentials.securityToken;
  const toSign = requestStringToSign({ ...request, headers }, kind);
  headers['Authorization'] = formatAuthorization({ kind, accessKeyId: credentials.accessKeyId, signature: signature(credentials.secretAccessKey, toSign) });
  return headers;
}
