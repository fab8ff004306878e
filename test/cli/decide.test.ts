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

/** Runs decide on `text` in a file; expects exit 2, nothing on stdout, and returns stderr. */
async function refused(text: string): Promise<{ path: string; stderr: string }> {
  const path = file(text);
  const run = await cli(['decide', path]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.startsWith('error[CONFORMANCE_INPUT]: ')).toBe(true);
  return { path, stderr: run.stderr };
}

describe('decide: unusable input', () => {
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
    const text = json({ ...EXAMPLE, vendor: 'aws-s3' });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"aws-s3"')}: vendor \`aws-s3\` is not supported by decide yet; supported: alibaba-oss, huawei-obs, aps-oss`);
  });

  it('locates an object-level action without an object', async () => {
    const { object: _o, ...request } = EXAMPLE.request;
    const text = json({ ...EXAMPLE, request });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '{', '"request"')}: \`oss:GetObject\` acts on an object; give \`request.object\``);
  });

  it('reports every problem of every case of an array, each with its case number, and decides none', async () => {
    const text = json([EXAMPLE, { ...EXAMPLE, vendor: 'aws-s3' }, { ...EXAMPLE, extra: true }]);
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"aws-s3"')} (case 1): vendor \`aws-s3\``);
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

// APS OSS cases (issue #3). Client ids stand in for the issue's `<client id>` placeholders.
const APS_OWNER = 'OWNERAPPxxxxxxxxxxxxxxxxxxxxxxxx';
const APS_FULL = 'FULLKEYxxxxxxxxxxxxxxxxxxxxxxxxx';
const APS_READ = 'READKEYxxxxxxxxxxxxxxxxxxxxxxxxx';
const APS_WRITE = 'WRITEKEYxxxxxxxxxxxxxxxxxxxxxxxx';
const APS_STRANGER = 'STRANGERxxxxxxxxxxxxxxxxxxxxxxxx';

/** The example case of issue #3, verbatim but for the client ids. */
const APS_ISSUE_EXAMPLE = {
  vendor: 'aps-oss',
  bucket: { key: 'b1', owner: APS_OWNER, policyKey: 'transient', allow: [{ authId: APS_FULL, access: 'full' }] },
  objects: [{ key: 'a.txt', uploadedBy: APS_FULL }],
  request: { actor: APS_FULL, operation: 'downloadObject', object: 'a.txt' },
};

/** The issue's example with a bucket key the service accepts (the README's example). */
const APS_EXAMPLE = { ...APS_ISSUE_EXAMPLE, bucket: { ...APS_ISSUE_EXAMPLE.bucket, key: 'sample-bucket-with-allow' } };

/** A bucket granting one key per level, with one object uploaded by the owner and one by each key that can upload. */
const APS_WORLD = {
  vendor: 'aps-oss',
  bucket: {
    key: 'sample-bucket-with-allow',
    owner: APS_OWNER,
    policyKey: 'transient',
    allow: [{ authId: APS_FULL, access: 'full' }, { authId: APS_READ, access: 'read' }, { authId: APS_WRITE, access: 'write' }],
  },
  objects: [{ key: 'by-owner.txt', uploadedBy: APS_OWNER }, { key: 'by-full.txt', uploadedBy: APS_FULL }, { key: 'by-write.txt', uploadedBy: APS_WRITE }],
};

function apsCase(request: Record<string, unknown>, world: Record<string, unknown> = APS_WORLD): Record<string, unknown> {
  return { ...world, request };
}

function grantList(n: number, access = 'read'): Array<{ authId: string; access: string }> {
  return Array.from({ length: n }, (_, i) => ({ authId: `KEY${String(i).padStart(3, '0')}`, access }));
}

describe('decide: APS OSS decisions', () => {
  it('decides the issue\'s example: a full key downloads its own upload (000 FULL: "upload/write, download/read and change own data permission")', async () => {
    // `b1` is shorter than createBucket's [-_.a-z0-9]{3,128}, but a world's bucket key is a logical name.
    const run = await cli(['decide', file(json(APS_ISSUE_EXAMPLE))]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const d = JSON.parse(run.stdout) as Record<string, unknown>;
    expectKeysInOrder(d);
    expect(d).toMatchObject({ decision: 'allow', status: 200 });
  });

  it('rejects `b1` as the key of a createBucket request (vendor notes §1.1: [-_.a-z0-9]{3,128})', async () => {
    const run = await cli(['decide', file(json({ vendor: 'aps-oss', request: { actor: APS_OWNER, operation: 'createBucket', payload: { bucketKey: 'b1', policyKey: 'transient' } } }))]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ decision: 'rejected', status: 400, reason: 'invalid-request' });
  });

  it('decides the example with a valid key: a full key downloads its own upload (000 FULL: "upload/write, download/read and change own data permission")', async () => {
    const run = await cli(['decide', file(json(APS_EXAMPLE))]);
    expect(run.code).toBe(0);
    const d = JSON.parse(run.stdout) as Record<string, unknown>;
    expectKeysInOrder(d);
    expect(d).toEqual({ decision: 'allow', status: 200, reason: 'grant', rules: ['APS-FULL-OWN'], statements: [] });
  });

  it('decides every operation, one decision per case in order', async () => {
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      // createBucket: a new key, with no world at all (000: grants are given "during bucket creation").
      [{ vendor: 'aps-oss', request: { actor: APS_STRANGER, operation: 'createBucket', payload: { bucketKey: 'new-bucket', policyKey: 'persistent', allow: [{ authId: APS_READ, access: 'read' }] } } },
        { decision: 'allow', status: 200, reason: 'owner', rules: ['APS-GRANT-CREATE'] }],
      // 001: "Granted keys attempting these operations will receive a 403 Forbidden response", POST Bucket and GET Buckets listed.
      [apsCase({ actor: APS_FULL, operation: 'createBucket', payload: { bucketKey: 'mine' } }), { decision: 'deny', status: 403, reason: 'no-grant', rules: ['APS-OWNER-ONLY-API'] }],
      [apsCase({ actor: APS_FULL, operation: 'getBuckets' }), { decision: 'deny', status: 403, reason: 'no-grant', rules: ['APS-OWNER-ONLY-API'] }],
      [apsCase({ actor: APS_OWNER, operation: 'getBuckets' }), { decision: 'allow', status: 200 }],
      [apsCase({ actor: APS_OWNER, operation: 'getBucketDetails' }), { decision: 'allow', status: 200, reason: 'owner' }],
      [apsCase({ actor: APS_READ, operation: 'getBucketDetails' }), { decision: 'deny', status: 403, rules: ['APS-OWNER-ONLY-API'] }],
      [apsCase({ actor: APS_WRITE, operation: 'getBucketObjects' }), { decision: 'deny', status: 403, rules: ['APS-OWNER-ONLY-API'] }],
      [apsCase({ actor: APS_OWNER, operation: 'getObjectDetails', object: 'by-full.txt' }), { decision: 'allow', status: 200 }],
      [apsCase({ actor: APS_FULL, operation: 'getObjectDetails', object: 'by-full.txt' }), { decision: 'deny', status: 403, rules: ['APS-OWNER-ONLY-API'] }],
      // 000: "owner-only operations like bucket delete remain restricted to the creator".
      [apsCase({ actor: APS_FULL, operation: 'deleteBucket' }), { decision: 'deny', status: 403, rules: ['APS-OWNER-ONLY-API', 'APS-NOT-OWNER'] }],
      [apsCase({ actor: APS_OWNER, operation: 'deleteBucket' }), { decision: 'allow', status: 200, reason: 'owner' }],
      // 000 READ: "The app cannot perform any upload or delete operations in either buckets or objects."
      [apsCase({ actor: APS_READ, operation: 'uploadObject', object: 'r.txt' }), { decision: 'deny', status: 403, rules: ['APS-READ-NO-WRITE'] }],
      [apsCase({ actor: APS_WRITE, operation: 'uploadObject', object: 'w.txt' }), { decision: 'allow', status: 200, reason: 'grant', rules: ['APS-WRITE-UPLOAD'] }],
      // 000 WRITE: "cannot read/download the content/objects it uploaded".
      [apsCase({ actor: APS_WRITE, operation: 'downloadObject', object: 'by-write.txt' }), { decision: 'deny', status: 403, rules: ['APS-WRITE-NO-READ'] }],
      // 001: "Cannot download objects uploaded by the bucket owner".
      [apsCase({ actor: APS_FULL, operation: 'downloadObject', object: 'by-owner.txt' }), { decision: 'deny', status: 403, rules: ['APS-NO-CROSS-READ'] }],
      // 001: "Bucket owner application can access all objects uploaded by granted keys".
      [apsCase({ actor: APS_OWNER, operation: 'downloadObject', object: 'by-write.txt' }), { decision: 'allow', status: 200, reason: 'owner', rules: ['APS-OWNER-READS-ALL'] }],
      // 000 WRITE: "Delete operation is also allowed only on the objects the app uploaded into the bucket."
      [apsCase({ actor: APS_WRITE, operation: 'deleteObject', object: 'by-write.txt' }), { decision: 'allow', status: 200, rules: ['APS-WRITE-DELETE-OWN'] }],
      [apsCase({ actor: APS_WRITE, operation: 'deleteObject', object: 'by-full.txt' }), { decision: 'deny', status: 403, rules: ['APS-WRITE-DELETE-OWN'] }],
      [apsCase({ actor: APS_WRITE, operation: 'deleteObject', object: 'missing.txt' }), { decision: 'deny', status: 404, reason: 'not-found' }],
      // APS-STRANGER (inferred).
      [apsCase({ actor: APS_STRANGER, operation: 'downloadObject', object: 'by-owner.txt' }), { decision: 'deny', status: 403, reason: 'no-grant', rules: ['APS-STRANGER'] }],
      [apsCase({ actor: APS_STRANGER, operation: 'getBucketDetails', bucket: 'no-such-bucket' }), { decision: 'deny', status: 404, reason: 'not-found' }],
    ];
    const run = await cli(['decide', file(json(cases.map(([c]) => c)))]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const decisions = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(decisions).toHaveLength(cases.length);
    decisions.forEach((d, i) => {
      expectKeysInOrder(d);
      expect(d, JSON.stringify(cases[i]![0]['request'])).toMatchObject(cases[i]![1]);
      expect(d['code']).toBeUndefined();
      expect(d['statements']).toEqual([]);
    });
  });

  it('gives `rejected` 400 for a createBucket with 61 grants (000: "up to 60 keys"), and allows 60', async () => {
    const create = (n: number) => apsCase({ actor: APS_STRANGER, operation: 'createBucket', payload: { bucketKey: 'many-grants', policyKey: 'transient', allow: grantList(n) } });
    const run = await cli(['decide', file(json([create(61), create(60)]))]);
    expect(run.code).toBe(0);
    const [d61, d60] = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(d61).toEqual({ decision: 'rejected', status: 400, reason: 'invalid-request', rules: ['APS-GRANT-LIMIT'], statements: [] });
    expect(d60).toMatchObject({ decision: 'allow', status: 200 });
  });

  it('gives `rejected` 400 for a createBucket granting access `admin` (000: "the level of access: full, read or write")', async () => {
    const run = await cli(['decide', file(json(apsCase({ actor: APS_STRANGER, operation: 'createBucket', payload: { bucketKey: 'admin-grant', allow: [{ authId: APS_READ, access: 'admin' }] } })))]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ decision: 'rejected', status: 400, reason: 'invalid-request', rules: ['APS-GRANT-ACCESS-VALUES'], statements: [] });
  });

  it('gives 409 for a createBucket of a taken key (vendor notes §1.1: 409 {"reason":"Bucket already exists"})', async () => {
    const run = await cli(['decide', file(json(apsCase({ actor: APS_STRANGER, operation: 'createBucket', payload: { bucketKey: 'sample-bucket-with-allow' } })))]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ decision: 'deny', status: 409, reason: 'conflict', rules: [], statements: [] });
  });

  it('gives `rejected` with a message for a world whose bucket grants 61 keys', async () => {
    const world = { ...APS_WORLD, bucket: { ...APS_WORLD.bucket, allow: grantList(61) }, objects: [] };
    const run = await cli(['decide', file(json(apsCase({ actor: APS_OWNER, operation: 'getBucketDetails' }, world)))]);
    expect(run.code).toBe(0);
    const d = JSON.parse(run.stdout) as Record<string, unknown>;
    expectKeysInOrder(d);
    expect(d).toEqual({ decision: 'rejected', status: 400, message: '`allow` has 61 entries; at most 60 keys can be granted', reason: 'invalid-request', rules: ['APS-GRANT-LIMIT'], statements: [] });
  });

  it('decides Alibaba and APS cases side by side', async () => {
    const run = await cli(['decide', file(json([EXAMPLE, APS_EXAMPLE]))]);
    expect(run.code).toBe(0);
    const decisions = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(decisions.map((d) => [d['decision'], d['reason']])).toEqual([['allow', 'explicit-allow'], ['allow', 'grant']]);
  });
});

describe('decide: unusable APS OSS input', () => {
  it('locates an unknown operation and lists the operations', async () => {
    const text = json(apsCase({ actor: APS_OWNER, operation: 'listObjects' }));
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"listObjects"')}: \`request.operation\` must be one of \`getBuckets\`, \`createBucket\`,`);
  });

  it('locates an object operation without `request.object`', async () => {
    const text = json(apsCase({ actor: APS_OWNER, operation: 'downloadObject' }));
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '{', '"request"')}: \`downloadObject\` acts on an object; give \`request.object\``);
  });

  it('locates `request.object` on a bucket or account operation', async () => {
    const bucketOp = json(apsCase({ actor: APS_OWNER, operation: 'getBucketDetails', object: 'a.txt' }));
    const a = await refused(bucketOp);
    expect(a.stderr).toContain(`${a.path}:${positionOf(bucketOp, '"a.txt"', '"request"')}: \`getBucketDetails\` acts on the bucket; remove \`request.object\``);
    const accountOp = json(apsCase({ actor: APS_OWNER, operation: 'getBuckets', object: 'a.txt' }));
    const b = await refused(accountOp);
    expect(b.stderr).toContain(`${b.path}:${positionOf(accountOp, '"a.txt"', '"request"')}: \`getBuckets\` acts on the account; remove \`request.object\``);
  });

  it('locates a createBucket without payload, and a payload on another operation', async () => {
    const text = json({ vendor: 'aps-oss', request: { actor: APS_OWNER, operation: 'createBucket' } });
    const a = await refused(text);
    expect(a.stderr).toContain(`${a.path}:${positionOf(text, '{', '"request"')}: \`createBucket\` sends a body; give \`request.payload\``);
    const other = json(apsCase({ actor: APS_OWNER, operation: 'getBuckets', payload: { bucketKey: 'x-bucket' } }));
    const b = await refused(other);
    expect(b.stderr).toContain(`${b.path}:${positionOf(other, '{', '"payload"')}: only \`createBucket\` takes \`request.payload\`; remove it`);
  });

  it('locates a bucket operation in a case without bucket', async () => {
    const text = json({ vendor: 'aps-oss', request: { actor: APS_OWNER, operation: 'getBucketObjects' } });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '{', '"request"')}: \`getBucketObjects\` acts on a bucket, and the case has none; give \`bucket\` (or \`request.bucket\`)`);
  });

  it('locates objects without a bucket', async () => {
    const text = json({ vendor: 'aps-oss', objects: [{ key: 'a.txt', uploadedBy: APS_OWNER }], request: { actor: APS_OWNER, operation: 'getBuckets' } });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '[', '"objects"')}: \`objects\` need a \`bucket\` to be uploaded to`);
  });

  it('locates an object uploaded by an app that cannot upload, at its uploader (000 READ: "The app cannot perform any upload")', async () => {
    const world = { ...APS_WORLD, objects: [...APS_WORLD.objects, { key: 'by-read.txt', uploadedBy: APS_READ }] };
    const text = json(apsCase({ actor: APS_READ, operation: 'downloadObject', object: 'by-read.txt' }, world));
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(
      `${path}:${positionOf(text, `"${APS_READ}"`, '"by-read.txt"')}: \`${APS_READ}\` cannot have uploaded \`by-read.txt\`: \`${APS_READ}\` holds a \`read\` grant, which cannot upload (rule APS-READ-NO-WRITE)`,
    );
  });

  it('locates an object uploaded by a stranger', async () => {
    const world = { ...APS_WORLD, objects: [{ key: 's.txt', uploadedBy: APS_STRANGER }] };
    const text = json(apsCase({ actor: APS_OWNER, operation: 'downloadObject', object: 's.txt' }, world));
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, `"${APS_STRANGER}"`)}: \`${APS_STRANGER}\` cannot have uploaded \`s.txt\``);
    expect(stderr).toContain('(rule APS-STRANGER)');
  });

  it('locates unknown fields of a case, its bucket, a grant and the payload', async () => {
    const text = json({
      ...apsCase({ actor: APS_OWNER, operation: 'createBucket', payload: { bucketKey: 'x-bucket', region: 'US' } }),
      bucket: { ...APS_WORLD.bucket, allow: [{ authId: APS_FULL, acess: 'full' }] },
    });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"acess"')}: unknown field \`acess\` in \`bucket.allow[0]\``);
    expect(stderr).toContain(`${path}:${positionOf(text, '"region"')}: unknown field \`region\` in \`request.payload\``);
  });
});

// Huawei OBS cases (issue #4). Account ids in the style of seed 003; OBS_OWNER owns the bucket.
const OBS_OWNER = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const OBS_ACCOUNT_1 = '783fc6652cf246c096ea836694f71855';
const OBS_ACCOUNT_2 = '219d520ceac84c5a98b237431a2cf4c2';
const OBS_STRANGER = 'ffffeeeeddddccccbbbbaaaa99998888';

/** Seed 003's example statement: the two accounts may GetObject on all objects of mybucket. */
const SEED_003_STATEMENT = {
  Effect: 'Allow',
  Sid: '1',
  Principal: { ID: [`domain/${OBS_ACCOUNT_1}:user/*`, `domain/${OBS_ACCOUNT_2}:user/*`] },
  Action: ['GetObject'],
  Resource: 'mybucket/*',
};

/** The example case of issue #4, its placeholders filled in (the README's example). */
const OBS_EXAMPLE = {
  vendor: 'huawei-obs',
  bucket: { name: 'mybucket', owner: OBS_OWNER },
  policy: { Statement: [SEED_003_STATEMENT] },
  acl: [{ grantee: { account: OBS_ACCOUNT_1 }, permission: 'READ' }, { grantee: { group: 'Everyone' }, permission: 'READ' }],
  request: { principal: { account: OBS_ACCOUNT_1, user: 'alice' }, action: 'GetObject', object: 'a.txt', context: { SourceIp: '192.0.2.7' } },
};

function obsCase(request: Record<string, unknown>, world: Record<string, unknown> = {}): Record<string, unknown> {
  return { vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: OBS_OWNER }, ...world, request };
}

/** Decides `cases` in one run and checks that each decision matches its expectation. */
async function expectDecisions(cases: Array<[Record<string, unknown>, Record<string, unknown>]>): Promise<Array<Record<string, unknown>>> {
  const run = await cli(['decide', file(json(cases.map(([c]) => c)))]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const decisions = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
  expect(decisions).toHaveLength(cases.length);
  decisions.forEach((d, i) => {
    expectKeysInOrder(d);
    expect(d, JSON.stringify(cases[i]![0]['request'])).toMatchObject(cases[i]![1]);
  });
  return decisions;
}

describe('decide: Huawei OBS decisions', () => {
  it('decides the issue\'s example: account 1\'s IAM user may GetObject under seed 003\'s statement', async () => {
    const run = await cli(['decide', file(json(OBS_EXAMPLE))]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const d = JSON.parse(run.stdout) as Record<string, unknown>;
    expectKeysInOrder(d);
    expect(d).toEqual({ decision: 'allow', status: 200, reason: 'explicit-allow', rules: ['OBS-ALLOW-DENY', 'OBS-WILDCARD'], statements: [0] });
  });

  it('decides seed 003\'s example: the two accounts may GetObject on mybucket/*; nobody else may, and they may not PutObject', async () => {
    const world = { policy: { Statement: [SEED_003_STATEMENT] } };
    await expectDecisions([
      [obsCase({ principal: { account: OBS_ACCOUNT_1 }, action: 'GetObject', object: 'a.txt' }, world), { decision: 'allow', status: 200, reason: 'explicit-allow', statements: [0] }],
      [obsCase({ principal: { account: OBS_ACCOUNT_2, user: 'bob' }, action: 'GetObject', object: 'dir/b.txt' }, world), { decision: 'allow', status: 200, statements: [0] }],
      [obsCase({ principal: { account: OBS_STRANGER }, action: 'GetObject', object: 'a.txt' }, world), { decision: 'deny', status: 403, code: 'AccessDenied', reason: 'implicit-deny', statements: [] }],
      [obsCase({ principal: 'anonymous', action: 'GetObject', object: 'a.txt' }, world), { decision: 'deny', status: 403, code: 'AccessDenied' }],
      [obsCase({ principal: { account: OBS_ACCOUNT_1 }, action: 'PutObject', object: 'a.txt' }, world), { decision: 'deny', status: 403, code: 'AccessDenied', reason: 'no-grant', rules: ['OBS-ACL-WRITE'] }],
    ]);
  });

  it('decides anonymous requests and each group (004, Table 1)', async () => {
    const acl = [
      { grantee: { account: OBS_OWNER }, permission: 'FULL_CONTROL' },
      // "An anonymous user can be anyone, either registered or unregistered."
      { grantee: { group: 'Everyone' }, permission: 'READ' },
      // "any account registered with public cloud service, excluding IAM users".
      { grantee: { group: 'AuthenticatedUsers' }, permission: 'WRITE' },
      { grantee: { group: 'LogDelivery' }, permission: 'READ_ACP' },
    ];
    await expectDecisions([
      [obsCase({ principal: 'anonymous', action: 'ListBucket' }, { acl }), { decision: 'allow', status: 200, reason: 'grant', rules: ['OBS-ACL-READ', 'OBS-ACL-ANONYMOUS'] }],
      [obsCase({ principal: 'anonymous', action: 'PutObject', object: 'a' }, { acl }), { decision: 'deny', status: 403, code: 'AccessDenied', reason: 'no-grant' }],
      [obsCase({ principal: { account: OBS_STRANGER }, action: 'PutObject', object: 'a' }, { acl }), { decision: 'allow', status: 200, rules: ['OBS-ACL-WRITE', 'OBS-ACL-REGISTERED'] }],
      [obsCase({ principal: { account: OBS_STRANGER }, action: 'DeleteObject', object: 'a' }, { acl }), { decision: 'allow', status: 204 }],
      [obsCase({ principal: { account: OBS_STRANGER, user: 'mallory' }, action: 'PutObject', object: 'a' }, { acl }), { decision: 'deny', status: 403 }],
      [obsCase({ principal: 'log-delivery', action: 'GetBucketAcl' }, { acl }), { decision: 'allow', status: 200, reason: 'grant' }],
      [obsCase({ principal: 'log-delivery', action: 'PutObject', object: 'logs/1' }, { acl }), { decision: 'deny', status: 403 }],
    ]);
  });

  it('gives `rejected` for a world whose policy is malformed or larger than 20 KB, or whose ACL is invalid', async () => {
    const big = JSON.stringify({ Statement: [{ ...SEED_003_STATEMENT, Sid: 'x'.repeat(20480) }] });
    const decisions = await expectDecisions([
      [{ ...OBS_EXAMPLE, policy: { Statement: [{ ...SEED_003_STATEMENT, Effect: 'Permit' }] } }, { decision: 'rejected', status: 400, code: 'MalformedPolicy', reason: 'invalid-policy', rules: ['OBS-SYNTAX'], statements: [] }],
      [{ ...OBS_EXAMPLE, policy: big }, { decision: 'rejected', status: 400, code: 'EntityTooLarge', reason: 'invalid-policy', rules: ['OBS-LIMIT-SIZE'] }],
      [{ ...OBS_EXAMPLE, acl: [{ grantee: { group: 'Everyone' }, permission: 'READ_WRITE' }] }, { decision: 'rejected', status: 400, code: 'MalformedACLError', reason: 'invalid-request' }],
      [{ ...OBS_EXAMPLE, acl: [{ grantee: { group: 'AllUsers' }, permission: 'READ' }] }, { decision: 'rejected', status: 400, code: 'MalformedACLError' }],
    ]);
    expect(decisions[0]!['message']).toBe('`Statement[0].Effect` must be `Allow` or `Deny`, not `Permit`');
  });

  it('decides PutBucketPolicy, GetBucketPolicy and DeleteBucketPolicy (003: "A bucket owner can perform the PutBucket policy operation ...")', async () => {
    const withPolicy = { policy: { Statement: [SEED_003_STATEMENT] } };
    const owner = { account: OBS_OWNER };
    await expectDecisions([
      [obsCase({ principal: owner, action: 'PutBucketPolicy', policy: { Statement: [SEED_003_STATEMENT] } }), { decision: 'allow', status: 204, reason: 'owner', rules: ['OBS-OWNER-MANAGES', 'OBS-OVERWRITE'] }],
      [obsCase({ principal: owner, action: 'PutBucketPolicy', policy: '{"Statement": [' }), { decision: 'rejected', status: 400, code: 'MalformedPolicy', reason: 'invalid-policy' }],
      [obsCase({ principal: owner, action: 'GetBucketPolicy' }, withPolicy), { decision: 'allow', status: 200, rules: ['OBS-OWNER-MANAGES', 'OBS-GET-DELETE'] }],
      [obsCase({ principal: owner, action: 'GetBucketPolicy' }), { decision: 'deny', status: 404, code: 'NoSuchBucketPolicy', reason: 'not-found' }],
      [obsCase({ principal: owner, action: 'DeleteBucketPolicy' }), { decision: 'allow', status: 204 }],
      [obsCase({ principal: { account: OBS_ACCOUNT_1 }, action: 'PutBucketPolicy', policy: { Statement: [SEED_003_STATEMENT] } }, withPolicy), { decision: 'deny', status: 403, code: 'AccessDenied', reason: 'no-grant', rules: ['OBS-OWNER-MANAGES'] }],
      [obsCase({ principal: { account: OBS_ACCOUNT_2 }, action: 'GetBucketPolicy' }, withPolicy), { decision: 'deny', status: 403, code: 'AccessDenied' }],
    ]);
  });

  it('decides PutBucketAcl (up to 100 grants) and PutBucketLogging', async () => {
    const owner = { account: OBS_OWNER };
    const grants = (n: number) => Array.from({ length: n }, (_, i) => ({ grantee: { account: `acct${i}` }, permission: 'READ' }));
    await expectDecisions([
      [obsCase({ principal: owner, action: 'PutBucketAcl', acl: grants(100) }), { decision: 'allow', status: 200, rules: ['OBS-ACL-ACP', 'OBS-ACL-GRANTEES', 'OBS-ACL-OVERWRITE'] }],
      [obsCase({ principal: owner, action: 'PutBucketAcl', acl: grants(101) }), { decision: 'rejected', status: 400, code: 'MalformedACLError', reason: 'invalid-request' }],
      // OBS-ACL-OWNER-ACP (004): "permanently available to the bucket owner".
      [obsCase({ principal: owner, action: 'PutBucketAcl', acl: [] }, { acl: [] }), { decision: 'allow', status: 200, reason: 'owner', rules: ['OBS-ACL-OWNER-ACP', 'OBS-ACL-OVERWRITE'] }],
      // OBS-ACL-OWNER-DATA (004): "the owner cannot obtain the list of objects in the bucket".
      [obsCase({ principal: owner, action: 'ListBucket' }, { acl: [] }), { decision: 'deny', status: 403, reason: 'no-grant', rules: ['OBS-ACL-READ', 'OBS-ACL-OWNER-DATA'] }],
      [obsCase({ principal: owner, action: 'PutBucketLogging', logging: { targetBucket: 'mybucket' } }), { decision: 'allow', status: 200, rules: ['OBS-ACL-GRANTEES', 'OBS-ACL-LOG-DELIVERY'] }],
      [obsCase({ principal: owner, action: 'PutBucketLogging', logging: { targetBucket: 'elsewhere' } }), { decision: 'rejected', status: 400, code: 'InvalidTargetBucketForLogging' }],
    ]);
  });

  it('decides Alibaba, APS and OBS cases side by side', async () => {
    const run = await cli(['decide', file(json([EXAMPLE, OBS_EXAMPLE, APS_EXAMPLE]))]);
    expect(run.code).toBe(0);
    const decisions = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(decisions.map((d) => [d['decision'], d['reason']])).toEqual([['allow', 'explicit-allow'], ['allow', 'explicit-allow'], ['allow', 'grant']]);
  });
});

describe('decide: unusable Huawei OBS input', () => {
  it('locates a principal that is not `anonymous`, `log-delivery` or `{account, user?}`', async () => {
    const text = json(obsCase({ principal: 'root', action: 'ListBucket' }));
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"root"')}: \`request.principal\` must be \`anonymous\`, \`log-delivery\` or \`{account, user?}\`, not \`root\``);
  });

  it('locates an unknown field of the principal at its key, and an empty account at its value', async () => {
    const text = json(obsCase({ principal: { account: '', role: 'admin' }, action: 'ListBucket' }));
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"role"')}: unknown field \`role\` in \`request.principal\``);
    expect(stderr).toContain(`${path}:${positionOf(text, '""', '"account"')}: \`request.principal.account\` must be a non-empty id`);
  });

  it('locates an object action without `request.object`, and a bucket action with one', async () => {
    const a = json(obsCase({ principal: 'anonymous', action: 'GetObject' }));
    const r1 = await refused(a);
    expect(r1.stderr).toContain(`${r1.path}:${positionOf(a, '{', '"request"')}: \`GetObject\` acts on an object; give \`request.object\``);
    const b = json(obsCase({ principal: 'anonymous', action: 'ListBucket', object: 'a.txt' }));
    const r2 = await refused(b);
    expect(r2.stderr).toContain(`${r2.path}:${positionOf(b, '"a.txt"')}: \`ListBucket\` acts on the bucket; remove \`request.object\``);
  });

  it('locates a body on the wrong action, and a missing body', async () => {
    const a = json(obsCase({ principal: { account: OBS_OWNER }, action: 'PutBucketAcl', policy: { Statement: [] }, acl: [] }));
    const r1 = await refused(a);
    expect(r1.stderr).toContain(`${r1.path}:${positionOf(a, '"policy"', '"request"')}: only \`PutBucketPolicy\` takes \`request.policy\`; remove it`);
    const b = json(obsCase({ principal: { account: OBS_OWNER }, action: 'PutBucketPolicy' }));
    const r2 = await refused(b);
    expect(r2.stderr).toContain(`${r2.path}:${positionOf(b, '{', '"request"')}: \`PutBucketPolicy\` sends a body; give \`request.policy\` (the policy)`);
  });

  it('locates unknown fields of a grant and a grantee, an ACL that is not a list, and a bucket without owner', async () => {
    const text = json({ ...OBS_EXAMPLE, acl: [{ grantee: { acount: OBS_ACCOUNT_1 }, permission: 'READ', delivered: true }] });
    const { path, stderr } = await refused(text);
    expect(stderr).toContain(`${path}:${positionOf(text, '"acount"')}: unknown field \`acount\` in \`acl[0].grantee\``);
    expect(stderr).toContain(`${path}:${positionOf(text, '"delivered"')}: unknown field \`delivered\` in \`acl[0]\``);
    const canned = json({ ...OBS_EXAMPLE, acl: 'public-read' });
    const r2 = await refused(canned);
    expect(r2.stderr).toContain(`${r2.path}:${positionOf(canned, '"public-read"')}: \`acl\` must be array`);
    const ownerless = json({ ...OBS_EXAMPLE, bucket: { name: 'mybucket' } });
    const r3 = await refused(ownerless);
    expect(r3.stderr).toContain(`${r3.path}:${positionOf(ownerless, '{', '"bucket"')}: missing field \`owner\` in \`bucket\``);
  });
});
