import { describe, expect, it } from 'vitest';
import { parsePolicy, type AliPolicyAst, type AliPolicyRejection } from '../../../../adapters/reference/alibaba-oss/index.ts';

const RESOURCE_PREFIX = 'acs:oss:*:*:b/'; // 14 bytes

/** Policy text of exactly `total` UTF-8 bytes, padded in several Resource values of at most 4,000 padding bytes each. */
function policyOfBytes(total: number, pad: 'a' | 'ü' = 'a'): string {
  const make = (pads: string[]) =>
    JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: ['*'], Resource: pads.map((p) => RESOURCE_PREFIX + p) }] });
  const base = Buffer.byteLength(make(['', '', '', '', '']));
  let remaining = total - base;
  const pads: string[] = [];
  for (let i = 0; i < 5; i++) {
    const take = Math.min(remaining, 4000);
    remaining -= take;
    pads.push(pad === 'a' ? 'a'.repeat(take) : 'ü'.repeat(Math.floor(take / 2)) + (take % 2 === 1 ? 'a' : ''));
  }
  if (remaining !== 0) throw new Error(`cannot build a policy of ${total} bytes`);
  return make(pads);
}

/** A valid one-statement policy whose single Resource value is `resource`. */
function withResource(resource: string): string {
  return JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: ['*'], Resource: resource }] });
}

function accepted(text: string | Uint8Array): AliPolicyAst {
  const result = parsePolicy(text);
  if (result.kind !== 'policy') throw new Error(`expected the policy to be accepted, got ${result.ec}: ${result.message}`);
  return result;
}

function rejected(text: string | Uint8Array): AliPolicyRejection {
  const result = parsePolicy(text);
  if (result.kind !== 'rejected') throw new Error('expected the policy to be rejected, it was accepted');
  return result;
}

const stmt = { Effect: 'Allow', Action: 'oss:GetObject', Principal: ['*'], Resource: 'acs:oss:*:*:b/*' };
const policy = (...statements: unknown[]) => JSON.stringify({ Version: '1', Statement: statements });

describe('ALI-LIMIT-SIZE: the whole policy is at most 16384 bytes', () => {
  it('accepts a policy of exactly 16384 bytes', () => {
    const text = policyOfBytes(16384);
    expect(Buffer.byteLength(text)).toBe(16384);
    expect(accepted(text).bytes).toBe(16384);
  });

  it('rejects a policy of 16385 bytes with EC 0030-00000001', () => {
    const text = policyOfBytes(16385);
    expect(Buffer.byteLength(text)).toBe(16385);
    expect(rejected(text)).toEqual({
      kind: 'rejected',
      status: 400,
      code: 'InvalidPolicyDocument',
      ec: '0030-00000001',
      message: 'policy is 16385 bytes long; a bucket\'s policies may be at most 16384 bytes',
      rules: ['ALI-LIMIT-SIZE'],
    });
  });

  it('counts bytes, not characters: 16385 bytes of mostly two-byte characters are rejected', () => {
    const text = policyOfBytes(16385, 'ü');
    expect(text.length).toBeLessThan(10000);
    expect(rejected(text).ec).toBe('0030-00000001');
    const fits = policyOfBytes(16384, 'ü');
    expect(accepted(fits).bytes).toBe(16384);
  });

  it('counts the bytes of a Uint8Array the same way', () => {
    const bytes = new TextEncoder().encode(policyOfBytes(16385));
    expect(bytes.byteLength).toBe(16385);
    expect(rejected(bytes).ec).toBe('0030-00000001');
    expect(accepted(new TextEncoder().encode(policyOfBytes(16384))).bytes).toBe(16384);
  });

  it('checks size before everything else', () => {
    const notJson = `{${' '.repeat(16384)}`;
    expect(rejected(notJson).ec).toBe('0030-00000001');
    const badUtf8 = new Uint8Array(16385).fill(0xff);
    expect(rejected(badUtf8).ec).toBe('0030-00000001');
    const longField = JSON.stringify({ Version: '2', Statement: [{ ...stmt, Resource: ['a'.repeat(5000), 'b'.repeat(5000), 'c'.repeat(5000), 'd'.repeat(5000)] }] });
    expect(rejected(longField).ec).toBe('0030-00000001');
  });
});

describe('ALI-LIMIT-FIELD: each string value is at most 4095 bytes', () => {
  it('accepts a 4095-byte ASCII value and rejects a 4096-byte one with EC 0030-00000003', () => {
    const ok = RESOURCE_PREFIX + 'a'.repeat(4095 - 14);
    expect(Buffer.byteLength(ok)).toBe(4095);
    expect(accepted(withResource(ok)).statements[0]?.resources).toEqual([ok]);
    const long = RESOURCE_PREFIX + 'a'.repeat(4096 - 14);
    const r = rejected(withResource(long));
    expect(r.ec).toBe('0030-00000003');
    expect(r.rules).toEqual(['ALI-LIMIT-FIELD']);
    expect(r.message).toBe('`Statement[0].Resource`: value is 4096 bytes long; a field may be at most 4095 bytes');
  });

  it('counts bytes, not characters, with two-byte characters', () => {
    // 14 ASCII bytes + 2040 x "ü" (2 bytes) + "a" = 4095 bytes in 2055 characters.
    const ok = `${RESOURCE_PREFIX}${'ü'.repeat(2040)}a`;
    expect(ok.length).toBe(2055);
    expect(Buffer.byteLength(ok)).toBe(4095);
    expect(accepted(withResource(ok)).statements[0]?.resources[0]).toBe(ok);
    const long = `${RESOURCE_PREFIX}${'ü'.repeat(2041)}`;
    expect(long.length).toBe(2055);
    expect(Buffer.byteLength(long)).toBe(4096);
    expect(rejected(withResource(long)).ec).toBe('0030-00000003');
  });

  it('applies to actions, principals, condition keys and condition values', () => {
    const v4096 = 'x'.repeat(4096);
    const v4095 = 'x'.repeat(4095);
    expect(rejected(policy({ ...stmt, Action: ['oss:GetObject', v4096] })).message).toBe('`Statement[0].Action[1]`: value is 4096 bytes long; a field may be at most 4095 bytes');
    expect(rejected(policy({ ...stmt, Principal: [v4096] })).ec).toBe('0030-00000003');
    expect(rejected(policy({ ...stmt, Condition: { StringEquals: { [v4096]: 'a' } } })).ec).toBe('0030-00000003');
    expect(rejected(policy({ ...stmt, Condition: { StringEquals: { 'acs:UserAgent': ['a', v4096] } } })).ec).toBe('0030-00000003');
    expect(accepted(policy({ ...stmt, Principal: [v4095], Condition: { StringEquals: { [v4095]: v4095 } } })).statements).toHaveLength(1);
  });
});

describe('UTF-8 (EC 0030-00000004)', () => {
  it('rejects bytes that are not UTF-8, before JSON parsing', () => {
    const good = new TextEncoder().encode(policy(stmt));
    const bad = new Uint8Array([...good.slice(0, 20), 0xc3, 0x28, ...good.slice(20)]);
    expect(rejected(bad)).toMatchObject({ ec: '0030-00000004', message: 'policy is not valid UTF-8' });
    expect(rejected(new Uint8Array([0x7b, 0xff, 0x7d])).ec).toBe('0030-00000004');
  });

  it('accepts UTF-8 bytes, multi-byte characters included', () => {
    const ast = accepted(new TextEncoder().encode(policy({ ...stmt, Resource: 'acs:oss:*:*:b/über/*' })));
    expect(ast.statements[0]?.resources).toEqual(['acs:oss:*:*:b/über/*']);
  });
});

describe('ALI-SYNTAX: JSON and top level (EC 0030-00000005)', () => {
  it.each([
    ['trailing comma', '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":["*"],"Resource":"acs:oss:*:*:b/*",}]}'],
    ['empty text', ''],
    ['truncated', '{"Version":"1","Statement":['],
    ['single quotes', "{'Version':'1'}"],
  ])('rejects malformed JSON (%s)', (_name, text) => {
    const r = rejected(text);
    expect(r.ec).toBe('0030-00000005');
    expect(r.message.startsWith('policy is not valid JSON: ')).toBe(true);
  });

  it.each([
    ['null', 'null', 'policy must be a JSON object, not null'],
    ['an array', '[]', 'policy must be a JSON object, not an array'],
    ['a string', '"x"', 'policy must be a JSON object, not a string'],
    ['an unknown top-level key', JSON.stringify({ Version: '1', Id: 'x', Statement: [stmt] }), 'unknown top-level field `Id`'],
    ['no Statement', JSON.stringify({ Version: '1' }), 'missing field `Statement`'],
    ['an empty Statement', JSON.stringify({ Version: '1', Statement: [] }), '`Statement` must not be an empty list'],
    ['a Statement object', JSON.stringify({ Version: '1', Statement: stmt }), '`Statement` must be a list of statements, not an object'],
    ['a statement that is a string', JSON.stringify({ Version: '1', Statement: ['x'] }), '`Statement[0]` must be an object, not a string'],
  ])('rejects %s', (_name, text, message) => {
    expect(rejected(text)).toMatchObject({ ec: '0030-00000005', message });
  });
});

describe('ALI-VERSION', () => {
  it('accepts the string "1"', () => {
    expect(accepted(policy(stmt)).version).toBe('1');
  });

  it('rejects "2" with EC 0030-00000002', () => {
    expect(rejected(JSON.stringify({ Version: '2', Statement: [stmt] }))).toMatchObject({ ec: '0030-00000002', rules: ['ALI-VERSION'] });
    expect(rejected(JSON.stringify({ Version: '1.0', Statement: [stmt] })).ec).toBe('0030-00000002');
    expect(rejected(JSON.stringify({ Version: '', Statement: [stmt] })).ec).toBe('0030-00000002');
  });

  it('rejects the integer 1 and a missing Version with EC 0030-00000005', () => {
    expect(rejected(JSON.stringify({ Version: 1, Statement: [stmt] }))).toMatchObject({ ec: '0030-00000005', message: '`Version` must be the string "1", not a number' });
    expect(rejected(JSON.stringify({ Statement: [stmt] }))).toMatchObject({ ec: '0030-00000005', message: 'missing field `Version`' });
  });

  it('reports the Version before problems in the statements', () => {
    expect(rejected(JSON.stringify({ Version: '2', Statement: [{ Effect: 'allow' }] })).ec).toBe('0030-00000002');
  });
});

describe('ALI-SYNTAX: statements', () => {
  it.each(['Sid', 'NotAction', 'NotResource', 'NotPrincipal', 'Comment'])('rejects the unknown statement field %s', (key) => {
    expect(rejected(policy({ ...stmt, [key]: 'x' }))).toMatchObject({ ec: '0030-00000005', message: `\`Statement[0]\`: unknown field \`${key}\`` });
  });

  it.each([
    ['lower-case allow', { ...stmt, Effect: 'allow' }, '`Statement[0].Effect` must be `Allow` or `Deny`, not `allow`'],
    ['no Effect', { Action: 'oss:GetObject', Principal: ['*'], Resource: 'r' }, '`Statement[0]`: missing field `Effect`'],
    ['no Action', { Effect: 'Allow', Principal: ['*'], Resource: 'r' }, '`Statement[0]`: missing field `Action`'],
    ['no Resource', { Effect: 'Allow', Action: 'oss:GetObject', Principal: ['*'] }, '`Statement[0]`: missing field `Resource`'],
    ['an empty Action list', { ...stmt, Action: [] }, '`Statement[0].Action` must not be an empty list'],
    ['an empty Action string', { ...stmt, Action: '' }, '`Statement[0].Action` must not be empty'],
    ['an empty Resource entry', { ...stmt, Resource: ['r', ''] }, '`Statement[0].Resource[1]` must not be empty'],
    ['a numeric Action', { ...stmt, Action: 5 }, '`Statement[0].Action` must be a string or a list of strings, not a number'],
    ['a Principal object', { ...stmt, Principal: { RAM: ['1'] } }, '`Statement[0].Principal` must be a string or a list of strings, not an object'],
    ['a Principal list with a number', { ...stmt, Principal: ['1', 2] }, '`Statement[0].Principal[1]` must be a string, not a number'],
  ])('rejects %s', (_name, statement, message) => {
    expect(rejected(policy(statement))).toMatchObject({ ec: '0030-00000005', message });
  });

  it('accepts scalars and lists for Action, Principal and Resource', () => {
    const ast = accepted(policy({ Effect: 'Deny', Action: 'oss:*', Principal: '1234', Resource: ['r1', 'r2'] }));
    expect(ast.statements).toEqual([{ index: 0, effect: 'Deny', actions: ['oss:*'], principals: ['1234'], resources: ['r1', 'r2'], conditions: undefined }]);
  });

  it('accepts Principal [] and keeps it as written', () => {
    expect(accepted(policy({ ...stmt, Principal: [] })).statements[0]?.principals).toEqual([]);
  });

  it('accepts a statement without Principal (open question 1)', () => {
    expect(accepted(policy({ Effect: 'Allow', Action: 'oss:GetObject', Resource: 'r' })).statements[0]?.principals).toBeUndefined();
  });
});

describe('ALI-SYNTAX: conditions', () => {
  it('normalises values to strings, keeping operators and keys in document order', () => {
    const ast = accepted(policy({ ...stmt, Condition: { NumericLessThan: { 'oss:max-keys': 100 }, Bool: { 'acs:SecureTransport': true }, StringLike: { 'oss:Prefix': ['a/*', 'b/*'] } } }));
    expect(ast.statements[0]?.conditions).toEqual([
      { operator: 'NumericLessThan', keys: [{ key: 'oss:max-keys', values: ['100'] }] },
      { operator: 'Bool', keys: [{ key: 'acs:SecureTransport', values: ['true'] }] },
      { operator: 'StringLike', keys: [{ key: 'oss:Prefix', values: ['a/*', 'b/*'] }] },
    ]);
  });

  it('keeps an empty Condition as an empty list', () => {
    expect(accepted(policy({ ...stmt, Condition: {} })).statements[0]?.conditions).toEqual([]);
  });

  it.each(['IpAddressIncludeBorder', 'ForAnyValue:StringEquals', 'ForAllValues:StringLike', 'StringEqualsIfExists', 'Null', 'stringequals', 'ArnLike'])(
    'rejects the unsupported operator %s',
    (operator) => {
      expect(rejected(policy({ ...stmt, Condition: { [operator]: { 'acs:SourceVpc': 'vpc-1' } } }))).toMatchObject({
        ec: '0030-00000005',
        message: `\`Statement[0].Condition\`: unknown condition operator \`${operator}\``,
      });
    },
  );

  it.each([
    ['a list', { Condition: [] }, '`Statement[0].Condition` must be an object of operators, not an array'],
    ['an operator with a list', { Condition: { StringEquals: ['a'] } }, '`Statement[0].Condition.StringEquals` must be an object of condition keys, not an array'],
    ['a null value', { Condition: { StringEquals: { k: null } } }, '`Statement[0].Condition.StringEquals.k` must be a string, a number or a boolean, not null'],
    ['a nested list', { Condition: { StringEquals: { k: [['a']] } } }, '`Statement[0].Condition.StringEquals.k[0]` must be a string, a number or a boolean, not an array'],
    ['an object value', { Condition: { StringEquals: { k: { a: 1 } } } }, '`Statement[0].Condition.StringEquals.k` must be a string, a number or a boolean, not an object'],
  ])('rejects a malformed Condition (%s)', (_name, extra, message) => {
    expect(rejected(policy({ ...stmt, ...extra }))).toMatchObject({ ec: '0030-00000005', message });
  });
});

describe('consecutive wildcards (EC 0030-00000007)', () => {
  it.each([
    ['Action', { Action: 'oss:**' }, '`Statement[0].Action`'],
    ['Principal', { Principal: ['1', 'arn:sts::1:assumed-role/r/**'] }, '`Statement[0].Principal[1]`'],
    ['Resource', { Resource: ['acs:oss:*:*:b/**'] }, '`Statement[0].Resource[0]`'],
  ])('rejects `**` in %s', (_name, extra, where) => {
    const r = rejected(policy({ ...stmt, ...extra }));
    expect(r.ec).toBe('0030-00000007');
    expect(r.message.startsWith(`${where}: value `)).toBe(true);
  });

  it('accepts single wildcards next to other characters, and `**` in condition values', () => {
    expect(accepted(policy({ ...stmt, Action: 'oss:*', Principal: ['arn:sts::*:*/*/*'], Resource: 'acs:oss:*:*:*/*' })).statements).toHaveLength(1);
    expect(accepted(policy({ ...stmt, Condition: { StringLike: { 'oss:Prefix': 'a**' } } })).statements).toHaveLength(1);
  });

  it("rejects the seed's vector example as printed, because its masked UID `20816353761158****` holds `**`", () => {
    const text = '{ "Version": "1", "Statement": [{ "Effect": "Allow", "Action": [ "oss:PutVectors", "oss:GetVectors" ], "Principal": [ "20816353761158****" ], "Resource": [ "acs:ossvector:*:*:vector-bucket-example/indextest" ] }] }';
    expect(rejected(text)).toMatchObject({ ec: '0030-00000007', message: '`Statement[0].Principal[0]`: value `20816353761158****` contains consecutive wildcards `**`' });
  });
});

describe('order of checks within statements: first problem in document order', () => {
  it('reports `**` in statement 0 before an unknown field in statement 1', () => {
    expect(rejected(policy({ ...stmt, Resource: 'a**' }, { ...stmt, Sid: 'x' })).ec).toBe('0030-00000007');
  });

  it('reports an unknown field in statement 0 before a long value in statement 1', () => {
    expect(rejected(policy({ ...stmt, Sid: 'x' }, { ...stmt, Resource: 'r'.repeat(4096) })).ec).toBe('0030-00000005');
  });

  it('reports a long value before `**` in the same value', () => {
    expect(rejected(policy({ ...stmt, Resource: `**${'r'.repeat(4096)}` })).ec).toBe('0030-00000003');
  });
});
