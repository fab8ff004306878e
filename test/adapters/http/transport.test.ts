/**
 * The live adapter's transport against a loopback server that misbehaves on purpose: retries of
 * 5xx, 429 and resets, bodies cut short, timeouts, the budget, the concurrency limit, the source
 * address, and fault messages that never carry a credential.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type TargetLimits } from '../../../adapters/http/config.ts';
import { Redactor } from '../../../adapters/http/redact.ts';
import { BUDGET_EXHAUSTED, retryAfterMs, Transport } from '../../../adapters/http/transport.ts';

/** Per path: the behaviour of each successive request (the last one repeats). */
const scripts = new Map<string, Array<(req: IncomingMessage, res: ServerResponse) => void>>();
const hits = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;
const peers: string[] = [];

const ok = (body = 'ok') => (_req: IncomingMessage, res: ServerResponse) => { res.writeHead(200, { 'content-length': Buffer.byteLength(body) }); res.end(body); };
const status = (code: number, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => { res.writeHead(code, { ...headers, 'content-length': 0 }); res.end(); };
const reset = () => (req: IncomingMessage) => { req.socket.destroy(); };
const cutShort = () => (_req: IncomingMessage, res: ServerResponse) => { res.writeHead(200, { 'content-length': 100 }); res.write('only part'); setTimeout(() => res.socket?.destroy(), 5); };
const slow = (ms: number) => (_req: IncomingMessage, res: ServerResponse) => { setTimeout(() => { if (!res.destroyed) ok()(_req, res); }, ms); };

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    peers.push(req.socket.remoteAddress ?? '');
    const n = hits.get(path) ?? 0;
    hits.set(path, n + 1);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const script = scripts.get(path) ?? [ok()];
    script[Math.min(n, script.length - 1)]!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function transport(limits: Partial<TargetLimits> = {}, redactor = new Redactor()): Transport {
  const t = new Transport({ ...DEFAULT_LIMITS, baseBackoffMs: 1, maxBackoffMs: 5, timeoutMs: 2_000, ...limits }, redactor);
  t.random = () => 0.5;
  return t;
}

const get = (path: string) => () => ({ method: 'GET', url: `${base}${path}`, headers: {} });

describe('transport', () => {
  it('returns any status the target chose without retrying it, 403 included', async () => {
    scripts.set('/denied', [status(403)]);
    const t = transport();
    const out = await t.send(get('/denied'));
    expect(out).toMatchObject({ kind: 'response', attempts: 1, response: { status: 403 } });
    expect(hits.get('/denied')).toBe(1);
    await t.close();
  });

  it('retries 503, 429, 500 and resets, and returns the answer that finally comes', async () => {
    scripts.set('/flaky', [status(503, { 'retry-after': '0' }), status(429), reset(), status(500), ok('finally')]);
    const t = transport({ attempts: 5 });
    const out = await t.send(get('/flaky'));
    expect(out.kind).toBe('response');
    if (out.kind === 'response') expect(out.response.body.toString()).toBe('finally');
    expect(out.attempts).toBe(5);
    expect(t.stats).toMatchObject({ requests: 5, retries: 4, faults: 0 });
    await t.close();
  });

  it('gives a fault, not a response, when the faults outlast the attempts', async () => {
    scripts.set('/down', [status(503)]);
    scripts.set('/reset', [reset()]);
    scripts.set('/short', [cutShort()]);
    const t = transport({ attempts: 3 });
    const down = await t.send(get('/down'));
    expect(down).toMatchObject({ kind: 'fault', attempts: 3, fault: { code: 'HTTP_503' } });
    const gone = await t.send(get('/reset'));
    expect(gone.kind).toBe('fault');
    const short = await t.send(get('/short'));
    expect(short.kind).toBe('fault');
    expect(hits.get('/short')).toBe(3);
    await t.close();
  });

  it('retries a request that changes state only after faults that prove it was not applied', async () => {
    scripts.set('/delete-reset', [reset(), ok()]);
    scripts.set('/delete-503', [status(503), ok('second')]);
    scripts.set('/delete-500', [status(500), ok()]);
    const t = transport({ attempts: 3 });
    const del = (path: string) => () => ({ method: 'DELETE', url: `${base}${path}`, headers: {} });
    const afterReset = await t.send(del('/delete-reset'));
    expect(afterReset).toMatchObject({ kind: 'fault', attempts: 1 });
    expect(afterReset.kind === 'fault' && afterReset.fault.message).toContain('not retried: the request may have been applied');
    expect((await t.send(del('/delete-500'))).kind).toBe('fault');
    expect(hits.get('/delete-500')).toBe(1);
    // 503 says the target did not take the request: retried.
    expect((await t.send(del('/delete-503'))).kind).toBe('response');
    expect(hits.get('/delete-503')).toBe(2);
    // A caller that knows the step is safe to repeat asks for every fault to be retried.
    scripts.set('/put-reset', [reset(), ok()]);
    expect((await t.send(() => ({ method: 'PUT', url: `${base}/put-reset`, headers: {} }), { retry: 'all' })).kind).toBe('response');
    await t.close();
  });

  it('times out an attempt that does not answer and retries it', async () => {
    scripts.set('/slow', [slow(1_000), ok('fast now')]);
    const t = transport({ timeoutMs: 100, attempts: 2 });
    const out = await t.send(get('/slow'));
    expect(out.kind).toBe('response');
    expect(hits.get('/slow')).toBe(2);
    await t.close();
  });

  it('stops at the budget with a BUDGET_EXHAUSTED fault, except for cleanup', async () => {
    scripts.set('/budget', [ok()]);
    const t = transport({ maxRequests: 2 });
    expect((await t.send(get('/budget'))).kind).toBe('response');
    expect((await t.send(get('/budget'))).kind).toBe('response');
    const third = await t.send(get('/budget'));
    expect(third).toMatchObject({ kind: 'fault', fault: { code: BUDGET_EXHAUSTED } });
    expect(hits.get('/budget')).toBe(2);
    expect((await t.send(get('/budget'), { outsideBudget: true })).kind).toBe('response');
    await t.close();
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    scripts.set('/wait', [slow(30)]);
    maxInFlight = 0;
    const t = transport({ concurrency: 3 });
    const all = await Promise.all(Array.from({ length: 12 }, () => t.send(get('/wait'))));
    expect(all.every((o) => o.kind === 'response')).toBe(true);
    expect(maxInFlight).toBe(3);
    await t.close();
  });

  it('binds the source address it is given', async () => {
    scripts.set('/who', [ok()]);
    const t = transport();
    peers.length = 0;
    await t.send(() => ({ method: 'GET', url: `${base}/who`, headers: {}, sourceIp: '127.0.0.42' }));
    await t.send(() => ({ method: 'GET', url: `${base}/who`, headers: {}, sourceIp: '127.3.2.1' }));
    expect(peers).toEqual(['127.0.0.42', '127.3.2.1']);
    await t.close();
  });

  it('builds every attempt afresh, and names no query, header or secret in a fault', async () => {
    scripts.set('/signed', [status(503)]);
    const redactor = new Redactor();
    redactor.add('very-secret-key');
    const t = transport({ attempts: 2 }, redactor);
    let builds = 0;
    const out = await t.send(() => {
      builds++;
      return { method: 'GET', url: `${base}/signed?Signature=abc123&OSSAccessKeyId=AK`, headers: { authorization: 'OSS AK:very-secret-key' } };
    });
    expect(builds).toBe(2);
    expect(out.kind === 'fault' && out.fault.message).toBe('GET /signed: status 503 after 2 attempt(s)');
    await t.close();
  });

  it('reads Retry-After in seconds and as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('redactor', () => {
  it('hides registered secrets, credential query parameters and Authorization values', () => {
    const r = new Redactor();
    r.add('s3cr3t-value');
    r.add('abc'); // too short to hide
    expect(r.redact('key s3cr3t-value and s3cr3t-value')).toBe('key [redacted] and [redacted]');
    expect(r.redact('GET /o?Signature=xyz&Expires=1&x-oss-security-token=tok')).toBe('GET /o?Signature=[redacted]&Expires=1&x-oss-security-token=[redacted]');
    expect(r.redact('authorization: OSS AKID1234:c2lnbmF0dXJl')).toBe('authorization: OSS [redacted]');
    expect(r.redact('Bearer eyJhbGciOiJIUzI1NiJ9.payload')).toBe('Bearer [redacted]');
    expect(r.leaks('a s3cr3t-value b')).toEqual(['s3cr3t-value']);
    expect(r.size).toBe(1);
  });
});

describe('transport in header mode', () => {
  it('sends the source address in the emulator-only header instead of binding it', async () => {
    scripts.set('/header', [(req, res) => { const v = req.headers['x-bucket-conformance-source-ip']; res.writeHead(200, { 'content-length': Buffer.byteLength(String(v)) }); res.end(String(v)); }]);
    const t = new Transport({ ...DEFAULT_LIMITS }, new Redactor(), { sourceIpHeader: 'x-bucket-conformance-source-ip' });
    peers.length = 0;
    const out = await t.send(() => ({ method: 'GET', url: `${base}/header`, headers: {}, sourceIp: '2001:db8::5' }));
    expect(out.kind === 'response' && out.response.body.toString()).toBe('2001:db8::5');
    expect(peers).toEqual(['127.0.0.1']);
    await t.close();
  });
});
