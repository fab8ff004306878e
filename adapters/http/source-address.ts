/**
 * The source address of a `sourceIp: known` target whose file does not write it (issue #7 item 2:
 * on a real endpoint "the adapter discovers its own address and the generators build conditions
 * around it"). Discovered once, when the adapter starts, in one of two ways:
 *
 * - `discover: local` (the default): the local address of a TCP connection to the endpoint's host
 *   and port, which is what the endpoint sees when nothing translates it (the emulator, a gateway
 *   on the same network or in the same VPC). Behind NAT the endpoint sees another address, which
 *   only the file can give (`address`).
 * - `discover: <http(s) URL>`: the body of a GET of that URL, which must be one IP address (a
 *   what-is-my-address service, as the internet sees this machine).
 *
 * A discovery that fails is not a configuration error: it is logged, and the run goes on without
 * an address, so that the clients do not claim `request.source-ip` and the rules needing it are
 * skipped, naming it.
 */
import { connect, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { request } from 'undici';
import type { TargetConfig } from './config.ts';

/** The default way of discovering: the local address of a connection to the endpoint. */
export const LOCAL_DISCOVERY = 'local';

/** The longest answer a discovery URL may give (one address and some white space). */
const MAX_ANSWER_BYTES = 1024;

/**
 * Ranges whose addresses a host on the internet never sees as a client's: a client with one
 * reaches a public host through NAT.
 */
const NON_PUBLIC_RANGES: ReadonlySet<string> = new Set(['private', 'loopback', 'linkLocal', 'uniqueLocal', 'carrierGradeNat', 'unspecified']);

/** Host names that are not on the internet (RFC 6761, RFC 6762, RFC 8375 and common private suffixes). */
const PRIVATE_NAME = /(^localhost$|\.localhost$|\.local$|\.internal$|\.lan$|\.home\.arpa$|\.intranet$|\.corp$)/i;

/**
 * `text` as one IP address in its usual form (`::ffff:a.b.c.d` becomes `a.b.c.d`, v6 compact), or
 * undefined when it is not exactly one address (v4 only in four-part decimal: `127.1` and
 * `0x7f000001` are refused).
 */
export function parseSourceAddress(text: string): string | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  if (!ipaddr.IPv6.isValid(text) && !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  return ipaddr.process(text).toString();
}

/** The host and port of an endpoint (`https://h` is port 443), the host without the brackets of a v6 address. */
export function hostAndPort(endpoint: string): { host: string; port: number } {
  const url = new URL(endpoint);
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/**
 * Whether a client with `address` that reaches `host` likely goes through NAT: its address is
 * private, loopback or link-local while the host is a public name or address.
 */
export function natLikely(address: string, host: string): boolean {
  if (!NON_PUBLIC_RANGES.has(ipaddr.process(address).range())) return false;
  if (isIP(host) !== 0) return ipaddr.process(host).range() === 'unicast';
  return host.includes('.') && !PRIVATE_NAME.test(host);
}

/**
 * The local address of a TCP connection to `host:port` (plain TCP, even for an https endpoint: no
 * byte is sent), closed at once. Rejects on a connection error or after `timeoutMs`.
 */
export function localAddressTowards(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      const address = socket.localAddress;
      socket.destroy();
      if (address === undefined) reject(new Error('the connection has no local address'));
      else resolve(address);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

/** The answer of a GET of `url` (status 2xx, at most `MAX_ANSWER_BYTES`), as text. */
export async function answerOf(url: string, timeoutMs: number): Promise<string> {
  const response = await request(url, {
    method: 'GET',
    headers: { accept: 'text/plain', 'user-agent': 'bucket-conformance (source address)' },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  if (response.statusCode < 200 || response.statusCode >= 300) {
    await response.body.dump();
    throw new Error(`status ${response.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_ANSWER_BYTES) {
      response.body.destroy();
      throw new Error(`the answer is longer than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A URL as log lines name it: its origin and path, never its query. */
function shown(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/**
 * `config` with `knownSourceIp` set, when its mode is `known`, it has no address, and discovery
 * (`config.discoverSourceIp`, `local` by default) finds one; otherwise `config` unchanged, with
 * the reason logged. Every other mode is returned as it is, without a connection.
 */
export async function withDiscoveredSourceIp(config: TargetConfig, log: (line: string) => void): Promise<TargetConfig> {
  if (config.sourceIp !== 'known' || config.knownSourceIp !== undefined) return config;
  const how = config.discoverSourceIp ?? LOCAL_DISCOVERY;
  const timeoutMs = config.limits.timeoutMs;
  const off = 'conditions on the source address are not exercised (request.source-ip is not claimed); set sourceIp.address to exercise them';
  if (how === LOCAL_DISCOVERY) {
    const { host, port } = hostAndPort(config.endpoint);
    let address: string | undefined;
    try {
      address = parseSourceAddress(await localAddressTowards(host, port, timeoutMs));
    } catch (error) {
      log(`source address not discovered: no connection to ${host}:${port}: ${(error as { code?: string }).code ?? (error as Error).message}; ${off}`);
      return config;
    }
    if (address === undefined) {
      log(`source address not discovered: the connection to ${host}:${port} has no usable local address; ${off}`);
      return config;
    }
    const nat = natLikely(address, host) ? '; a private address towards a public host: NAT is likely' : '';
    log(`source address ${address} (the local address of a connection to ${host}${nat}); if the endpoint sees another (NAT), set sourceIp.address`);
    return { ...config, knownSourceIp: address };
  }
  let answer: string;
  try {
    answer = await answerOf(how, timeoutMs);
  } catch (error) {
    log(`source address not discovered: GET ${shown(how)}: ${(error as { code?: string }).code ?? (error as Error).message}; ${off}`);
    return config;
  }
  const address = parseSourceAddress(answer.trim());
  if (address === undefined) {
    const excerpt = JSON.stringify(answer.trim().slice(0, 40));
    log(`source address not discovered: the answer of ${shown(how)} is not one IP address (${excerpt}); ${off}`);
    return config;
  }
  log(`source address ${address} (as ${shown(how)} sees it); if the endpoint sees another, set sourceIp.address`);
  return { ...config, knownSourceIp: address };
}
