/**
 * The Alibaba Cloud OSS dialect of the emulator: locates the bucket and key (virtual-host and
 * path style, vendor notes alibaba-oss.md §5.2), verifies V1 and V4 signatures in the
 * Authorization header (§4.3, §4.4) or in a presigned URL's query (§5.3),
 * routes to the operations of `operations.ts`, and renders refusals in the OSS error format
 * (§4.2). Access decisions are the reference evaluator's. See README.md in this folder.
 */
import { createAliEvaluator } from '../../adapters/reference/alibaba-oss/index.ts';
import { DEFAULT_REGION } from '../../model/alibaba-oss/types.ts';
import { parseQuery, V1_SIGNED_SUBRESOURCES, type SigningHeaders } from '../../adapters/http/alibaba-oss/signing.ts';
import { defaultAccountsFile, keyIndex } from '../accounts.ts';
import { SOURCE_VPC_HEADER, type Dialect, type DialectFactory, type DialectOptions, type EmulatorFault, type Exchange } from '../types.ts';
import { hostTarget, locate, requestRegion } from './addressing.ts';
import { authenticate } from './auth.ts';
import * as ops from './operations.ts';
import { OssFailure, sendFailure } from './replies.ts';
import { OssStore } from './store.ts';

// Query parameters that are sub-resources for signing but parameters of an operation, not routes.
const PARAMETER_SUBRESOURCES: ReadonlySet<string> = new Set([
  'continuation-token', 'security-token',
  'response-content-type', 'response-content-language', 'response-expires', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding',
]);

type Level = 'service' | 'bucket' | 'object';

// Routes: `<level> <METHOD> <sub-resources joined by &>` (§5.2: `?policy=` is `?policy`, §6 item 6).
const ROUTES: ReadonlyMap<string, ops.OssOperation> = new Map([
  ['service GET ', ops.listBuckets],
  ['bucket PUT ', ops.putBucket],
  ['bucket DELETE ', ops.deleteBucket],
  ['bucket GET ', ops.listObjects],
  ['bucket GET versions', ops.listObjectVersions],
  ['bucket GET bucketInfo', ops.getBucketInfo],
  ['bucket GET location', ops.getBucketLocation],
  ['bucket PUT acl', ops.putBucketAcl],
  ['bucket GET acl', ops.getBucketAcl],
  ['bucket PUT policy', ops.putBucketPolicy],
  ['bucket GET policy', ops.getBucketPolicy],
  ['bucket DELETE policy', ops.deleteBucketPolicy],
  ['object PUT ', ops.putObject],
  ['object GET ', ops.getObject],
  ['object HEAD ', ops.headObject],
  ['object HEAD objectMeta', ops.headObject],
  ['object DELETE ', ops.deleteObject],
  ['object PUT acl', ops.putObjectAcl],
  ['object GET acl', ops.getObjectAcl],
  ['bucket POST delete', ops.deleteMultipleObjects],
  ['object POST uploads', ops.initiateMultipartUpload],
  ['object PUT partNumber&uploadId', ops.uploadPart],
  ['object POST uploadId', ops.completeMultipartUpload],
  ['object DELETE uploadId', ops.abortMultipartUpload],
]);

const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'DELETE', 'HEAD', 'POST']);

/** The operation of a request, or the refusal of an unknown route: 405 for a method, 501 for a sub-resource. */
function route(method: string, level: Level, names: readonly string[]): ops.OssOperation {
  const subresources = [...new Set(names.filter((n) => V1_SIGNED_SUBRESOURCES.has(n) && !PARAMETER_SUBRESOURCES.has(n)))].sort();
  const operation = ROUTES.get(`${level} ${method} ${subresources.join('&')}`);
  if (operation !== undefined) return operation;
  if (KNOWN_METHODS.has(method) && subresources.length > 0) {
    throw new OssFailure(501, 'NotImplemented', `The ${method} ${level} operation with sub-resource \`${subresources.join('&')}\` is not implemented by this emulator.`);
  }
  throw new OssFailure(405, 'MethodNotAllowed', `The specified method is not allowed against this resource.`, { extra: { Method: method, ResourceType: level === 'service' ? 'Service' : level === 'bucket' ? 'Bucket' : 'Object' } });
}

// Node hands header values over as latin1; signatures are computed over their UTF-8 text.
function signingHeaders(exchange: Exchange): SigningHeaders {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(exchange.req.headers)) {
    if (value === undefined) continue;
    const utf8 = (v: string): string => (/[^\x00-\x7f]/.test(v) ? Buffer.from(v, 'latin1').toString('utf8') : v);
    out[name] = Array.isArray(value) ? value.map(utf8) : utf8(value);
  }
  return out;
}

function hostIdOf(bucket: string | undefined, region: string): string {
  return bucket === undefined ? `oss-${region}.aliyuncs.com` : `${bucket}.oss-${region}.aliyuncs.com`;
}

/** Builds the OSS dialect: one store and one evaluator per emulator. */
export const createAliDialect: DialectFactory = (options: DialectOptions): Dialect => {
  const store = new OssStore();
  const evaluator = createAliEvaluator();
  // With the emulator-only administrator key, when the accounts have one (README "The administrator key").
  const keys = keyIndex(options.accounts, { admin: true });

  async function serve(exchange: Exchange, setHost: (hostId: string) => void): Promise<void> {
    const req = exchange.req;
    const method = req.method ?? 'GET';
    const query = parseQuery(exchange.rawQuery);
    if (query === undefined) throw new OssFailure(400, 'InvalidArgument', 'The query string is not validly percent-encoded.', { extra: { ArgumentName: 'query', ArgumentValue: exchange.rawQuery.slice(0, 256) } });
    const location = locate(req.headers.host, exchange.rawPath);
    if ('error' in location) throw new OssFailure(400, 'InvalidURI', `Could not parse the specified URI: ${location.error}.`, { extra: { URI: exchange.rawPath.slice(0, 256) } });
    setHost(hostIdOf(location.bucket, requestRegion(location)));
    // The body is read before anything else, so that a refused request leaves the connection reusable.
    const body = await exchange.body();
    const identity = authenticate({
      method,
      headers: signingHeaders(exchange),
      bucket: location.bucket,
      key: location.key,
      query,
      now: exchange.receivedAt,
      keys,
    });
    const level: Level = location.bucket === undefined ? 'service' : location.key === undefined ? 'bucket' : 'object';
    const operation = route(method, level, query.map(([name]) => name));
    const region = requestRegion(location, identity.kind === 'anonymous' ? undefined : identity.scopeRegion);
    operation({ exchange, identity, bucketName: location.bucket, key: location.key, query, region, body, store, evaluator });
  }

  return {
    vendor: 'alibaba-oss',
    async handle(exchange: Exchange): Promise<void> {
      let hostId = hostIdOf(undefined, DEFAULT_REGION);
      try {
        await serve(exchange, (h) => {
          hostId = h;
        });
      } catch (error) {
        if (error instanceof OssFailure) {
          sendFailure(exchange, error, hostId);
          return;
        }
        // An oversized body (EmulatorFault) and bugs go to the server's last-resort path, which calls renderFault.
        throw error;
      }
    },
    renderFault(exchange: Exchange, fault: EmulatorFault): void {
      const target = hostTarget(exchange.req.headers.host);
      const hostId = hostIdOf(target.bucket, target.region ?? DEFAULT_REGION);
      const failure = fault.kind === 'body-too-large'
        ? new OssFailure(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', { extra: { MaxSizeAllowed: String(options.maxBodyBytes) } })
        : new OssFailure(500, 'InternalError', 'We encountered an internal error. Please try again.');
      sendFailure(exchange, failure, hostId);
    },
    describe(baseUrl: string): string[] {
      const port = new URL(baseUrl).port;
      return [
        `alibaba-oss: default keys in ${defaultAccountsFile('alibaba-oss')}; ali-oss: {endpoint: '${baseUrl}'} (bucket from the Host the SDK writes)`,
        `  or {endpoint: 'http://localhost:${port}', sldEnable: true} (path style); header ${SOURCE_VPC_HEADER} sets acs:SourceVpc`,
      ];
    },
  };
};
