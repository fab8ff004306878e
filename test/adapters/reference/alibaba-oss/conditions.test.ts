import { describe, expect, it } from 'vitest';
import {
  ConditionScope,
  DOCUMENTED_SEMANTICS,
  explainCondition,
  parseAddress,
  parseCidrBlock,
  type AliConditionOperator,
} from '../../../../adapters/reference/alibaba-oss/index.ts';
import ipaddr from 'ipaddr.js';
import { compileConditionCheck, parseIPv4, parseIPv6, parseIsoDate, parseNumber } from '../../../../adapters/reference/alibaba-oss/conditions.ts';

/** Whether `operator` on `key` with `values` holds for a request whose context is `context`. */
function holds(operator: AliConditionOperator, values: string[], context: Record<string, string> | undefined, key = 'k'): boolean {
  return compileConditionCheck(operator, key, values, DOCUMENTED_SEMANTICS).holds(new ConditionScope(context));
}

describe('string operators', () => {
  it('StringEquals is exact and case-sensitive; `*` is a literal (open question 13)', () => {
    expect(holds('StringEquals', ['private'], { k: 'private' })).toBe(true);
    expect(holds('StringEquals', ['private'], { k: 'Private' })).toBe(false);
    expect(holds('StringEquals', ['Development/*'], { k: 'Development/a.txt' })).toBe(false);
    expect(holds('StringEquals', ['Development/*'], { k: 'Development/*' })).toBe(true);
    expect(holds('StringEquals', ['a', 'b', 'c'], { k: 'c' })).toBe(true);
  });

  it('StringEqualsIgnoreCase ignores case; StringNotEqualsIgnoreCase is its NOR', () => {
    expect(holds('StringEqualsIgnoreCase', ['PRIVATE'], { k: 'private' })).toBe(true);
    expect(holds('StringEqualsIgnoreCase', ['private'], { k: 'public-read' })).toBe(false);
    expect(holds('StringNotEqualsIgnoreCase', ['PRIVATE', 'default'], { k: 'Default' })).toBe(false);
    expect(holds('StringNotEqualsIgnoreCase', ['PRIVATE', 'default'], { k: 'public-read' })).toBe(true);
  });

  it('StringLike is case-sensitive with `*` and `?`', () => {
    expect(holds('StringLike', ['vpc-*'], { k: 'vpc-t4nlw426y44rd3iq4xxxx' })).toBe(true);
    expect(holds('StringLike', ['vpc-*'], { k: 'VPC-1' })).toBe(false);
    expect(holds('StringLike', ['TMP.*', 'STS.*'], { k: 'STS.abc' })).toBe(true);
    expect(holds('StringLike', ['a?c'], { k: 'abc' })).toBe(true);
    expect(holds('StringLike', ['a?c'], { k: 'ac' })).toBe(false);
    expect(holds('StringLike', ['*'], { k: '' })).toBe(true);
  });

  it('negated string operators hold when no value matches (NOR)', () => {
    expect(holds('StringNotEquals', ['private', 'default'], { k: 'private' })).toBe(false);
    expect(holds('StringNotEquals', ['private', 'default'], { k: 'default' })).toBe(false);
    expect(holds('StringNotEquals', ['private', 'default'], { k: 'public-read' })).toBe(true);
    expect(holds('StringNotLike', ['TMP.*', 'STS.*'], { k: 'TMP.x' })).toBe(false);
    expect(holds('StringNotLike', ['TMP.*', 'STS.*'], { k: 'LTAI5t' })).toBe(true);
  });
});

describe('numeric operators', () => {
  it('compares the request number with each policy number', () => {
    expect(holds('NumericEquals', ['10'], { k: '10.0' })).toBe(true);
    expect(holds('NumericEquals', ['10'], { k: '11' })).toBe(false);
    expect(holds('NumericNotEquals', ['10', '11'], { k: '11' })).toBe(false);
    expect(holds('NumericNotEquals', ['10', '11'], { k: '12' })).toBe(true);
    expect(holds('NumericLessThan', ['100'], { k: '99' })).toBe(true);
    expect(holds('NumericLessThan', ['100'], { k: '100' })).toBe(false);
    expect(holds('NumericLessThanEquals', ['100'], { k: '100' })).toBe(true);
    expect(holds('NumericGreaterThan', ['100'], { k: '100' })).toBe(false);
    expect(holds('NumericGreaterThan', ['100'], { k: '100.5' })).toBe(true);
    expect(holds('NumericGreaterThanEquals', ['100'], { k: '100' })).toBe(true);
    expect(holds('NumericGreaterThanEquals', ['100'], { k: '-1e3' })).toBe(false);
  });

  it('does not match request or policy values that are not numbers', () => {
    expect(holds('NumericEquals', ['0'], { k: '' })).toBe(false);
    expect(holds('NumericEquals', ['16'], { k: '0x10' })).toBe(false);
    expect(holds('NumericLessThan', ['abc'], { k: '1' })).toBe(false);
    expect(holds('NumericNotEquals', ['5'], { k: 'five' })).toBe(true);
    expect(parseNumber(' 1')).toBeNaN();
    expect(parseNumber('.5')).toBe(0.5);
  });
});

describe('date operators (ISO 8601)', () => {
  it('compares instants, time zones included', () => {
    expect(holds('DateLessThan', ['2012-11-11T23:59:59Z'], { k: '2012-11-11T23:59:58Z' })).toBe(true);
    expect(holds('DateLessThan', ['2012-11-11T23:59:59Z'], { k: '2012-11-11T23:59:59Z' })).toBe(false);
    expect(holds('DateLessThanEquals', ['2012-11-11T23:59:59Z'], { k: '2012-11-11T23:59:59Z' })).toBe(true);
    expect(holds('DateEquals', ['2012-11-11T23:59:59Z'], { k: '2012-11-12T07:59:59+08:00' })).toBe(true);
    expect(holds('DateNotEquals', ['2012-11-11T23:59:59Z'], { k: '2012-11-12T07:59:59+08:00' })).toBe(false);
    expect(holds('DateGreaterThan', ['2012-11-11'], { k: '2012-11-11T00:00:01Z' })).toBe(true);
    expect(holds('DateGreaterThanEquals', ['2012-11-11T00:00:00Z'], { k: '2012-11-10T23:59:59.999Z' })).toBe(false);
  });

  it('does not match values that are not ISO 8601', () => {
    expect(holds('DateLessThan', ['2030-01-01T00:00:00Z'], { k: 'yesterday' })).toBe(false);
    expect(holds('DateLessThan', ['2030-01-01T00:00:00Z'], { k: '1700000000' })).toBe(false);
    expect(parseIsoDate('2012-11-11T23:59:59')).toBeNaN();
    expect(parseIsoDate('2012-11-11T23:59:59Z')).toBe(1352678399000);
  });
});

describe('Bool', () => {
  it('matches "true" and "false" only', () => {
    expect(holds('Bool', ['true'], { k: 'true' })).toBe(true);
    expect(holds('Bool', ['true'], { k: 'false' })).toBe(false);
    expect(holds('Bool', ['false'], { k: 'FALSE' })).toBe(true);
    expect(holds('Bool', ['true'], { k: 'yes' })).toBe(false);
    expect(holds('Bool', ['HTTPS'], { k: 'HTTPS' })).toBe(false);
  });
});

describe('IP addresses', () => {
  it('parses dotted quads strictly', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('255.255.255.255')).toBe(4294967295);
    expect(parseIPv4('10.1.2.3')).toBe(167838211);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', '1.2.3.4 ', '0x7f.0.0.1', '1.2.3.-4', '']) {
      expect(parseIPv4(bad)).toBeNull();
    }
  });

  it('parses IPv6, and keeps IPv4-mapped addresses as IPv6', () => {
    expect(parseAddress('2001:db8::1')).toEqual({ version: 6, value: 0x20010db8000000000000000000000001n });
    expect(parseAddress('::ffff:10.0.0.1')?.version).toBe(6);
    expect(parseAddress('not-an-ip')).toBeNull();
    expect(parseAddress('10.0.0.1/8')).toBeNull();
  });

  it('parses IPv6 exactly as ipaddr.js does', () => {
    const valid = [
      '::', '::1', '1::', '2001:db8::1', '2001:DB8:0:0:8:800:200C:417A', 'ff01::101', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8',
      '1::8', '1:2::7:8', '::ffff:10.0.0.1', '1:2:3:4:5:6:1.2.3.4', '64:ff9b::192.0.2.33', 'fe80::1%eth0', '0:0:0:0:0:0:0:0',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ];
    for (const text of valid) {
      expect(ipaddr.IPv6.isValid(text)).toBe(true);
      const bytes = ipaddr.IPv6.parse(text).toByteArray();
      expect(parseIPv6(text)).toBe(bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n));
    }
    // ipaddr.js reads the IPv4-compatible form as IPv4-mapped (::ffff:1.2.3.4); RFC 4291 does not.
    expect(parseIPv6('::1.2.3.4')).toBe(0x01020304n);
    expect(parseCidrBlock('::1.2.3.4/128')).toMatchObject({ first: 0x01020304n, last: 0x01020304n });
    const invalid = [
      '', ':', ':::', '1:2', '1:', ':1', '1:::2', '::1::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '12345::', 'g::1', '::1.2.3', '::1.2.3.256',
      '1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '1.2.3.4::', 'fe80::1%', '%eth0',
    ];
    for (const text of invalid) {
      expect(parseIPv6(text)).toBeNull();
      expect(ipaddr.IPv6.isValid(text)).toBe(false);
    }
  });

  it('parses CIDR blocks and single addresses, ignoring host bits', () => {
    expect(parseCidrBlock('192.168.0.0/16')).toEqual({ version: 4, first: 3232235520, last: 3232301055, prefix: 16, text: '192.168.0.0/16' });
    expect(parseCidrBlock('10.1.2.77/24')).toMatchObject({ first: 167838208, last: 167838463 });
    expect(parseCidrBlock('203.0.113.5')).toMatchObject({ version: 4, first: 3405803781, last: 3405803781, prefix: 32 });
    expect(parseCidrBlock('0.0.0.0/0')).toMatchObject({ first: 0, last: 4294967295 });
    expect(parseCidrBlock('2001:db8::/32')).toMatchObject({ version: 6, first: 0x20010db8n << 96n, last: (0x20010db8n << 96n) | ((1n << 96n) - 1n), prefix: 32 });
    expect(parseCidrBlock('::/0')).toMatchObject({ first: 0n, last: (1n << 128n) - 1n });
    for (const bad of ['101.***.***.100', '10.0.0.0/33', '10.0.0/8', '2001:db8::/129', '*', '']) expect(parseCidrBlock(bad)).toBeNull();
  });

  it('IpAddress holds for an address inside a block, both ends included; NotIpAddress is its NOR', () => {
    const blocks = ['10.1.2.0/24', '2001:db8::/126'];
    expect(holds('IpAddress', blocks, { k: '10.1.2.0' })).toBe(true);
    expect(holds('IpAddress', blocks, { k: '10.1.2.255' })).toBe(true);
    expect(holds('IpAddress', blocks, { k: '10.1.1.255' })).toBe(false);
    expect(holds('IpAddress', blocks, { k: '10.1.3.0' })).toBe(false);
    expect(holds('IpAddress', blocks, { k: '2001:db8::3' })).toBe(true);
    expect(holds('IpAddress', blocks, { k: '2001:db8::4' })).toBe(false);
    expect(holds('NotIpAddress', blocks, { k: '10.1.2.9' })).toBe(false);
    expect(holds('NotIpAddress', blocks, { k: '10.9.9.9' })).toBe(true);
  });

  it('never matches an address that does not parse, or a policy value that does not parse', () => {
    expect(holds('IpAddress', ['0.0.0.0/0'], { k: 'garbage' })).toBe(false);
    expect(holds('NotIpAddress', ['0.0.0.0/0'], { k: 'garbage' })).toBe(true);
    expect(holds('IpAddress', ['101.***.***.100'], { k: '101.1.1.100' })).toBe(false);
  });

  it('parses the request address once per scope', () => {
    const scope = new ConditionScope({ 'acs:SourceIp': '2001:db8::1' });
    const first = scope.address('2001:db8::1');
    expect(first).not.toBeNull();
    expect(scope.address('2001:db8::1')).toBe(first);
  });
});

describe('missing keys (ALI-COND-MISSING-KEY)', () => {
  it.each(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'NumericEquals', 'DateLessThan', 'Bool', 'IpAddress'] as const)(
    'the positive operator %s does not hold',
    (operator) => {
      expect(holds(operator, ['1'], { other: '1' })).toBe(false);
      expect(holds(operator, ['1'], undefined)).toBe(false);
    },
  );

  it.each(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress'] as const)(
    'the negated operator %s holds',
    (operator) => {
      expect(holds(operator, ['1'], { other: '1' })).toBe(true);
      expect(holds(operator, ['1'], undefined)).toBe(true);
    },
  );

  it('does not read inherited object members as request values', () => {
    expect(holds('StringLike', ['*'], {}, 'toString')).toBe(false);
    expect(holds('StringLike', ['*'], {}, '__proto__')).toBe(false);
  });
});

describe('explainCondition', () => {
  it('says which value matched and whether the condition held', () => {
    const check = compileConditionCheck('StringNotEquals', 'acs:SourceVpc', ['vpc-a', 'vpc-b'], DOCUMENTED_SEMANTICS);
    expect(explainCondition(check, { 'acs:SourceVpc': 'vpc-c' })).toEqual({
      matched: true,
      why: 'StringNotEquals `acs:SourceVpc`: request value `vpc-c` matches none of [`vpc-a`, `vpc-b`], so the condition holds',
    });
    expect(explainCondition(check, { 'acs:SourceVpc': 'vpc-b' })).toEqual({
      matched: false,
      why: 'StringNotEquals `acs:SourceVpc`: request value `vpc-b` matches one of [`vpc-a`, `vpc-b`], so the condition does not hold',
    });
    expect(explainCondition(check, undefined)).toEqual({
      matched: true,
      why: 'StringNotEquals `acs:SourceVpc`: the request has no `acs:SourceVpc`, so the negated operator holds',
    });
  });
});
