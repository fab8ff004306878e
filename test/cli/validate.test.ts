import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../model/rule.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { PROJECT_ROOT } from '../../suites/settings.ts';
import { loadSpecs } from '../../suites/spec/load.ts';
import { cli, positionOf, tempDir } from './cli.ts';

/**
 * `bucket-conformance validate` and `list`, run as child processes: the real specs are valid;
 * a specs folder with problems exits 2 with every problem located as file:line:col and named
 * by rule id, before anything runs.
 */

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'cli', 'broken-specs');
const tmp = tempDir('validate');
let realRules: Rule[];

beforeAll(async () => {
  // A whole specs folder, as --specs takes it: the fixture's rule files, and the real rule
  // inventory and seeds linked in.
  cpSync(FIXTURE, join(tmp.dir, 'specs'), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, 'specs', '_meta'), join(tmp.dir, 'specs', '_meta'), 'dir');
  symlinkSync(join(PROJECT_ROOT, 'specs', '_seeds'), join(tmp.dir, 'specs', '_seeds'), 'dir');
  realRules = await loadSpecs({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES });
});
afterAll(() => tmp.remove());

const fixtureText = (file: string) => readFileSync(join(FIXTURE, file), 'utf8');

describe('validate', () => {
  it('passes the real specs, counting their rules and checks', async () => {
    const run = await cli(['validate']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const checks = realRules.reduce((n, r) => n + r.checks.length, 0);
    expect(run.stdout).toBe(`specs: ${realRules.length} rules, ${checks} checks, no problem\n`);
  });

  it('exits 2 on a folder with problems, listing each with file:line:col and its rule id, and runs nothing', async () => {
    const run = await cli(['validate', '--specs', 'specs'], { cwd: tmp.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('3 problem(s) found; nothing was run');

    const syntax = lines.find((l) => l.startsWith('error[CONFORMANCE_SPEC_YAML_SYNTAX]: '));
    expect(syntax).toBeDefined();
    const m = /^error\[CONFORMANCE_SPEC_YAML_SYNTAX\]: specs\/alibaba-oss\/ALI-VERSION\.yaml:(\d+):(\d+): invalid YAML: .+ \(rule ALI-VERSION\)$/.exec(syntax!);
    expect(m, syntax).not.toBeNull();
    // The unclosed `[` is on line 9; the parser finds out there or at the next line.
    const line = Number(m![1]);
    expect(line).toBeGreaterThanOrEqual(Number(positionOf(fixtureText('alibaba-oss/ALI-VERSION.yaml'), 'requires:').split(':')[0]));
    expect(line).toBeLessThanOrEqual(Number(positionOf(fixtureText('alibaba-oss/ALI-VERSION.yaml'), 'checks:').split(':')[0]));

    expect(lines).toContain(
      `error[CONFORMANCE_SPEC_UNKNOWN_RULE_ID]: specs/alibaba-oss/ALI-VERSIONS.yaml:${positionOf(fixtureText('alibaba-oss/ALI-VERSIONS.yaml'), 'ALI-VERSIONS')}: unknown rule id \`ALI-VERSIONS\`, did you mean \`ALI-VERSION\`? (rule ALI-VERSIONS)`,
    );
    const capability = lines.find((l) => l.startsWith('error[CONFORMANCE_SPEC_UNKNOWN_CAPABILITY]: '));
    expect(capability).toBe(
      `error[CONFORMANCE_SPEC_UNKNOWN_CAPABILITY]: specs/common/X-ORDER.yaml:${positionOf(fixtureText('common/X-ORDER.yaml'), 'request.vpc')}: unknown capability \`request.vpc\`, not in specs/_meta/capabilities.yaml (rule X-ORDER)`,
    );
  });

  it('refuses to run a folder with problems, with the same report and no output folder', async () => {
    const run = await cli(['run', '--specs', 'specs', '--seed', '1', '--num-runs', '10', '--out', 'out'], { cwd: tmp.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('3 problem(s) found; nothing was run');
    expect(run.stderr).toContain('(rule X-ORDER)');
    expect(run.stderr).not.toContain('bucket-conformance: target');
    expect(existsSync(join(tmp.dir, 'out'))).toBe(false);
  });
});

describe('list', () => {
  it('lists the selected rules as JSON, as the loader reads them', async () => {
    const run = await cli(['list', '--rules', 'ALI-DENY-FIRST,X-ORDER', '--json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as Array<{ id: string; status: string; checks: string[] }>;
    const expected = realRules.filter((r) => r.id === 'ALI-DENY-FIRST' || r.id === 'X-ORDER');
    expect(listed.map((r) => [r.id, r.status, r.checks])).toEqual(expected.map((r) => [r.id, r.status, r.checks.map((c) => c.name)]));
  });

  it('lists one line per rule, a glob selecting a family', async () => {
    const run = await cli(['list', '--rules', 'ALI-VERSION*']);
    expect(run.code).toBe(0);
    const ids = run.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(ids).toEqual(realRules.filter((r) => r.id.startsWith('ALI-VERSION')).map((r) => r.id));
  });
});
