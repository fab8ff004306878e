/**
 * The Huawei Cloud OBS dialect of the live HTTP adapter (issue #7): builds each world on the
 * target under the run prefix as a client would (CreateBucket, PutBucketAcl, PutBucketPolicy as
 * the owner), sends each request as the real identity its world principal maps to, signed with
 * the OBS or AWS V2 signature the target file names (vendor notes huawei-obs.md §6; the log
 * delivery service with the emulator-only key of a `log-delivery` identity), and reports
 * what the target did in the reference adapter's terms (decision, status, code). Section numbers
 * below are those of the vendor notes.
 */
import { isIP } from 'node:net';
import type { Capability, SourceAddressSpace } from '../../../model/capabilities.ts';
import { ConformanceError } from '../../../model/errors.ts';
import { obsAction } from '../../../model/huawei-obs/actions.ts';
import { OBS_ANONYMOUS, OBS_LOG_DELIVERY, type ObsRequest, type ObsWorld } from '../../../model/huawei-obs/types.ts';
import type { FaultInfo, Observation } from '../../../model/outcome.ts';
import { worldPolicyText, type Request, type World } from '../../../model/world.ts';
import type { Preparation, PreparedWorld } from '../../types.ts';
import type { ResolvedIdentity } from '../config.ts';
import { probeOf, type IdentityProbe } from '../probe.ts';
import { isRunPrefix } from '../run.ts';
import type { HttpResponse, SendOutcome } from '../transport.ts';
import type { CleanupSummary, HttpRun, VendorClient, VendorClientFactory } from '../types.ts';
import { ObsIdentityMap, realIdentities, type RealIdentities } from './identities.ts';
import { aclAccounts, policyPrincipals, rewriteAcl, rewritePolicyText, type Naming } from './rewrite.ts';
import type { ObsCredentials } from './signing.ts';
import { aclXml, bucketNames, createBucketXml, errorCode, loggingXml, objectPage, obsEndpoint, obsHttpRequest, prefixed, type ObsEndpoint, type ObsOperation } from './wire.ts';

/**
 * The actions this client sends: those of the catalogue (model/huawei-obs/actions.ts) that the
 * emulator's dialect serves (emulator/huawei-obs/README.md "Operations") and that map to one
 * request each. The one left out, PutBucketVersioning, is answered 405 by the emulator.
 */
export const OBS_CLIENT_ACTIONS: ReadonlySet<string> = new Set([
  'HeadBucket', 'ListBucket', 'ListBucketVersions', 'ListBucketMultipartUploads', 'PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy',
  'PutBucketAcl', 'GetBucketAcl', 'GetBucketLocation', 'PutBucketLogging', 'GetBucketLogging', 'GetBucketVersioning',
  'PutObject', 'GetObject', 'GetObjectAcl', 'PutObjectAcl', 'DeleteObject', 'DeleteObjectVersion',
]);

/**
 * What enabling logging grants the log delivery group on the target bucket (vendor notes §5.4,
 * O4: "automatically granted the permission to read the bucket ACL and write the bucket where
 * logs are saved"), so that the client knows the ACL in force after an allowed PutBucketLogging.
 */
const LOG_DELIVERY_PERMISSIONS: readonly string[] = ['WRITE', 'READ_ACP'];

/** The log prefix a PutBucketLogging names (the world's requests name only the target bucket). */
const LOG_PREFIX = 'logs/';

/**
 * Capabilities this client never takes from the file's `capabilities` list (issue #7).
 * `principal.log-delivery` comes from a `log-delivery` identity instead, never from a claim.
 */
const NEVER_CLAIMED: ReadonlySet<Capability> = new Set(['request.current-time', 'observe.explanation', 'principal.log-delivery', 'bucket.vector']);

/**
 * The version a DeleteObjectVersion names when the request carries no `versionId`: `null`, the
 * version id of an object uploaded while versioning was never enabled (what every world's
 * objects are; the emulator lists them so, README "Operations").
 */
const NULL_VERSION = 'null';

/**
 * The status the reference reports for an allowed action whose wire answer differs
 * (adapters/reference/huawei-obs/evaluate.ts: "issue #4 gives DeleteObject 204 too, every other
 * allow 200"): DeleteObjectVersion is answered 204 No Content on the wire (as DeleteObject,
 * emulator/huawei-obs/README.md "Operations") and reported 200, as the reference does.
 */
const REFERENCE_ALLOW_STATUS: Readonly<Record<string, number>> = { DeleteObjectVersion: 200 };

/** The object actions whose 404 NoSuchKey comes after the access check (README "Operations"): allowed, the object is missing. */
const MISSING_OBJECT_ALLOWED: ReadonlySet<string> = new Set(['GetObject', 'GetObjectAcl', 'PutObjectAcl']);

/** The list actions, which carry the condition keys `prefix`, `delimiter` and `max-keys` as query parameters (vendor notes §1.6, O1). */
const LIST_ACTIONS: ReadonlySet<string> = new Set(['ListBucket', 'ListBucketVersions']);

/** The body of every object the client uploads. */
const OBJECT_BODY = Buffer.from('bucket-conformance\n');

/** The bucket-policy APIs, which only the owner may use (OBS-OWNER-MANAGES). */
const POLICY_APIS: ReadonlySet<string> = new Set(['PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy']);

/**
 * Bucket canned ACLs as the grants they stand for (vendor notes §5.3, O17 "Conversion Between
 * Two ACL Formats"; §5.4 for the S3-compatible ones), `owner` for the bucket owner's grant.
 */
const CANNED_BUCKET_ACLS: Readonly<Record<string, readonly string[]>> = {
  'private': ['owner|FULL_CONTROL'],
  'public-read': ['owner|FULL_CONTROL', 'Everyone|READ'],
  'public-read-write': ['owner|FULL_CONTROL', 'Everyone|READ', 'Everyone|WRITE'],
  'public-read-delivered': ['owner|FULL_CONTROL', 'Everyone|READ'],
  'public-read-write-delivered': ['owner|FULL_CONTROL', 'Everyone|READ', 'Everyone|WRITE'],
  'authenticated-read': ['owner|FULL_CONTROL', 'AuthenticatedUsers|READ'],
  'log-delivery-write': ['owner|FULL_CONTROL', 'LogDelivery|WRITE', 'LogDelivery|READ_ACP'],
  'bucket-owner-read': ['owner|FULL_CONTROL'],
  'bucket-owner-full-control': ['owner|FULL_CONTROL'],
};

// Vendor notes §6.4 (O15's naming rules), as the emulator checks them.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function unreachable(code: string, message: string): { kind: 'unreachable'; error: FaultInfo } {
  return { kind: 'unreachable', error: { code, message } };
}

function credentialsOf(identity: ResolvedIdentity): ObsCredentials {
  return {
    accessKeyId: identity.accessKeyId ?? '',
    secretAccessKey: identity.accessKeySecret ?? '',
    ...(identity.securityToken === undefined ? {} : { securityToken: identity.securityToken }),
  };
}

/** Whether an IPv4 address is in 127.0.0.0/8. */
function isLoopbackV4(address: string): boolean {
  return isIP(address) === 4 && address.startsWith('127.');
}

function sameBody(a: string | Uint8Array | undefined, b: string | Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}

/**
 * Whether `acl` is exactly the grants of canned ACL `canned` for `owner` (in any order), so that
 * a PutBucketAcl carrying both can be sent as the `x-obs-acl` header alone.
 */
function isCannedAcl(acl: unknown, canned: string, owner: string): boolean {
  const expected = CANNED_BUCKET_ACLS[canned];
  if (expected === undefined || !Array.isArray(acl)) return false;
  const seen = acl.map((g: unknown) => {
    const grant = g as { grantee?: { account?: unknown; group?: unknown }; permission?: unknown } | null;
    const grantee = grant?.grantee;
    const who = grantee?.account === owner ? 'owner' : typeof grantee?.group === 'string' ? grantee.group : '?';
    return `${who}|${String(grant?.permission)}`;
  });
  return JSON.stringify([...seen].sort()) === JSON.stringify([...expected].sort());
}

/** Builds the OBS client of a run. */
export const createObsClient: VendorClientFactory = (run: HttpRun): VendorClient => new ObsClient(run);

/** The OBS client of one run. */
class ObsClient implements VendorClient {
  readonly vendor = 'huawei-obs' as const;
  readonly run: HttpRun;
  readonly endpoint: ObsEndpoint;
  readonly real: RealIdentities;
  /** The emulator-only key of the log delivery service, when the file has one (config.ts, kind `log-delivery`). */
  readonly logDelivery: ResolvedIdentity | undefined;

  constructor(run: HttpRun) {
    this.run = run;
    this.endpoint = obsEndpoint(run.config);
    this.real = realIdentities(run.owner, run.others);
    this.logDelivery = run.others.find((i) => i.kind === 'log-delivery');
    if (run.owner.kind !== 'account' || run.owner.id === undefined) {
      throw new ConformanceError('CONFORMANCE_TARGET_CONFIG', `${run.owner.where}: the owner of an OBS target is an account with an \`id\``);
    }
  }

  async capabilities(): Promise<ReadonlySet<Capability>> {
    const features = new Set<Capability>([
      'principal.owner',
      // An unsigned request can always be sent (vendor notes §6.3: no AK/SK, no Authorization header).
      'principal.anonymous',
      'policy',
      'policy.raw',
      'acl',
      'request.prefix',
      'request.user-agent',
      'request.acl-header',
      'observe.status',
    ]);
    if (this.real.others.some((a) => a.identity !== undefined)) features.add('principal.other-account');
    // The OBS generators draw two kinds of IAM user under this one capability: a user of the
    // owner's account (the owner for the policy APIs, OBS-OWNER-MANAGES) and a user of another
    // account (generators/huawei-obs/requests.ts OBS_KIND_CAPABILITIES). Claiming it with only
    // one kind would make every case of the other inconclusive, so both are needed.
    if (this.real.owner.users.length > 0 && this.real.others.some((a) => a.users.length > 0)) features.add('principal.ram-user');
    // The log delivery service (the reference's principal `log-delivery`) can be acted as only with the emulator-only
    // key the file names (emulator/huawei-obs/README.md "The log delivery service"); a real OBS has none.
    if (this.logDelivery !== undefined) features.add('principal.log-delivery');
    if (this.run.config.sourceIp === 'header' || await this.sourceAddresses() !== undefined) features.add('request.source-ip');
    for (const claim of this.run.config.capabilities) {
      if (NEVER_CLAIMED.has(claim)) continue;
      if (claim === 'request.secure-transport' && !this.endpoint.secure) continue;
      features.add(claim);
    }
    // Not claimed: principal.role-session (an OBS request has no session principal), request.access-id (OBS has no
    // condition key on the AccessKey, §1.6), request.source-vpc (no VPC key either) unless the file claims them.
    return features;
  }

  async sourceAddresses(): Promise<SourceAddressSpace | undefined> {
    const config = this.run.config;
    if (config.sourceIp === 'loopback') return { v4: '127.0.0.0/8' };
    if (config.sourceIp === 'known' && config.knownSourceIp !== undefined) {
      const family = isIP(config.knownSourceIp);
      if (family === 4) return { v4: `${config.knownSourceIp}/32` };
      if (family === 6) return { v6: `${config.knownSourceIp}/128` };
    }
    // `known` whose address could not be discovered when the run started (source-address.ts): no
    // address, so no condition on the source address is exercised.
    return undefined;
  }

  actions(): ReadonlySet<string> {
    return OBS_CLIENT_ACTIONS;
  }

  async probe(): Promise<IdentityProbe[]> {
    // ListBuckets (GET / on the service endpoint, vendor notes §1.4): read-only, and signed as every
    // request of the identity is. An IAM user without the permission, and the emulator's log
    // delivery key (which has no account), get 403 AccessDenied, which still proves the credentials.
    const identities = [this.run.owner, ...this.run.others];
    return Promise.all(identities.map(async (identity) => probeOf(identity, await this.send({ method: 'GET' }, identity, { outsideBudget: true }), errorCode, this.run.redactor)));
  }

  async prepare(world: World): Promise<Preparation> {
    const w = world as ObsWorld;
    if (w.vendor !== 'huawei-obs') throw new ConformanceError('CONFORMANCE_INPUT', `the OBS client cannot prepare a world of vendor \`${String(w.vendor)}\``);
    const b = w.bucket as { name?: unknown; owner?: unknown } | undefined;
    if (typeof b?.name !== 'string' || b.name === '' || typeof b.owner !== 'string' || b.owner === '') {
      throw new ConformanceError('CONFORMANCE_INPUT', 'an OBS world needs `bucket: {name, owner}` with non-empty strings');
    }
    return new ObsWorldOnTarget(this, w).build();
  }

  #sizeNoted = false;

  /** Says once per run that policies are sent longer than the world's (the prefix, with no slack to make up for it). */
  noteSizeDifference(): void {
    if (this.#sizeNoted) return;
    this.#sizeNoted = true;
    this.run.log('some policies are sent longer than the world wrote them: the bucket prefix adds bytes, and they have no Sid or other bucket to take them back from');
  }

  /**
   * Sends one operation as `identity` (anonymous when absent). A request under test is retried as
   * the transport decides (a change only after faults that prove it was not applied); the
   * client's own setup and removal steps (`setup`) are retried after any fault, since doing one
   * twice leaves the same state (a second delete finds the object gone, a second create finds the
   * bucket ours).
   */
  send(op: ObsOperation, identity: ResolvedIdentity | undefined, options: { outsideBudget?: boolean; setup?: boolean } = {}): Promise<SendOutcome> {
    const credentials = identity === undefined ? undefined : credentialsOf(identity);
    return this.run.transport.send(() => obsHttpRequest(this.endpoint, op, credentials), {
      ...(options.outsideBudget ? { outsideBudget: true } : {}),
      ...(options.setup ? { retry: 'all' as const } : {}),
    });
  }

  /** A short description of a response, for messages (redacted). */
  describe(what: string, response: HttpResponse): string {
    const code = errorCode(response);
    return this.run.redactor.redact(`${what}: status ${response.status}${code === undefined ? '' : ` ${code}`}`);
  }

  /**
   * Removes a bucket of the run. A bucket known to hold no object is deleted at once; if that is
   * refused (a policy may deny the owner anything but the policy APIs, OBS-OWNER-MANAGES), or the
   * bucket may hold objects: its policy goes first, then its ACL back to private (the owner may
   * have lost WRITE, and with it DeleteObject, OBS-ACL-OWNER-DATA; it keeps WRITE_ACP,
   * OBS-ACL-OWNER-ACP), then its objects, then the bucket.
   */
  async removeBucket(name: string, prefix: string, what: { objects: boolean }): Promise<{ removed: boolean; objects: number; failures: string[] }> {
    // The safety rule of issue #7: nothing without the prefix is ever touched.
    if (prefix === '' || !name.startsWith(prefix)) throw new Error(`refusing to remove bucket \`${name}\`: it lacks the prefix \`${prefix}\``);
    const owner = this.run.owner;
    const failures: string[] = [];
    let objects = 0;
    // After a fault the endpoint is not answering: the rest is left to the end of the run (the bucket stays in the ledger).
    let faulted = false;
    const step = async (label: string, op: ObsOperation, ok: (r: HttpResponse) => boolean): Promise<HttpResponse | undefined> => {
      if (faulted) return undefined;
      const outcome = await this.send(op, owner, { outsideBudget: true, setup: true });
      if (outcome.kind === 'fault') {
        faulted = true;
        failures.push(this.run.redactor.redact(`${name}: ${label}: ${outcome.fault.code}: ${outcome.fault.message}`));
        return undefined;
      }
      if (!ok(outcome.response)) {
        failures.push(this.describe(`${name}: ${label}`, outcome.response));
        return undefined;
      }
      return outcome.response;
    };
    const gone = (r: HttpResponse) => r.status === 404 && errorCode(r) === 'NoSuchBucket';
    const emptyAll = async (): Promise<void> => {
      let marker: string | undefined;
      for (let page = 0; page < 10_000; page++) {
        const listed = await step('list objects', { method: 'GET', bucket: name, query: [['max-keys', '1000'], ...(marker === undefined ? [] : [['marker', marker] as const])] }, (r) => r.status === 200 || gone(r));
        if (listed === undefined || listed.status !== 200) return;
        const { keys, next } = objectPage(listed.body);
        const deleted = await Promise.all(keys.map((key) => step(`delete object`, { method: 'DELETE', bucket: name, key }, (r) => r.status === 204 || r.status === 200 || r.status === 404)));
        objects += deleted.filter((r) => r !== undefined).length;
        if (next === undefined) return;
        marker = next;
      }
    };
    const resetAcl = { method: 'PUT', bucket: name, query: [['acl']], headers: { [prefixed(this.endpoint, 'acl')]: 'private' } } as const;
    const deleteBucket = { method: 'DELETE', bucket: name } as const;
    let deleted: HttpResponse | undefined;
    // Objects nobody expected (an upload whose answer was lost) show as 409 BucketNotEmpty.
    let objectsToo = what.objects;
    if (!what.objects) {
      // An empty bucket: most policies leave the owner DeleteBucket, so that is tried first (one request, not three).
      const direct = await this.send(deleteBucket, owner, { outsideBudget: true, setup: true });
      if (direct.kind === 'fault') {
        faulted = true;
        failures.push(this.run.redactor.redact(`${name}: delete bucket: ${direct.fault.code}: ${direct.fault.message}`));
      } else if (direct.response.status === 204 || direct.response.status === 200 || gone(direct.response)) {
        deleted = direct.response;
      } else if (direct.response.status === 409) {
        objectsToo = true;
      }
    }
    if (deleted === undefined && !faulted) {
      await step('delete policy', { method: 'DELETE', bucket: name, query: [['policy']] }, (r) => r.status === 204 || r.status === 200 || gone(r));
      // Listing and deleting objects take READ and WRITE, which the ACL may have taken from the owner.
      if (objectsToo) {
        await step('reset ACL', resetAcl, (r) => r.status === 200 || gone(r));
        await emptyAll();
      }
      deleted = await step('delete bucket', deleteBucket, (r) => r.status === 204 || r.status === 200 || gone(r));
    }
    const removed = deleted !== undefined;
    if (removed) this.run.ledger.removeBucket(name);
    return { removed, objects, failures };
  }

  async cleanup(prefix: string): Promise<CleanupSummary> {
    const summary: CleanupSummary = { buckets: 0, objects: 0, failures: [] };
    if (!isRunPrefix(prefix)) {
      summary.failures.push(`refusing to clean up \`${prefix}\`: it is not a run prefix (such as \`bcrun-mi2x7k3a-q3fz-\`)`);
      return summary;
    }
    const listed = await this.send({ method: 'GET' }, this.run.owner, { outsideBudget: true });
    if (listed.kind === 'fault') {
      summary.failures.push(this.run.redactor.redact(`list buckets: ${listed.fault.code}: ${listed.fault.message}`));
      return summary;
    }
    if (listed.response.status !== 200) {
      summary.failures.push(this.describe('list buckets', listed.response));
      return summary;
    }
    let names: string[];
    try {
      names = bucketNames(listed.response.body);
    } catch (error) {
      summary.failures.push(this.run.redactor.redact(`list buckets: the answer is not a bucket list: ${(error as Error).message}`));
      return summary;
    }
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const result = await this.removeBucket(name, prefix, { objects: true });
      if (result.removed) summary.buckets++;
      summary.objects += result.objects;
      summary.failures.push(...result.failures);
    }
    return summary;
  }
}

/** What the target holds of a world, in the world's names, and the bodies it was last sent in the target's. */
interface WorldState {
  /** The policy in force (as the world or an allowed PutBucketPolicy gave it), or none. */
  policy: unknown;
  /** The ACL in force (as the world or an allowed PutBucketAcl gave it), or undefined for the default private one. */
  acl: unknown;
  /** False after a request that may have changed the policy or ACL met a fault. */
  known: boolean;
  sentPolicy: string | Uint8Array | undefined;
  sentAcl: string | undefined;
  mayHaveObjects: boolean;
}

/** One world built on the target. */
class ObsWorldOnTarget implements PreparedWorld {
  readonly kind = 'ready' as const;
  readonly #client: ObsClient;
  readonly #world: ObsWorld;
  readonly #prefix: string;
  readonly #bucket: string;
  readonly #map: ObsIdentityMap;
  readonly #naming: Naming;
  readonly #state: WorldState = { policy: undefined, acl: undefined, known: true, sentPolicy: undefined, sentAcl: undefined, mayHaveObjects: false };
  #released = false;
  /** Whether the policy in force was seen to deny the owner PutBucketAcl (it then comes off while the ACL is put). */
  #policyBlocksAcl = false;

  constructor(client: ObsClient, world: ObsWorld) {
    this.#client = client;
    this.#world = world;
    this.#prefix = client.run.nextWorldPrefix();
    this.#bucket = `${this.#prefix}${world.bucket.name}`;
    this.#map = new ObsIdentityMap(client.real, world.bucket.owner, this.#prefix);
    const map = this.#map;
    this.#naming = { prefix: this.#prefix, account: (a) => map.account(a), user: (a, u) => map.user(a, u) };
  }

  get #run(): HttpRun {
    return this.#client.run;
  }

  /** Binds the principals a policy and an ACL name, and gives the bodies to send for them. */
  #bodies(policy: unknown, acl: unknown): { policy?: string | Uint8Array; acl?: string } {
    const source = worldPolicyText(policy, { decodeUtf8: true });
    const named = typeof source === 'string' ? policyPrincipals(source) : { accounts: [], users: [] };
    this.#map.bind([...named.accounts, ...aclAccounts(acl)], named.users);
    const out: { policy?: string | Uint8Array; acl?: string } = {};
    if (source !== undefined) {
      if (typeof source === 'string') {
        const rewritten = rewritePolicyText(source, this.#naming, this.#world.bucket.name);
        if (rewritten.sizeDifference !== 0) this.#client.noteSizeDifference();
        out.policy = rewritten.text;
      } else {
        out.policy = source;
      }
    }
    if (acl !== undefined) out.acl = aclXml(rewriteAcl(acl, this.#naming), this.#run.owner.id!, this.#client.endpoint.kind);
    return out;
  }

  #op(op: Omit<ObsOperation, 'bucket'>): ObsOperation {
    return { ...op, bucket: this.#bucket };
  }

  #putPolicy(body: string | Uint8Array): Promise<SendOutcome> {
    return this.#client.send(this.#op({ method: 'PUT', query: [['policy']], headers: { 'content-type': 'application/json' }, body: Buffer.from(body) }), this.#run.owner, { setup: true });
  }

  #putAcl(body: string): Promise<SendOutcome> {
    return this.#client.send(this.#op({ method: 'PUT', query: [['acl']], headers: { 'content-type': 'application/xml' }, body }), this.#run.owner, { setup: true });
  }

  /** Builds the world: the bucket, its ACL, its policy (vendor notes §4, §5). */
  async build(): Promise<Preparation> {
    const run = this.#run;
    const world = this.#world;
    if (!BUCKET_NAME.test(this.#bucket) || this.#bucket.includes('..')) {
      return unreachable('INVALID_BUCKET_NAME', `the world's bucket \`${world.bucket.name}\` under the prefix is \`${this.#bucket}\`, not a valid OBS bucket name (3 to 63 lower-case letters, digits, hyphens and dots)`);
    }
    const bodies = this.#bodies(world.policy, world.acl);
    run.ledger.addBucket(this.#bucket);
    const created = await this.#client.send(this.#op({ method: 'PUT', headers: { 'content-type': 'application/xml' }, body: createBucketXml(run.config.region, this.#client.endpoint.kind) }), run.owner, { setup: true });
    if (created.kind === 'fault') return this.#abandon(created.fault);
    // A retried create whose first attempt was applied finds the bucket ours (vendor notes §6.4: BucketAlreadyOwnedByYou 409).
    const ours = created.response.status === 200 || (created.attempts > 1 && created.response.status === 409 && errorCode(created.response) === 'BucketAlreadyOwnedByYou');
    if (!ours) {
      // Nothing was created.
      this.#released = true;
      run.ledger.removeBucket(this.#bucket);
      return unreachable('CREATE_BUCKET_REFUSED', this.#client.describe(`create bucket \`${this.#bucket}\``, created.response));
    }
    // The ACL goes first: a policy may deny the owner PutBucketAcl, never the policy APIs (OBS-OWNER-MANAGES). The
    // reference puts the policy first, so a world whose policy and ACL are both invalid is refused for its policy.
    let aclRefusal: { status: number; code?: string } | undefined;
    if (bodies.acl !== undefined) {
      const put = await this.#putAcl(bodies.acl);
      if (put.kind === 'fault') return this.#abandon(put.fault);
      if (put.response.status === 400) {
        const code = errorCode(put.response);
        aclRefusal = { status: 400, ...(code === undefined ? {} : { code }) };
      } else if (put.response.status !== 200) {
        return this.#abandon({ code: 'PUT_ACL_REFUSED', message: this.#client.describe('put the world ACL', put.response) });
      } else {
        this.#state.acl = world.acl;
        this.#state.sentAcl = bodies.acl;
      }
    }
    if (bodies.policy !== undefined) {
      const put = await this.#putPolicy(bodies.policy);
      if (put.kind === 'fault') return this.#abandon(put.fault);
      if (put.response.status === 400) {
        // Vendor notes §4: MalformedPolicy 400, EntityTooLarge 400 (the reference's rejection of the world).
        const code = errorCode(put.response);
        await this.release();
        return { kind: 'rejected', status: 400, ...(code === undefined ? {} : { code }) };
      }
      if (put.response.status !== 204 && put.response.status !== 200) return this.#abandon({ code: 'PUT_POLICY_REFUSED', message: this.#client.describe('put the world policy', put.response) });
      this.#state.policy = world.policy;
      this.#state.sentPolicy = bodies.policy;
    }
    if (aclRefusal !== undefined) {
      // Vendor notes §6.4: MalformedACLError 400.
      await this.release();
      return { kind: 'rejected', ...aclRefusal };
    }
    const settled = await this.#settle();
    if (settled !== undefined) return this.#abandon(settled);
    return this;
  }

  /** Removes what was built and reports the fault that stopped the build. */
  async #abandon(fault: FaultInfo): Promise<Preparation> {
    this.#state.known = false;
    await this.release();
    return { kind: 'unreachable', error: { code: fault.code, message: this.#run.redactor.redact(fault.message) } };
  }

  /**
   * Waits, for at most `settleMs`, until the target shows the policy it was last sent (an
   * endpoint may take a while, vendor notes §1.1: "it takes 5 minutes at most"). A fault or a
   * policy that does not show is a fault of the case.
   */
  async #settle(): Promise<FaultInfo | undefined> {
    const limit = this.#run.config.limits.settleMs;
    if (limit <= 0) return undefined;
    const started = Date.now();
    const expected = this.#state.sentPolicy;
    for (;;) {
      const got = await this.#client.send(this.#op({ method: 'GET', query: [['policy']] }), this.#run.owner);
      if (got.kind === 'response') {
        const shows = expected === undefined ? got.response.status === 404 : got.response.status === 200 && got.response.body.equals(Buffer.from(expected));
        if (shows) return undefined;
      }
      if (Date.now() - started >= limit) return { code: 'NOT_SETTLED', message: `the policy of \`${this.#bucket}\` did not show within ${limit} ms` };
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, Math.max(50, limit / 10))));
    }
  }

  /**
   * Puts the policy and ACL in force again when the names they are written in changed (a world
   * principal took a real identity from another, identities.ts). The ACL first; if a policy
   * denies the owner PutBucketAcl, the policy is removed and put back after.
   */
  async #sync(): Promise<Observation | undefined> {
    const state = this.#state;
    const bodies = this.#bodies(state.policy, state.acl);
    const aclChanged = bodies.acl !== undefined && bodies.acl !== state.sentAcl;
    const policyChanged = bodies.policy !== undefined && !sameBody(bodies.policy, state.sentPolicy);
    if (!aclChanged && !policyChanged) return undefined;
    const fail = (what: string, outcome: SendOutcome): Observation =>
      outcome.kind === 'fault' ? { kind: 'unreachable', error: outcome.fault } : unreachable('RESYNC_REFUSED', this.#client.describe(what, outcome.response));
    let policyGone = false;
    if (aclChanged) {
      // Once the policy was seen to deny the owner PutBucketAcl, it is taken off first.
      let put = this.#policyBlocksAcl && state.sentPolicy !== undefined ? undefined : await this.#putAcl(bodies.acl!);
      if (put === undefined || (put.kind === 'response' && put.response.status === 403 && state.sentPolicy !== undefined)) {
        this.#policyBlocksAcl = true;
        const removed = await this.#client.send(this.#op({ method: 'DELETE', query: [['policy']] }), this.#run.owner, { setup: true });
        if (removed.kind === 'fault' || removed.response.status !== 204) {
          state.known = false;
          return fail('remove the policy to put the ACL again', removed);
        }
        policyGone = true;
        put = await this.#putAcl(bodies.acl!);
      }
      if (put.kind === 'fault' || put.response.status !== 200) {
        state.known = false;
        return fail('put the ACL again', put);
      }
      state.sentAcl = bodies.acl;
    }
    if (policyChanged || policyGone) {
      const put = await this.#putPolicy(bodies.policy!);
      if (put.kind === 'fault' || (put.response.status !== 204 && put.response.status !== 200)) {
        state.known = false;
        return fail('put the policy again', put);
      }
      state.sentPolicy = bodies.policy;
    }
    const settled = await this.#settle();
    return settled === undefined ? undefined : { kind: 'unreachable', error: settled };
  }

  async observe(request: Request): Promise<Observation> {
    if (this.#released) return unreachable('RELEASED', 'the world was released');
    if (!this.#state.known) return unreachable('STATE_UNKNOWN', 'an earlier request that may have changed the policy or ACL met a fault: what is in force is unknown');
    const r = request as ObsRequest;
    const action = typeof r.action === 'string' ? obsAction(r.action) : undefined;
    if (action === undefined || !OBS_CLIENT_ACTIONS.has(action.name)) {
      return unreachable('UNSUPPORTED_ACTION', `the OBS client does not send \`${String(r.action)}\`; it sends ${[...OBS_CLIENT_ACTIONS].join(', ')}`);
    }
    if (action.level === 'object' && (typeof r.object !== 'string' || r.object === '')) {
      if (typeof r.object === 'string') return unreachable('UNSUPPORTED_REQUEST', 'an empty object key cannot be sent: `/<bucket>/` names the bucket');
      throw new ConformanceError('CONFORMANCE_INPUT', `\`${action.name}\` acts on an object; the request must name \`object\``);
    }
    // Who sends it (§6.3: an anonymous request carries no Authorization header).
    let signer: ResolvedIdentity | undefined;
    const principal = r.principal;
    if (principal === OBS_LOG_DELIVERY) {
      // Only with the emulator-only key of a `log-delivery` identity (a real OBS gives no client one).
      if (this.#client.logDelivery === undefined) return unreachable('UNSUPPORTED_PRINCIPAL', 'the log delivery service can be acted as only with a `log-delivery` identity (the emulator\'s), and the target file has none');
      signer = this.#client.logDelivery;
    } else if (principal !== OBS_ANONYMOUS) {
      if (typeof principal !== 'object' || principal === null || typeof principal.account !== 'string' || principal.account === '') {
        throw new ConformanceError('CONFORMANCE_INPUT', `request principal ${JSON.stringify(principal)} is not \`anonymous\`, \`log-delivery\` or \`{account, user?}\``);
      }
      const acquired = principal.user === undefined ? this.#map.acquireAccount(principal.account) : this.#map.acquireUser(principal.account, principal.user, principal.userName);
      if (acquired.kind === 'short') return unreachable('NOT_ENOUGH_IDENTITIES', acquired.message);
      signer = acquired.identity;
    }
    const context = this.#context(r, action.name);
    if ('unsupported' in context) return unreachable('UNSUPPORTED_CONTEXT', `the OBS client cannot apply the condition key \`${context.unsupported}\`${context.why === undefined ? '' : ` (${context.why})`}`);
    const op = this.#operation(r, action.name, context);
    if ('unsupported' in op) return unreachable('UNSUPPORTED_CONTEXT', `the OBS client cannot apply the condition key \`${op.unsupported}\` (${op.why})`);
    const synced = await this.#sync();
    if (synced !== undefined) return synced;
    const outcome = await this.#client.send(op.operation, signer);
    // PutBucketLogging changes the ACL (vendor notes §5.4: the log delivery group's grants).
    const changes = action.name === 'PutBucketPolicy' || action.name === 'DeleteBucketPolicy' || action.name === 'PutBucketAcl' || action.name === 'PutBucketLogging';
    if (outcome.kind === 'fault') {
      // The change may or may not have been made: what every later request would be decided against is unknown.
      if (changes) this.#state.known = false;
      if (action.name === 'PutObject') this.#state.mayHaveObjects = true;
      return { kind: 'unreachable', error: outcome.fault };
    }
    const observation = this.#observation(action.name, outcome.response, principal);
    if (observation.kind === 'decided' && observation.decision === 'allow') {
      if (action.name === 'PutBucketPolicy') {
        this.#state.policy = r.policy;
        this.#state.sentPolicy = op.sentPolicy;
        this.#policyBlocksAcl = false;
      } else if (action.name === 'DeleteBucketPolicy') {
        this.#state.policy = undefined;
        this.#state.sentPolicy = undefined;
        this.#policyBlocksAcl = false;
      } else if (action.name === 'PutBucketAcl') {
        this.#state.acl = r.acl;
        this.#state.sentAcl = op.sentAcl;
      } else if (action.name === 'PutBucketLogging' && r.logging !== undefined) {
        this.#loggingEnabled();
      } else if (action.name === 'PutObject') {
        this.#state.mayHaveObjects = true;
      }
      if (changes) {
        const settled = await this.#settle();
        if (settled !== undefined) this.#run.log(`world ${this.#prefix}: ${settled.message}`);
      }
    }
    return observation;
  }

  /**
   * Records what an allowed PutBucketLogging did to the ACL (vendor notes §5.4, O4): the log
   * delivery group's WRITE and READ_ACP added to the ACL in force (the default private one when
   * none was put), so that putting the ACL again under new names (`#sync`) keeps them. The body
   * the target holds is the one it would be sent now.
   */
  #loggingEnabled(): void {
    const state = this.#state;
    const current: unknown[] = Array.isArray(state.acl) ? [...(state.acl as unknown[])] : [{ grantee: { account: this.#world.bucket.owner }, permission: 'FULL_CONTROL' }];
    for (const permission of LOG_DELIVERY_PERMISSIONS) {
      const has = current.some((g) => {
        const grant = g as { grantee?: { group?: unknown }; permission?: unknown } | null;
        return grant?.grantee?.group === 'LogDelivery' && grant.permission === permission;
      });
      if (!has) current.push({ grantee: { group: 'LogDelivery' }, permission });
    }
    state.acl = current;
    state.sentAcl = this.#bodies(undefined, current).acl;
  }

  /** The headers, query and source address of a request's context, or the key that cannot be applied. */
  #context(r: ObsRequest, action: string): { headers: Record<string, string>; query: Array<[string, string]>; sourceIp?: string; acl?: string } | { unsupported: string; why?: string } {
    const config = this.#run.config;
    const headers: Record<string, string> = {};
    const query: Array<[string, string]> = [];
    let sourceIp: string | undefined;
    let acl: string | undefined;
    for (const [key, value] of Object.entries(r.context ?? {})) {
      if (typeof value !== 'string') return { unsupported: key, why: 'not a string' };
      switch (key.toLowerCase()) {
        case 'sourceip':
          // The emulator reads SourceIp from the socket (README "Operations"): a loopback address is chosen by
          // binding our side of the connection; a real endpoint sees the one address the file names.
          if (config.sourceIp === 'header') sourceIp = value;
          else if (config.sourceIp === 'loopback' && isLoopbackV4(value)) sourceIp = value;
          else if (config.sourceIp === 'known' && config.knownSourceIp !== undefined && value === config.knownSourceIp) sourceIp = undefined;
          // No policy in force reads the address (an ACL never does): where the request comes from cannot matter.
          else if (!this.#policyMentions('sourceip')) sourceIp = undefined;
          else return { unsupported: key, why: `\`${value}\` is not an address requests can come from` };
          break;
        case 'useragent':
        case 'referer':
          if (/[^\t\x20-\x7e]/.test(value)) return { unsupported: key, why: 'not a valid header value' };
          headers[key.toLowerCase() === 'useragent' ? 'user-agent' : 'referer'] = value;
          break;
        case 'prefix':
        case 'delimiter':
        case 'max-keys':
          // Vendor notes §1.6 (O1): the keys of ListBucket and ListBucketVersions, sent as their query parameters.
          if (!LIST_ACTIONS.has(action)) return { unsupported: key, why: `only ListBucket and ListBucketVersions carry it` };
          query.push([key.toLowerCase(), value]);
          break;
        case 'versionid':
          // Vendor notes §1.6 (O1): the key of DeleteObjectVersion, sent as its `versionId` parameter.
          if (action !== 'DeleteObjectVersion') return { unsupported: key, why: 'only DeleteObjectVersion carries it' };
          if (value === '') return { unsupported: key, why: 'an empty version id cannot be sent' };
          query.push(['versionId', value]);
          break;
        case 'acl':
          // Vendor notes §1.6 (O1): the `acl` key of PutObject, PutObjectAcl and PutBucketAcl is the canned ACL header.
          if (action !== 'PutObject' && action !== 'PutObjectAcl' && action !== 'PutBucketAcl') return { unsupported: key, why: 'only PutObject, PutObjectAcl and PutBucketAcl carry it' };
          acl = value;
          break;
        case 'securetransport':
          if (value.toLowerCase() !== String(this.#client.endpoint.secure)) return { unsupported: key, why: `the endpoint is ${this.#client.endpoint.secure ? 'https' : 'http'}` };
          break;
        default:
          return { unsupported: key };
      }
    }
    return { headers, query, ...(sourceIp === undefined ? {} : { sourceIp }), ...(acl === undefined ? {} : { acl }) };
  }

  /** The operation of a request (emulator/huawei-obs/README.md "Operations"; vendor notes §8.4). */
  #operation(r: ObsRequest, action: string, context: { headers: Record<string, string>; query: Array<[string, string]>; sourceIp?: string; acl?: string }): { operation: ObsOperation; sentPolicy?: string | Uint8Array; sentAcl?: string } | { unsupported: string; why: string } {
    const headers = { ...context.headers };
    const base = { ...(context.sourceIp === undefined ? {} : { sourceIp: context.sourceIp }) };
    const bucket = this.#bucket;
    switch (action) {
      case 'HeadBucket':
        return { operation: { ...base, method: 'HEAD', bucket, headers } };
      case 'ListBucket':
        return { operation: { ...base, method: 'GET', bucket, headers, query: context.query } };
      case 'ListBucketVersions':
        // Vendor notes §1.4 (O22), §6.1: the signed sub-resource `versions`.
        return { operation: { ...base, method: 'GET', bucket, headers, query: [['versions'], ...context.query] } };
      case 'GetBucketPolicy':
        return { operation: { ...base, method: 'GET', bucket, headers, query: [['policy']] } };
      case 'DeleteBucketPolicy':
        return { operation: { ...base, method: 'DELETE', bucket, headers, query: [['policy']] } };
      case 'GetBucketAcl':
        return { operation: { ...base, method: 'GET', bucket, headers, query: [['acl']] } };
      case 'ListBucketMultipartUploads':
        // Vendor notes §1.4 (O22), §6.1: the signed sub-resource `uploads`.
        return { operation: { ...base, method: 'GET', bucket, headers, query: [['uploads']] } };
      case 'GetBucketLocation':
        return { operation: { ...base, method: 'GET', bucket, headers, query: [['location']] } };
      case 'GetBucketLogging':
        return { operation: { ...base, method: 'GET', bucket, headers, query: [['logging']] } };
      case 'GetBucketVersioning':
        return { operation: { ...base, method: 'GET', bucket, headers, query: [['versioning']] } };
      case 'PutBucketLogging': {
        // The target bucket is a bucket name like those of the policy: it gets the world prefix, so that the world's
        // bucket stays its own target and any other name stays another bucket (which the reference refuses).
        const logging: unknown = r.logging;
        if (logging !== undefined && (typeof logging !== 'object' || logging === null || typeof (logging as { targetBucket?: unknown }).targetBucket !== 'string')) {
          throw new ConformanceError('CONFORMANCE_INPUT', `request logging ${JSON.stringify(logging)} must be \`{targetBucket}\``);
        }
        const target = r.logging === undefined ? undefined : { bucket: `${this.#prefix}${r.logging.targetBucket}`, prefix: LOG_PREFIX };
        return { operation: { ...base, method: 'PUT', bucket, headers: { ...headers, 'content-type': 'application/xml' }, query: [['logging']], body: loggingXml(target, this.#client.endpoint.kind) } };
      }
      case 'PutBucketPolicy': {
        if (r.policy === undefined) throw new ConformanceError('CONFORMANCE_INPUT', '`PutBucketPolicy` sends a policy; the request must carry `policy`');
        const sent = this.#bodies(r.policy, undefined).policy!;
        return { operation: { ...base, method: 'PUT', bucket, headers: { ...headers, 'content-type': 'application/json' }, query: [['policy']], body: Buffer.from(sent) }, sentPolicy: sent };
      }
      case 'PutBucketAcl': {
        if (r.acl === undefined) throw new ConformanceError('CONFORMANCE_INPUT', '`PutBucketAcl` sends an ACL; the request must carry `acl`');
        const sent = this.#bodies(undefined, r.acl).acl!;
        if (context.acl !== undefined) {
          // A canned ACL header and a body together are refused (§8.4, O25: "mutually exclusive"): the header alone is
          // sent when it stands for exactly the grants of the body.
          if (!isCannedAcl(r.acl, context.acl, this.#world.bucket.owner)) return { unsupported: 'acl', why: 'the canned ACL and the grants of the request differ, and OBS takes one or the other' };
          return { operation: { ...base, method: 'PUT', bucket, headers: { ...headers, [prefixed(this.#client.endpoint, 'acl')]: context.acl }, query: [['acl']] }, sentAcl: sent };
        }
        return { operation: { ...base, method: 'PUT', bucket, headers: { ...headers, 'content-type': 'application/xml' }, query: [['acl']], body: sent }, sentAcl: sent };
      }
      case 'PutObject':
        if (context.acl !== undefined) headers[prefixed(this.#client.endpoint, 'acl')] = context.acl;
        return { operation: { ...base, method: 'PUT', bucket, key: r.object!, headers: { ...headers, 'content-type': 'application/octet-stream' }, body: OBJECT_BODY } };
      case 'GetObject':
        // Vendor notes §1.4 (O22): GetObject covers GET and HEAD; GET is sent.
        return { operation: { ...base, method: 'GET', bucket, key: r.object!, headers } };
      case 'DeleteObject':
        return { operation: { ...base, method: 'DELETE', bucket, key: r.object!, headers } };
      case 'GetObjectAcl':
        // Vendor notes §1.4 (O22): GetObjectAcl, the object's `acl` sub-resource.
        return { operation: { ...base, method: 'GET', bucket, key: r.object!, headers, query: [['acl']] } };
      case 'PutObjectAcl': {
        // Vendor notes §8.4 (`setObjectAcl`, O25): the canned ACL header or a body, never both. The request's canned ACL
        // (its condition key `acl`, §1.6) goes as the header; without one, the body is the owner's FULL_CONTROL (the
        // private ACL objects of these worlds have), which sets no condition key, as the reference reads none.
        if (context.acl !== undefined) return { operation: { ...base, method: 'PUT', bucket, key: r.object!, headers: { ...headers, [prefixed(this.#client.endpoint, 'acl')]: context.acl }, query: [['acl']] } };
        const owner = this.#run.owner.id!;
        const body = aclXml([{ grantee: { account: owner }, permission: 'FULL_CONTROL' }], owner, this.#client.endpoint.kind);
        return { operation: { ...base, method: 'PUT', bucket, key: r.object!, headers: { ...headers, 'content-type': 'application/xml' }, query: [['acl']], body } };
      }
      case 'DeleteObjectVersion': {
        // Vendor notes §1.4 (O22), §8.4 (`deleteObject` with `VersionId`): the signed sub-resource `versionId`. Without
        // one the request would be a DeleteObject, so a request that names none is sent for version `null`; the target
        // then reads the condition key `versionId` (§1.6) as `null` where the reference reads none, which only a policy
        // that mentions the key can tell apart.
        const given = context.query.find(([name]) => name === 'versionId')?.[1];
        if (given === undefined && this.#policyMentions('versionid')) return { unsupported: 'versionId', why: 'a DeleteObjectVersion always carries a version id, which the policy in force may read, and the request names none' };
        return { operation: { ...base, method: 'DELETE', bucket, key: r.object!, headers, query: [['versionId', given ?? NULL_VERSION]] } };
      }
      default:
        return { unsupported: 'action', why: `no request for \`${action}\`` };
    }
  }

  /** Whether the text of the policy in force holds `word` (lower case), JSON escapes undone, in any case. */
  #policyMentions(word: string): boolean {
    const sent = this.#state.sentPolicy;
    if (sent === undefined) return false;
    const text = Buffer.from(sent).toString('utf8');
    let normal = text;
    try {
      normal = JSON.stringify(JSON.parse(text));
    } catch {
      // Not JSON: the text as it is.
    }
    return normal.toLowerCase().includes(word) || text.toLowerCase().includes(word);
  }

  /**
   * What a response says, in the reference adapter's terms (adapters/reference/huawei-obs/evaluate.ts):
   * 2xx allow with its status; 403 AccessDenied deny; GetBucketPolicy's 404 NoSuchBucketPolicy
   * deny (§4, O11); a 400 of the policy or ACL APIs (§4, §6.4) and PutBucketLogging's 400
   * InvalidTargetBucketForLogging (the reference's) rejected; GetObject's,
   * GetObjectAcl's and PutObjectAcl's 404 NoSuchKey allow with the status of the allowed action, 200 (the access
   * check passed, the object is missing, README "Operations": "404 NoSuchKey after the access
   * check"); DeleteObjectVersion's 204 allow with the reference's 200 (REFERENCE_ALLOW_STATUS).
   * Anything else is not an access decision: unreachable.
   */
  #observation(action: string, response: HttpResponse, principal: ObsRequest['principal']): Observation {
    const status = response.status;
    const code = errorCode(response);
    if (status >= 200 && status < 300) return { kind: 'decided', decision: 'allow', status: REFERENCE_ALLOW_STATUS[action] ?? status };
    if (status === 404 && code === 'NoSuchKey' && MISSING_OBJECT_ALLOWED.has(action)) return { kind: 'decided', decision: 'allow', status: 200 };
    if (status === 404 && code === 'NoSuchBucketPolicy' && action === 'GetBucketPolicy') return { kind: 'decided', decision: 'deny', status, code };
    if (status === 403 && code === 'AccessDenied') return { kind: 'decided', decision: 'deny', status, code };
    if (status === 400 && (action === 'PutBucketPolicy' || action === 'PutBucketAcl') && (code === 'MalformedPolicy' || code === 'EntityTooLarge' || code === 'MalformedACLError')) {
      return { kind: 'decided', decision: 'rejected', status, code };
    }
    // The reference accepts only the bucket itself as the logging target (adapters/reference/huawei-obs/evaluate.ts, issue #4:
    // a world holds one bucket), and the emulator answers any other 400 InvalidTargetBucketForLogging.
    if (status === 400 && action === 'PutBucketLogging' && code === 'InvalidTargetBucketForLogging') return { kind: 'decided', decision: 'rejected', status, code };
    // Vendor notes §4 CONFLICT (O20): "If the code 405 is returned, it indicates that the user does not have the
    // permission to configure the bucket policy" — a refusal when someone other than the owner calls a policy API.
    const owner = typeof principal === 'object' && principal.account === this.#world.bucket.owner;
    if (status === 405 && POLICY_APIS.has(action) && !owner) return { kind: 'decided', decision: 'deny', status, ...(code === undefined ? {} : { code }) };
    return unreachable('UNEXPECTED_RESPONSE', this.#client.describe(`${action} on \`${this.#bucket}\``, response));
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    const state = this.#state;
    const result = await this.#client.removeBucket(this.#bucket, this.#run.ledger.prefix, { objects: state.mayHaveObjects || !state.known });
    for (const failure of result.failures) this.#run.log(`release: ${failure}`);
  }
}
