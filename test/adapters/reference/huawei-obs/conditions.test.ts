/**
 * Conditions (OBS-CONDITIONS; vendor notes §1.6, from O1): each operator by long name and short
 * form, values OR-ed, keys and operators AND-ed, key names in any case, IP boundaries in v4 and
 * v6, and keys the request does not carry. Each case puts a policy that Allows a stranger's
 * GetObject under one Condition, and asks whether the stranger's request is allowed.
 */
import { describe, expect, it } from 'vitest';
import { decided, policyOf, prepare, req, world } from './helpers.ts';

/** Whether a stranger's GetObject with request `context` is allowed by a statement with `condition`. */
async function allows(condition: unknown, context?: Record<string, string>): Promise<boolean> {
  const policy = policyOf({ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*', Condition: condition });
  const request = req('stranger', 'GetObject', 'a.txt', context === undefined ? {} : { context });
  const o = decided(await (await prepare(world({ policy }))).observe(request));
  return o.decision === 'allow';
}

describe('string operators', () => {
  it('StringEquals (streq) is exact and case-sensitive; StringNotEquals (strneq) is its negation', async () => {
    expect(await allows({ StringEquals: { UserAgent: 'obs-sdk-js/3.26.8' } }, { UserAgent: 'obs-sdk-js/3.26.8' })).toBe(true);
    expect(await allows({ StringEquals: { UserAgent: 'obs-sdk-js/3.26.8' } }, { UserAgent: 'OBS-SDK-JS/3.26.8' })).toBe(false);
    expect(await allows({ streq: { UserAgent: 'a' } }, { UserAgent: 'a' })).toBe(true);
    expect(await allows({ StringEquals: { Referer: 'http://a/*' } }, { Referer: 'http://a/x' })).toBe(false);
    expect(await allows({ StringNotEquals: { UserAgent: ['a', 'b'] } }, { UserAgent: 'b' })).toBe(false);
    expect(await allows({ strneq: { UserAgent: ['a', 'b'] } }, { UserAgent: 'c' })).toBe(true);
  });

  it('StringEqualsIgnoreCase (streqi) and StringNotEqualsIgnoreCase (strneqi) ignore case', async () => {
    expect(await allows({ StringEqualsIgnoreCase: { UserAgent: 'Curl' } }, { UserAgent: 'CURL' })).toBe(true);
    expect(await allows({ streqi: { UserAgent: 'Curl' } }, { UserAgent: 'wget' })).toBe(false);
    expect(await allows({ StringNotEqualsIgnoreCase: { UserAgent: 'Curl' } }, { UserAgent: 'cURL' })).toBe(false);
    expect(await allows({ strneqi: { UserAgent: 'Curl' } }, { UserAgent: 'wget' })).toBe(true);
  });

  it('StringLike (strl) matches `*` and `?`, case-sensitively (O1: "Loose case-sensitive matching"); StringNotLike (strnl) negates it', async () => {
    expect(await allows({ StringLike: { Referer: 'http://storage.example.com*' } }, { Referer: 'http://storage.example.com/page' })).toBe(true);
    expect(await allows({ StringLike: { Referer: 'http://storage.example.com*' } }, { Referer: 'http://STORAGE.example.com/page' })).toBe(false);
    expect(await allows({ strl: { UserAgent: 'a?c' } }, { UserAgent: 'abc' })).toBe(true);
    expect(await allows({ strl: { UserAgent: 'a?c' } }, { UserAgent: 'ac' })).toBe(false);
    expect(await allows({ StringNotLike: { Referer: ['http://a.com*', 'http://b.com*'] } }, { Referer: 'http://b.com/x' })).toBe(false);
    expect(await allows({ strnl: { Referer: ['http://a.com*', 'http://b.com*'] } }, { Referer: 'http://c.com/x' })).toBe(true);
  });
});

describe('numeric operators (e.g. `max-keys`, `EpochTime`)', () => {
  it('compare the request number with each policy number, by long name and short form', async () => {
    const cases: Array<[string, unknown, string, boolean]> = [
      ['NumericEquals', 100, '100', true],
      ['numeq', '100', '100.0', true],
      ['NumericEquals', 100, '99', false],
      ['NumericNotEquals', 100, '99', true],
      ['numneq', 100, '100', false],
      ['NumericLessThan', 100, '99', true],
      ['numlt', 100, '100', false],
      ['NumericLessThanEquals', 100, '100', true],
      ['numlteq', 100, '101', false],
      ['NumericGreaterThan', 100, '101', true],
      ['numgt', 100, '100', false],
      ['NumericGreaterThanEquals', 100, '100', true],
      ['numgteq', 100, '99', false],
      ['NumericEquals', 100, 'a hundred', false],
    ];
    for (const [operator, value, request, expected] of cases) {
      expect(await allows({ [operator]: { 'max-keys': value } }, { 'max-keys': request }), `${operator} ${String(value)} vs ${request}`).toBe(expected);
    }
  });
});

describe('date operators (CurrentTime, "ISO 8601")', () => {
  it('compare the request time with each policy time, by long name and short form', async () => {
    const at = '2026-11-23T12:00:00Z';
    const cases: Array<[string, string, boolean]> = [
      ['DateEquals', '2026-11-23T12:00:00Z', true],
      ['dateeq', '2026-11-23T13:00:00+01:00', true],
      ['DateNotEquals', '2026-11-23T12:00:00Z', false],
      ['dateneq', '2026-11-24T12:00:00Z', true],
      ['DateLessThan', '2026-11-23T12:00:01Z', true],
      ['datelt', '2026-11-23T12:00:00Z', false],
      ['DateLessThanEquals', '2026-11-23T12:00:00Z', true],
      ['datelteq', '2026-11-23T11:59:59Z', false],
      ['DateGreaterThan', '2026-11-23T11:59:59Z', true],
      ['dategt', '2026-11-23T12:00:00Z', false],
      ['DateGreaterThanEquals', '2026-11-23T12:00:00Z', true],
      ['dategteq', '2026-11-23T12:00:01Z', false],
    ];
    for (const [operator, value, expected] of cases) {
      expect(await allows({ [operator]: { CurrentTime: value } }, { CurrentTime: at }), `${operator} ${value}`).toBe(expected);
    }
  });

  it('O1\'s example: a time range AND an IP range (cidr1 OR cidr2)', async () => {
    const condition = {
      DateGreaterThan: { CurrentTime: '2026-01-01T00:00:00Z' },
      DateLessThan: { CurrentTime: '2027-01-01T00:00:00Z' },
      IpAddress: { SourceIp: ['192.0.2.0/24', '198.51.100.0/24'] },
    };
    expect(await allows(condition, { CurrentTime: '2026-06-01T00:00:00Z', SourceIp: '198.51.100.9' })).toBe(true);
    expect(await allows(condition, { CurrentTime: '2027-06-01T00:00:00Z', SourceIp: '198.51.100.9' })).toBe(false);
    expect(await allows(condition, { CurrentTime: '2026-06-01T00:00:00Z', SourceIp: '203.0.113.9' })).toBe(false);
  });
});

describe('Bool (SecureTransport: "either true or false. Any other values you enter will become false", O1)', () => {
  it('compares truth values', async () => {
    expect(await allows({ Bool: { SecureTransport: true } }, { SecureTransport: 'true' })).toBe(true);
    expect(await allows({ Bool: { SecureTransport: 'true' } }, { SecureTransport: 'false' })).toBe(false);
    expect(await allows({ Bool: { SecureTransport: false } }, { SecureTransport: 'false' })).toBe(true);
    expect(await allows({ Bool: { SecureTransport: 'yes' } }, { SecureTransport: 'false' })).toBe(true);
  });
});

describe('IpAddress and NotIpAddress (SourceIp, "CIDR per RFC 4632", O2)', () => {
  it('includes both ends of an IPv4 block and nothing outside it', async () => {
    const c = { IpAddress: { SourceIp: '192.0.2.0/24' } };
    expect(await allows(c, { SourceIp: '192.0.2.0' })).toBe(true);
    expect(await allows(c, { SourceIp: '192.0.2.255' })).toBe(true);
    expect(await allows(c, { SourceIp: '192.0.1.255' })).toBe(false);
    expect(await allows(c, { SourceIp: '192.0.3.0' })).toBe(false);
    expect(await allows({ IpAddress: { SourceIp: '10.1.2.3' } }, { SourceIp: '10.1.2.3' })).toBe(true);
    expect(await allows({ IpAddress: { SourceIp: '10.1.2.3' } }, { SourceIp: '10.1.2.4' })).toBe(false);
    expect(await allows({ IpAddress: { SourceIp: '0.0.0.0/0' } }, { SourceIp: '255.255.255.255' })).toBe(true);
  });

  it('includes both ends of an IPv6 block; v4 and v6 never mix', async () => {
    const c = { IpAddress: { SourceIp: '2001:db8::/32' } };
    expect(await allows(c, { SourceIp: '2001:db8::' })).toBe(true);
    expect(await allows(c, { SourceIp: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff' })).toBe(true);
    expect(await allows(c, { SourceIp: '2001:db9::' })).toBe(false);
    expect(await allows(c, { SourceIp: '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff' })).toBe(false);
    expect(await allows({ IpAddress: { SourceIp: '2001:DB8::1' } }, { SourceIp: '2001:db8:0:0:0:0:0:1' })).toBe(true);
    expect(await allows(c, { SourceIp: '192.0.2.1' })).toBe(false);
    expect(await allows({ IpAddress: { SourceIp: '0.0.0.0/0' } }, { SourceIp: '::1' })).toBe(false);
  });

  it('NotIpAddress holds when the address lies in none of the blocks', async () => {
    const c = { NotIpAddress: { SourceIp: ['192.0.2.0/24', '2001:db8::/32'] } };
    expect(await allows(c, { SourceIp: '192.0.2.200' })).toBe(false);
    expect(await allows(c, { SourceIp: '2001:db8::7' })).toBe(false);
    expect(await allows(c, { SourceIp: '198.51.100.1' })).toBe(true);
    expect(await allows(c, { SourceIp: 'not-an-address' })).toBe(true);
    expect(await allows({ IpAddress: { SourceIp: '192.0.2.0/24' } }, { SourceIp: 'not-an-address' })).toBe(false);
  });
});

describe('combining and missing keys', () => {
  it('values are OR-ed, keys and operators AND-ed (O1)', async () => {
    const c = { StringEquals: { UserAgent: ['a', 'b'], Referer: 'r' }, IpAddress: { SourceIp: '192.0.2.0/24' } };
    expect(await allows(c, { UserAgent: 'b', Referer: 'r', SourceIp: '192.0.2.1' })).toBe(true);
    expect(await allows(c, { UserAgent: 'c', Referer: 'r', SourceIp: '192.0.2.1' })).toBe(false);
    expect(await allows(c, { UserAgent: 'a', Referer: 'x', SourceIp: '192.0.2.1' })).toBe(false);
    expect(await allows(c, { UserAgent: 'a', Referer: 'r', SourceIp: '10.0.0.1' })).toBe(false);
    expect(await allows({}, {})).toBe(true);
  });

  it('matches key names in any case', async () => {
    expect(await allows({ IpAddress: { sourceip: '192.0.2.0/24' } }, { SourceIp: '192.0.2.1' })).toBe(true);
    expect(await allows({ IpAddress: { SourceIp: '192.0.2.0/24' } }, { SOURCEIP: '192.0.2.1' })).toBe(true);
    expect(await allows({ StringEquals: { 'Max-Keys': '5' } }, { 'max-keys': '5' })).toBe(true);
  });

  it('a key the request does not carry fails a positive operator and satisfies a negated one (issue #4 RECOMMENDATION)', async () => {
    expect(await allows({ StringEquals: { Referer: 'r' } })).toBe(false);
    expect(await allows({ IpAddress: { SourceIp: '0.0.0.0/0' } }, { UserAgent: 'x' })).toBe(false);
    expect(await allows({ StringNotEquals: { Referer: 'r' } })).toBe(true);
    expect(await allows({ StringNotLike: { Referer: 'r*' } })).toBe(true);
    expect(await allows({ NotIpAddress: { SourceIp: '192.0.2.0/24' } })).toBe(true);
    expect(await allows({ NumericNotEquals: { 'max-keys': 5 } })).toBe(true);
    expect(await allows({ DateNotEquals: { CurrentTime: '2026-01-01T00:00:00Z' } })).toBe(true);
    expect(await allows({ NumericLessThan: { 'max-keys': 5 } })).toBe(false);
  });

  it('a Deny under a condition binds only when the condition holds (O1: "Conditions defined in a statement are not met ... default deny")', async () => {
    const policy = policyOf(
      { Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' },
      { Effect: 'Deny', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*', Condition: { NotIpAddress: { SourceIp: '192.0.2.0/24' } } },
    );
    const w = await prepare(world({ policy }));
    expect(decided(await w.observe(req('anonymous', 'GetObject', 'a', { context: { SourceIp: '192.0.2.9' } })))).toMatchObject({ decision: 'allow', explanation: { statements: [0] } });
    expect(decided(await w.observe(req('anonymous', 'GetObject', 'a', { context: { SourceIp: '203.0.113.9' } })))).toMatchObject({
      decision: 'deny', explanation: { reason: 'explicit-deny', statements: [1], rules: ['OBS-ALLOW-DENY', 'OBS-WILDCARD', 'OBS-CONDITIONS'] },
    });
  });
});
