import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/registry.ts';
import { cli, tempDir, type CliRun } from './cli.ts';

/**
 * Usage errors: exit code 2, a `CONFORMANCE_*` error on stderr saying what is wrong, nothing
 * on stdout, and nothing run (no report written).
 */

const tmp = tempDir('usage');
afterAll(() => tmp.remove());
let n = 0;

/** Runs `run` with `args` and an --out folder of its own; expects a usage error and no report. */
async function refusedRun(args: string[]): Promise<CliRun> {
  const out = join(tmp.dir, `out-${++n}`);
  const run = await cli(['run', ...args, '--out', out]);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(existsSync(out)).toBe(false);
  return run;
}

describe('usage errors', () => {
  it('an unknown command, listing the commands', async () => {
    const run = await cli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error[CONFORMANCE_USAGE]: unknown command `frobnicate`; commands: run, replay, expectations, report, decide, serve, cleanup, validate, list, help');
    expect(run.stderr).toContain('run `bucket-conformance help` for usage');
  });

  it('no command prints the usage and exits 2; help exits 0', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: bucket-conformance <command> [options]');
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(none.stdout);
  });

  it('an unknown option', async () => {
    const run = await refusedRun(['--rules', 'ALI-VERSION', '--frobnicate']);
    expect(run.stderr).toMatch(/^error\[CONFORMANCE_USAGE\]: Unknown option '--frobnicate'/);
  });

  it('--num-runs 0', async () => {
    const run = await refusedRun(['--rules', 'ALI-VERSION', '--num-runs', '0']);
    expect(run.stderr).toContain('error[CONFORMANCE_USAGE]: --num-runs: `0` is not an integer >= 1');
  });

  it('--exhaustive that is neither all nor a positive integer', async () => {
    expect((await refusedRun(['--rules', 'APS-STRANGER', '--exhaustive', '0'])).stderr).toContain('error[CONFORMANCE_USAGE]: --exhaustive: `0` is neither `all` nor a positive integer');
    expect((await refusedRun(['--rules', 'APS-STRANGER', '--exhaustive', 'some'])).stderr).toContain('error[CONFORMANCE_USAGE]: --exhaustive: `some` is neither `all` nor a positive integer');
  });

  it('--seed that is not an integer', async () => {
    const run = await refusedRun(['--rules', 'ALI-VERSION', '--seed', '1.5']);
    expect(run.stderr).toContain('error[CONFORMANCE_USAGE]: --seed: `1.5` is not an integer');
  });

  it('--vendor nope, listing the vendors', async () => {
    const run = await refusedRun(['--vendor', 'nope']);
    expect(run.stderr).toContain('error[CONFORMANCE_USAGE]: --vendor: unknown vendor `nope`; valid vendors: alibaba-oss, huawei-obs, aps-oss');
  });

  it('--target nope, listing the valid targets', async () => {
    const run = await refusedRun(['--rules', 'ALI-VERSION', '--target', 'nope']);
    expect(run.stderr).toContain(`error[CONFORMANCE_UNKNOWN_ADAPTER]: unknown target \`nope\`; valid targets: ${[...ADAPTERS.keys()].join(', ')}`);
    expect(run.stderr).toContain('valid targets: reference, http');
  });

  it('--target with a module that does not exist', async () => {
    const run = await refusedRun(['--rules', 'ALI-VERSION', '--target', './test/fixtures/adapters/no-such-adapter.ts']);
    expect(run.stderr).toContain('error[CONFORMANCE_ADAPTER_LOAD]: cannot load adapter module `./test/fixtures/adapters/no-such-adapter.ts`');
  });

  it('--rules that match no rule', async () => {
    const run = await refusedRun(['--rules', 'NOPE-*']);
    expect(run.stderr).toContain('error[CONFORMANCE_USAGE]: no rule matches --rules NOPE-*');
  });

  it('--check that no selected rule has', async () => {
    const run = await refusedRun(['--rules', 'ALI-DENY-FIRST', '--check', 'no such check']);
    expect(run.stderr).toContain('error[CONFORMANCE_USAGE]: no selected rule has a check named `no such check`');
  });

  it('--path without --check', async () => {
    const run = await refusedRun(['--rules', 'ALI-DENY-FIRST', '--seed', '3', '--path', '0:1:0']);
    expect(run.stderr).toContain('error[CONFORMANCE_USAGE]: --path needs --check');
  });

  it('a positional argument to run', async () => {
    const run = await refusedRun(['ALI-VERSION']);
    expect(run.stderr).toContain('error[CONFORMANCE_USAGE]: run takes no positional argument (got `ALI-VERSION`)');
  });
});

describe('usage errors of the live target', () => {
  it('--differential against the reference itself, and live options without a target file', async () => {
    expect((await refusedRun(['--differential'])).stderr).toContain('--differential compares a target with the reference evaluator');
    expect((await refusedRun(['--target', 'http'])).stderr).toContain('--target http needs --target-config FILE');
    expect((await refusedRun(['--max-requests', '10'])).stderr).toContain('--max-requests goes with --target http --target-config FILE');
    expect((await refusedRun(['--target', 'reference', '--target-config', 'x.yaml'])).stderr).toContain('--target-config goes with --target http');
  });

  it('a target file with a mistake, located, before anything runs', async () => {
    const file = join(tmp.dir, 'target.yaml');
    writeFileSync(file, 'vendor: alibaba-oss\nendpoint: http://127.0.0.1:1\nidentities:\n  - kind: account\n    id: "1"\n    accessKeyId: A\n    accessKeySecret: literal\n');
    const run = await refusedRun(['--target-config', file]);
    expect(run.stderr).toContain(`error[CONFORMANCE_TARGET_CONFIG]: ${file}:7:5: secrets never live in the file`);
    expect(run.stderr).not.toContain('literal\n');
  });

  it('cleanup refuses a prefix shorter than a run prefix, and needs its options', async () => {
    const file = join(tmp.dir, 'target-ok.yaml');
    writeFileSync(file, 'vendor: alibaba-oss\nendpoint: http://127.0.0.1:1\nidentities:\n  - kind: account\n    id: "1"\n    accessKeyId: A\n    accessKeySecretEnv: SECRET\n');
    const short = await cli(['cleanup', '--target-config', file, '--run-prefix', 'bc']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('`bc` is not a run prefix');
    const none = await cli(['cleanup', '--target-config', file]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('cleanup needs --run-prefix');
  });
});
