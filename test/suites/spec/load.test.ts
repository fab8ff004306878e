import { describe, expect, it } from 'vitest';
import { ConformanceErrors } from '../../../model/errors.ts';
import type { ErrorCode } from '../../../model/errors.ts';
import type { Vendor } from '../../../model/vendors.ts';
import { loadSpecs } from '../../../suites/spec/load.ts';
import { FAKE_PROPERTIES } from './fake-properties.ts';

// Fixture folders hold only rule files; the rule inventory and the seeds are the real ones.
const FIXTURES = 'test/fixtures/specs';
const REAL = { metaDir: 'specs/_meta', seedsDir: 'specs/_seeds' };

function load(fixture: string, vendors?: Vendor[]) {
  return loadSpecs({ specsDir: `${FIXTURES}/${fixture}`, properties: FAKE_PROPERTIES, ...REAL, ...(vendors ? { vendors } : {}) });
}

/** The problems a fixture folder is rejected with, as code and full message (location first, rule id last). */
async function problems(fixture: string, vendors?: Vendor[]): Promise<{ code: ErrorCode; message: string }[]> {
  const error: unknown = await load(fixture, vendors).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConformanceErrors);
  return (error as ConformanceErrors).errors.map((e) => ({ code: e.code, message: e.message }));
}

describe('loadSpecs on a valid folder', () => {
  it('returns every rule, sorted by vendor then id, with file and line', async () => {
    const rules = await load('valid');
    expect(rules.map((r) => [r.vendor, r.id, r.file, r.line])).toEqual([
      ['alibaba-oss', 'ALI-COND-MISSING-KEY', 'alibaba-oss/ALI-COND-MISSING-KEY.yaml', 1],
      ['alibaba-oss', 'ALI-VERSION', 'alibaba-oss/ALI-VERSION.yaml', 2],
      ['alibaba-oss', 'ALI-VERSION.rejection', 'alibaba-oss/ALI-VERSION.yaml', 19],
      ['alibaba-oss', 'X-ORDER', 'common/X-ORDER.yaml', 1],
      ['huawei-obs', 'OBS-OVERWRITE', 'huawei-obs/OBS-OVERWRITE.yaml', 1],
    ]);
  });

  it('builds property checks with params, outcomes and cover, filling in defaults', async () => {
    const rules = await load('valid');
    const byId = new Map(rules.map((r) => [r.id, r]));
    const version = byId.get('ALI-VERSION')!;
    expect(version.status).toBe('doc');
    expect(version.source).toEqual({
      seed: '002_01acfbdf6f602626.txt',
      quote: 'Version: The version of the access policy. The value is fixed at 1and cannot be changed.',
    });
    expect(version.reading).toBeUndefined();
    expect(version.requires).toEqual(['policy']);
    expect(version.checks).toEqual([
      { kind: 'property', name: 'generated versions', property: 'fake-property', params: { size: 3 }, outcomes: ['allow', 'deny'], cover: { side: ['a', 'b'] } },
    ]);
    // No params: {} with the schema's defaults; no cover: {}; no requires: [].
    const order = byId.get('X-ORDER')!;
    expect(order.requires).toEqual([]);
    expect(order.reading).toBe('Deny-first and the union of allows do not depend on the order.');
    expect(order.checks).toEqual([
      { kind: 'property', name: 'reordered statements', property: 'fake-property', params: { size: 1 }, outcomes: ['allow'], cover: {} },
    ]);
    expect(byId.get('OBS-OVERWRITE')!.checks).toEqual([
      { kind: 'property', name: 'nothing of the old policy survives', property: 'fake-obs-property', params: {}, outcomes: ['allow', 'deny'], cover: {} },
    ]);
  });

  it('builds example checks: the vendor joins the world, short expectations become {decision}', async () => {
    const rules = await load('valid');
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('ALI-COND-MISSING-KEY')!.checks).toEqual([{
      kind: 'example',
      name: 'scenario 6',
      world: { vendor: 'alibaba-oss', bucket: { name: 'example-bucket', owner: '174649585760xxxx' }, policy: '{"Version":"1","Statement":[]}' },
      requests: [
        {
          name: 'from the public network',
          request: { principal: '20214760404935xxxx', action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '198.51.100.7' } },
          expect: { decision: 'deny' },
        },
        { request: { principal: '174649585760xxxx', action: 'oss:ListObjects' }, expect: { decision: 'allow', status: 200 } },
      ],
    }]);
    expect(byId.get('ALI-VERSION.rejection')!.checks).toEqual([{
      kind: 'example',
      name: 'version 2 is rejected',
      world: { vendor: 'alibaba-oss', bucket: { name: 'example-bucket', owner: '174649585760xxxx' }, policy: { Version: '2', Statement: [] } },
      expectWorld: { decision: 'rejected', status: '4xx' },
      requests: [],
    }]);
  });

  it('returns only the rules of the vendors asked for', async () => {
    const rules = await load('valid', ['huawei-obs']);
    expect(rules.map((r) => r.id)).toEqual(['OBS-OVERWRITE']);
  });

  it('fails rather than return no rule for a vendor that has none', async () => {
    expect(await problems('valid', ['aps-oss'])).toEqual([
      { code: 'CONFORMANCE_SPEC_NO_RULES', message: 'no rules for `aps-oss` under `test/fixtures/specs/valid`' },
    ]);
  });
});

describe('loadSpecs on bad folders: one code each, with file:line:col and the rule id', () => {
  const base = `${FIXTURES}`;

  it('CONFORMANCE_SPEC_YAML_SYNTAX for YAML errors and warnings', async () => {
    const file = `${base}/yaml-syntax/alibaba-oss/ALI-VERSION.yaml`;
    expect(await problems('yaml-syntax')).toEqual([
      { code: 'CONFORMANCE_SPEC_YAML_SYNTAX', message: `${file}:3:1: invalid YAML: map keys must be unique (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_YAML_SYNTAX', message: `${file}:15:9: YAML warning: unresolved tag: !vendor (rule ALI-VERSION.tagged)` },
    ]);
  });

  it('CONFORMANCE_SPEC_UNKNOWN_FIELD at the key, with a suggestion or the known fields', async () => {
    const file = `${base}/unknown-field/alibaba-oss/ALI-VERSION.yaml`;
    expect(await problems('unknown-field')).toEqual([
      { code: 'CONFORMANCE_SPEC_UNKNOWN_FIELD', message: `${file}:11:50: unknown field \`regoin\`, did you mean \`region\`? (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_FIELD', message: `${file}:15:9: unknown field \`expect_decision\`, expected one of \`name\`, \`request\`, \`expect\` (rule ALI-VERSION)` },
    ]);
  });

  it('CONFORMANCE_SPEC_MISSING_FIELD at the document start, or at the map that lacks it', async () => {
    const file = `${base}/missing-field/alibaba-oss/ALI-VERSION.yaml`;
    expect(await problems('missing-field')).toEqual([
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${file}:2:1: missing field \`reading\`: required when \`status\` is \`inferred\` or \`ambiguous\` (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${file}:14:18: missing field \`checks[0].requests[0].request.action\` (rule ALI-VERSION)` },
    ]);
  });

  it('CONFORMANCE_SPEC_INVALID_VALUE at the value: types, enums, id syntax, params, outcomes, cover, names, a document that is not a map', async () => {
    const cond = `${base}/invalid-value/alibaba-oss/ALI-COND-MISSING-KEY.yaml`;
    const version = `${base}/invalid-value/alibaba-oss/ALI-VERSION.yaml`;
    const union = `${base}/invalid-value/alibaba-oss/ALI-UNION.yaml`;
    const expectation = 'expected `allow`, `deny`, `rejected` or a map {decision, status, code, ec}';
    expect(await problems('invalid-value')).toEqual([
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${cond}:11:45: invalid value \`174649585760\` for \`checks[0].world.bucket.owner\`: expected a string, and YAML reads this as a number; quote it (rule ALI-COND-MISSING-KEY)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${cond}:16:61: invalid value \`2024\` for \`checks[0].requests[0].request.context.oss:Prefix\`: expected a string, and YAML reads this as a number; quote it (rule ALI-COND-MISSING-KEY)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${cond}:17:17: invalid value \`ALLOW\` for \`checks[0].requests[0].expect\`: ${expectation} (rule ALI-COND-MISSING-KEY)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${cond}:19:42: invalid value \`"404"\` for \`checks[0].requests[1].expect.status\`: expected an HTTP status (100 to 599), \`4xx\` or \`5xx\` (rule ALI-COND-MISSING-KEY)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${cond}:21:17: invalid value \`403\` for \`checks[0].requests[2].expect\`: ${expectation} (rule ALI-COND-MISSING-KEY)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${union}:1:1: invalid value for the document: expected a map` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${version}:11:20: invalid params for property \`fake-property\`: invalid value \`"3"\` for \`checks[0].params.size\`: expected an integer (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${version}:12:23: property \`fake-property\` has no outcome \`maybe\`, expected one of \`allow\`, \`deny\` (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${version}:13:11: duplicate check name \`versions\`, first used at line 9 (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${version}:16:23: label \`side\` of property \`fake-property\` has no value \`c\`, expected one of \`a\`, \`b\` (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${version}:16:27: property \`fake-property\` has no label \`sde\`, did you mean \`side\`? (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${version}:18:5: invalid value \`ali-version\` for \`id\`: expected a RULES.md id such as \`ALI-LIMIT-SIZE\`, or a child id such as \`ALI-LIMIT-SIZE.error-code\` (rule ali-version)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${version}:25:9: invalid value for \`checks\`: expected at least one item (rule ali-version)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${version}:28:9: vendor \`huawei-obs\` does not match rule \`ALI-VERSION\`, which RULES.md lists for \`alibaba-oss\` (rule ALI-VERSION.vendor)` },
      { code: 'CONFORMANCE_SPEC_WRONG_PLACE', message: `${version}:28:9: a rule of \`huawei-obs\` in \`alibaba-oss/\`; move it to \`huawei-obs/\` (rule ALI-VERSION.vendor)` },
    ]);
  });

  it('example checks: requests or expectWorld, no requests after a rejected world, worlds and requests in the vendor\'s shape', async () => {
    const ali = `${base}/example-shape/alibaba-oss/ALI-VERSION.yaml`;
    const obs = `${base}/example-shape/huawei-obs/OBS-OVERWRITE.yaml`;
    expect(await problems('example-shape')).toEqual([
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${ali}:13:7: invalid value for \`checks[0].requests\`: a world expected to be rejected takes no requests (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${ali}:15:5: missing field \`checks[1].requests\`: an example needs \`requests\`, or \`expectWorld\` alone (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${ali}:19:29: invalid value \`deny\` for \`checks[2].expectWorld.decision\`: expected one of \`allow\`, \`rejected\` (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${obs}:10:21: invalid value \`mybucket\` for \`checks[0].world.bucket\`: expected a map (rule OBS-OVERWRITE)` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${obs}:12:18: missing field \`checks[0].requests[0].request.object\`: object actions name the object (rule OBS-OVERWRITE)` },
      { code: 'CONFORMANCE_SPEC_INVALID_VALUE', message: `${obs}:12:30: invalid value \`"1"\` for \`checks[0].requests[0].request.principal\`: expected \`{account: <id>}\`, \`{account: <id>, user: <user>}\`, \`anonymous\` or \`log-delivery\` (rule OBS-OVERWRITE)` },
    ]);
  });

  it('CONFORMANCE_SPEC_UNKNOWN_RULE_ID for an id, or the parent of a child id, not in RULES.md', async () => {
    const dir = `${base}/unknown-rule-id/alibaba-oss`;
    expect(await problems('unknown-rule-id')).toEqual([
      { code: 'CONFORMANCE_SPEC_UNKNOWN_RULE_ID', message: `${dir}/ALI-POLICY-SIZE.yaml:1:5: unknown rule id \`ALI-POLICY-SIZE.error-code\`: its parent \`ALI-POLICY-SIZE\` is not in specs/_meta/RULES.md, did you mean \`ALI-LIMIT-SIZE\`? (rule ALI-POLICY-SIZE.error-code)` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_RULE_ID', message: `${dir}/ALI-VERSIONS.yaml:1:5: unknown rule id \`ALI-VERSIONS\`, did you mean \`ALI-VERSION\`? (rule ALI-VERSIONS)` },
    ]);
  });

  it('CONFORMANCE_SPEC_UNKNOWN_CAPABILITY at the item of `requires`', async () => {
    const file = `${base}/unknown-capability/common/X-ORDER.yaml`;
    expect(await problems('unknown-capability')).toEqual([
      { code: 'CONFORMANCE_SPEC_UNKNOWN_CAPABILITY', message: `${file}:9:20: unknown capability \`policy.rw\`, did you mean \`policy.raw\`? (rule X-ORDER)` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_CAPABILITY', message: `${file}:9:31: unknown capability \`request.vpc\`, not in specs/_meta/capabilities.yaml (rule X-ORDER)` },
    ]);
  });

  it('CONFORMANCE_SPEC_UNKNOWN_PROPERTY for an unknown name, or a property of another vendor', async () => {
    const file = `${base}/unknown-property/alibaba-oss/ALI-UNION.yaml`;
    expect(await problems('unknown-property')).toEqual([
      { code: 'CONFORMANCE_SPEC_UNKNOWN_PROPERTY', message: `${file}:10:15: unknown property \`fake-propety\`, did you mean \`fake-property\`? (rule ALI-UNION)` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_PROPERTY', message: `${file}:13:15: property \`fake-obs-property\` is for \`huawei-obs\`, not \`alibaba-oss\` (rule ALI-UNION)` },
    ]);
  });

  it('CONFORMANCE_SPEC_STATUS_MISMATCH when RULES.md does not give the id that status', async () => {
    const file = `${base}/status-mismatch/alibaba-oss/ALI-VERSION.yaml`;
    expect(await problems('status-mismatch')).toEqual([
      { code: 'CONFORMANCE_SPEC_STATUS_MISMATCH', message: `${file}:3:9: status \`ambiguous\` does not match RULES.md, which gives \`ALI-VERSION\`: doc (fixed) / inferred (rejection) (rule ALI-VERSION)` },
    ]);
  });

  it('CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED for a missing seed, a quote the seed lacks, or other quote marks', async () => {
    const ali = `${base}/quote-not-in-seed/alibaba-oss/ALI-VERSION.yaml`;
    const aps = `${base}/quote-not-in-seed/aps-oss/APS-READ-OWN.yaml`;
    expect(await problems('quote-not-in-seed')).toEqual([
      { code: 'CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED', message: `${ali}:6:9: unknown seed \`002_01acfbdf6f602626\`, did you mean \`002_01acfbdf6f602626.txt\`? (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED', message: `${ali}:19:10: quote not found in seed \`002_01acfbdf6f602626.txt\`; the seed has its first 56 characters, up to \`access policy. The value is\` (rule ALI-VERSION.wording)` },
      { code: 'CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED', message: `${aps}:7:10: quote not found in seed \`000_2dd483e43c313af6.txt\`; the seed has it with other quote marks or dashes, copy them from the seed (rule APS-READ-OWN)` },
    ]);
  });

  it('CONFORMANCE_SPEC_DUPLICATE_ID at the second id, naming the first; the same X-* id for two vendors is fine', async () => {
    const file = `${base}/duplicate-id/alibaba-oss/ALI-VERSION.yaml`;
    expect(await problems('duplicate-id')).toEqual([
      { code: 'CONFORMANCE_SPEC_DUPLICATE_ID', message: `${file}:13:5: duplicate rule \`ALI-VERSION\` of \`alibaba-oss\`, also defined at ${file}:1:5 (rule ALI-VERSION)` },
    ]);
  });

  it('CONFORMANCE_SPEC_WRONG_PLACE for the folder or the file name', async () => {
    const dir = `${base}/wrong-place`;
    expect(await problems('wrong-place')).toEqual([
      { code: 'CONFORMANCE_SPEC_WRONG_PLACE', message: `${dir}/ALI-UNION.yaml:1:1: rule files belong in \`alibaba-oss/\`, \`huawei-obs/\`, \`aps-oss/\` or \`common/\`` },
      { code: 'CONFORMANCE_SPEC_WRONG_PLACE', message: `${dir}/alibaba-oss/ALI-POLICY.yaml:1:5: rule \`ALI-DENY-FIRST\` in a file named \`ALI-POLICY.yaml\`; name the file after the rule id or its parent id (rule ALI-DENY-FIRST)` },
      { code: 'CONFORMANCE_SPEC_WRONG_PLACE', message: `${dir}/alibaba-oss/OBS-OVERWRITE.yaml:2:9: a rule of \`huawei-obs\` in \`alibaba-oss/\`; move it to \`huawei-obs/\` (rule OBS-OVERWRITE)` },
      { code: 'CONFORMANCE_SPEC_WRONG_PLACE', message: `${dir}/alibaba-oss/X-ORDER.yaml:1:5: cross-vendor rule \`X-ORDER\` in \`alibaba-oss/\`; move it to \`common/\` (rule X-ORDER)` },
      { code: 'CONFORMANCE_SPEC_WRONG_PLACE', message: `${dir}/common/ALI-VERSION.yaml:1:5: rule \`ALI-VERSION\` in \`common/\`, which holds only \`X-*\` rules; move it to \`alibaba-oss/\` (rule ALI-VERSION)` },
    ]);
  });

  it('CONFORMANCE_SPEC_NO_RULES when no rule file is found (folders starting with `_` are skipped)', async () => {
    expect(await problems('no-rules')).toEqual([
      { code: 'CONFORMANCE_SPEC_NO_RULES', message: 'no rule files (`*.yaml`, `*.yml`) under `test/fixtures/specs/no-rules`' },
    ]);
  });

  it('CONFORMANCE_SPEC_NO_RULES for a rule file with only comments', async () => {
    expect(await problems('empty-file')).toEqual([
      { code: 'CONFORMANCE_SPEC_NO_RULES', message: `${base}/empty-file/alibaba-oss/ALI-VERSION.yaml:1:1: no rule in this file` },
    ]);
  });
});

describe('loadSpecs reporting', () => {
  it('reports every problem of every file at once, sorted by file and position', async () => {
    const dir = `${FIXTURES}/many-errors`;
    expect(await problems('many-errors')).toEqual([
      { code: 'CONFORMANCE_SPEC_STATUS_MISMATCH', message: `${dir}/alibaba-oss/ALI-UNION.yaml:3:9: status \`inferred\` does not match RULES.md, which gives \`ALI-UNION\`: doc (rule ALI-UNION)` },
      { code: 'CONFORMANCE_SPEC_MISSING_FIELD', message: `${dir}/alibaba-oss/ALI-VERSION.yaml:9:5: missing field \`checks[0].outcomes\` (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_FIELD', message: `${dir}/alibaba-oss/ALI-VERSION.yaml:11:5: unknown field \`outcome\`, did you mean \`outcomes\`? (rule ALI-VERSION)` },
      { code: 'CONFORMANCE_SPEC_UNKNOWN_CAPABILITY', message: `${dir}/common/X-SPLIT.yaml:9:12: unknown capability \`policy.split\`, not in specs/_meta/capabilities.yaml (rule X-SPLIT)` },
      { code: 'CONFORMANCE_SPEC_YAML_SYNTAX', message: `${dir}/huawei-obs/OBS-EXAMPLE.yaml:5:1: invalid YAML: missing closing "quote (rule OBS-EXAMPLE)` },
    ]);
  });

  it('gives each error its location and rule id as fields, and the thrown error the first code', async () => {
    const error = await load('status-mismatch').catch((e: unknown) => e) as ConformanceErrors;
    expect(error.code).toBe('CONFORMANCE_SPEC_STATUS_MISMATCH');
    expect(error.errors[0]!.location).toEqual({ file: `${FIXTURES}/status-mismatch/alibaba-oss/ALI-VERSION.yaml`, line: 3, column: 9 });
    expect(error.errors[0]!.ruleId).toBe('ALI-VERSION');
    expect(error.message).toBe(error.errors.map((e) => e.message).join('\n'));
  });

  it('writes locations under `specs/` when the folder is named specs', async () => {
    const error = await loadSpecs({ specsDir: `${FIXTURES}/named-specs/specs`, properties: FAKE_PROPERTIES, ...REAL }).catch((e: unknown) => e) as ConformanceErrors;
    expect(error.errors.map((e) => e.message)).toEqual([
      'specs/alibaba-oss/ALI-VERSION.yaml:12:5: unknown field `expect_decision`, expected one of `name`, `property`, `params`, `outcomes`, `cover`, `requires` (rule ALI-VERSION)',
    ]);
  });

  it('needs the generated rule inventory', async () => {
    const error = await loadSpecs({ specsDir: `${FIXTURES}/valid`, properties: FAKE_PROPERTIES }).catch((e: unknown) => e) as ConformanceErrors;
    expect(error.errors.map((e) => [e.code, e.message])).toEqual([
      ['CONFORMANCE_INPUT', `\`${FIXTURES}/valid/_meta/rule-ids.yaml\`: cannot read the rule inventory; run \`npm run gen:meta\``],
    ]);
  });
});
