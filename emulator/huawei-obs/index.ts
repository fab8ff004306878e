/**
 * The Huawei Cloud OBS dialect of the emulator (issue #6 item 3): OBS and AWS V2 signatures,
 * path-style and virtual-host addressing, the `HEAD /?apiversion` negotiation, buckets, bucket
 * policies, bucket ACLs, bucket logging, the location/versioning/multipart-upload reads, objects
 * and (checked, not kept) object ACLs, with the error XML and headers of the vendor notes
 * (huawei-obs.md §6.4, §7). Every access decision is the reference evaluator's (`evaluate` and
 * `applyEffect` of `adapters/reference/huawei-obs/`), one reference store per bucket.
 */
import { createHash } from 'node:crypto';
import { OBS_SIGNED_SUBRESOURCES, type ObsSignatureKind } from '../../adapters/http/huawei-obs/signing.ts';
import { validateAcl } from '../../adapters/reference/huawei-obs/acl.ts';
import { evaluate, type ObsOutcome } from '../../adapters/reference/huawei-obs/evaluate.ts';
import { loadObsWorld } from '../../adapters/reference/huawei-obs/evaluator.ts';
import { DOCUMENTED_OBS_SEMANTICS } from '../../adapters/reference/huawei-obs/semantics.ts';
import { applyEffect } from '../../adapters/reference/huawei-obs/store.ts';
import { OBS_LOG_DELIVERY, type ObsGrant, type ObsGrantee, type ObsRequest } from '../../model/huawei-obs/types.ts';
import { keyIndex } from '../accounts.ts';
import type { Dialect, DialectFactory, DialectOptions, EmulatorFault, Exchange } from '../types.ts';
import { headerAcl, OBJECT_CANNED, type HeaderGrant } from './acl-headers.ts';
import { resolveAddress, type ObsAddress } from './addressing.ts';
import { byteRange } from './range.ts';
import { authenticate, type ObsCaller } from './auth.ts';
import { grantKey, type ObsBucketState, type ObsEmulatorState, type ObsObject } from './state.ts';
import { OBS_XMLNS, parseXml, readAcl, readCreateBucketConfiguration, readLoggingStatus, renderAcl, renderError, S3_XMLNS, xmlDocument } from './xml.ts';

/** Which request-id headers a response carries: OBS (`x-obs-*`), AWS (`x-amz-*`), or both when the caller's dialect is unknown. */
type IdHeaders = ObsSignatureKind | 'both';

/** What a request's responses are shaped by. */
interface Flavour {
  /** The dialect of XML shapes and of the `acl`/`meta` header prefixes. */
  kind: ObsSignatureKind;
  ids: IdHeaders;
  /** Set for an anonymous request that carries no `x-obs-*` or `x-amz-*` header: its dialect is a guess. */
  guessed?: boolean;
}

/** A refusal, rendered as the error XML. */
class ObsError extends Error {
  override name = 'ObsError';
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, string> | undefined;
  /** Response headers the error adds (e.g. `Content-Range` of a 416). */
  readonly headers: Record<string, string> | undefined;
  constructor(status: number, code: string, message: string, extra?: Record<string, string>, headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }
}

// Messages of the generic codes (vendor notes §6.4, O18; "Access denied." per the SDK error table).
const MESSAGES: Readonly<Record<string, string>> = {
  AccessDenied: 'Access Denied',
  NoSuchBucket: 'The specified bucket does not exist',
  NoSuchKey: 'The specified key does not exist.',
  NoSuchBucketPolicy: 'The bucket policy does not exist',
  BucketNotEmpty: 'The bucket you tried to delete is not empty',
  BucketAlreadyExists: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  BucketAlreadyOwnedByYou: 'Your previous request to create the named bucket succeeded and you already own it.',
  MethodNotAllowed: 'The specified method is not allowed against this resource.',
};

function obsError(status: number, code: string, message?: string, extra?: Record<string, string>, headers?: Record<string, string>): ObsError {
  return new ObsError(status, code, message ?? MESSAGES[code] ?? code, extra, headers);
}

/** A header value safe to send: printable ASCII, at most 512 characters. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 512);
}

function singleHeader(exchange: Exchange, name: string): string | undefined {
  const value = exchange.req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Parses a raw query string: names and values decoded, the first of a repeated name kept, a name without `=` has value ''. */
function parseQuery(raw: string): Map<string, string> {
  const query = new Map<string, string>();
  if (raw === '') return query;
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  for (const item of raw.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = decode(eq < 0 ? item : item.slice(0, eq));
    if (!query.has(name)) query.set(name, eq < 0 ? '' : decode(item.slice(eq + 1)));
  }
  return query;
}

// Vendor notes §6.4 (O15's naming rules): 3 to 63 characters, lower-case letters, digits, `-` and `.`, starting and ending
// with a letter or digit, no `..`, not an IP address.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function validBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && !name.includes('..') && !name.includes('.-') && !name.includes('-.') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

// Bucket sub-resources the dialect serves; any other signed sub-resource is refused with 405 (README "Operations").
const BUCKET_SUBRESOURCES = new Set(['acl', 'policy', 'versions', 'logging', 'location', 'versioning', 'uploads']);

/** The sub-resources of a query that name an operation (not `response-*` overrides, not the security token). */
function operationSubresources(query: ReadonlyMap<string, string>): string[] {
  return [...query.keys()].filter((name) => {
    const lower = name.toLowerCase();
    return OBS_SIGNED_SUBRESOURCES.has(lower) && !lower.startsWith('response-') && lower !== 'x-obs-security-token';
  });
}

class ObsDialect implements Dialect {
  readonly vendor = 'huawei-obs' as const;
  readonly #options: DialectOptions;
  readonly #keys;
  readonly #state: ObsEmulatorState = { buckets: new Map() };
  readonly #flavours = new WeakMap<Exchange, Flavour>();

  constructor(options: DialectOptions) {
    this.#options = options;
    // The OBS dialect alone knows the emulator-only log delivery key (README "Identities and principals").
    this.#keys = keyIndex(options.accounts, { logDelivery: true });
  }

  describe(baseUrl: string): string[] {
    const first = this.#options.accounts.accounts[0];
    const lines = [
      'huawei-obs: path style with an IP server (the SDK then signs AWS V2); virtual-host style with Host `<bucket>.obs.<anything>` (OBS signature after `HEAD /?apiversion`)',
      `huawei-obs: e.g. new ObsClient({server: '${baseUrl}', access_key_id, secret_access_key}); see emulator/huawei-obs/README.md`,
    ];
    if (first !== undefined) lines.push(`huawei-obs: account ${first.id}: access_key_id ${first.accessKeyId}, secret_access_key ${first.accessKeySecret}`);
    return lines;
  }

  async handle(exchange: Exchange): Promise<void> {
    // Until authentication says otherwise, answer with both sets of request-id headers.
    this.#flavours.set(exchange, { kind: 'obs', ids: 'both' });
    try {
      await this.#route(exchange);
    } catch (error) {
      if (error instanceof ObsError) {
        this.#sendError(exchange, error);
        return;
      }
      throw error;
    }
  }

  renderFault(exchange: Exchange, fault: EmulatorFault): void {
    if (fault.kind === 'body-too-large') {
      // Vendor notes §6.4 (O18): EntityTooLarge 400.
      this.#sendError(exchange, obsError(400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (${this.#options.maxBodyBytes} bytes in this emulator).`));
      return;
    }
    this.#sendError(exchange, obsError(500, 'InternalError', 'We encountered an internal error. Please try again.'));
  }

  // ── Responses ──

  #flavour(exchange: Exchange): Flavour {
    return this.#flavours.get(exchange) ?? { kind: 'obs', ids: 'both' };
  }

  /** The common headers (vendor notes §6.4): the request id, the id-2, `Server: OBS`. */
  #commonHeaders(exchange: Exchange): Record<string, string> {
    const { ids } = this.#flavour(exchange);
    const id2 = this.#hostId(exchange);
    const headers: Record<string, string> = { server: 'OBS' };
    if (ids !== 'aws') {
      headers['x-obs-request-id'] = exchange.requestId;
      headers['x-obs-id-2'] = id2;
    }
    if (ids !== 'obs') {
      headers['x-amz-request-id'] = exchange.requestId;
      headers['x-amz-id-2'] = id2;
    }
    return headers;
  }

  #hostId(exchange: Exchange): string {
    return createHash('sha256').update(exchange.requestId).digest('base64').slice(0, 32);
  }

  #send(exchange: Exchange, status: number, headers: Record<string, string>, body?: string | Buffer): void {
    const res = exchange.res;
    const all = { ...this.#commonHeaders(exchange), ...headers };
    const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (payload !== undefined && all['content-length'] === undefined) all['content-length'] = String(payload.length);
    if (payload === undefined && status !== 204 && all['content-length'] === undefined) all['content-length'] = '0';
    res.writeHead(status, all);
    if (exchange.req.method === 'HEAD' || payload === undefined || status === 204) res.end();
    else res.end(payload);
  }

  #sendXml(exchange: Exchange, status: number, xml: string, headers: Record<string, string> = {}): void {
    this.#send(exchange, status, { 'content-type': 'application/xml', ...headers }, xml);
  }

  /**
   * The error response (vendor notes §6.4, §7 item 6): the `<Error>` document, and for every
   * error (a HEAD has no body) `x-obs-error-code` / `x-obs-error-message` (`x-amz-` in AWS V2).
   */
  #sendError(exchange: Exchange, error: ObsError): void {
    const { ids } = this.#flavour(exchange);
    const headers: Record<string, string> = { ...error.headers, 'content-type': 'application/xml' };
    if (ids !== 'aws') {
      headers['x-obs-error-code'] = error.code;
      headers['x-obs-error-message'] = headerSafe(error.message);
    }
    if (ids !== 'obs') {
      headers['x-amz-error-code'] = error.code;
      headers['x-amz-error-message'] = headerSafe(error.message);
    }
    const body = renderError({
      code: error.code,
      message: error.message,
      ...(exchange.rawPath === '/' ? {} : { resource: exchange.rawPath }),
      requestId: exchange.requestId,
      hostId: this.#hostId(exchange),
      ...(error.extra === undefined ? {} : { extra: error.extra }),
    });
    if (exchange.res.headersSent) {
      exchange.res.destroy();
      return;
    }
    this.#send(exchange, error.status, headers, body);
  }

  // ── Routing ──

  async #route(exchange: Exchange): Promise<void> {
    const method = (exchange.req.method ?? 'GET').toUpperCase();
    const query = parseQuery(exchange.rawQuery);
    const address = resolveAddress(singleHeader(exchange, 'host'), exchange.rawPath);
    if ('kind' in address) throw obsError(400, 'InvalidURI', address.message);

    // Vendor notes §7 item 3, §8.2: the unsigned `HEAD /?apiversion` negotiation.
    if (method === 'HEAD' && query.has('apiversion')) {
      this.#flavours.set(exchange, { kind: 'obs', ids: 'obs' });
      if (address.bucket !== undefined && !this.#state.buckets.has(address.bucket)) throw obsError(404, 'NoSuchBucket');
      this.#send(exchange, 200, { 'x-obs-api': '3.0' });
      return;
    }

    const auth = authenticate({
      method,
      headers: exchange.req.headers,
      headersDistinct: exchange.req.headersDistinct,
      rawPath: exchange.rawPath,
      rawQuery: exchange.rawQuery,
      query,
      virtualHostBucket: address.virtualHostBucket,
      receivedAt: exchange.receivedAt,
      keys: this.#keys,
    });
    if (auth.kind === 'failure') {
      if (auth.signature !== undefined) this.#flavours.set(exchange, { kind: auth.signature, ids: auth.signature });
      throw obsError(auth.status, auth.code, auth.message, auth.extra);
    }
    const caller = auth;
    this.#flavours.set(exchange, caller.kind === 'anonymous' ? this.#anonymousFlavour(exchange, address) : { kind: caller.signature, ids: caller.signature });

    if (address.bucket === undefined) {
      if (method === 'GET') return this.#listBuckets(exchange, caller);
      throw obsError(405, 'MethodNotAllowed');
    }
    const bucketName = address.bucket;
    const subresources = operationSubresources(query);
    if (address.key === undefined) {
      const sub = subresources.find((s) => BUCKET_SUBRESOURCES.has(s)) ?? subresources[0];
      if (sub !== undefined && (!BUCKET_SUBRESOURCES.has(sub) || subresources.length > 1)) throw obsError(405, 'MethodNotAllowed', `The sub-resource \`${sub}\` is not supported by the emulator.`);
      if (sub === undefined && method === 'PUT') return this.#createBucket(exchange, caller, bucketName);
      const bucket = this.#bucket(bucketName);
      if (sub === 'policy') {
        if (method === 'PUT') return this.#putPolicy(exchange, caller, bucket);
        if (method === 'GET') return this.#getPolicy(exchange, caller, bucket);
        if (method === 'DELETE') return this.#deletePolicy(exchange, caller, bucket);
        throw obsError(405, 'MethodNotAllowed');
      }
      if (sub === 'acl') {
        if (method === 'PUT') return this.#putAcl(exchange, caller, bucket);
        if (method === 'GET') return this.#getAcl(exchange, caller, bucket);
        throw obsError(405, 'MethodNotAllowed');
      }
      if (sub === 'versions') {
        if (method === 'GET') return this.#listVersions(exchange, caller, bucket, query);
        throw obsError(405, 'MethodNotAllowed');
      }
      if (sub === 'logging') {
        if (method === 'PUT') return this.#putLogging(exchange, caller, bucket);
        if (method === 'GET') return this.#getLogging(exchange, caller, bucket);
        throw obsError(405, 'MethodNotAllowed');
      }
      if (sub === 'location') {
        if (method === 'GET') return this.#getLocation(exchange, caller, bucket);
        throw obsError(405, 'MethodNotAllowed');
      }
      if (sub === 'versioning') {
        // PutBucketVersioning is not served: the emulator keeps no versions (README "Operations").
        if (method === 'GET') return this.#getVersioning(exchange, caller, bucket);
        throw obsError(405, 'MethodNotAllowed');
      }
      if (sub === 'uploads') {
        // Initiating a multipart upload (`POST /bucket/key?uploads`) is not served; listing them is.
        if (method === 'GET') return this.#listUploads(exchange, caller, bucket, query);
        throw obsError(405, 'MethodNotAllowed');
      }
      if (method === 'GET') return this.#listObjects(exchange, caller, bucket, query);
      if (method === 'HEAD') return this.#headBucket(exchange, caller, bucket);
      if (method === 'DELETE') return this.#deleteBucket(exchange, caller, bucket);
      throw obsError(405, 'MethodNotAllowed');
    }
    const key = address.key;
    if (subresources.length > 0) {
      // Of the object sub-resources, the emulator serves `GET ?acl` (GetObjectAcl), `PUT ?acl` (PutObjectAcl) and
      // `DELETE ?versionId=` (DeleteObjectVersion) only.
      const only = subresources.length === 1 ? subresources[0]!.toLowerCase() : undefined;
      if (only === 'acl' && method === 'GET') return this.#getObjectAcl(exchange, caller, this.#bucket(bucketName), key);
      if (only === 'acl' && method === 'PUT') return this.#putObjectAcl(exchange, caller, this.#bucket(bucketName), key);
      if (only === 'versionid' && method === 'DELETE') return this.#deleteObjectVersion(exchange, caller, this.#bucket(bucketName), key, query.get(subresources[0]!) ?? '');
      throw obsError(405, 'MethodNotAllowed', `The sub-resource \`${subresources.join('&')}\` of an object with ${method} is not supported by the emulator.`);
    }
    const bucket = this.#bucket(bucketName);
    if (method === 'PUT') return this.#putObject(exchange, caller, bucket, key);
    if (method === 'GET' || method === 'HEAD') return this.#getObject(exchange, caller, bucket, key);
    if (method === 'DELETE') return this.#deleteObject(exchange, caller, bucket, key);
    throw obsError(405, 'MethodNotAllowed');
  }

  /**
   * The dialect of an anonymous request: AWS if it carries `x-amz-*` headers, OBS if `x-obs-*`;
   * else a guess (OBS in virtual-host style, AWS in path style: how the SDK talks in each, vendor
   * notes §8.2), with both sets of request-id headers and the ACL in both shapes.
   */
  #anonymousFlavour(exchange: Exchange, address: ObsAddress): Flavour {
    const names = Object.keys(exchange.req.headers);
    if (names.some((n) => n.startsWith('x-amz-'))) return { kind: 'aws', ids: 'both' };
    if (names.some((n) => n.startsWith('x-obs-'))) return { kind: 'obs', ids: 'both' };
    return { kind: address.virtualHostBucket === undefined ? 'aws' : 'obs', ids: 'both', guessed: true };
  }

  /** Reads the body, then checks that the bucket was not deleted meanwhile (requests interleave while bodies arrive). */
  async #bodyOf(exchange: Exchange, bucket: ObsBucketState): Promise<Buffer> {
    const body = await exchange.body();
    if (this.#state.buckets.get(bucket.store.bucket.name) !== bucket) throw obsError(404, 'NoSuchBucket');
    return body;
  }

  #bucket(name: string): ObsBucketState {
    const bucket = this.#state.buckets.get(name);
    // Vendor notes §6.4: NoSuchBucket 404.
    if (bucket === undefined) throw obsError(404, 'NoSuchBucket');
    return bucket;
  }

  // ── The reference evaluator ──

  /** The condition keys of a request (vendor notes §1.6 general keys): SourceIp, UserAgent, Referer, SecureTransport, CurrentTime, EpochTime, and the action's own. */
  #context(exchange: Exchange, extra: Record<string, string> = {}): Record<string, string> {
    const at = exchange.receivedAt;
    const context: Record<string, string> = {
      SourceIp: exchange.sourceIp,
      // The emulator speaks plain HTTP.
      SecureTransport: 'false',
      CurrentTime: at.toISOString(),
      EpochTime: String(Math.floor(at.getTime() / 1000)),
    };
    const userAgent = singleHeader(exchange, 'user-agent');
    if (userAgent !== undefined) context['UserAgent'] = userAgent;
    const referer = singleHeader(exchange, 'referer');
    if (referer !== undefined) context['Referer'] = referer;
    return { ...context, ...extra };
  }

  /**
   * Decides a request with the reference evaluator and, when it is allowed, applies its effect
   * to the bucket's store. A deny or a rejection is thrown as the error the reference names.
   */
  #decide(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, request: Omit<ObsRequest, 'principal' | 'context'>, extraContext: Record<string, string> = {}): ObsOutcome {
    const principal = caller.kind === 'anonymous' ? 'anonymous' : caller.principal;
    const full: ObsRequest = { ...request, principal, context: this.#context(exchange, extraContext) };
    const outcome = evaluate(bucket.store, full, DOCUMENTED_OBS_SEMANTICS);
    const { decision } = outcome;
    if (decision.decision !== 'allow') {
      const code = decision.code ?? 'AccessDenied';
      throw obsError(decision.status, code, decision.message ?? MESSAGES[code]);
    }
    if (outcome.effect !== undefined) applyEffect(bucket.store, outcome.effect);
    return outcome;
  }

  #displayName(accountId: string): string {
    return this.#options.accounts.accounts.find((a) => a.id === accountId)?.displayName ?? accountId;
  }

  // ── Buckets ──

  async #createBucket(exchange: Exchange, caller: ObsCaller, name: string): Promise<void> {
    // Vendor notes §1.4 (O2): creating a bucket is a service-level operation (IAM, not a bucket policy); the emulator lets
    // any authenticated account, user or session create one, owned by its account. The log delivery service has no
    // account to own one.
    if (caller.kind !== 'key') throw obsError(403, 'AccessDenied');
    if (!validBucketName(name)) throw obsError(400, 'InvalidBucketName', `The specified bucket \`${name.slice(0, 80)}\` is not valid.`);
    const existing = this.#state.buckets.get(name);
    if (existing !== undefined) {
      // Vendor notes §6.4: BucketAlreadyOwnedByYou / BucketAlreadyExists 409.
      throw obsError(409, existing.store.bucket.owner === caller.account.id ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExists');
    }
    const body = await exchange.body();
    let location: string | undefined;
    if (body.length > 0) {
      const parsed = parseXml(body);
      if (parsed.kind === 'malformed') throw obsError(400, 'MalformedXML', parsed.message);
      const config = readCreateBucketConfiguration(parsed.doc);
      if (config.kind === 'invalid') throw obsError(400, 'MalformedXML', config.message);
      location = config.location;
    }
    // Another request may have created it while the body arrived.
    if (this.#state.buckets.has(name)) throw obsError(409, this.#state.buckets.get(name)!.store.bucket.owner === caller.account.id ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExists');
    const owner = caller.account.id;
    const fromHeaders = headerAcl(exchange.req.headers, caller.signature, owner);
    if (fromHeaders.kind === 'invalid') throw obsError(400, 'InvalidArgument', fromHeaders.message);
    // The ACL given at creation goes through the reference's world loading: validateAcl, then nextAcl over the default ACL.
    const acl = fromHeaders.kind === 'acl' ? fromHeaders.grants.map((g) => g.grant) : undefined;
    const load = loadObsWorld({ vendor: 'huawei-obs', bucket: { name, owner }, ...(acl === undefined ? {} : { acl: acl as ObsGrant[] }) }, DOCUMENTED_OBS_SEMANTICS);
    if (load.kind === 'rejected') throw obsError(load.status, load.code, load.message);
    const state: ObsBucketState = { store: load.store, objects: new Map(), createdAt: exchange.receivedAt, ...(location === undefined ? {} : { location }), delivered: new Set() };
    if (fromHeaders.kind === 'acl') state.delivered = deliveredKeys(fromHeaders.grants);
    this.#state.buckets.set(name, state);
    this.#send(exchange, 200, { location: `/${name}` });
  }

  #headBucket(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): void {
    this.#decide(exchange, caller, bucket, { action: 'HeadBucket' });
    this.#send(exchange, 200, bucket.location === undefined ? {} : { [`${prefixOf(this.#flavour(exchange).kind)}bucket-location`]: bucket.location });
  }

  #deleteBucket(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): void {
    // DeleteBucket is outside the reference's catalogue: a policy decides it, else the owner's default rights (evaluate step 6).
    this.#decide(exchange, caller, bucket, { action: 'DeleteBucket' });
    if (bucket.objects.size > 0) throw obsError(409, 'BucketNotEmpty');
    this.#state.buckets.delete(bucket.store.bucket.name);
    this.#send(exchange, 204, {});
  }

  #listBuckets(exchange: Exchange, caller: ObsCaller): void {
    // A service-level operation (vendor notes §1.4, O2): the caller's account's buckets; anonymous callers and the log
    // delivery service have no account, and none to list.
    if (caller.kind !== 'key') throw obsError(403, 'AccessDenied');
    const account = caller.account;
    const kind = this.#flavour(exchange).kind;
    const buckets = [...this.#state.buckets.values()]
      .filter((b) => b.store.bucket.owner === account.id)
      .sort((a, b) => (a.store.bucket.name < b.store.bucket.name ? -1 : 1))
      .map((b) => ({ Name: b.store.bucket.name, CreationDate: b.createdAt.toISOString(), ...(b.location === undefined ? {} : { Location: b.location }) }));
    this.#sendXml(exchange, 200, xmlDocument({
      ListAllMyBucketsResult: {
        '@_xmlns': kind === 'obs' ? OBS_XMLNS : S3_XMLNS,
        Owner: { ID: account.id, DisplayName: account.displayName ?? account.id },
        Buckets: buckets.length === 0 ? '' : { Bucket: buckets },
      },
    }));
  }

  /**
   * The parameters common to ListBucket and ListBucketVersions (`prefix`, `delimiter`, `max-keys`
   * at most 1000, `encoding-type=url`), checked, and the condition keys they carry (vendor notes
   * §1.6, O1: the keys of both actions are prefix, delimiter and max-keys, as the request carries them).
   */
  #listParameters(query: ReadonlyMap<string, string>): { prefix: string; delimiter: string; maxKeys: number; encodingType: string | undefined; keys: Record<string, string> } {
    const maxKeysText = query.get('max-keys');
    const encodingType = query.get('encoding-type');
    let maxKeys = 1000;
    if (maxKeysText !== undefined) {
      if (!/^\d{1,10}$/.test(maxKeysText)) throw obsError(400, 'InvalidArgument', `max-keys \`${maxKeysText.slice(0, 40)}\` is not a non-negative integer`);
      maxKeys = Math.min(Number(maxKeysText), 1000);
    }
    if (encodingType !== undefined && encodingType !== 'url') throw obsError(400, 'InvalidArgument', `encoding-type \`${encodingType.slice(0, 40)}\` is not \`url\``);
    const keys: Record<string, string> = {};
    for (const k of ['prefix', 'delimiter', 'max-keys']) {
      const v = query.get(k);
      if (v !== undefined) keys[k] = v;
    }
    return { prefix: query.get('prefix') ?? '', delimiter: query.get('delimiter') ?? '', maxKeys, encodingType, keys };
  }

  /** One page of a listing: the objects and common prefixes after `marker`, at most `maxKeys` of them together. */
  #page(bucket: ObsBucketState, prefix: string, marker: string, delimiter: string, maxKeys: number): { contents: ObsObject[]; prefixes: string[]; truncated: boolean; last: string } {
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > marker).sort();
    const contents: ObsObject[] = [];
    const prefixes: string[] = [];
    let truncated = false;
    let last = '';
    for (const key of keys) {
      let common: string | undefined;
      if (delimiter !== '') {
        const at = key.indexOf(delimiter, prefix.length);
        if (at >= 0) common = key.slice(0, at + delimiter.length);
      }
      if (common !== undefined && prefixes.includes(common)) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (common !== undefined) {
        prefixes.push(common);
        last = common;
      } else {
        contents.push(bucket.objects.get(key) as ObsObject);
        last = key;
      }
    }
    return { contents, prefixes, truncated, last };
  }

  /** One object as ListBucket and ListBucketVersions list it: key, date, ETag, size, owner (with a display name in the S3 shape). */
  #listedObject(o: { key: string; lastModified: Date; etag: string; body: Buffer | Uint8Array; owner: string }, encode: (s: string) => string, kind: string): Record<string, unknown> {
    return {
      Key: encode(o.key),
      LastModified: o.lastModified.toISOString(),
      ETag: o.etag,
      Size: String(o.body.length),
      Owner: { ID: o.owner, ...(kind === 'aws' ? { DisplayName: this.#displayName(o.owner) } : {}) },
      StorageClass: 'STANDARD',
    };
  }

  #listObjects(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, query: ReadonlyMap<string, string>): void {
    const { prefix, delimiter, maxKeys, encodingType, keys } = this.#listParameters(query);
    const marker = query.get('marker') ?? '';
    this.#decide(exchange, caller, bucket, { action: 'ListBucket' }, keys);

    const encode = (s: string): string => (encodingType === 'url' ? encodeURIComponent(s) : s);
    const { contents, prefixes, truncated, last } = this.#page(bucket, prefix, marker, delimiter, maxKeys);
    const kind = this.#flavour(exchange).kind;
    const result: Record<string, unknown> = {
      '@_xmlns': kind === 'obs' ? OBS_XMLNS : S3_XMLNS,
      Name: bucket.store.bucket.name,
      Prefix: encode(prefix),
      Marker: encode(marker),
      ...(truncated ? { NextMarker: encode(last) } : {}),
      MaxKeys: String(maxKeys),
      ...(delimiter === '' ? {} : { Delimiter: encode(delimiter) }),
      IsTruncated: String(truncated),
      ...(encodingType === undefined ? {} : { EncodingType: encodingType }),
    };
    if (contents.length > 0) {
      result['Contents'] = contents.map((o) => this.#listedObject(o, encode, kind));
    }
    if (prefixes.length > 0) result['CommonPrefixes'] = prefixes.map((p) => ({ Prefix: encode(p) }));
    this.#sendXml(exchange, 200, xmlDocument({ ListBucketResult: result }));
  }

  /**
   * ListBucketVersions, `GET /bucket?versions` (vendor notes §1.4, O22; the `versions`
   * sub-resource is signed, §6.1). The emulator keeps no versions (README "Operations"): every
   * current object is listed as its only version, `VersionId` `null` and `IsLatest` true (what an
   * object uploaded while versioning was never enabled is), and there are no delete markers.
   * Parameters: `prefix`, `key-marker`, `version-id-marker` (only with `key-marker`; every key
   * having one version, the listing resumes after `key-marker`), `max-keys`, `delimiter`,
   * `encoding-type=url`.
   */
  #listVersions(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, query: ReadonlyMap<string, string>): void {
    const { prefix, delimiter, maxKeys, encodingType, keys } = this.#listParameters(query);
    const keyMarker = query.get('key-marker') ?? '';
    const versionIdMarker = query.get('version-id-marker');
    if (versionIdMarker !== undefined && keyMarker === '') throw obsError(400, 'InvalidArgument', 'A version-id-marker cannot be specified without a key-marker.');
    this.#decide(exchange, caller, bucket, { action: 'ListBucketVersions' }, keys);

    const encode = (s: string): string => (encodingType === 'url' ? encodeURIComponent(s) : s);
    const { contents, prefixes, truncated, last } = this.#page(bucket, prefix, keyMarker, delimiter, maxKeys);
    const kind = this.#flavour(exchange).kind;
    const result: Record<string, unknown> = {
      '@_xmlns': kind === 'obs' ? OBS_XMLNS : S3_XMLNS,
      Name: bucket.store.bucket.name,
      Prefix: encode(prefix),
      KeyMarker: encode(keyMarker),
      VersionIdMarker: versionIdMarker ?? '',
      ...(truncated ? { NextKeyMarker: encode(last), NextVersionIdMarker: 'null' } : {}),
      MaxKeys: String(maxKeys),
      ...(delimiter === '' ? {} : { Delimiter: encode(delimiter) }),
      IsTruncated: String(truncated),
      ...(encodingType === undefined ? {} : { EncodingType: encodingType }),
    };
    if (contents.length > 0) {
      // Each current object is its only version (see above), listed with the fields of ListBucket.
      result['Version'] = contents.map((o) => {
        const { Key, ...rest } = this.#listedObject(o, encode, kind);
        return { Key, VersionId: 'null', IsLatest: 'true', ...rest };
      });
    }
    if (prefixes.length > 0) result['CommonPrefixes'] = prefixes.map((p) => ({ Prefix: encode(p) }));
    this.#sendXml(exchange, 200, xmlDocument({ ListVersionsResult: result }));
  }

  // ── Bucket policy (vendor notes §4, §7 item 4) ──

  async #putPolicy(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): Promise<void> {
    const body = await this.#bodyOf(exchange, bucket);
    // The reference parses the bytes as sent: > 20 KB is EntityTooLarge, anything malformed MalformedPolicy, both 400.
    const outcome = this.#decide(exchange, caller, bucket, { action: 'PutBucketPolicy', policy: new Uint8Array(body) });
    this.#send(exchange, outcome.decision.status, {});
  }

  #getPolicy(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): void {
    this.#decide(exchange, caller, bucket, { action: 'GetBucketPolicy' });
    const text = bucket.store.policy?.text;
    if (text === undefined) throw obsError(404, 'NoSuchBucketPolicy');
    // Vendor notes §4 RECOMMENDATION: the stored string byte for byte.
    this.#send(exchange, 200, { 'content-type': 'application/json' }, typeof text === 'string' ? text : Buffer.from(text));
  }

  #deletePolicy(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): void {
    const outcome = this.#decide(exchange, caller, bucket, { action: 'DeleteBucketPolicy' });
    this.#send(exchange, outcome.decision.status, {});
  }

  // ── Bucket ACL (vendor notes §5, §7 item 5) ──

  async #putAcl(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): Promise<void> {
    const kind = this.#flavour(exchange).kind;
    const owner = bucket.store.bucket.owner;
    const body = await this.#bodyOf(exchange, bucket);
    const fromHeaders = headerAcl(exchange.req.headers, kind, owner);
    if (fromHeaders.kind === 'invalid') throw obsError(400, 'InvalidArgument', fromHeaders.message);
    let grants: HeaderGrant[];
    const extra: Record<string, string> = {};
    if (body.length > 0) {
      // The SDK docs (O25): `Owner`/`Grants` are "mutually exclusive with ACL".
      if (fromHeaders.kind === 'acl') throw obsError(400, 'InvalidArgument', 'give the ACL in the body or in headers, not both');
      const parsed = parseXml(body);
      // Vendor notes §6.4: MalformedXML 400 for a body that is not XML; MalformedACLError 400 for an XML body that is not an ACL.
      if (parsed.kind === 'malformed') throw obsError(400, 'MalformedXML', parsed.message);
      const read = readAcl(parsed.doc);
      if (read.kind === 'invalid') throw obsError(400, 'MalformedACLError', read.message);
      grants = read.grants.map((g) => ({ grant: { grantee: g.grantee, permission: g.permission as string }, delivered: g.delivered }));
    } else if (fromHeaders.kind === 'acl') {
      grants = fromHeaders.grants;
      // Vendor notes §1.6 (O1): PutBucketAcl's condition key `acl`.
      if (fromHeaders.canned !== undefined) extra['acl'] = fromHeaders.canned;
    } else {
      throw obsError(400, 'MalformedACLError', 'the request gives no ACL: send an AccessControlPolicy body, a canned ACL header or grant headers');
    }
    // The reference validates the grants (MalformedACLError: unknown permission or grantee, > 100 grants) and replaces the ACL.
    this.#decide(exchange, caller, bucket, { action: 'PutBucketAcl', acl: grants.map((g) => g.grant) as ObsGrant[] }, extra);
    bucket.delivered = deliveredKeys(grants);
    this.#send(exchange, 200, {});
  }

  #getAcl(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): void {
    this.#decide(exchange, caller, bucket, { action: 'GetBucketAcl' });
    const owner = bucket.store.bucket.owner;
    const flavour = this.#flavour(exchange);
    const xml = renderAcl(flavour.guessed === true ? 'both' : flavour.kind === 'obs' ? 'obs' : 's3', { id: owner, displayName: this.#displayName(owner) }, bucket.store.acl, (g) => bucket.delivered.has(grantKey(g.grantee, g.permission)));
    this.#sendXml(exchange, 200, xml);
  }

  // ── Logging, location, versioning, multipart uploads (vendor notes §1.4: bucket actions of O22) ──

  /**
   * PutBucketLogging, `PUT /bucket?logging` (vendor notes §1.4, §5.4). The body is read first
   * (not XML or not a `BucketLoggingStatus`: 400 MalformedXML), then the reference decides
   * PutBucketLogging with the target bucket as `logging.targetBucket` (an empty status: no
   * `logging`, which disables it). The reference accepts only the bucket itself as the target
   * (another one: 400 InvalidTargetBucketForLogging) and its `enable-logging` effect adds the
   * log delivery group's WRITE and READ_ACP to the ACL (§5.4, O4), applied by `#decide`. The
   * configuration is kept for GetBucketLogging; no log is ever written.
   */
  async #putLogging(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): Promise<void> {
    const body = await this.#bodyOf(exchange, bucket);
    const parsed = parseXml(body);
    // Vendor notes §6.4: MalformedXML 400 (an empty body is no document either).
    if (parsed.kind === 'malformed') throw obsError(400, 'MalformedXML', parsed.message);
    const status = readLoggingStatus(parsed.doc);
    if (status.kind === 'invalid') throw obsError(400, 'MalformedXML', status.message);
    this.#decide(exchange, caller, bucket, { action: 'PutBucketLogging', ...(status.kind === 'enabled' ? { logging: { targetBucket: status.targetBucket } } : {}) });
    if (status.kind === 'enabled') bucket.logging = { targetBucket: status.targetBucket, targetPrefix: status.targetPrefix };
    else delete bucket.logging;
    this.#send(exchange, 200, {});
  }

  /** GetBucketLogging, `GET /bucket?logging`: the `BucketLoggingStatus` last put, empty while logging is disabled. */
  #getLogging(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): void {
    this.#decide(exchange, caller, bucket, { action: 'GetBucketLogging' });
    const kind = this.#flavour(exchange).kind;
    const logging = bucket.logging;
    this.#sendXml(exchange, 200, xmlDocument({
      BucketLoggingStatus: {
        '@_xmlns': kind === 'obs' ? OBS_XMLNS : S3_XMLNS,
        ...(logging === undefined ? {} : { LoggingEnabled: { TargetBucket: logging.targetBucket, TargetPrefix: logging.targetPrefix } }),
      },
    }));
  }

  /**
   * GetBucketLocation, `GET /bucket?location`: the location the bucket was created with (vendor
   * notes §8.4: OBS `<Location>`, S3 `<LocationConstraint>`), empty when it was given none.
   */
  #getLocation(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): void {
    this.#decide(exchange, caller, bucket, { action: 'GetBucketLocation' });
    const kind = this.#flavour(exchange).kind;
    const element = kind === 'obs' ? 'Location' : 'LocationConstraint';
    this.#sendXml(exchange, 200, xmlDocument({ [element]: { '@_xmlns': kind === 'obs' ? OBS_XMLNS : S3_XMLNS, '#text': bucket.location ?? '' } }));
  }

  /** GetBucketVersioning, `GET /bucket?versioning`: versioning was never enabled, so the configuration has no `Status`. */
  #getVersioning(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState): void {
    this.#decide(exchange, caller, bucket, { action: 'GetBucketVersioning' });
    const kind = this.#flavour(exchange).kind;
    this.#sendXml(exchange, 200, xmlDocument({ VersioningConfiguration: { '@_xmlns': kind === 'obs' ? OBS_XMLNS : S3_XMLNS } }));
  }

  /**
   * ListBucketMultipartUploads, `GET /bucket?uploads` (vendor notes §2: bucket READ). No
   * multipart upload is ever started, so the result lists none; `prefix`, `delimiter`,
   * `key-marker`, `upload-id-marker` are echoed, `max-uploads` (≤ 1000; not a number: 400
   * InvalidArgument) too. The action has no condition keys of its own (§1.6).
   */
  #listUploads(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, query: ReadonlyMap<string, string>): void {
    const maxText = query.get('max-uploads');
    if (maxText !== undefined && !/^\d{1,10}$/.test(maxText)) throw obsError(400, 'InvalidArgument', `max-uploads \`${maxText.slice(0, 40)}\` is not a non-negative integer`);
    this.#decide(exchange, caller, bucket, { action: 'ListBucketMultipartUploads' });
    const kind = this.#flavour(exchange).kind;
    const delimiter = query.get('delimiter');
    this.#sendXml(exchange, 200, xmlDocument({
      ListMultipartUploadsResult: {
        '@_xmlns': kind === 'obs' ? OBS_XMLNS : S3_XMLNS,
        Bucket: bucket.store.bucket.name,
        KeyMarker: query.get('key-marker') ?? '',
        UploadIdMarker: query.get('upload-id-marker') ?? '',
        ...(delimiter === undefined || delimiter === '' ? {} : { Delimiter: delimiter }),
        Prefix: query.get('prefix') ?? '',
        MaxUploads: String(Math.min(maxText === undefined ? 1000 : Number(maxText), 1000)),
        IsTruncated: 'false',
      },
    }));
  }

  // ── Objects ──

  async #putObject(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, key: string): Promise<void> {
    const kind = this.#flavour(exchange).kind;
    const prefix = prefixOf(kind);
    const canned = singleHeader(exchange, `${prefix}acl`);
    if (canned !== undefined && !OBJECT_CANNED[kind].includes(canned)) {
      throw obsError(400, 'InvalidArgument', `\`${canned.slice(0, 60)}\` is not a canned ACL of an object; use ${OBJECT_CANNED[kind].map((c) => `\`${c}\``).join(', ')}`);
    }
    const body = await this.#bodyOf(exchange, bucket);
    const md5 = singleHeader(exchange, 'content-md5');
    if (md5 !== undefined) {
      const digest = createHash('md5').update(body).digest('base64');
      if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw obsError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
      if (md5 !== digest) throw obsError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    // Vendor notes §1.6 (O1): PutObject's condition key `acl`.
    this.#decide(exchange, caller, bucket, { action: 'PutObject', object: key }, canned === undefined ? {} : { acl: canned });
    const metadata = new Map<string, string>();
    const metaPrefix = `${prefix}meta-`;
    for (const [name, value] of Object.entries(exchange.req.headers)) {
      if (name.startsWith(metaPrefix) && value !== undefined) metadata.set(name.slice(metaPrefix.length), Array.isArray(value) ? value.join(',') : value);
    }
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    const object: ObsObject = {
      key,
      body,
      etag,
      contentType: singleHeader(exchange, 'content-type') ?? 'binary/octet-stream',
      metadata,
      // The log delivery service belongs to no account: its uploads are owned by `log-delivery` (README "Object owners").
      owner: caller.kind === 'anonymous' ? 'anonymous' : caller.kind === 'log-delivery' ? OBS_LOG_DELIVERY : caller.account.id,
      lastModified: exchange.receivedAt,
      ...(canned === undefined ? {} : { cannedAcl: canned }),
    };
    bucket.objects.set(key, object);
    this.#send(exchange, 200, { etag });
  }

  #getObject(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, key: string): void {
    // Vendor notes §1.4 (O22): GetObject "covers GET and HEAD".
    this.#decide(exchange, caller, bucket, { action: 'GetObject', object: key });
    const object = bucket.objects.get(key);
    if (object === undefined) throw obsError(404, 'NoSuchKey');
    const size = object.body.length;
    const range = byteRange(singleHeader(exchange, 'range'), size);
    // Error codes (O18): InvalidRange, 416 "The requested range cannot be obtained"; RFC 9110 §15.5.17: `Content-Range: bytes */<size>`.
    if (range.kind === 'unsatisfiable') throw obsError(416, 'InvalidRange', 'The requested range cannot be obtained.', undefined, { 'content-range': `bytes */${size}` });
    const metaPrefix = `${prefixOf(this.#flavour(exchange).kind)}meta-`;
    const body = range.kind === 'part' ? object.body.subarray(range.start, range.end + 1) : object.body;
    const headers: Record<string, string> = {
      'content-type': object.contentType,
      'content-length': String(body.length),
      // obs_04_0083: with a Range "the value of ETag in the response message is the ETag of the object".
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    };
    if (range.kind === 'part') headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
    for (const [name, value] of object.metadata) headers[`${metaPrefix}${name}`] = value;
    this.#send(exchange, range.kind === 'part' ? 206 : 200, headers, body);
  }

  #deleteObject(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, key: string): void {
    const outcome = this.#decide(exchange, caller, bucket, { action: 'DeleteObject', object: key });
    bucket.objects.delete(key);
    this.#send(exchange, outcome.decision.status, {});
  }

  /**
   * GetObjectAcl, `GET /bucket/key?acl` (vendor notes §1.4, O22; §2: an object ACL's READ_ACP).
   * The emulator keeps no object ACLs (README "Object owners"): the answer is the ACL an object
   * has when nobody changed it, its owner with FULL_CONTROL (§5.3, O17: "the owner has full
   * control"), in the caller's shape like GetBucketAcl. 404 NoSuchKey after the access check.
   */
  #getObjectAcl(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, key: string): void {
    this.#decide(exchange, caller, bucket, { action: 'GetObjectAcl', object: key });
    const object = bucket.objects.get(key);
    if (object === undefined) throw obsError(404, 'NoSuchKey');
    const flavour = this.#flavour(exchange);
    const grants: ObsGrant[] = [{ grantee: { account: object.owner }, permission: 'FULL_CONTROL' }];
    const xml = renderAcl(flavour.guessed === true ? 'both' : flavour.kind === 'obs' ? 'obs' : 's3', { id: object.owner, displayName: this.#displayName(object.owner) }, grants, () => false);
    this.#sendXml(exchange, 200, xml);
  }

  /**
   * PutObjectAcl, `PUT /bucket/key?acl` (vendor notes §1.4, O22; §2: an object ACL's WRITE_ACP;
   * §8.4 `setObjectAcl`: `ACL` as the canned header, or an `AccessControlPolicy` body, one or the
   * other). The ACL is checked (both or neither: 400 InvalidArgument / MalformedACLError; a canned
   * ACL not of objects, §5.3: 400 InvalidArgument; bad XML: 400 MalformedXML; grants the
   * reference's validator refuses, or WRITE, which an object ACL does not have (§5.1): 400
   * MalformedACLError), then the reference decides PutObjectAcl (the canned ACL as the condition
   * key `acl`, §1.6), then 404 NoSuchKey for a missing object, as GetObjectAcl. The ACL is then
   * **ignored**: no object ACL is kept (README "Object owners"), so GetObjectAcl still shows the
   * owner's FULL_CONTROL and no decision changes.
   */
  async #putObjectAcl(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, key: string): Promise<void> {
    const kind = this.#flavour(exchange).kind;
    const canned = singleHeader(exchange, `${prefixOf(kind)}acl`);
    const body = await this.#bodyOf(exchange, bucket);
    if (canned !== undefined && body.length > 0) throw obsError(400, 'InvalidArgument', 'give the ACL in the body or in the canned ACL header, not both');
    if (canned !== undefined) {
      if (!OBJECT_CANNED[kind].includes(canned)) throw obsError(400, 'InvalidArgument', `\`${canned.slice(0, 60)}\` is not a canned ACL of an object; use ${OBJECT_CANNED[kind].map((c) => `\`${c}\``).join(', ')}`);
    } else {
      if (body.length === 0) throw obsError(400, 'MalformedACLError', 'the request gives no ACL: send an AccessControlPolicy body or a canned ACL header');
      const parsed = parseXml(body);
      if (parsed.kind === 'malformed') throw obsError(400, 'MalformedXML', parsed.message);
      const read = readAcl(parsed.doc);
      if (read.kind === 'invalid') throw obsError(400, 'MalformedACLError', read.message);
      const checked = validateAcl(read.grants.map((g) => ({ grantee: g.grantee, permission: g.permission })), DOCUMENTED_OBS_SEMANTICS.maxGrants);
      if (checked.kind === 'invalid') throw obsError(400, 'MalformedACLError', checked.message);
      // Vendor notes §5.1 (O4, O20): on an object, WRITE is "Not supported".
      if (checked.grants.some((g) => g.permission === 'WRITE')) throw obsError(400, 'MalformedACLError', 'an object ACL has no WRITE permission');
    }
    this.#decide(exchange, caller, bucket, { action: 'PutObjectAcl', object: key }, canned === undefined ? {} : { acl: canned });
    if (!bucket.objects.has(key)) throw obsError(404, 'NoSuchKey');
    this.#send(exchange, 200, {});
  }

  /**
   * DeleteObjectVersion, `DELETE /bucket/key?versionId=<id>` (vendor notes §1.4, O22; §2: bucket
   * WRITE; §1.6: the condition key `versionId`). The emulator keeps no versions: version `null`
   * is the current object, which is deleted; any other id names a version that does not exist,
   * and nothing is deleted. 204 either way, as DeleteObject (README "Operations"), with the
   * version id echoed in `x-obs-version-id` / `x-amz-version-id`. An empty id: 400 InvalidArgument.
   */
  #deleteObjectVersion(exchange: Exchange, caller: ObsCaller, bucket: ObsBucketState, key: string, versionId: string): void {
    if (versionId === '') throw obsError(400, 'InvalidArgument', 'Version id cannot be the empty string.');
    this.#decide(exchange, caller, bucket, { action: 'DeleteObjectVersion', object: key }, { versionId });
    if (versionId === 'null') bucket.objects.delete(key);
    this.#send(exchange, 204, { [`${prefixOf(this.#flavour(exchange).kind)}version-id`]: versionId });
  }
}

function prefixOf(kind: ObsSignatureKind): 'x-obs-' | 'x-amz-' {
  return kind === 'obs' ? 'x-obs-' : 'x-amz-';
}

/** The keys of the `Delivered` grants of an ACL the reference has accepted (so every grantee is `{account}` or `{group}`). */
function deliveredKeys(grants: readonly HeaderGrant[]): Set<string> {
  const keys = new Set<string>();
  for (const g of grants) if (g.delivered) keys.add(grantKey(g.grant.grantee as ObsGrantee, g.grant.permission));
  return keys;
}

/** Builds the OBS dialect. */
export const createObsDialect: DialectFactory = (options: DialectOptions): Dialect => new ObsDialect(options);
