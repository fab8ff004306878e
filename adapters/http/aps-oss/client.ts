/**
 * The APS OSS v2 dialect of the live HTTP adapter: builds APS worlds (a bucket created by its
 * owner with its allow list, objects uploaded by their uploaders) on a real endpoint or the
 * emulator under the run prefix, sends each request as the app that performs it, and reports
 * what the target did in the shape the reference target reports it: `allow` (200), `deny` (403
 * no grant, 404 no such bucket or object, 409 key taken or bucket already deleted) or `rejected`
 * (400, an invalid createBucket payload), without a code (APS errors carry a `reason` only,
 * aps-oss.md §4). Vendor notes: /work/shared/vendors/aps-oss.md (§n below).
 */
import type { Capability, SourceAddressSpace } from '../../../model/capabilities.ts';
import { ConformanceError } from '../../../model/errors.ts';
import type { FaultInfo, Observation } from '../../../model/outcome.ts';
import { APS_ACCESS_LEVELS, APS_BUCKET_KEY_PATTERN, APS_MAX_GRANTS, APS_OPERATIONS, isApsOperation, isObjectOperation, type ApsRequest, type ApsWorld } from '../../../model/aps-oss/types.ts';
import type { Request, World } from '../../../model/world.ts';
import type { Preparation } from '../../types.ts';
import type { ResolvedIdentity } from '../config.ts';
import { answeredProbe, faultedProbe, type IdentityProbe } from '../probe.ts';
import { isRunPrefix } from '../run.ts';
import type { CleanupSummary, HttpRun, VendorClient, VendorClientFactory } from '../types.ts';
import { ApsApi, reasonOf, type ApsReply, type CallOptions } from './api.ts';
import { AppMap, endsFirst } from './apps.ts';
import { BucketKeys } from './bucket-keys.ts';
import { bucketPath, bucketsPath, objectPath } from './wire.ts';

/** The outcome code of a world or request that needs more apps than the target file gives. */
export const NOT_ENOUGH_IDENTITIES = 'NOT_ENOUGH_IDENTITIES';
/** The outcome code of a bucket key the run prefix cannot carry with its meaning intact. */
export const UNSUPPORTED_BUCKET_KEY = 'UNSUPPORTED_BUCKET_KEY';

/**
 * Apps kept free when a world's allow list is mapped, for the apps that only its requests name
 * (strangers): the suites' worlds have at most one stranger per request, two in a sequence.
 */
const STRANGER_RESERVE = 1;

/** Signed URLs live 10 minutes (§1.2: 1 to 60, default 2): long enough for a slow target. */
const URL_MINUTES = '10';

/**
 * How removals are sent: outside the request budget, and retried after any fault, since a DELETE
 * repeated after it was applied gets 404 or 409, which removal reads as "gone" (§1).
 */
const REMOVAL: CallOptions = { outsideBudget: true, retry: 'all' };

/** How many more times a bucket whose release failed is tried before new worlds. */
const LEFTOVER_SWEEPS = 3;

/**
 * How many unchanged worlds are kept on the target for equal worlds of later cases (issue #7:
 * "worlds are reused across generated cases wherever the rule allows"); the least recently used
 * one is removed when one more is kept.
 */
export const POOL_SIZE = 32;

/** No error code of the token endpoint means "authenticated, but refused" (see `probe`). */
const NO_CODES: ReadonlySet<string> = new Set();

/** Capabilities a target file may claim that an APS client can honour. */
const FILE_CLAIMS: ReadonlySet<Capability> = new Set(['grant.any-client-id']);

/** A bucket the world holds on the target: the app that created it, and whom it grants. */
interface HeldBucket {
  owner: ResolvedIdentity;
  /** The client ids its allow list named, as sent. */
  grantees: Set<string>;
}

/** The client ids an allow list (as sent) names. */
function granteesOf(allow: unknown): Set<string> {
  return new Set((Array.isArray(allow) ? allow : []).flatMap((g) => (isRecord(g) && typeof g.authId === 'string' ? [g.authId] : [])));
}

/** What one prepared world holds. */
interface WorldState {
  apps: AppMap;
  keys: BucketKeys;
  /** Real bucket keys to their holders; a bucket whose creation met a fault is held too (it may exist). */
  held: Map<string, HeldBucket>;
  /** The world's own bucket, as a logical key. */
  bucket: string | undefined;
  released: boolean;
  /**
   * Set when a request that changes the world ended without a decision (a fault, or a request the
   * client could not send): the target's state is unknown from then on, so later requests would
   * be judged against a world that may not be the expected one.
   */
  unknown?: FaultInfo;
  /**
   * Set when a request may have changed what the target holds: an allowed createBucket,
   * uploadObject, deleteObject or deleteBucket, an upload that got past its first step (its
   * signed URL was handed out), a request that ended without a decision (whatever it was), or one
   * the client failed on. A changed world is removed at release, never kept for another case.
   */
  changed: boolean;
  /**
   * Objects the world did not have that allowed uploads added to its bucket, with the app that
   * uploaded each last: deleted at release to give the world back as prepare built it.
   */
  added: Map<string, ResolvedIdentity>;
  /** The world as prepare left it, for keeping it for an equal world; absent for worlds that are never kept. */
  pristine?: Pristine;
}

/** A prepared world as prepare left it: its content key, its real bucket key and its maps (never changed, only cloned). */
interface Pristine {
  key: string;
  realKey: string;
  /** The keys of the world's objects. */
  objects: ReadonlySet<string>;
  apps: AppMap;
  keys: BucketKeys;
}

/** A world kept on the target, unchanged since prepare built it. */
interface PooledWorld {
  pristine: Pristine;
  /** The world's logical bucket key. */
  bucket: string;
  /** Its one bucket (the world's). */
  held: Map<string, HeldBucket>;
}

/** JSON with the keys of every object sorted (array order kept: it decides which app each id gets): equal worlds, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isRecord(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/** Operations that change the world when allowed. */
const MUTATING: ReadonlySet<string> = new Set(['createBucket', 'deleteBucket', 'uploadObject', 'deleteObject']);

function fault(code: string, message: string): { kind: 'unreachable'; error: FaultInfo } {
  return { kind: 'unreachable', error: { code, message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a createBucket payload looks valid (§1.1 key pattern, §2 levels, at most 60 keys). Only
 * used to decide whether its grantees are worth an app each: a payload the target will refuse
 * creates nothing, so its keys can be sent verbatim. The target's answer is what is reported.
 */
function plausiblyValid(payload: Record<string, unknown>, checkKey: boolean): boolean {
  const allow = payload.allow;
  if (checkKey && (typeof payload.bucketKey !== 'string' || !APS_BUCKET_KEY_PATTERN.test(payload.bucketKey))) return false;
  if (allow === undefined) return true;
  return Array.isArray(allow) && allow.length <= APS_MAX_GRANTS
    && allow.every((g) => isRecord(g) && (APS_ACCESS_LEVELS as readonly unknown[]).includes(g.access));
}

/** Builds the APS client of a run. */
export const createApsClient: VendorClientFactory = (run: HttpRun): VendorClient => {
  const api = new ApsApi(run);
  const everyApp: readonly ResolvedIdentity[] = [run.owner, ...run.others];
  const anyClientId = run.config.capabilities.includes('grant.any-client-id');
  const region = run.config.region;
  const redact = (text: string): string => run.redactor.redact(text);
  /** Buckets whose release failed (a fault), with the sweeps they have met: removed again before new worlds. */
  const leftovers = new Map<string, HeldBucket & { sweeps: number }>();
  /**
   * Worlds kept on the target after a case that changed nothing, by content (canonicalJson),
   * least recently used first. Their buckets stay in the ledger until they are removed (evicted,
   * or by cleanup at the end of the run).
   */
  const pool = new Map<string, PooledWorld>();

  /** The observation of a reply, as the reference target reports the same decision. */
  function decided(reply: ApsReply, what: string): Observation {
    if (reply.kind === 'fault') return { kind: 'unreachable', error: reply.fault };
    const { status } = reply;
    if (status >= 200 && status < 300) return { kind: 'decided', decision: 'allow', status };
    // §4: a 400 `{"reason": ...}` is an invalid request (the createBucket payload: §1.1 key, §2 levels and limit).
    if (status === 400) return { kind: 'decided', decision: 'rejected', status };
    // §3: 401 is about the token (invalid, expired, or lacking a scope), and the client asked for
    // every scope the routes take: a credential problem of the run, not an access decision.
    if (status === 401) return fault('APS_UNAUTHORIZED', redact(`${what}: status 401${reasonOf(reply.body) === undefined ? '' : `: ${reasonOf(reply.body)}`}`));
    // §1: 403 no grant or owner-only, 404 no such bucket or object, 409 key taken or bucket already deleted.
    if (status >= 400 && status < 500) return { kind: 'decided', decision: 'deny', status };
    return fault(`HTTP_${status}`, redact(`${what}: unexpected status ${status}`));
  }

  /**
   * The allow list of a payload with each client id replaced by the one the target sees. With
   * `expectRefusal`, ids without an app are sent as they are and returned in `verbatim`: if the
   * target accepts the payload after all, they hold grants under their own names.
   */
  function rewriteAllow(state: WorldState, allow: unknown, reserve: number, expectRefusal: boolean): { kind: 'ok'; allow: unknown; verbatim: string[] } | { kind: 'short'; message: string } {
    if (!Array.isArray(allow)) return { kind: 'ok', allow, verbatim: [] };
    const out: unknown[] = [...allow];
    const verbatim: string[] = [];
    // Which ids will act is unknown when the list is sent; apps go to the ends of the list first,
    // where the suites put the keys that act (the first key of a generated world, the last of a limit).
    for (const i of endsFirst(allow.length)) {
      const entry: unknown = allow[i];
      if (!isRecord(entry) || typeof entry.authId !== 'string' || entry.authId === '') continue;
      const real = expectRefusal ? state.apps.tentative(entry.authId) : state.apps.grantee(entry.authId, reserve);
      if (real === undefined) {
        return { kind: 'short', message: `client id \`${entry.authId}\` is granted, but every app of the target is taken (${everyApp.length} apps) and the target file does not claim grant.any-client-id` };
      }
      if (expectRefusal && real === entry.authId && state.apps.appOf(real) === undefined) verbatim.push(real);
      out[i] = { ...entry, authId: real };
    }
    return { kind: 'ok', allow: out, verbatim };
  }

  /** The real key of a bucket a request acts on (not creates): any key valid on the target. */
  function namedBucket(state: WorldState, logical: string): { kind: 'key'; key: string } | { kind: 'unreachable'; error: FaultInfo } {
    const real = state.keys.real(logical, 'name');
    if (real.kind === 'unsupported') return fault(UNSUPPORTED_BUCKET_KEY, real.message);
    if (!APS_BUCKET_KEY_PATTERN.test(real.key)) return fault(UNSUPPORTED_BUCKET_KEY, `bucket key \`${logical}\` becomes \`${real.key}\` under the run prefix, which the target cannot address`);
    return real;
  }

  /** POST /oss/v2/buckets as `app`, the bucket recorded in the ledger before it is created. */
  async function createBucket(state: WorldState, app: ResolvedIdentity, realKey: string | undefined, body: unknown, options: CallOptions = {}): Promise<ApsReply> {
    if (realKey !== undefined) run.ledger.addBucket(realKey);
    // §1.1 RECOMMENDATION: the SDK's `x-ads-region` header (§5.3).
    const reply = await api.call(app, { method: 'POST', path: bucketsPath(), json: body, headers: { 'x-ads-region': region } }, options);
    if (realKey === undefined) return reply;
    if (!APS_BUCKET_KEY_PATTERN.test(realKey) && !(reply.kind === 'reply' && reply.status >= 200 && reply.status < 300)) {
      // A key outside the pattern cannot have been created (§1.1), nor could it be named in a path to remove it.
      if (!state.held.has(realKey)) run.ledger.removeBucket(realKey);
      return reply;
    }
    if (reply.kind === 'fault') {
      // It may exist: keep it in the ledger and try to remove it with the world.
      if (!state.held.has(realKey)) state.held.set(realKey, { owner: app, grantees: granteesOf(isRecord(body) ? body.allow : undefined) });
    } else if (reply.status >= 200 && reply.status < 300) {
      state.held.set(realKey, { owner: app, grantees: granteesOf(isRecord(body) ? body.allow : undefined) });
    } else if (!state.held.has(realKey)) {
      run.ledger.removeBucket(realKey);
    }
    return reply;
  }

  /** An upload through the signed S3 flow (§1.2, §5.4): URLs, PUT of the bytes, completion. */
  async function upload(app: ResolvedIdentity, bucket: string, object: string, options: CallOptions = {}, touched?: () => void): Promise<Observation> {
    const what = `uploadObject \`${object}\``;
    const urls = await api.call(app, { method: 'GET', path: objectPath(bucket, object, 'signeds3upload'), query: { parts: '1', firstPart: '1', minutesExpiration: URL_MINUTES } }, options);
    if (urls.kind === 'fault' || urls.status < 200 || urls.status >= 300) return decided(urls, `${what} (signeds3upload)`);
    // From here on the target holds an upload in progress, and may hold the object.
    touched?.();
    const body = isRecord(urls.body) ? urls.body : {};
    const uploadKey = body.uploadKey;
    const url = Array.isArray(body.urls) ? body.urls[0] : undefined;
    if (typeof uploadKey !== 'string' || typeof url !== 'string') return fault('APS_MALFORMED_REPLY', `${what}: the signeds3upload reply has no uploadKey or no URL`);
    const put = await api.transfer('PUT', url, Buffer.from(`bucket-conformance object ${object}\n`, 'utf8'), options);
    if (put.kind === 'fault') return { kind: 'unreachable', error: put.fault };
    // The signed URL is not where access is decided (§1.2: signeds3upload is): its refusal is a fault.
    if (put.status < 200 || put.status >= 300) return fault('APS_TRANSFER_REFUSED', `${what}: the signed upload URL answered ${put.status}`);
    // §1.2 [A1][A10]: "After uploading all chunks you must call Complete, even for a single chunk".
    const done = await api.call(app, { method: 'POST', path: objectPath(bucket, object, 'signeds3upload'), json: { uploadKey } }, options);
    return decided(done, `${what} (complete)`);
  }

  /** A download through the signed S3 flow (§1.2, §5.4): the URL, then the bytes. */
  async function download(app: ResolvedIdentity, bucket: string, object: string): Promise<Observation> {
    const what = `downloadObject \`${object}\``;
    const signed = await api.call(app, { method: 'GET', path: objectPath(bucket, object, 'signeds3download'), query: { minutesExpiration: URL_MINUTES } });
    if (signed.kind === 'fault' || signed.status < 200 || signed.status >= 300) return decided(signed, `${what} (signeds3download)`);
    const url = isRecord(signed.body) ? signed.body.url : undefined;
    if (typeof url === 'string') {
      const got = await api.transfer('GET', url, undefined);
      if (got.kind === 'fault') return { kind: 'unreachable', error: got.fault };
      if (got.status < 200 || got.status >= 300) return fault('APS_TRANSFER_REFUSED', `${what}: the signed download URL answered ${got.status}`);
    }
    // §1.2: "Only applications that have read access to the object can call this operation": the
    // decision is signeds3download's.
    return { kind: 'decided', decision: 'allow', status: signed.status };
  }

  /** The keys of every object in `bucket`, listed as `app` (owner-only, §1.2), or the status that refused it. */
  async function listObjects(app: ResolvedIdentity, bucket: string, options: CallOptions): Promise<{ kind: 'keys'; keys: string[] } | { kind: 'refused'; status: number } | { kind: 'fault'; fault: FaultInfo }> {
    const keys: string[] = [];
    let startAt: string | undefined;
    for (;;) {
      const query: Record<string, string> = { limit: '100' };
      if (startAt !== undefined) query.startAt = startAt;
      const reply = await api.call(app, { method: 'GET', path: bucketPath(bucket, 'objects'), query }, options);
      if (reply.kind === 'fault') return reply;
      if (reply.status < 200 || reply.status >= 300) return { kind: 'refused', status: reply.status };
      const items = isRecord(reply.body) && Array.isArray(reply.body.items) ? reply.body.items : [];
      const page = items.flatMap((i) => (isRecord(i) && typeof i.objectKey === 'string' ? [i.objectKey] : []));
      keys.push(...page);
      // §1.1 [A7]: `startAt` is the last key of the previous page; `next` is present while more follow.
      if (!(isRecord(reply.body) && reply.body.next !== undefined) || page.length === 0) return { kind: 'keys', keys };
      startAt = page[page.length - 1];
    }
  }

  /**
   * Removes one bucket of the run with its objects: objects deleted as the bucket's owner (or,
   * refused, as any app of the run: each app can delete what it uploaded, §2), then the bucket
   * as its owner. An unknown owner is found by trying each app. Only keys under `prefix`.
   */
  async function removeBucket(bucket: string, owner: ResolvedIdentity | undefined, prefix: string, options: CallOptions, quick = false): Promise<{ removed: boolean; objects: number; failure?: string }> {
    // The safety rule of issue #7: never touch a bucket without the run prefix.
    if (!isRunPrefix(prefix) || !bucket.startsWith(prefix)) throw new Error(`refusing to remove bucket \`${bucket}\`: it lacks the prefix \`${prefix}\``);
    const candidates = owner === undefined ? [...everyApp] : [owner, ...everyApp.filter((a) => a !== owner)];
    if (quick && owner !== undefined) {
      // §1 documents no refusal of DELETE Bucket for a bucket that holds objects (the emulator
      // removes them with it): one request, where listing and deleting each object takes 2 + n.
      // Anything but 200 or 404 (409 included, which could also mean "not empty") goes the long way.
      const reply = await api.call(owner, { method: 'DELETE', path: bucketPath(bucket) }, options);
      if (reply.kind === 'reply' && ((reply.status >= 200 && reply.status < 300) || reply.status === 404)) {
        run.ledger.removeBucket(bucket);
        return { removed: reply.status !== 404, objects: 0 };
      }
    }
    let objects = 0;
    let lister: ResolvedIdentity | undefined;
    let listed: string[] = [];
    for (const app of candidates) {
      const result = await listObjects(app, bucket, options);
      if (result.kind === 'fault') return { removed: false, objects, failure: redact(`bucket \`${bucket}\`: ${result.fault.code}: ${result.fault.message}`) };
      if (result.kind === 'keys') {
        lister = app;
        listed = result.keys;
        break;
      }
      // §1: 404 no such bucket (deleted buckets included): nothing left to remove.
      if (result.status === 404) {
        run.ledger.removeBucket(bucket);
        return { removed: false, objects };
      }
      // §1.2: only a 403 (not the owner) says that another app may be the owner.
      if (result.status !== 403) break;
    }
    for (const object of listed) {
      for (const app of lister === undefined ? candidates : [lister, ...candidates.filter((a) => a !== lister)]) {
        const reply = await api.call(app, { method: 'DELETE', path: objectPath(bucket, object) }, options);
        if (reply.kind === 'fault') return { removed: false, objects, failure: redact(`object \`${object}\` of bucket \`${bucket}\`: ${reply.fault.code}: ${reply.fault.message}`) };
        if (reply.status >= 200 && reply.status < 300) objects++;
        if (reply.status !== 403) break;
      }
    }
    const deleters = lister === undefined ? candidates : [lister, ...candidates.filter((a) => a !== lister)];
    let last = 0;
    for (const app of deleters) {
      const reply = await api.call(app, { method: 'DELETE', path: bucketPath(bucket) }, options);
      if (reply.kind === 'fault') return { removed: false, objects, failure: redact(`bucket \`${bucket}\`: ${reply.fault.code}: ${reply.fault.message}`) };
      last = reply.status;
      if (reply.status >= 200 && reply.status < 300) {
        run.ledger.removeBucket(bucket);
        return { removed: true, objects };
      }
      // §1 (DELETE Bucket): 404 no such bucket, 409 already marked for deletion: gone either way.
      if (reply.status === 404 || reply.status === 409) {
        run.ledger.removeBucket(bucket);
        return { removed: false, objects };
      }
      // Only a 403 (not the owner, §1) says that another app may be the owner.
      if (reply.status !== 403) break;
    }
    return { removed: false, objects, failure: `bucket \`${bucket}\`: no app of the run may delete it (last status ${last})` };
  }

  /** The bucket keys under `prefix` that `app` owns (§1: GET /oss/v2/buckets lists the caller's own), all pages. */
  async function listBuckets(app: ResolvedIdentity, prefix: string, options: CallOptions): Promise<{ kind: 'keys'; keys: string[] } | { kind: 'refused' } | { kind: 'failure'; message: string }> {
    const keys: string[] = [];
    let startAt: string | undefined;
    for (;;) {
      const query: Record<string, string> = { region, limit: '100' };
      if (startAt !== undefined) query.startAt = startAt;
      const reply = await api.call(app, { method: 'GET', path: bucketsPath(), query }, options);
      if (reply.kind === 'fault') return { kind: 'failure', message: redact(`listing the buckets of \`${app.clientId}\`: ${reply.fault.code}: ${reply.fault.message}`) };
      if (reply.status === 403) return { kind: 'refused' };
      if (reply.status < 200 || reply.status >= 300) return { kind: 'failure', message: `listing the buckets of \`${app.clientId}\`: status ${reply.status}` };
      const items = isRecord(reply.body) && Array.isArray(reply.body.items) ? reply.body.items : [];
      const page = items.flatMap((i) => (isRecord(i) && typeof i.bucketKey === 'string' ? [i.bucketKey] : []));
      // Only the run's keys are kept; nothing else is ever touched.
      keys.push(...page.filter((k) => k.startsWith(prefix)));
      // §1.1 [A4]: `startAt` is the last key of the previous page; `next` is present while more follow.
      if (!(isRecord(reply.body) && reply.body.next !== undefined) || page.length === 0) return { kind: 'keys', keys };
      startAt = page[page.length - 1];
    }
  }

  async function release(state: WorldState): Promise<void> {
    if (state.released) return;
    state.released = true;
    const pristine = state.pristine;
    if (pristine !== undefined && state.bucket !== undefined && !state.changed && state.unknown === undefined
      && state.held.size === 1 && state.held.has(pristine.realKey) && !pool.has(pristine.key) && await undoUploads(pristine.realKey, state.added)) {
      // Nothing the world's requests did changed the target: its bucket is exactly what prepare
      // built, and is kept for the next equal world (an equal world already kept: this one goes).
      pool.set(pristine.key, { pristine, bucket: state.bucket, held: new Map(state.held) });
      state.held.clear();
      while (pool.size > POOL_SIZE) {
        const [oldest, evicted] = pool.entries().next().value!;
        pool.delete(oldest);
        await removeHeld(evicted.held);
      }
      return;
    }
    await removeHeld(state.held);
  }

  /**
   * Deletes the objects that allowed uploads added (as the app that uploaded each, else as the
   * bucket's owner). False when one of them may still be there: the world is then removed.
   */
  async function undoUploads(bucket: string, added: ReadonlyMap<string, ResolvedIdentity>): Promise<boolean> {
    for (const [object, uploader] of added) {
      let gone = false;
      for (const app of uploader === run.owner ? [uploader] : [uploader, run.owner]) {
        const reply = await api.call(app, { method: 'DELETE', path: objectPath(bucket, object) }, REMOVAL);
        if (reply.kind === 'reply' && reply.status >= 200 && reply.status < 300) {
          gone = true;
          break;
        }
      }
      if (!gone) return false;
    }
    return true;
  }

  /** Removes buckets a world holds, newest first (buckets a sequence created, then the world's); what fails is a leftover. */
  async function removeHeld(buckets: Map<string, HeldBucket>): Promise<void> {
    for (const [bucket, held] of [...buckets].reverse()) {
      const result = await removeBucket(bucket, held.owner, run.ledger.prefix, REMOVAL, true);
      buckets.delete(bucket);
      if (result.failure !== undefined) {
        run.log(`release: ${result.failure}`);
        leftovers.set(bucket, { ...held, sweeps: 0 });
      }
    }
  }

  /**
   * Tries again to remove what releases could not, a few times each (the ledger keeps them for the
   * end of the run; what stays keeps its grantees out of account operations).
   */
  async function sweepLeftovers(): Promise<void> {
    for (const [bucket, held] of [...leftovers]) {
      if (held.sweeps >= LEFTOVER_SWEEPS) continue;
      held.sweeps++;
      const result = await removeBucket(bucket, held.owner, run.ledger.prefix, REMOVAL);
      if (result.failure === undefined) leftovers.delete(bucket);
    }
  }

  /**
   * Whether `app` is named in the allow list of a bucket an earlier world could not remove. Such
   * an app is a granted key on the target, which the world's reference does not know: its account
   * operations (APS-OWNER-ONLY-API, literal reading: getBuckets and createBucket are refused to a
   * granted key) would be decided by another world.
   */
  /**
   * Removes every kept world whose bucket grants `app` something: a kept bucket is a live bucket,
   * and APS-OWNER-ONLY-API (literal reading, the reference's `holdsLiveGrant`) refuses getBuckets
   * and createBucket to an app named in the allow list of any live bucket; the case that sends
   * them knows only its own world. (Cases of one adapter run one after another, suites/runner.ts,
   * so no world is kept between this and the request.)
   */
  async function evictGrantsOf(app: ResolvedIdentity): Promise<void> {
    for (const [key, kept] of [...pool]) {
      if (![...kept.held.values()].some((h) => h.grantees.has(app.clientId!))) continue;
      pool.delete(key);
      await removeHeld(kept.held);
    }
  }

  function grantedElsewhere(app: ResolvedIdentity): string | undefined {
    for (const [bucket, held] of leftovers) if (held.grantees.has(app.clientId!)) return bucket;
    return undefined;
  }

  async function observe(state: WorldState, raw: Request): Promise<Observation> {
    if (state.released) return fault('RELEASED', 'the world was released');
    if (state.unknown !== undefined) {
      return fault('WORLD_STATE_UNKNOWN', `an earlier request that changes the world ended without a decision (${state.unknown.code}), so the world may not be the one expected`);
    }
    const request = raw as ApsRequest;
    let observation: Observation;
    try {
      observation = await send(state, request);
    } catch (error) {
      state.changed = true;
      throw error;
    }
    if (observation.kind === 'unreachable') {
      // Whatever it was, a request without a decision leaves the world unkept (a removal is cheap next to a wrong world).
      state.changed = true;
      if (MUTATING.has(request.operation)) state.unknown = observation.error;
    } else if (MUTATING.has(request.operation) && observation.decision === 'allow') {
      const pristine = state.pristine;
      // An object the world did not have, uploaded to the world's bucket: undone at release (a
      // deleted object leaves nothing behind, §1.2 DELETE Object; the reference store forgets it too).
      // Anything else an allowed request changes (an overwrite, a deletion, a bucket) is not undone.
      if (request.operation === 'uploadObject' && pristine !== undefined && request.object !== undefined && !pristine.objects.has(request.object)
        && (request.bucket ?? state.bucket) === state.bucket) {
        const actor = state.apps.appOf(request.actor);
        if (actor === undefined) state.changed = true;
        else state.added.set(request.object, actor);
      } else {
        state.changed = true;
      }
    }
    return observation;
  }

  async function send(state: WorldState, request: ApsRequest): Promise<Observation> {
    if (!isApsOperation(request.operation)) throw new ConformanceError('CONFORMANCE_INPUT', `unknown APS operation \`${String(request.operation)}\`; operations: ${APS_OPERATIONS.join(', ')}`);
    const actor = state.apps.actor(request.actor, `acts in a ${request.operation} request`);
    if ('shortage' in actor) return fault(NOT_ENOUGH_IDENTITIES, actor.shortage);
    const { operation } = request;

    if (operation === 'getBuckets' || operation === 'createBucket') {
      await evictGrantsOf(actor);
      const elsewhere = grantedElsewhere(actor);
      if (elsewhere !== undefined) return fault('LEFTOVER_GRANT', `the app acting as \`${request.actor}\` is granted on bucket \`${elsewhere}\`, which an earlier world left behind`);
    }

    if (operation === 'getBuckets') {
      // §1: GET /oss/v2/buckets lists the app's own buckets; one item is enough to see the decision,
      // and reads as little as possible of what is not the run's.
      return decided(await api.call(actor, { method: 'GET', path: bucketsPath(), query: { region, limit: '1' } }), 'getBuckets');
    }

    if (operation === 'createBucket') {
      const payload = request.payload as unknown;
      if (!isRecord(payload)) return decided(await createBucket(state, actor, undefined, payload), 'createBucket');
      const body: Record<string, unknown> = { ...payload };
      let realKey: string | undefined;
      if (typeof payload.bucketKey === 'string') {
        const real = state.keys.real(payload.bucketKey, 'create');
        if (real.kind === 'unsupported') return fault(UNSUPPORTED_BUCKET_KEY, real.message);
        realKey = real.key;
        body.bucketKey = realKey;
      } else if (payload.bucketKey !== undefined) {
        // A key that is not a string cannot carry the prefix, and a lenient target might create it.
        return fault(UNSUPPORTED_BUCKET_KEY, `a bucketKey that is not a string (${JSON.stringify(payload.bucketKey)}) cannot carry the run prefix`);
      }
      // Grantees of a payload the target will refuse are not worth an app; the others get one each (no reserve:
      // a request's grantees are the apps that act next).
      const allow = rewriteAllow(state, payload.allow, 0, !plausiblyValid(payload, true));
      if (allow.kind === 'short') return fault(NOT_ENOUGH_IDENTITIES, allow.message);
      if (payload.allow !== undefined) body.allow = allow.allow;
      const reply = await createBucket(state, actor, realKey, body);
      if (reply.kind === 'fault' || (reply.status >= 200 && reply.status < 300)) state.apps.grantedVerbatim(allow.verbatim);
      return decided(reply, 'createBucket');
    }

    const logical = request.bucket ?? state.bucket;
    if (logical === undefined) throw new ConformanceError('CONFORMANCE_INPUT', `\`${operation}\` acts on a bucket, but the request names none and the world has none`);
    const named = namedBucket(state, logical);
    if (named.kind === 'unreachable') return named;
    const bucket = named.key;

    if (!isObjectOperation(operation)) {
      if (operation === 'getBucketDetails') return decided(await api.call(actor, { method: 'GET', path: bucketPath(bucket, 'details') }), operation);
      if (operation === 'getBucketObjects') return decided(await api.call(actor, { method: 'GET', path: bucketPath(bucket, 'objects'), query: { limit: '1' } }), operation);
      if (operation !== 'deleteBucket') throw new Error(`unreachable: bucket operation \`${operation}\``);
      const reply = await api.call(actor, { method: 'DELETE', path: bucketPath(bucket) });
      if (reply.kind === 'reply' && reply.status >= 200 && reply.status < 300) {
        // §1.1 [A5]: the key of a deleted bucket stays taken; nothing of it is left to remove.
        state.held.delete(bucket);
        run.ledger.removeBucket(bucket);
      }
      return decided(reply, operation);
    }

    const object = request.object;
    if (object === undefined) throw new ConformanceError('CONFORMANCE_INPUT', `\`${operation}\` acts on an object; the request must name \`object\``);
    switch (operation) {
      case 'uploadObject': {
        let touched = false;
        const uploaded = await upload(actor, bucket, object, {}, () => { touched = true; });
        // Past its first step, an upload that was not completed may have left something (an allowed one is judged by observe).
        if (touched && !(uploaded.kind === 'decided' && uploaded.decision === 'allow')) state.changed = true;
        return uploaded;
      }
      case 'downloadObject':
        return download(actor, bucket, object);
      case 'getObjectDetails':
        return decided(await api.call(actor, { method: 'GET', path: objectPath(bucket, object, 'details') }), operation);
      case 'deleteObject':
        return decided(await api.call(actor, { method: 'DELETE', path: objectPath(bucket, object) }), operation);
    }
  }

  /** Whether the bucket `key` is as the run's owner created it with `body` (owner and grants, §1 bucket details). */
  async function isWorldBucket(key: string, body: Record<string, unknown>): Promise<'match' | 'differs' | FaultInfo> {
    const details = await api.call(run.owner, { method: 'GET', path: bucketPath(key, 'details') });
    if (details.kind === 'fault') return details.fault;
    if (details.status !== 200 || !isRecord(details.body) || details.body.bucketOwner !== run.owner.clientId) return 'differs';
    const grants = (list: unknown): string[] => (Array.isArray(list) ? list : [])
      .flatMap((g) => (isRecord(g) && g.authId !== run.owner.clientId ? [`${String(g.authId)}:${String(g.access)}`] : []))
      .sort();
    return JSON.stringify(grants(details.body.permissions)) === JSON.stringify(grants(body.allow)) ? 'match' : 'differs';
  }

  async function prepare(raw: World): Promise<Preparation> {
    const world = raw as ApsWorld;
    if (world.vendor !== 'aps-oss') throw new ConformanceError('CONFORMANCE_INPUT', `the APS client cannot prepare a world of vendor \`${String(world.vendor)}\``);
    if (leftovers.size > 0) await sweepLeftovers();
    const poolKey = world.bucket === undefined ? undefined : canonicalJson(world);
    const kept = poolKey === undefined ? undefined : pool.get(poolKey);
    if (poolKey !== undefined && kept !== undefined) {
      // An equal world is on the target, unchanged: this case takes it (it is no longer kept while
      // the case runs). Its maps are the ones prepare left: the world's ids (owner, uploaders,
      // grantees, ids granted verbatim) keep their apps, which the bucket's owner, grants and
      // objects on the target were built with; the ids the earlier case's requests bound
      // (strangers, grantees of its refused createBucket payloads) and the keys they named are
      // forgotten. Keeping them would be safe for this bucket's decisions (a request-time app was
      // free when the world was built, so it holds no grant on it and does not own it), but would
      // use up apps, and an id that was a stranger there must be free to be anything here.
      pool.delete(poolKey);
      const reused: WorldState = { apps: kept.pristine.apps.clone(), keys: kept.pristine.keys.clone(), held: kept.held, bucket: kept.bucket, released: false, changed: false, added: new Map(), pristine: kept.pristine };
      return { kind: 'ready', observe: (request) => observe(reused, request), release: () => release(reused) };
    }
    const state: WorldState = { apps: new AppMap(run.owner, run.others, anyClientId), keys: new BucketKeys(run.nextWorldPrefix()), held: new Map(), bucket: world.bucket?.key, released: false, changed: false, added: new Map() };
    const ready: Preparation = { kind: 'ready', observe: (request) => observe(state, request), release: () => release(state) };
    const objects = world.objects ?? [];
    if (world.bucket === undefined) {
      if (objects.length > 0) throw new ConformanceError('CONFORMANCE_INPUT', `the world has ${objects.length} object(s) but no bucket to upload them to`);
      return ready;
    }
    const bucket = world.bucket;
    // The world's owner is the run's owner; its uploaders act while the world is built, so they
    // need apps before any grantee does.
    state.apps.bindOwner(bucket.owner);
    const uploaders = new Map<string, ResolvedIdentity>();
    for (const o of objects) {
      const app = state.apps.actor(o.uploadedBy, 'uploads a world object');
      if ('shortage' in app) return fault(NOT_ENOUGH_IDENTITIES, app.shortage);
      uploaders.set(o.uploadedBy, app);
    }
    const named = namedBucket(state, bucket.key);
    if (named.kind === 'unreachable') return named;
    const realKey = named.key;
    const body: Record<string, unknown> = { bucketKey: realKey };
    if (bucket.policyKey !== undefined) body.policyKey = bucket.policyKey;
    let verbatim: string[] = [];
    if (bucket.allow !== undefined) {
      const allow = rewriteAllow(state, bucket.allow, STRANGER_RESERVE, !plausiblyValid(bucket as unknown as Record<string, unknown>, false));
      if (allow.kind === 'short') return fault(NOT_ENOUGH_IDENTITIES, allow.message);
      body.allow = allow.allow;
      verbatim = allow.verbatim;
    }
    // Building the world may be retried after any fault: a creation that was applied before the
    // fault then answers 409, and the bucket is the world's if it is exactly what was asked for.
    let created = await createBucket(state, run.owner, realKey, body, { retry: 'all' });
    if (created.kind === 'reply' && created.status === 409) {
      // The key is under a prefix no other world has: only an earlier attempt can have taken it.
      // It is the run's either way, and removed with the world unless it is exactly the world's.
      run.ledger.addBucket(realKey);
      state.held.set(realKey, { owner: run.owner, grantees: granteesOf(body.allow) });
      const mine = await isWorldBucket(realKey, body);
      if (mine !== 'match') {
        await release(state);
        return fault(typeof mine === 'string' ? 'WORLD_UNCERTAIN' : mine.code, typeof mine === 'string' ? `the world's bucket \`${bucket.key}\` answered 409 after a retry, and is not the bucket asked for` : mine.message);
      }
      created = { ...created, status: 200 };
    }
    if (created.kind === 'fault' || (created.status >= 200 && created.status < 300)) state.apps.grantedVerbatim(verbatim);
    if (created.kind === 'fault') {
      await release(state);
      return { kind: 'unreachable', error: created.fault };
    }
    if (created.status < 200 || created.status >= 300) {
      // §1.1, §2: a 400 for a payload the target refuses (61 keys, an unknown level): the world is rejected.
      const seen = decided(created, 'createBucket (the world\'s bucket)');
      if (seen.kind === 'unreachable') return seen;
      const reason = reasonOf(created.body);
      return { kind: 'rejected', status: created.status, message: redact(`the target refused to create the world's bucket \`${bucket.key}\`${reason === undefined ? '' : `: ${reason}`}`) };
    }
    for (const [i, o] of objects.entries()) {
      // An upload repeated by its uploader leaves the same object of the same uploader (§2: the
      // object stays the app's that created it), so a faulted one is tried again from the start.
      let uploaded: Observation = await upload(uploaders.get(o.uploadedBy)!, realKey, o.key);
      for (let attempt = 1; uploaded.kind === 'unreachable' && attempt < run.config.limits.attempts; attempt++) {
        uploaded = await upload(uploaders.get(o.uploadedBy)!, realKey, o.key);
      }
      if (uploaded.kind === 'decided' && uploaded.decision === 'allow') continue;
      await release(state);
      if (uploaded.kind === 'unreachable') return uploaded;
      // The world is one a client can build under the documented rules (the reference refuses any
      // other); a refused upload is the target's doing, reported as the reference reports it.
      return { kind: 'rejected', ...(uploaded.status === undefined ? {} : { status: uploaded.status }), message: `the target refused to build the world: object \`${o.key}\` (\`objects[${i}]\`) cannot be uploaded by \`${o.uploadedBy}\`` };
    }
    if (poolKey !== undefined) state.pristine = { key: poolKey, realKey, objects: new Set(objects.map((o) => o.key)), apps: state.apps.clone(), keys: state.keys.clone() };
    return ready;
  }

  return {
    vendor: 'aps-oss',
    async capabilities(): Promise<ReadonlySet<Capability>> {
      const features = new Set<Capability>(['principal.owner', 'observe.status']);
      // principal.apps: "bucket owners, a granted key per access level, and strangers" need three apps at least.
      if (everyApp.length >= 3) features.add('principal.apps');
      for (const claim of run.config.capabilities) if (FILE_CLAIMS.has(claim)) features.add(claim);
      // Not claimed: principal.anonymous (an APS request always names the app that sends it, so the
      // suites have no anonymous APS request to send), request.* (APS requests carry no context:
      // no source address, user agent or list prefix is ever part of a decision), policy and acl
      // (APS has grants, not policies), and what no live target can give (observe.explanation,
      // request.current-time).
      return features;
    },
    async sourceAddresses(): Promise<SourceAddressSpace | undefined> {
      // APS requests carry no source address (see capabilities); the block is reported for
      // completeness, as every dialect does.
      if (run.config.sourceIp === 'loopback') return { v4: '127.0.0.0/8' };
      const known = run.config.knownSourceIp;
      if (run.config.sourceIp === 'known' && known !== undefined) return known.includes(':') ? { v6: `${known}/128` } : { v4: `${known}/32` };
      return undefined;
    },
    actions(): ReadonlySet<string> {
      // Every operation of the model maps to a route the emulator serves (§1, emulator README).
      return new Set<string>(APS_OPERATIONS);
    },
    async probe(): Promise<IdentityProbe[]> {
      // The token request of each app (client credentials, §3 [A12]): it proves the client id and
      // secret and touches no bucket. The token is kept (ApsApi caches it), so the run's first
      // call of each app costs no second token request. No code means "authenticated but refused"
      // here: the token endpoint either issues a token or refuses the credentials.
      return Promise.all(everyApp.map(async (app) => {
        const got = await api.token(app, { outsideBudget: true });
        if (got.kind === 'token') return { where: app.where, kind: app.kind, result: 'accepted' as const };
        if (got.refusal !== undefined) return answeredProbe(app, got.refusal.status, got.refusal.code, NO_CODES);
        return faultedProbe(app, got.fault, run.redactor);
      }));
    },
    prepare,
    async cleanup(prefix: string): Promise<CleanupSummary> {
      const summary: CleanupSummary = { buckets: 0, objects: 0, failures: [] };
      if (!isRunPrefix(prefix)) {
        summary.failures.push(`refusing to clean up \`${prefix}\`: not a run prefix`);
        return summary;
      }
      const options = REMOVAL;
      // Kept worlds under the prefix are removed below with the rest (their buckets are in the ledger).
      for (const [key, kept] of [...pool]) if ([...kept.held.keys()].every((b) => b.startsWith(prefix))) pool.delete(key);
      // Buckets to remove: the ledger's, and what each app lists under the prefix (a bucket a
      // request created belongs to the app that sent it, §1: GET buckets lists one's own).
      const found = new Map<string, ResolvedIdentity | undefined>();
      for (const b of run.ledger.buckets()) if (b.startsWith(prefix)) found.set(b, undefined);
      let listers = [...everyApp];
      const done = new Set<string>();
      const failed = new Map<string, string>();
      let unlisted: ResolvedIdentity[] = [];
      // Several passes: removing a bucket removes its grants, and an app that held one may list its
      // own buckets afterwards (APS-OWNER-ONLY-API, literal reading: a granted key gets 403).
      for (let pass = 0; pass <= everyApp.length && listers.length > 0; pass++) {
        const refused: ResolvedIdentity[] = [];
        for (const app of listers) {
          const listed = await listBuckets(app, prefix, options);
          if (listed.kind === 'refused') refused.push(app);
          else if (listed.kind === 'failure') summary.failures.push(listed.message);
          else for (const k of listed.keys) if (!done.has(k)) found.set(k, app);
        }
        let progress = false;
        for (const [bucket, owner] of found) {
          if (done.has(bucket)) continue;
          const result = await removeBucket(bucket, owner, prefix, options);
          summary.objects += result.objects;
          if (result.removed) summary.buckets++;
          if (result.failure === undefined) {
            done.add(bucket);
            failed.delete(bucket);
            progress = true;
          } else {
            failed.set(bucket, result.failure);
          }
        }
        unlisted = refused;
        if (!progress) break;
        listers = refused;
      }
      summary.failures.push(...failed.values());
      if (unlisted.length > 0) summary.failures.push(`apps that hold grants could not list their buckets: ${unlisted.map((a) => `\`${a.clientId}\``).join(', ')}`);
      return summary;
    },
  };
};
