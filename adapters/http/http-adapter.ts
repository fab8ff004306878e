/**
 * The live HTTP adapter (target `http`): runs the suites' worlds and requests against a real
 * endpoint or the emulator, through the vendor client the target file names. It owns the run's
 * safety: every bucket under the run prefix, all of them removed at `close()` (and by the CLI
 * after a failure or Ctrl-C), a request budget, and faults reported as `unreachable` (the judge's
 * inconclusive), never as the target's decisions. Before any test runs it discovers the source
 * address of a `sourceIp: known` target whose file does not give it (`source-address.ts`), and
 * probes the credentials of every identity (`probe.ts`).
 */
import { ConformanceError } from '../../model/errors.ts';
import { isVendor, type Vendor } from '../../model/vendors.ts';
import type { World } from '../../model/world.ts';
import type { Adapter, AdapterOptions, Preparation } from '../types.ts';
import { loadTargetConfig, type IdentityConfig, type TargetConfig } from './config.ts';
import { settleProbes, withoutIdentities } from './probe.ts';
import { createHttpRun, type HttpRunOptions } from './run.ts';
import { withDiscoveredSourceIp } from './source-address.ts';
import type { CleanupSummary, HttpRun, VendorClient, VendorClientFactory } from './types.ts';

/** The options of the `http` target (`targetOptions`, from the CLI or BUCKET_CONFORMANCE_TARGET_OPTIONS). */
export interface HttpAdapterOptions {
  /** The target file. */
  targetConfig?: string;
  /** One target file per vendor (the emulator runs of `npm test`); the suite's vendor picks one. */
  targetConfigs?: Partial<Record<Vendor, string>>;
  /** The vendor of the suite creating the adapter (the harness passes it). */
  vendor?: Vendor;
  /** The run prefix shared by the run's adapters (the CLI picks it, to clean up after the run). */
  runPrefix?: string;
  maxRequests?: number;
  concurrency?: number;
  /** Keep what the run created (for debugging a target). */
  keep?: boolean;
  /** Where log lines go (already redacted), without the `http: ` of the default: standard error. */
  log?: (line: string) => void;
}

/** The live adapter, with what the CLI needs beyond the Adapter interface. */
export interface HttpAdapter extends Adapter {
  /** The run, when the target serves the suite's vendor. */
  readonly run: HttpRun | undefined;
  /** Removes everything this adapter created (done by `close()` too). */
  cleanup(): Promise<CleanupSummary>;
}

const CLIENTS: Readonly<Record<Vendor, () => Promise<VendorClientFactory>>> = {
  'alibaba-oss': async () => (await import('./alibaba-oss/client.ts')).createAliClient,
  'huawei-obs': async () => (await import('./huawei-obs/client.ts')).createObsClient,
  'aps-oss': async () => (await import('./aps-oss/client.ts')).createApsClient,
};

/** The vendor client factory of `vendor`. */
export function vendorClientFactory(vendor: Vendor): Promise<VendorClientFactory> {
  return CLIENTS[vendor]();
}

function readOptions(raw: AdapterOptions | undefined): HttpAdapterOptions {
  const o = (raw ?? {}) as Record<string, unknown>;
  const out: HttpAdapterOptions = {};
  if (typeof o.targetConfig === 'string') out.targetConfig = o.targetConfig;
  if (typeof o.targetConfigs === 'object' && o.targetConfigs !== null) out.targetConfigs = o.targetConfigs as Partial<Record<Vendor, string>>;
  if (isVendor(o.vendor)) out.vendor = o.vendor;
  if (typeof o.runPrefix === 'string') out.runPrefix = o.runPrefix;
  if (typeof o.maxRequests === 'number') out.maxRequests = o.maxRequests;
  if (typeof o.concurrency === 'number') out.concurrency = o.concurrency;
  if (o.keep === true) out.keep = true;
  if (typeof o.log === 'function') out.log = o.log as (line: string) => void;
  if (out.targetConfig === undefined && out.targetConfigs === undefined) {
    throw new ConformanceError('CONFORMANCE_USAGE', 'the `http` target needs a target file: --target-config FILE');
  }
  return out;
}

/** An adapter for a suite whose vendor the target does not serve: every rule is skipped. */
function elsewhere(vendor: Vendor | undefined): HttpAdapter {
  return {
    name: 'http',
    capabilities: { vendors: [], features: new Set() },
    run: undefined,
    async prepare(): Promise<Preparation> {
      throw new Error(`the http target serves no ${vendor ?? 'such'} vendor`);
    },
    async cleanup() {
      return { buckets: 0, objects: 0, failures: [] };
    },
    async close() {},
  };
}

/**
 * The run and client of a target, its identities probed once, before any test runs (probe.ts): a
 * refused owner is a located configuration error; a refused other identity is left out of a new
 * run (same run prefix, not probed again), so that the capabilities only it gave are not claimed.
 */
async function probedRun(config: TargetConfig, runOptions: HttpRunOptions, factory: VendorClientFactory): Promise<{ run: HttpRun; client: VendorClient }> {
  const run = createHttpRun(config, runOptions);
  const client = factory(run);
  if (client.probe === undefined) return { run, client };
  let refused: IdentityConfig[];
  try {
    refused = settleProbes(config, await client.probe(), run.log, run.redactor);
  } catch (error) {
    await run.transport.close();
    throw error;
  }
  if (refused.length === 0) return { run, client };
  await run.transport.close();
  const kept = createHttpRun(withoutIdentities(config, refused), { ...runOptions, prefix: run.runPrefix });
  return { run: kept, client: factory(kept) };
}

/** Builds the live adapter for the target file the options name. */
export async function createHttpAdapter(rawOptions?: AdapterOptions): Promise<HttpAdapter> {
  const options = readOptions(rawOptions);
  const file = options.vendor !== undefined && options.targetConfigs !== undefined ? options.targetConfigs[options.vendor] : options.targetConfig;
  if (file === undefined) return elsewhere(options.vendor);
  const loaded: TargetConfig = loadTargetConfig(file);
  if (options.vendor !== undefined && loaded.vendor !== options.vendor) return elsewhere(options.vendor);
  const log = options.log ?? ((line: string) => process.stderr.write(`http: ${line}\n`));
  // `sourceIp: known` without an address: discovered now, before the client reads the config.
  const config = await withDiscoveredSourceIp(loaded, log);
  const runOptions: HttpRunOptions = {
    ...(options.runPrefix === undefined ? {} : { prefix: options.runPrefix }),
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    log,
  };
  const { run, client } = await probedRun(config, runOptions, await vendorClientFactory(config.vendor));
  const features = await client.capabilities();
  const sourceAddresses = await client.sourceAddresses?.();
  const actions = client.actions?.();
  let closed: Promise<void> | undefined;
  const adapter: HttpAdapter = {
    name: 'http',
    capabilities: { vendors: [config.vendor], features, ...(sourceAddresses === undefined ? {} : { sourceAddresses }), ...(actions === undefined ? {} : { actions }) },
    run,
    async prepare(world: World): Promise<Preparation> {
      try {
        return await client.prepare(world);
      } catch (error) {
        // A bug of the client, not the target's behaviour: inconclusive, with the cause logged.
        const message = run.redactor.redact(error instanceof Error ? error.message : String(error));
        run.log(`prepare failed: ${message}`);
        return { kind: 'unreachable', error: { code: 'ADAPTER_ERROR', message } };
      }
    },
    cleanup: () => client.cleanup(run.ledger.prefix),
    close(): Promise<void> {
      closed ??= (async () => {
        if (!options.keep) {
          const summary = await client.cleanup(run.ledger.prefix);
          for (const failure of summary.failures) run.log(`cleanup: ${failure}`);
        }
        await run.transport.close();
      })();
      return closed;
    },
  };
  return adapter;
}

/**
 * Removes what a run left on the target: every bucket whose name starts with `runPrefix` (a run
 * prefix, as `newRunPrefix` makes them), with its objects. Used at the end of `run --target http`
 * (whatever happened to the run's workers) and by `bucket-conformance cleanup`.
 */
export async function cleanupRun(targetConfig: string, runPrefix: string, env: NodeJS.ProcessEnv = process.env): Promise<CleanupSummary> {
  const config = loadTargetConfig(targetConfig);
  const run = createHttpRun(config, { prefix: runPrefix, env, log: (line) => process.stderr.write(`cleanup: ${line}\n`) });
  try {
    const client = (await vendorClientFactory(config.vendor))(run);
    return await client.cleanup(runPrefix);
  } finally {
    await run.transport.close();
  }
}
