/**
 * The OSS wire protocol as the live adapter speaks it (vendor notes alibaba-oss.md §4, §5):
 * requests addressed path-style (`/bucket/key`) or virtual-host style (`Host: bucket.endpoint`),
 * signed with V1 or V4 by `signing.ts` as ali-oss signs, or sent unsigned for anonymous requests;
 * and the parts of responses the adapter reads (error Code, Message and EC, bucket and object
 * listings).
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { TargetConfig } from '../config.ts';
import type { HttpRequest, HttpResponse } from '../transport.ts';
import { encodeRfc3986, formatDateV1, formatDateV4, formatQuery, signRequestV1, signRequestV4, UNSIGNED_PAYLOAD, type QueryPairs } from './signing.ts';

/** The emulator-only header that sets `acs:SourceVpc` (emulator/alibaba-oss/README.md); nothing else honours it. */
export const SOURCE_VPC_HEADER = 'x-bucket-conformance-source-vpc';

/** One OSS request before it is addressed and signed. */
export interface OssCall {
  method: 'GET' | 'PUT' | 'DELETE' | 'POST' | 'HEAD';
  /** Absent: a service-level request (ListBuckets). */
  bucket?: string;
  /** Absent: a bucket-level request. */
  key?: string;
  query?: QueryPairs;
  /** Lower-case names. */
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** The credentials a request is signed with; undefined sends it unsigned (anonymous, §4.3). */
export interface Credentials {
  accessKeyId: string;
  secret: string;
  securityToken?: string | undefined;
}

/** Where the HTTP connection goes and how the bucket is named. */
export interface Endpoint {
  /** `http://host:port`, no path. */
  origin: string;
  addressing: TargetConfig['addressing'];
  region: string;
  signature: string;
}

/** The endpoint of a target file. */
export function endpointOf(config: TargetConfig): Endpoint {
  return { origin: config.endpoint, addressing: config.addressing, region: config.region, signature: config.signature };
}

/** The base64 MD5 of a body, as `Content-Md5` carries it. */
export function contentMd5(body: Buffer | string): string {
  return createHash('md5').update(body).digest('base64');
}

/**
 * Addresses and signs a call (§4.3, §4.4, §5.2). Path style puts the bucket in the path; virtual-host
 * style puts it in the `Host` header (`<bucket>.<endpoint host>`) while the connection still goes
 * to the endpoint. Either way the signature covers `/bucket/key`. A fresh date every time it is
 * built, so that a retried request is signed anew.
 */
export function buildRequest(endpoint: Endpoint, call: OssCall, credentials: Credentials | undefined, options: { sourceIp?: string | undefined; now?: Date } = {}): HttpRequest {
  const query = call.query ?? [];
  const headers: Record<string, string> = { ...(call.headers ?? {}) };
  const url = new URL(endpoint.origin);
  const encodedKey = call.key === undefined ? '' : encodeRfc3986(call.key).replace(/%2F/g, '/');
  let path: string;
  if (call.bucket === undefined) {
    path = '/';
  } else if (endpoint.addressing === 'virtual-host') {
    headers['host'] = `${call.bucket}.${url.host}`;
    path = `/${encodedKey}`;
  } else {
    path = `/${encodeRfc3986(call.bucket)}/${encodedKey}`;
  }
  const search = query.length > 0 ? `?${formatQuery(query)}` : '';
  const body = call.body ?? (call.method === 'PUT' || call.method === 'POST' ? '' : undefined);
  if (credentials !== undefined) {
    const now = options.now ?? new Date();
    if (credentials.securityToken !== undefined) headers['x-oss-security-token'] = credentials.securityToken;
    const toSign = { method: call.method, bucket: call.bucket, key: call.key, query, headers };
    if (endpoint.signature === 'v4') {
      headers['x-oss-date'] = formatDateV4(now);
      headers['x-oss-content-sha256'] = UNSIGNED_PAYLOAD;
      headers['authorization'] = signRequestV4(toSign, credentials.accessKeyId, credentials.secret, endpoint.region);
    } else {
      headers['x-oss-date'] = formatDateV1(now);
      headers['authorization'] = signRequestV1(toSign, credentials.accessKeyId, credentials.secret);
    }
  }
  return {
    method: call.method,
    url: `${url.origin}${path}${search}`,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(options.sourceIp === undefined ? {} : { sourceIp: options.sourceIp }),
  };
}

/** What an OSS error response says (§4.2): Code, Message and EC (from `x-oss-ec` or `<EC>`). */
export interface OssError {
  code: string | undefined;
  message: string | undefined;
  ec: string | undefined;
}

const parser = new XMLParser({ parseTagValue: false, trimValues: true, isArray: (name) => name === 'Bucket' || name === 'Contents' || name === 'CommonPrefixes' });

function parseXml(body: Buffer): Record<string, unknown> | undefined {
  const text = body.toString('utf8').trim();
  if (!text.startsWith('<')) return undefined;
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** The error of a response (HEAD errors carry it base64-encoded in `x-oss-err`, §5.6). */
export function ossError(response: HttpResponse): OssError {
  let xml = parseXml(response.body);
  if (xml === undefined && response.headers['x-oss-err'] !== undefined) xml = parseXml(Buffer.from(response.headers['x-oss-err'], 'base64'));
  const error = (xml?.['Error'] ?? {}) as Record<string, unknown>;
  return {
    code: text(error['Code']),
    message: text(error['Message']),
    ec: response.headers['x-oss-ec'] ?? text(error['EC']),
  };
}

/** One page of ListBuckets (§5.5): the names, and the marker of the next page when truncated. */
export function parseBucketList(body: Buffer): { names: string[]; next: string | undefined } | undefined {
  const xml = parseXml(body)?.['ListAllMyBucketsResult'] as Record<string, unknown> | undefined;
  if (xml === undefined) return undefined;
  const buckets = ((xml['Buckets'] as Record<string, unknown> | undefined)?.['Bucket'] ?? []) as Record<string, unknown>[];
  const names = buckets.map((b) => text(b['Name'])).filter((n): n is string => n !== undefined);
  const truncated = text(xml['IsTruncated']) === 'true';
  return { names, next: truncated ? text(xml['NextMarker']) ?? names[names.length - 1] : undefined };
}

/** One page of ListObjects V1 (§4.1): the keys, and the marker of the next page when truncated. */
export function parseObjectList(body: Buffer): { keys: string[]; next: string | undefined } | undefined {
  const xml = parseXml(body)?.['ListBucketResult'] as Record<string, unknown> | undefined;
  if (xml === undefined) return undefined;
  const contents = (xml['Contents'] ?? []) as Record<string, unknown>[];
  const keys = contents.map((c) => text(c['Key'])).filter((k): k is string => k !== undefined);
  const truncated = text(xml['IsTruncated']) === 'true';
  return { keys, next: truncated ? text(xml['NextMarker']) ?? keys[keys.length - 1] : undefined };
}

/** The `Grant` of a GetBucketAcl answer (§4.1). */
export function parseAclGrant(body: Buffer): string | undefined {
  const xml = parseXml(body)?.['AccessControlPolicy'] as Record<string, unknown> | undefined;
  return text((xml?.['AccessControlList'] as Record<string, unknown> | undefined)?.['Grant']);
}
