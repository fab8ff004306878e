/**
 * A load on an emulator over loopback: N concurrent clients (one undici `Client`, so one
 * connection, each) send a fixed mix of allowed, denied and malformed requests whose outcome is
 * known by construction from the scenario's setup, and every answer is checked. Used bounded by
 * the load test (`test/emulator/load.test.ts`) and at size by the benchmark (`npm run bench`),
 * which prints the requests per second.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'undici';
import { defaultAccounts } from '../emulator/accounts.ts';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';
import type { Vendor } from '../model/vendors.ts';
import { SCENARIOS, type Probe } from './emulator-scenarios.ts';

/** What a load run measured. */
export interface LoadResult {
  vendor: Vendor;
  clients: number;
  requests: number;
  /** Requests per second over the whole load (all clients). */
  rps: number;
  /** Answers by probe kind. */
  byKind: Record<Probe['kind'], number>;
  /** Answers that differed from the expected ones (status or body), at most 20 kept. */
  wrong: string[];
  wrongCount: number;
  /** Requests that got no answer at all (reset, timeout). */
  faults: number;
  /** Heap in use after a full GC: after setup (before the load), and after the load once the clients are closed. */
  heapBeforeBytes: number;
  heapAfterBytes: number;
  /** Whether the emulator still answered correctly after the load. */
  aliveAfter: boolean;
}

/** A full garbage collection, without --expose-gc on the command line. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

async function heapInUse(): Promise<number> {
  // Let closed sockets and finished requests release what they hold first.
  await new Promise((resolve) => setTimeout(resolve, 50));
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

async function send(client: Client, probe: Probe): Promise<{ status: number; body: Buffer }> {
  const { statusCode, body } = await client.request({ method: probe.method as 'GET', path: probe.path, headers: probe.headers, ...(probe.body === undefined ? {} : { body: probe.body }) });
  return { status: statusCode, body: Buffer.from(await body.arrayBuffer()) };
}

function check(probe: Probe, got: { status: number; body: Buffer }): string | undefined {
  if (got.status !== probe.status) return `${probe.kind} ${probe.name}: status ${got.status}, expected ${probe.status}: ${got.body.toString('utf8').slice(0, 200)}`;
  if (probe.bodyIncludes !== undefined && !got.body.toString('utf8').includes(probe.bodyIncludes)) return `${probe.kind} ${probe.name}: body lacks \`${probe.bodyIncludes}\``;
  if (probe.bodyEquals !== undefined && !got.body.equals(probe.bodyEquals)) return `${probe.kind} ${probe.name}: body differs from the object's bytes`;
  return undefined;
}

/**
 * Starts the vendor's emulator in this process (or uses `emulator`, which may run in another
 * process), prepares its scenario, and runs `clients` concurrent clients of `requestsPerClient`
 * requests each. The heap figures are this process's: they say something about the emulator
 * only when it runs here.
 */
export async function runLoad(options: { vendor: Vendor; clients: number; requestsPerClient: number; emulator?: Pick<RunningEmulator, 'url' | 'accounts'> }): Promise<LoadResult> {
  const { vendor, clients, requestsPerClient } = options;
  const emulator = options.emulator ?? (await startEmulator({ vendor, accounts: defaultAccounts(vendor) }));
  try {
    const scenario = await SCENARIOS[vendor](emulator.url, emulator.accounts);
    const probes = scenario.probes;
    const heapBeforeBytes = await heapInUse();
    const byKind: Record<Probe['kind'], number> = { allowed: 0, denied: 0, malformed: 0 };
    const wrong: string[] = [];
    let wrongCount = 0;
    let faults = 0;
    const pool = Array.from({ length: clients }, () => new Client(emulator.url, { pipelining: 1, connections: 1 } as ConstructorParameters<typeof Client>[1]));
    const started = performance.now();
    await Promise.all(pool.map(async (client, c) => {
      for (let i = 0; i < requestsPerClient; i++) {
        // Each client walks the mix from its own offset, so every kind is in flight at once.
        const probe = probes[(c + i) % probes.length]!;
        try {
          const problem = check(probe, await send(client, probe));
          byKind[probe.kind]++;
          if (problem !== undefined) {
            wrongCount++;
            if (wrong.length < 20) wrong.push(problem);
          }
        } catch {
          faults++;
        }
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(pool.map((client) => client.close()));
    pool.length = 0;
    const heapAfterBytes = await heapInUse();
    const last = new Client(emulator.url);
    let aliveAfter = false;
    try {
      aliveAfter = check(probes[0]!, await send(last, probes[0]!)) === undefined;
    } finally {
      await last.close();
    }
    const requests = clients * requestsPerClient;
    return { vendor, clients, requests, rps: requests / seconds, byKind, wrong, wrongCount, faults, heapBeforeBytes, heapAfterBytes, aliveAfter };
  } finally {
    if (options.emulator === undefined) await (emulator as RunningEmulator).close();
  }
}
