/**
 * Routing of the APS dialect: a request path (repeated slashes collapsed, aps-oss.md §6 item 1)
 * to the token endpoint, an OSS v2 route with its bucket and object keys, a documented route the
 * emulator does not serve, or a signed transfer URL.
 */
import { APS_TOKEN_PATH, normalizePath, type ApsRoute } from '../../adapters/http/aps-oss/wire.ts';
import { TRANSFER_PREFIX } from './transfers.ts';

/** Where a request goes. */
export type ApsTarget =
  | { kind: 'token' }
  | { kind: 'oss'; route: ApsRoute; bucket?: string; object?: string }
  | { kind: 'transfer'; path: string }
  /** A route of the OSS v2 API that the emulator does not implement (copy, OSS signed URLs, batches). */
  | { kind: 'unimplemented'; what: string }
  /** The path is known, the method is not: the methods it takes. */
  | { kind: 'method'; allowed: string[] }
  | { kind: 'unknown' }
  | { kind: 'bad-path'; message: string };

const OBJECT_SUBS = new Set(['details', 'signeds3upload', 'signeds3download', 'signed']);
const BATCH_ROUTES = new Set(['batchsigneds3upload', 'batchcompleteupload', 'batchsigneds3download']);

function byMethod(method: string, table: Record<string, ApsTarget>): ApsTarget {
  return table[method] ?? { kind: 'method', allowed: Object.keys(table) };
}

/** Resolves `method` `rawPath` to a target. */
export function route(method: string, rawPath: string): ApsTarget {
  const path = normalizePath(rawPath);
  if (path === APS_TOKEN_PATH || path === `${APS_TOKEN_PATH}/`) return byMethod(method, { POST: { kind: 'token' } });
  if (path.startsWith(`${TRANSFER_PREFIX}/`)) return { kind: 'transfer', path: path.slice(TRANSFER_PREFIX.length) };
  if (path === '/oss/v2/signedresources' || path.startsWith('/oss/v2/signedresources/')) return { kind: 'unimplemented', what: 'OSS signed resources' };
  const raw = path.split('/').slice(1);
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  if (raw[0] !== 'oss' || raw[1] !== 'v2' || raw[2] !== 'buckets') return { kind: 'unknown' };
  let segments: string[];
  try {
    segments = raw.map((s) => decodeURIComponent(s));
  } catch {
    return { kind: 'bad-path', message: `the path \`${rawPath}\` is not validly percent-encoded` };
  }
  const rest = segments.slice(3);
  if (rest.length === 0) return byMethod(method, { GET: { kind: 'oss', route: 'getBuckets' }, POST: { kind: 'oss', route: 'createBucket' } });
  const bucket = rest[0]!;
  if (rest.length === 1) return byMethod(method, { DELETE: { kind: 'oss', route: 'deleteBucket', bucket } });
  if (rest[1] === 'details' && rest.length === 2) return byMethod(method, { GET: { kind: 'oss', route: 'getBucketDetails', bucket } });
  if (rest[1] !== 'objects') return { kind: 'unknown' };
  if (rest.length === 2) return byMethod(method, { GET: { kind: 'oss', route: 'getObjects', bucket } });
  const keyParts = rest.slice(2);
  if (keyParts.length === 1 && BATCH_ROUTES.has(keyParts[0]!) && method === 'POST') return { kind: 'unimplemented', what: `\`${keyParts[0]}\`` };
  // An object key is one encoded segment (the SDK encodes `/` as `%2F`); a client that sends it raw
  // gives several segments, joined back here, the last naming the sub-resource if it is one.
  if (keyParts.length >= 3 && keyParts[keyParts.length - 2] === 'copyto') return { kind: 'unimplemented', what: '`copyTo`' };
  const last = keyParts[keyParts.length - 1]!;
  if (keyParts.length >= 2 && OBJECT_SUBS.has(last)) {
    const object = keyParts.slice(0, -1).join('/');
    if (last === 'signed') return { kind: 'unimplemented', what: 'OSS signed URLs' };
    if (last === 'details') return byMethod(method, { GET: { kind: 'oss', route: 'getObjectDetails', bucket, object } });
    if (last === 'signeds3download') return byMethod(method, { GET: { kind: 'oss', route: 'signedS3Download', bucket, object } });
    return byMethod(method, { GET: { kind: 'oss', route: 'signedS3UploadUrls', bucket, object }, POST: { kind: 'oss', route: 'completeSignedS3Upload', bucket, object } });
  }
  const object = keyParts.join('/');
  if (object === '') return { kind: 'unknown' };
  return byMethod(method, { DELETE: { kind: 'oss', route: 'deleteObject', bucket, object } });
}
