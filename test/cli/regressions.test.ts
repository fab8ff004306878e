import { mkdirSync, copyFileSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { shellQuote } from '../../suites/runner.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { cli, tempDir } from './cli.ts';

/** Problems found while testing the CLI as a user, each kept as a test. */

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('CLI regressions', () => {
  test('--check selects only the rules that have that check, so a parent rule with children replays cleanly', async () => {
    const { dir, remove } = tempDir('check');
    cleanups.push(remove);
    const run = await cli(['run', '--rules', 'ALI-VERSION', '--check', 'a Version "1" policy takes effect', '--seed', '1', '--num-runs', '10', '--out', dir]);
    expect(run.stderr).not.toContain('no check named');
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { rules: Array<{ id: string; verdict: string }> };
    expect(report.rules.map((r) => [r.id, r.verdict])).toEqual([['ALI-VERSION', 'pass']]);
  });

  test('run --specs follows a symbolic link to _meta and _seeds', async () => {
    const { dir, remove } = tempDir('symlink');
    cleanups.push(remove);
    const specs = join(dir, 'specs');
    mkdirSync(join(specs, 'alibaba-oss'), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, 'specs', 'alibaba-oss', 'ALI-VERSION.yaml'), join(specs, 'alibaba-oss', 'ALI-VERSION.yaml'));
    symlinkSync(join(PROJECT_ROOT, 'specs', '_meta'), join(specs, '_meta'));
    symlinkSync(join(PROJECT_ROOT, 'specs', '_seeds'), join(specs, '_seeds'));
    const run = await cli(['run', '--specs', specs, '--seed', '1', '--num-runs', '10', '--out', join(dir, 'out')]);
    expect(run.stderr).not.toContain('EISDIR');
    expect(run.code).toBe(0);
  });

  test('replay commands quote what a shell would split', () => {
    expect(shellQuote('reference')).toBe('reference');
    expect(shellQuote('/tmp/my adapters/a.ts')).toBe("'/tmp/my adapters/a.ts'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
