/**
 * The signed S3 transfers of the APS dialect (aps-oss.md §1.2, §5.4): upload sessions keyed by
 * an `uploadKey` whose parts arrive by PUT on signed URLs, and download tickets whose signed URL
 * serves a snapshot of the object's bytes. The URLs point back at the emulator
 * (`<base>/_s3/upload/<uploadKey>/<part>` and `<base>/_s3/download/<ticket>`) and carry an
 * expiry and an HMAC over both, keyed by a secret drawn when the dialect starts; they need no
 * Authorization header, as the SDK sends none (§5.1).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The URL prefix of the signed transfers. */
export const TRANSFER_PREFIX = '/_s3';

/** Signed URLs expire after 2 minutes unless `minutesExpiration` (1–60) says otherwise (aps-oss.md §1.2 [A1]). */
export const DEFAULT_URL_MINUTES = 2;
/** The largest `minutesExpiration` (aps-oss.md §1.2 [A1]). */
export const MAX_URL_MINUTES = 60;
/**
 * The most parts one signeds3upload call hands out. aps-oss.md §1.2: SILENT; the SDK batches 25
 * (§5.4), so the emulator's choice is 25.
 */
export const MAX_PARTS_PER_REQUEST = 25;
/** The highest part number (S3's limit; the SDK's "at most 10 000" chunks, aps-oss.md §5.4). */
export const MAX_PART_NUMBER = 10_000;
/** A part other than the last must hold at least 5 MiB (aps-oss.md §1.2: `TooSmall`). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** How long an upload session lives before its parts are dropped (the `uploadExpiration`): 24 hours. */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A part received on its signed URL. */
export interface UploadedPart {
  readonly bytes: Buffer;
  /** The quoted MD5 hex, as S3's ETag. */
  readonly eTag: string;
}

/** An upload in progress: the app that started it, the object, the parts so far. */
export interface UploadSession {
  readonly uploadKey: string;
  readonly bucket: string;
  readonly object: string;
  readonly clientId: string;
  readonly parts: Map<number, UploadedPart>;
  readonly expiresAt: number;
}

/** A download ticket: the bytes as they were when the URL was signed, and the response headers asked for. */
export interface DownloadTicket {
  readonly bytes: Buffer;
  readonly eTag: string;
  readonly contentType: string;
  readonly contentDisposition?: string;
  readonly cacheControl?: string;
  /** When the signed URL expires; a download that has started is kept alive past it (see `keepAliveUntil`). */
  expiresAt: number;
  /**
   * Once the URL has served a request, it keeps serving until this long after its last request,
   * its own expiry notwithstanding: `downloadObject` fetches every 5 MiB part from the one URL and
   * loops forever when a part GET keeps failing (aps-oss.md §5.4), so a long download must not be
   * cut off half way. Absent until the first request.
   */
  keepAliveUntil?: number;
}

/** How long a started download stays alive after each of its requests. */
export const DOWNLOAD_KEEPALIVE_MS = DEFAULT_URL_MINUTES * 60_000;

/** Where a signed transfer URL leads, once its signature and expiry hold. */
export type TransferTarget = { kind: 'upload'; uploadKey: string; part: number } | { kind: 'download'; ticket: string };

/** Why a transfer URL is refused. */
export type TransferRefusal = 'malformed' | 'bad-signature' | 'expired';

/** The hex SHA-1 of `bytes` (objectDetails `sha1`). */
export function sha1Hex(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** The quoted hex MD5 of `bytes` (an S3 ETag). */
export function md5ETag(bytes: Buffer): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

/** Upload sessions, download tickets, and the signing of their URLs. */
export class Transfers {
  readonly #secret = randomBytes(32);
  readonly uploads = new Map<string, UploadSession>();
  readonly downloads = new Map<string, DownloadTicket>();
  #opened = 0;

  #sign(resource: string, expires: number): string {
    return createHmac('sha256', this.#secret).update(`${resource}\n${expires}`).digest('hex');
  }

  #url(baseUrl: string, resource: string, expires: number): string {
    return `${baseUrl}${TRANSFER_PREFIX}${resource}?X-Expires=${expires}&X-Signature=${this.#sign(resource, expires)}`;
  }

  /** Opens an upload session for `clientId` on `bucket`/`object`. */
  openUpload(bucket: string, object: string, clientId: string, nowMs: number): UploadSession {
    this.#maybePrune(nowMs);
    const session: UploadSession = { uploadKey: randomBytes(24).toString('base64url'), bucket, object, clientId, parts: new Map(), expiresAt: nowMs + UPLOAD_LIFETIME_MS };
    this.uploads.set(session.uploadKey, session);
    return session;
  }

  /** The session of `uploadKey`, if it is live and belongs to `clientId` on `bucket`/`object`. */
  findUpload(uploadKey: string, bucket: string, object: string, clientId: string, nowMs: number): UploadSession | undefined {
    const session = this.uploads.get(uploadKey);
    if (session === undefined || nowMs >= session.expiresAt) return undefined;
    if (session.bucket !== bucket || session.object !== object || session.clientId !== clientId) return undefined;
    return session;
  }

  /** The signed URL of part `part` of `session`. */
  uploadUrl(baseUrl: string, session: UploadSession, part: number, expires: number): string {
    return this.#url(baseUrl, `/upload/${session.uploadKey}/${part}`, expires);
  }

  /** Issues a download ticket and its signed URL. */
  openDownload(baseUrl: string, ticket: DownloadTicket, nowMs: number): string {
    this.#maybePrune(nowMs);
    const id = randomBytes(24).toString('base64url');
    this.downloads.set(id, ticket);
    return this.#url(baseUrl, `/download/${id}`, ticket.expiresAt);
  }

  /**
   * Checks a request to a transfer URL: `path` without the prefix and the raw query. The
   * signature covers the resource and the expiry, so neither can be changed.
   */
  verify(path: string, rawQuery: string, nowMs: number): TransferTarget | TransferRefusal {
    const query = new URLSearchParams(rawQuery);
    const expiresText = query.get('X-Expires');
    const signature = query.get('X-Signature');
    const upload = /^\/upload\/([A-Za-z0-9_-]+)\/(\d{1,5})$/.exec(path);
    const download = /^\/download\/([A-Za-z0-9_-]+)$/.exec(path);
    if ((upload === null && download === null) || expiresText === null || signature === null || !/^\d{1,15}$/.test(expiresText)) return 'malformed';
    const expires = Number(expiresText);
    const expected = Buffer.from(this.#sign(path, expires), 'hex');
    const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad-signature';
    if (upload !== null) return nowMs >= expires ? 'expired' : { kind: 'upload', uploadKey: upload[1]!, part: Number(upload[2]) };
    const id = download![1]!;
    const ticket = this.downloads.get(id);
    const alive = ticket?.keepAliveUntil !== undefined && nowMs < ticket.keepAliveUntil;
    if (ticket === undefined || (nowMs >= expires && !alive)) return 'expired';
    // aps-oss.md §5.4: "Never fail the object GET persistently": each request extends a started download.
    ticket.keepAliveUntil = nowMs + DOWNLOAD_KEEPALIVE_MS;
    ticket.expiresAt = Math.max(ticket.expiresAt, ticket.keepAliveUntil);
    return { kind: 'download', ticket: id };
  }

  // Pruning scans both maps, so it runs once every 64 sessions or tickets opened.
  #maybePrune(nowMs: number): void {
    if (++this.#opened % 64 === 0) this.prune(nowMs);
  }

  /** Drops the sessions and tickets expired at `nowMs`. */
  prune(nowMs: number): void {
    for (const [key, session] of this.uploads) if (nowMs >= session.expiresAt) this.uploads.delete(key);
    for (const [key, ticket] of this.downloads) if (nowMs >= ticket.expiresAt) this.downloads.delete(key);
  }

  /** Drops every session of `bucket` (the bucket was deleted). */
  dropBucket(bucket: string): void {
    for (const [key, session] of this.uploads) if (session.bucket === bucket) this.uploads.delete(key);
  }
}
