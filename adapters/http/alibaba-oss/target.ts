/**
 * The target as the Alibaba OSS client uses it: requests sent as an identity (or unsigned) on
 * the run's transport, the owner's maintenance requests (which find a way through the bucket's
 * own policy when it denies the owner, see `escape.ts`, and, on the emulator, fall back to its
 * administrator key when there is none), and the removal of a bucket with its objects and
 * policy. Shared by the prepared worlds and the run's cleanup.
 */
import type { AliBucketAcl } from '../../../model/alibaba-oss/types.ts';
import type { FaultInfo } from '../../../model/outcome.ts';
import type { RetryPolicy, SendOutcome } from '../transport.ts';
import type { ResolvedIdentity } from '../config.ts';
import type { HttpRun } from '../types.ts';
import { createAliEvaluator } from '../../reference/alibaba-oss/index.ts';
import { SENTINEL_KEY } from './actions.ts';
import { escapeContext, type EscapeContext, type EscapeOptions } from './escape.ts';
import type { IdentityPool, RealIdentity } from './identities.ts';
import { buildRequest, endpointOf, ossError, parseBucketList, parseObjectList, SOURCE_VPC_HEADER, type Credentials, type Endpoint, type OssCall } from './wire.ts';

const escapeParser = createAliEvaluator();

/** What a bucket of the run holds as far as the owner's way through its policy goes. */
export interface BucketState {
  /**
   * The policy texts that may be on the target, the likeliest first: the one last put, and one
   * being put whose answer was lost (a fault after the target may have applied it). Empty: none.
   */
  policies: string[];
  acl: AliBucketAcl;
}

/** How a request is sent besides its call. */
export interface SendOptions {
  sourceIp?: string | undefined;
  /** Extra headers (User-Agent, Referer, the VPC header). */
  headers?: Record<string, string>;
  outsideBudget?: boolean;
  retry?: RetryPolicy;
}

/** An owner's maintenance request: the bucket's policy (to find a way through it) and the action it is decided as. */
export interface OwnerOptions {
  action: string;
  object?: string | undefined;
  /** Condition keys the request carries besides the common ones (`oss:x-oss-acl` of a PutBucketAcl). */
  extra?: Record<string, string>;
  outsideBudget?: boolean;
  retry?: RetryPolicy;
}

/** The outcome of removing one bucket. */
export interface Removal {
  removed: boolean;
  objects: number;
  /** Why it was not removed (redacted), when it was not. */
  failure?: string;
}

/** The target of one run of the Alibaba OSS client. */
export class AliTarget {
  readonly run: HttpRun;
  readonly endpoint: Endpoint;
  readonly pool: IdentityPool;
  /** The run's buckets and what is on them, for the owner's way through their policies. */
  readonly buckets = new Map<string, BucketState>();
  /**
   * The emulator's administrator key (target file identity `admin`, emulator/alibaba-oss/README.md
   * "The administrator key"), when the file has one: allowed everything on every bucket. Used
   * only by `ownerSend` when the owner is refused, so only for maintenance, release and cleanup;
   * never for a request under test (those go through `send` as the world's bound identities).
   */
  readonly #admin: Credentials | undefined;

  constructor(run: HttpRun, pool: IdentityPool, admin?: ResolvedIdentity) {
    this.run = run;
    this.endpoint = endpointOf(run.config);
    this.pool = pool;
    this.#admin = admin === undefined ? undefined : { accessKeyId: admin.accessKeyId ?? '', secret: admin.accessKeySecret ?? '' };
  }

  /** Whether the target file gives an administrator key, with which every bucket can always be removed. */
  get hasAdmin(): boolean {
    return this.#admin !== undefined;
  }

  /** Whether the endpoint is https (`acs:SecureTransport` of every request). */
  get secure(): boolean {
    return this.endpoint.origin.startsWith('https:');
  }

  /** Sends `call` as `identity` (unsigned when undefined). */
  send(call: OssCall, identity: RealIdentity | undefined, options: SendOptions = {}): Promise<SendOutcome> {
    const credentials: Credentials | undefined = identity === undefined
      ? undefined
      : { accessKeyId: identity.accessKeyId, secret: identity.resolved.accessKeySecret ?? '', securityToken: identity.resolved.securityToken };
    return this.#sendWith(call, credentials, options);
  }

  #sendWith(call: OssCall, credentials: Credentials | undefined, options: SendOptions): Promise<SendOutcome> {
    const withHeaders: OssCall = options.headers === undefined ? call : { ...call, headers: { ...(call.headers ?? {}), ...options.headers } };
    return this.run.transport.send(() => buildRequest(this.endpoint, withHeaders, credentials, { sourceIp: options.sourceIp }), {
      ...(options.outsideBudget ? { outsideBudget: true } : {}),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });
  }

  /**
   * Sends a maintenance request as the owner. When the bucket's policy denies it (403
   * AccessDenied), it is sent once more from a context the policy lets the owner in from, if
   * there is one (`escape.ts`); when that is refused too and the target file has an
   * administrator key (the emulator), once more with that key.
   */
  async ownerSend(call: OssCall, options: OwnerOptions): Promise<SendOutcome> {
    const base = { ...(options.outsideBudget ? { outsideBudget: true } : {}), ...(options.retry === undefined ? {} : { retry: options.retry }) };
    const first = await this.send(call, this.pool.owner, base);
    if (!isDenied(first) || call.bucket === undefined) return first;
    const state = this.buckets.get(call.bucket);
    let last: SendOutcome = first;
    for (const policy of state?.policies ?? []) {
      const escape = escapeContext(policy, this.#bucketOf(call.bucket, state!.acl), options.action, options.object, this.#escapeOptions(), options.extra);
      if (escape === undefined || isDefault(escape)) continue;
      last = await this.send(call, this.pool.owner, { ...base, ...contextOptions(escape) });
      if (!isDenied(last)) return last;
    }
    if (this.#admin !== undefined) return this.#sendWith(call, this.#admin, base);
    return last;
  }

  /** Records a policy about to be put on bucket `name`: from now on it may be there. */
  policyMayBe(name: string, text: string): void {
    const state = this.buckets.get(name);
    if (state !== undefined) state.policies = [text, ...state.policies.filter((p) => p !== text)];
  }

  /** Records the policy bucket `name` is known to have (undefined: none). */
  policyIs(name: string, text: string | undefined): void {
    const state = this.buckets.get(name);
    if (state !== undefined) state.policies = text === undefined ? [] : [text];
  }

  #bucketOf(name: string, acl: AliBucketAcl): { name: string; owner: string; region: string; acl: AliBucketAcl } {
    return { name, owner: this.pool.owner.account, region: this.run.config.region, acl };
  }

  #escapeOptions(): EscapeOptions {
    return {
      // In header mode the loopback candidates are sent in the emulator-only header, just as well.
      loopback: this.run.config.sourceIp === 'loopback' || this.run.config.sourceIp === 'header',
      address: this.run.config.knownSourceIp,
      sourceVpc: this.run.config.capabilities.includes('request.source-vpc'),
      accessKeyId: this.pool.owner.accessKeyId,
      secure: this.secure,
    };
  }

  /**
   * Whether bucket `name` with `policyText` on it could still be removed: always with an
   * administrator key (the emulator's, which no policy binds); otherwise, whether the owner could,
   * from some context this adapter can send from (documented semantics, `escape.ts`): delete the
   * policy, or else delete the sentinel object and the bucket. A policy that shuts the owner out
   * of both (a Deny on every action with `*` and a negated condition on a key these requests
   * never carry) would leave a bucket nothing can remove (§1.4: "A Deny rule can make the entire
   * bucket inaccessible"), so without an administrator key it is never put.
   */
  canRemove(name: string, policyText: string, acl: AliBucketAcl): boolean {
    if (this.#admin !== undefined) return true;
    // A policy the documented parser refuses is refused by the target too, and nothing stays.
    if (escapeParser.parse(policyText).kind === 'rejected') return true;
    const bucket = this.#bucketOf(name, acl);
    const options = this.#escapeOptions();
    if (escapeContext(policyText, bucket, 'oss:DeleteBucketPolicy', undefined, options) !== undefined) return true;
    return escapeContext(policyText, bucket, 'oss:DeleteObject', SENTINEL_KEY, options) !== undefined
      && escapeContext(policyText, bucket, 'oss:DeleteBucket', undefined, options) !== undefined;
  }

  /** A redacted one-line description of a response that was not what a step needed. */
  describe(step: string, outcome: SendOutcome): string {
    if (outcome.kind === 'fault') return this.run.redactor.redact(`${step}: ${outcome.fault.code}: ${outcome.fault.message}`);
    const e = ossError(outcome.response);
    const detail = [e.code, e.ec === undefined ? undefined : `EC ${e.ec}`].filter((x) => x !== undefined).join(' ');
    const message = e.message === undefined ? '' : `: ${e.message.slice(0, 200)}`;
    return this.run.redactor.redact(`${step}: ${outcome.response.status}${detail === '' ? '' : ` ${detail}`}${message}`);
  }

  /** A fault from a send outcome that was not what a step needed. */
  fault(code: string, step: string, outcome: SendOutcome): FaultInfo {
    if (outcome.kind === 'fault') return { code: outcome.fault.code, message: this.run.redactor.redact(`${step}: ${outcome.fault.message}`) };
    return { code, message: this.describe(step, outcome) };
  }

  /** The names of the owner's buckets that start with `prefix` (ListBuckets, §5.5), or the failure. */
  async listBuckets(prefix: string): Promise<string[] | string> {
    const names: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const query: [string, string][] = [['prefix', prefix], ['max-keys', '1000']];
      if (marker !== undefined) query.push(['marker', marker]);
      const outcome = await this.send({ method: 'GET', query }, this.pool.owner, { outsideBudget: true });
      if (outcome.kind !== 'response' || outcome.response.status !== 200) return this.describe('ListBuckets', outcome);
      const list = parseBucketList(outcome.response.body);
      if (list === undefined) return this.run.redactor.redact('ListBuckets: the answer is not a ListAllMyBucketsResult');
      names.push(...list.names);
      if (list.next === undefined) return names;
      marker = list.next;
    }
    return names;
  }

  /**
   * Removes a bucket of the run with its objects and policy: the policy first (after which the
   * owner is let in everywhere), then every object, then the bucket. Refuses, by throwing, a
   * bucket whose name lacks `prefix`: nothing but the run's buckets is ever touched.
   */
  async removeBucket(name: string, prefix: string, known?: { keys: readonly string[] }): Promise<Removal> {
    if (prefix === '' || !name.startsWith(prefix)) throw new Error(`refusing to remove bucket \`${name}\`: it lacks the prefix \`${prefix}\``);
    const options = { outsideBudget: true, retry: 'all' as const };
    if (known !== undefined && this.buckets.has(name)) {
      // A world that knows what its bucket holds (its sentinel, and what allowed requests may have
      // created): those objects, then the bucket, without listing or deleting the policy first
      // (`ownerSend` finds the owner's way through the policy). Anything else, a refusal or
      // BucketNotEmpty (an object it did not know of), goes the long way below.
      let objects = 0;
      let clear = true;
      for (const key of known.keys) {
        const deleted = await this.ownerSend({ method: 'DELETE', bucket: name, key }, { ...options, action: 'oss:DeleteObject', object: key });
        if (deleted.kind === 'response' && deleted.response.status < 300) objects++;
        else {
          clear = false;
          break;
        }
      }
      if (clear) {
        const bucket = await this.ownerSend({ method: 'DELETE', bucket: name }, { ...options, action: 'oss:DeleteBucket' });
        if (bucket.kind === 'response' && (bucket.response.status < 300 || (bucket.response.status === 404 && ossError(bucket.response).code === 'NoSuchBucket'))) {
          this.#forget(name);
          return { removed: true, objects };
        }
      }
    }
    const failures: string[] = [];
    if (!this.buckets.has(name) && this.#admin === undefined) {
      // A bucket of an earlier process (`bucket-conformance cleanup`): its policy, to find the
      // owner's way through it. When the policy keeps the owner from reading it, a few contexts
      // are tried blind (a VPC, other loopback addresses), since its conditions are unknown.
      // (With an administrator key there is no need: `ownerSend` falls back to it.)
      const blind: EscapeContext[] = [{}];
      const options = this.#escapeOptions();
      if (options.sourceVpc) blind.push({ sourceVpc: 'vpc-bcescape0' });
      if (options.loopback) blind.push({ sourceIp: '127.255.255.254' }, { sourceIp: '127.128.0.1' }, { sourceIp: '127.0.0.2' });
      for (const context of blind) {
        const got = await this.send({ method: 'GET', bucket: name, query: [['policy', '']] }, this.pool.owner, { outsideBudget: true, ...contextOptions(context) });
        if (got.kind === 'response' && got.response.status === 200) {
          this.buckets.set(name, { policies: [got.response.body.toString('utf8')], acl: 'private' });
          break;
        }
        if (got.kind === 'response' && got.response.status !== 403) break;
      }
    }
    const policy = await this.ownerSend({ method: 'DELETE', bucket: name, query: [['policy', '']] }, { ...options, action: 'oss:DeleteBucketPolicy' });
    if (policy.kind === 'response' && policy.response.status === 404 && ossError(policy.response).code === 'NoSuchBucket') {
      this.#forget(name);
      return { removed: true, objects: 0 };
    }
    if (policy.kind === 'response' && policy.response.status < 300) {
      this.policyIs(name, undefined);
    } else {
      failures.push(this.describe('DeleteBucketPolicy', policy));
    }
    let objects = 0;
    let marker: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const query: [string, string][] = [['max-keys', '1000']];
      if (marker !== undefined) query.push(['marker', marker]);
      const listed = await this.ownerSend({ method: 'GET', bucket: name, query }, { ...options, action: 'oss:ListObjects' });
      let list = listed.kind === 'response' && listed.response.status === 200 ? parseObjectList(listed.response.body) : undefined;
      if (list === undefined) {
        // The objects of a world are its sentinel (and what allowed requests created, removed before each request).
        failures.push(this.describe('ListObjects', listed));
        list = { keys: [SENTINEL_KEY], next: undefined };
      }
      for (const key of list.keys) {
        const deleted = await this.ownerSend({ method: 'DELETE', bucket: name, key }, { ...options, action: 'oss:DeleteObject', object: key });
        if (deleted.kind === 'response' && deleted.response.status < 300) objects++;
        else failures.push(this.describe('DeleteObject', deleted));
      }
      if (list.next === undefined) break;
      marker = list.next;
    }
    const bucket = await this.ownerSend({ method: 'DELETE', bucket: name }, { ...options, action: 'oss:DeleteBucket' });
    if (bucket.kind === 'response' && (bucket.response.status < 300 || (bucket.response.status === 404 && ossError(bucket.response).code === 'NoSuchBucket'))) {
      this.#forget(name);
      return { removed: true, objects };
    }
    failures.push(this.describe('DeleteBucket', bucket));
    return { removed: false, objects, failure: this.run.redactor.redact(`bucket \`${name}\`: ${failures.join('; ')}`) };
  }

  #forget(name: string): void {
    this.buckets.delete(name);
    this.run.ledger.removeBucket(name);
  }
}

/** Whether an answer is the target's access denial (403 AccessDenied). */
function isDenied(outcome: SendOutcome): boolean {
  return outcome.kind === 'response' && outcome.response.status === 403 && ossError(outcome.response).code === 'AccessDenied';
}

function isDefault(e: EscapeContext): boolean {
  return (e.sourceIp === undefined || e.sourceIp === '127.0.0.1') && e.sourceVpc === undefined && e.userAgent === undefined && e.referer === undefined;
}

/** The send options that put a request in a context. */
export function contextOptions(e: EscapeContext): SendOptions {
  const headers: Record<string, string> = {};
  if (e.sourceVpc !== undefined) headers[SOURCE_VPC_HEADER] = e.sourceVpc;
  if (e.userAgent !== undefined) headers['user-agent'] = e.userAgent;
  if (e.referer !== undefined) headers['referer'] = e.referer;
  return { ...(e.sourceIp === undefined ? {} : { sourceIp: e.sourceIp }), headers };
}
