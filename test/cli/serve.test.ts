/**
 * `bucket-conformance serve` as a user runs it: the first line names the address, the server
 * answers, and SIGINT or SIGTERM stop it with exit code 0. Usage mistakes exit 2 before binding.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VENDORS } from '../../model/vendors.ts';
import { BIN, cli, MAIN, NODE, tempDir, userEnv } from './cli.ts';

interface Served {
  child: ChildProcessWithoutNullStreams;
  firstLine: string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `serve args` and resolves once it printed its first line. */
function serve(args: string[], command: string[] = [NODE, MAIN]): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), 'serve', ...args], { env: userEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) => child.on('close', (code, signal) => done({ code, signal, stderr })));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve({ child, firstLine: stdout.slice(0, nl), stdout: () => stdout, exited });
    });
    child.on('error', reject);
    void exited.then(({ code }) => reject(new Error(`serve exited (${code}) before printing a line: ${stderr}`)));
  });
}

describe('bucket-conformance serve', () => {
  const tmp = tempDir('serve');
  afterAll(() => tmp.remove());

  it.each(VENDORS)('%s: prints `listening on` first, serves, and exits 0 on SIGTERM', async (vendor) => {
    const served = await serve(['--vendor', vendor, '--port', '0']);
    expect(served.firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = served.firstLine.slice('listening on '.length);
    // Any route: the dialect answers in its own format rather than dropping the connection.
    const res = await fetch(`${url}/no-such-route-${vendor}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await res.arrayBuffer();
    served.child.kill('SIGTERM');
    const { code } = await served.exited;
    expect(code).toBe(0);
    expect(served.stdout()).toContain(`emulator/default-accounts/${vendor}.json (the default set)`);
  });

  it('stops on SIGINT through the package bin too, with exit code 0', async () => {
    const served = await serve(['--vendor', 'aps-oss'], [process.execPath, BIN]);
    expect(served.firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    served.child.kill('SIGINT');
    const { code, stderr } = await served.exited;
    expect(code).toBe(0);
    expect(stderr).toContain('SIGINT: emulator stopped');
  });

  it('uses an accounts file, in YAML', async () => {
    const file = join(tmp.dir, 'apps.yaml');
    writeFileSync(file, 'apps:\n  - {clientId: c1, clientSecret: s1}\n  - {clientId: c2, clientSecret: s2}\n');
    const served = await serve(['--vendor', 'aps-oss', '--accounts', file]);
    expect(served.stdout()).toMatch(/listening on/);
    await new Promise((r) => setTimeout(r, 50));
    expect(served.stdout()).toContain(`2 app(s) from ${file}`);
    served.child.kill('SIGTERM');
    expect((await served.exited).code).toBe(0);
  });

  it('refuses usage mistakes with exit code 2, before listening', async () => {
    const noVendor = await cli(['serve']);
    expect(noVendor.code).toBe(2);
    expect(noVendor.stderr).toContain('serve needs --vendor');
    const badVendor = await cli(['serve', '--vendor', 'gcs']);
    expect(badVendor.code).toBe(2);
    expect(badVendor.stderr).toContain('unknown vendor `gcs`');
    const badPort = await cli(['serve', '--vendor', 'aps-oss', '--port', '70000']);
    expect(badPort.code).toBe(2);
    const bad = join(tmp.dir, 'bad.json');
    writeFileSync(bad, '{"accounts": [{"id": "1"}]}');
    const badAccounts = await cli(['serve', '--vendor', 'alibaba-oss', '--accounts', bad]);
    expect(badAccounts.code).toBe(2);
    expect(badAccounts.stderr).toContain('`accounts[0].accessKeyId` must be a non-empty string');
    expect(badAccounts.stdout).toBe('');
  });

  it('says so with exit code 2 when the port is taken', async () => {
    const first = await serve(['--vendor', 'aps-oss']);
    const port = first.firstLine.split(':').pop()!;
    const second = await cli(['serve', '--vendor', 'aps-oss', '--port', port]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`cannot listen on \`127.0.0.1:${port}\``);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
  });
});
