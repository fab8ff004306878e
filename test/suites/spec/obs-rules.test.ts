import { describe, expect, it } from 'vitest';
import { vendorFolder } from './vendor-folder.ts';

// Huawei OBS rule documents: example worlds and requests in the model's shape, and the statuses of child ids.
const OWNER = '4b1f0e9a3c7d4e2b8a6f5c0d1e2f3a4b';
const OTHER = '783fc6652cf246c096ea836694f71855';
const USER = '0a1b2c3d4e5f40718293a4b5c6d7e8f9';

const { load, problems } = vendorFolder('huawei-obs');

function rule(id: string, status: string, checks: string): string {
  const reading = status === 'doc' ? '' : 'reading: a reading\n';
  return `id: ${id}\nvendor: huawei-obs\nstatus: ${status}\ntitle: t\nsource: {seed: 003_f6f0f84604d8b85c.txt, quote: "A new policy will overwrite the existing one."}\n${reading}checks:\n${checks}`;
}

const POLICY = `{"Statement": [{"Effect": "Allow", "Principal": {"ID": ["domain/${OTHER}:user/*"]}, "Action": ["GetObject"], "Resource": "mybucket/*"}]}`;

describe('OBS example checks', () => {
  it('load worlds with a policy and an ACL, and requests with principals, context and bodies', async () => {
    const text = rule('OBS-OVERWRITE', 'doc', [
      '  - name: example',
      '    world:',
      `      bucket: {name: mybucket, owner: "${OWNER}"}`,
      `      policy: ${POLICY}`,
      `      acl: [{grantee: {account: "${OWNER}"}, permission: FULL_CONTROL}, {grantee: {group: Everyone}, permission: READ}]`,
      '    requests:',
      `      - request: {principal: {account: "${OTHER}", user: "${USER}"}, action: GetObject, object: a.txt, context: {SourceIp: 203.0.113.7}}`,
      '        expect: allow',
      `      - request: {principal: {account: "${OWNER}"}, action: PutBucketPolicy, policy: "{\\"Statement\\": ["}`,
      '        expect: {decision: rejected, status: 400, code: MalformedPolicy}',
      `      - request: {principal: {account: "${OWNER}"}, action: PutBucketAcl, acl: [{grantee: {group: Nobody}, permission: READ_WRITE}]}`,
      '        expect: rejected',
      `      - request: {principal: {account: "${OWNER}"}, action: PutBucketLogging, logging: {targetBucket: mybucket}}`,
      '        expect: allow',
      '      - request: {principal: anonymous, action: ListBucket}',
      '        expect: allow',
      '      - request: {principal: log-delivery, action: GetBucketAcl}',
      '        expect: deny',
      '',
    ].join('\n'));
    const [loaded] = await load('OBS-OVERWRITE.yaml', text);
    expect(loaded!.checks).toEqual([{
      kind: 'example',
      name: 'example',
      world: {
        vendor: 'huawei-obs',
        bucket: { name: 'mybucket', owner: OWNER },
        policy: JSON.parse(POLICY),
        acl: [{ grantee: { account: OWNER }, permission: 'FULL_CONTROL' }, { grantee: { group: 'Everyone' }, permission: 'READ' }],
      },
      requests: [
        { request: { principal: { account: OTHER, user: USER }, action: 'GetObject', object: 'a.txt', context: { SourceIp: '203.0.113.7' } }, expect: { decision: 'allow' } },
        { request: { principal: { account: OWNER }, action: 'PutBucketPolicy', policy: '{"Statement": [' }, expect: { decision: 'rejected', status: 400, code: 'MalformedPolicy' } },
        { request: { principal: { account: OWNER }, action: 'PutBucketAcl', acl: [{ grantee: { group: 'Nobody' }, permission: 'READ_WRITE' }] }, expect: { decision: 'rejected' } },
        { request: { principal: { account: OWNER }, action: 'PutBucketLogging', logging: { targetBucket: 'mybucket' } }, expect: { decision: 'allow' } },
        { request: { principal: 'anonymous', action: 'ListBucket' }, expect: { decision: 'allow' } },
        { request: { principal: 'log-delivery', action: 'GetBucketAcl' }, expect: { decision: 'deny' } },
      ],
    }]);
  });

  it('refuse masked ids, unknown principals and actions, objects and bodies where they do not belong', async () => {
    const file = 'specs/huawei-obs/OBS-OVERWRITE.yaml';
    const text = rule('OBS-OVERWRITE', 'doc', [
      '  - name: example',
      '    world:',
      '      bucket: {name: MyBucket, owner: "783fc6652cf246c096ea8366947xxxxx", region: cn-north-4}',
      `      acl: [{grantee: {account: "${OTHER}", group: Everyone}, permission: READ}, {grantee: {account: "${OTHER}"}}]`,
      '    requests:',
      `      - request: {principal: "${OTHER}", action: oss:GetObject}`,
      '        expect: deny',
      `      - request: {principal: {account: "${OTHER}"}, action: GetObject}`,
      '        expect: deny',
      `      - request: {principal: {account: "${OTHER}"}, action: ListBucket, object: a.txt, policy: {Statement: []}}`,
      '        expect: deny',
      `      - request: {principal: {account: "${OWNER}"}, action: PutBucketPolicy}`,
      '        expect: deny',
      `      - request: {principal: {user: "${USER}"}, action: PutBucketAcl, logging: {targetBucket: mybucket}}`,
      '        expect: deny',
      '',
    ].join('\n'));
    const actions = '`ListBucket`, `ListBucketVersions`, `HeadBucket`, `ListBucketMultipartUploads`, `PutObject`, `DeleteObject`, `DeleteObjectVersion`, `GetBucketAcl`, `PutBucketAcl`, `PutBucketPolicy`, `GetBucketPolicy`, `DeleteBucketPolicy`, `GetObject`, `GetObjectAcl`, `PutObjectAcl`, `GetBucketLocation`, `GetBucketLogging`, `PutBucketLogging`, `GetBucketVersioning`, `PutBucketVersioning`';
    expect(await problems('OBS-OVERWRITE.yaml', text)).toEqual([
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:9:22: invalid value \`MyBucket\` for \`checks[0].world.bucket.name\`: expected a bucket name: 3 to 63 lower-case letters, digits, hyphens and periods (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:9:39: invalid value \`"783fc6652cf246c096ea8366947xxxxx"\` for \`checks[0].world.bucket.owner\`: expected an account id: 32 lower-case hex digits, as seed 003 writes them (\`783fc6652cf246c096ea836694f71855\`); quote it in YAML (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_UNKNOWN_FIELD ${file}:9:75: unknown field \`region\`, expected one of \`name\`, \`owner\` (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:10:23: invalid value for \`checks[0].world.acl[0].grantee\`: expected a grantee \`{account: <id>}\` or \`{group: <name>}\` (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_MISSING_FIELD ${file}:10:106: missing field \`checks[0].world.acl[1].permission\` (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:12:30: invalid value \`"${OTHER}"\` for \`checks[0].requests[0].request.principal\`: expected \`{account: <id>}\`, \`{account: <id>, user: <user>}\`, \`anonymous\` or \`log-delivery\` (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:12:74: invalid value \`oss:GetObject\` for \`checks[0].requests[0].request.action\`: expected one of ${actions} (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_MISSING_FIELD ${file}:14:18: missing field \`checks[0].requests[1].request.object\`: object actions name the object (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:16:105: invalid value \`a.txt\` for \`checks[0].requests[2].request.object\`: only object actions name an object (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:16:120: invalid value for \`checks[0].requests[2].request.policy\`: only \`PutBucketPolicy\` sends \`policy\` (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_MISSING_FIELD ${file}:18:18: missing field \`checks[0].requests[3].request.policy\`: \`PutBucketPolicy\` sends a \`policy\` (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_MISSING_FIELD ${file}:20:18: missing field \`checks[0].requests[4].request.acl\`: \`PutBucketAcl\` sends an \`acl\` (the whole new ACL) (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_MISSING_FIELD ${file}:20:30: missing field \`checks[0].requests[4].request.principal.account\` (rule OBS-OVERWRITE)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:20:105: invalid value for \`checks[0].requests[4].request.logging\`: only \`PutBucketLogging\` sends \`logging\` (rule OBS-OVERWRITE)`,
    ]);
  });

  it('a world expected to be rejected takes no requests, as for the other vendors', async () => {
    const text = rule('OBS-OVERWRITE', 'doc', [
      '  - name: an invalid ACL',
      `    world: {bucket: {name: mybucket, owner: "${OWNER}"}, acl: [{grantee: {group: Everyone}, permission: read}]}`,
      '    expectWorld: {decision: rejected, status: 400, code: MalformedACLError}',
      '',
    ].join('\n'));
    const [loaded] = await load('OBS-OVERWRITE.yaml', text);
    expect(loaded!.checks).toEqual([{
      kind: 'example',
      name: 'an invalid ACL',
      world: { vendor: 'huawei-obs', bucket: { name: 'mybucket', owner: OWNER }, acl: [{ grantee: { group: 'Everyone' }, permission: 'read' }] },
      expectWorld: { decision: 'rejected', status: 400, code: 'MalformedACLError' },
      requests: [],
    }]);
  });
});

describe('OBS child ids', () => {
  const check = `  - name: c\n    world: {bucket: {name: mybucket, owner: "${OWNER}"}}\n    requests:\n      - request: {principal: anonymous, action: ListBucket}\n        expect: deny\n`;

  it('take the statuses RULES.md allows: a child of a doc row inferred, of a doc/ambiguous row ambiguous', async () => {
    expect((await load('OBS-WILDCARD.yaml', rule('OBS-WILDCARD.action-case', 'inferred', check))).map((r) => r.status)).toEqual(['inferred']);
    expect((await load('OBS-ACL-REGISTERED.yaml', rule('OBS-ACL-REGISTERED.iam-users', 'ambiguous', check))).map((r) => r.status)).toEqual(['ambiguous']);
  });

  it('refuse `ambiguous` for a child of a doc-only row', async () => {
    expect(await problems('OBS-WILDCARD.yaml', rule('OBS-WILDCARD.action-case', 'ambiguous', check))).toEqual([
      'CONFORMANCE_SPEC_STATUS_MISMATCH specs/huawei-obs/OBS-WILDCARD.yaml:3:9: status `ambiguous` does not match RULES.md, which gives `OBS-WILDCARD`: doc (a child id may also be `inferred`) (rule OBS-WILDCARD.action-case)',
    ]);
  });
});
