/**
 * The APS OSS v2 wire protocol as pure functions, shared by the emulator and the live HTTP
 * adapter (issue #7): the two-legged token request (Basic client authentication and form body),
 * the documented scopes and the scopes each route needs, the route paths, and the path
 * normalisation that the `@aps_sdk/*` clients make necessary. Vendor notes: aps-oss.md §1, §3, §5.
 */

/** The two-legged token endpoint (aps-oss.md §3 [A12]). */
export const APS_TOKEN_PATH = '/authentication/v2/token';

/** The default production base address (aps-oss.md §1, §5.1). */
export const APS_BASE_URL = 'https://developer.api.autodesk.com';

/**
 * The scopes a two-legged token may ask for: the `Scopes` enum of `@aps_sdk/authentication`
 * (aps-oss.md §3 [A2][A19]), the `data:read:<URN_OF_RESOURCE>` template left out (see `isApsScope`).
 */
export const APS_SCOPES = [
  'user:read', 'user:write', 'user-profile:read', 'viewables:read',
  'data:read', 'data:write', 'data:create', 'data:search',
  'bucket:create', 'bucket:read', 'bucket:update', 'bucket:delete',
  'code:all', 'account:read', 'account:write', 'openid',
] as const;
/** One documented scope. */
export type ApsScope = (typeof APS_SCOPES)[number];

/** Whether `value` is a documented scope, or `data:read:<urn>` (the SDK's `DataReadUrnOfResource` template). */
export function isApsScope(value: string): boolean {
  return (APS_SCOPES as readonly string[]).includes(value) || /^data:read:\S+$/.test(value);
}

/** The OSS routes the emulator serves and the live adapter calls. */
export const APS_ROUTES = [
  'getBuckets', 'createBucket', 'getBucketDetails', 'deleteBucket',
  'getObjects', 'getObjectDetails', 'deleteObject',
  'signedS3UploadUrls', 'completeSignedS3Upload', 'signedS3Download',
] as const;
/** One route. */
export type ApsRoute = (typeof APS_ROUTES)[number];

/**
 * The scopes each route accepts, any one of them sufficing: the OpenAPI `security` of aps-oss.md
 * §1, read as "any of" (§3 RECOMMENDATION: "data:write or data:create").
 */
export const APS_ROUTE_SCOPES: Readonly<Record<ApsRoute, readonly ApsScope[]>> = {
  getBuckets: ['bucket:read'],
  createBucket: ['bucket:create'],
  // §1: "bucket:read (+ viewables:read listed)".
  getBucketDetails: ['bucket:read', 'viewables:read'],
  deleteBucket: ['bucket:delete'],
  getObjects: ['data:read'],
  getObjectDetails: ['data:read'],
  deleteObject: ['data:write'],
  signedS3UploadUrls: ['data:write', 'data:create'],
  completeSignedS3Upload: ['data:write', 'data:create'],
  signedS3Download: ['data:read'],
};

/** Whether a token holding `granted` may call `route`. */
export function scopesAllow(route: ApsRoute, granted: ReadonlySet<string> | readonly string[]): boolean {
  const held = granted instanceof Set ? granted : new Set(granted as readonly string[]);
  return APS_ROUTE_SCOPES[route].some((scope) => held.has(scope));
}

/** The `Authorization: Basic` value of a client credentials pair (aps-oss.md §3, §5.3). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
}

/** Client credentials read from an `Authorization: Basic` header. */
export interface ApsClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Parses an `Authorization: Basic base64(id:secret)` header. `undefined` for another scheme or a
 * value that does not decode to `id:secret`.
 */
export function parseBasicAuthorization(header: string | undefined): ApsClientCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** The token of an `Authorization: Bearer <token>` header, or `undefined`. */
export function parseBearerAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match === null ? undefined : match[1];
}

/**
 * The form body of a two-legged token request, as `@aps_sdk/authentication` sends it
 * (aps-oss.md §5.3): `grant_type=client_credentials&scope=a+b`.
 */
export function tokenRequestBody(scopes: readonly string[]): string {
  const form = new URLSearchParams();
  form.set('grant_type', 'client_credentials');
  form.set('scope', scopes.join(' '));
  return form.toString();
}

/**
 * Collapses repeated slashes of a request path: the SDK joins a base address that ends in `/`
 * with a path that starts with one, giving `//oss/v2/...` (aps-oss.md §5.1, §6 item 1).
 */
export function normalizePath(rawPath: string): string {
  return rawPath.replace(/\/{2,}/g, '/');
}

const seg = (value: string): string => encodeURIComponent(value);

/** The path of the bucket list and of bucket creation. */
export function bucketsPath(): string {
  return '/oss/v2/buckets';
}

/** The path of one bucket (DELETE), or of one of its sub-resources (`details`, `objects`). */
export function bucketPath(bucketKey: string, sub?: 'details' | 'objects'): string {
  return `/oss/v2/buckets/${seg(bucketKey)}${sub === undefined ? '' : `/${sub}`}`;
}

/**
 * The path of an object, or of one of its sub-resources. The object key is one path segment:
 * `/` is sent as `%2F`, as the SDK's `encodeURIComponent` does (aps-oss.md §5.3).
 */
export function objectPath(bucketKey: string, objectKey: string, sub?: 'details' | 'signeds3upload' | 'signeds3download'): string {
  return `/oss/v2/buckets/${seg(bucketKey)}/objects/${seg(objectKey)}${sub === undefined ? '' : `/${sub}`}`;
}
