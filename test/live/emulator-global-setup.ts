/**
 * The global setup of the `emulator` project of `npm test`: starts the three emulators on
 * loopback, writes their target files (secrets in this process's environment, which the test
 * workers inherit), and runs every conformance suite through the live HTTP adapter against them,
 * with the same settings (seed, runs, rules) as the reference run. At the end it stops the
 * emulators and fails the run if any bucket under the run prefix is left in one of them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { cleanupRun } from '../../adapters/http/http-adapter.ts';
import { newRunPrefix } from '../../adapters/http/run.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { emulatorTarget } from '../../emulator/target-file.ts';
import { VENDORS, type Vendor } from '../../model/vendors.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { readSettings } from '../../suites/settings.ts';
import { loadSpecs } from '../../suites/spec/load.ts';
import type {} from '../../suites/harness.ts';

/** The runs per property of this project unless BUCKET_CONFORMANCE_EMULATOR_NUM_RUNS says otherwise: every request crosses HTTP. */
const DEFAULT_EMULATOR_NUM_RUNS = 25;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = readSettings();
  await loadSpecs({ specsDir: base.specsDir, properties: PROPERTIES });
  const dir = mkdtempSync(join(tmpdir(), 'bucket-conformance-emulators-'));
  const emulators: RunningEmulator[] = [];
  const targetConfigs: Partial<Record<Vendor, string>> = {};
  const runPrefix = newRunPrefix('bctest');
  for (const vendor of VENDORS) {
    // Any source address, v4 or v6, through the emulator-only header: the IP rules and their
    // worked examples run in full (binding 127/8 addresses is covered by the live tests).
    const emulator = await startEmulator({ vendor, trustSourceIpHeader: true });
    emulators.push(emulator);
    // The emulators are local and free: the budget only guards against a runaway run.
    const target = emulatorTarget(vendor, emulator.url, emulator.accounts, { limits: { maxRequests: 5_000_000, concurrency: 16 }, sourceIp: 'header' });
    const file = join(dir, `${vendor}.yaml`);
    writeFileSync(file, target.yaml);
    Object.assign(process.env, target.env);
    targetConfigs[vendor] = file;
  }
  const numText = process.env['BUCKET_CONFORMANCE_EMULATOR_NUM_RUNS'];
  project.provide('conformance', {
    ...base,
    numRuns: numText ? Number(numText) : process.env['BUCKET_CONFORMANCE_NUM_RUNS'] ? base.numRuns : DEFAULT_EMULATOR_NUM_RUNS,
    target: 'http',
    targetOptions: { targetConfigs, runPrefix },
  });
  if (!process.env['BUCKET_CONFORMANCE_QUIET']) process.stdout.write(`conformance (emulators over HTTP): seed ${base.seed}, run prefix ${runPrefix}\n`);
  return async () => {
    // Every adapter removes what it created when it closes: a sweep of the run prefix must find nothing.
    const leftovers: string[] = [];
    try {
      for (const vendor of VENDORS) {
        const summary = await cleanupRun(targetConfigs[vendor]!, runPrefix);
        if (summary.buckets > 0 || summary.failures.length > 0) leftovers.push(`${vendor}: ${summary.buckets} bucket(s) left under ${runPrefix}${summary.failures.length ? `, ${summary.failures.join('; ')}` : ''}`);
      }
    } finally {
      await Promise.all(emulators.map((e) => e.close()));
      rmSync(dir, { recursive: true, force: true });
    }
    if (leftovers.length > 0) throw new Error(`the live adapter left buckets behind: ${leftovers.join(' | ')}`);
  };
}
