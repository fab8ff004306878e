import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../model/capabilities.ts';
import { isConformanceError } from '../../model/errors.ts';
import { RULE_STATUSES } from '../../model/rule.ts';
import { VENDORS } from '../../model/vendors.ts';
import { REPORT_FILES } from '../../reports/index.ts';
import { buildMatrix, mergeShards } from '../../reports/matrix.ts';
import { REPORT_VERDICTS, type RunReport } from '../../reports/report.ts';
import { MATRIX_SCHEMA_PATH, parseReport, REPORT_SCHEMA_PATH, reportValidators } from '../../reports/validate.ts';
import { cli, tempDir, type CliRun } from '../cli/cli.ts';
import { allKindsReport, fixtureMatrix, otherTargetReport } from './fixtures.ts';

/**
 * The published JSON Schemas (reports/schema/report.schema.json and matrix.schema.json), checked
 * with ajv against real reports of the CLI (a conforming run, a failing one and a failing
 * stateful one), against the fixture reports of every verdict, and against the closed
 * vocabularies of model/, so that the schema and the code cannot drift apart unnoticed.
 */

const tmp = tempDir('report-schema');
const runs: Record<'pass' | 'fail' | 'stateful', { run: CliRun; dir: string }> = {} as never;

beforeAll(async () => {
  const args = {
    pass: ['run', '--rules', 'ALI-VERSION*', '--seed', '1', '--num-runs', '10'],
    fail: ['run', '--target', 'test/fixtures/adapters/allow-beats-deny.ts', '--rules', 'ALI-DENY-FIRST', '--seed', '3', '--num-runs', '30'],
    stateful: ['run', '--target', 'test/fixtures/adapters/owner-blind.ts', '--rules', 'APS-NO-REVOKE', '--seed', '11', '--num-runs', '30'],
  };
  await Promise.all(
    Object.entries(args).map(async ([name, a]) => {
      const dir = join(tmp.dir, name);
      runs[name as keyof typeof runs] = { run: await cli([...a, '--out', dir]), dir };
    }),
  );
}, 180_000);
afterAll(() => tmp.remove());

function real(name: keyof typeof runs): RunReport {
  const { run, dir } = runs[name];
  expect(existsSync(join(dir, 'report.json')), `${name}: no report.json; stderr:\n${run.stderr}`).toBe(true);
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
}

function errorsOf(validate: ReturnType<typeof reportValidators>['report'], value: unknown): string {
  return validate(value) ? '' : JSON.stringify(validate.errors, null, 2);
}

describe('the report schema', () => {
  const { report: validate } = reportValidators();

  it('is published as draft-07 JSON Schema next to the reporters', () => {
    const schema = JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as { $schema: string; properties: { format: { const: string } } };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.properties.format.const).toBe('bucket-conformance/report@1');
    expect(REPORT_SCHEMA_PATH.pathname.endsWith('/reports/schema/report.schema.json')).toBe(true);
  });

  it('accepts the report of a conforming run of the CLI', () => {
    const report = real('pass');
    expect(runs.pass.run.code, runs.pass.run.stderr).toBe(0);
    expect(report.summary.verdicts.pass).toBe(report.rules.length);
    expect(errorsOf(validate, report)).toBe('');
  });

  it('accepts the report of a failing run, with its counterexamples', () => {
    const report = real('fail');
    expect(runs.fail.run.code, runs.fail.run.stderr).toBe(1);
    const failing = report.rules.flatMap((r) => r.checks).filter((c) => c.counterexample);
    expect(failing.length).toBeGreaterThan(0);
    expect(errorsOf(validate, report)).toBe('');
  });

  it('accepts the report of a failing stateful run, with its shrunk sequence', () => {
    const report = real('stateful');
    expect(runs.stateful.run.code, runs.stateful.run.stderr).toBe(1);
    expect(report.rules[0]!.checks.some((c) => c.counterexample?.sequence?.length)).toBe(true);
    expect(errorsOf(validate, report)).toBe('');
  });

  it('accepts reports of every verdict, with an expectations file and errors, and merged shards', () => {
    const report = allKindsReport();
    expect(new Set(report.rules.map((r) => r.verdict))).toEqual(new Set(REPORT_VERDICTS));
    expect(errorsOf(validate, report)).toBe('');
    expect(errorsOf(validate, { ...report, run: { ...report.run, shard: { index: 2, count: 3 } } })).toBe('');
    expect(errorsOf(validate, mergeShards([buildShard(report, 0), buildShard(report, 1)]))).toBe('');
    expect(errorsOf(validate, { ...report, run: { ...report.run, interrupted: { selected: 40 }, differential: true } })).toBe('');
    expect(validate({ ...report, run: { ...report.run, interrupted: { selected: -1 } } })).toBe(false);
  });

  it('rejects an unknown field, an unknown verdict, a missing counterexample field and a bad digest', () => {
    const report = allKindsReport();
    expect(validate({ ...report, extra: 1 })).toBe(false);
    expect(validate({ ...report, rules: [{ ...report.rules[0]!, verdict: 'passed' }] })).toBe(false);
    const fail = report.rules.find((r) => r.checks.some((c) => c.counterexample))!;
    const check = fail.checks.find((c) => c.counterexample)!;
    const { reason: _r, ...ce } = check.counterexample!;
    expect(validate({ ...report, rules: [{ ...fail, checks: [{ ...check, counterexample: ce }] }] })).toBe(false);
    expect(validate({ ...report, run: { ...report.run, specDigest: 'abc' } })).toBe(false);
  });

  it('names the closed vocabularies of model/: verdicts, statuses, vendors and capabilities', () => {
    const schema = JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as { definitions: Record<string, { enum?: string[] }> };
    expect(schema.definitions['reportVerdict']!.enum).toEqual([...REPORT_VERDICTS]);
    expect(schema.definitions['verdict']!.enum).toEqual(REPORT_VERDICTS.slice(0, 4));
    expect(schema.definitions['status']!.enum).toEqual([...RULE_STATUSES]);
    expect(schema.definitions['vendor']!.enum).toEqual([...VENDORS]);
    expect(schema.definitions['capability']!.enum).toEqual([...CAPABILITIES]);
  });
});

describe('the matrix schema', () => {
  const { matrix: validate } = reportValidators();

  it('refers to the report schema and accepts the matrix of the real runs', () => {
    expect(readFileSync(MATRIX_SCHEMA_PATH, 'utf8')).toContain('"report.schema.json#/definitions/runInfo"');
    const matrix = buildMatrix([real('pass'), real('fail'), real('stateful')]);
    expect(matrix.targets.map((t) => t.name)).toEqual(['reference', 'test/fixtures/adapters/allow-beats-deny.ts', 'test/fixtures/adapters/owner-blind.ts']);
    expect(errorsOf(validate, matrix)).toBe('');
  });

  it('accepts the fixture matrix, and rejects a cell of an unknown verdict', () => {
    const matrix = fixtureMatrix();
    expect(errorsOf(validate, matrix)).toBe('');
    const row = matrix.rows[0]!;
    const bad = { ...matrix, rows: [{ ...row, cells: { reference: { ...row.cells['reference']!, verdict: 'green' } } }] };
    expect(validate(bad)).toBe(false);
  });
});

describe('the CLI writes the four reports', () => {
  it('writes report.json, junit.xml, summary.md and report.html for a run', () => {
    for (const name of ['pass', 'fail'] as const) {
      for (const file of Object.values(REPORT_FILES)) expect(existsSync(join(runs[name].dir, file)), `${name}: ${file}`).toBe(true);
    }
    expect(readFileSync(join(runs.fail.dir, 'junit.xml'), 'utf8')).toContain('type="nonconformance"');
    expect(readFileSync(join(runs.fail.dir, 'report.html'), 'utf8')).toContain('class="failure"');
  });
});

describe('parseReport', () => {
  it('returns a valid report or matrix', () => {
    const report = allKindsReport();
    expect(parseReport(JSON.stringify(report), 'a.json')).toEqual(report);
    const matrix = buildMatrix([report, otherTargetReport()]);
    expect(parseReport(JSON.stringify(matrix), 'm.json')).toEqual(matrix);
  });

  it('refuses text that is not JSON, another format, and a report that does not match its schema, naming the file', () => {
    const refused = (text: string): string => {
      try {
        parseReport(text, 'out/report.json');
      } catch (error) {
        expect(isConformanceError(error)).toBe(true);
        expect((error as { code: string }).code).toBe('CONFORMANCE_INPUT');
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused('{')).toMatch(/^out\/report\.json: not JSON: /);
    expect(refused('{"format":"other@1"}')).toBe('out/report.json: not a bucket-conformance report: `format` is `other@1`, expected `bucket-conformance/report@1` or `bucket-conformance/matrix@1`');
    const report = allKindsReport();
    expect(refused(JSON.stringify({ ...report, extra: 1 }))).toBe('out/report.json: does not match the bucket-conformance/report@1 schema: /: unknown field `extra`');
  });
});

function buildShard(report: RunReport, index: number): RunReport {
  const rules = report.rules.filter((_r, i) => i % 2 === index);
  return { ...report, run: { ...report.run, shard: { index: index + 1, count: 2 } }, rules, summary: { ...report.summary }, errors: [] };
}
