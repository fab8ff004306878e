/**
 * The OBS wire protocol as the live adapter speaks it (vendor notes huawei-obs.md §4-§8): the
 * endpoint and its addressing, one operation as an HTTP request signed with the OBS or AWS V2
 * signature of `signing.ts` (or unsigned, for anonymous requests), the ACL,
 * CreateBucketConfiguration and BucketLoggingStatus bodies, and what the adapter reads from responses (error codes,
 * bucket and object lists).
 */
import { isIP } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { ConformanceError } from '../../../model/errors.ts';
import type { TargetConfig } from '../config.ts';
import type { HttpRequest, HttpResponse } from '../transport.ts';
import { headerPrefix, signRequest, type ObsCredentials, type ObsSignatureKind } from './signing.ts';

/** Where requests go and how they are addressed and signed. */
export interface ObsEndpoint {
  /** `http://host:port`. */
  origin: string;
  /** The host and port as in the URL (`obs.example.com`, `127.0.0.1:9000`). */
  host: string;
  /** Virtual-host style: the bucket in the `Host` header (`bucket.host`), else in the path. */
  virtualHost: boolean;
  /** `obs` (`OBS AK:sig`, `x-obs-*`) or `aws` (AWS V2: `AWS AK:sig`, `x-amz-*`), vendor notes §6.1-6.2. */
  kind: ObsSignatureKind;
  secure: boolean;
}

/**
 * The endpoint of a target file. Virtual-host style sends the request to the endpoint with
 * `Host: <bucket>.<host>` (how the emulator and OBS route it, vendor notes §7 item 1), which an
 * endpoint given as an IP address cannot take: refused before anything runs.
 */
export function obsEndpoint(config: TargetConfig): ObsEndpoint {
  const url = new URL(config.endpoint);
  const virtualHost = config.addressing === 'virtual-host';
  if (virtualHost && isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
    throw new ConformanceError('CONFORMANCE_TARGET_CONFIG', `${config.file}: virtual-host addressing needs an endpoint with a host name (\`<bucket>.<host>\`), not the address \`${url.hostname}\`; use \`addressing: path\``);
  }
  return { origin: url.origin, host: url.host, virtualHost, kind: config.signature === 'aws-v2' ? 'aws' : 'obs', secure: url.protocol === 'https:' };
}

/** One operation: method, bucket and key, sub-resources and parameters, headers, body. */
export interface ObsOperation {
  method: 'GET' | 'PUT' | 'DELETE' | 'HEAD';
  bucket?: string;
  key?: string;
  /** Query items in order: a sub-resource alone (`['policy']`) or a parameter and its value. */
  query?: ReadonlyArray<readonly [string, string?]>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** The local address to send from (the emulator on loopback). */
  sourceIp?: string;
}

/** An object key in a path: each segment percent-encoded, `/` kept (vendor notes §6.3: the key is signed as sent). */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/**
 * The HTTP request of an operation, signed with `credentials` (anonymous when absent). Path style
 * puts the bucket first in the path, with no trailing slash for the bucket itself (§6.3:
 * `/mybucket?policy`); virtual-host style puts it in `Host` and signs `/<bucket>/...`.
 */
export function obsHttpRequest(endpoint: ObsEndpoint, op: ObsOperation, credentials?: ObsCredentials, now: Date = new Date()): HttpRequest {
  let path = '/';
  const headers: Record<string, string> = { ...op.headers };
  let virtualHostBucket: string | undefined;
  if (op.bucket !== undefined) {
    if (endpoint.virtualHost) {
      virtualHostBucket = op.bucket;
      headers['host'] = `${op.bucket}.${endpoint.host}`;
      path = `/${op.key === undefined ? '' : encodeKey(op.key)}`;
    } else {
      path = `/${encodeURIComponent(op.bucket)}${op.key === undefined ? '' : `/${encodeKey(op.key)}`}`;
    }
  }
  const rawQuery = (op.query ?? []).map(([name, value]) => (value === undefined ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)).join('&');
  const signed = credentials === undefined
    ? headers
    : signRequest({ method: op.method, headers, rawPath: path, rawQuery, ...(virtualHostBucket === undefined ? {} : { virtualHostBucket }) }, endpoint.kind, credentials, now);
  return {
    method: op.method,
    url: `${endpoint.origin}${path}${rawQuery === '' ? '' : `?${rawQuery}`}`,
    headers: signed,
    ...(op.body === undefined ? {} : { body: op.body }),
    ...(op.sourceIp === undefined ? {} : { sourceIp: op.sourceIp }),
  };
}

/** The header of a canned ACL or of a prefixed name in the endpoint's dialect (`x-obs-acl` / `x-amz-acl`). */
export function prefixed(endpoint: ObsEndpoint, name: string): string {
  return `${headerPrefix(endpoint.kind)}${name}`;
}

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const OBS_XMLNS = 'http://obs.myhwclouds.com/doc/2015-06-30/';
const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** The group URIs of the S3-compatible ACL (vendor notes §5.4, O20). */
const GROUP_URIS: Readonly<Record<string, string>> = {
  Everyone: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `<Grantee>` of a grant, or an empty one for a grant the XML cannot say (it is refused all the same). */
function granteeXml(grant: unknown, kind: ObsSignatureKind): string {
  if (!isRecord(grant) || Object.keys(grant).some((k) => k !== 'grantee' && k !== 'permission')) return '<Grantee></Grantee>';
  const grantee = grant['grantee'];
  if (!isRecord(grantee) || Object.keys(grantee).length !== 1) return '<Grantee></Grantee>';
  const account = grantee['account'];
  const group = grantee['group'];
  if (typeof account === 'string') {
    return kind === 'obs' ? `<Grantee><ID>${xmlText(account)}</ID></Grantee>` : `<Grantee xmlns:xsi="${XSI}" xsi:type="CanonicalUser"><ID>${xmlText(account)}</ID></Grantee>`;
  }
  if (typeof group === 'string') {
    // Vendor notes §5.1: the OBS shape names a group as `<Canned>`; §5.4: the S3 shape by its URI. A group the
    // documents do not know is written as it is, for the target to refuse.
    return kind === 'obs' ? `<Grantee><Canned>${xmlText(group)}</Canned></Grantee>` : `<Grantee xmlns:xsi="${XSI}" xsi:type="Group"><URI>${xmlText(GROUP_URIS[group] ?? group)}</URI></Grantee>`;
  }
  return '<Grantee></Grantee>';
}

/**
 * A PutBucketAcl body (vendor notes §5.1 OBS shape, §5.4 S3 shape) of an ACL already in the
 * target's names. Invalid grants are written as close to what they are as XML allows, so that
 * the target refuses them; something that is not a list of grants is not an ACL document.
 */
export function aclXml(acl: unknown, owner: string, kind: ObsSignatureKind): string {
  const declaration = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!Array.isArray(acl)) return `${declaration}<NotAnAccessControlPolicy/>`;
  const grants = acl.map((grant: unknown) => {
    const permission = isRecord(grant) ? grant['permission'] : undefined;
    const permissionXml = permission === undefined || permission === null ? '' : `<Permission>${xmlText(String(permission))}</Permission>`;
    return `<Grant>${granteeXml(grant, kind)}${permissionXml}</Grant>`;
  });
  return `${declaration}<AccessControlPolicy xmlns="${kind === 'obs' ? OBS_XMLNS : S3_XMLNS}"><Owner><ID>${xmlText(owner)}</ID></Owner><AccessControlList>${grants.join('')}</AccessControlList></AccessControlPolicy>`;
}

/** The CreateBucket body naming the region (vendor notes §8.4: OBS `<Location>`, V2 `<LocationConstraint>`). */
export function createBucketXml(region: string, kind: ObsSignatureKind): string {
  const element = kind === 'obs' ? 'Location' : 'LocationConstraint';
  return `<?xml version="1.0" encoding="UTF-8"?><CreateBucketConfiguration xmlns="${kind === 'obs' ? OBS_XMLNS : S3_XMLNS}"><${element}>${xmlText(region)}</${element}></CreateBucketConfiguration>`;
}

/**
 * A PutBucketLogging body (vendor notes §1.4, §5.4; the SDK's `setBucketLogging`): a
 * `BucketLoggingStatus` with `LoggingEnabled` naming the target bucket (already in the target's
 * names) and the log prefix, or an empty one, which disables logging.
 */
export function loggingXml(target: { bucket: string; prefix: string } | undefined, kind: ObsSignatureKind): string {
  const enabled = target === undefined ? '' : `<LoggingEnabled><TargetBucket>${xmlText(target.bucket)}</TargetBucket><TargetPrefix>${xmlText(target.prefix)}</TargetPrefix></LoggingEnabled>`;
  return `<?xml version="1.0" encoding="UTF-8"?><BucketLoggingStatus xmlns="${kind === 'obs' ? OBS_XMLNS : S3_XMLNS}">${enabled}</BucketLoggingStatus>`;
}

/**
 * The error code of a response (vendor notes §6.4, §8.5): the `x-obs-error-code` /
 * `x-amz-error-code` header (all a HEAD error has), else the `<Code>` of the error document.
 */
export function errorCode(response: HttpResponse): string | undefined {
  const header = response.headers['x-obs-error-code'] ?? response.headers['x-amz-error-code'];
  if (header !== undefined && header !== '') return header;
  const m = /<Code>([^<]*)<\/Code>/.exec(response.body.toString('utf8'));
  return m ? m[1] : undefined;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name: string) => name === 'Bucket' || name === 'Contents',
});

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The bucket names of a ListAllMyBucketsResult (vendor notes §8.4 `listBuckets`). */
export function bucketNames(body: Buffer): string[] {
  const doc = record(parser.parse(body.toString('utf8')));
  const buckets = record(record(doc['ListAllMyBucketsResult'])['Buckets'])['Bucket'];
  return (Array.isArray(buckets) ? buckets : []).map((b) => String(record(b)['Name'] ?? '')).filter((n) => n !== '');
}

/** The keys of a ListBucketResult page, and the marker of the next page when it is truncated. */
export function objectPage(body: Buffer): { keys: string[]; next?: string } {
  const result = record(record(parser.parse(body.toString('utf8')))['ListBucketResult']);
  const contents = result['Contents'];
  const keys = (Array.isArray(contents) ? contents : []).map((c) => String(record(c)['Key'] ?? ''));
  if (String(result['IsTruncated']) !== 'true') return { keys };
  const next = typeof result['NextMarker'] === 'string' && result['NextMarker'] !== '' ? result['NextMarker'] : keys[keys.length - 1];
  return next === undefined ? { keys } : { keys, next };
}
