/**
 * One world on the target: its bucket under a fresh world prefix, created by the owner with the
 * world's ACL, a sentinel object (so that an allowed DeleteBucket meets a bucket that is not
 * empty), and its policy with every name rewritten to the target's; then its requests, each sent
 * as the real identity bound to its principal, with its context applied where the target lets the
 * adapter choose it, and read back as an access decision shaped as the reference reports it.
 *
 * The world is kept as the world says between requests: what an allowed request changed is put
 * back, and a policy whose placeholders became real identities is put again, by the owner,
 * before the next request. When the owner cannot (its own policy denies it and no context gets
 * it through), the emulator's administrator key does it if the target file has one (see
 * `AliTarget.ownerSend`); otherwise the world is built afresh under a new world prefix and the
 * old bucket removed. Requests under test are only ever sent as the world's bound identities.
 */
import { ConformanceError } from '../../../model/errors.ts';
import { worldPolicyText } from '../../../model/world.ts';
import type { FaultInfo, Observation } from '../../../model/outcome.ts';
import { DEFAULT_REGION, type AliBucketAcl, type AliRequest, type AliWorld } from '../../../model/alibaba-oss/types.ts';
import type { Preparation } from '../../types.ts';
import type { SendOutcome } from '../transport.ts';
import { ACTION_SPECS, actionCall, SENTINEL_KEY, type ActionInput, type ActionSpec } from './actions.ts';
import { WorldBindings, type Sender } from './identities.ts';
import { conditionKeys, globMatches, hasWildcard, jsonStrings, policySlot, rewritePolicyText, type PolicyRewriter, type RewriteProblem } from './policy-text.ts';
import type { AliTarget } from './target.ts';
import { contentMd5, ossError, parseAclGrant, SOURCE_VPC_HEADER, type OssCall } from './wire.ts';

/** The longest bucket name (§5.1 client-side check: 3 to 63 characters). */
const MAX_BUCKET_NAME = 63;

const UID = /^\d+$/;
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

/**
 * Whether a request can come from `address` by binding it: 127.0.0.0/8 but its broadcast address
 * (a socket bound to 127.255.255.255 is seen as 127.0.0.1 on Linux).
 */
function isLoopbackV4(address: string): boolean {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255) && address !== '127.255.255.255';
}

function unreachable(code: string, message: string): Observation {
  return { kind: 'unreachable', error: { code, message } };
}

/** The fault of a world whose policy would shut its owner out for good, on a target without an administrator key (see `AliTarget.canRemove`). */
function lockout(): FaultInfo {
  return { code: 'OWNER_LOCKOUT', message: 'the world\'s policy denies its owner DeleteBucketPolicy, and DeleteObject or DeleteBucket, from every context this adapter can send from, and the target file has no `admin` identity: its bucket could never be removed, so it is not created' };
}

function isProblem(v: unknown): v is RewriteProblem {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v && !('kind' in v);
}

/** What a request's context turns into on the wire. */
interface AppliedContext {
  sourceIp: string | undefined;
  headers: Record<string, string>;
  input: Partial<ActionInput>;
  accessId: string | undefined;
}

/** What the target holds of the world right now, as far as the adapter knows. */
interface Applied {
  /** False once the bucket is known to be gone (an allowed DeleteBucket, a 404 NoSuchBucket). */
  alive: boolean;
  acl: AliBucketAcl;
  policy: string | undefined;
  /** Objects an allowed request created (a target that did not check Content-MD5). */
  objects: Set<string>;
}

/** A world prepared on the target. */
export class AliWorldOnTarget {
  readonly #target: AliTarget;
  readonly #world: AliWorld;
  readonly #source: string | Uint8Array | undefined;
  readonly #conditioned: Set<string>;
  readonly #bindings: WorldBindings;
  readonly #acl: AliBucketAcl;
  #prefix = '';
  #bucket = '';
  #applied: Applied;
  readonly #abandoned: string[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #released = false;

  private constructor(target: AliTarget, world: AliWorld, source: string | Uint8Array | undefined) {
    this.#target = target;
    this.#world = world;
    this.#source = source;
    this.#acl = world.bucket.acl ?? 'private';
    const tokens = typeof source === 'string' ? jsonStrings(source) ?? [] : [];
    this.#conditioned = new Set([...conditionKeys(tokens)].map((k) => k.toLowerCase()));
    const principals = tokens.filter((t) => !t.key && policySlot(t.path).kind === 'principal').map((t) => t.value);
    this.#bindings = new WorldBindings(target.pool, world.bucket.owner, principals);
    this.#applied = { alive: false, acl: this.#acl, policy: undefined, objects: new Set() };
  }

  /** Builds `world` on the target: ready, rejected (its policy refused), or unreachable. */
  static async prepare(target: AliTarget, world: AliWorld): Promise<Preparation> {
    if (world.vendor !== 'alibaba-oss' || typeof world.bucket?.name !== 'string' || typeof world.bucket.owner !== 'string') {
      throw new ConformanceError('CONFORMANCE_INPUT', 'an Alibaba OSS world has `vendor: alibaba-oss` and a bucket with a name and an owner');
    }
    const self = new AliWorldOnTarget(target, world, worldPolicyText(world.policy, { decodeUtf8: true }));
    const fault = await self.#build();
    if (fault !== undefined) return 'rejected' in fault ? { kind: 'rejected', ...fault.rejected } : { kind: 'unreachable', error: fault };
    return {
      kind: 'ready',
      observe: (request) => self.#serial(() => self.#observeSafely(request as AliRequest)),
      release: () => self.#serial(() => self.#release()),
    };
  }

  #serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  // --- the policy as submitted ---

  /** The resource name of the target for a resource of the world (§1.5: `acs:oss:<region>:<uid>:<bucket>[/<key>]`). */
  #resource(prefix: string, value: string): string | RewriteProblem {
    const m = /^acs:([^:]*):([^:]*):([^:]*):([\s\S]*)$/.exec(value);
    if (m === null) return value;
    const [, service, region, account, rest] = m as unknown as [string, string, string, string, string];
    const worldRegion = this.#world.bucket.region ?? DEFAULT_REGION;
    const targetRegion = this.#target.run.config.region;
    let outRegion = region;
    if (!hasWildcard(region)) {
      if (region === worldRegion) outRegion = targetRegion;
      else if (region === targetRegion) outRegion = 'bc-none-region';
    } else if (globMatches(region, worldRegion) !== globMatches(region, targetRegion)) {
      return { code: 'UNSUPPORTED_RESOURCE', message: `the region pattern of \`${value.slice(0, 120)}\` matches the world's region and the target's differently` };
    }
    let outAccount = account;
    if (UID.test(account)) outAccount = this.#bindings.uid(account);
    else if (hasWildcard(account) && account !== '*' && globMatches(account, this.#world.bucket.owner) !== globMatches(account, this.#target.pool.owner.account)) {
      return { code: 'UNSUPPORTED_RESOURCE', message: `the account pattern of \`${value.slice(0, 120)}\` matches the world's owner and the target's differently` };
    }
    // Issue #7: bucket names and patterns get the world prefix; a literal prefix before an anchored
    // pattern keeps what matches what. A literal name other than the world's bucket (a near miss)
    // matches no bucket of the world with or without it, so it is left as written: the policy and
    // its fields then keep their sizes (ALI-LIMIT-FIELD pads with such a name).
    const slash = rest.indexOf('/');
    const bucketPart = slash < 0 ? rest : rest.slice(0, slash);
    const named = hasWildcard(bucketPart) || bucketPart === this.#world.bucket.name;
    return `acs:${service}:${outRegion}:${outAccount}:${rest !== '' && named ? prefix + rest : rest}`;
  }

  #rewriter(prefix: string): PolicyRewriter {
    return {
      resource: (v) => this.#resource(prefix, v),
      principal: (v) => this.#bindings.principal(v),
      condition: (operator, key, v) => (key.toLowerCase() === 'acs:accessid' ? this.#bindings.accessIdValues(operator, v) : undefined),
      spare: (v) => {
        // A literal bucket name other than the world's: no request of the world matches the value, whatever its object part.
        const m = /^acs:[^:]*:[^:]*:[^:]*:([^/]*)\//.exec(v);
        return m !== null && !hasWildcard(m[1] as string) && m[1] !== this.#world.bucket.name;
      },
    };
  }

  /** The policy the world should have on the target under `prefix`, with the bindings so far. */
  #desired(prefix: string): { text: string | Uint8Array | undefined } | { problem: RewriteProblem } {
    if (this.#source === undefined || typeof this.#source !== 'string') return { text: this.#source };
    const r = rewritePolicyText(this.#source, this.#rewriter(prefix));
    return 'problem' in r ? r : { text: r.text };
  }

  // --- building ---

  /** Creates the world's bucket under a fresh prefix. A fault, or the rejection of the policy. */
  async #build(): Promise<FaultInfo | { rejected: { status?: number; code?: string; ec?: string; message?: string } } | undefined> {
    const run = this.#target.run;
    this.#applied = { alive: false, acl: this.#acl, policy: undefined, objects: new Set() };
    this.#prefix = run.nextWorldPrefix();
    this.#bucket = this.#prefix + this.#world.bucket.name;
    if (this.#bucket.length > MAX_BUCKET_NAME) {
      return { code: 'BUCKET_NAME_TOO_LONG', message: `the bucket name \`${this.#world.bucket.name}\` under the world prefix \`${this.#prefix}\` is longer than ${MAX_BUCKET_NAME} characters` };
    }
    const desired = this.#desired(this.#prefix);
    if ('problem' in desired) return desired.problem;
    const bucket = this.#bucket;
    if (typeof desired.text === 'string' && !this.#target.canRemove(bucket, desired.text, this.#acl)) return lockout();
    run.ledger.addBucket(bucket);
    this.#target.buckets.set(bucket, { policies: [], acl: this.#acl });
    const failed = async (fault: FaultInfo): Promise<FaultInfo> => {
      const removal = await this.#target.removeBucket(bucket, run.ledger.prefix);
      if (!removal.removed && removal.failure !== undefined) run.log(removal.failure);
      return fault;
    };
    const setup = { outsideBudget: false, retry: 'all' as const };
    // §4.1 PutBucket: `x-oss-acl` sets the bucket ACL at creation.
    const created = await this.#target.send({ method: 'PUT', bucket, headers: { 'x-oss-acl': this.#acl } }, this.#target.pool.owner, setup);
    if (created.kind !== 'response' || created.response.status >= 300) return failed(this.#target.fault('SETUP_REFUSED', 'PutBucket', created));
    this.#applied = { alive: true, acl: this.#acl, policy: undefined, objects: new Set() };
    const sentinel = await this.#target.send({ method: 'PUT', bucket, key: SENTINEL_KEY, headers: { 'content-md5': contentMd5('') }, body: '' }, this.#target.pool.owner, setup);
    if (sentinel.kind !== 'response' || sentinel.response.status >= 300) return failed(this.#target.fault('SETUP_REFUSED', 'PutObject (sentinel)', sentinel));
    if (desired.text !== undefined) {
      const body = typeof desired.text === 'string' ? desired.text : Buffer.from(desired.text);
      if (typeof desired.text === 'string') this.#target.policyMayBe(bucket, desired.text);
      const put = await this.#target.send({ method: 'PUT', bucket, query: [['policy', '']], headers: { 'content-md5': contentMd5(body) }, body }, this.#target.pool.owner, setup);
      if (put.kind === 'response' && put.response.status >= 400 && put.response.status < 500 && put.response.status !== 403) {
        const e = ossError(put.response);
        const rejection: { status?: number; code?: string; ec?: string; message?: string } = { status: put.response.status };
        if (e.code !== undefined) rejection.code = e.code;
        if (e.ec !== undefined) rejection.ec = e.ec;
        if (e.message !== undefined) rejection.message = run.redactor.redact(e.message);
        await failed({ code: 'REJECTED', message: '' });
        return { rejected: rejection };
      }
      if (put.kind !== 'response' || put.response.status >= 300) return failed(this.#target.fault('SETUP_REFUSED', 'PutBucketPolicy', put));
      const text = typeof desired.text === 'string' ? desired.text : undefined;
      this.#applied.policy = text;
      this.#target.policyIs(bucket, text);
      await this.#settle();
    } else if (this.#acl !== 'private') {
      await this.#settle();
    }
    return undefined;
  }

  /**
   * After a policy or ACL change, waits until the target shows it, for at most `limits.settleMs`
   * (real endpoints apply changes with a delay; 0 does not wait).
   */
  async #settle(): Promise<void> {
    const settleMs = this.#target.run.config.limits.settleMs;
    if (settleMs <= 0) return;
    const deadline = Date.now() + settleMs;
    const bucket = this.#bucket;
    while (Date.now() < deadline) {
      const policy = await this.#target.ownerSend({ method: 'GET', bucket, query: [['policy', '']] }, { action: 'oss:GetBucketPolicy' });
      const acl = await this.#target.ownerSend({ method: 'GET', bucket, query: [['acl', '']] }, { action: 'oss:GetBucketAcl' });
      const policyShown = policy.kind === 'response'
        && (this.#applied.policy === undefined ? policy.response.status === 404 : policy.response.status === 200 && policy.response.body.toString('utf8') === this.#applied.policy);
      const aclShown = acl.kind === 'response' && acl.response.status === 200 && parseAclGrant(acl.response.body) === this.#applied.acl;
      if (policyShown && aclShown) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(10, deadline - Date.now()))));
    }
  }

  /** Puts the world back as it should be before a request: objects created, ACL changed, policy deleted or with new bindings. */
  async #sync(): Promise<FaultInfo | undefined> {
    const desired = this.#desired(this.#prefix);
    if ('problem' in desired) return desired.problem;
    if (!this.#applied.alive) return this.#rebuild();
    const bucket = this.#bucket;
    const state = this.#target.buckets.get(bucket);
    for (const key of [...this.#applied.objects]) {
      const deleted = await this.#target.ownerSend({ method: 'DELETE', bucket, key }, { action: 'oss:DeleteObject', object: key });
      if (deleted.kind === 'fault') return deleted.fault;
      if (deleted.response.status >= 300) return this.#rebuild();
      this.#applied.objects.delete(key);
    }
    let changed = false;
    if (this.#applied.acl !== this.#acl) {
      const put = await this.#target.ownerSend({ method: 'PUT', bucket, query: [['acl', '']], headers: { 'x-oss-acl': this.#acl } }, { action: 'oss:PutBucketAcl', extra: { 'oss:x-oss-acl': this.#acl } });
      if (put.kind === 'fault') return put.fault;
      if (put.response.status >= 300) return this.#rebuild();
      this.#applied.acl = this.#acl;
      if (state !== undefined) state.acl = this.#acl;
      changed = true;
    }
    const text = typeof desired.text === 'string' ? desired.text : undefined;
    if (text !== this.#applied.policy) {
      if (text !== undefined && !this.#target.canRemove(bucket, text, this.#acl)) return lockout();
      const call: OssCall = text === undefined
        ? { method: 'DELETE', bucket, query: [['policy', '']] }
        : { method: 'PUT', bucket, query: [['policy', '']], headers: { 'content-md5': contentMd5(text) }, body: text };
      if (text !== undefined) this.#target.policyMayBe(bucket, text);
      const sent = await this.#target.ownerSend(call, { action: text === undefined ? 'oss:DeleteBucketPolicy' : 'oss:PutBucketPolicy', retry: 'all' });
      if (sent.kind === 'fault') return sent.fault;
      if (sent.response.status === 400) return this.#target.fault('POLICY_REFUSED', 'PutBucketPolicy (with the names bound so far)', sent);
      if (sent.response.status >= 300) return this.#rebuild();
      this.#applied.policy = text;
      this.#target.policyIs(bucket, text);
      changed = true;
    }
    if (changed) await this.#settle();
    return undefined;
  }

  /** Builds the world afresh under a new world prefix, when the owner cannot put the old one back; the old bucket is removed if it can be. */
  async #rebuild(): Promise<FaultInfo | undefined> {
    if (this.#applied.alive) this.#abandoned.push(this.#bucket);
    else if (!this.#abandoned.includes(this.#bucket)) this.#forgetBucket(this.#bucket);
    const fault = await this.#build();
    if (fault !== undefined) {
      if ('rejected' in fault) return { code: 'POLICY_REFUSED', message: this.#target.run.redactor.redact(`the target refused, on a fresh bucket, the policy it accepted before: ${fault.rejected.status ?? ''} ${fault.rejected.code ?? ''}`) };
      return fault;
    }
    await this.#removeAbandoned();
    return undefined;
  }

  #forgetBucket(name: string): void {
    this.#target.buckets.delete(name);
    this.#target.run.ledger.removeBucket(name);
  }

  async #removeAbandoned(): Promise<void> {
    for (const name of this.#abandoned.splice(0)) {
      const removal = await this.#target.removeBucket(name, this.#target.run.ledger.prefix);
      if (!removal.removed) {
        this.#abandoned.push(name);
        if (removal.failure !== undefined) this.#target.run.log(removal.failure);
      }
    }
  }

  // --- requests ---

  async #observeSafely(request: AliRequest): Promise<Observation> {
    try {
      return await this.#observe(request);
    } catch (error) {
      const message = this.#target.run.redactor.redact(error instanceof Error ? error.message : String(error));
      this.#target.run.log(`observe failed: ${message}`);
      return unreachable('ADAPTER_ERROR', message);
    }
  }

  async #observe(request: AliRequest): Promise<Observation> {
    if (this.#released) return unreachable('RELEASED', 'the world was released');
    const spec = ACTION_SPECS[request.action];
    if (spec === undefined) return unreachable('UNSUPPORTED_ACTION', `\`${String(request.action).slice(0, 80)}\` is not among the actions this client sends`);
    const object = request.object;
    if (spec.level === 'object' && (object === undefined || object === '')) return unreachable('UNSUPPORTED_REQUEST', `\`${request.action}\` acts on an object, and the request names none`);
    if (spec.level === 'bucket' && object !== undefined) return unreachable('UNSUPPORTED_REQUEST', `\`${request.action}\` acts on the bucket, and the request names an object`);
    if (object === SENTINEL_KEY) return unreachable('UNSUPPORTED_REQUEST', `the object \`${SENTINEL_KEY}\` is the adapter's own`);
    const sender = this.#bindings.resolve(request.principal);
    if (isProblem(sender)) return unreachable(sender.code, sender.message);
    const applied = this.#applyContext(request, sender);
    if (isProblem(applied)) return unreachable(applied.code, applied.message);
    if (applied.accessId !== undefined && sender.kind === 'identity') {
      const bound = this.#bindings.bindAccessId(applied.accessId, sender.identity);
      if (bound !== undefined) return unreachable(bound.code, bound.message);
    }
    const synced = await this.#sync();
    if (synced !== undefined) return { kind: 'unreachable', error: synced };
    const input: ActionInput = { bucket: this.#bucket, key: object, policyText: this.#applied.policy ?? '', ...applied.input };
    const call = actionCall(request.action, input);
    const outcome = await this.#target.send(call, sender.kind === 'identity' ? sender.identity : undefined, { sourceIp: applied.sourceIp, headers: applied.headers });
    return this.#decide(request, spec, call, outcome);
  }

  /**
   * The wire form of a request's context (§1.8; emulator/alibaba-oss/README.md "Condition
   * context"). A key the target cannot be told matters only when the world's policy has a
   * condition on it: otherwise no decision reads it and it is left out. A key the target always
   * sees (the source address, the AccessKey id of a signed request, the time, the transport)
   * cannot be absent from a request when the policy has a condition on it.
   */
  #applyContext(request: AliRequest, sender: Sender): AppliedContext | RewriteProblem {
    const context = request.context ?? {};
    const config = this.#target.run.config;
    const cond = (k: string): boolean => this.#conditioned.has(k.toLowerCase());
    const unsupported = (k: string, why: string): RewriteProblem => ({ code: 'UNSUPPORTED_CONTEXT', message: `${k}: ${why}` });
    const out: AppliedContext = { sourceIp: undefined, headers: {}, input: {}, accessId: undefined };
    const action = request.action;
    for (const [k, v] of Object.entries(context)) {
      switch (k) {
        case 'acs:SourceIp':
          // `header`: any address, sent in the emulator-only header by the transport.
          if (config.sourceIp === 'header') out.sourceIp = v;
          else if (config.sourceIp === 'loopback' && isLoopbackV4(v)) out.sourceIp = v;
          else if (config.sourceIp === 'known' && v === config.knownSourceIp) break;
          else if (cond(k)) return unsupported(k, `requests to this target cannot come from \`${v.slice(0, 64)}\``);
          break;
        case 'acs:SourceVpc':
          // The emulator-only header (emulator/alibaba-oss/README.md); nothing else can be told a VPC.
          if (config.capabilities.includes('request.source-vpc') && HEADER_SAFE.test(v)) out.headers[SOURCE_VPC_HEADER] = v;
          else if (cond(k)) return unsupported(k, 'this target cannot be told the VPC a request comes from');
          break;
        case 'acs:UserAgent':
        case 'acs:Referer':
          if (HEADER_SAFE.test(v)) out.headers[k === 'acs:UserAgent' ? 'user-agent' : 'referer'] = v;
          else if (cond(k)) return unsupported(k, 'the value cannot be sent as a header');
          break;
        case 'acs:AccessId':
          if (sender.kind === 'identity') out.accessId = v;
          else if (cond(k)) return unsupported(k, 'an anonymous request carries no AccessKey id');
          break;
        case 'oss:Prefix':
        case 'oss:Delimiter':
          if (action === 'oss:ListObjects' || action === 'oss:ListObjectVersions') out.input[k === 'oss:Prefix' ? 'prefix' : 'delimiter'] = v;
          else if (cond(k)) return unsupported(k, `only ListObjects and ListObjectVersions carry it, not \`${action}\``);
          break;
        case 'oss:x-oss-acl':
          if (action === 'oss:PutBucketAcl' && HEADER_SAFE.test(v)) out.input.bucketAcl = v;
          else if (cond(k)) return unsupported(k, `\`${action}\` does not carry it`);
          break;
        case 'oss:x-oss-object-acl':
          if ((action === 'oss:PutObject' || action === 'oss:PutObjectAcl') && HEADER_SAFE.test(v)) out.input.objectAcl = v;
          else if (cond(k)) return unsupported(k, `\`${action}\` does not carry it`);
          break;
        case 'acs:SecureTransport':
          if (v !== (this.#target.secure ? 'true' : 'false') && cond(k)) return unsupported(k, `requests to this target are ${this.#target.secure ? '' : 'not '}sent over HTTPS`);
          break;
        default:
          if (cond(k)) return unsupported(k, 'this client cannot set it');
      }
    }
    if (!('acs:SourceIp' in context) && cond('acs:SourceIp')) return unsupported('acs:SourceIp', 'the request has none, and every request reaches the target from an address');
    if (!('acs:SecureTransport' in context) && cond('acs:SecureTransport')) return unsupported('acs:SecureTransport', 'the request has none, and every request reaches the target over HTTP or HTTPS');
    if (cond('acs:CurrentTime')) return unsupported('acs:CurrentTime', 'the time a request reaches the target cannot be chosen');
    if (sender.kind === 'identity' && out.accessId === undefined && cond('acs:AccessId') && this.#bindings.hasAccessId(sender.identity)) {
      return unsupported('acs:AccessId', 'the request has none, and a signed request always carries the AccessKey id it is signed with');
    }
    if (action === 'oss:PutBucketAcl' && out.input.bucketAcl === undefined) {
      if (cond('oss:x-oss-acl')) return unsupported('oss:x-oss-acl', 'the request has none, and PutBucketAcl always carries one');
      out.input.bucketAcl = this.#acl;
    }
    if (action === 'oss:PutObjectAcl' && out.input.objectAcl === undefined) {
      if (cond('oss:x-oss-object-acl')) return unsupported('oss:x-oss-object-acl', 'the request has none, and PutObjectAcl always carries one');
      out.input.objectAcl = 'default';
    }
    return out;
  }

  /**
   * An answer as an access decision, shaped as the reference reports it: allowed is `allow`
   * with status 200 (the target's own answer after the access check, such as 204 or 404
   * NoSuchKey, is not part of the decision); refused is `deny` with 403 AccessDenied and the EC
   * (§4.2); anything else is not a decision about access and is `unreachable`.
   */
  #decide(request: AliRequest, spec: ActionSpec, call: OssCall, outcome: SendOutcome): Observation {
    if (outcome.kind === 'fault') {
      // The target may have applied the request before the answer was lost: put the world back as if it had.
      this.#changed(request, spec, call, false);
      return { kind: 'unreachable', error: { code: outcome.fault.code, message: this.#target.run.redactor.redact(outcome.fault.message) } };
    }
    const { status } = outcome.response;
    if (status >= 200 && status < 300) {
      this.#changed(request, spec, call, true);
      return { kind: 'decided', decision: 'allow', status: 200 };
    }
    const e = ossError(outcome.response);
    if (status === 403 && e.code === 'AccessDenied') {
      const observation: Observation = { kind: 'decided', decision: 'deny', status, code: e.code };
      if (e.ec !== undefined) observation.ec = e.ec;
      return observation;
    }
    if (e.code !== undefined && spec.allowedErrors.includes(e.code)) return { kind: 'decided', decision: 'allow', status: 200 };
    if (status === 404 && e.code === 'NoSuchBucket') {
      this.#applied.alive = false;
      return unreachable('WORLD_MISSING', this.#target.describe(request.action, outcome));
    }
    return unreachable(status === 403 ? 'CREDENTIALS_REFUSED' : 'UNEXPECTED_RESPONSE', this.#target.describe(request.action, outcome));
  }

  /** Records what an allowed request changed (or, `certain` false, may have changed), for `#sync` to put back. */
  #changed(request: AliRequest, spec: ActionSpec, call: OssCall, certain: boolean): void {
    const state = this.#target.buckets.get(this.#bucket);
    switch (spec.changes) {
      case 'bucket-acl': {
        const acl = call.headers?.['x-oss-acl'] as AliBucketAcl | undefined;
        if (acl !== undefined) this.#applied.acl = acl;
        if (state !== undefined && acl !== undefined) state.acl = acl;
        break;
      }
      case 'policy-deleted':
        this.#applied.policy = undefined;
        if (certain) this.#target.policyIs(this.#bucket, undefined);
        break;
      case 'policy-put': {
        // The probe carries the policy the world has (or `{}`, which no target accepts), so a target that took it changed nothing.
        const body = typeof call.body === 'string' ? call.body : call.body?.toString('utf8');
        if (body !== undefined && body !== '{}') this.#target.policyMayBe(this.#bucket, body);
        break;
      }
      case 'object-created':
        if (request.object !== undefined) this.#applied.objects.add(request.object);
        break;
      case 'bucket-deleted':
        // Rebuilt before the next request; the bucket stays in the ledger in case it is still there.
        if (this.#applied.alive) this.#abandoned.push(this.#bucket);
        this.#applied.alive = false;
        break;
      default:
        break;
    }
  }

  async #release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (this.#applied.alive) {
      // The bucket's objects are known: the sentinel and what allowed requests may have created.
      const removal = await this.#target.removeBucket(this.#bucket, this.#target.run.ledger.prefix, { keys: [SENTINEL_KEY, ...this.#applied.objects] });
      if (!removal.removed) this.#abandoned.push(this.#bucket);
    }
    await this.#removeAbandoned();
  }
}
