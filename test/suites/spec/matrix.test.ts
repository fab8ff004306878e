import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apsTargets, APS_ROLES } from '../../../model/aps-oss/matrix.ts';
import { APS_OPERATIONS } from '../../../model/aps-oss/types.ts';
import { ConformanceErrors } from '../../../model/errors.ts';
import type { ErrorCode } from '../../../model/errors.ts';
import { PROPERTIES } from '../../../suites/properties/index.ts';
import type { PropertyDefinition } from '../../../suites/properties/types.ts';
import { loadSpecs, loadSpecSet, loadSpecTables } from '../../../suites/spec/load.ts';
import { FAKE_PROPERTIES } from './fake-properties.ts';

// Each test writes a specs folder (named `specs`, so that messages say `specs/...`) holding
// rule documents of aps-oss/ and an access matrix; the rule inventory and the seeds are the real ones.
const REAL = { metaDir: resolve('specs/_meta'), seedsDir: resolve('specs/_seeds') };
const MATRIX = 'specs/aps-oss/access-matrix.yaml';
const SEED = '000_2dd483e43c313af6.txt';
const QUOTE = 'APS OSS API of Data Management allows granting bucket access to other Client IDs/keys';

const MATRIX_LABELS = { outcome: ['allow', 'deny', 'rejected'], role: [...APS_ROLES], operation: [...APS_OPERATIONS], target: ['by-self', 'by-owner', 'by-other-key', 'missing', 'new-key', 'taken-key', 'bucket', 'account'] };

/** Stand-ins for the two matrix properties: the loader only reads their names, params and labels. */
const MATRIX_PROPERTIES: ReadonlyMap<string, PropertyDefinition> = new Map([
  ...FAKE_PROPERTIES,
  ['aps-matrix-exhaustive', { name: 'aps-matrix-exhaustive', vendor: 'aps-oss', description: 'test', params: { type: 'object', additionalProperties: false, properties: {} }, labels: MATRIX_LABELS, enumerate: () => [] }],
  ['aps-matrix-generated', { name: 'aps-matrix-generated', vendor: 'aps-oss', description: 'test', params: { type: 'object', properties: { maxKeys: { type: 'integer' } } }, labels: MATRIX_LABELS, cases: () => { throw new Error('never generated'); } }],
]);

/** One entry of a test matrix; lists are written in flow style. */
interface EntrySpec {
  rule?: string;
  status?: string;
  quote?: string;
  reading?: string | null;
  role: string | string[];
  operation: string | string[];
  target: string | string[];
  expect?: string;
  extra?: string;
}

const flow = (v: string | string[]) => (Array.isArray(v) ? `[${v.join(', ')}]` : v);

function entryText(e: EntrySpec): string {
  const status = e.status ?? 'inferred';
  const lines = [
    `  - rule: ${e.rule ?? 'APS-STRANGER'}`,
    `    status: ${status}`,
    `    source: {seed: ${SEED}, quote: "${e.quote ?? QUOTE}"}`,
  ];
  const reading = e.reading === undefined ? (status === 'doc' ? null : 'a reading') : e.reading;
  if (reading !== null) lines.push(`    reading: ${reading}`);
  lines.push(`    role: ${flow(e.role)}`, `    operation: ${flow(e.operation)}`, `    target: ${flow(e.target)}`, `    expect: ${e.expect ?? 'allow'}`);
  if (e.extra) lines.push(`    ${e.extra}`);
  return lines.join('\n');
}

function matrixText(entries: EntrySpec[]): string {
  return `# a test matrix\nentries:\n${entries.map(entryText).join('\n')}\n`;
}

const ALL_ROLES = ['owner', 'full', 'read', 'write', 'stranger'];
const OBJECT_OPERATIONS = ['uploadObject', 'downloadObject', 'deleteObject', 'getObjectDetails'];

/** Every cell of the domain, all of APS-STRANGER, all allowed: six entries. */
function baseEntries(): EntrySpec[] {
  return [
    { role: ALL_ROLES, operation: 'getBuckets', target: 'account' },
    { role: ALL_ROLES, operation: 'createBucket', target: ['new-key', 'taken-key'] },
    { role: ALL_ROLES, operation: ['getBucketDetails', 'getBucketObjects', 'deleteBucket'], target: 'bucket' },
    { role: ['owner', 'full', 'write'], operation: OBJECT_OPERATIONS, target: 'by-self' },
    { role: ['full', 'read', 'write', 'stranger'], operation: OBJECT_OPERATIONS, target: 'by-owner' },
    { role: ALL_ROLES, operation: OBJECT_OPERATIONS, target: ['by-other-key', 'missing'] },
  ];
}

function ruleDocument(id: string, status: string, checks: string, extra = ''): string {
  const reading = status === 'doc' ? '' : 'reading: a reading\n';
  return `id: ${id}\nvendor: aps-oss\nstatus: ${status}\ntitle: a rule of the test\nsource: {seed: ${SEED}, quote: "${QUOTE}"}\n${reading}${extra}checks:\n${checks}`;
}

const EXHAUSTIVE = (outcomes: string, cover = '') => `  - name: the cells\n    property: aps-matrix-exhaustive\n    outcomes: ${outcomes}\n${cover ? `    cover: ${cover}\n` : ''}`;
const STRANGER_DOC = ruleDocument('APS-STRANGER', 'inferred', EXHAUSTIVE('[allow]'));

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

/** Writes `files` (paths under the project-like root, such as `specs/aps-oss/X.yaml`) and returns the specs folder. */
async function specsFolder(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'aps-matrix-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return join(root, 'specs');
}

async function folder(matrix: string | undefined, documents: Record<string, string> = { 'APS-STRANGER.yaml': STRANGER_DOC }): Promise<string> {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(documents)) files[`specs/aps-oss/${name}`] = text;
  if (matrix !== undefined) files[MATRIX] = matrix;
  return specsFolder(files);
}

/** The problems a folder is rejected with: code and full message. */
async function problems(specsDir: string, properties = MATRIX_PROPERTIES): Promise<{ code: ErrorCode; message: string }[]> {
  const error: unknown = await loadSpecs({ specsDir, properties, ...REAL }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConformanceErrors);
  return (error as ConformanceErrors).errors.map((e) => ({ code: e.code, message: e.message }));
}

/**
 * `line:col` of the value of `key` in entry `n` of a test matrix, or of `item` within it (a list
 * item, or a part of a flow map).
 */
function field(text: string, n: number, key: string, item?: string): string {
  const lines = text.split('\n');
  let entry = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith('  - rule:')) entry++;
    if (entry !== n) continue;
    const line = lines[i]!;
    const prefix = line.startsWith('  - rule:') ? '  - ' : '    ';
    if (!line.startsWith(`${prefix}${key}:`)) continue;
    const column = item === undefined ? prefix.length + key.length + 3 : line.indexOf(item, prefix.length + key.length) + 1;
    return `${i + 1}:${column}`;
  }
  throw new Error(`no \`${key}\` in entry ${n}`);
}

/** The line where entry `n` of a test matrix starts. */
function entryLine(text: string, n: number): number {
  return Number(field(text, n, 'rule').split(':')[0]);
}

describe('loadApsMatrix on a valid table', () => {
  it('returns every cell of the domain once, with rule, status, citation, reading and the line of its entry', async () => {
    const text = matrixText(baseEntries());
    const { rules, tables } = await loadSpecSet({ specsDir: await folder(text), properties: MATRIX_PROPERTIES, ...REAL });
    expect(rules.map((r) => r.id)).toEqual(['APS-STRANGER']);
    const matrix = tables.apsMatrix!;
    const domain = APS_ROLES.flatMap((role) => APS_OPERATIONS.flatMap((op) => apsTargets(role, op).map((t) => `${role} ${op} ${t}`)));
    expect(matrix.cells.map((c) => `${c.role} ${c.operation} ${c.target}`).sort()).toEqual([...domain].sort());
    const cell = matrix.lookup('write', 'deleteObject', 'missing')!;
    expect(cell).toEqual({
      rule: 'APS-STRANGER',
      status: 'inferred',
      source: { seed: SEED, quote: QUOTE },
      reading: 'a reading',
      role: 'write',
      operation: 'deleteObject',
      target: 'missing',
      expect: { decision: 'allow' },
      at: `aps-oss/access-matrix.yaml:${entryLine(text, 5)}`,
    });
    expect(matrix.lookup('read', 'downloadObject', 'by-self')).toBeUndefined();
  });

  it('reads expectations as maps, and lets a child of a doc rule be inferred', async () => {
    const entries = baseEntries();
    entries[0] = { rule: 'APS-FULL-OWN.missing-object', status: 'inferred', role: ALL_ROLES, operation: 'getBuckets', target: 'account', expect: '{decision: deny, status: 404}' };
    const matrix = (await loadSpecTables({
      specsDir: await folder(matrixText(entries), {
        'APS-STRANGER.yaml': STRANGER_DOC,
        'APS-FULL-OWN.yaml': ruleDocument('APS-FULL-OWN.missing-object', 'inferred', EXHAUSTIVE('[deny]')),
      }),
      properties: MATRIX_PROPERTIES,
      ...REAL,
    })).apsMatrix!;
    expect(matrix.lookup('full', 'getBuckets', 'account')).toMatchObject({ rule: 'APS-FULL-OWN.missing-object', expect: { decision: 'deny', status: 404 } });
  });

  it('is not a rule file, and its folder may hold no other table', async () => {
    const specsDir = await folder(matrixText(baseEntries()), { 'APS-STRANGER.yaml': STRANGER_DOC, 'grants.yaml': 'entries: []\n' });
    const file = 'specs/aps-oss/grants.yaml';
    expect(await problems(specsDir)).toEqual([
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${file}:1:1: missing field \`id\`` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${file}:1:1: missing field \`vendor\`` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${file}:1:1: missing field \`status\`` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${file}:1:1: missing field \`title\`` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${file}:1:1: missing field \`source\`` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${file}:1:1: missing field \`checks\`` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_FIELD', message: `${file}:1:1: unknown field \`entries\`, expected one of \`id\`, \`vendor\`, \`status\`, \`title\`, \`source\`, \`reading\`, \`notes\`, \`requires\`, \`checks\`` },
    ]);
  });

  it('is optional while no rule names a matrix property', async () => {
    const specsDir = await folder(undefined, { 'APS-READ-OWN.yaml': ruleDocument('APS-READ-OWN', 'doc', '  - name: p\n    property: fake-aps-property\n    outcomes: [deny]\n') });
    expect(await loadSpecTables({ specsDir, properties: MATRIX_PROPERTIES, ...REAL })).toEqual({});
  });
});

describe('loadApsMatrix on bad tables: every problem at its place, with the rule id', () => {
  it('an unknown role, operation or target, with the closest value; no gap is reported while one is unknown', async () => {
    const entries = baseEntries();
    entries[0] = { ...entries[0]!, role: ['owner', 'fulll', 'read', 'write', 'stranger'] };
    entries[2] = { ...entries[2]!, operation: ['getBucketDetails', 'listObjects', 'deleteBucket'] };
    entries[3] = { ...entries[3]!, target: 'self' };
    const text = matrixText(entries);
    expect(await problems(await folder(text))).toEqual([
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${MATRIX}:${field(text, 0, 'role', 'fulll')}: unknown role \`fulll\`, did you mean \`full\`? (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${MATRIX}:${field(text, 2, 'operation', 'listObjects')}: unknown operation \`listObjects\`, expected one of \`getBuckets\`, \`createBucket\`, \`getBucketDetails\`, \`getBucketObjects\`, \`deleteBucket\`, \`uploadObject\`, \`downloadObject\`, \`deleteObject\`, \`getObjectDetails\` (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${MATRIX}:${field(text, 3, 'target')}: unknown target \`self\`, expected one of \`by-self\`, \`by-owner\`, \`by-other-key\`, \`missing\`, \`new-key\`, \`taken-key\`, \`bucket\`, \`account\` (rule APS-STRANGER)` },
    ]);
  });

  it('a cell outside the domain of apsTargets, at the target that puts it there, saying why', async () => {
    const entries = baseEntries();
    entries[3] = { ...entries[3]!, role: ['owner', 'full', 'read', 'write'] };
    entries[4] = { ...entries[4]!, role: ['owner', 'full', 'read', 'write', 'stranger'], operation: 'downloadObject' };
    entries.push({ role: 'full', operation: 'getBuckets', target: 'bucket' });
    const text = matrixText(entries);
    const reads = '`read uploadObject by-self`, `read downloadObject by-self`, `read deleteObject by-self`, `read getObjectDetails by-self`';
    const gap = (role: string) => ({ code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:2:1: gap: no entry covers role \`${role}\` for \`uploadObject\` on \`by-owner\`; \`deleteObject\` on \`by-owner\`; \`getObjectDetails\` on \`by-owner\`` });
    expect(await problems(await folder(text))).toEqual([
      // Entry 4 now covers only downloads of the owner's objects: the other operations are gaps.
      gap('full'), gap('read'), gap('write'), gap('stranger'),
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:${field(text, 3, 'target')}: cells ${reads} are outside the domain: a \`read\` key never uploads, so it has no object of its own (APS-READ-NOTHING-TO-READ); the targets of \`read uploadObject\` are \`by-owner\`, \`by-other-key\`, \`missing\` (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:${field(text, 4, 'target')}: cell \`owner downloadObject by-owner\` is outside the domain: the owner's own objects are \`by-self\`; the targets of \`owner downloadObject\` are \`by-self\`, \`by-other-key\`, \`missing\` (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:${field(text, 6, 'target')}: cell \`full getBuckets bucket\` is outside the domain: the targets of \`full getBuckets\` are \`account\` (rule APS-STRANGER)` },
    ]);
  });

  it('a gap: the cells no entry covers, by role, at `entries`', async () => {
    const entries = baseEntries();
    entries[1] = { ...entries[1]!, role: ['owner', 'full', 'read', 'write'], target: 'new-key' };
    entries[5] = { ...entries[5]!, target: 'by-other-key' };
    const text = matrixText(entries);
    const missing = '`uploadObject` on `missing`; `downloadObject` on `missing`; `deleteObject` on `missing`; `getObjectDetails` on `missing`';
    expect(await problems(await folder(text))).toEqual([
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:2:1: gap: no entry covers role \`owner\` for \`createBucket\` on \`taken-key\`; ${missing}` },
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:2:1: gap: no entry covers role \`full\` for \`createBucket\` on \`taken-key\`; ${missing}` },
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:2:1: gap: no entry covers role \`read\` for \`createBucket\` on \`taken-key\`; ${missing}` },
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:2:1: gap: no entry covers role \`write\` for \`createBucket\` on \`taken-key\`; ${missing}` },
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:2:1: gap: no entry covers role \`stranger\` for \`createBucket\` on \`new-key\`, \`taken-key\`; ${missing}` },
    ]);
  });

  it('an overlap: at the later entry, naming both lines and the earlier rule', async () => {
    const entries = baseEntries();
    entries.push({ role: ['read', 'write'], operation: 'getBuckets', target: 'account', expect: 'deny' });
    entries.push({ role: 'owner', operation: 'createBucket', target: 'taken-key' });
    const text = matrixText(entries);
    const [first, second, sixth, seventh] = [0, 1, 6, 7].map((n) => entryLine(text, n));
    expect(await problems(await folder(text))).toEqual([
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:${sixth}:5: cells \`read getBuckets account\`, \`write getBuckets account\` also covered by the entry at line ${first} (rule APS-STRANGER): the entries at lines ${first} and ${sixth} overlap (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: `${MATRIX}:${seventh}:5: cell \`owner createBucket taken-key\` also covered by the entry at line ${second} (rule APS-STRANGER): the entries at lines ${second} and ${seventh} overlap (rule APS-STRANGER)` },
    ]);
  });

  it('an unknown rule id, a child of an unknown id, an id of another vendor, an id with no rule document', async () => {
    const entries = baseEntries();
    entries[0] = { ...entries[0]!, rule: 'APS-STRANGERS' };
    entries[1] = { ...entries[1]!, rule: 'APS-GRANT-SIZE.error' };
    entries[2] = { ...entries[2]!, rule: 'ALI-UNION' };
    entries[3] = { ...entries[3]!, rule: 'APS-READ-OWN', status: 'doc' };
    const text = matrixText(entries);
    expect(await problems(await folder(text))).toEqual([
      { code: 'CONFORMANCE_SPEC_UNKNOWN_RULE_ID', message: `${MATRIX}:${field(text, 0, 'rule')}: unknown rule id \`APS-STRANGERS\`, did you mean \`APS-STRANGER\`? (rule APS-STRANGERS)` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_RULE_ID', message: `${MATRIX}:${field(text, 1, 'rule')}: unknown rule id \`APS-GRANT-SIZE.error\`: its parent \`APS-GRANT-SIZE\` is not in specs/_meta/RULES.md, did you mean \`APS-GRANT-LIMIT\`? (rule APS-GRANT-SIZE.error)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${MATRIX}:${field(text, 2, 'rule')}: invalid value \`ALI-UNION\` for \`entries[2].rule\`: expected an APS rule id such as \`APS-WRITE-NO-READ\`, or a child id such as \`APS-FULL-OWN.missing-object\` (rule ALI-UNION)` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_RULE_ID', message: `${MATRIX}:${field(text, 3, 'rule')}: no rule document \`APS-READ-OWN\` in \`aps-oss/\`; every rule of the matrix is reported by a rule document of that id (rule APS-READ-OWN)` },
    ]);
  });

  it('a status RULES.md does not allow, or one that differs from the rule document', async () => {
    const entries = baseEntries();
    entries[0] = { ...entries[0]!, status: 'doc', reading: null };
    entries[1] = { ...entries[1]!, rule: 'APS-OWNER-ONLY-API', status: 'ambiguous' };
    entries[2] = { ...entries[2]!, rule: 'APS-FULL-OWN', status: 'inferred' };
    entries[3] = { ...entries[3]!, rule: 'APS-FULL-OWN', status: 'doc', reading: null };
    const text = matrixText(entries);
    const documents = {
      'APS-STRANGER.yaml': STRANGER_DOC,
      'APS-OWNER-ONLY-API.yaml': ruleDocument('APS-OWNER-ONLY-API', 'doc', EXHAUSTIVE('[allow]')),
      'APS-FULL-OWN.yaml': ruleDocument('APS-FULL-OWN', 'doc', EXHAUSTIVE('[allow]')),
    };
    expect(await problems(await folder(text, documents))).toEqual([
      { code: 'CONFORMANCE_SPEC_STATUS_MISMATCH', message: `${MATRIX}:${field(text, 0, 'status')}: status \`doc\` does not match RULES.md, which gives \`APS-STRANGER\`: inferred (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_STATUS_MISMATCH', message: `${MATRIX}:${field(text, 1, 'status')}: status \`ambiguous\` differs from the rule document \`APS-OWNER-ONLY-API\` at specs/aps-oss/APS-OWNER-ONLY-API.yaml:1:5, which has \`doc\` (rule APS-OWNER-ONLY-API)` },
      // A parent id has exactly the statuses of its row; only a child id of a doc rule may be inferred.
      { code: 'CONFORMANCE_SPEC_STATUS_MISMATCH', message: `${MATRIX}:${field(text, 2, 'status')}: status \`inferred\` does not match RULES.md, which gives \`APS-FULL-OWN\`: doc (rule APS-FULL-OWN)` },
    ]);
  });

  it('a quote the seed does not hold, an unknown seed, a missing reading', async () => {
    const entries = baseEntries();
    entries[0] = { ...entries[0]!, quote: 'APS OSS API of Data Management allows revoking bucket access' };
    entries[2] = { ...entries[2]!, reading: null };
    const text = matrixText(entries).replace(`seed: ${SEED}, quote: "${QUOTE}"}\n    reading: a reading\n    role: ${flow(ALL_ROLES)}\n    operation: createBucket`, `seed: 000_2dd483e43c313af6, quote: "${QUOTE}"}\n    reading: a reading\n    role: ${flow(ALL_ROLES)}\n    operation: createBucket`);
    expect(await problems(await folder(text))).toEqual([
      { code: 'CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED', message: `${MATRIX}:${field(text, 0, 'source', '"APS OSS')}: quote not found in seed \`${SEED}\`; the seed has its first 38 characters, up to \`of Data Management allows\` (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED', message: `${MATRIX}:${field(text, 1, 'source', '000_')}: unknown seed \`000_2dd483e43c313af6\`, did you mean \`${SEED}\`? (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${MATRIX}:${field(text, 2, 'rule').replace(/:\d+$/, ':5')}: missing field \`entries[2].reading\`: required when \`status\` is \`inferred\` or \`ambiguous\` (rule APS-STRANGER)` },
    ]);
  });

  it('the schema: unknown and missing fields, bad expectations, a bad file', async () => {
    const entries = baseEntries();
    entries[0] = { ...entries[0]!, extra: 'targets: [account]' };
    entries[1] = { ...entries[1]!, expect: '{decision: deny, status: "403"}' };
    entries[2] = { ...entries[2]!, expect: 'refused' };
    entries[3] = { ...entries[3]!, role: ['owner', 'full', 'write', 'full'] };
    const text = matrixText(entries);
    const message = 'expected `allow`, `deny`, `rejected` or a map {decision, status, code}';
    const [roleLine] = field(text, 3, 'role').split(':');
    expect(await problems(await folder(text))).toEqual([
      { code: 'CONFORMANCE_SPEC_UNKNOWN_FIELD', message: `${MATRIX}:${field(text, 0, 'targets').replace(/:\d+$/, ':5')}: unknown field \`targets\`, did you mean \`target\`? (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${MATRIX}:${field(text, 1, 'expect', '"403"')}: invalid value \`"403"\` for \`entries[1].expect.status\`: expected an HTTP status (100 to 599), \`4xx\` or \`5xx\` (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${MATRIX}:${field(text, 2, 'expect')}: invalid value \`refused\` for \`entries[2].expect\`: ${message} (rule APS-STRANGER)` },
      // A value listed twice is one schema problem, not an overlap of the entry with itself.
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${MATRIX}:${roleLine}:${'    role: [owner, full, write, '.length + 1}: duplicate item \`full\` in \`entries[3].role\` (rule APS-STRANGER)` },
    ]);
    expect(await problems(await folder('entries:\n  - rule: APS-STRANGER\n    role: owner\n'))).toEqual(
      ['status', 'source', 'operation', 'target', 'expect'].map((name) => ({ code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${MATRIX}:2:5: missing field \`entries[0].${name}\` (rule APS-STRANGER)` })),
    );
    expect(await problems(await folder('entries:\n  - rule: [APS-STRANGER\n'))).toEqual([
      { code: 'CONFORMANCE_SPEC_YAML_SYNTAX', message: `${MATRIX}:3:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]` },
    ]);
    expect(await problems(await folder('# nothing yet\n'))).toEqual([
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${MATRIX}:1:1: missing field \`entries\`: the access matrix is empty` },
    ]);
    expect(await problems(await folder(`${text}---\nentries: []\n`))).toEqual([
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${MATRIX}:${text.split('\n').length + 1}:1: the access matrix is one YAML document; remove the \`---\` and merge the entries` },
    ]);
  });
});

describe('the rule documents against the table', () => {
  it('a document that owns cells needs an aps-matrix-exhaustive check', async () => {
    const doc = ruleDocument('APS-STRANGER', 'inferred', '  - name: generated only\n    property: aps-matrix-generated\n    outcomes: [allow]\n');
    expect(await problems(await folder(matrixText(baseEntries()), { 'APS-STRANGER.yaml': doc }))).toEqual([
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: 'specs/aps-oss/APS-STRANGER.yaml:1:5: rule `APS-STRANGER` owns 98 cells of `aps-oss/access-matrix.yaml` and has no `aps-matrix-exhaustive` check, so they are never checked (rule APS-STRANGER)' },
    ]);
  });

  it('a matrix check of a rule that owns no cell; outcomes that differ from its cells\'', async () => {
    const stranger = ruleDocument('APS-STRANGER', 'inferred', EXHAUSTIVE('[allow, rejected]'));
    const entries = baseEntries();
    entries[0] = { ...entries[0]!, expect: 'deny' };
    const documents = { 'APS-STRANGER.yaml': stranger, 'APS-READ-OWN.yaml': ruleDocument('APS-READ-OWN', 'doc', EXHAUSTIVE('[deny]')) };
    const text = matrixText(entries);
    const file = 'specs/aps-oss/APS-STRANGER.yaml';
    expect(await problems(await folder(text, documents))).toEqual([
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: 'specs/aps-oss/APS-READ-OWN.yaml:8:15: property `aps-matrix-exhaustive` checks the cells of rule `APS-READ-OWN`, and no entry of `aps-oss/access-matrix.yaml` names it (rule APS-READ-OWN)' },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${file}:10:15: \`outcomes\` lacks \`deny\`, which cells of \`APS-STRANGER\` have (aps-oss/access-matrix.yaml line ${entryLine(text, 0)}) (rule APS-STRANGER)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${file}:10:23: no cell of \`APS-STRANGER\` in \`aps-oss/access-matrix.yaml\` has outcome \`rejected\`; its cells have \`deny\`, \`allow\` (rule APS-STRANGER)` },
    ]);
  });

  it('cover values that no cell of the rule has (values the property does not know are the label check\'s)', async () => {
    const entries = baseEntries();
    entries[0] = { ...entries[0]!, rule: 'APS-OWNER-ONLY-API', status: 'doc', reading: null };
    const cover = '{operation: [getBuckets, deleteBucket], role: [owner, nobody]}';
    const documents = {
      'APS-STRANGER.yaml': STRANGER_DOC,
      'APS-OWNER-ONLY-API.yaml': ruleDocument('APS-OWNER-ONLY-API', 'doc', EXHAUSTIVE('[allow]', cover)),
    };
    const file = 'specs/aps-oss/APS-OWNER-ONLY-API.yaml';
    const column = (item: string) => 5 + 'cover: '.length + cover.indexOf(item);
    expect(await problems(await folder(matrixText(entries), documents))).toEqual([
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${file}:10:${column('deleteBucket')}: no cell of \`APS-OWNER-ONLY-API\` in \`aps-oss/access-matrix.yaml\` has operation \`deleteBucket\`; its cells have \`getBuckets\` (rule APS-OWNER-ONLY-API)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${file}:10:${column('nobody')}: label \`role\` of property \`aps-matrix-exhaustive\` has no value \`nobody\`, expected one of \`owner\`, \`full\`, \`read\`, \`write\`, \`stranger\` (rule APS-OWNER-ONLY-API)` },
    ]);
  });

  it('a matrix check with no table at all', async () => {
    expect(await problems(await folder(undefined))).toEqual([
      { code: 'CONFORMANCE_SPEC_MATRIX_COVERAGE', message: 'specs/aps-oss/APS-STRANGER.yaml:9:15: property `aps-matrix-exhaustive` reads the cells of `aps-oss/access-matrix.yaml`, which is missing (rule APS-STRANGER)' },
    ]);
  });

  it('reports the table and the rule files together, sorted by file and place, each with location and rule id', async () => {
    const entries = baseEntries();
    entries[0] = { ...entries[0]!, role: 'ownr' };
    const text = matrixText(entries);
    const bad = ruleDocument('APS-READ-OWN', 'ambiguous', EXHAUSTIVE('[deny]'));
    const error = await loadSpecs({ specsDir: await folder(text, { 'APS-STRANGER.yaml': STRANGER_DOC, 'APS-READ-OWN.yaml': bad }), properties: MATRIX_PROPERTIES, ...REAL }).catch((e: unknown) => e) as ConformanceErrors;
    const [line, column] = field(text, 0, 'role').split(':').map(Number);
    expect(error.errors.map((e) => [e.code, e.location, e.ruleId])).toEqual([
      ['CONFORMANCE_SPEC_STATUS_MISMATCH', { file: 'specs/aps-oss/APS-READ-OWN.yaml', line: 3, column: 9 }, 'APS-READ-OWN'],
      ['CONFORMANCE_SPEC_INVALID_VALUE', { file: MATRIX, line, column }, 'APS-STRANGER'],
    ]);
    expect(error.errors[1]!.message).toBe(`${MATRIX}:${line}:${column}: unknown role \`ownr\`, did you mean \`owner\`? (rule APS-STRANGER)`);
  });
});

describe('the real specs', () => {
  it('hold a valid matrix of 98 cells, each with a rule document of aps-oss/', async () => {
    const { rules, tables } = await loadSpecSet({ specsDir: 'specs', properties: PROPERTIES });
    const matrix = tables.apsMatrix!;
    expect(matrix.cells).toHaveLength(98);
    const ids = new Set(rules.filter((r) => r.vendor === 'aps-oss' && r.file.startsWith('aps-oss/')).map((r) => r.id));
    expect([...new Set(matrix.cells.map((c) => c.rule))].filter((id) => !ids.has(id))).toEqual([]);
    expect(matrix.lookup('write', 'downloadObject', 'missing')).toMatchObject({ rule: 'APS-WRITE-NO-READ.missing-object', status: 'inferred', expect: { decision: 'deny', status: 403 } });
    expect(matrix.cells.every((c) => /^aps-oss\/access-matrix\.yaml:\d+$/.test(c.at))).toBe(true);
  });

  it('give the same tables to loadSpecTables, whatever vendors loadSpecs selects', async () => {
    const tables = await loadSpecTables({ specsDir: 'specs', properties: PROPERTIES, vendors: ['alibaba-oss'] });
    expect(tables.apsMatrix?.cells).toHaveLength(98);
  });

  it('the matrix names its schema for editors', async () => {
    const text = await readFile('specs/aps-oss/access-matrix.yaml', 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../_meta/aps-access-matrix.schema.json');
  });
});
