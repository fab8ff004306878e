/**
 * The plug-in point of the live HTTP adapter: one `VendorClient` per vendor dialect performs the
 * suite's worlds and requests over HTTP, on the run's shared transport, identities and safety
 * rules (`HttpRun`). The adapter in `http-adapter.ts` owns the run; a client owns its wire
 * protocol.
 */
import type { Capability } from '../../model/capabilities.ts';
import type { Vendor } from '../../model/vendors.ts';
import type { World } from '../../model/world.ts';
import type { Preparation, SourceAddressSpace } from '../types.ts';
import type { ResolvedIdentity, TargetConfig } from './config.ts';
import type { IdentityProbe } from './probe.ts';
import type { Redactor } from './redact.ts';
import type { Transport } from './transport.ts';

/**
 * What every bucket of the run is recorded in, so that the end of the run (or a Ctrl-C) removes
 * it. Names always start with the run prefix; nothing else is ever recorded or removed.
 */
export interface Ledger {
  /** The run prefix: every bucket the run creates is named `<prefix><something>`. */
  readonly prefix: string;
  /** Records a bucket the run created (or is about to create). Throws if the name lacks the prefix. */
  addBucket(name: string): void;
  /** Forgets a bucket the run removed. */
  removeBucket(name: string): void;
  /** The buckets created and not yet removed. */
  buckets(): string[];
}

/** One run against a live target: its configuration, identities with secrets, transport and safety rules. */
export interface HttpRun {
  readonly config: TargetConfig;
  /** The bucket owner, secrets resolved. */
  readonly owner: ResolvedIdentity;
  /** Every other identity, secrets resolved. */
  readonly others: readonly ResolvedIdentity[];
  readonly transport: Transport;
  readonly redactor: Redactor;
  /** This adapter's buckets; its prefix is the run prefix followed by this adapter's own letters. */
  readonly ledger: Ledger;
  /** The run prefix, shared by every adapter of the run (`bucket-conformance cleanup --run-prefix`). */
  readonly runPrefix: string;
  /**
   * A fresh prefix for one world's buckets, under the ledger's: a world's bucket `b` is created as
   * `<world prefix>b`, and every bucket name or name pattern of its policy is rewritten the same
   * way, which keeps what matches what (a literal prefix before an anchored pattern).
   */
  nextWorldPrefix(): string;
  /** A log line (already redacted when it reaches the sink). */
  log(line: string): void;
}

/** What a cleanup removed, and what it could not (each a redacted message). */
export interface CleanupSummary {
  buckets: number;
  objects: number;
  failures: string[];
}

/** One vendor's dialect over HTTP. */
export interface VendorClient {
  readonly vendor: Vendor;
  /** What this target can do: from its identities, the file's claims, and probes where a claim cannot be trusted. */
  capabilities(): Promise<ReadonlySet<Capability>>;
  /** The addresses requests can come from, when the target lets conditions on the source address be exercised. */
  sourceAddresses?(): Promise<SourceAddressSpace | undefined>;
  /** The actions this client can send (Alibaba `oss:GetObject`, OBS `GetObject`); absent: every action of the vendor's catalogue. */
  actions?(): ReadonlySet<string>;
  /**
   * Checks the credentials of every identity of the run (the owner and the others, emulator-only
   * ones too) with the cheapest read-only signed request that proves them, touching nothing
   * outside the run prefix; one probe per identity, in any order. A fault is `unknown`, never a
   * refusal. `createHttpAdapter` calls it once, before any test runs (`probe.ts` reads the
   * answers); absent: every identity is trusted.
   */
  probe?(): Promise<IdentityProbe[]>;
  /**
   * Builds `world` on the target under the run prefix and returns a prepared world whose
   * `observe` sends the requests. Never throws for the target's behaviour; a fault is `unreachable`.
   */
  prepare(world: World): Promise<Preparation>;
  /** Removes every bucket whose name starts with `prefix`, and its objects; never anything else. */
  cleanup(prefix: string): Promise<CleanupSummary>;
}

/** Builds a vendor client for a run. */
export type VendorClientFactory = (run: HttpRun) => VendorClient;
