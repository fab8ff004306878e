/**
 * The emulator's shared plumbing, with a small test dialect: body limits, the last-resort error
 * path, malformed and stalled connections, many connections at once, and a clean close.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import type { Dialect, DialectFactory, Exchange } from '../../emulator/types.ts';

function json(exchange: Exchange, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  exchange.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  exchange.res.end(body);
}

/** Routes: /echo (body size), /throw (a synchronous bug), /reject (an asynchronous bug), /whoami (source ip, request id, base url), /hold (answers on /release). */
const held: Array<() => void> = [];
const testDialect: DialectFactory = (): Dialect => ({
  vendor: 'aps-oss',
  async handle(exchange) {
    switch (exchange.rawPath) {
      case '/echo': {
        const body = await exchange.body();
        json(exchange, 200, { bytes: body.length, query: exchange.rawQuery });
        return;
      }
      case '/throw':
        throw new Error('a bug in the dialect');
      case '/reject':
        await Promise.resolve();
        throw new TypeError('an asynchronous bug');
      case '/whoami':
        json(exchange, 200, { sourceIp: exchange.sourceIp, requestId: exchange.requestId, baseUrl: exchange.baseUrl });
        return;
      case '/hold':
        await new Promise<void>((resolve) => held.push(resolve));
        json(exchange, 200, { held: true });
        return;
      default:
        json(exchange, 404, { reason: 'no route' });
    }
  },
  renderFault(exchange, fault) {
    json(exchange, fault.kind === 'body-too-large' ? 413 : 500, { fault: fault.kind, message: fault.message });
  },
});

/** Sends raw bytes and collects what comes back until the server closes the socket. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
    socket.write(bytes);
  });
}

describe('emulator server plumbing', () => {
  let emulator: RunningEmulator;
  const logged: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ vendor: 'aps-oss', dialect: testDialect, accounts: { accounts: [], apps: [] }, maxBodyBytes: 1024, headersTimeoutMs: 500, requestTimeoutMs: 1000, log: (l) => logged.push(l) });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('binds to loopback by default and names its address', async () => {
    expect(emulator.host).toBe('127.0.0.1');
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    const who = (await (await fetch(`${emulator.url}/whoami`)).json()) as { sourceIp: string; requestId: string; baseUrl: string };
    expect(who.sourceIp).toBe('127.0.0.1');
    expect(who.baseUrl).toBe(emulator.url);
    expect(who.requestId).toMatch(/^[0-9A-F]{24}$/);
    const again = (await (await fetch(`${emulator.url}/whoami`)).json()) as { requestId: string };
    expect(again.requestId).not.toBe(who.requestId);
  });

  it('reads a body within the limit, and refuses a larger one in the dialect format (declared or streamed)', async () => {
    const ok = await fetch(`${emulator.url}/echo?a=1`, { method: 'PUT', body: 'x'.repeat(1024) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ bytes: 1024, query: 'a=1' });

    const declared = await fetch(`${emulator.url}/echo`, { method: 'PUT', body: 'x'.repeat(1025) });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { fault: string }).fault).toBe('body-too-large');

    // No content-length: a chunked stream that grows past the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(400)));
        controller.close();
      },
    });
    const streamed = await fetch(`${emulator.url}/echo`, { method: 'PUT', body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('turns a bug of the dialect into a 500 in its format, logs it, and keeps serving', async () => {
    for (const path of ['/throw', '/reject']) {
      const res = await fetch(`${emulator.url}${path}`);
      expect(res.status).toBe(500);
      expect(((await res.json()) as { fault: string }).fault).toBe('internal');
    }
    expect(logged.some((l) => l.includes('a bug in the dialect'))).toBe(true);
    expect(logged.some((l) => l.includes('an asynchronous bug'))).toBe(true);
    expect((await fetch(`${emulator.url}/whoami`)).status).toBe(200);
  });

  it('answers a request that does not parse with a 400 and closes the socket', async () => {
    const reply = await raw(emulator.port, 'NOT AN HTTP REQUEST\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    const badHeader = await raw(emulator.port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n');
    expect(badHeader).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(`${emulator.url}/whoami`)).status).toBe(200);
  });

  it('closes a connection that never finishes its headers', async () => {
    // Half a request, then silence: the headers timeout (500 ms here) ends it with 408 or a close.
    const reply = await raw(emulator.port, 'GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(reply === '' || /^HTTP\/1\.1 408 /.test(reply)).toBe(true);
  });

  it('survives a client that drops the connection mid-body', async () => {
    await new Promise<void>((resolve) => {
      const socket: Socket = connect(emulator.port, '127.0.0.1', () => {
        socket.write('PUT /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\nabc');
        setTimeout(() => { socket.destroy(); resolve(); }, 20);
      });
    });
    expect((await fetch(`${emulator.url}/whoami`)).status).toBe(200);
  });

  it('holds 250 connections open at once and answers each', async () => {
    const n = 250;
    const sockets = await Promise.all(Array.from({ length: n }, () => new Promise<Socket>((resolve, reject) => {
      const s = connect(emulator.port, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    })));
    const replies = sockets.map((s) => new Promise<string>((resolve) => {
      let data = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        data += d;
        if (data.includes('"held":true')) { s.destroy(); resolve(data); }
      });
      s.on('close', () => resolve(data));
      s.write('GET /hold HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    }));
    // Every request is inside the dialect at the same time before any is answered.
    while (held.length < n) await new Promise((r) => setTimeout(r, 10));
    expect(held.length).toBe(n);
    for (const release of held.splice(0)) release();
    const all = await Promise.all(replies);
    expect(all.filter((r) => r.startsWith('HTTP/1.1 200 ')).length).toBe(n);
  });

  it('close() ends idle keep-alive connections and is safe to call twice', async () => {
    const other = await startEmulator({ vendor: 'aps-oss', dialect: testDialect, accounts: { accounts: [], apps: [] } });
    const socket = connect(other.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    await Promise.all([other.close(), other.close()]);
    await closed;
    expect(socket.destroyed).toBe(true);
    await expect(fetch(`${other.url}/whoami`)).rejects.toThrow();
  });
});

describe('the emulator-only source address header', () => {
  it('is honoured only by an emulator started to trust it, and an invalid address is refused', async () => {
    const trusting = await startEmulator({ vendor: 'aps-oss', dialect: testDialect, accounts: { accounts: [], apps: [] }, trustSourceIpHeader: true });
    const plain = await startEmulator({ vendor: 'aps-oss', dialect: testDialect, accounts: { accounts: [], apps: [] } });
    try {
      const who = async (e: RunningEmulator, value?: string) => {
        const res = await fetch(`${e.url}/whoami`, { headers: value === undefined ? {} : { 'x-bucket-conformance-source-ip': value } });
        return { status: res.status, body: res.status === 200 ? ((await res.json()) as { sourceIp: string }).sourceIp : await res.text() };
      };
      expect(await who(trusting, '203.0.113.9')).toEqual({ status: 200, body: '203.0.113.9' });
      expect(await who(trusting, '2001:db8::7')).toEqual({ status: 200, body: '2001:db8::7' });
      expect(await who(trusting)).toEqual({ status: 200, body: '127.0.0.1' });
      expect((await who(trusting, 'not-an-address')).status).toBe(400);
      expect(await who(plain, '203.0.113.9')).toEqual({ status: 200, body: '127.0.0.1' });
    } finally {
      await Promise.all([trusting.close(), plain.close()]);
    }
  });
});
