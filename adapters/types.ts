import type { Capability, SourceAddressSpace } from '../model/capabilities.ts';
import type { FaultInfo, Observation, Rejection } from '../model/outcome.ts';
import type { Vendor } from '../model/vendors.ts';
import type { Request, World } from '../model/world.ts';

/** What a target can do and observe (eshost agents, cedar's test-implementation trait). */
export interface AdapterCapabilities {
  vendors: readonly Vendor[];
  features: ReadonlySet<Capability>;
  /**
   * With `request.source-ip`: the addresses requests can come from, when not any address (the
   * in-process reference takes any). Generators then draw source addresses from these blocks.
   */
  sourceAddresses?: SourceAddressSpace;
  /**
   * The actions (Alibaba `oss:GetObject`, OBS `GetObject`) the target can be sent, when not every
   * action of the catalogue (a live endpoint or the emulator serves a subset). Generators draw
   * requests from these only.
   */
  actions?: ReadonlySet<string>;
}

export type { SourceAddressSpace };

/** A world the target holds: requests can be observed against it until it is released. */
export interface PreparedWorld {
  kind: 'ready';
  /** Sends one request and reports what the target did. Never throws for target behaviour. */
  observe(request: Request): Promise<Observation>;
  /** Removes what `prepare` created. Safe to call twice. */
  release(): Promise<void>;
}

/** The outcome of preparing a world: ready, rejected by the target (its policy refused), or a fault. */
export type Preparation =
  | PreparedWorld
  | ({ kind: 'rejected' } & Rejection)
  | { kind: 'unreachable'; error: FaultInfo };

/**
 * A target under test. Adapters only observe; the judge in `suites/` decides pass or fail.
 * `prepare` and `observe` never throw for the target's behaviour: a refusal is an Observation, a
 * fault is `unreachable`.
 */
export interface Adapter {
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  prepare(world: World): Promise<Preparation>;
  close(): Promise<void>;
}

/** Options handed to an adapter factory (target configuration for live adapters). */
export type AdapterOptions = Record<string, unknown>;

/** Builds an adapter. The registry maps names to these. */
export type AdapterFactory = (options?: AdapterOptions) => Adapter | Promise<Adapter>;
