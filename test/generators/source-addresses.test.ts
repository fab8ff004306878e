/**
 * Generation for a target that cannot send a request from any source address, nor every action
 * (issue #7): with `sourceAddresses`, every request of every Alibaba OSS and Huawei OBS property
 * comes from the target's blocks and the IP conditions built around it still match and miss at
 * every position; with `actions`, requests use only those actions, and a property that cannot
 * build a case says so (TargetLacks); without either, the same seed gives the same cases as
 * before the fields existed. The checks here use ipaddr.js and the specs, never the generators'
 * own address arithmetic.
 */
import * as fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { addressIn } from '../../generators/alibaba-oss/ip.ts';
import type { ConformanceCase } from '../../model/case.ts';
import type { SpecTables } from '../../model/rule.ts';
import type { Request, World } from '../../model/world.ts';
import { isTargetLacks } from '../../suites/properties/types.ts';
import type { PropertyEnv } from '../../suites/properties/types.ts';
import { digest, envFor, propertyUses, requestsOf, sampleCases, sourceOf, type PropertyUse } from './property-samples.ts';

/**
 * Digests of `sampleCases(use, env, 4242, 30)` for every property check of the Alibaba and OBS
 * specs, with the reference target's env (every capability, no sourceAddresses, no actions),
 * computed from the code before these fields were honoured.
 */
const BEFORE: Readonly<Record<string, string>> = {
  'alibaba-oss ALI-ACTION-WILDCARD an action pattern matches exactly the actions its wildcard covers': '6708429f04d12035',
  'alibaba-oss ALI-COND-AND a statement applies only when all of its conditions hold': '333e8b1886d69d46',
  'alibaba-oss ALI-COND-IP address conditions match single addresses and CIDR blocks': '436492719c47d3b1',
  'alibaba-oss ALI-COND-MISSING-KEY an absent key fails positive operators and satisfies negated ones': '1bffcd211cfce1ac',
  'alibaba-oss ALI-COND-STRING string operators match as documented': '353db676f4c4e5b1',
  'alibaba-oss ALI-COND-VALUES value lists are OR for positive operators and NOR for negated ones': '88084c927ff2d3ee',
  'alibaba-oss ALI-DENY-FIRST a request matched by a Deny is denied whatever Allows match it': 'f82c0bd78f25fbbc',
  'alibaba-oss ALI-EMPTY-PRINCIPAL replacing ["*"] by [] changes no decision': '75a2cdbe23c65df9',
  'alibaba-oss ALI-IMPLICIT requests no statement matches are denied for non-owners and allowed for the owner': 'ca37cbdaad8e1087',
  'alibaba-oss ALI-LIMIT-FIELD values up to 4095 bytes are accepted, longer ones rejected': 'a42eb3bacaab2191',
  'alibaba-oss ALI-LIMIT-FIELD.error-code values over 4095 bytes are rejected with EC 0030-00000003': '2dfff54aae2a6d80',
  'alibaba-oss ALI-LIMIT-SIZE policies up to 16384 bytes are accepted, larger ones rejected': '19ee59bf065044df',
  'alibaba-oss ALI-LIMIT-SIZE.error-code policies over 16384 bytes are rejected with EC 0030-00000001': '25971e8e6ef5ed65',
  'alibaba-oss ALI-PRINCIPAL-STS role-session principals match by role and session, case-sensitively': 'f8c489d35924cf16',
  'alibaba-oss ALI-RESOURCE the bucket form covers bucket-level actions only, the object form object actions only': '20ae62ad7f00f08d',
  'alibaba-oss ALI-SYNTAX a string and the one-item list give the same decisions': '55bcd97e6e6cdfcd',
  'alibaba-oss ALI-UNION a request allowed by any one statement is allowed, unless a Deny matches': 'a7801eb9138e2624',
  'alibaba-oss ALI-VECTOR vector-index resources and actions match as documented': 'e0c7cb3c195825de',
  'alibaba-oss ALI-VERSION.rejection Version "1" is accepted, other strings are rejected with EC 0030-00000002': 'c2b79e880fc4d065',
  'alibaba-oss ALI-VERSION.rejection Version "1" is accepted, non-string values are rejected with a 4xx': '89f7071dc2b2749f',
  'alibaba-oss ALI-WILDCARD-COND-OWNER a "*" statement with a Condition decides for the owner as for everyone else': '334cc0338148de4f',
  'alibaba-oss ALI-WILDCARD-OWNER a "*" statement without Condition decides for non-owners and never for the owner': 'e7f103515e37e9df',
  'alibaba-oss X-DENY-MONOTONE adding a Deny turns no denied request into an allowed one': 'c91ad6b5143d8808',
  'alibaba-oss X-DENY-MONOTONE adding an Allow turns no allowed request into a denied one': 'd710c350767df2ae',
  'alibaba-oss X-FORMAT reformatting and reordering members changes no decision': '21414cc577503a33',
  'alibaba-oss X-ORDER permuting statements changes no decision': 'fabd6abd80032479',
  'alibaba-oss X-SPLIT one statement per list item changes no decision': '57f383cefc3acf6e',
  'alibaba-oss X-UNRELATED adding statements about other buckets or principals changes no decision': 'd466b71a5ce73d97',
  'huawei-obs OBS-ACL-ACP READ_ACP and WRITE_ACP grants allow exactly reading and changing the ACL': 'a193bbec1b1468c2',
  'huawei-obs OBS-ACL-ANONYMOUS a grant to Everyone reaches every principal, for the actions of its permission': 'ce954d8ca1e878eb',
  'huawei-obs OBS-ACL-GRANTEES a grant covers exactly the principals of its grantee': 'fde76b6c7bdc082b',
  'huawei-obs OBS-ACL-OVERWRITE after any sequence of puts, requests are decided by the last ACL put alone': '6a88577520cb05ec',
  'huawei-obs OBS-ACL-OWNER-ACP in long sequences of ACL changes the owner keeps reading and changing the ACL': '6a88577520cb05ec',
  'huawei-obs OBS-ACL-OWNER-DATA in long sequences of ACL changes the owner lists and uploads only while the ACL grants it': '6a88577520cb05ec',
  'huawei-obs OBS-ACL-READ a READ grant allows exactly the listing and metadata actions to its grantee': 'b0d38328a19b3c06',
  'huawei-obs OBS-ACL-REGISTERED a grant to AuthenticatedUsers reaches authenticated accounts, not anonymous callers or the log delivery service': '69131cf37c6745bd',
  'huawei-obs OBS-ACL-REGISTERED.iam-users a grant to AuthenticatedUsers reaches accounts only': '611413ef1beb805a',
  'huawei-obs OBS-ACL-WRITE a WRITE grant allows exactly uploads and deletes to its grantee': 'df6a0f7390cf2cef',
  'huawei-obs OBS-ALLOW-DENY an Allow or a Deny of a bucket\'s or its objects\' resources decides where it applies, and nowhere else': 'dc2f28ad60662749',
  'huawei-obs OBS-ALLOW-DENY.over-acl an ACL grant with a policy Deny of the same request, or with an unrelated statement': '515752459019ed6a',
  'huawei-obs OBS-ALLOW-DENY.precedence Allow and Deny both applying, in either order, deny': '997908c548d4401e',
  'huawei-obs OBS-CONDITIONS a statement applies exactly when its condition holds': 'fbbd396b13103910',
  'huawei-obs OBS-CONDITIONS IpAddress and NotIpAddress on v4 and v6 addresses and blocks': '251c23bde3e01f83',
  'huawei-obs OBS-CONDITIONS the string operators on a request key': 'a4784cd663878a1d',
  'huawei-obs OBS-CONDITIONS.stringlike-case StringLike and StringNotLike patterns against values in another case': '0e108842dcd2f4af',
  'huawei-obs OBS-GET-DELETE after any sequence of puts and deletes, a get finds a policy exactly when one is in force': 'f5fff88e24622dbe',
  'huawei-obs OBS-GET-DELETE.error gets in long sequences find a policy (200) or NoSuchBucketPolicy (404)': 'f5fff88e24622dbe',
  'huawei-obs OBS-LIMIT-SIZE policies up to 20480 bytes are accepted, larger ones rejected': '1f33fac6639466ed',
  'huawei-obs OBS-LIMIT-SIZE.error-code policies over 20480 bytes are rejected with 400 EntityTooLarge': '9ddeb3e6e069cdd0',
  'huawei-obs OBS-OVERWRITE after any sequence of puts, requests are decided by the last policy put alone': 'f5fff88e24622dbe',
  'huawei-obs OBS-OWNER-MANAGES non-owners are refused the policy operations whatever the policy Allows, the owner is not': 'd002a9ce7fe854a8',
  'huawei-obs OBS-OWNER-MANAGES in long sequences only the owner\'s policy operations take effect': 'f5fff88e24622dbe',
  'huawei-obs OBS-SYNTAX a statement built to apply decides by its effect, one that misses on an element does not apply': '703346e85024efe0',
  'huawei-obs OBS-SYNTAX.principal-forms each Principal form names exactly the principals it is read to name': '05c38ce0ff2aefa5',
  'huawei-obs OBS-WILDCARD a Resource pattern names exactly the objects (or the bucket) its wildcard covers': 'bb86137ec94fd269',
  'huawei-obs OBS-WILDCARD an Action pattern names exactly the actions its wildcard covers': '2143adf311585dde',
  'huawei-obs OBS-WILDCARD.action-case action names and patterns in another case match as in their own': 'e8a8bb295598bf36',
  'huawei-obs OBS-WILDCARD.resource-case a Resource that differs from the bucket or key only in one letter\'s case names neither': '480a78572f5be033',
  'huawei-obs X-DENY-MONOTONE adding a Deny turns no denied request into an allowed one': '3473a66a75bbe755',
  'huawei-obs X-DENY-MONOTONE adding an Allow turns no allowed request into a denied one': 'a3937c08992b27dc',
  'huawei-obs X-FORMAT reformatting and reordering members changes no decision': '019eab7f74f14e26',
  'huawei-obs X-ORDER permuting statements changes no decision': 'db5c1e5c3931cd8d',
  'huawei-obs X-ORDER permuting ACL grants changes no decision': '90950309f24e2b43',
  'huawei-obs X-SPLIT one statement per list item changes no decision': 'a57de1175a2c0ef6',
  'huawei-obs X-UNRELATED adding statements about other buckets or principals changes no decision': 'd2b6392165748557',
};

/** Properties whose requests carry no context (bucket ACL cases and sequences): no source address by construction. */
const NO_CONTEXT = new Set(['obs-acl-grant', 'obs-acl-order', 'obs-policy-acl', 'obs-acl-sequence', 'obs-policy-sequence']);

let uses: PropertyUse[];
let tables: SpecTables;

beforeAll(async () => {
  ({ uses, tables } = await propertyUses());
});

function keyOf(use: PropertyUse): string {
  return `${use.rule.vendor} ${use.rule.id} ${use.check.name}`;
}

/** Every request of `numRuns` cases of a property check, with the cases. */
async function sampled(use: PropertyUse, env: PropertyEnv, numRuns = 40, seed = 99): Promise<{ cases: ConformanceCase[]; requests: Request[] }> {
  const cases = sampleCases(use, env, seed, numRuns);
  const requests: Request[] = [];
  for (const c of cases) requests.push(...(await requestsOf(c)));
  return { cases, requests };
}

function inBlock(address: string, cidr: string): boolean {
  const a = ipaddr.parse(address);
  const [range, bits] = ipaddr.parseCIDR(cidr);
  return a.kind() === range.kind() && a.match(range, bits);
}

describe('without sourceAddresses or actions', () => {
  it('every Alibaba and OBS property check gives, for the same seed, exactly the cases it gave before', () => {
    const now: Record<string, string> = {};
    for (const use of uses) now[keyOf(use)] = digest(sampleCases(use, envFor(use, tables), 4242, 30));
    expect(Object.keys(now).sort()).toEqual(Object.keys(BEFORE).sort());
    expect(now).toEqual(BEFORE);
  });
});

/** The IP condition of a one-statement case, and whether it holds for the request's address (ipaddr.js, not the generators). */
function ipCondition(world: World, request: Request): { effect: string; holds: boolean; address: string } {
  const policy = (world as { policy?: { Statement: Array<{ Effect: string; Condition?: Record<string, Record<string, string | string[]>> }> } }).policy!;
  const statements = policy.Statement.filter((s) => s.Condition && ('IpAddress' in s.Condition || 'NotIpAddress' in s.Condition));
  expect(statements).toHaveLength(1);
  const statement = statements[0]!;
  const address = sourceOf(request)!;
  let holds = true;
  for (const [operator, byKey] of Object.entries(statement.Condition!)) {
    for (const values of Object.values(byKey)) {
      const list = Array.isArray(values) ? values : [values];
      const inside = list.some((v) => (v.includes('/') ? inBlock(address, v) : ipaddr.parse(v).toNormalizedString() === ipaddr.parse(address).toNormalizedString()));
      holds &&= operator === 'IpAddress' ? inside : !inside;
    }
  }
  return { effect: statement.Effect, holds, address };
}

/** Samples the IP-condition checks (ALI-COND-IP's condition-ip, OBS-CONDITIONS' obs-condition-ip) for `env` and counts what they reach. */
function ipConditionStatistics(env: (use: PropertyUse) => PropertyEnv, numRuns: number) {
  const ipUses = uses.filter((u) => u.check.property === 'condition-ip' || u.check.property === 'obs-condition-ip');
  expect(ipUses.map((u) => u.rule.vendor).sort()).toEqual(['alibaba-oss', 'huawei-obs']);
  const counts = new Map<string, Map<string, number>>();
  const addresses: string[] = [];
  for (const use of ipUses) {
    const tally = new Map<string, number>();
    const lines: string[] = [];
    for (const c of sampleCases(use, env(use), 5, numRuns)) {
      if (c.kind !== 'expect') throw new Error('condition-ip cases are expectation cases');
      const request = c.requests[0]!;
      const { effect, holds, address } = ipCondition(c.world, request.request);
      addresses.push(address);
      // The statement decides alone: an Allow allows exactly when it holds, a Deny denies exactly when it holds.
      const expected = effect === 'Allow' ? (holds ? 'allow' : 'deny') : holds ? 'deny' : 'allow';
      expect(request.expect.decision, JSON.stringify(c)).toBe(expected);
      const position = c.labels?.['position'] ?? '?';
      for (const key of [`outcome ${expected}`, `condition ${holds ? 'matches' : 'does not match'}`, `position ${position}`, `operator ${c.labels?.['operator']}`]) tally.set(key, (tally.get(key) ?? 0) + 1);
      lines.push(`${expected} / ${holds ? 'match' : 'no match'} / ${position}`);
    }
    // The distribution of the sampled cases, as fast-check prints it.
    const printed: string[] = [];
    fc.statistics(fc.constantFrom(...lines), (l) => l, { numRuns: lines.length, logger: (s) => printed.push(s) });
    console.log(`${keyOf(use)}, ${numRuns} cases:\n${printed.join('\n')}`);
    counts.set(use.rule.vendor, tally);
  }
  return { counts, addresses };
}

describe('sourceAddresses {v4: 127.0.0.0/8} (the emulator over loopback)', () => {
  const space = { v4: '127.0.0.0/8' };

  it('every request of every Alibaba and OBS property comes from 127.0.0.0/8, none from IPv6', async () => {
    let total = 0;
    for (const use of uses) {
      const { requests } = await sampled(use, envFor(use, tables, { sourceAddresses: space }));
      const addresses = requests.map(sourceOf).filter((a): a is string => a !== undefined);
      total += addresses.length;
      if (NO_CONTEXT.has(use.check.property)) expect(addresses, keyOf(use)).toEqual([]);
      else expect(addresses.length, `${keyOf(use)}: requests with a source address`).toBeGreaterThan(0);
      for (const a of addresses) {
        expect(ipaddr.parse(a).kind(), `${keyOf(use)}: ${a}`).toBe('ipv4');
        expect(inBlock(a, '127.0.0.0/8'), `${keyOf(use)}: ${a}`).toBe(true);
        // Not the block's network or broadcast address, which a socket cannot send from.
        expect(['127.0.0.0', '127.255.255.255'], keyOf(use)).not.toContain(a);
      }
    }
    expect(total).toBeGreaterThan(1000);
  });

  it('IP conditions built around those addresses still match and miss, at every position', () => {
    const { counts, addresses } = ipConditionStatistics((use) => envFor(use, tables, { sourceAddresses: space }), 400);
    for (const a of addresses) expect(inBlock(a, '127.0.0.0/8')).toBe(true);
    // Many addresses, not a handful.
    expect(new Set(addresses).size).toBeGreaterThan(300);
    const ali = counts.get('alibaba-oss')!;
    const obs = counts.get('huawei-obs')!;
    for (const tally of [ali, obs]) {
      for (const key of ['outcome allow', 'outcome deny', 'condition matches', 'condition does not match', 'operator IpAddress', 'operator NotIpAddress']) {
        expect(tally.get(key) ?? 0, key).toBeGreaterThan(20);
      }
    }
    for (const p of ['first', 'last', 'interior', 'before', 'after', 'elsewhere']) expect(ali.get(`position ${p}`) ?? 0, `alibaba position ${p}`).toBeGreaterThan(5);
    for (const p of ['first', 'last', 'inside', 'before', 'after']) expect(obs.get(`position ${p}`) ?? 0, `obs position ${p}`).toBeGreaterThan(5);
  });
});

describe('sourceAddresses {v4: 198.51.100.7/32} (a real endpoint that sees one address)', () => {
  const space = { v4: '198.51.100.7/32' };

  it('every request of every Alibaba and OBS property comes from 198.51.100.7', async () => {
    const seen = new Set<string>();
    let n = 0;
    for (const use of uses) {
      const { requests } = await sampled(use, envFor(use, tables, { sourceAddresses: space }), 25);
      for (const a of requests.map(sourceOf)) {
        if (a === undefined) continue;
        seen.add(a);
        n++;
      }
    }
    expect(n).toBeGreaterThan(500);
    expect([...seen]).toEqual(['198.51.100.7']);
  });

  it('IP conditions around the one address still match and miss: blocks that contain it, blocks that do not', () => {
    const { counts } = ipConditionStatistics((use) => envFor(use, tables, { sourceAddresses: space }), 300);
    for (const tally of counts.values()) {
      for (const key of ['outcome allow', 'outcome deny', 'condition matches', 'condition does not match']) expect(tally.get(key) ?? 0, key).toBeGreaterThan(20);
      // 198.51.100.7 ends in three one bits: it is the last address of the /29 to /31 blocks around it, and just before or after others.
      for (const p of ['last', 'before', 'after']) expect(tally.get(`position ${p}`) ?? 0, p).toBeGreaterThan(5);
    }
    expect(counts.get('alibaba-oss')!.get('position elsewhere') ?? 0).toBeGreaterThan(5);
  });
});

describe('addressIn', () => {
  it('draws from every block of the space and from nowhere else', () => {
    const space = { v4: '10.20.0.0/16', v6: '2001:db8:5::/48' };
    const values = fc.sample(addressIn(space), { seed: 3, numRuns: 500 });
    const v4 = values.filter((a) => ipaddr.parse(a).kind() === 'ipv4');
    const v6 = values.filter((a) => ipaddr.parse(a).kind() === 'ipv6');
    expect(v4.length).toBeGreaterThan(100);
    expect(v6.length).toBeGreaterThan(100);
    for (const a of v4) expect(inBlock(a, space.v4), a).toBe(true);
    for (const a of v6) expect(inBlock(a, space.v6), a).toBe(true);
    for (const a of fc.sample(addressIn(space, 'v6'), { seed: 4, numRuns: 100 })) expect(inBlock(a, space.v6), a).toBe(true);
  });

  it('often ends in runs of zero or one bits (so that blocks can start or end at the address), never on the block\'s network or broadcast address', () => {
    const values = fc.sample(addressIn({ v4: '127.0.0.0/8' }), { seed: 11, numRuns: 1000 });
    const low = (a: string) => ipaddr.parse(a).toByteArray()[3]!;
    expect(values.filter((a) => low(a) % 16 === 0).length).toBeGreaterThan(100);
    expect(values.filter((a) => low(a) % 16 === 15).length).toBeGreaterThan(100);
    expect(values).not.toContain('127.0.0.0');
    expect(values).not.toContain('127.255.255.255');
  });

  it('same seed, same addresses; a block of one address gives only it', () => {
    const space = { v4: '192.0.2.0/24' };
    expect(fc.sample(addressIn(space), { seed: 8, numRuns: 50 })).toEqual(fc.sample(addressIn(space), { seed: 8, numRuns: 50 }));
    expect(new Set(fc.sample(addressIn({ v4: '203.0.113.7/32' }), { seed: 1, numRuns: 50 }))).toEqual(new Set(['203.0.113.7']));
  });

  it('refuses a block that is not CIDR, and a family the space has no block for', () => {
    expect(() => addressIn({ v4: '300.1.2.3/8' })).toThrow(/source address space: `300.1.2.3\/8` is not a CIDR block/);
    expect(() => addressIn({ v4: '2001:db8::/32' })).toThrow(/is not an IPv4 block/);
    expect(() => addressIn({ v4: '127.0.0.0/8' }, 'v6')).toThrow(/has no v6 block/);
  });
});

/** Samples every property check of `vendor` for a target that can be sent only `actions`: the actions requested, and the checks that cannot build a case. */
async function withActions(vendor: string, actions: ReadonlySet<string>) {
  const lacking = new Map<string, string>();
  const requested = new Set<string>();
  for (const use of uses.filter((u) => u.rule.vendor === vendor)) {
    let result: { cases: ConformanceCase[]; requests: Request[] };
    try {
      result = await sampled(use, envFor(use, tables, { actions }), 30);
    } catch (error) {
      if (!isTargetLacks(error)) throw error;
      lacking.set(`${use.rule.id} ${use.check.property}`, error.lacks);
      continue;
    }
    expect(result.cases.length, keyOf(use)).toBe(30);
    for (const r of result.requests) requested.add((r as { action: string }).action);
  }
  return { lacking, requested };
}

describe('actions: a target that can be sent some actions only', () => {
  it('Alibaba: only oss:GetObject, oss:PutObject and oss:ListObjects are requested; vector-resource cannot build a case', async () => {
    const actions = new Set(['oss:GetObject', 'oss:PutObject', 'oss:ListObjects']);
    const { lacking, requested } = await withActions('alibaba-oss', actions);
    expect([...requested].sort()).toEqual([...actions].sort());
    expect([...lacking.keys()]).toEqual(['ALI-VECTOR vector-resource']);
    expect(lacking.get('ALI-VECTOR vector-resource')).toMatch(/^the actions oss:\w+(, oss:\w+)* \(the check needs one of them\)$/);
  });

  it('Alibaba: allow-union needs two actions', async () => {
    const { lacking } = await withActions('alibaba-oss', new Set(['oss:GetObject']));
    expect(lacking.get('ALI-UNION allow-union')).toMatch(/\(the check needs 2 of them\)$/);
  });

  it('OBS: only GetObject, PutObject and ListBucket are requested; the policy APIs and ACL replacement cannot be checked', async () => {
    const actions = new Set(['GetObject', 'PutObject', 'ListBucket']);
    const { lacking, requested } = await withActions('huawei-obs', actions);
    expect([...requested].sort()).toEqual([...actions].sort());
    expect(Object.fromEntries(lacking)).toEqual({
      // The ACP grants decide GetBucketAcl and PutBucketAcl only.
      'OBS-ACL-ACP obs-acl-grant': 'the actions GetBucketAcl, PutBucketAcl (the check needs one of them)',
      'OBS-ACL-OVERWRITE obs-acl-sequence': 'the action PutBucketAcl',
      'OBS-ACL-OWNER-ACP obs-acl-sequence': 'the action PutBucketAcl',
      'OBS-ACL-OWNER-DATA obs-acl-sequence': 'the action PutBucketAcl',
      'OBS-OWNER-MANAGES obs-owner-manages': 'the actions PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy (the check needs one of them)',
      'OBS-GET-DELETE obs-policy-sequence': 'the action PutBucketPolicy',
      'OBS-GET-DELETE.error obs-policy-sequence': 'the action PutBucketPolicy',
      'OBS-OVERWRITE obs-policy-sequence': 'the action PutBucketPolicy',
      'OBS-OWNER-MANAGES obs-policy-sequence': 'the action PutBucketPolicy',
    });
  });

  it('OBS: names compare ignoring case, as OBS action names do', async () => {
    const { requested } = await withActions('huawei-obs', new Set(['getobject', 'PUTOBJECT', 'ListBucket', 'PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'GetBucketAcl']));
    expect([...requested].sort()).toEqual(['DeleteBucketPolicy', 'GetBucketAcl', 'GetBucketPolicy', 'GetObject', 'ListBucket', 'PutBucketAcl', 'PutBucketPolicy', 'PutObject']);
  });
});
