/**
 * `run --target-config F` against an emulator on loopback whose owner secret is wrong: the CLI's
 * probe adapter finds it before vitest starts, and the command exits 2 with the owner's
 * `file:line:col` and the vendor's code, before any rule runs and without any secret in its output.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { emulatorTarget } from '../../emulator/target-file.ts';
import { MAIN, NODE, positionOf, runProcess, tempDir, userEnv } from './cli.ts';

let emulator: RunningEmulator;
const tmp = tempDir('live-probe');

beforeAll(async () => {
  emulator = await startEmulator({ vendor: 'alibaba-oss', log: () => {} });
});
afterAll(async () => {
  await emulator.close();
  tmp.remove();
});

describe('a live run whose owner the target refuses', () => {
  it('exits 2 with the owner located and the code, before any rule runs', { timeout: 60_000 }, async () => {
    const { yaml, env } = emulatorTarget('alibaba-oss', emulator.url, emulator.accounts);
    const file = join(tmp.dir, 'target.yaml');
    writeFileSync(file, yaml);
    const wrong = 'wrong-owner-secret-41c9';
    const out = join(tmp.dir, 'out');
    const run = await runProcess(NODE, [MAIN, 'run', '--target-config', file, '--vendor', 'alibaba-oss', '--num-runs', '2', '--out', out], {
      env: userEnv({ ...env, BC_EMU_ALI_ACCOUNT_1_SECRET: wrong, CI: '1' }),
    });
    expect(run.code, run.stderr).toBe(2);
    // The owner is the first identity: the item that starts with its `kind`.
    const owner = positionOf(yaml, 'kind: account');
    expect(run.stderr).toContain(`error[CONFORMANCE_TARGET_CONFIG]: ${file}:${owner}: the target refused the credentials of the owner`);
    expect(run.stderr).toContain('SignatureDoesNotMatch (status 403)');
    // Nothing ran: no run line, no rule, no report.
    expect(run.stderr).not.toContain('run prefix');
    expect(run.stderr).not.toMatch(/ALI-[A-Z]/);
    expect(existsSync(out)).toBe(false);
    for (const secret of [wrong, ...Object.values(env)]) expect(`${run.stdout}${run.stderr}`.includes(secret), secret).toBe(false);
  });
});
