import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, requestResource } from '../../../../adapters/reference/alibaba-oss/index.ts';
import type { AliBucket, AliRequest } from '../../../../model/alibaba-oss/types.ts';
import { decide, decideAll, policyOf, SEED_BUCKET, worldOf } from './helpers.ts';

const OWNER = SEED_BUCKET.owner;
const OTHER = '1111111111111111';
const OBJECTS = 'acs:oss:*:*:example-bucket/*';
const BUCKET = 'acs:oss:*:*:example-bucket';

const get = (principal: string, context?: Record<string, string>): AliRequest => ({ principal, action: 'oss:GetObject', object: 'a.txt', ...(context ? { context } : {}) });
const decision = (policy: unknown, request: AliRequest, bucket?: AliBucket) => decide(policy, request, bucket).decision;

describe('combination (ALI-DENY-FIRST, ALI-UNION)', () => {
  const allow = { Effect: 'Allow', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS };
  const deny = { Effect: 'Deny', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS };

  it('lets a Deny win over an Allow in either order, naming every applicable Deny', () => {
    expect(decide(policyOf(allow, deny), get(OTHER))).toEqual({
      decision: 'deny', status: 403, code: 'AccessDenied', ec: '0003-00000101',
      explanation: { rules: ['ALI-DENY-FIRST'], statements: [1], reason: 'explicit-deny' },
    });
    expect(decide(policyOf(deny, allow, deny), get(OTHER)).explanation.statements).toEqual([0, 2]);
  });

  it('adds up Allows from several statements, naming every applicable Allow', () => {
    const list = { Effect: 'Allow', Action: 'oss:ListObjects', Principal: [OTHER], Resource: BUCKET };
    const both = policyOf(allow, list, { ...allow, Action: 'oss:Get*' });
    expect(decide(both, get(OTHER))).toEqual({ decision: 'allow', status: 200, explanation: { rules: ['ALI-UNION'], statements: [0, 2], reason: 'explicit-allow' } });
    expect(decide(both, { principal: OTHER, action: 'oss:ListObjects' }).explanation.statements).toEqual([1]);
  });

  it('denies a non-owner with no applicable statement, and with no policy at all', () => {
    const expected = { decision: 'deny', status: 403, code: 'AccessDenied', ec: '0003-00000001', explanation: { rules: ['ALI-IMPLICIT'], statements: [], reason: 'implicit-deny' } };
    expect(decide(policyOf(allow), get('2222222222222222'))).toEqual(expected);
    expect(decide(undefined, get(OTHER))).toEqual(expected);
  });

  it('allows the owner with no policy at all', () => {
    expect(decide(undefined, get(OWNER))).toEqual({ decision: 'allow', status: 200, explanation: { rules: ['ALI-IMPLICIT'], statements: [], reason: 'owner' } });
  });
});

describe('the owner and Principal `*` (ALI-WILDCARD-OWNER, ALI-WILDCARD-COND-OWNER)', () => {
  const starDeny = { Effect: 'Deny', Action: 'oss:*', Principal: ['*'], Resource: [BUCKET, OBJECTS] };
  const onlyUa = { StringEquals: { 'acs:UserAgent': 'bad-agent' } };

  it('does not apply `*` without a Condition to the owner, but applies it to everyone else', () => {
    expect(decide(policyOf(starDeny), get(OWNER))).toEqual({ decision: 'allow', status: 200, explanation: { rules: ['ALI-IMPLICIT', 'ALI-WILDCARD-OWNER'], statements: [], reason: 'owner' } });
    expect(decision(policyOf(starDeny), get(OTHER))).toBe('deny');
    expect(decision(policyOf(starDeny), get('anonymous'))).toBe('deny');
  });

  it('applies a statement to the owner when the owner UID is listed, with or without `*`', () => {
    expect(decide(policyOf({ ...starDeny, Principal: [OWNER] }), get(OWNER)).explanation).toEqual({ rules: ['ALI-DENY-FIRST'], statements: [0], reason: 'explicit-deny' });
    expect(decision(policyOf({ ...starDeny, Principal: ['*', OWNER] }), get(OWNER))).toBe('deny');
  });

  it('applies `*` with a Condition to the owner', () => {
    const p = policyOf({ ...starDeny, Condition: onlyUa });
    expect(decide(p, get(OWNER, { 'acs:UserAgent': 'bad-agent' }))).toMatchObject({ decision: 'deny', explanation: { rules: ['ALI-DENY-FIRST', 'ALI-WILDCARD-COND-OWNER'], statements: [0] } });
    expect(decide(p, get(OWNER, { 'acs:UserAgent': 'good-agent' })).explanation.reason).toBe('owner');
  });

  it('lets the owner be granted by a `*` Allow with a Condition, and not by one without', () => {
    const allow = { Effect: 'Allow', Action: 'oss:GetObject', Principal: ['*'], Resource: OBJECTS };
    expect(decide(policyOf({ ...allow, Condition: { Bool: { 'acs:SecureTransport': 'true' } } }), get(OWNER, { 'acs:SecureTransport': 'true' })).explanation).toEqual({
      rules: ['ALI-UNION', 'ALI-WILDCARD-COND-OWNER'], statements: [0], reason: 'explicit-allow',
    });
    expect(decide(policyOf(allow), get(OWNER)).explanation.reason).toBe('owner');
  });

  it('keeps an owner Allow when a `*` Deny without Condition is exempted', () => {
    const p = policyOf(starDeny, { Effect: 'Allow', Action: 'oss:GetObject', Principal: [OWNER], Resource: OBJECTS });
    expect(decide(p, get(OWNER)).explanation).toEqual({ rules: ['ALI-UNION', 'ALI-WILDCARD-OWNER'], statements: [1], reason: 'explicit-allow' });
  });

  it('counts an empty `"Condition": {}` as no Condition (open question 7)', () => {
    const p = policyOf({ ...starDeny, Condition: {} });
    expect(decide(p, get(OWNER)).explanation.reason).toBe('owner');
    expect(decision(p, get(OTHER))).toBe('deny');
  });

  it('does not treat another principal who merely matches a wildcard pattern as exempt', () => {
    const p = policyOf({ ...starDeny, Principal: ['1746*'] });
    expect(decision(p, get(OWNER))).toBe('deny');
  });
});

describe('Principal: [] is exactly ["*"] (ALI-EMPTY-PRINCIPAL)', () => {
  const allow = (principal: unknown) => policyOf({ Effect: 'Allow', Action: 'oss:GetObject', Principal: principal, Resource: OBJECTS });
  const deny = (principal: unknown) => policyOf({ Effect: 'Deny', Action: 'oss:GetObject', Principal: principal, Resource: OBJECTS });
  const requests = [get('anonymous'), get(OTHER), get(OWNER)];

  it('grants the same requests with [] as with ["*"]', () => {
    const empty = decideAll(allow([]), requests).map((d) => [d.decision, d.explanation.reason]);
    const star = decideAll(allow(['*']), requests).map((d) => [d.decision, d.explanation.reason]);
    expect(empty).toEqual([['allow', 'explicit-allow'], ['allow', 'explicit-allow'], ['allow', 'owner']]);
    expect(star).toEqual(empty);
  });

  it('names ALI-EMPTY-PRINCIPAL when [] decided', () => {
    expect(decide(allow([]), get('anonymous')).explanation.rules).toEqual(['ALI-UNION', 'ALI-EMPTY-PRINCIPAL']);
    expect(decide(allow(['*']), get('anonymous')).explanation.rules).toEqual(['ALI-UNION']);
  });

  it('gives [] the owner exception of `*` (open question 6 is silent; [] is read as exactly ["*"])', () => {
    expect(decideAll(deny([]), requests).map((d) => d.decision)).toEqual(['deny', 'deny', 'allow']);
    expect(decideAll(deny(['*']), requests).map((d) => d.decision)).toEqual(['deny', 'deny', 'allow']);
  });

  it('lets a statement without Principal match nobody (open question 1; not asserted by the suite)', () => {
    const p = policyOf({ Effect: 'Allow', Action: 'oss:GetObject', Resource: OBJECTS });
    expect(decideAll(p, [get('anonymous'), get(OTHER)]).map((d) => d.decision)).toEqual(['deny', 'deny']);
    const d = policyOf({ Effect: 'Deny', Action: 'oss:GetObject', Resource: OBJECTS, Condition: { StringLike: { 'acs:UserAgent': '*' } } });
    expect(decide(d, get(OWNER, { 'acs:UserAgent': 'x' })).explanation.reason).toBe('owner');
  });
});

describe('principals: UIDs and role sessions (ALI-PRINCIPAL-STS)', () => {
  const allow = (...principals: string[]) => policyOf({ Effect: 'Allow', Action: 'oss:GetObject', Principal: principals, Resource: OBJECTS });

  it('matches a UID exactly', () => {
    const p = allow('27737962156157');
    expect(decision(p, get('27737962156157'))).toBe('allow');
    expect(decision(p, get('277379621561570'))).toBe('deny');
    expect(decision(p, get('2773796215615'))).toBe('deny');
  });

  it('does not let an account UID cover role sessions of that account (open question 4)', () => {
    expect(decision(allow('27737962156157'), get('arn:sts::27737962156157:assumed-role/r/s'))).toBe('deny');
  });

  it('never reaches an anonymous request except through `*`', () => {
    expect(decision(allow('anonymous'), get('anonymous'))).toBe('deny');
    expect(decision(allow('arn:sts::*:*/*/*', 'a*'), get('anonymous'))).toBe('deny');
    expect(decision(allow('*'), get('anonymous'))).toBe('allow');
  });

  it('matches role-session ARNs with `*`, case-sensitively', () => {
    const p = allow('arn:sts::123:assumed-role/reader/*');
    expect(decision(p, get('arn:sts::123:assumed-role/reader/s1'))).toBe('allow');
    expect(decision(p, get('arn:sts::123:assumed-role/Reader/s1'))).toBe('deny');
    expect(decision(p, get('arn:sts::123:assumed-role/readers/s1'))).toBe('deny');
    expect(decision(p, get('arn:sts::124:assumed-role/reader/s1'))).toBe('deny');
    const exact = allow('arn:sts::123:assumed-role/reader/Session');
    expect(decision(exact, get('arn:sts::123:assumed-role/reader/Session'))).toBe('allow');
    expect(decision(exact, get('arn:sts::123:assumed-role/reader/session'))).toBe('deny');
  });

  it('lets `arn:sts::*:*/*/*` match every role session but no UID', () => {
    const p = allow('arn:sts::*:*/*/*');
    expect(decision(p, get('arn:sts::9:assumed-role/x/y'))).toBe('allow');
    expect(decision(p, get(OTHER))).toBe('deny');
  });
});

describe('actions (ALI-ACTION-WILDCARD)', () => {
  const allow = (action: string) => policyOf({ Effect: 'Allow', Action: action, Principal: [OTHER], Resource: [BUCKET, OBJECTS] });
  const req = (action: string, object?: string): AliRequest => ({ principal: OTHER, action, ...(object === undefined ? {} : { object }) });

  it('matches `oss:Get*` against every Get action and nothing else', () => {
    expect(decision(allow('oss:Get*'), req('oss:GetObject', 'a'))).toBe('allow');
    expect(decision(allow('oss:Get*'), req('oss:GetBucketAcl'))).toBe('allow');
    expect(decision(allow('oss:Get*'), req('oss:PutObject', 'a'))).toBe('deny');
    expect(decision(allow('oss:Get*'), req('oss:ListObjects'))).toBe('deny');
  });

  it('matches `oss:*`, `*Object` and `?`', () => {
    expect(decision(allow('oss:*'), req('oss:DeleteBucket'))).toBe('allow');
    expect(decision(allow('oss:*Object'), req('oss:DeleteObject', 'a'))).toBe('allow');
    expect(decision(allow('oss:*Object'), req('oss:GetObjectAcl', 'a'))).toBe('deny');
    expect(decision(allow('oss:?etObject'), req('oss:GetObject', 'a'))).toBe('allow');
    expect(decision(allow('oss:?etObject'), req('oss:PutObject', 'a'))).toBe('deny');
    expect(decision(allow('oss:Put?bject'), req('oss:PutObject', 'a'))).toBe('allow');
    expect(decision(allow('oss:Put?bject'), req('oss:PutObjectAcl', 'a'))).toBe('deny');
  });

  it('compares action names case-sensitively (open question 3)', () => {
    expect(decision(allow('oss:getobject'), req('oss:GetObject', 'a'))).toBe('deny');
  });
});

describe('resources (ALI-RESOURCE)', () => {
  const allow = (...resources: string[]) => policyOf({ Effect: 'Allow', Action: ['oss:GetObject', 'oss:ListObjects'], Principal: [OTHER], Resource: resources });
  const list: AliRequest = { principal: OTHER, action: 'oss:ListObjects' };

  it('builds the request resource from region, owner, bucket and object', () => {
    const world = worldOf(undefined);
    expect(requestResource(world, list)).toBe('acs:oss:cn-hangzhou:174649585760xxxx:example-bucket');
    expect(requestResource(world, get(OTHER))).toBe('acs:oss:cn-hangzhou:174649585760xxxx:example-bucket/a.txt');
    expect(requestResource(worldOf(undefined, { ...SEED_BUCKET, region: 'cn-beijing' }), { principal: OTHER, action: 'oss:PutVectors', object: 'idx' })).toBe(
      'acs:ossvector:cn-beijing:174649585760xxxx:example-bucket/idx',
    );
  });

  it('keeps the bucket-name boundary: `example-bucket/*` does not reach `example-bucket2`', () => {
    const p = allow(OBJECTS, BUCKET);
    expect(decision(p, get(OTHER))).toBe('allow');
    expect(decision(p, get(OTHER), { name: 'example-bucket2', owner: OWNER })).toBe('deny');
    expect(decision(p, list, { name: 'example-bucket2', owner: OWNER })).toBe('deny');
    expect(decision(p, list, { name: 'example-bucke', owner: OWNER })).toBe('deny');
  });

  it('never lets the bucket form match an object, nor the object form match the bucket', () => {
    expect(decision(allow(BUCKET), get(OTHER))).toBe('deny');
    expect(decision(allow(BUCKET), list)).toBe('allow');
    expect(decision(allow(OBJECTS), list)).toBe('deny');
    expect(decision(allow(OBJECTS), get(OTHER))).toBe('allow');
  });

  it('lets `*` cross `/` and `?` stand for one character', () => {
    expect(decision(allow('acs:oss:*:*:example-bucket/a/*'), { ...get(OTHER), object: 'a/b/c.txt' })).toBe('allow');
    expect(decision(allow('acs:oss:*:*:example-bucket/file?.txt'), { ...get(OTHER), object: 'file1.txt' })).toBe('allow');
    expect(decision(allow('acs:oss:*:*:example-bucket/file?.txt'), { ...get(OTHER), object: 'file12.txt' })).toBe('deny');
    expect(decision(allow('acs:oss:*:*:example-bucket/file?.txt'), { ...get(OTHER), object: 'file.txt' })).toBe('deny');
  });

  it('matches the region and the owner UID of the resource', () => {
    expect(decision(allow('acs:oss:cn-beijing:*:example-bucket/*'), get(OTHER))).toBe('deny');
    expect(decision(allow('acs:oss:cn-beijing:*:example-bucket/*'), get(OTHER), { ...SEED_BUCKET, region: 'cn-beijing' })).toBe('allow');
    expect(decision(allow('acs:oss:*:174649585760xxxx:example-bucket/*'), get(OTHER))).toBe('allow');
    expect(decision(allow('acs:oss:*:999:example-bucket/*'), get(OTHER))).toBe('deny');
  });

  it('treats special characters of object names literally', () => {
    const p = allow('acs:oss:*:*:example-bucket/a+b(1).txt');
    expect(decision(p, { ...get(OTHER), object: 'a+b(1).txt' })).toBe('allow');
    expect(decision(p, { ...get(OTHER), object: 'aab(1).txt' })).toBe('deny');
  });

  it('uses the ossvector service for vector actions only (ALI-VECTOR)', () => {
    const vec = policyOf({ Effect: 'Allow', Action: 'oss:*', Principal: [OTHER], Resource: 'acs:ossvector:*:*:example-bucket/*' });
    expect(decision(vec, { principal: OTHER, action: 'oss:GetVectors', object: 'idx' })).toBe('allow');
    expect(decision(vec, { principal: OTHER, action: 'oss:GetObject', object: 'idx' })).toBe('deny');
    expect(decision(allow(OBJECTS), { principal: OTHER, action: 'oss:GetVectors', object: 'idx' })).toBe('deny');
  });
});

describe('IP conditions: CIDR boundaries (ALI-COND-IP)', () => {
  const allowFrom = (...blocks: string[]) => policyOf({ Effect: 'Allow', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS, Condition: { IpAddress: { 'acs:SourceIp': blocks } } });
  const from = (ip: string) => get(OTHER, { 'acs:SourceIp': ip });

  it('includes the first and last IPv4 addresses of a block and excludes their neighbours', () => {
    const p = allowFrom('10.1.2.0/24');
    expect([from('10.1.2.0'), from('10.1.2.255'), from('10.1.1.255'), from('10.1.3.0')].map((r) => decision(p, r))).toEqual(['allow', 'allow', 'deny', 'deny']);
  });

  it('includes the first and last IPv6 addresses of a block and excludes their neighbours', () => {
    const p = allowFrom('2001:db8:abcd:12::/64');
    expect(
      [
        from('2001:db8:abcd:12::'),
        from('2001:db8:abcd:12:ffff:ffff:ffff:ffff'),
        from('2001:db8:abcd:11:ffff:ffff:ffff:ffff'),
        from('2001:db8:abcd:13::'),
      ].map((r) => decision(p, r)),
    ).toEqual(['allow', 'allow', 'deny', 'deny']);
  });

  it('matches a single address only itself', () => {
    const p = allowFrom('203.0.113.5');
    expect([from('203.0.113.5'), from('203.0.113.4'), from('203.0.113.6')].map((r) => decision(p, r))).toEqual(['allow', 'deny', 'deny']);
  });

  it('never matches a v4 address against a v6 block or the reverse', () => {
    expect(decision(allowFrom('::/0'), from('10.0.0.1'))).toBe('deny');
    expect(decision(allowFrom('0.0.0.0/0'), from('::1'))).toBe('deny');
    expect(decision(allowFrom('10.0.0.0/8'), from('::ffff:10.0.0.1'))).toBe('deny');
    expect(decision(allowFrom('0.0.0.0/0'), from('255.255.255.255'))).toBe('allow');
    expect(decision(allowFrom('::/0'), from('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe('allow');
  });

  it('ignores host bits of a block written with them', () => {
    expect(decision(allowFrom('10.1.2.77/24'), from('10.1.2.0'))).toBe('allow');
  });

  it('does not match an unparseable source address; NotIpAddress then holds', () => {
    expect(decision(allowFrom('0.0.0.0/0'), from('not-an-ip'))).toBe('deny');
    expect(decision(allowFrom('10.1.2.0/24'), from('010.1.2.3'))).toBe('deny');
    const deny = policyOf(
      { Effect: 'Allow', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS },
      { Effect: 'Deny', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS, Condition: { NotIpAddress: { 'acs:SourceIp': '0.0.0.0/0' } } },
    );
    expect(decision(deny, from('not-an-ip'))).toBe('deny');
    expect(decision(deny, from('8.8.8.8'))).toBe('allow');
  });
});

describe('condition values and blocks (ALI-COND-VALUES, ALI-COND-AND, ALI-COND-MISSING-KEY)', () => {
  const base = { Effect: 'Allow', Action: 'oss:GetObject', Principal: [OTHER], Resource: OBJECTS };
  const denyUnless = (condition: Record<string, unknown>) => policyOf(base, { ...base, Effect: 'Deny', Condition: condition });

  it('applies NOR for a negated operator with a list: denied only when the value matches none', () => {
    const p = denyUnless({ StringNotEquals: { 'acs:SourceVpc': ['vpc-a', 'vpc-b'] } });
    expect(['vpc-a', 'vpc-b', 'vpc-c'].map((vpc) => decision(p, get(OTHER, { 'acs:SourceVpc': vpc })))).toEqual(['allow', 'allow', 'deny']);
    const ip = denyUnless({ NotIpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } });
    expect(['10.9.9.9', '192.168.1.1', '172.16.0.1'].map((a) => decision(ip, get(OTHER, { 'acs:SourceIp': a })))).toEqual(['allow', 'allow', 'deny']);
  });

  it('applies OR for a positive operator with a list', () => {
    const p = policyOf({ ...base, Condition: { StringEquals: { 'acs:SourceVpc': ['vpc-a', 'vpc-b'] } } });
    expect(['vpc-a', 'vpc-b', 'vpc-c'].map((vpc) => decision(p, get(OTHER, { 'acs:SourceVpc': vpc })))).toEqual(['allow', 'allow', 'deny']);
  });

  it('requires every operator and every key to hold', () => {
    const p = policyOf({ ...base, Condition: { StringEquals: { 'acs:SourceVpc': 'vpc-a', 'acs:AccessId': 'STS.1' }, Bool: { 'acs:SecureTransport': 'true' } } });
    const all = { 'acs:SourceVpc': 'vpc-a', 'acs:AccessId': 'STS.1', 'acs:SecureTransport': 'true' };
    expect(decision(p, get(OTHER, all))).toBe('allow');
    expect(decision(p, get(OTHER, { ...all, 'acs:AccessId': 'STS.2' }))).toBe('deny');
    expect(decision(p, get(OTHER, { ...all, 'acs:SecureTransport': 'false' }))).toBe('deny');
  });

  it('treats a missing key as failing a positive operator and satisfying a negated one', () => {
    const positive = policyOf({ ...base, Condition: { StringLike: { 'oss:Prefix': '*' } } });
    expect(decision(positive, get(OTHER))).toBe('deny');
    expect(decision(positive, get(OTHER, { 'oss:Prefix': '' }))).toBe('allow');
    const negated = denyUnless({ StringNotEquals: { 'acs:SourceVpc': 'vpc-a' } });
    expect(decision(negated, get(OTHER))).toBe('deny');
    expect(decision(negated, get(OTHER, { 'acs:SourceVpc': 'vpc-a' }))).toBe('allow');
  });
});

describe('ACL fallback after an implicit deny (open question 24)', () => {
  const acl = (value: 'private' | 'public-read' | 'public-read-write'): AliBucket => ({ ...SEED_BUCKET, acl: value });
  const ANON_READ = { decision: 'allow', status: 200, explanation: { rules: ['ALI-IMPLICIT'], statements: [], reason: 'explicit-allow' } };

  it('lets a public-read bucket be read, not written', () => {
    expect(decide(undefined, get('anonymous'), acl('public-read'))).toEqual(ANON_READ);
    expect(decision(undefined, { principal: 'anonymous', action: 'oss:PutObject', object: 'a' }, acl('public-read'))).toBe('deny');
    expect(decision(undefined, { principal: 'anonymous', action: 'oss:ListObjects' }, acl('public-read'))).toBe('deny');
  });

  it('lets a public-read-write bucket be read, written and deleted', () => {
    for (const action of ['oss:GetObject', 'oss:PutObject', 'oss:DeleteObject']) {
      expect(decide(undefined, { principal: OTHER, action, object: 'a' }, acl('public-read-write'))).toEqual(ANON_READ);
    }
    expect(decision(undefined, { principal: OTHER, action: 'oss:PutObjectAcl', object: 'a' }, acl('public-read-write'))).toBe('deny');
  });

  it('does not let the ACL override an explicit Deny, and grants nothing on a private bucket', () => {
    const deny = policyOf({ Effect: 'Deny', Action: 'oss:GetObject', Principal: ['*'], Resource: OBJECTS });
    expect(decision(deny, get('anonymous'), acl('public-read'))).toBe('deny');
    expect(decision(undefined, get('anonymous'), acl('private'))).toBe('deny');
  });
});

describe('evaluate is pure', () => {
  it('gives the same decision twice and does not change its inputs', () => {
    const compiled = compilePolicy(undefined);
    const world = worldOf(undefined);
    const request = get(OTHER, { 'acs:SourceIp': '10.0.0.1' });
    const snapshot = JSON.stringify([world, request]);
    expect(evaluate(compiled, world, request)).toEqual(evaluate(compiled, world, request));
    expect(JSON.stringify([world, request])).toBe(snapshot);
  });
});
