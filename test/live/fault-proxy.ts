/**
 * A fault-injecting HTTP proxy for the live adapter's tests (loopback only): it forwards each
 * request to the emulator, or, with a seeded probability, drops the connection, delays the
 * answer, answers 500, 503 (with Retry-After) or 429 itself, or cuts the emulator's answer short.
 * Faults are decided before the request reaches the emulator (drop, 5xx, 429) or after (delay,
 * cut), so that both a request that did and one that did not change the emulator's state occur.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The faults the proxy injects. */
export const FAULTS = ['drop', 'delay', 'status-500', 'status-503', 'status-429', 'cut-short'] as const;
/** One fault. */
export type Fault = (typeof FAULTS)[number];

/** A running proxy. */
export interface FaultProxy {
  url: string;
  /** Faults injected so far, by kind, and requests forwarded untouched. */
  counts: Record<Fault | 'forwarded', number>;
  close(): Promise<void>;
}

/** A small seeded generator (mulberry32), so that a failing run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts a proxy to `upstream` (`http://127.0.0.1:PORT`) that injects a fault into `rate` of the requests. */
export async function startFaultProxy(upstream: string, options: { rate: number; seed: number; delayMs?: number; faults?: readonly Fault[] }): Promise<FaultProxy> {
  const next = random(options.seed);
  const faults = options.faults ?? FAULTS;
  const counts = Object.fromEntries([...FAULTS, 'forwarded'].map((k) => [k, 0])) as FaultProxy['counts'];
  const target = new URL(upstream);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault: Fault | undefined = next() < options.rate ? faults[Math.floor(next() * faults.length)] : undefined;
    if (fault === 'drop') {
      counts.drop++;
      req.socket.destroy();
      return;
    }
    if (fault === 'status-500' || fault === 'status-503' || fault === 'status-429') {
      counts[fault]++;
      req.resume();
      const status = Number(fault.slice(-3));
      res.writeHead(status, { 'content-type': 'text/plain', ...(status === 500 ? {} : { 'retry-after': '0' }) });
      res.end(`injected ${status}`);
      return;
    }
    if (fault === undefined) counts.forwarded++;
    else counts[fault]++;
    // The emulator must see the client's own source address (the adapter binds one of 127/8 to
    // exercise IP conditions), so the proxy connects from that address.
    const localAddress = req.socket.remoteAddress?.replace(/^::ffff:/, '');
    const upstreamReq = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, ...(localAddress ? { localAddress } : {}) }, (upstreamRes) => {
      const send = () => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        if (fault === 'cut-short') {
          // Half the body (at least one byte short of what Content-Length promises), then a reset.
          const chunks: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => chunks.push(c));
          upstreamRes.on('end', () => {
            const body = Buffer.concat(chunks);
            res.write(body.subarray(0, Math.max(0, Math.floor(body.length / 2) - 1)));
            res.socket?.destroy();
          });
          return;
        }
        upstreamRes.pipe(res);
      };
      if (fault === 'delay') setTimeout(send, options.delayMs ?? 200);
      else send();
    });
    upstreamReq.on('error', () => res.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
