/**
 * Where an OSS request points: the bucket and object key, from the `Host` header and the path
 * (vendor notes alibaba-oss.md §5.2, §6 item 1), and the region the `Host` names.
 *
 * Rule for the ambiguity of an IP endpoint with `sldEnable` (§5.2 CONFLICT, §7 item 22): ali-oss
 * then names the bucket both in `Host` and in the path. When the `Host` names bucket B and the
 * path starts with `/B/`, the request is path-style (the bucket segment is dropped from the key);
 * otherwise the whole path is the key. So, in virtual-host style, a key that starts with its own
 * bucket's name and a `/` (`B/...` in bucket B) is read as path-style: the one case this rule
 * gets wrong, documented in README.md.
 */
import { DEFAULT_REGION } from '../../model/alibaba-oss/types.ts';

/** Where a request points. `bucket` absent: a service-level request; `key` absent: a bucket-level one. */
export interface OssLocation {
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  /** The region id the `Host` names (`cn-hangzhou` for `oss-cn-hangzhou`), or undefined. */
  readonly hostRegion: string | undefined;
  readonly style: 'virtual-host' | 'path';
}

const ALIYUN_SUFFIX = '.aliyuncs.com';
const LOCALHOST_SUFFIX = '.localhost';

/** The host name of a `Host` header value, port and IPv6 brackets removed, lower-cased. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(1, end);
  }
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/** The region id of an endpoint label: `oss-cn-hangzhou` and `oss-cn-hangzhou-internal` give `cn-hangzhou`. */
export function regionOfLabel(label: string): string | undefined {
  if (!label.startsWith('oss-')) return undefined;
  const region = label.slice(4).replace(/-internal$/, '');
  return region === '' ? undefined : region;
}

/**
 * The bucket and region a `Host` names: `<bucket>.<oss-region>.aliyuncs.com` (any port; an empty
 * bucket label, `.oss-cn-hangzhou.aliyuncs.com`, is the service-level form ali-oss sends for
 * ListBuckets, §5.2), `<oss-region>.aliyuncs.com`, or `<bucket>.localhost` (ali-oss's default
 * addressing with a `localhost` endpoint). Any other host names no bucket.
 */
export function hostTarget(host: string | undefined): { bucket: string | undefined; region: string | undefined } {
  if (host === undefined) return { bucket: undefined, region: undefined };
  const name = hostName(host);
  if (name.endsWith(ALIYUN_SUFFIX)) {
    const labels = name.slice(0, -ALIYUN_SUFFIX.length).split('.');
    if (labels.length === 1) return { bucket: undefined, region: regionOfLabel(labels[0] as string) };
    const bucket = labels[0] as string;
    return { bucket: bucket === '' ? undefined : bucket, region: regionOfLabel(labels[1] as string) };
  }
  if (name.endsWith(LOCALHOST_SUFFIX)) {
    const bucket = name.slice(0, -LOCALHOST_SUFFIX.length);
    if (bucket !== '' && !bucket.includes('.')) return { bucket, region: undefined };
  }
  return { bucket: undefined, region: undefined };
}

/** Why a request target cannot be located. */
export interface LocationError {
  readonly error: string;
}

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Locates a request from its `Host` header and raw path (not decoded). */
export function locate(host: string | undefined, rawPath: string): OssLocation | LocationError {
  if (!rawPath.startsWith('/')) return { error: `the request target \`${rawPath.slice(0, 64)}\` is not an absolute path` };
  const target = hostTarget(host);
  let bucket: string | undefined;
  let rawKey: string;
  let style: OssLocation['style'];
  if (target.bucket !== undefined && !rawPath.startsWith(`/${target.bucket}/`)) {
    bucket = target.bucket;
    rawKey = rawPath.slice(1);
    style = 'virtual-host';
  } else if (target.bucket !== undefined) {
    // The documented rule for IP endpoint + sldEnable: the bucket is in both places (§5.2 CONFLICT).
    bucket = target.bucket;
    rawKey = rawPath.slice(target.bucket.length + 2);
    style = 'path';
  } else {
    const rest = rawPath.slice(1);
    const slash = rest.indexOf('/');
    const rawBucket = slash < 0 ? rest : rest.slice(0, slash);
    rawKey = slash < 0 ? '' : rest.slice(slash + 1);
    if (rawBucket !== '') {
      bucket = decode(rawBucket);
      if (bucket === undefined) return { error: 'the bucket name in the path is not validly percent-encoded' };
    }
    style = 'path';
  }
  const key = decode(rawKey);
  if (key === undefined) return { error: 'the object name in the path is not validly percent-encoded' };
  return { bucket, key: key === '' || bucket === undefined ? undefined : key, hostRegion: target.region, style };
}

/** The region a request is about: the one its `Host` names, else the V4 scope's, else the default. */
export function requestRegion(location: OssLocation, scopeRegion?: string): string {
  return location.hostRegion ?? scopeRegion ?? DEFAULT_REGION;
}
