/**
 * The live adapter end to end against the emulators (issue #7, "Done means"):
 * - through a fault-injecting proxy (dropped connections, delays, 500/503/429, bodies cut short)
 *   every run ends, no rule fails because of the faults, what could not be decided is
 *   inconclusive, and no bucket under the run prefix is left in the emulator;
 * - the same after SIGINT in the middle of a CLI run;
 * - no secret the run used appears in any file it wrote, nor on its standard output or error.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRun, createHttpAdapter } from '../../adapters/http/http-adapter.ts';
import { newRunPrefix } from '../../adapters/http/run.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { emulatorTarget } from '../../emulator/target-file.ts';
import type { RuleResult } from '../../model/result.ts';
import { VENDORS, type Vendor } from '../../model/vendors.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { runRule } from '../../suites/runner.ts';
import { LIVE_DEFAULTS, PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecSet } from '../../suites/spec/load.ts';
import { MAIN, NODE, tempDir, userEnv } from '../cli/cli.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

const tmp = tempDir('live');
afterAll(() => tmp.remove());

/** Writes the target file of `url` (the emulator, or a proxy in front of it) and returns it with its secrets. */
function targetFile(vendor: Vendor, emulator: RunningEmulator, url: string, limits: Record<string, number> = {}): { file: string; env: Record<string, string> } {
  const target = emulatorTarget(vendor, url, emulator.accounts, { limits });
  const file = join(tmp.dir, `${vendor}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, target.yaml);
  return { file, env: target.env };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe.each(VENDORS)('%s through a fault-injecting proxy', (vendor) => {
  let emulator: RunningEmulator;
  let proxy: FaultProxy;

  afterAll(async () => {
    await proxy?.close();
    await emulator?.close();
  });

  it('ends, fails no rule because of the faults, and leaves no bucket behind', { timeout: 240_000 }, async () => {
    emulator = await startEmulator({ vendor });
    proxy = await startFaultProxy(emulator.url, { rate: 0.05, seed: 7, delayMs: 50 });
    const { file, env } = targetFile(vendor, emulator, proxy.url, { attempts: 3, baseBackoffMs: 1, maxBackoffMs: 5, timeoutMs: 5000, maxRequests: 20000 });
    Object.assign(process.env, env);
    const runPrefix = newRunPrefix('bcfault');
    const adapter = await createHttpAdapter({ targetConfig: file, runPrefix });
    const { rules, tables } = await loadSpecSet({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES });
    const results: RuleResult[] = [];
    try {
      for (const rule of rules.filter((r) => r.vendor === vendor)) results.push(await runRule(rule, adapter, PROPERTIES, { seed: 11, numRuns: 4, targetName: 'http', tables }));
    } finally {
      await adapter.close();
    }
    const failed = results.filter((r) => r.verdict === 'fail').map((r) => `${r.id}: ${r.message ?? ''}`);
    expect(failed).toEqual([]);
    const verdicts = new Set(results.map((r) => r.verdict));
    expect(verdicts.has('pass')).toBe(true);
    // The proxy injected every kind of fault, and some rules met one the retries could not absorb.
    for (const kind of ['drop', 'delay', 'status-500', 'status-503', 'status-429', 'cut-short'] as const) expect(proxy.counts[kind], kind).toBeGreaterThan(0);
    expect(results.some((r) => r.verdict === 'inconclusive')).toBe(true);
    // Nothing under the run prefix is left in the emulator itself (swept without the proxy).
    const direct = targetFile(vendor, emulator, emulator.url);
    const sweep = await cleanupRun(direct.file, runPrefix, { ...process.env, ...direct.env });
    expect(sweep).toEqual({ buckets: 0, objects: 0, failures: [] });
  });
});

describe('a live CLI run', () => {
  it('stopped by SIGINT exits 130 and leaves no bucket behind', { timeout: 120_000 }, async () => {
    const emulator = await startEmulator({ vendor: 'alibaba-oss' });
    try {
      const { file, env } = targetFile('alibaba-oss', emulator, emulator.url);
      const runPrefix = newRunPrefix('bcsigint');
      const child = spawn(NODE, [MAIN, 'run', '--target-config', file, '--vendor', 'alibaba-oss', '--num-runs', '50', '--seed', '3', '--run-prefix', runPrefix, '--out', join(tmp.dir, 'sigint-out')], { env: userEnv({ ...env, CI: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      const started = new Promise<void>((resolve) => {
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          // A rule has finished: the run is in the middle of its work.
          if (/^\s*(✓|✗|pass|PASS)|ALI-[A-Z-]+/m.test(stderr.split('run prefix')[1] ?? '')) resolve();
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await started;
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('SIGINT: stopping the run and removing what it created');
      // The run's own sweep ran (vitest's handler of SIGINT would have exited before it) ...
      expect(stderr).toMatch(new RegExp(`removed \\d+ leftover bucket\\(s\\) under ${runPrefix}\n`));
      // ... and its reports say it was stopped, without a verdict.
      expect(stderr).toMatch(/\ninterrupted: \d+ of \d+ rules ran, no verdict: /);
      const report = JSON.parse(readFileSync(join(tmp.dir, 'sigint-out', 'report.json'), 'utf8')) as { run: { interrupted?: { selected: number } }; rules: unknown[] };
      const selected = Number(/target http, (\d+) rules/.exec(stderr)?.[1]);
      expect(report.run.interrupted).toEqual({ selected });
      expect(report.rules.length).toBeLessThan(selected);
      // Nothing is left for a second sweep to find.
      const sweep = await cleanupRun(file, runPrefix, { ...process.env, ...env });
      expect(sweep).toEqual({ buckets: 0, objects: 0, failures: [] });
    } finally {
      await emulator.close();
    }
  });

  it('writes no secret it used into any file, nor to its output', { timeout: 240_000 }, async () => {
    const emulator = await startEmulator({ vendor: 'alibaba-oss' });
    try {
      const { file, env } = targetFile('alibaba-oss', emulator, emulator.url);
      const out = join(tmp.dir, 'secrets-out');
      // The live defaults: no --num-runs.
      const child = spawn(NODE, [MAIN, 'run', '--target-config', file, '--vendor', 'alibaba-oss', '--seed', '5', '--out', out], { env: userEnv({ ...env, CI: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, output.slice(-2000)).toBe(0);
      expect(output).toContain(`seed 5, ${LIVE_DEFAULTS.numRuns} runs per property, at most ${LIVE_DEFAULTS.exhaustive} cases per exhaustive check (the live defaults`);
      const secrets = Object.values(env);
      expect(secrets.length).toBeGreaterThan(3);
      const files = walk(out);
      expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(expect.arrayContaining(['junit.xml', 'report.html', 'report.json', 'summary.md']));
      for (const path of files) {
        const text = readFileSync(path, 'utf8');
        for (const secret of secrets) expect(text.includes(secret), `${secret} in ${path}`).toBe(false);
      }
      for (const secret of secrets) expect(output.includes(secret), `${secret} in the output`).toBe(false);
      // The run did reach the target: the report has passing rules.
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { rules: Array<{ verdict: string }> };
      expect(report.rules.some((r) => r.verdict === 'pass')).toBe(true);
    } finally {
      await emulator.close();
    }
  });
});
