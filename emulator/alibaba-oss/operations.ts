/**
 * The OSS operations of the emulator (vendor notes alibaba-oss.md §4.1, §5.5): bucket, policy,
 * ACL, object and listing operations over the store. Every access decision goes through the
 * reference evaluator (`adapters/reference/alibaba-oss/`) with the operation's action name
 * (§1.2), the request's principal and its condition context (§1.8); the emulator adds only wire
 * protocol and state.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AliDecision, AliEvaluator } from '../../adapters/reference/alibaba-oss/index.ts';
import type { QueryPairs } from '../../adapters/http/alibaba-oss/signing.ts';
import type { AliBucketAcl, AliRequest, AliWorld } from '../../model/alibaba-oss/types.ts';
import type { AccountEntry } from '../accounts.ts';
import { SOURCE_VPC_HEADER, type Exchange } from '../types.ts';
import type { OssIdentity } from './auth.ts';
import { OssFailure, send, xmlDocument } from './replies.ts';
import { compareUtf8, isBucketAcl, isObjectAcl, OBJECT_ACLS, REDUNDANCY_TYPES, STORAGE_CLASSES, type OssStore, type StoredBucket, type StoredObject } from './store.ts';

/** Everything an operation needs about one request. */
export interface OssCall {
  readonly exchange: Exchange;
  readonly identity: OssIdentity;
  readonly bucketName: string | undefined;
  readonly key: string | undefined;
  readonly query: QueryPairs;
  readonly region: string;
  readonly body: Buffer;
  readonly store: OssStore;
  readonly evaluator: AliEvaluator;
}

/** An operation handler: ends the response or throws an `OssFailure`. */
export type OssOperation = (call: OssCall) => void;

// --- helpers ---

function header(call: OssCall, name: string): string | undefined {
  const v = call.exchange.req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function queryValue(call: OssCall, name: string): string | undefined {
  for (const [k, v] of call.query) if (k === name) return v;
  return undefined;
}

function ownerXml(account: AccountEntry): Record<string, string> {
  return { ID: account.id, DisplayName: account.displayName ?? account.id };
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoMillis(date: Date): string {
  return date.toISOString();
}

function xmlReply(call: OssCall, root: Record<string, unknown>): void {
  send(call.exchange, 200, { 'content-type': 'application/xml' }, xmlDocument(root));
}

function empty(call: OssCall, status = 200, headers: Record<string, string | number> = {}): void {
  send(call.exchange, status, headers);
}

function invalidArgument(message: string, name: string, value: string, ec?: string): OssFailure {
  return new OssFailure(400, 'InvalidArgument', message, { ec, extra: { ArgumentName: name, ArgumentValue: value } });
}

/** The bucket of the call; 404 NoSuchBucket when it does not exist (§3: EC 0015-00000101). */
function bucketOf(call: OssCall): StoredBucket {
  const name = call.bucketName as string;
  const bucket = call.store.buckets.get(name);
  if (bucket === undefined) throw new OssFailure(404, 'NoSuchBucket', 'The specified bucket does not exist.', { ec: '0015-00000101', extra: { BucketName: name } });
  return bucket;
}

function noSuchKey(call: OssCall): OssFailure {
  return new OssFailure(404, 'NoSuchKey', 'The specified key does not exist.', { extra: { Key: call.key ?? '' } });
}

/**
 * The condition context of a request (§1.8): source IP (the socket's address), source VPC (only
 * from the emulator-only header), secure transport (plain HTTP: `false`), current time, user
 * agent, referer, AccessKey id, plus the operation's own keys.
 */
export function conditionContext(call: OssCall, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const context: Record<string, string> = {
    'acs:SourceIp': call.exchange.sourceIp,
    'acs:SecureTransport': 'false',
    'acs:CurrentTime': isoSeconds(call.exchange.receivedAt),
  };
  const vpc = header(call, SOURCE_VPC_HEADER);
  if (vpc !== undefined && vpc !== '') context['acs:SourceVpc'] = vpc;
  const agent = header(call, 'user-agent');
  if (agent !== undefined) context['acs:UserAgent'] = agent;
  const referer = header(call, 'referer');
  if (referer !== undefined) context['acs:Referer'] = referer;
  if (call.identity.kind === 'signed') context['acs:AccessId'] = call.identity.accessKeyId;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) context[k] = v;
  return context;
}

/**
 * Decides a request with the reference evaluator and refuses it when denied: 403 AccessDenied
 * with the evaluator's EC in `x-oss-ec` and `<EC>` (§4.2). `acl` is the ACL the evaluator's ACL
 * fallback reads (§2.1 steps 6-7): the object's own ACL when it has one, else the bucket's.
 */
function authorize(call: OssCall, bucket: { name: string; owner: string; region: string; acl: AliBucketAcl }, action: string, policy: StoredBucket['policy'], options: { object?: string; context?: Record<string, string | undefined> } = {}): AliDecision {
  const world: AliWorld = { vendor: 'alibaba-oss', bucket: { name: bucket.name, owner: bucket.owner, region: bucket.region, acl: bucket.acl } };
  const request: AliRequest = { principal: call.identity.principal, action, context: conditionContext(call, options.context) };
  if (options.object !== undefined) request.object = options.object;
  const compiled = policy?.compiled ?? call.evaluator.compile(undefined);
  const decision = call.evaluator.evaluate(compiled, world, request);
  if (decision.decision === 'deny') {
    const explicit = decision.explanation.reason === 'explicit-deny';
    // §4.2: "Message text for policy denials: 'Access denied by bucket policy.'"
    const message = explicit
      ? 'Access denied by bucket policy.'
      : options.object !== undefined
        ? 'You have no right to access this object because of bucket acl.'
        : 'The bucket you access does not belong to you.';
    throw new OssFailure(403, decision.code ?? 'AccessDenied', message, { ec: decision.ec, extra: { AuthAction: action } });
  }
  return decision;
}

function authorizeOn(call: OssCall, bucket: StoredBucket, action: string, options: { object?: string; acl?: AliBucketAcl; context?: Record<string, string | undefined> } = {}): void {
  authorize(call, { name: bucket.name, owner: bucket.owner.id, region: bucket.region, acl: options.acl ?? bucket.acl }, action, bucket.policy, options);
}

/** The ACL that decides object access when policies do not (§2.2: the object ACL wins unless it is `default`). */
function effectiveAcl(bucket: StoredBucket, object: StoredObject | undefined): AliBucketAcl {
  return object === undefined || object.acl === 'default' ? bucket.acl : object.acl;
}

function md5Check(call: OssCall): void {
  const given = header(call, 'content-md5');
  if (given === undefined) return;
  const actual = createHash('md5').update(call.body).digest('base64');
  if (given.trim() !== actual) throw new OssFailure(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', { extra: { 'Content-MD5': given } });
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

// --- service ---

/** ListBuckets (`GET /`, §5.5): the caller's account's buckets; `Owner` is mandatory for ali-oss. */
export const listBuckets: OssOperation = (call) => {
  const identity = call.identity;
  if (identity.kind === 'anonymous') throw new OssFailure(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.', { ec: '0003-00000001' });
  // RAM users and role sessions have no permissions by default (§2.1) and the emulator has no RAM policies.
  if (identity.holder.kind !== 'account') throw new OssFailure(403, 'AccessDenied', 'You have no right to access this service.', { ec: '0003-00000001', extra: { AuthAction: 'oss:ListBuckets' } });
  const prefix = queryValue(call, 'prefix') ?? '';
  const marker = queryValue(call, 'marker') ?? '';
  const maxKeys = parseMaxKeys(call, 'max-keys');
  const all = call.store.ownedBy(identity.account.id).filter((b) => b.name.startsWith(prefix) && compareUtf8(b.name, marker) > 0);
  const page = all.slice(0, maxKeys);
  const truncated = all.length > page.length;
  const result: Record<string, unknown> = {};
  if (queryValue(call, 'prefix') !== undefined) result['Prefix'] = prefix;
  if (queryValue(call, 'marker') !== undefined) result['Marker'] = marker;
  if (queryValue(call, 'max-keys') !== undefined) result['MaxKeys'] = maxKeys;
  result['IsTruncated'] = truncated;
  if (truncated) result['NextMarker'] = (page[page.length - 1] as StoredBucket).name;
  result['Owner'] = ownerXml(identity.account);
  result['Buckets'] = {
    Bucket: page.map((b) => ({
      CreationDate: isoMillis(b.createdAt),
      ExtranetEndpoint: `oss-${b.region}.aliyuncs.com`,
      IntranetEndpoint: `oss-${b.region}-internal.aliyuncs.com`,
      Location: `oss-${b.region}`,
      Name: b.name,
      Region: b.region,
      StorageClass: b.storageClass,
    })),
  };
  xmlReply(call, { ListAllMyBucketsResult: result });
};

// --- buckets ---

function parseCreateBucketConfiguration(body: Buffer): { storageClass: string; redundancyType: string } {
  const text = body.toString('utf8').trim();
  if (text === '') return { storageClass: 'Standard', redundancyType: 'LRS' };
  if (XMLValidator.validate(text) !== true) throw new OssFailure(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  const doc = new XMLParser({ parseTagValue: false }).parse(text) as Record<string, unknown>;
  const roots = Object.keys(doc).filter((k) => k !== '?xml');
  const config = doc['CreateBucketConfiguration'];
  if (roots.length !== 1 || roots[0] !== 'CreateBucketConfiguration') throw new OssFailure(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  const fields = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  const storageClass = fields['StorageClass'] ?? 'Standard';
  const redundancyType = fields['DataRedundancyType'] ?? 'LRS';
  if (typeof storageClass !== 'string' || !(STORAGE_CLASSES as readonly string[]).includes(storageClass)) {
    throw invalidArgument('Invalid storage class.', 'StorageClass', String(storageClass));
  }
  if (typeof redundancyType !== 'string' || !(REDUNDANCY_TYPES as readonly string[]).includes(redundancyType)) {
    throw invalidArgument('Invalid data redundancy type.', 'DataRedundancyType', String(redundancyType));
  }
  return { storageClass, redundancyType };
}

function bucketAclHeader(call: OssCall, required: boolean): AliBucketAcl | undefined {
  const acl = header(call, 'x-oss-acl');
  if (acl === undefined && !required) return undefined;
  // §2.2: "Invalid ACL value: 400 InvalidArgument (PutBucketAcl message 'no such bucket access control exists')".
  if (acl === undefined || !isBucketAcl(acl)) throw invalidArgument('no such bucket access control exists', 'x-oss-acl', acl ?? '');
  return acl;
}

/**
 * PutBucket (`PUT /`, §4.1): creates a bucket owned by the caller's account, with `x-oss-acl` and
 * an optional `CreateBucketConfiguration`. A name held by another account is 409
 * BucketAlreadyExists; the owner's account putting its own bucket again gets 200 and no change.
 */
export const putBucket: OssOperation = (call) => {
  const name = call.bucketName as string;
  const acl = bucketAclHeader(call, false);
  const config = parseCreateBucketConfiguration(call.body);
  const identity = call.identity;
  if (identity.kind === 'anonymous') throw new OssFailure(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.', { ec: '0003-00000001' });
  const context = { 'oss:x-oss-acl': acl };
  const existing = call.store.buckets.get(name);
  if (existing !== undefined) {
    if (existing.owner.id !== identity.account.id) {
      throw new OssFailure(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { extra: { BucketName: name } });
    }
    authorizeOn(call, existing, 'oss:PutBucket', { context });
    empty(call, 200, { location: `/${name}` });
    return;
  }
  if (!BUCKET_NAME.test(name)) throw new OssFailure(400, 'InvalidBucketName', 'The specified bucket is not valid.', { extra: { BucketName: name } });
  // A new bucket has no policy: the evaluator allows its future owner (the account) and denies its RAM users and sessions.
  authorize(call, { name, owner: identity.account.id, region: call.region, acl: 'private' }, 'oss:PutBucket', undefined, { context });
  call.store.buckets.set(name, {
    name,
    owner: identity.account,
    region: call.region,
    acl: acl ?? 'private',
    storageClass: config.storageClass,
    redundancyType: config.redundancyType,
    createdAt: call.exchange.receivedAt,
    policy: undefined,
    objects: new Map(),
  });
  empty(call, 200, { location: `/${name}` });
};

/** DeleteBucket (`DELETE /`): 204; 409 BucketNotEmpty while objects remain. */
export const deleteBucket: OssOperation = (call) => {
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:DeleteBucket');
  if (bucket.objects.size > 0) throw new OssFailure(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', { extra: { BucketName: bucket.name } });
  call.store.buckets.delete(bucket.name);
  empty(call, 204);
};

/** GetBucketInfo (`GET /?bucketInfo`, §4.1): `BucketInfo/Bucket`. */
export const getBucketInfo: OssOperation = (call) => {
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:GetBucketInfo');
  xmlReply(call, {
    BucketInfo: {
      Bucket: {
        AccessMonitor: 'Disabled',
        CreationDate: isoMillis(bucket.createdAt),
        ExtranetEndpoint: `oss-${bucket.region}.aliyuncs.com`,
        IntranetEndpoint: `oss-${bucket.region}-internal.aliyuncs.com`,
        Location: `oss-${bucket.region}`,
        StorageClass: bucket.storageClass,
        TransferAcceleration: 'Disabled',
        CrossRegionReplication: 'Disabled',
        Name: bucket.name,
        ResourceGroupId: 'rg-default',
        Owner: { DisplayName: bucket.owner.displayName ?? bucket.owner.id, ID: bucket.owner.id },
        AccessControlList: { Grant: bucket.acl },
        DataRedundancyType: bucket.redundancyType,
        ServerSideEncryptionRule: { SSEAlgorithm: 'None' },
        BucketPolicy: { LogBucket: '', LogPrefix: '' },
      },
    },
  });
};

/** GetBucketLocation (`GET /?location`). */
export const getBucketLocation: OssOperation = (call) => {
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:GetBucketLocation');
  xmlReply(call, { LocationConstraint: `oss-${bucket.region}` });
};

/** PutBucketAcl (`PUT /?acl` with `x-oss-acl`, §4.1): 200. */
export const putBucketAcl: OssOperation = (call) => {
  const bucket = bucketOf(call);
  const acl = bucketAclHeader(call, true) as AliBucketAcl;
  authorizeOn(call, bucket, 'oss:PutBucketAcl', { context: { 'oss:x-oss-acl': acl } });
  bucket.acl = acl;
  empty(call, 200);
};

/** GetBucketAcl (`GET /?acl`, §4.1): `AccessControlPolicy` with Owner and Grant. */
export const getBucketAcl: OssOperation = (call) => {
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:GetBucketAcl');
  xmlReply(call, { AccessControlPolicy: { Owner: ownerXml(bucket.owner), AccessControlList: { Grant: bucket.acl } } });
};

// --- bucket policy ---

/**
 * PutBucketPolicy (`PUT /?policy`, §4.1): the body is validated by the reference parser; a
 * refusal is 400 InvalidPolicyDocument with the parser's EC (§3 RECOMMENDATION); an accepted
 * policy replaces the previous one and is stored verbatim.
 */
export const putBucketPolicy: OssOperation = (call) => {
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:PutBucketPolicy');
  md5Check(call);
  const parsed = call.evaluator.parse(call.body);
  if (parsed.kind === 'rejected') throw new OssFailure(parsed.status, parsed.code, parsed.message, { ec: parsed.ec });
  bucket.policy = { text: call.body.toString('utf8'), compiled: call.evaluator.compile(parsed) };
  empty(call, 200);
};

/** GetBucketPolicy (`GET /?policy`): the stored text as JSON; 404 NoSuchBucketPolicy (EC 0030-00000006) without one. */
export const getBucketPolicy: OssOperation = (call) => {
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:GetBucketPolicy');
  if (bucket.policy === undefined) throw new OssFailure(404, 'NoSuchBucketPolicy', 'The specified bucket policy does not exist.', { ec: '0030-00000006', extra: { BucketName: bucket.name } });
  send(call.exchange, 200, { 'content-type': 'application/json' }, bucket.policy.text);
};

/** DeleteBucketPolicy (`DELETE /?policy`): 204, with or without a policy (§3). */
export const deleteBucketPolicy: OssOperation = (call) => {
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:DeleteBucketPolicy');
  bucket.policy = undefined;
  empty(call, 204);
};

// --- listing ---

function parseMaxKeys(call: OssCall, name: string): number {
  const raw = queryValue(call, name);
  if (raw === undefined || raw === '') return 100;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) > 1000) throw invalidArgument('Argument max-keys must be an integer between 0 and 1000.', name, raw);
  return Number(raw);
}

interface ListPage {
  contents: StoredObject[];
  prefixes: string[];
  truncated: boolean;
  next: string | undefined;
}

/** One page of keys after `after`, grouped by `delimiter` (a common prefix counts as one entry). */
function listPage(bucket: StoredBucket, prefix: string, delimiter: string, after: string, maxKeys: number): ListPage {
  const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && compareUtf8(k, after) > 0).sort(compareUtf8);
  const page: ListPage = { contents: [], prefixes: [], truncated: false, next: undefined };
  let last: string | undefined;
  for (const key of keys) {
    let entry: { prefix: string } | { object: StoredObject } = { object: bucket.objects.get(key) as StoredObject };
    if (delimiter !== '') {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = key.slice(0, at + delimiter.length);
        // A common prefix already returned (on this page, or as the marker of an earlier one) is not repeated.
        if (common === last || after.startsWith(common)) continue;
        entry = { prefix: common };
      }
    }
    if (page.contents.length + page.prefixes.length >= maxKeys) {
      page.truncated = true;
      break;
    }
    if ('prefix' in entry) {
      page.prefixes.push(entry.prefix);
      last = entry.prefix;
    } else {
      page.contents.push(entry.object);
      last = key;
    }
  }
  if (page.truncated) page.next = last;
  return page;
}

function encodingOf(call: OssCall): (text: string) => string {
  const encoding = queryValue(call, 'encoding-type');
  if (encoding === undefined) return (t) => t;
  if (encoding !== 'url') throw invalidArgument('The encoding-type must be url.', 'encoding-type', encoding);
  return (t) => encodeURIComponent(t).replace(/%2F/g, '/');
}

function contentsXml(object: StoredObject, encode: (t: string) => string, withOwner: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    Key: encode(object.key),
    LastModified: isoMillis(object.lastModified),
    ETag: object.etag,
    Type: 'Normal',
    Size: object.body.length,
    StorageClass: 'Standard',
  };
  if (withOwner) entry['Owner'] = ownerXml(object.owner);
  return entry;
}

/**
 * ListObjects V1 and V2 (`GET /`, `GET /?list-type=2`, §4.1): prefix, delimiter, marker or
 * start-after and continuation-token, max-keys, encoding-type; V1 always carries `Owner` per
 * `Contents` (§6 item 5: ali-oss dereferences it), V2 only with `fetch-owner=true`.
 */
export const listObjects: OssOperation = (call) => {
  const bucket = bucketOf(call);
  const prefix = queryValue(call, 'prefix');
  const delimiter = queryValue(call, 'delimiter');
  authorizeOn(call, bucket, 'oss:ListObjects', { context: { 'oss:Prefix': prefix, 'oss:Delimiter': delimiter } });
  const encode = encodingOf(call);
  const maxKeys = parseMaxKeys(call, 'max-keys');
  const listType = queryValue(call, 'list-type');
  if (listType !== undefined && listType !== '2') throw invalidArgument('The list-type must be 2.', 'list-type', listType);
  const result: Record<string, unknown> = { Name: bucket.name, Prefix: encode(prefix ?? '') };
  if (listType === undefined) {
    const marker = queryValue(call, 'marker') ?? '';
    const page = listPage(bucket, prefix ?? '', delimiter ?? '', marker, maxKeys);
    result['Marker'] = encode(marker);
    result['MaxKeys'] = maxKeys;
    result['Delimiter'] = encode(delimiter ?? '');
    if (queryValue(call, 'encoding-type') !== undefined) result['EncodingType'] = 'url';
    result['IsTruncated'] = page.truncated;
    if (page.next !== undefined) result['NextMarker'] = encode(page.next);
    result['Contents'] = page.contents.map((o) => contentsXml(o, encode, true));
    result['CommonPrefixes'] = page.prefixes.map((p) => ({ Prefix: encode(p) }));
  } else {
    const token = queryValue(call, 'continuation-token');
    const startAfter = queryValue(call, 'start-after');
    let after = startAfter ?? '';
    if (token !== undefined) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (token === '' || Buffer.from(decoded, 'utf8').toString('base64url') !== token) throw invalidArgument('The continuation token is not valid.', 'continuation-token', token);
      if (compareUtf8(decoded, after) > 0) after = decoded;
    }
    const fetchOwner = queryValue(call, 'fetch-owner');
    if (fetchOwner !== undefined && fetchOwner !== 'true' && fetchOwner !== 'false') throw invalidArgument('The fetch-owner must be true or false.', 'fetch-owner', fetchOwner);
    const page = listPage(bucket, prefix ?? '', delimiter ?? '', after, maxKeys);
    if (token !== undefined) result['ContinuationToken'] = token;
    if (startAfter !== undefined) result['StartAfter'] = encode(startAfter);
    result['MaxKeys'] = maxKeys;
    result['Delimiter'] = encode(delimiter ?? '');
    if (queryValue(call, 'encoding-type') !== undefined) result['EncodingType'] = 'url';
    result['IsTruncated'] = page.truncated;
    if (page.next !== undefined) result['NextContinuationToken'] = Buffer.from(page.next, 'utf8').toString('base64url');
    result['KeyCount'] = page.contents.length + page.prefixes.length;
    result['Contents'] = page.contents.map((o) => contentsXml(o, encode, fetchOwner === 'true'));
    result['CommonPrefixes'] = page.prefixes.map((p) => ({ Prefix: encode(p) }));
  }
  xmlReply(call, { ListBucketResult: result });
};

// --- objects ---

const MAX_KEY_BYTES = 1023;

function objectAclHeader(call: OssCall, required: boolean): StoredObject['acl'] | undefined {
  const acl = header(call, 'x-oss-object-acl');
  if (acl === undefined && !required) return undefined;
  if (acl === undefined || acl === '') {
    // §2.2: "PutObjectAcl with a missing or empty x-oss-object-acl: EC 0017-00000105".
    throw invalidArgument('The x-oss-object-acl header is missing or empty.', 'x-oss-object-acl', acl ?? '', '0017-00000105');
  }
  if (!isObjectAcl(acl)) throw invalidArgument(`The object ACL must be one of ${OBJECT_ACLS.join(', ')}.`, 'x-oss-object-acl', acl);
  return acl;
}

function objectHeaders(object: StoredObject): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'content-type': object.contentType,
    'content-length': object.body.length,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-oss-object-type': 'Normal',
    'x-oss-storage-class': 'Standard',
    'content-md5': object.md5,
  };
  for (const [name, value] of object.meta) headers[name] = value;
  return headers;
}

/** PutObject (`PUT /<key>`, §4.1): 200 with the ETag (quoted upper-case MD5 hex); x-oss-meta-* and x-oss-object-acl kept. */
export const putObject: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  if (header(call, 'x-oss-copy-source') !== undefined) throw new OssFailure(501, 'NotImplemented', 'CopyObject is not implemented by this emulator.');
  const acl = objectAclHeader(call, false);
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new OssFailure(400, 'InvalidObjectName', 'The length of the object name must be less than 1024 bytes.', { extra: { Key: key.slice(0, 64) } });
  const existing = bucket.objects.get(key);
  authorizeOn(call, bucket, 'oss:PutObject', { object: key, acl: effectiveAcl(bucket, existing), context: { 'oss:x-oss-object-acl': acl } });
  md5Check(call);
  if (existing !== undefined && header(call, 'x-oss-forbid-overwrite') === 'true') {
    throw new OssFailure(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.', { extra: { Key: key } });
  }
  const meta = new Map<string, string>();
  for (const [name, value] of Object.entries(call.exchange.req.headers)) {
    if (name.startsWith('x-oss-meta-') && value !== undefined) meta.set(name, Array.isArray(value) ? value.join(',') : value);
  }
  const md5 = createHash('md5').update(call.body);
  const digest = md5.digest();
  const identity = call.identity;
  const object: StoredObject = {
    key,
    body: call.body,
    etag: `"${digest.toString('hex').toUpperCase()}"`,
    md5: digest.toString('base64'),
    contentType: header(call, 'content-type') ?? 'application/octet-stream',
    meta,
    acl: acl ?? 'default',
    owner: identity.kind === 'signed' ? identity.account : bucket.owner,
    lastModified: call.exchange.receivedAt,
  };
  bucket.objects.set(key, object);
  empty(call, 200, { etag: object.etag, 'content-md5': object.md5 });
};

const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** GetObject (`GET /<key>`): the body with its metadata; 404 NoSuchKey. `response-*` parameters override headers. */
export const getObject: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  const object = bucket.objects.get(key);
  authorizeOn(call, bucket, 'oss:GetObject', { object: key, acl: effectiveAcl(bucket, object) });
  if (object === undefined) throw noSuchKey(call);
  const headers = objectHeaders(object);
  for (const [name, value] of call.query) {
    const target = RESPONSE_OVERRIDES[name];
    if (target !== undefined) headers[target] = value;
  }
  send(call.exchange, 200, headers, object.body);
};

/** HeadObject (`HEAD /<key>`) and GetObjectMeta (`HEAD /<key>?objectMeta`): headers only; errors carry x-oss-err (§5.6). */
export const headObject: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  const object = bucket.objects.get(key);
  authorizeOn(call, bucket, 'oss:GetObject', { object: key, acl: effectiveAcl(bucket, object) });
  if (object === undefined) throw noSuchKey(call);
  send(call.exchange, 200, objectHeaders(object));
};

/** DeleteObject (`DELETE /<key>`, §4.1): 204 whether or not the object exists. */
export const deleteObject: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:DeleteObject', { object: key, acl: effectiveAcl(bucket, bucket.objects.get(key)) });
  bucket.objects.delete(key);
  empty(call, 204);
};

/** PutObjectAcl (`PUT /<key>?acl` with x-oss-object-acl): 200; 404 NoSuchKey. */
export const putObjectAcl: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  const acl = objectAclHeader(call, true) as StoredObject['acl'];
  authorizeOn(call, bucket, 'oss:PutObjectAcl', { object: key, context: { 'oss:x-oss-object-acl': acl } });
  const object = bucket.objects.get(key);
  if (object === undefined) throw noSuchKey(call);
  object.acl = acl;
  empty(call, 200);
};

/** GetObjectAcl (`GET /<key>?acl`): Grant is the object's own ACL, `default` when it inherits (§2.2 RECOMMENDATION, §6 item 7). */
export const getObjectAcl: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:GetObjectAcl', { object: key });
  const object = bucket.objects.get(key);
  if (object === undefined) throw noSuchKey(call);
  xmlReply(call, { AccessControlPolicy: { Owner: ownerXml(object.owner), AccessControlList: { Grant: object.acl } } });
};
