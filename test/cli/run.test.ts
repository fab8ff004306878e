import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Rule } from '../../model/rule.ts';
import type { RuleReport, RunReport } from '../../reports/report.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecs } from '../../suites/spec/load.ts';
import { BIN, MAIN, NODE, cli, runProcess, tempDir, userEnv } from './cli.ts';

/**
 * `bucket-conformance run`, as a child process: a conforming run exits 0 and writes its reports;
 * a faulty target exits 1 with a counterexample whose replay command, run as printed, fails the
 * same way; and the bin works when the system Node is too old for TypeScript.
 */

const FAULTY_TARGET = join(PROJECT_ROOT, 'test', 'fixtures', 'adapters', 'allow-beats-deny.ts');
const tmp = tempDir('run');
let specRules: Rule[];

beforeAll(async () => {
  specRules = await loadSpecs({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES });
});
afterAll(() => tmp.remove());

function readReport(dir: string): RunReport {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
}

describe('run against the reference target', () => {
  it('runs the ALI-VERSION family, exits 0 and writes report.json and summary.md', async () => {
    const out = join(tmp.dir, 'version');
    const run = await cli(['run', '--rules', 'ALI-VERSION*', '--seed', '1', '--num-runs', '20', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('seed 1');
    expect(run.stderr).toMatch(/\nconforms: \d+ passed, 0 failed/);

    const report = readReport(out);
    expect(report.format).toBe('bucket-conformance/report@1');
    expect(report.run.seed).toBe(1);
    expect(report.run.numRuns).toBe(20);
    expect(report.run.target).toBe('reference');
    expect(report.run.rules).toEqual(['ALI-VERSION*']);
    expect(report.errors).toEqual([]);

    const family = specRules.filter((r) => r.id === 'ALI-VERSION' || r.id.startsWith('ALI-VERSION.'));
    expect(family.length).toBeGreaterThan(1);
    expect(report.rules.map((r) => r.id).sort()).toEqual(family.map((r) => r.id).sort());
    for (const r of report.rules) {
      const spec = family.find((s) => s.id === r.id)!;
      expect(r.status, r.id).toBe(spec.status);
      expect(r.source, r.id).toEqual(spec.source);
      expect(r.verdict, r.id).toBe('pass');
      expect(r.cases, r.id).toBeGreaterThan(0);
      expect(r.checks.map((c) => c.name), r.id).toEqual(spec.checks.map((c) => c.name));
      for (const c of r.checks) if (c.kind === 'property') expect(c.seed, `${r.id} ${c.name}`).toBe(1);
    }
    expect(report.summary.total).toBe(family.length);

    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain(`of ${family.length} rules`);
    expect(summary).toContain('Seed `1`');
    for (const r of family) expect(summary).toContain(`| \`${r.id}\``);
  });
});

describe('run --exhaustive N', () => {
  it('runs a sample of each exhaustive check, and says so in the reports and the replay commands', async () => {
    const out = join(tmp.dir, 'exhaustive');
    const run = await cli(['run', '--rules', 'APS-STRANGER', '--seed', '2', '--num-runs', '5', '--exhaustive', '20', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('5 runs per property, at most 20 cases per exhaustive check');
    const report = readReport(out);
    expect(report.run.exhaustive).toBe(20);
    const sampled = report.rules.flatMap((r) => r.checks).filter((c) => c.enumerated !== undefined);
    expect(sampled.length).toBeGreaterThan(0);
    for (const c of sampled) {
      expect(c.cases).toBeGreaterThanOrEqual(20);
      expect(c.cases).toBeLessThan(c.enumerated!);
    }
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('at most 20 cases per exhaustive check');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(new RegExp(`${sampled[0]!.cases} <span class="muted" title="a sample of the ${sampled[0]!.enumerated} enumerated cases`));
    // Without the option, every case runs.
    const whole = join(tmp.dir, 'exhaustive-all');
    expect((await cli(['run', '--rules', 'APS-STRANGER', '--seed', '2', '--num-runs', '5', '--exhaustive', 'all', '--out', whole])).code).toBe(0);
    const all = readReport(whole);
    expect(all.run.exhaustive).toBeUndefined();
    expect(all.rules.flatMap((r) => r.checks).filter((c) => c.enumerated !== undefined)).toEqual([]);
    expect(all.summary.cases).toBeGreaterThan(report.summary.cases);
  });
});

describe('run against a faulty target', () => {
  let report: RunReport;
  let failing: RuleReport;
  let stderr: string;

  beforeAll(async () => {
    const out = join(tmp.dir, 'faulty');
    const run = await cli(['run', '--target', FAULTY_TARGET, '--rules', 'ALI-DENY-FIRST', '--seed', '3', '--num-runs', '50', '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    stderr = run.stderr;
    report = readReport(out);
    failing = report.rules[0]!;
  });

  it('exits 1 and reports the rule failed, with the shrunk counterexample, seed, path and replay command', () => {
    expect(report.run.target).toBe(FAULTY_TARGET);
    expect(report.rules.map((r) => r.id)).toEqual(['ALI-DENY-FIRST']);
    expect(failing.verdict).toBe('fail');
    const property = failing.checks.find((c) => c.kind === 'property')!;
    expect(property.verdict).toBe('fail');
    expect(property.seed).toBe(3);
    expect(property.path).toMatch(/^\d+(:\d+)*$/);
    const ce = property.counterexample!;
    expect(ce.case.kind).toBe('expect');
    // The case was built so that its request is denied; the faulty target let an Allow win.
    expect(ce.expected).toMatchObject({ decision: 'deny' });
    expect(ce.observed).toMatchObject({ kind: 'observed', observation: { decision: 'allow' } });
    expect(property.replay).toBe(
      `npx bucket-conformance run --target ${FAULTY_TARGET} --rules ALI-DENY-FIRST --check '${property.name}' --seed 3 --num-runs 50 --path ${property.path}`,
    );
    expect(stderr).toContain(`replay: ${property.replay}`);
    expect(stderr).toMatch(/\ndoes not conform: 0 passed, 1 failed/);
  });

  it('fails again the same way when its replay command is run as printed', async () => {
    const property = failing.checks.find((c) => c.kind === 'property')!;
    const prefix = 'npx bucket-conformance ';
    expect(property.replay!.startsWith(prefix)).toBe(true);
    // The shell parses the command as a user's would; only `npx bucket-conformance` is swapped
    // for the bundled Node running the CLI. It runs in a fresh folder, so its reports go to ./out.
    const cwd = join(tmp.dir, 'replay');
    mkdirSync(cwd);
    const run = await runProcess('/bin/sh', ['-c', `"$CLI_NODE" "$CLI_MAIN" ${property.replay!.slice(prefix.length)}`], { cwd, env: userEnv({ CLI_NODE: NODE, CLI_MAIN: MAIN }) });
    expect(run.code, run.stderr).toBe(1);
    const again = readReport(join(cwd, 'out'));
    expect(again.rules.map((r) => r.id)).toEqual(['ALI-DENY-FIRST']);
    const replayed = again.rules[0]!;
    expect(replayed.verdict).toBe('fail');
    expect(replayed.checks.map((c) => c.name)).toEqual([property.name]);
    const check = replayed.checks[0]!;
    expect(check.cases).toBe(1);
    expect(check.counterexample).toEqual(property.counterexample);
    expect(check.message).toBe(property.message);
    expect(check.path).toBe(property.path);
    expect(check.replay).toBe(property.replay);
  });
});

describe('run against a faulty APS target: the stateful run', () => {
  const OWNER_BLIND = join(PROJECT_ROOT, 'test', 'fixtures', 'adapters', 'owner-blind.ts');
  const CHECK = 'long sequences are decided by the creation-time grants';

  it('prints the shrunk sequence, and its replay command, run as printed, replays that sequence', async () => {
    const out = join(tmp.dir, 'aps-faulty');
    const run = await cli(['run', '--target', OWNER_BLIND, '--rules', 'APS-NO-REVOKE', '--seed', '11', '--num-runs', '100', '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    const check = readReport(out).rules[0]!.checks.find((c) => c.name === CHECK)!;
    const sequence = check.counterexample!.sequence!;
    // The last step is the owner's download of an object a key uploaded.
    expect(sequence.at(-1)).toMatch(/^\d+\. Owner \(owner\) downloadObject .*\[by-other-key\].*-> expected allow$/);
    expect(run.stderr).toContain(`  shrunk sequence (the last step failed):\n${sequence.map((l) => `    ${l}`).join('\n')}`);
    expect(check.replay).toMatch(/ --path \S+ --replay-path \S+$/);

    const prefix = 'npx bucket-conformance ';
    const cwd = join(tmp.dir, 'aps-replay');
    mkdirSync(cwd);
    const again = await runProcess('/bin/sh', ['-c', `"$CLI_NODE" "$CLI_MAIN" ${check.replay!.slice(prefix.length)}`], { cwd, env: userEnv({ CLI_NODE: NODE, CLI_MAIN: MAIN }) });
    expect(again.code, again.stderr).toBe(1);
    const replayed = readReport(join(cwd, 'out')).rules[0]!.checks[0]!;
    expect(replayed.cases).toBe(1);
    expect(replayed.counterexample!.sequence).toEqual(sequence);
  });

  it('refuses --replay-path without --path, as a usage error', async () => {
    const run = await cli(['run', '--rules', 'APS-NO-REVOKE', '--check', CHECK, '--replay-path', 'eXy:F']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--replay-path needs --path');
  });
});

describe('the bin under an old system Node', () => {
  const SYSTEM_NODE = '/usr/bin/node';
  const version = existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim() : '';
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const old = version !== '' && (major < 22 || (major === 22 && minor < 18));
  // A PATH without any node_modules/.bin, as in a shell outside npm scripts.
  const PATH = (process.env['PATH'] ?? '').split(delimiter).filter((p) => !p.includes('node_modules')).join(delimiter);

  it.skipIf(!old)(`re-executes itself under the bundled Node when started by ${SYSTEM_NODE} (${version || 'absent'})`, async () => {
    const out = join(tmp.dir, 'bin');
    const env = userEnv({ PATH });
    const run = await runProcess(SYSTEM_NODE, [BIN, 'run', '--rules', 'ALI-VERSION.rejection', '--seed', '2', '--num-runs', '10', '--out', out], { env });
    expect(run.code, run.stderr).toBe(0);
    const report = readReport(out);
    expect(report.rules.map((r) => r.id)).toEqual(['ALI-VERSION.rejection']);
    // The run itself happened under a Node that strips types, not under the system one.
    expect(report.run.node).not.toBe(`v${version}`);
    const [runMajor = 0, runMinor = 0] = report.run.node.slice(1).split('.').map(Number);
    expect(runMajor > 22 || (runMajor === 22 && runMinor >= 18)).toBe(true);
  });

  it.skipIf(!old)('passes standard input, standard output and the exit code through', async () => {
    const env = userEnv({ PATH });
    const input = JSON.stringify({ vendor: 'alibaba-oss', bucket: { name: 'b', owner: '1746495857600001' }, request: { principal: '1746495857600001', action: 'oss:GetObject', object: 'a.txt' } });
    const decided = await runProcess(SYSTEM_NODE, [BIN, 'decide', '-'], { env, input });
    expect(decided.code, decided.stderr).toBe(0);
    expect(JSON.parse(decided.stdout)).toMatchObject({ decision: 'allow' });
    const refused = await runProcess(SYSTEM_NODE, [BIN, 'frobnicate'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown command `frobnicate`');
  });

  it('runs in-process under a Node that strips types', async () => {
    const run = await runProcess(NODE, [BIN, '--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });
});
