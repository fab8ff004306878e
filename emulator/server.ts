/**
 * The emulator's `node:http` server: one process-local state per server, one dialect per vendor.
 * It owns what every dialect shares: listening, timeouts for slow or broken connections, the
 * body limit, request ids, connection tracking for a clean close, and the last-resort error path
 * (a bug in a dialect becomes a 500 in the vendor's format, never a crashed process).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ConformanceError } from '../model/errors.ts';
import type { Vendor } from '../model/vendors.ts';
import { defaultAccounts, type EmulatorAccounts } from './accounts.ts';
import { dialectFactory } from './dialects.ts';
import { isIP } from 'node:net';
import { EmulatorFault, SOURCE_IP_HEADER, type Dialect, type DialectFactory, type Exchange } from './types.ts';

/** The default body limit: 8 MiB, far above any policy or ACL document and the test objects. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** How to start an emulator. */
export interface EmulatorOptions {
  vendor: Vendor;
  /** Default `127.0.0.1`: loopback unless told otherwise. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default: the documented default identities of the vendor (`defaultAccounts`). */
  accounts?: EmulatorAccounts;
  /** Bodies larger than this are refused with the vendor's error. Default `DEFAULT_MAX_BODY_BYTES`. */
  maxBodyBytes?: number;
  /** Milliseconds a client has to send its request headers (slowloris guard). Default 10 s. */
  headersTimeoutMs?: number;
  /** Milliseconds a client has to send its whole request. Default 30 s. */
  requestTimeoutMs?: number;
  /** The clock. Default the system clock. */
  now?: () => Date;
  /** Where the last-resort error path reports a dialect's bug. Default standard error. */
  log?: (line: string) => void;
  /** The dialect to serve instead of the vendor's own (the plumbing's tests use one). */
  dialect?: DialectFactory;
  /**
   * Take a request's source address from the emulator-only header `SOURCE_IP_HEADER` when it has
   * one (an invalid address is refused with 400). Off by default: the socket's address.
   */
  trustSourceIpHeader?: boolean;
}

/** A running emulator. */
export interface RunningEmulator {
  readonly vendor: Vendor;
  readonly host: string;
  readonly port: number;
  /** `http://HOST:PORT` (IPv6 hosts in brackets). */
  readonly url: string;
  readonly accounts: EmulatorAccounts;
  readonly dialect: Dialect;
  /** Stops listening, closes every connection, and resolves when the server is closed. Safe to call twice. */
  close(): Promise<void>;
}

function unwrapMapped(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

function splitTarget(url: string | undefined): { rawPath: string; rawQuery: string } {
  const target = url ?? '/';
  const q = target.indexOf('?');
  return q < 0 ? { rawPath: target, rawQuery: '' } : { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

function bodyReader(req: IncomingMessage, limit: number): () => Promise<Buffer> {
  let pending: Promise<Buffer> | undefined;
  return () => {
    pending ??= new Promise<Buffer>((resolve, reject) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        req.resume();
        reject(new EmulatorFault('body-too-large', `the body of ${declared} bytes exceeds the limit of ${limit} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      req.on('data', (chunk: Buffer) => {
        if (refused) return;
        size += chunk.length;
        if (size > limit) {
          refused = true;
          chunks.length = 0;
          reject(new EmulatorFault('body-too-large', `the body exceeds the limit of ${limit} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => { if (!refused) resolve(Buffer.concat(chunks, size)); });
      req.on('error', (error) => { if (!refused) reject(error); });
      req.on('aborted', () => { if (!refused) reject(new Error('the client aborted the request')); });
    });
    return pending;
  };
}

/** Starts an emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const accounts = options.accounts ?? defaultAccounts(options.vendor);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) throw new ConformanceError('CONFORMANCE_USAGE', `the body limit must be a non-negative integer, not \`${maxBodyBytes}\``);
  const dialect = (options.dialect ?? (await dialectFactory(options.vendor)))({ accounts, maxBodyBytes, now });
  let listenUrl = '';
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);

  const sockets = new Set<Socket>();
  const server: Server = createServer(
    // Node checks the two timeouts every connectionsCheckingInterval (30 s by default): check
    // often enough that a stalled client is cut close to its limit.
    { headersTimeout, requestTimeout, keepAliveTimeout: 5_000, connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 2))) },
    (req: IncomingMessage, res: ServerResponse) => {
      const { rawPath, rawQuery } = splitTarget(req.url);
      let sourceIp = unwrapMapped(req.socket.remoteAddress);
      if (options.trustSourceIpHeader) {
        const claimed = req.headers[SOURCE_IP_HEADER];
        if (claimed !== undefined) {
          if (typeof claimed !== 'string' || isIP(claimed) === 0) {
            res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' });
            res.end(`${SOURCE_IP_HEADER} must be one IPv4 or IPv6 address\n`);
            return;
          }
          sourceIp = claimed;
        }
      }
      const hostHeader = req.headers.host;
      const baseUrl = WILDCARD_HOSTS.has(host) && hostHeader !== undefined ? `http://${hostHeader}` : listenUrl;
      const exchange: Exchange = {
        req,
        res,
        rawPath,
        rawQuery,
        sourceIp,
        requestId: randomBytes(12).toString('hex').toUpperCase(),
        baseUrl,
        receivedAt: now(),
        body: bodyReader(req, maxBodyBytes),
      };
      const lastResort = (error: unknown): void => {
        const fault = error instanceof EmulatorFault ? error : new EmulatorFault('internal', 'the emulator failed to handle the request');
        if (!(error instanceof EmulatorFault)) log(`emulator: ${req.method} ${rawPath}: ${(error as Error)?.stack ?? String(error)}`);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        try {
          // An oversized body is refused without reading it all; the connection cannot be reused.
          if (fault.kind === 'body-too-large') res.setHeader('connection', 'close');
          dialect.renderFault(exchange, fault);
        } catch (renderError) {
          log(`emulator: rendering a fault failed: ${(renderError as Error)?.stack ?? String(renderError)}`);
          res.destroy();
        }
      };
      try {
        dialect.handle(exchange).catch(lastResort);
      } catch (error) {
        lastResort(error);
      }
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A request line or header block that does not parse, or a client that stalls: a plain 400 (or
  // 408) when the socket can still take it, otherwise the socket is closed. Never an exception.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && !socket.destroyed) {
      const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  listenUrl = `http://${hostForUrl(address.address)}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    vendor: options.vendor,
    host: address.address,
    port: address.port,
    url: listenUrl,
    accounts,
    dialect,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
