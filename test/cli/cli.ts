/**
 * Runs the command line as a user would: a child process of the bundled Node (or of any Node
 * given), with the user's environment minus the settings of the test run itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../suites/settings.ts';

/** The Node 24 that the `node` devDependency installs. */
export const NODE = join(PROJECT_ROOT, 'node_modules', '.bin', 'node');
/** The CLI's entry point. */
export const MAIN = join(PROJECT_ROOT, 'cli', 'main.ts');
/** The package's bin. */
export const BIN = join(PROJECT_ROOT, 'bin', 'bucket-conformance.js');

/** What a run of the CLI gave. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: this run's vitest and conformance variables left out. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VITEST') || k.startsWith('BUCKET_CONFORMANCE_') || k === 'NODE_OPTIONS' || k === 'TEST' || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs `command args` in `cwd` (the project by default), feeding `input` to its standard input. */
export function runProcess(command: string, args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? PROJECT_ROOT, env: options.env ?? userEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs `node cli/main.ts args` with the bundled Node. */
export function cli(args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return runProcess(NODE, [MAIN, ...args], options);
}

/** A fresh temporary folder, and a function that removes it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `bucket-conformance-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The 1-based `line:col` of the first occurrence of `needle` in `text` (after `after`, if given). */
export function positionOf(text: string, needle: string, after = ''): string {
  const from = after ? text.indexOf(after) : 0;
  if (from === -1) throw new Error(`\`${after}\` is not in the text`);
  const offset = text.indexOf(needle, from);
  if (offset === -1) throw new Error(`\`${needle}\` is not in the text`);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}
