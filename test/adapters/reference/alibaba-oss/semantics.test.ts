/**
 * The semantics seam: each deliberately faulty evaluator is built by overriding ONE entry, and
 * each changes a specific decision that the documented semantics get right.
 */
import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  createAliEvaluator,
  DOCUMENTED_SEMANTICS,
  type AliSemantics,
} from '../../../../adapters/reference/alibaba-oss/index.ts';
import type { AliBucket, AliRequest } from '../../../../model/alibaba-oss/types.ts';
import { decide, policyOf, SEED_BUCKET } from './helpers.ts';

const OWNER = SEED_BUCKET.owner;
const OTHER = '1111111111111111';
const OBJECTS = 'acs:oss:*:*:example-bucket/*';

/** The decision on `request` with the documented semantics and with one overridden entry. */
function both(policy: unknown, request: AliRequest, fault: Partial<AliSemantics>, bucket: AliBucket = SEED_BUCKET): [string, string] {
  return [decide(policy, request, bucket).decision, decide(policy, request, bucket, fault).decision];
}

describe('createAliEvaluator', () => {
  it('uses the documented semantics when nothing is overridden', () => {
    expect(createAliEvaluator().semantics).toBe(DOCUMENTED_SEMANTICS);
    expect(createAliEvaluator({ combine: undefined }).semantics).toBe(DOCUMENTED_SEMANTICS);
  });

  it('replaces exactly the overridden entry', () => {
    const combine = () => 'allow' as const;
    const s = createAliEvaluator({ combine }).semantics;
    expect(s.combine).toBe(combine);
    expect(s.inCidr).toBe(DOCUMENTED_SEMANTICS.inCidr);
    expect(s.ownerExemptFromWildcard).toBe(DOCUMENTED_SEMANTICS.ownerExemptFromWildcard);
  });
});

describe('faults expressible by one override', () => {
  it('Allow beats Deny (combine)', () => {
    const p = policyOf(
      { Effect: 'Allow', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS },
      { Effect: 'Deny', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS },
    );
    const allowFirst: Partial<AliSemantics> = { combine: (deny, allow) => (allow ? 'allow' : deny ? 'deny' : 'none') };
    expect(both(p, { principal: OTHER, action: 'oss:GetObject', object: 'a' }, allowFirst)).toEqual(['deny', 'allow']);
  });

  it('owner exempt from a `*` + Condition Deny (ownerExemptFromWildcard)', () => {
    // Scenario 7: the owner reading from outside the VPC.
    const p = policyOf({
      Effect: 'Deny', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
      Condition: { StringNotEquals: { 'acs:SourceVpc': ['vpc-t4nlw426y44rd3iq4xxxx'] } },
    });
    const fault = { ownerExemptFromWildcard: () => true };
    expect(both(p, { principal: OWNER, action: 'oss:GetObject', object: 'a', context: { 'acs:SourceVpc': 'vpc-other' } }, fault)).toEqual(['deny', 'allow']);
    // The fault does not touch other principals.
    expect(both(p, { principal: OTHER, action: 'oss:GetObject', object: 'a', context: { 'acs:SourceVpc': 'vpc-other' } }, fault)).toEqual(['deny', 'deny']);
  });

  describe('CIDR matching off by one (inCidr)', () => {
    const p = policyOf({ Effect: 'Allow', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS, Condition: { IpAddress: { 'acs:SourceIp': ['10.1.2.0/24', '2001:db8::/32'] } } });
    const from = (ip: string): AliRequest => ({ principal: OTHER, action: 'oss:GetObject', object: 'a', context: { 'acs:SourceIp': ip } });
    const missesFirst: Partial<AliSemantics> = { inCidr: (a, b) => a.version === b.version && a.value > b.first && a.value <= b.last };
    const missesLast: Partial<AliSemantics> = { inCidr: (a, b) => a.version === b.version && a.value >= b.first && a.value < b.last };
    const oneBefore: Partial<AliSemantics> = {
      inCidr: (a, b) => (a.version === 4 && b.version === 4 ? a.value >= b.first - 1 && a.value <= b.last : DOCUMENTED_SEMANTICS.inCidr(a, b)),
    };
    const oneAfter: Partial<AliSemantics> = {
      inCidr: (a, b) => (a.version === 6 && b.version === 6 ? a.value >= b.first && a.value <= b.last + 1n : DOCUMENTED_SEMANTICS.inCidr(a, b)),
    };

    it('excluding the first address denies it', () => {
      expect(both(p, from('10.1.2.0'), missesFirst)).toEqual(['allow', 'deny']);
      expect(both(p, from('2001:db8::'), missesFirst)).toEqual(['allow', 'deny']);
    });

    it('excluding the last address denies it', () => {
      expect(both(p, from('10.1.2.255'), missesLast)).toEqual(['allow', 'deny']);
      expect(both(p, from('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'), missesLast)).toEqual(['allow', 'deny']);
    });

    it('including the address before or after the block allows it', () => {
      expect(both(p, from('10.1.1.255'), oneBefore)).toEqual(['deny', 'allow']);
      expect(both(p, from('2001:db9::'), oneAfter)).toEqual(['deny', 'allow']);
    });
  });

  it('`[]` treated as no principal (normalizePrincipals)', () => {
    const p = policyOf({ Effect: 'Allow', Action: 'oss:GetObject', Principal: [], Resource: OBJECTS });
    const fault = { normalizePrincipals: (list: readonly string[]) => list };
    expect(both(p, { principal: 'anonymous', action: 'oss:GetObject', object: 'a' }, fault)).toEqual(['allow', 'deny']);
  });

  it('resource matched without the bucket-name boundary (compileResourcePattern)', () => {
    const p = policyOf({ Effect: 'Allow', Action: 'oss:GetObject', Principal: [OTHER], Resource: 'acs:oss:*:*:example-bucket/*' });
    // A prefix match on everything before the first `/`, as a naive implementation might do.
    const prefix = { compileResourcePattern: (pattern: string) => compilePattern(`${pattern.split('/')[0] ?? pattern}*`) };
    const neighbour: AliBucket = { name: 'example-bucket2', owner: OWNER };
    expect(both(p, { principal: OTHER, action: 'oss:GetObject', object: 'a' }, prefix, neighbour)).toEqual(['deny', 'allow']);
  });

  it('condition block combined with OR (conditionBlockHolds)', () => {
    // Scenario 9's second statement: in the VPC but inside the CIDR block.
    const p = policyOf({
      Effect: 'Deny', Action: ['oss:GetObject'], Principal: ['*'], Resource: [OBJECTS],
      Condition: { StringEquals: { 'acs:SourceVpc': ['vpc-t4nlw426y44rd3iq4xxxx'] }, NotIpAddress: { 'acs:SourceIp': ['192.168.0.0/16'] } },
    });
    const anyOf: Partial<AliSemantics> = { conditionBlockHolds: (checks, scope) => checks.some((c) => c.holds(scope)) };
    const request: AliRequest = { principal: OWNER, action: 'oss:GetObject', object: 'a', context: { 'acs:SourceVpc': 'vpc-t4nlw426y44rd3iq4xxxx', 'acs:SourceIp': '192.168.1.1' } };
    expect(both(p, request, anyOf)).toEqual(['allow', 'deny']);
  });

  it('missing key never satisfying a condition (missingKeyHolds)', () => {
    // Scenario 6: a public-network request of the owner.
    const p = policyOf({
      Effect: 'Deny', Action: 'oss:*', Principal: ['*'], Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*', 'acs:oss:*:174649585760xxxx:example-bucket'],
      Condition: { StringNotLike: { 'acs:SourceVpc': ['vpc-*'] } },
    });
    expect(both(p, { principal: OWNER, action: 'oss:GetObject', object: 'a' }, { missingKeyHolds: () => false })).toEqual(['deny', 'allow']);
  });
});
