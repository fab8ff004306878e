/**
 * The PutBucketPolicy validator: what the vendor notes §1 accept, and what they refuse with 400
 * MalformedPolicy (or EntityTooLarge above 20 KB, §4 and §9).
 */
import { describe, expect, it } from 'vitest';
import { parseObsPolicy, type ObsPolicyAst, type ObsPolicyRejection } from '../../../../adapters/reference/huawei-obs/index.ts';
import { OBS_MAX_POLICY_BYTES } from '../../../../model/huawei-obs/types.ts';
import { ACCOUNT_1, ACCOUNT_2 } from './helpers.ts';

/** Seed 003's example policy, verbatim. */
const SEED_EXAMPLE = `{ 
  "Statement" : [ 
     { 
      "Effect":"Allow", 
      "Sid":"1",  
      "Principal" : { 
        "ID":["domain/783fc6652cf246c096ea836694f71855:user/*",
        "domain/219d520ceac84c5a98b237431a2cf4c2:user/*"] 
      }, 
      "Action":["GetObject"], 
      "Resource":"mybucket/*" 
     } 
  ]  
}`;

const OK = { Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' };

function parsed(value: unknown): ObsPolicyAst {
  const p = parseObsPolicy(typeof value === 'string' ? value : JSON.stringify(value));
  if (p.kind !== 'policy') throw new Error(`expected a policy, got ${JSON.stringify(p)}`);
  return p;
}

function refused(value: unknown): ObsPolicyRejection {
  const p = parseObsPolicy(typeof value === 'string' ? value : JSON.stringify(value));
  if (p.kind !== 'rejected') throw new Error(`expected a rejection of ${JSON.stringify(value)}`);
  return p;
}

/** A compact policy of exactly `bytes` UTF-8 bytes (the Sid is padded). */
function policyOfSize(bytes: number): string {
  const base = JSON.stringify({ Statement: [{ ...OK, Sid: '' }] });
  const text = JSON.stringify({ Statement: [{ ...OK, Sid: 'x'.repeat(bytes - base.length) }] });
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe('parseObsPolicy: accepted policies', () => {
  it('parses seed 003\'s example verbatim (OBS-SYNTAX, OBS-EXAMPLE)', () => {
    const p = parsed(SEED_EXAMPLE);
    expect(p.statements).toHaveLength(1);
    expect(p.statements[0]).toEqual({
      index: 0,
      sid: '1',
      effect: 'Allow',
      principal: { not: false, ids: [{ kind: 'account-users', account: ACCOUNT_1 }, { kind: 'account-users', account: ACCOUNT_2 }] },
      action: { not: false, patterns: ['GetObject'] },
      resource: { not: false, patterns: ['mybucket/*'] },
    });
    expect(p.bytes).toBe(Buffer.byteLength(SEED_EXAMPLE));
  });

  it('reads every documented Principal form (vendor notes §1.3)', () => {
    const ids = ['*', 'domain/d1:user/*', 'domain/d2', 'domain/d3:root', 'domain/d4:user/Alice', 'domain/d5:agency/ops'];
    const p = parsed({ Statement: [{ ...OK, Principal: { ID: ids, Federated: 'domain/d6:identity-provider/idp', Service: 'obs' } }] });
    expect(p.statements[0]!.principal.ids).toEqual([
      { kind: 'everyone' },
      { kind: 'account-users', account: 'd1' },
      { kind: 'account', account: 'd2' },
      { kind: 'account', account: 'd3' },
      { kind: 'user', account: 'd4', user: 'Alice' },
      { kind: 'unmatched', text: 'domain/d5:agency/ops' },
      { kind: 'unmatched', text: 'domain/d6:identity-provider/idp' },
      { kind: 'unmatched', text: 'obs' },
    ]);
    // The three spellings of everyone (§1.3: "samples use all three spellings").
    for (const principal of ['*', { ID: '*' }, { ID: ['*'] }]) expect(parsed({ Statement: [{ ...OK, Principal: principal }] }).statements[0]!.principal.ids).toEqual([{ kind: 'everyone' }]);
  });

  it('accepts the Not- forms, Version and Id, scalar or list Action and Resource (O1, O7, O9)', () => {
    const p = parsed({ Version: '2008-10-17', Id: 'p1', Statement: [{ Effect: 'Deny', NotPrincipal: { ID: ['domain/d:root'] }, NotAction: ['List*', 'Get*'], NotResource: 'mybucket' }] });
    expect(p).toMatchObject({ version: '2008-10-17', id: 'p1' });
    expect(p.statements[0]).toMatchObject({ effect: 'Deny', principal: { not: true }, action: { not: true, patterns: ['List*', 'Get*'] }, resource: { not: true, patterns: ['mybucket'] } });
  });

  it('accepts the operators by long name and short form, numbers and booleans as values, and keeps the last of identical keys (O1)', () => {
    const p = parsed({ Statement: [{ ...OK, Condition: { streq: { UserAgent: 'a' }, NumericLessThan: { 'max-keys': 100 }, Bool: { SecureTransport: true }, IpAddress: { SourceIp: ['10.0.0.0/8', '192.0.2.1'], sourceip: '203.0.113.0/24' } } }] });
    expect(p.statements[0]!.conditions).toEqual([
      { operator: 'StringEquals', written: 'streq', keys: [{ key: 'UserAgent', values: ['a'] }] },
      { operator: 'NumericLessThan', written: 'NumericLessThan', keys: [{ key: 'max-keys', values: ['100'] }] },
      { operator: 'Bool', written: 'Bool', keys: [{ key: 'SecureTransport', values: ['true'] }] },
      // "If a condition operator corresponds to multiple identical keys, only the last key is retained"; key names are case-insensitive.
      { operator: 'IpAddress', written: 'IpAddress', keys: [{ key: 'sourceip', values: ['203.0.113.0/24'] }] },
    ]);
  });

  it('accepts a policy of exactly 20 KB = 20480 bytes (003: "cannot exceed 20 KB")', () => {
    expect(OBS_MAX_POLICY_BYTES).toBe(20480);
    expect(parseObsPolicy(policyOfSize(20480)).kind).toBe('policy');
    // Multi-byte characters count as UTF-8 bytes.
    const wide = policyOfSize(20480 - 2).replace('"Sid":"x', '"Sid":"é');
    expect(Buffer.byteLength(wide)).toBe(20479);
    expect(parseObsPolicy(wide).kind).toBe('policy');
    expect(parseObsPolicy(new TextEncoder().encode(policyOfSize(20480))).kind).toBe('policy');
  });
});

describe('parseObsPolicy: refused policies', () => {
  it('refuses 20481 bytes with 400 EntityTooLarge (OBS-LIMIT-SIZE; vendor notes §9: EntityTooLarge is "The size of the bucket configurations exceeds 20 KB")', () => {
    expect(refused(policyOfSize(20481))).toEqual({ kind: 'rejected', status: 400, code: 'EntityTooLarge', message: 'policy is 20481 bytes long; a bucket policy may be at most 20480 bytes', rules: ['OBS-LIMIT-SIZE'] });
    // Size comes first: an oversized text that is not even JSON is still too large.
    expect(refused(`{${' '.repeat(20480)}`).code).toBe('EntityTooLarge');
    expect(parseObsPolicy(policyOfSize(200), { maxBytes: 199 })).toMatchObject({ code: 'EntityTooLarge' });
  });

  const MALFORMED: Array<[string, unknown, string]> = [
    ['not JSON', '{"Statement": [', 'policy is not valid JSON'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'policy is not valid UTF-8'],
    ['a JSON array', [OK], 'policy must be a JSON object, not an array'],
    ['no Statement', { Version: '2008-10-17' }, 'missing field `Statement`'],
    ['an empty Statement', { Statement: [] }, '`Statement` must not be an empty list'],
    ['a Statement object', { Statement: OK }, '`Statement` must be a list of statements, not an object'],
    ['an unknown top-level field', { Statement: [OK], Owner: 'x' }, 'unknown top-level field `Owner`'],
    ['a numeric Version', { Version: 1, Statement: [OK] }, '`Version` must be a string, not a number'],
    ['an unknown statement field', { Statement: [{ ...OK, Effects: 'Allow' }] }, '`Statement[0]`: unknown field `Effects`'],
    ['no Effect', { Statement: [{ Principal: '*', Action: 'GetObject', Resource: 'b/*' }] }, '`Statement[0]`: missing field `Effect`'],
    ['Effect `allow`', { Statement: [{ ...OK, Effect: 'allow' }] }, '`Statement[0].Effect` must be `Allow` or `Deny`, not `allow`'],
    ['no Principal', { Statement: [{ Effect: 'Allow', Action: 'GetObject', Resource: 'b/*' }] }, '`Statement[0]`: missing field `Principal` (or `NotPrincipal`)'],
    ['Principal and NotPrincipal', { Statement: [{ ...OK, NotPrincipal: '*' }] }, '`Statement[0]`: give `Principal` or `NotPrincipal`, not both'],
    ['no Action', { Statement: [{ Effect: 'Allow', Principal: '*', Resource: 'b/*' }] }, '`Statement[0]`: missing field `Action` (or `NotAction`)'],
    ['Action and NotAction', { Statement: [{ ...OK, NotAction: 'PutObject' }] }, 'give `Action` or `NotAction`, not both'],
    ['no Resource', { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'GetObject' }] }, '`Statement[0]`: missing field `Resource` (or `NotResource`)'],
    ['an empty Action list', { Statement: [{ ...OK, Action: [] }] }, '`Statement[0].Action` must not be an empty list'],
    ['an empty Resource', { Statement: [{ ...OK, Resource: '' }] }, '`Statement[0].Resource` must not be empty'],
    ['a numeric Action', { Statement: [{ ...OK, Action: ['GetObject', 7] }] }, '`Statement[0].Action[1]` must be a string, not a number'],
    ['a Principal string other than `*`', { Statement: [{ ...OK, Principal: 'domain/d:user/*' }] }, '`Statement[0].Principal` must be `"*"` or an object'],
    ['an empty Principal object', { Statement: [{ ...OK, Principal: {} }] }, '`Statement[0].Principal` names no principal'],
    ['an unknown principal type', { Statement: [{ ...OK, Principal: { AWS: '*' } }] }, 'unknown principal type `AWS`'],
    ['an ID that is no principal', { Statement: [{ ...OK, Principal: { ID: ['domain/d:user/*', 'alice'] } }] }, '`Statement[0].Principal.ID[1]`: `alice` is not a principal'],
    ['an ID user left empty', { Statement: [{ ...OK, Principal: { ID: 'domain/d:user/' } }] }, '`Statement[0].Principal.ID`: `domain/d:user/` is not a principal'],
    ['a numeric Sid', { Statement: [{ ...OK, Sid: 1 }] }, '`Statement[0].Sid` must be a string, not a number'],
    ['a Condition list', { Statement: [{ ...OK, Condition: [] }] }, '`Statement[0].Condition` must be an object of operators, not an array'],
    ['an unknown operator', { Statement: [{ ...OK, Condition: { StringEqualz: { UserAgent: 'a' } } }] }, 'unknown condition operator `StringEqualz`'],
    ['an operator in the wrong case', { Statement: [{ ...OK, Condition: { stringequals: { UserAgent: 'a' } } }] }, 'unknown condition operator `stringequals`'],
    ['a null condition value', { Statement: [{ ...OK, Condition: { StringEquals: { UserAgent: null } } }] }, '`Statement[0].Condition.StringEquals.UserAgent` must be a string, a number or a boolean, not null'],
    ['an empty list of condition values', { Statement: [{ ...OK, Condition: { StringEquals: { UserAgent: [] } } }] }, 'must not be an empty list'],
    ['a second statement without Effect', { Statement: [OK, { Principal: '*', Action: 'GetObject', Resource: 'b/*' }] }, '`Statement[1]`: missing field `Effect`'],
  ];

  it.each(MALFORMED)('refuses %s with 400 MalformedPolicy (OBS-SYNTAX; vendor notes §4: "MalformedPolicy 400 The bucket policy does not pass")', (_name, value, message) => {
    const text = typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value);
    const p = parseObsPolicy(text);
    expect(p).toMatchObject({ kind: 'rejected', status: 400, code: 'MalformedPolicy', rules: ['OBS-SYNTAX'] });
    expect((p as ObsPolicyRejection).message).toContain(message);
  });

  it('never throws, whatever it is given', () => {
    for (const text of ['', 'null', '1', '"x"', '{}', '[]', '{"Statement": [null]}', '{"Statement": [{"Effect": "Allow", "Principal": {"ID": 5}, "Action": "a", "Resource": "b"}]}']) {
      expect(parseObsPolicy(text).kind).toBe('rejected');
    }
  });
});
