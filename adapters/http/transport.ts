/**
 * The live adapter's HTTP transport (undici): one Agent per source address, a concurrency limit,
 * a request budget for the whole run, a timeout per attempt, and retries with exponential
 * backoff and full jitter for what is not the target's access control: connection errors,
 * timeouts, bodies cut short, 5xx, 429 and 503 (honouring `Retry-After`). What still fails after
 * the last attempt is a fault (`FaultInfo`), which the judge reports as inconclusive; a fault is
 * never an observation of the target's behaviour. Fault messages name the method and path only,
 * never a query string, header or body, and pass through the run's Redactor.
 */
import { Agent } from 'undici';
import type { FaultInfo } from '../../model/outcome.ts';
import type { TargetLimits } from './config.ts';
import type { Redactor } from './redact.ts';

/** One request to send. `url` is absolute; `sourceIp` binds the local side of the connection. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  sourceIp?: string;
}

/** A complete response. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What sending gave: a response (of any status the target chose), or a fault after the retries. */
export type SendOutcome =
  | { kind: 'response'; response: HttpResponse; attempts: number }
  | { kind: 'fault'; fault: FaultInfo; attempts: number };

/** Statuses that say the target could not decide now (overload, maintenance, a gateway's fault), not what it decides. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Faults after which the request surely did not reach the target's logic: the connection was
 * never made, or the target said it is throttling or unavailable (429, 503). Only these are
 * retried for a request that changes state, since repeating one that was applied would observe
 * a different answer (a second DELETE finds nothing).
 */
const UNSENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'THROTTLED', 'HTTP_503']);

/** Which faults a request is retried after: every fault, or only those after which it surely was not applied. */
export type RetryPolicy = 'all' | 'unsent';

/** The fault code when the run's request budget is spent. */
export const BUDGET_EXHAUSTED = 'BUDGET_EXHAUSTED';

/** Counters of a transport, for the report and the note. */
export interface TransportStats {
  /** HTTP attempts made (each retry counts). */
  requests: number;
  retries: number;
  faults: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/** Seconds or an HTTP date, as `Retry-After` carries them; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(bad url)';
  }
}

/** The transport of one run. */
export class Transport {
  readonly #limits: TargetLimits;
  readonly #redactor: Redactor;
  readonly #agents = new Map<string, Agent>();
  readonly #waiting: Array<() => void> = [];
  readonly #abort = new AbortController();
  #inFlight = 0;
  readonly stats: TransportStats = { requests: 0, retries: 0, faults: 0 };
  /** The random source of the jitter (tests replace it). */
  random: () => number = Math.random;

  readonly #sourceIpHeader: string | undefined;

  /**
   * `sourceIpHeader`: send a request's `sourceIp` in this header instead of binding it (an
   * emulator started with `--trust-source-ip-header`).
   */
  constructor(limits: TargetLimits, redactor: Redactor, options: { sourceIpHeader?: string } = {}) {
    this.#limits = limits;
    this.#redactor = redactor;
    this.#sourceIpHeader = options.sourceIpHeader;
  }

  /** Requests the budget still allows. */
  get remaining(): number {
    return Math.max(0, this.#limits.maxRequests - this.stats.requests);
  }

  #agent(sourceIp: string | undefined): Agent {
    const key = sourceIp ?? '';
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      agent = new Agent({
        connections: this.#limits.concurrency,
        headersTimeout: this.#limits.timeoutMs,
        bodyTimeout: this.#limits.timeoutMs,
        connect: { timeout: this.#limits.timeoutMs },
        ...(sourceIp === undefined ? {} : { localAddress: sourceIp }),
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  async #acquire(): Promise<void> {
    if (this.#inFlight < this.#limits.concurrency) {
      this.#inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inFlight++;
  }

  #release(): void {
    this.#inFlight--;
    this.#waiting.shift()?.();
  }

  #fault(code: string, message: string): FaultInfo {
    this.stats.faults++;
    return { code, message: this.#redactor.redact(message) };
  }

  /** One attempt: a complete response, or a thrown error (network, timeout, body cut short). */
  async #attempt(request: HttpRequest): Promise<HttpResponse> {
    const response = await this.#agent(request.sourceIp).request({
      origin: new URL(request.url).origin,
      path: new URL(request.url).pathname + new URL(request.url).search,
      method: request.method as 'GET',
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: this.#abort.signal,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const declared = headers['content-length'];
    if (declared !== undefined && request.method !== 'HEAD' && Number(declared) !== body.length) {
      throw Object.assign(new Error(`the body ended after ${body.length} of ${declared} bytes`), { code: 'BODY_CUT_SHORT' });
    }
    return { status: response.statusCode, headers, body };
  }

  /**
   * Sends `request`, retrying faults and retryable statuses within the limits. `build` is called
   * before every attempt, so that a signed request gets a fresh date and signature. Cleanup sends
   * with `outsideBudget`: removing what the run created must not fail because the run spent its
   * budget. `retry` defaults to `all` for GET and HEAD and `unsent` for the rest; a setup step that
   * tolerates being applied twice (PUT of a policy, DELETE during cleanup) may pass `all`.
   */
  async send(build: () => HttpRequest, options: { outsideBudget?: boolean; retry?: RetryPolicy } = {}): Promise<SendOutcome> {
    const { attempts: maxAttempts, baseBackoffMs, maxBackoffMs } = this.#limits;
    let policy: RetryPolicy | undefined = options.retry;
    let last: FaultInfo | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.#abort.signal.aborted) return { kind: 'fault', fault: this.#fault('ABORTED', 'the run was stopped'), attempts: attempt - 1 };
      if (!options.outsideBudget && this.stats.requests >= this.#limits.maxRequests) {
        return { kind: 'fault', fault: this.#fault(BUDGET_EXHAUSTED, `the run's budget of ${this.#limits.maxRequests} requests is spent (--max-requests)`), attempts: attempt - 1 };
      }
      let request = build();
      if (this.#sourceIpHeader !== undefined && request.sourceIp !== undefined) {
        const { sourceIp, ...rest } = request;
        request = { ...rest, headers: { ...request.headers, [this.#sourceIpHeader]: sourceIp } };
      }
      // GET and HEAD change nothing, so any fault is retried; a request that changes state is
      // retried only after faults that prove it was not applied, unless the caller knows better.
      policy ??= request.method === 'GET' || request.method === 'HEAD' ? 'all' : 'unsent';
      await this.#acquire();
      this.stats.requests++;
      let waitMs: number | undefined;
      try {
        const response = await this.#attempt(request);
        if (!RETRYABLE_STATUSES.has(response.status)) return { kind: 'response', response, attempts: attempt };
        last = { code: response.status === 429 ? 'THROTTLED' : `HTTP_${response.status}`, message: `${request.method} ${pathOf(request.url)}: status ${response.status} after ${attempt} attempt(s)` };
        waitMs = retryAfterMs(response.headers['retry-after']);
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as Error).name ?? 'ERROR';
        last = { code, message: `${request.method} ${pathOf(request.url)}: ${(error as Error).message} after ${attempt} attempt(s)` };
      } finally {
        this.#release();
      }
      if (policy === 'unsent' && !UNSENT_CODES.has(last!.code)) {
        return { kind: 'fault', fault: this.#fault(last!.code, `${last!.message}; not retried: the request may have been applied`), attempts: attempt };
      }
      if (attempt < maxAttempts) {
        this.stats.retries++;
        const backoff = this.random() * Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempt - 1));
        await sleep(Math.min(maxBackoffMs, Math.max(backoff, waitMs ?? 0)), this.#abort.signal);
      }
    }
    return { kind: 'fault', fault: this.#fault(last!.code, last!.message), attempts: maxAttempts };
  }

  /** Stops waiting retries (Ctrl-C): what is in flight ends as a fault. Cleanup uses a fresh transport. */
  abort(): void {
    this.#abort.abort();
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.all([...this.#agents.values()].map((a) => a.close()));
    this.#agents.clear();
  }
}
