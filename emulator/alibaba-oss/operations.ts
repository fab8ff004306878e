/**
 * The OSS operations of the emulator (vendor notes alibaba-oss.md §4.1, §5.5): bucket, policy,
 * ACL, object and listing operations over the store. Every access decision goes through the
 * reference evaluator (`adapters/reference/alibaba-oss/`) with the operation's action name
 * (§1.2), the request's principal and its condition context (§1.8); the emulator adds only wire
 * protocol and state.
 */
import { createHash, randomBytes } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AliDecision, AliEvaluator } from '../../adapters/reference/alibaba-oss/index.ts';
import type { QueryPairs } from '../../adapters/http/alibaba-oss/signing.ts';
import type { AliBucketAcl, AliRequest, AliWorld } from '../../model/alibaba-oss/types.ts';
import type { AccountEntry } from '../accounts.ts';
import { SOURCE_VPC_HEADER, type Exchange } from '../types.ts';
import type { OssIdentity } from './auth.ts';
import { OssFailure, send, xmlDocument } from './replies.ts';
import { compareUtf8, isBucketAcl, isObjectAcl, OBJECT_ACLS, REDUNDANCY_TYPES, STORAGE_CLASSES, type OssStore, type StoredBucket, type StoredObject, type StoredPart, type StoredUpload } from './store.ts';

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
 * Decides a request with the reference evaluator. `acl` is the ACL the evaluator's ACL fallback
 * reads (§2.1 steps 6-7): the object's own ACL when it has one, else the bucket's.
 */
function decide(call: OssCall, bucket: { name: string; owner: string; region: string; acl: AliBucketAcl }, action: string, policy: StoredBucket['policy'], options: { object?: string; context?: Record<string, string | undefined> } = {}): AliDecision {
  const world: AliWorld = { vendor: 'alibaba-oss', bucket: { name: bucket.name, owner: bucket.owner, region: bucket.region, acl: bucket.acl } };
  const request: AliRequest = { principal: call.identity.principal, action, context: conditionContext(call, options.context) };
  if (options.object !== undefined) request.object = options.object;
  const compiled = policy?.compiled ?? call.evaluator.compile(undefined);
  return call.evaluator.evaluate(compiled, world, request);
}

/** The refusal of a denied decision: 403 AccessDenied with the evaluator's EC in `x-oss-ec` and `<EC>` (§4.2). */
function denial(decision: AliDecision, action: string, onObject: boolean): OssFailure {
  const explicit = decision.explanation.reason === 'explicit-deny';
  // §4.2: "Message text for policy denials: 'Access denied by bucket policy.'"
  const message = explicit
    ? 'Access denied by bucket policy.'
    : onObject
      ? 'You have no right to access this object because of bucket acl.'
      : 'The bucket you access does not belong to you.';
  return new OssFailure(403, decision.code ?? 'AccessDenied', message, { ec: decision.ec, extra: { AuthAction: action } });
}

/**
 * Whether the request is signed with the emulator-only administrator key (README "The
 * administrator key"): allowed every bucket, policy and object operation on every bucket, without
 * the evaluator being asked. A real OSS has nothing like it.
 */
function isAdmin(call: OssCall): boolean {
  return call.identity.kind === 'admin';
}

/** Decides a request and refuses it when denied (see `decide` and `denial`); the administrator is not decided. */
function authorize(call: OssCall, bucket: { name: string; owner: string; region: string; acl: AliBucketAcl }, action: string, policy: StoredBucket['policy'], options: { object?: string; context?: Record<string, string | undefined> } = {}): void {
  if (isAdmin(call)) return;
  const decision = decide(call, bucket, action, policy, options);
  if (decision.decision === 'deny') throw denial(decision, action, options.object !== undefined);
}

function worldBucket(bucket: StoredBucket, acl?: AliBucketAcl): { name: string; owner: string; region: string; acl: AliBucketAcl } {
  return { name: bucket.name, owner: bucket.owner.id, region: bucket.region, acl: acl ?? bucket.acl };
}

function authorizeOn(call: OssCall, bucket: StoredBucket, action: string, options: { object?: string; acl?: AliBucketAcl; context?: Record<string, string | undefined> } = {}): void {
  authorize(call, worldBucket(bucket, options.acl), action, bucket.policy, options);
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
  // The administrator key belongs to no account, so it has no buckets of its own to list.
  if (identity.kind === 'admin') throw new OssFailure(403, 'AccessDenied', 'The emulator\'s administrator key owns no buckets to list.', { ec: '0003-00000001', extra: { AuthAction: 'oss:ListBuckets' } });
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
  if (identity.kind === 'admin') {
    // The administrator acts on buckets that exist; it belongs to no account that could own a new one.
    if (existing === undefined) throw new OssFailure(403, 'AccessDenied', 'The emulator\'s administrator key cannot create buckets: it belongs to no account.', { ec: '0003-00000001', extra: { AuthAction: 'oss:PutBucket' } });
    empty(call, 200, { location: `/${name}` });
    return;
  }
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
  // A bucket with objects or with multipart uploads in progress (their parts) is not empty.
  if (bucket.objects.size > 0 || call.store.hasUploads(bucket.name)) throw new OssFailure(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', { extra: { BucketName: bucket.name } });
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
    Type: object.type,
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

/**
 * ListObjectVersions (`GET /?versions`, ali-oss `getBucketVersions` / `listObjectVersions`),
 * decided as `oss:ListObjectVersions` with `oss:Prefix` and `oss:Delimiter` (§1.2, §1.8, like
 * ListObjects). The emulator keeps no versions (versioning is never enabled, README
 * "Operations"): every current object is listed as its only version, `VersionId` `null` and
 * `IsLatest` true (what OSS shows for an object uploaded while versioning was never enabled), and
 * there are no delete markers. Parameters: `prefix`, `delimiter`, `key-marker`,
 * `version-id-marker` (only with `key-marker`; every key having one version, the listing resumes
 * after `key-marker`), `max-keys`, `encoding-type=url`. `Owner` is in every `Version` (ali-oss
 * dereferences it).
 */
export const listObjectVersions: OssOperation = (call) => {
  const bucket = bucketOf(call);
  const prefix = queryValue(call, 'prefix');
  const delimiter = queryValue(call, 'delimiter');
  authorizeOn(call, bucket, 'oss:ListObjectVersions', { context: { 'oss:Prefix': prefix, 'oss:Delimiter': delimiter } });
  const encode = encodingOf(call);
  const maxKeys = parseMaxKeys(call, 'max-keys');
  const keyMarker = queryValue(call, 'key-marker') ?? '';
  const versionIdMarker = queryValue(call, 'version-id-marker');
  if (versionIdMarker !== undefined && keyMarker === '') throw invalidArgument('A version-id-marker cannot be specified without a key-marker.', 'version-id-marker', versionIdMarker);
  const page = listPage(bucket, prefix ?? '', delimiter ?? '', keyMarker, maxKeys);
  const result: Record<string, unknown> = {
    Name: bucket.name,
    Prefix: encode(prefix ?? ''),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker ?? '',
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter ?? ''),
  };
  if (queryValue(call, 'encoding-type') !== undefined) result['EncodingType'] = 'url';
  result['IsTruncated'] = page.truncated;
  if (page.next !== undefined) {
    result['NextKeyMarker'] = encode(page.next);
    result['NextVersionIdMarker'] = 'null';
  }
  result['Version'] = page.contents.map((o) => ({
    Key: encode(o.key),
    VersionId: 'null',
    IsLatest: true,
    LastModified: isoMillis(o.lastModified),
    ETag: o.etag,
    Type: o.type,
    Size: o.body.length,
    StorageClass: 'Standard',
    Owner: ownerXml(o.owner),
  }));
  result['CommonPrefixes'] = page.prefixes.map((p) => ({ Prefix: encode(p) }));
  xmlReply(call, { ListVersionsResult: result });
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
    'x-oss-object-type': object.type,
    'x-oss-storage-class': 'Standard',
  };
  if (object.md5 !== undefined) headers['content-md5'] = object.md5;
  for (const [name, value] of object.meta) headers[name] = value;
  return headers;
}

function metaHeaders(call: OssCall): Map<string, string> {
  const meta = new Map<string, string>();
  for (const [name, value] of Object.entries(call.exchange.req.headers)) {
    if (name.startsWith('x-oss-meta-') && value !== undefined) meta.set(name, Array.isArray(value) ? value.join(',') : value);
  }
  return meta;
}

/** The ETag form of an MD5 digest: quoted upper-case hex (§4.1 PutObject). */
function quotedHex(digest: Buffer): string {
  return `"${digest.toString('hex').toUpperCase()}"`;
}

/** The owner of an object a request creates: the signer's account, or the bucket owner for an anonymous or administrator's upload. */
function uploader(call: OssCall, bucket: StoredBucket): AccountEntry {
  return call.identity.kind === 'signed' ? call.identity.account : bucket.owner;
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
  const digest = createHash('md5').update(call.body).digest();
  const object: StoredObject = {
    key,
    body: call.body,
    etag: quotedHex(digest),
    md5: digest.toString('base64'),
    type: 'Normal',
    contentType: header(call, 'content-type') ?? 'application/octet-stream',
    meta: metaHeaders(call),
    acl: acl ?? 'default',
    owner: uploader(call, bucket),
    lastModified: call.exchange.receivedAt,
  };
  bucket.objects.set(key, object);
  empty(call, 200, { etag: object.etag, 'content-md5': digest.toString('base64') });
};

const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** What a `Range` header asks of an object of a given size. */
export type ByteRange =
  | { readonly kind: 'whole' }
  | { readonly kind: 'part'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * The bytes a `Range` header selects (OSS GetObject range rules, not in the notes; OSS help "Use
 * HTTP Range requests"): `bytes=a-b`, `bytes=a-`, `bytes=-n`. By default OSS ignores a range it
 * cannot serve, an invalid one or one outside `0..size-1` (200, whole object). With
 * `x-oss-range-behavior: standard` it behaves as RFC 7233: the end is clamped to the last byte, a
 * start past the end (or a multi-range) is 416 InvalidRange; a syntactically invalid range is
 * still ignored.
 */
export function byteRange(value: string | undefined, size: number, standard: boolean): ByteRange {
  if (value === undefined) return { kind: 'whole' };
  const text = value.trim();
  if (standard && /^bytes=[^,]*,/.test(text)) return { kind: 'unsatisfiable' };
  const m = SINGLE_RANGE.exec(text);
  if (m === null || (m[1] === '' && m[2] === '')) return { kind: 'whole' };
  const first = m[1] === '' ? undefined : Number(m[1]);
  const last = m[2] === '' ? undefined : Number(m[2]);
  if (first === undefined) {
    const n = last as number;
    if (n === 0 || size === 0) return standard ? { kind: 'unsatisfiable' } : { kind: 'whole' };
    if (n > size) return standard ? { kind: 'part', start: 0, end: size - 1 } : { kind: 'whole' };
    return { kind: 'part', start: size - n, end: size - 1 };
  }
  if (last !== undefined && last < first) return { kind: 'whole' };
  if (first >= size) return standard ? { kind: 'unsatisfiable' } : { kind: 'whole' };
  if (last === undefined) return { kind: 'part', start: first, end: size - 1 };
  if (last >= size) return standard ? { kind: 'part', start: first, end: size - 1 } : { kind: 'whole' };
  return { kind: 'part', start: first, end: last };
}

/**
 * GetObject (`GET /<key>`): the body with its metadata; 404 NoSuchKey. `response-*` parameters
 * override headers. A `Range` is served as 206 with `Content-Range` (see `byteRange`).
 */
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
  const rangeHeader = header(call, 'range');
  const range = byteRange(rangeHeader, object.body.length, header(call, 'x-oss-range-behavior')?.trim().toLowerCase() === 'standard');
  if (range.kind === 'unsatisfiable') {
    throw new OssFailure(416, 'InvalidRange', 'The requested range cannot be satisfied', { extra: { RangeRequested: rangeHeader ?? '', ActualObjectSize: String(object.body.length) } });
  }
  if (range.kind === 'part') {
    const part = object.body.subarray(range.start, range.end + 1);
    delete headers['content-md5'];
    headers['content-length'] = part.length;
    headers['content-range'] = `bytes ${range.start}-${range.end}/${object.body.length}`;
    send(call.exchange, 206, headers, part);
    return;
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

// --- DeleteMultipleObjects ---

const MALFORMED_XML = 'The XML you provided was not well-formed or did not validate against our published schema.';
const MAX_DELETE_OBJECTS = 1000;

/** Parses a request body as one XML document whose root is `root`; 400 MalformedXML otherwise. */
function xmlBody(call: OssCall, root: string, arrays: readonly string[]): Record<string, unknown> {
  const text = call.body.toString('utf8').trim();
  if (text === '' || XMLValidator.validate(text) !== true) throw new OssFailure(400, 'MalformedXML', MALFORMED_XML);
  const parser = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (_name, path) => typeof path === 'string' && arrays.includes(path) });
  const doc = parser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(doc).filter((k) => k !== '?xml');
  const element = doc[root];
  if (roots.length !== 1 || roots[0] !== root) throw new OssFailure(400, 'MalformedXML', MALFORMED_XML);
  return typeof element === 'object' && element !== null ? (element as Record<string, unknown>) : {};
}

/** The text of a child element, or undefined when it is absent or not plain text. */
function childText(element: unknown, name: string): string | undefined {
  if (typeof element !== 'object' || element === null) return undefined;
  const value = (element as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * DeleteMultipleObjects (`POST /?delete`, §5.5 `deleteMulti`): `Content-MD5` is required (400
 * MissingArgument, OSS EC 0016-00000606), the body is `<Delete><Quiet/><Object><Key/></Object>...`
 * (1 to 1000 objects). Each key is decided separately as `oss:DeleteObject` (§1.2). The batch is
 * all or nothing: when a key hits an explicit Deny the whole request is 403 AccessDenied with EC
 * 0003-00000204 ("batch operation hit an explicit deny", §4.2); when a key is only not granted,
 * the request is refused with that key's denial (EC 0003-00000001); either way nothing is
 * deleted (OSS's `DeleteResult` has no per-key error element). Otherwise every key is deleted
 * (present or not) and listed in `<Deleted>`, except in quiet mode, whose answer has no body.
 */
export const deleteMultipleObjects: OssOperation = (call) => {
  const bucket = bucketOf(call);
  if (header(call, 'content-md5') === undefined) {
    throw new OssFailure(400, 'MissingArgument', 'Missing Some Required Arguments.', { ec: '0016-00000606', extra: { ArgumentName: 'Content-MD5' } });
  }
  md5Check(call);
  const encode = encodingOf(call);
  const request = xmlBody(call, 'Delete', ['Delete.Object']);
  const quietText = childText(request, 'Quiet');
  if ('Quiet' in request && (quietText === undefined || !['true', 'false'].includes(quietText.trim()))) {
    // OSS EC 0016-00000610: an invalid Quiet value.
    throw new OssFailure(400, 'MalformedXML', MALFORMED_XML, { ec: '0016-00000610' });
  }
  const objects = (request['Object'] ?? []) as unknown[];
  if (objects.length === 0 || objects.length > MAX_DELETE_OBJECTS) throw new OssFailure(400, 'MalformedXML', MALFORMED_XML);
  const keys: string[] = [];
  for (const object of objects) {
    const key = childText(object, 'Key');
    // OSS EC 0016-00000613: an Object without Key.
    if (key === undefined || key === '') throw new OssFailure(400, 'MalformedXML', MALFORMED_XML, { ec: '0016-00000613' });
    if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new OssFailure(400, 'InvalidObjectName', 'The length of the object name must be less than 1024 bytes.', { extra: { Key: key.slice(0, 64) } });
    keys.push(key);
  }
  let firstDenied: AliDecision | undefined;
  for (const key of isAdmin(call) ? [] : keys) {
    const decision = decide(call, worldBucket(bucket, effectiveAcl(bucket, bucket.objects.get(key))), 'oss:DeleteObject', bucket.policy, { object: key });
    if (decision.decision === 'allow') continue;
    if (decision.explanation.reason === 'explicit-deny') {
      // §4.2: EC 0003-00000204 "batch operation hit an explicit deny".
      throw new OssFailure(403, 'AccessDenied', 'Access denied by bucket policy.', { ec: '0003-00000204', extra: { AuthAction: 'oss:DeleteObject', Key: key } });
    }
    firstDenied ??= decision;
  }
  if (firstDenied !== undefined) throw denial(firstDenied, 'oss:DeleteObject', true);
  for (const key of keys) bucket.objects.delete(key);
  if (quietText?.trim() === 'true') {
    empty(call, 200);
    return;
  }
  const result: Record<string, unknown> = { Deleted: keys.map((key) => ({ Key: encode(key) })) };
  if (queryValue(call, 'encoding-type') !== undefined) result['EncodingType'] = 'url';
  xmlReply(call, { DeleteResult: result });
};

// --- multipart upload ---

/** The smallest part but the last (OSS: 100 KB; ali-oss `multipartUpload` refuses a smaller partSize). */
export const MIN_PART_BYTES = 100 * 1024;
const MAX_PART_NUMBER = 10_000;

function noSuchUpload(uploadId: string): OssFailure {
  return new OssFailure(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { extra: { UploadId: uploadId } });
}

/** The upload a request names by `uploadId`, in its bucket and for its key; 404 NoSuchUpload otherwise. */
function uploadOf(call: OssCall, bucket: StoredBucket): StoredUpload {
  const id = queryValue(call, 'uploadId') ?? '';
  const upload = call.store.uploads.get(id);
  if (upload === undefined || upload.bucket !== bucket.name || upload.key !== call.key) throw noSuchUpload(id);
  return upload;
}

/** Decides a multipart request on its object like a PutObject (§1.2: InitiateMultipartUpload, UploadPart and CompleteMultipartUpload are `oss:PutObject`). */
function authorizeWrite(call: OssCall, bucket: StoredBucket, key: string, action = 'oss:PutObject', context: Record<string, string | undefined> = {}): void {
  authorizeOn(call, bucket, action, { object: key, acl: effectiveAcl(bucket, bucket.objects.get(key)), context });
}

/**
 * InitiateMultipartUpload (`POST /<key>?uploads`, §5.5 `multipartUpload`): decided as
 * `oss:PutObject`; records `Content-Type`, `x-oss-meta-*`, `x-oss-object-acl` and
 * `x-oss-forbid-overwrite` for the completed object; answers `InitiateMultipartUploadResult`.
 */
export const initiateMultipartUpload: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  const acl = objectAclHeader(call, false);
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new OssFailure(400, 'InvalidObjectName', 'The length of the object name must be less than 1024 bytes.', { extra: { Key: key.slice(0, 64) } });
  authorizeWrite(call, bucket, key, 'oss:PutObject', { 'oss:x-oss-object-acl': acl });
  const forbidOverwrite = header(call, 'x-oss-forbid-overwrite') === 'true';
  if (forbidOverwrite && bucket.objects.has(key)) throw new OssFailure(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.', { extra: { Key: key } });
  const id = randomBytes(16).toString('hex').toUpperCase();
  const contentType = header(call, 'content-type');
  call.store.uploads.set(id, {
    id,
    bucket: bucket.name,
    key,
    initiated: call.exchange.receivedAt,
    contentType: contentType === undefined || contentType === '' ? 'application/octet-stream' : contentType,
    meta: metaHeaders(call),
    acl,
    forbidOverwrite,
    parts: new Map(),
  });
  const encode = encodingOf(call);
  const result: Record<string, unknown> = { Bucket: bucket.name, Key: encode(key), UploadId: id };
  if (queryValue(call, 'encoding-type') !== undefined) result['EncodingType'] = 'url';
  xmlReply(call, { InitiateMultipartUploadResult: result });
};

/**
 * UploadPart (`PUT /<key>?partNumber=N&uploadId=U`): decided as `oss:PutObject`; `partNumber`
 * from 1 to 10000 (400 InvalidArgument), `Content-MD5` checked; a part sent again replaces the
 * earlier one; answers 200 with the part's `ETag` header (ali-oss reads it from there, §5.5).
 */
export const uploadPart: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  authorizeWrite(call, bucket, key);
  const upload = uploadOf(call, bucket);
  const raw = queryValue(call, 'partNumber') ?? '';
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PART_NUMBER) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive.`, 'partNumber', raw);
  }
  md5Check(call);
  const digest = createHash('md5').update(call.body).digest();
  const part: StoredPart = { number: Number(raw), body: call.body, etag: quotedHex(digest), digest, lastModified: call.exchange.receivedAt };
  upload.parts.set(part.number, part);
  empty(call, 200, { etag: part.etag, 'content-md5': digest.toString('base64') });
};

/** An ETag as a client sends it back, for comparison: quotes dropped, upper case. */
function normalEtag(etag: string): string {
  return etag.trim().replace(/^"|"$/g, '').toUpperCase();
}

/**
 * CompleteMultipartUpload (`POST /<key>?uploadId=U`, body `<CompleteMultipartUpload><Part>
 * <PartNumber/><ETag/></Part>...`): decided as `oss:PutObject`. Parts must be listed in
 * ascending order (400 InvalidPartOrder), each uploaded with that ETag (400 InvalidPart), every
 * one but the last at least 100 KB (400 EntityTooSmall). The object is the listed parts joined,
 * with the ETag `"<MD5 of the part MD5s>-<count>"`, type `Multipart`, the initiate request's
 * metadata and ACL, and as owner the completer's account (like a PutObject). The upload ends.
 */
export const completeMultipartUpload: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  authorizeWrite(call, bucket, key, 'oss:PutObject', { 'oss:x-oss-object-acl': undefined });
  const upload = uploadOf(call, bucket);
  md5Check(call);
  const request = xmlBody(call, 'CompleteMultipartUpload', ['CompleteMultipartUpload.Part']);
  const listed = (request['Part'] ?? []) as unknown[];
  if (listed.length === 0) throw new OssFailure(400, 'MalformedXML', MALFORMED_XML);
  const parts: StoredPart[] = [];
  for (const item of listed) {
    const number = childText(item, 'PartNumber')?.trim() ?? '';
    const etag = childText(item, 'ETag') ?? '';
    if (!/^\d{1,5}$/.test(number) || etag.trim() === '') throw new OssFailure(400, 'MalformedXML', MALFORMED_XML);
    const previous = parts[parts.length - 1];
    if (previous !== undefined && Number(number) <= previous.number) {
      throw new OssFailure(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts list must be specified in order by part number.', { extra: { UploadId: upload.id } });
    }
    const part = upload.parts.get(Number(number));
    if (part === undefined || normalEtag(part.etag) !== normalEtag(etag)) {
      throw new OssFailure(400, 'InvalidPart', 'One or more of the specified parts could not be found or the specified entity tag might not have matched the part\'s entity tag.', { extra: { UploadId: upload.id, PartNumber: number, ETag: etag.trim() } });
    }
    parts.push(part);
  }
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.body.length < MIN_PART_BYTES) {
      throw new OssFailure(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.', { extra: { MinSizeAllowed: String(MIN_PART_BYTES), ProposedSize: String(part.body.length), PartNumber: String(part.number) } });
    }
  });
  if ((upload.forbidOverwrite || header(call, 'x-oss-forbid-overwrite') === 'true') && bucket.objects.has(key)) {
    throw new OssFailure(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.', { extra: { Key: key } });
  }
  const etag = `"${createHash('md5').update(Buffer.concat(parts.map((p) => p.digest))).digest('hex').toUpperCase()}-${parts.length}"`;
  const object: StoredObject = {
    key,
    body: Buffer.concat(parts.map((p) => p.body)),
    etag,
    md5: undefined,
    type: 'Multipart',
    contentType: upload.contentType,
    meta: upload.meta,
    acl: upload.acl ?? 'default',
    owner: uploader(call, bucket),
    lastModified: call.exchange.receivedAt,
  };
  bucket.objects.set(key, object);
  call.store.uploads.delete(upload.id);
  const encode = encodingOf(call);
  const result: Record<string, unknown> = {};
  if (queryValue(call, 'encoding-type') !== undefined) result['EncodingType'] = 'url';
  Object.assign(result, { Location: `http://${bucket.name}.oss-${bucket.region}.aliyuncs.com/${encodeURIComponent(key).replace(/%2F/g, '/')}`, Bucket: bucket.name, Key: encode(key), ETag: etag });
  send(call.exchange, 200, { 'content-type': 'application/xml', etag }, xmlDocument({ CompleteMultipartUploadResult: result }));
};

/** AbortMultipartUpload (`DELETE /<key>?uploadId=U`): decided as `oss:AbortMultipartUpload` (§1.2); 204; 404 NoSuchUpload. */
export const abortMultipartUpload: OssOperation = (call) => {
  const key = call.key as string;
  const bucket = bucketOf(call);
  authorizeOn(call, bucket, 'oss:AbortMultipartUpload', { object: key });
  const upload = uploadOf(call, bucket);
  call.store.uploads.delete(upload.id);
  empty(call, 204);
};
