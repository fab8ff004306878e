import { describe, expect, it } from 'vitest';
import type { Identity } from '../../generators/alibaba-oss/index.ts';
import { actionCovers, blockBounds, entryHolds, globMatches, ipIn, isWildcardPrincipal, principalCovers } from './helpers.ts';

/** The tests' own oracles, on literal examples: a wrong oracle would make every other test meaningless. */
describe('test oracles', () => {
  it('glob: `*` any run, `?` one character, everything else literal, whole string', () => {
    expect(globMatches('oss:Get*', 'oss:GetObject')).toBe(true);
    expect(globMatches('oss:*Acl', 'oss:GetObjectAcl')).toBe(true);
    expect(globMatches('oss:*Acl', 'oss:GetObjectAclX')).toBe(false);
    expect(globMatches('a?c', 'abc')).toBe(true);
    expect(globMatches('a?c', 'ac')).toBe(false);
    expect(globMatches('a.c', 'abc')).toBe(false);
    expect(globMatches('a+(b)', 'a+(b)')).toBe(true);
    expect(globMatches('GetObject', 'oss:GetObject')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('acs:oss:*:*:bucket/*', 'acs:oss:cn-hangzhou:1:bucket/a/b')).toBe(true);
    expect(globMatches('acs:oss:*:*:bucket/*', 'acs:oss:cn-hangzhou:1:bucket-2/a')).toBe(false);
    expect(actionCovers(['oss:Put*', 'oss:GetObject'], 'oss:GetObject')).toBe(true);
    expect(actionCovers('oss:Put*', 'oss:GetObject')).toBe(false);
  });

  it('principals: a wildcard spares the owner without a Condition; names match exactly or as ARN patterns', () => {
    const owner: Identity = { kind: 'owner', principal: '1000000000000001' };
    const other: Identity = { kind: 'other-account', principal: '1000000000000002' };
    const session: Identity = { kind: 'role-session', principal: 'arn:sts::1000000000000003:assumed-role/r/s', role: { account: '1000000000000003', name: 'r', session: 's' } };
    expect(principalCovers('*', owner, owner.principal, false)).toBe(false);
    expect(principalCovers([], owner, owner.principal, false)).toBe(false);
    expect(principalCovers(['*'], owner, owner.principal, true)).toBe(true);
    expect(principalCovers(['*', owner.principal], owner, owner.principal, false)).toBe(true);
    expect(principalCovers([], other, owner.principal, false)).toBe(true);
    expect(principalCovers([other.principal], other, owner.principal, false)).toBe(true);
    expect(principalCovers([owner.principal], other, owner.principal, true)).toBe(false);
    expect(principalCovers(['arn:sts::1000000000000003:assumed-role/r/*'], session, owner.principal, false)).toBe(true);
    expect(principalCovers(['arn:sts::1000000000000003:assumed-role/R/*'], session, owner.principal, false)).toBe(false);
    expect(principalCovers(['arn:sts::1000000000000003:assumed-role/r/t'], session, owner.principal, false)).toBe(false);
    expect(isWildcardPrincipal([])).toBe(true);
    expect(isWildcardPrincipal(['a', '*'])).toBe(true);
    expect(isWildcardPrincipal('a')).toBe(false);
  });

  it('conditions: any value for positive operators, none for negated ones, absent keys', () => {
    expect(entryHolds('StringEquals', 'k', ['a', 'b'], { k: 'b' })).toBe(true);
    expect(entryHolds('StringEquals', 'k', ['a'], {})).toBe(false);
    expect(entryHolds('StringNotEquals', 'k', ['a', 'b'], { k: 'b' })).toBe(false);
    expect(entryHolds('StringNotEquals', 'k', ['a'], {})).toBe(true);
    expect(entryHolds('StringLike', 'k', ['x', 'vpc-*'], { k: 'vpc-1' })).toBe(true);
    expect(entryHolds('StringNotLike', 'k', ['vpc-?'], { k: 'vpc-1' })).toBe(false);
    expect(entryHolds('StringNotLike', 'k', ['vpc-?'], { k: 'vpc-12' })).toBe(true);
    expect(entryHolds('IpAddress', 'k', ['10.0.0.0/8'], { k: '10.255.255.255' })).toBe(true);
    expect(entryHolds('IpAddress', 'k', ['10.0.0.0/8', '2001:db8::/32'], { k: '11.0.0.0' })).toBe(false);
    expect(entryHolds('NotIpAddress', 'k', ['2001:db8::1'], { k: '2001:db8::1' })).toBe(false);
    expect(entryHolds('NotIpAddress', 'k', ['2001:db8::1'], { k: '2001:db8::2' })).toBe(true);
  });

  it('IP blocks: bounds and membership', () => {
    expect(blockBounds('10.0.0.0/8')).toEqual({ family: 'ipv4', first: 0x0a000000n, last: 0x0affffffn });
    expect(blockBounds('1.2.3.4')).toEqual({ family: 'ipv4', first: 0x01020304n, last: 0x01020304n });
    expect(blockBounds('::/127')).toEqual({ family: 'ipv6', first: 0n, last: 1n });
    expect(ipIn('1.2.3.4', '1.2.3.4')).toBe(true);
    expect(ipIn('1.2.3.5', '1.2.3.4/32')).toBe(false);
    expect(ipIn('::1', '0.0.0.0/0')).toBe(false);
  });
});
