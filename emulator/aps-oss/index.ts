/**
 * The APS OSS v2 dialect: the two-legged token endpoint, the OSS v2 bucket and object routes,
 * and the signed S3 transfers, over the reference target's store. Every access decision is the
 * reference evaluator's (`evaluate` with the token's client id as the actor, then
 * `applyEffect`); the dialect adds tokens, scopes, the wire formats and the objects' bytes.
 * Vendor notes: ../shared/vendors/aps-oss.md (cited as §n below).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { APS_TOKEN_PATH, isApsScope, parseBasicAuthorization, parseBearerAuthorization, scopesAllow, type ApsRoute } from '../../adapters/http/aps-oss/wire.ts';
import { evaluate, type ApsDecision, type ApsOutcome } from '../../adapters/reference/aps-oss/evaluate.ts';
import { DOCUMENTED_APS_SEMANTICS, type ApsSemantics } from '../../adapters/reference/aps-oss/semantics.ts';
import { applyEffect, emptyStore, type ApsStoredBucket } from '../../adapters/reference/aps-oss/store.ts';
import { APS_BUCKET_KEY_PATTERN, type ApsCreatePayload, type ApsRequest } from '../../model/aps-oss/types.ts';
import type { AppEntry } from '../accounts.ts';
import { EmulatorFault, type Dialect, type DialectFactory, type DialectOptions, type Exchange } from '../types.ts';
import { answerRange } from './ranges.ts';
import { SCOPE_MISSING_MESSAGE, TOKEN_INVALID_MESSAGE, sendAuthError, sendEmpty, sendJson, sendReason, sendS3Error } from './replies.ts';
import { route, type ApsTarget } from './routes.ts';
import { TokenStore, TOKEN_LIFETIME_SECONDS } from './tokens.ts';
import {
  DEFAULT_URL_MINUTES,
  MAX_PART_NUMBER,
  MAX_PARTS_PER_REQUEST,
  MAX_URL_MINUTES,
  MIN_PART_BYTES,
  TRANSFER_PREFIX,
  Transfers,
  md5ETag,
  sha1Hex,
  type UploadSession,
} from './transfers.ts';

/** The regions of a bucket (§1.1 [A1][A18]); APAC is deprecated but still in the SDK's enum. */
export const APS_REGIONS = ['US', 'EMEA', 'AUS', 'APAC', 'CAN', 'DEU', 'IND', 'JPN', 'GBR'] as const;

/** The values `with` may take on object details (the SDK's `With` enum, §5.2). */
const WITH_VALUES = ['createdDate', 'lastAccessedDate', 'lastModifiedDate', 'userDefinedMetadata'] as const;

/** Settings of the APS dialect beyond the shared `DialectOptions`. */
export interface ApsDialectSettings {
  /**
   * The status of a valid token that lacks the scope a route needs. §3 and §7 leave it open: the
   * OSS reference pages say 401, gateways commonly answer 403. Default 401 (the vendor's own
   * reference pages); the body is `AUTH-010` either way.
   */
  readonly scopeFailureStatus?: 401 | 403;
  /** The reference semantics the decisions follow. Default the documented ones (fault injection may replace steps). */
  readonly semantics?: ApsSemantics;
}

/** An object's bytes and what the API reports about it. */
interface StoredObject {
  readonly bytes: Buffer;
  readonly sha1: string;
  readonly eTag: string;
  readonly contentType: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly cacheControl?: string;
  readonly userDefinedMetadata?: string;
  readonly createdDate: number;
  readonly lastModifiedDate: number;
  lastAccessedDate: number;
}

/** What the dialect keeps about a bucket besides the reference store's record. */
interface BucketInfo {
  readonly createdDate: number;
  readonly region: string;
}

/** A request that passed authentication: the app its token was issued to. */
interface Caller {
  readonly clientId: string;
}

/** A refusal of the dialect's own input checks, rendered as `{"reason": ...}`. */
class BadRequest extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares two secrets in constant time. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** An integer query parameter within [min, max], or `fallback` when absent; anything else is a 400 with `message`. */
function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number, message?: string): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new BadRequest(400, message ?? `Invalid ${name}: \`${text}\` is not an integer from ${min} to ${max}`);
  return value;
}

/** Sorted keys after `startAt` (exclusive: §1.1 "`startAt` = the last key of the previous page"), one page of them, and whether more follow. */
function page(keys: string[], limit: number, startAt: string | null): { items: string[]; more: boolean } {
  const after = startAt === null ? keys : keys.filter((k) => k > startAt);
  return { items: after.slice(0, limit), more: after.length > limit };
}

/** Builds the APS dialect with `settings`. */
export function apsDialectFactory(settings: ApsDialectSettings = {}): DialectFactory {
  return (options: DialectOptions): Dialect => createDialect(options, settings);
}

/** The APS OSS v2 dialect with the default settings (the one `emulator/dialects.ts` registers). */
export const createApsDialect: DialectFactory = apsDialectFactory();

function createDialect(options: DialectOptions, settings: ApsDialectSettings): Dialect {
  const semantics = settings.semantics ?? DOCUMENTED_APS_SEMANTICS;
  const scopeFailureStatus = settings.scopeFailureStatus ?? 401;
  const apps = new Map<string, AppEntry>(options.accounts.apps.map((a) => [a.clientId, a]));
  const store = emptyStore();
  const buckets = new Map<string, BucketInfo>();
  const objects = new Map<string, Map<string, StoredObject>>();
  const tokens = new TokenStore();
  const transfers = new Transfers();
  const nowMs = (): number => options.now().getTime();

  // ── decisions ───────────────────────────────────────────────────────────────────────────

  /** The reference's decision on `request`. */
  function decide(request: ApsRequest): ApsOutcome {
    return evaluate(store, request, undefined, semantics);
  }

  /** Renders a refusal of the reference: `{"reason": ...}` with its status (§4). */
  function refuse(exchange: Exchange, decision: ApsDecision): void {
    sendReason(exchange, decision.status, decision.message ?? 'Forbidden');
  }

  function bucketJson(bucket: ApsStoredBucket): Record<string, unknown> {
    const info = buckets.get(bucket.key);
    // §2 [A3]: "The owner is automatically added to `permissions` with `full`".
    const permissions = [{ authId: bucket.owner, access: 'full' }, ...[...bucket.grants].map(([authId, access]) => ({ authId, access }))];
    return { bucketKey: bucket.key, bucketOwner: bucket.owner, createdDate: info?.createdDate ?? 0, permissions, policyKey: bucket.policyKey };
  }

  function location(exchange: Exchange, bucket: string, object: string): string {
    return `${exchange.baseUrl}/oss/v2/buckets/${encodeURIComponent(bucket)}/objects/${encodeURIComponent(object)}`;
  }

  function objectJson(exchange: Exchange, bucket: string, object: string, stored: StoredObject): Record<string, unknown> {
    // §1.2: objectId `urn:adsk.objects:os.object:<bucketKey>/<objectKey>`; `location` is the object's URL (here, the emulator's).
    return { bucketKey: bucket, objectId: `urn:adsk.objects:os.object:${bucket}/${object}`, objectKey: object, sha1: stored.sha1, size: stored.bytes.length, contentType: stored.contentType, location: location(exchange, bucket, object) };
  }

  // ── the token endpoint (§3) ─────────────────────────────────────────────────────────────

  async function token(exchange: Exchange): Promise<void> {
    const body = await exchange.body();
    // §3 [A12 v1]: 415 for a wrong Content-Type.
    const type = header(exchange, 'content-type') ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
      sendAuthError(exchange, 415, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      return;
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const authorization = header(exchange, 'authorization');
    const basic = parseBasicAuthorization(authorization);
    if (authorization !== undefined && basic === undefined) {
      // §3 [A13]: AUTH-012 "The Authorization header is missing or invalid".
      sendAuthError(exchange, 401, 'AUTH-012', 'The Authorization header is missing or invalid.');
      return;
    }
    const formId = form.get('client_id');
    const formSecret = form.get('client_secret');
    // §3 [A12]: "Passing client authentication in both header and body results in a 400 Bad Request".
    if (basic !== undefined && (formId !== null || formSecret !== null)) {
      sendAuthError(exchange, 400, 'invalid_request', 'Client authentication must be passed in the Authorization header or in the body, not both.');
      return;
    }
    const credentials = basic ?? (formId !== null && formSecret !== null ? { clientId: formId, clientSecret: formSecret } : undefined);
    if (credentials === undefined) {
      sendAuthError(exchange, 401, 'AUTH-012', 'The Authorization header is missing or invalid.');
      return;
    }
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      sendAuthError(exchange, 400, 'unsupported_grant_type', grantType === null ? '`grant_type` is missing; this endpoint issues two-legged tokens (`client_credentials`).' : `\`grant_type\` \`${grantType}\` is not supported; this endpoint issues two-legged tokens (\`client_credentials\`).`);
      return;
    }
    // §3 [A12 v1]: 401 for a bad client_id or client_secret.
    const app = apps.get(credentials.clientId);
    if (app === undefined || !sameSecret(app.clientSecret, credentials.clientSecret)) {
      sendAuthError(exchange, 401, 'AUTH-001', 'The client_id or client_secret is invalid.');
      return;
    }
    const scopes = (form.get('scope') ?? '').split(/\s+/).filter((s) => s !== '');
    if (scopes.length === 0) {
      sendAuthError(exchange, 400, 'invalid_scope', '`scope` is required: a space-separated list of scopes.');
      return;
    }
    const unknown = scopes.filter((s) => !isApsScope(s));
    if (unknown.length > 0) {
      sendAuthError(exchange, 400, 'invalid_scope', `Unknown scope(s): ${unknown.map((s) => `\`${s}\``).join(', ')}.`);
      return;
    }
    const accessToken = tokens.issue(app.clientId, scopes, nowMs());
    // §3 [A12]: `{"access_token", "token_type": "Bearer", "expires_in"}`.
    sendJson(exchange, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS }, { 'cache-control': 'no-store' });
  }

  /** Authenticates an OSS request and checks its scope; renders the refusal and returns undefined when it fails. */
  function authenticate(exchange: Exchange, apsRoute: ApsRoute): Caller | undefined {
    const bearer = parseBearerAuthorization(header(exchange, 'authorization'));
    const found = bearer === undefined ? undefined : tokens.lookup(bearer, nowMs());
    if (found === undefined || found.kind !== 'valid') {
      // §3 RECOMMENDATION: a missing, invalid or expired token is a 401 AUTH-006, whose message the SDK recognises.
      sendAuthError(exchange, 401, 'AUTH-006', TOKEN_INVALID_MESSAGE);
      return undefined;
    }
    if (!scopesAllow(apsRoute, found.record.scopes)) {
      // §3, §7: 401 (OSS reference pages) or 403 (AUTH-010 in practice); `scopeFailureStatus` chooses.
      sendAuthError(exchange, scopeFailureStatus, 'AUTH-010', SCOPE_MISSING_MESSAGE);
      return undefined;
    }
    return { clientId: found.record.clientId };
  }

  function checkBucketKey(bucket: string): void {
    // §1.1 [A1][A3]: "Valid field 'bucketKey' must be of the form  [-_.a-z0-9]{3,128}" (the doc's example, double space included).
    if (!APS_BUCKET_KEY_PATTERN.test(bucket)) throw new BadRequest(400, "Valid field 'bucketKey' must be of the form  [-_.a-z0-9]{3,128}");
  }

  async function jsonBody(exchange: Exchange): Promise<unknown> {
    const body = await exchange.body();
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch (error) {
      throw new BadRequest(400, `The request body is not valid JSON: ${(error as Error).message}`);
    }
  }

  // ── OSS routes (§1) ─────────────────────────────────────────────────────────────────────

  async function createBucket(exchange: Exchange, caller: Caller): Promise<void> {
    const payload = await jsonBody(exchange);
    // §1.1 RECOMMENDATION: accept `region` and `x-ads-region`, `region` wins, default US.
    const given = header(exchange, 'region') ?? header(exchange, 'x-ads-region') ?? 'US';
    const region = given.trim().toUpperCase();
    if (!(APS_REGIONS as readonly string[]).includes(region)) throw new BadRequest(400, `Invalid region \`${given}\`; one of ${APS_REGIONS.join(', ')}`);
    const { decision, effect } = decide({ actor: caller.clientId, operation: 'createBucket', payload: payload as ApsCreatePayload });
    if (decision.decision !== 'allow' || effect?.kind !== 'create-bucket') return refuse(exchange, decision);
    applyEffect(store, effect);
    buckets.set(effect.key, { createdDate: nowMs(), region });
    objects.set(effect.key, new Map());
    sendJson(exchange, 200, bucketJson(store.buckets.get(effect.key)!));
  }

  function getBuckets(exchange: Exchange, caller: Caller, query: URLSearchParams): void {
    const given = query.get('region') ?? 'US';
    const region = given.toUpperCase();
    if (!(APS_REGIONS as readonly string[]).includes(region)) throw new BadRequest(400, `Invalid region \`${given}\`; one of ${APS_REGIONS.join(', ')}`);
    // §1.1 [A4]: limit 1–100, default 10; "Invalid limit".
    const limit = intParam(query, 'limit', 1, 100, 10, 'Invalid limit');
    const startAt = query.get('startAt');
    const { decision } = decide({ actor: caller.clientId, operation: 'getBuckets' });
    if (decision.decision !== 'allow') return refuse(exchange, decision);
    const own = [...store.buckets.values()].filter((b) => !b.deleted && b.owner === caller.clientId && buckets.get(b.key)?.region === region).map((b) => b.key).sort();
    const { items, more } = page(own, limit, startAt);
    const body: Record<string, unknown> = { items: items.map((key) => ({ bucketKey: key, createdDate: buckets.get(key)?.createdDate ?? 0, policyKey: store.buckets.get(key)!.policyKey })) };
    // §1.1 [A4]: `next` is a full URL.
    if (more) body.next = `${exchange.baseUrl}/oss/v2/buckets?${new URLSearchParams({ region, limit: String(limit), startAt: items[items.length - 1]! })}`;
    sendJson(exchange, 200, body);
  }

  function bucketRoute(exchange: Exchange, caller: Caller, operation: 'getBucketDetails' | 'deleteBucket', bucket: string): void {
    checkBucketKey(bucket);
    const { decision, effect } = decide({ actor: caller.clientId, operation, bucket });
    if (decision.decision !== 'allow') return refuse(exchange, decision);
    if (operation === 'getBucketDetails') return sendJson(exchange, 200, bucketJson(store.buckets.get(bucket)!));
    if (effect !== undefined) applyEffect(store, effect);
    objects.delete(bucket);
    transfers.dropBucket(bucket);
    // §1: DELETE Bucket answers 200 with no body.
    sendEmpty(exchange, 200);
  }

  function getObjects(exchange: Exchange, caller: Caller, bucket: string, query: URLSearchParams): void {
    checkBucketKey(bucket);
    // §1.1 [A7]: limit 1–100, default 10.
    const limit = intParam(query, 'limit', 1, 100, 10, 'Invalid limit');
    const beginsWith = query.get('beginsWith') ?? '';
    const startAt = query.get('startAt');
    const { decision } = decide({ actor: caller.clientId, operation: 'getBucketObjects', bucket });
    if (decision.decision !== 'allow') return refuse(exchange, decision);
    const held = objects.get(bucket) ?? new Map<string, StoredObject>();
    const keys = [...held.keys()].filter((k) => k.startsWith(beginsWith)).sort();
    const { items, more } = page(keys, limit, startAt);
    const body: Record<string, unknown> = { items: items.map((k) => objectJson(exchange, bucket, k, held.get(k)!)) };
    if (more) {
      const next = new URLSearchParams({ limit: String(limit), startAt: items[items.length - 1]! });
      if (beginsWith !== '') next.set('beginsWith', beginsWith);
      body.next = `${exchange.baseUrl}/oss/v2/buckets/${encodeURIComponent(bucket)}/objects?${next}`;
    }
    sendJson(exchange, 200, body);
  }

  /** The stored bytes of an object the reference says exists; a 404 if the two disagree (they never should). */
  function storedObject(exchange: Exchange, bucket: string, object: string): StoredObject | undefined {
    const stored = objects.get(bucket)?.get(object);
    if (stored === undefined) sendReason(exchange, 404, `object \`${object}\` does not exist in bucket \`${bucket}\``);
    return stored;
  }

  function notModifiedSince(exchange: Exchange, stored: StoredObject): boolean {
    const since = header(exchange, 'if-modified-since');
    if (since === undefined) return false;
    const at = Date.parse(since);
    // An unparsable date is ignored (RFC 9110 §13.1.3).
    return !Number.isNaN(at) && Math.floor(stored.lastModifiedDate / 1000) * 1000 <= at;
  }

  function getObjectDetails(exchange: Exchange, caller: Caller, bucket: string, object: string, query: URLSearchParams): void {
    checkBucketKey(bucket);
    const withValues = query.getAll('with').flatMap((w) => w.split(',')).map((w) => w.trim()).filter((w) => w !== '');
    const unknownWith = withValues.filter((w) => !(WITH_VALUES as readonly string[]).includes(w));
    if (unknownWith.length > 0) throw new BadRequest(400, `Invalid with: ${unknownWith.map((w) => `\`${w}\``).join(', ')}; one of ${WITH_VALUES.join(', ')}`);
    const { decision } = decide({ actor: caller.clientId, operation: 'getObjectDetails', bucket, object });
    if (decision.decision !== 'allow') return refuse(exchange, decision);
    const stored = storedObject(exchange, bucket, object);
    if (stored === undefined) return;
    // §1: 304 for If-Modified-Since.
    if (notModifiedSince(exchange, stored)) return sendEmpty(exchange, 304);
    const body = objectJson(exchange, bucket, object, stored);
    if (withValues.includes('createdDate')) body.createdDate = stored.createdDate;
    if (withValues.includes('lastAccessedDate')) body.lastAccessedDate = stored.lastAccessedDate;
    if (withValues.includes('lastModifiedDate')) body.lastModifiedDate = stored.lastModifiedDate;
    if (withValues.includes('userDefinedMetadata') && stored.userDefinedMetadata !== undefined) body.userDefinedMetadata = stored.userDefinedMetadata;
    sendJson(exchange, 200, body);
  }

  function deleteObject(exchange: Exchange, caller: Caller, bucket: string, object: string): void {
    checkBucketKey(bucket);
    const { decision, effect } = decide({ actor: caller.clientId, operation: 'deleteObject', bucket, object });
    if (decision.decision !== 'allow') return refuse(exchange, decision);
    if (effect !== undefined) applyEffect(store, effect);
    objects.get(bucket)?.delete(object);
    // §1: DELETE Object answers 200 with no body.
    sendEmpty(exchange, 200);
  }

  function minutes(query: URLSearchParams): number {
    // §1.2 [A1]: "Signed URLs expire after 2 min by default; `minutesExpiration` is 1–60".
    return intParam(query, 'minutesExpiration', 1, MAX_URL_MINUTES, DEFAULT_URL_MINUTES);
  }

  function signedS3UploadUrls(exchange: Exchange, caller: Caller, bucket: string, object: string, query: URLSearchParams): void {
    checkBucketKey(bucket);
    const parts = intParam(query, 'parts', 1, MAX_PARTS_PER_REQUEST, 1);
    const firstPart = intParam(query, 'firstPart', 1, MAX_PART_NUMBER, 1);
    if (firstPart + parts - 1 > MAX_PART_NUMBER) throw new BadRequest(400, `Invalid parts: an upload has at most ${MAX_PART_NUMBER} parts`);
    const expiresMinutes = minutes(query);
    const uploadKey = query.get('uploadKey');
    // Getting upload URLs is the first step of an upload: the reference decides it as `uploadObject`;
    // the object changes only when the upload is completed.
    const { decision } = decide({ actor: caller.clientId, operation: 'uploadObject', bucket, object });
    if (decision.decision !== 'allow') return refuse(exchange, decision);
    const now = nowMs();
    let session: UploadSession | undefined;
    if (uploadKey === null) {
      session = transfers.openUpload(bucket, object, caller.clientId, now);
    } else {
      // §1.2 [A1][A10]: "re-request URLs with the same `uploadKey`".
      session = transfers.findUpload(uploadKey, bucket, object, caller.clientId, now);
      if (session === undefined) throw new BadRequest(400, `Invalid uploadKey \`${uploadKey}\`: no upload in progress of this object by this application`);
    }
    const expires = now + expiresMinutes * 60_000;
    const urls = Array.from({ length: parts }, (_, i) => transfers.uploadUrl(exchange.baseUrl, session, firstPart + i, expires));
    sendJson(exchange, 200, { uploadKey: session.uploadKey, uploadExpiration: new Date(session.expiresAt).toISOString(), urlExpiration: new Date(expires).toISOString(), urls });
  }

  async function completeSignedS3Upload(exchange: Exchange, caller: Caller, bucket: string, object: string): Promise<void> {
    checkBucketKey(bucket);
    const body = await jsonBody(exchange);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest(400, 'The body must be a JSON object `{uploadKey, size?, eTags?}`');
    const { uploadKey, size, eTags } = body as Record<string, unknown>;
    if (typeof uploadKey !== 'string' || uploadKey === '') throw new BadRequest(400, '`uploadKey` is required');
    if (size !== undefined && !(typeof size === 'number' && Number.isInteger(size) && size >= 0)) throw new BadRequest(400, '`size` must be a non-negative integer');
    if (eTags !== undefined && !(Array.isArray(eTags) && eTags.every((e) => typeof e === 'string'))) throw new BadRequest(400, '`eTags` must be a list of strings');
    const metadata = header(exchange, 'x-ads-user-defined-metadata');
    if (metadata !== undefined) {
      // §1.2 [A1][A10]: "`x-ads-user-defined-metadata` must be a JSON object < 100 bytes".
      let parsed: unknown;
      try {
        parsed = JSON.parse(metadata);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Buffer.byteLength(metadata) >= 100) {
        throw new BadRequest(400, '`x-ads-user-defined-metadata` must be a JSON object of less than 100 bytes');
      }
    }
    // Decided after the body is read, and applied in the same turn, so that no request comes in between.
    const { decision, effect } = decide({ actor: caller.clientId, operation: 'uploadObject', bucket, object });
    if (decision.decision !== 'allow' || effect?.kind !== 'put-object') return refuse(exchange, decision);
    const now = nowMs();
    const session = transfers.findUpload(uploadKey, bucket, object, caller.clientId, now);
    if (session === undefined) throw new BadRequest(400, `Invalid uploadKey \`${uploadKey}\`: no upload in progress of this object by this application`);
    const invalid = validateParts(session, size as number | undefined, eTags as string[] | undefined);
    if (invalid !== undefined) return sendJson(exchange, 400, invalid);
    const numbers = [...session.parts.keys()].sort((a, b) => a - b);
    const bytes = Buffer.concat(numbers.map((n) => session.parts.get(n)!.bytes));
    applyEffect(store, effect);
    transfers.uploads.delete(session.uploadKey);
    const previous = objects.get(bucket)?.get(object);
    const stored: StoredObject = {
      bytes,
      sha1: sha1Hex(bytes),
      eTag: md5ETag(bytes),
      contentType: header(exchange, 'x-ads-meta-content-type') ?? 'application/octet-stream',
      ...optional('contentDisposition', header(exchange, 'x-ads-meta-content-disposition')),
      ...optional('contentEncoding', header(exchange, 'x-ads-meta-content-encoding')),
      ...optional('cacheControl', header(exchange, 'x-ads-meta-cache-control')),
      ...optional('userDefinedMetadata', metadata),
      createdDate: previous?.createdDate ?? now,
      lastModifiedDate: now,
      lastAccessedDate: now,
    };
    let held = objects.get(bucket);
    if (held === undefined) objects.set(bucket, (held = new Map()));
    held.set(object, stored);
    sendJson(exchange, 200, objectJson(exchange, bucket, object, stored));
  }

  function signedS3Download(exchange: Exchange, caller: Caller, bucket: string, object: string, query: URLSearchParams): void {
    checkBucketKey(bucket);
    const expiresMinutes = minutes(query);
    const { decision } = decide({ actor: caller.clientId, operation: 'downloadObject', bucket, object });
    if (decision.decision !== 'allow') return refuse(exchange, decision);
    const stored = storedObject(exchange, bucket, object);
    if (stored === undefined) return;
    // §1: 304 on If-None-Match / If-Modified-Since. The SDK sends its request id as If-None-Match
    // (§5.4, a bug); only the object's own sha1 or ETag matches, so that never gives a 304.
    const noneMatch = header(exchange, 'if-none-match');
    if (noneMatch !== undefined) {
      const tags = noneMatch.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
      if (tags.includes(stored.sha1) || tags.includes(stored.eTag.slice(1, -1))) return sendEmpty(exchange, 304);
    } else if (notModifiedSince(exchange, stored)) {
      return sendEmpty(exchange, 304);
    }
    const now = nowMs();
    stored.lastAccessedDate = now;
    const contentType = query.get('response-content-type') ?? stored.contentType;
    const contentDisposition = query.get('response-content-disposition') ?? stored.contentDisposition;
    const cacheControl = query.get('response-cache-control') ?? stored.cacheControl;
    const url = transfers.openDownload(exchange.baseUrl, { bytes: stored.bytes, eTag: stored.eTag, contentType, ...optional('contentDisposition', contentDisposition), ...optional('cacheControl', cacheControl), expiresAt: now + expiresMinutes * 60_000 }, now);
    const params: Record<string, string> = { 'content-type': contentType };
    if (contentDisposition !== undefined) params['content-disposition'] = contentDisposition;
    if (cacheControl !== undefined) params['cache-control'] = cacheControl;
    // §5.4: the SDK requires `status: "complete"` and reads `url` and `size`.
    sendJson(exchange, 200, { status: 'complete', url, params, size: stored.bytes.length, sha1: stored.sha1 });
  }

  // ── the signed transfer URLs (§5.4) ─────────────────────────────────────────────────────

  async function transfer(exchange: Exchange, path: string): Promise<void> {
    const method = exchange.req.method ?? 'GET';
    const target = transfers.verify(path, exchange.rawQuery, nowMs());
    if (target === 'malformed') return sendS3Error(exchange, 403, 'AccessDenied', 'The URL is not a signed transfer URL of this emulator');
    if (target === 'bad-signature') return sendS3Error(exchange, 403, 'SignatureDoesNotMatch', 'The request signature does not match the URL');
    if (target === 'expired') return sendS3Error(exchange, 403, 'AccessDenied', 'Request has expired');
    if (target.kind === 'upload') {
      if (method !== 'PUT') return sendS3Error(exchange, 405, 'MethodNotAllowed', `The method ${method} is not allowed on an upload URL`, { allow: 'PUT' });
      const bytes = await exchange.body();
      const session = transfers.uploads.get(target.uploadKey);
      if (session === undefined || nowMs() >= session.expiresAt) return sendS3Error(exchange, 404, 'NoSuchUpload', 'The upload does not exist: it was completed, or it expired');
      const eTag = md5ETag(bytes);
      session.parts.set(target.part, { bytes, eTag });
      return sendEmpty(exchange, 200, { etag: eTag });
    }
    if (method !== 'GET' && method !== 'HEAD') return sendS3Error(exchange, 405, 'MethodNotAllowed', `The method ${method} is not allowed on a download URL`, { allow: 'GET, HEAD' });
    const ticket = transfers.downloads.get(target.ticket)!;
    const size = ticket.bytes.length;
    const { res } = exchange;
    res.setHeader('accept-ranges', 'bytes');
    res.setHeader('etag', ticket.eTag);
    res.setHeader('content-type', ticket.contentType);
    if (ticket.contentDisposition !== undefined) res.setHeader('content-disposition', ticket.contentDisposition);
    if (ticket.cacheControl !== undefined) res.setHeader('cache-control', ticket.cacheControl);
    const range = answerRange(header(exchange, 'range'), size);
    if (range.kind === 'unsatisfiable') return sendS3Error(exchange, 416, 'InvalidRange', 'The requested range is not satisfiable', { 'content-range': `bytes */${size}` });
    const [status, slice] = range.kind === 'full' ? [200, ticket.bytes] : [206, ticket.bytes.subarray(range.start, range.end + 1)];
    if (range.kind === 'partial') res.setHeader('content-range', `bytes ${range.start}-${range.end}/${size}`);
    res.statusCode = status;
    res.setHeader('x-ads-request-id', exchange.requestId);
    res.setHeader('content-length', slice.length);
    res.end(method === 'HEAD' ? undefined : slice);
  }

  // ── dispatch ────────────────────────────────────────────────────────────────────────────

  async function oss(exchange: Exchange, target: Extract<ApsTarget, { kind: 'oss' }>): Promise<void> {
    const caller = authenticate(exchange, target.route);
    if (caller === undefined) return;
    const query = new URLSearchParams(exchange.rawQuery);
    const bucket = target.bucket ?? '';
    const object = target.object ?? '';
    switch (target.route) {
      case 'createBucket': return createBucket(exchange, caller);
      case 'getBuckets': return getBuckets(exchange, caller, query);
      case 'getBucketDetails': return bucketRoute(exchange, caller, 'getBucketDetails', bucket);
      case 'deleteBucket': return bucketRoute(exchange, caller, 'deleteBucket', bucket);
      case 'getObjects': return getObjects(exchange, caller, bucket, query);
      case 'getObjectDetails': return getObjectDetails(exchange, caller, bucket, object, query);
      case 'deleteObject': return deleteObject(exchange, caller, bucket, object);
      case 'signedS3UploadUrls': return signedS3UploadUrls(exchange, caller, bucket, object, query);
      case 'completeSignedS3Upload': return completeSignedS3Upload(exchange, caller, bucket, object);
      case 'signedS3Download': return signedS3Download(exchange, caller, bucket, object, query);
    }
  }

  async function handle(exchange: Exchange): Promise<void> {
    const method = exchange.req.method ?? 'GET';
    const target = route(method, exchange.rawPath);
    try {
      switch (target.kind) {
        case 'token': return await token(exchange);
        case 'oss': return await oss(exchange, target);
        case 'transfer': return await transfer(exchange, target.path);
        case 'unimplemented': return sendReason(exchange, 501, `${target.what} is part of the OSS v2 API but not implemented by the emulator`);
        case 'method': return sendReason(exchange, 405, `The method ${method} is not allowed on \`${exchange.rawPath}\``, { allow: target.allowed.join(', ') });
        case 'bad-path': return sendReason(exchange, 400, target.message);
        case 'unknown': return sendReason(exchange, 404, `No route for ${method} \`${exchange.rawPath}\``);
      }
    } catch (error) {
      if (error instanceof BadRequest && !exchange.res.headersSent) return sendReason(exchange, error.status, error.message);
      // Oversized bodies and bugs go to the server's last-resort path, which calls renderFault.
      throw error;
    }
  }

  return {
    vendor: 'aps-oss',
    handle,
    renderFault(exchange: Exchange, fault: EmulatorFault): void {
      const transferUrl = route(exchange.req.method ?? 'GET', exchange.rawPath).kind === 'transfer';
      if (fault.kind === 'body-too-large') {
        // Not documented (§4 is silent): 413 with a reason, the status HTTP has for it.
        const message = `The request body exceeds the emulator's limit of ${options.maxBodyBytes} bytes`;
        return transferUrl ? sendS3Error(exchange, 413, 'EntityTooLarge', message) : sendReason(exchange, 413, message);
      }
      return transferUrl ? sendS3Error(exchange, 500, 'InternalError', 'The emulator failed to handle the request') : sendReason(exchange, 500, 'The emulator failed to handle the request');
    },
    describe(baseUrl: string): string[] {
      return [
        `APS OSS v2: set the SDK's ApsConfiguration BaseAddress to ${baseUrl}; two-legged tokens from POST ${baseUrl}${APS_TOKEN_PATH}`,
        `apps (client id / secret): ${options.accounts.apps.length === 0 ? 'none' : options.accounts.apps.map((a) => a.clientId).join(', ')}; signed transfer URLs under ${baseUrl}${TRANSFER_PREFIX}/`,
      ];
    },
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** The validation result of a completion that cannot assemble the object (§1.2 [A10]: part statuses), or undefined when it can. */
function validateParts(session: UploadSession, size: number | undefined, eTags: string[] | undefined): Record<string, unknown> | undefined {
  const numbers = [...session.parts.keys()].sort((a, b) => a - b);
  const highest = numbers[numbers.length - 1] ?? 0;
  const detected = numbers.reduce((sum, n) => sum + session.parts.get(n)!.bytes.length, 0);
  const problems: string[] = [];
  const parts: Record<string, unknown>[] = [];
  for (let n = 1; n <= highest; n++) {
    const part = session.parts.get(n);
    if (part === undefined) {
      // §1.2: `Pending`, a part whose URL was handed out but whose bytes never came.
      parts.push({ part: n, status: 'Pending' });
      problems.push(`part ${n} was not uploaded`);
      continue;
    }
    const tooSmall = n < highest && part.bytes.length < MIN_PART_BYTES;
    const expected = eTags?.[n - 1];
    const unexpected = eTags !== undefined && (expected === undefined || expected.replace(/"/g, '') !== part.eTag.slice(1, -1));
    // §1.2: `TooSmall` "a non-final chunk < 5 MB"; `Unexpected` a part whose ETag is not the one given.
    const status = unexpected && tooSmall ? 'Unexpected+TooSmall' : unexpected ? 'Unexpected' : tooSmall ? 'TooSmall' : 'Ok';
    if (status !== 'Ok') problems.push(`part ${n} is ${status}`);
    parts.push({ part: n, status, size: part.bytes.length, eTag: part.eTag });
  }
  if (highest === 0) problems.push('no part was uploaded');
  if (size !== undefined && size !== detected) problems.push(`the size given, ${size}, is not the ${detected} bytes uploaded`);
  if (eTags !== undefined && eTags.length !== highest) problems.push(`${eTags.length} eTags were given for ${highest} parts`);
  if (problems.length === 0) return undefined;
  return { uploadKey: session.uploadKey, status: 'error', reason: problems.join('; '), size: { ...(size === undefined ? {} : { expected: size }), detected }, parts };
}
