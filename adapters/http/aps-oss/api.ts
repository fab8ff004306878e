/**
 * The APS OSS v2 API as the live adapter calls it: two-legged tokens per app (cached until shortly
 * before they expire, registered with the run's redactor), bearer-authenticated calls of the OSS
 * routes, and the unauthenticated transfers to signed URLs. Vendor notes: aps-oss.md §1, §3, §5.
 * Nothing here decides what a reply means; the client does.
 */
import type { FaultInfo } from '../../../model/outcome.ts';
import type { ResolvedIdentity } from '../config.ts';
import type { RetryPolicy } from '../transport.ts';
import type { HttpRun } from '../types.ts';
import { APS_ROUTE_SCOPES, APS_TOKEN_PATH, basicAuthorization, tokenRequestBody } from './wire.ts';

/** What a call gave: the target's reply (any status), or a fault after the transport's retries. */
export type ApsReply =
  | { kind: 'reply'; status: number; headers: Record<string, string>; body: unknown }
  | { kind: 'fault'; fault: FaultInfo };

/** How a call is sent. */
export interface CallOptions {
  /** Removing what the run created is sent outside the request budget (see `Transport.send`). */
  outsideBudget?: boolean;
  /** Which faults are retried (see `Transport.send`): by default every fault of a GET, only unsent requests otherwise. */
  retry?: RetryPolicy;
}

/** One OSS call: method, path (from `wire.ts`), query and JSON body. */
export interface ApsCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
}

/**
 * The scopes every token asks for: each scope some route the client calls accepts (aps-oss.md §1,
 * the OpenAPI `security`). Asking for all of them lets one token per app do everything, and a
 * target that reads the scopes as "all required" (§3) is satisfied as well.
 */
export const TOKEN_SCOPES: readonly string[] = [...new Set(Object.values(APS_ROUTE_SCOPES).flat())];

/** How long before its expiry a token is replaced: 10% of its life, between 5 s and 60 s. */
function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.max(5_000, lifetimeMs / 10));
}

const USER_AGENT = 'bucket-conformance (aps-oss)';

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return body.toString('utf8');
  }
}

/** The words of an APS error body: `reason` (§4), or the gateway's `developerMessage` and `errorCode` (§3). */
export function reasonOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 300);
  if (typeof body !== 'object' || body === null) return undefined;
  const o = body as Record<string, unknown>;
  if (typeof o.reason === 'string') return o.reason;
  const parts = [o.errorCode, o.developerMessage].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/**
 * What asking for a token gave: a token, or a fault. `refusal` is set when the token endpoint
 * answered and refused (its status, and the `errorCode` or OAuth `error` of the body), as opposed
 * to a fault on the way (probe.ts reads the difference).
 */
export type TokenOutcome =
  | { kind: 'token'; token: string }
  | { kind: 'fault'; fault: FaultInfo; refusal?: { status: number; code?: string } };

/** The error code of a token endpoint's answer: the gateway's `errorCode` (`AUTH-001`) or the OAuth `error` (`invalid_client`). */
function tokenErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const o = body as Record<string, unknown>;
  const code = typeof o.errorCode === 'string' ? o.errorCode : o.error;
  return typeof code === 'string' && code !== '' ? code.slice(0, 64) : undefined;
}

interface CachedToken {
  token: string;
  /** Milliseconds since the epoch after which it is not used any more. */
  renewAt: number;
}

/** The API of one run. */
export class ApsApi {
  readonly #run: HttpRun;
  readonly #tokens = new Map<string, CachedToken>();
  readonly #pending = new Map<string, Promise<TokenOutcome>>();
  /** The clock (tests replace it). */
  now: () => number = Date.now;

  constructor(run: HttpRun) {
    this.#run = run;
  }

  /** A token of `app`: the cached one, or a new one from the token endpoint (aps-oss.md §3). */
  token(app: ResolvedIdentity, options: CallOptions = {}): Promise<TokenOutcome> {
    const id = app.clientId!;
    const cached = this.#tokens.get(id);
    if (cached !== undefined && this.now() < cached.renewAt) return Promise.resolve({ kind: 'token', token: cached.token });
    let pending = this.#pending.get(id);
    if (pending === undefined) {
      pending = this.#fetchToken(app, options).finally(() => this.#pending.delete(id));
      this.#pending.set(id, pending);
    }
    return pending;
  }

  /** Forgets `app`'s token (the target called it invalid or expired). */
  forget(app: ResolvedIdentity): void {
    this.#tokens.delete(app.clientId!);
  }

  async #fetchToken(app: ResolvedIdentity, options: CallOptions): Promise<TokenOutcome> {
    const { config, transport, redactor } = this.#run;
    const id = app.clientId!;
    if (app.clientSecret === undefined) return { kind: 'fault', fault: { code: 'APS_TOKEN_REFUSED', message: `app \`${id}\` has no client secret` } };
    const basic = basicAuthorization(id, app.clientSecret);
    // The Basic value encodes the secret: it is a secret too.
    redactor.add(basic.slice('Basic '.length));
    const body = tokenRequestBody(TOKEN_SCOPES);
    const sent = await transport.send(
      () => ({
        method: 'POST',
        url: `${config.endpoint}${APS_TOKEN_PATH}`,
        // §3 [A12]: client authentication in the header only ("both header and body results in a 400").
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT },
        body,
      }),
      // Asking again for a token changes nothing that matters: any fault is retried.
      { ...options, retry: 'all' },
    );
    if (sent.kind === 'fault') return { kind: 'fault', fault: sent.fault };
    const reply = parseJson(sent.response.body);
    const token = typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>).access_token : undefined;
    if (sent.response.status !== 200 || typeof token !== 'string' || token === '') {
      const why = sent.response.status === 200 ? 'no access_token in the reply' : `status ${sent.response.status}${reasonOf(reply) === undefined ? '' : `: ${reasonOf(reply)}`}`;
      const fault = { code: 'APS_TOKEN_REFUSED', message: redactor.redact(`the token endpoint refused app \`${id}\`: ${why}`) };
      if (sent.response.status === 200) return { kind: 'fault', fault };
      const code = tokenErrorCode(reply);
      return { kind: 'fault', fault, refusal: { status: sent.response.status, ...(code === undefined ? {} : { code: redactor.redact(code) }) } };
    }
    redactor.add(token);
    const expiresIn = (reply as Record<string, unknown>).expires_in;
    // §3 [A12]: `expires_in` in seconds (3599 in the v2 examples); without one, an hour is assumed.
    const lifetimeMs = (typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 3599) * 1000;
    this.#tokens.set(id, { token, renewAt: this.now() + lifetimeMs - refreshMarginMs(lifetimeMs) });
    return { kind: 'token', token };
  }

  /**
   * Calls an OSS route as `app`. A 401 on a cached token (expired or revoked early, §3 AUTH-006)
   * gets one retry with a fresh token; any other status is the reply.
   */
  async call(app: ResolvedIdentity, call: ApsCall, options: CallOptions = {}): Promise<ApsReply> {
    const { config, transport } = this.#run;
    const query = call.query === undefined ? '' : `?${new URLSearchParams(call.query).toString()}`;
    const url = `${config.endpoint}${call.path}${query}`;
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(app, options);
      if (token.kind === 'fault') return token;
      const headers: Record<string, string> = { authorization: `Bearer ${token.token}`, accept: 'application/json', 'user-agent': USER_AGENT, ...call.headers };
      let body: string | undefined;
      if (call.json !== undefined) {
        body = JSON.stringify(call.json);
        headers['content-type'] = 'application/json';
      }
      const sent = await transport.send(() => ({ method: call.method, url, headers, ...(body === undefined ? {} : { body }) }), options);
      if (sent.kind === 'fault') return { kind: 'fault', fault: sent.fault };
      const { status, headers: replyHeaders } = sent.response;
      if (status === 401 && attempt === 0) {
        this.forget(app);
        continue;
      }
      return { kind: 'reply', status, headers: replyHeaders, body: parseJson(sent.response.body) };
    }
  }

  /**
   * A request to a signed URL a `signeds3upload` or `signeds3download` reply handed out: no
   * Authorization (aps-oss.md §5.1, §5.4). The URL carries credentials in its query; the
   * transport's messages name the path only, and nothing here repeats the URL.
   */
  async transfer(method: 'GET' | 'PUT', url: string, body: Buffer | undefined, options: CallOptions = {}): Promise<ApsReply> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    if (body !== undefined) headers['content-type'] = 'application/octet-stream';
    // A PUT of a part stores the same bytes again (§5.4: the SDK re-sends parts too): any fault is retried.
    const sent = await this.#run.transport.send(() => ({ method, url, headers, ...(body === undefined ? {} : { body }) }), { ...options, retry: 'all' });
    if (sent.kind === 'fault') return { kind: 'fault', fault: sent.fault };
    return { kind: 'reply', status: sent.response.status, headers: sent.response.headers, body: undefined };
  }
}
