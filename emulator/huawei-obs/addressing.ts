/**
 * Which bucket and object a request names, from its `Host` header and path (vendor notes §7 item
 * 1, §8.2): path style (`Host` is the server, `/bucket/key`) or virtual-host style
 * (`Host: bucket.<server>`, `/key`). The rule is in README.md.
 */

/** Where a request points. */
export interface ObsAddress {
  /** The bucket, if the request names one. */
  bucket?: string;
  /** The object key, decoded, if the request names one. */
  key?: string;
  /** Set in virtual-host style: the bucket taken from `Host`, which the canonical resource puts before the path (§6.3). */
  virtualHostBucket?: string;
}

/** A path that does not decode. */
export interface ObsAddressError {
  kind: 'bad-path';
  message: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The host name of a `Host` header: port and IPv6 brackets removed, case kept (the SDK signs the bucket as it wrote it). */
export function hostName(hostHeader: string | undefined): string {
  if (hostHeader === undefined) return '';
  const host = hostHeader.trim();
  if (host.startsWith('[')) return host.slice(1, Math.max(1, host.indexOf(']')));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

/**
 * The bucket a `Host` names in virtual-host style, or undefined for path style. An IP address,
 * `localhost` or a name whose first label is `obs` (`obs.test`, `obs.cn-north-4.myhuaweicloud.com`,
 * the form of every OBS endpoint) is the server itself. `<bucket>.obs.<rest>` names `<bucket>`
 * (the labels before the first `obs` label after the first), and `<bucket>.localhost` names
 * `<bucket>`. Any other name is the server itself (path style).
 */
export function virtualHostBucket(host: string): string | undefined {
  const lower = host.toLowerCase();
  if (host === '' || IPV4.test(host) || host.includes(':') || lower === 'localhost') return undefined;
  const labels = host.split('.');
  for (let i = 1; i < labels.length; i++) {
    if (labels[i]!.toLowerCase() === 'obs' && i < labels.length - 1) return labels.slice(0, i).join('.');
  }
  if (lower.endsWith('.localhost')) return host.slice(0, -'.localhost'.length);
  return undefined;
}

function decode(segment: string): string {
  return decodeURIComponent(segment);
}

/** Resolves a request's bucket and key from its `Host` header and raw path. */
export function resolveAddress(hostHeader: string | undefined, rawPath: string): ObsAddress | ObsAddressError {
  const vhost = virtualHostBucket(hostName(hostHeader));
  try {
    if (vhost !== undefined) {
      const rest = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
      return rest === '' ? { bucket: vhost, virtualHostBucket: vhost } : { bucket: vhost, key: decode(rest), virtualHostBucket: vhost };
    }
    const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
    if (path === '') return {};
    const slash = path.indexOf('/');
    if (slash < 0) return { bucket: decode(path) };
    const bucket = decode(path.slice(0, slash));
    const key = path.slice(slash + 1);
    return key === '' ? { bucket } : { bucket, key: decode(key) };
  } catch {
    return { kind: 'bad-path', message: `the path \`${rawPath.slice(0, 80)}\` is not validly percent-encoded` };
  }
}
