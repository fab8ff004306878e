import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, positionOf, tempDir } from './cli.ts';

/**
 * `bucket-conformance decide`, run as a child process: one JSON decision per case on stdout
 * with exit code 0; unusable input gives exit code 2, nothing on stdout, and every problem
 * located as FILE:line:col on stderr.
 */

const OWNER = '1746495857600001';
const RAM_USER = '2021476040493501';

/** The example case of the issue (and of the README). */
const EXAMPLE = {
  vendor: 'alibaba-oss',
  bucket: { name: 'example-bucket', owner: OWNER },
  policy: {
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [RAM_USER], Resource: 'acs:oss:*:*:example-bucket/docs/*' }],
  },
  request: { principal: RAM_USER, action: 'oss:GetObject', object: 'docs/a.txt', context: { 'acs:SourceIp': '203.0.113.5' } },
};

/** ALI-DENY-FIRST's worked example "the explicit denial is a 403 AccessDenied" (specs/alibaba-oss/ALI-DENY-FIRST.yaml). */
const EXPLICIT_DENY = {
  vendor: 'alibaba-oss',
  bucket: { name: 'example-bucket', owner: OWNER },
  policy: {
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: ['oss:GetObject'], Principal: [RAM_USER], Resource: [`acs:oss:*:${OWNER}:example-bucket/*`] },
      { Effect: 'Deny', Action: ['oss:GetObject'], Principal: [RAM_USER], Resource: [`acs:oss:*:${OWNER}:example-bucket/secret.txt`] },
    ],
  },
  request: { principal: RAM_USER, action: 'oss:GetObject', object: 'secret.txt', context: { 'acs:SourceIp': '198.51.100.7' } },
};

/** ALI-VERSION.rejection's worked example: Version "2" is rejected with a 4xx and EC 0030-00000002. */
const VERSION_2 = { ...EXAMPLE, policy: { ...EXAMPLE.policy, Version: '2' } };

/** Another account, not named by the policy: nothing allows it. */
const STRANGER = { ...EXAMPLE, request: { ...EXAMPLE.request, principal: '1111111111111111' } };

/** The keys of a decision, in the order decide prints them (cli/main.ts). */
const KEY_ORDER = ['decision', 'status', 'code', 'ec', 'message', 'reason', 'rules', 'statements'];

const tmp = tempDir('decide');
afterAll(() => tmp.remove());
let n = 0;

/** Writes `text` to a new file of the temp folder and returns its path. */
function file(text: string): string {
  const path = join(tmp.dir, `case-${++n}.json`);
  writeFileSync(path, text);
  return path;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function expectKeysInOrder(d: Record<string, unknown>): void {
  const keys = Object.keys(d);
  expect(keys.every((k) => KEY_ORDER.includes(k)), keys.join(',')).toBe(true);
  expect(keys).toEqual(KEY_ORDER.filter((k) => keys.includes(k)));
  expect(Array.isArray(d['rules'])).toBe(true);
  expect(Array.isArray(d['statements'])).toBe(true);
}

describe('decide: decisions', () => {
  it('prints one JSON decision on one line for the example case and exits 0', async () => {
    const run = await cli(['decide', file(json(EXAMPLE))]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    const d = JSON.parse(run.stdout) as Record<string, unknown>;
    expectKeysInOrder(d);
    expect(d).toMatchObject({ decision: 'allow', status: 200, reason: 'explicit-allow', statements: [0] });
    expect(d['code']).toBeUndefined();
    expect(d['ec']).toBeUndefined();
    expect((d['rules'] as string[]).length).toBeGreaterThan(0);
    for (const id of d['rules'] as string[]) expect(id).toMatch(/^ALI-[A-Z0-9-]+(\.[a-z0-9-]+)?$/);
  });

  it('denies a request nothing allows with a 403, a code and an EC, and no deciding statement', async () => {
    const run = await cli(['decide', file(json(STRANGER))]);
    expect(run.code).toBe(0);
    const d = JSON.parse(run.stdout) as Record<string, unknown>;
    expectKeysInOrder(d);
    expect(d).toMatchObject({ decision: 'deny', status: 403, code: 'AccessDenied', reason: 'implicit-deny', statements: [] });
    expect(d['ec']).toMatch(/^\d{4}-\d{8}$/);
  });

  it('denies the request a Deny statement matches with 403 AccessDenied, naming that statement', async () => {
    const run = await cli(['decide', file(json(EXPLICIT_DENY))]);
    expect(run.code).toBe(0);
    const d = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(d).toMatchObject({ decision: 'deny', status: 403, code: 'AccessDenied', reason: 'explicit-deny', statements: [1] });
  });

  it('gives `rejected` with a 4xx and the vendor EC for an invalid policy', async () => {
    const run = await cli(['decide', file(json(VERSION_2))]);
    expect(run.code).toBe(0);
    const d = JSON.parse(run.stdout) as Record<string, unknown>;
    expectKeysInOrder(d);
    expect(d['decision']).toBe('rejected');
    expect(d['status']).toBeGreaterThanOrEqual(400);
    expect(d['status']).toBeLessThan(500);
    expect(d['ec']).toBe('0030-00000002');
    expect(typeof d['message']).toBe('string');
    expect(d['statements']).toEqual([]);
  });

  it('prints an array of decisions, one per line, in the order of the cases', async () => {
    const cases = [VERSION_2, EXAMPLE, STRANGER, EXPLICIT_DENY, EXAMPLE];
    const run = await cli(['decide', file(json(cases))]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('[');
    expect(lines.at(-1)).toBe(']');
    expect(lines).toHaveLength(cases.length + 2);
    const decisions = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(decisions.map((d) => d['decision'])).toEqual(['rejected', 'allow', 'deny', 'deny', 'allow']);
    expect(decisions[0]!['ec']).toBe('0030-00000002');
    expect(decisions.slice(1).map((d) => d['reason'])).toEqual(['explicit-allow', 'implicit-deny', 'explicit-deny', 'explicit-allow']);
  });

  it('prints an array for an array of one case', async () => {
    const run = await cli(['decide', file(json([EXAMPLE]))]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as unknown[]).length).toBe(1);
  });

  it('reads standard input for `-`', async () => {
    const fromFile = await cli(['decide', file(json(EXAMPLE))]);
    const fromStdin = await cli(['decide', '-'], { input: json(EXAMPLE) });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });
});

describe('decide: unusable input', () => {
  /** Runs decide on `text` in a file; expects exit 2, nothing on stdout, and returns stderr. */
  async function refused(text: string): Promise<{ path: string; stderr: string }> {
    const path = file(text);
    const run = await cli(['decide', path]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith('error[CONFORMANCE_INPUT]: ')).toBe(true);
    return { path, stderr: run.stderr };
  }

  it('locates malformed JSON', async () => {
    const text = '{\n  "vendor": "alibaba-oss",\n  "bucket": {"name": "b", "owner": "1",}\n}\n';
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '}', '"owner": "1",')}: not JSON`);
  });

  it('locates an unknown field at its key', async () => {
    const text = json({ ...EXAMPLE, request: { ...EXAMPLE.request, colour: 'red' } });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"colour"')}: unknown field \`colour\` in \`request\``);
  });

  it('locates a value of the wrong type', async () => {
    const text = json(EXAMPLE).replace(`"principal": "${RAM_USER}",\n    "action"`, `"principal": ${RAM_USER},\n    "action"`);
    expect(text).toContain(`"principal": ${RAM_USER},`);
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, RAM_USER, '"request"')}: \`request.principal\` must be string`);
  });

  it('locates a missing field at the object that lacks it', async () => {
    const text = json({ ...EXAMPLE, bucket: { name: 'example-bucket' } });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '{', '"bucket"')}: missing field \`owner\` in \`bucket\``);
  });

  it('locates an unsupported vendor and names the supported ones', async () => {
    const text = json({ ...EXAMPLE, vendor: 'huawei-obs' });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"huawei-obs"')}: vendor \`huawei-obs\` is not supported by decide yet; supported: alibaba-oss`);
  });

  it('locates an object-level action without an object', async () => {
    const { object: _o, ...request } = EXAMPLE.request;
    const text = json({ ...EXAMPLE, request });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '{', '"request"')}: \`oss:GetObject\` acts on an object; give \`request.object\``);
  });

  it('reports every problem of every case of an array, each with its case number, and decides none', async () => {
    const text = json([EXAMPLE, { ...EXAMPLE, vendor: 'aps-oss' }, { ...EXAMPLE, extra: true }]);
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"aps-oss"')} (case 1): vendor \`aps-oss\``);
    expect(stderr).toContain(`${path}:${positionOf(text, '"extra"')} (case 2): unknown field \`extra\``);
    expect(stderr).not.toContain('(case 0)');
  });

  it('locates problems in standard input as <stdin>', async () => {
    const text = json({ ...EXAMPLE, request: { ...EXAMPLE.request, colour: 'red' } });
    const run = await cli(['decide', '-'], { input: text });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`<stdin>:${positionOf(text, '"colour"')}: unknown field \`colour\``);
  });

  it('refuses an empty array, a missing file, and a missing FILE argument', async () => {
    const empty = await cli(['decide', file('[]')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no case (an empty array)');
    const missing = await cli(['decide', join(tmp.dir, 'no-such-case.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-case.json: cannot read');
    const none = await cli(['decide']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error[CONFORMANCE_USAGE]: decide takes one FILE');
  });
});
