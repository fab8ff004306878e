import { describe, expect, it } from 'vitest';
import { vendorFolder } from './vendor-folder.ts';

// APS rule documents without a matrix: example worlds and requests, and the statuses of child ids.
const OWNER = 'OwnerAppQ7fK29xLqTzW8vYb3NcR7mHs1d';
const READ = 'ReadKeyAppQm4T8zPw2Xc6Vb9Nl3Kj7Hg5';

const { load, problems } = vendorFolder('aps-oss');

function rule(id: string, status: string, checks: string): string {
  const reading = status === 'doc' ? '' : 'reading: a reading\n';
  return `id: ${id}\nvendor: aps-oss\nstatus: ${status}\ntitle: t\nsource: {seed: 000_2dd483e43c313af6.txt, quote: "up to 60 keys"}\n${reading}checks:\n${checks}`;
}

const WORLD = `    world:\n      bucket: {key: sample-bucket-with-allow, owner: ${OWNER}, allow: [{authId: ${READ}, access: read}]}\n      objects: [{key: a.txt, uploadedBy: ${OWNER}}]\n`;

describe('APS example checks', () => {
  it('load worlds and requests in the model shape, with `rejected` requests', async () => {
    const text = rule('APS-READ-OWN', 'doc', `  - name: example\n${WORLD}    requests:\n      - request: {actor: ${READ}, operation: downloadObject, object: a.txt}\n        expect: deny\n      - request: {actor: ${OWNER}, operation: createBucket, payload: {bucketKey: Bad-Key, allow: [{authId: ${READ}, access: read_only}]}}\n        expect: {decision: rejected, status: 400}\n`);
    const [loaded] = await load('APS-READ-OWN.yaml', text);
    expect(loaded!.checks).toEqual([{
      kind: 'example',
      name: 'example',
      world: { vendor: 'aps-oss', bucket: { key: 'sample-bucket-with-allow', owner: OWNER, allow: [{ authId: READ, access: 'read' }] }, objects: [{ key: 'a.txt', uploadedBy: OWNER }] },
      requests: [
        { request: { actor: READ, operation: 'downloadObject', object: 'a.txt' }, expect: { decision: 'deny' } },
        { request: { actor: OWNER, operation: 'createBucket', payload: { bucketKey: 'Bad-Key', allow: [{ authId: READ, access: 'read_only' }] } }, expect: { decision: 'rejected', status: 400 } },
      ],
    }]);
  });

  it('refuse a masked client id, an unknown operation, an object operation without object, a payload elsewhere', async () => {
    const file = 'specs/aps-oss/APS-READ-OWN.yaml';
    const text = rule('APS-READ-OWN', 'doc', [
      '  - name: example',
      WORLD.trimEnd(),
      '    requests:',
      '      - request: {actor: NLelvoE39K36qcxz1nxg3S4bJuX*****HYafJfTxpZGY, operation: getBuckets}',
      '        expect: deny',
      `      - request: {actor: ${READ}, operation: download}`,
      '        expect: deny',
      `      - request: {actor: ${READ}, operation: downloadObject}`,
      '        expect: deny',
      `      - request: {actor: ${READ}, operation: getBuckets, object: a.txt, payload: {bucketKey: b}}`,
      '        expect: deny',
      '',
    ].join('\n'));
    expect(await problems('APS-READ-OWN.yaml', text)).toEqual([
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:12:26: invalid value \`NLelvoE39K36qcxz1nxg3S4bJuX*****HYafJfTxpZGY\` for \`checks[0].requests[0].request.actor\`: expected a client id: 16 to 64 letters and digits (the seed masks its example id with \`*\`; write a whole one) (rule APS-READ-OWN)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:14:73: invalid value \`download\` for \`checks[0].requests[1].request.operation\`: expected one of \`getBuckets\`, \`createBucket\`, \`getBucketDetails\`, \`getBucketObjects\`, \`deleteBucket\`, \`uploadObject\`, \`downloadObject\`, \`deleteObject\`, \`getObjectDetails\` (rule APS-READ-OWN)`,
      `CONFORMANCE_SPEC_MISSING_FIELD ${file}:16:18: missing field \`checks[0].requests[2].request.object\`: object operations name the object (rule APS-READ-OWN)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:18:93: invalid value \`a.txt\` for \`checks[0].requests[3].request.object\`: only object operations name an object (rule APS-READ-OWN)`,
      `CONFORMANCE_SPEC_INVALID_VALUE ${file}:18:109: invalid value for \`checks[0].requests[3].request.payload\`: only \`createBucket\` sends a payload (rule APS-READ-OWN)`,
    ]);
  });
});

describe('statuses of APS rule documents', () => {
  const checks = '  - name: p\n    property: fake-aps-property\n    outcomes: [deny]\n';

  it('a child of a doc-only rule may be inferred, encoding what the document does not write down', async () => {
    const rules = await load('APS-FULL-OWN.yaml', rule('APS-FULL-OWN.missing-object', 'inferred', checks));
    expect(rules.map((r) => [r.id, r.status])).toEqual([['APS-FULL-OWN.missing-object', 'inferred']]);
  });

  it('but not ambiguous, and the parent id keeps exactly the statuses of its row', async () => {
    const file = 'specs/aps-oss/APS-FULL-OWN.yaml';
    const text = `${rule('APS-FULL-OWN.missing-object', 'ambiguous', checks)}---\n${rule('APS-FULL-OWN', 'inferred', checks)}`;
    expect(await problems('APS-FULL-OWN.yaml', text)).toEqual([
      `CONFORMANCE_SPEC_STATUS_MISMATCH ${file}:3:9: status \`ambiguous\` does not match RULES.md, which gives \`APS-FULL-OWN\`: doc (a child id may also be \`inferred\`) (rule APS-FULL-OWN.missing-object)`,
      `CONFORMANCE_SPEC_STATUS_MISMATCH ${file}:14:9: status \`inferred\` does not match RULES.md, which gives \`APS-FULL-OWN\`: doc (rule APS-FULL-OWN)`,
    ]);
  });
});
