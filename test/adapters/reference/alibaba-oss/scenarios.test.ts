/**
 * The thirteen scenarios of seed 002 and its two example policies, each with requests whose
 * outcomes are read from the seed's prose (ALI-SCENARIOS). The policies are copied from the seed;
 * where the seed masks a value with `*` (an IP address, a UID) a concrete value stands in, and
 * the test says so.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../../adapters/reference/alibaba-oss/index.ts';
import type { AliBucket, AliRequest } from '../../../../model/alibaba-oss/types.ts';
import { decide, SEED_BUCKET } from './helpers.ts';

const OWNER = '174649585760xxxx';
const USER_A = '27737962156157xxxx';
const USER_B = '20214760404935xxxx';
const STRANGER = '99999999999999xxxx';
const VPC = 'vpc-t4nlw426y44rd3iq4xxxx';

const ALLOW_OWNER = { decision: 'allow', status: 200, explanation: { reason: 'owner', statements: [] } } as const;
const DENY_IMPLICIT = { decision: 'deny', status: 403, code: 'AccessDenied', ec: '0003-00000001', explanation: { reason: 'implicit-deny', statements: [] } } as const;

/** An allow by the policy's statements `statements` (and exactly `rules`, when given). */
function explicitAllow(statements: number[], rules?: string[]) {
  return { decision: 'allow', status: 200, explanation: { reason: 'explicit-allow', statements, ...(rules ? { rules } : {}) } };
}

/** A deny by the policy's Deny statements `statements` (and exactly `rules`, when given). */
function explicitDeny(statements: number[], rules?: string[]) {
  return { decision: 'deny', status: 403, code: 'AccessDenied', ec: '0003-00000101', explanation: { reason: 'explicit-deny', statements, ...(rules ? { rules } : {}) } };
}

describe('seed example: deny a RAM user outside a VPC', () => {
  const policy = {
    Version: '1',
    Statement: [{
      Effect: 'Deny',
      Action: 'oss:*',
      Principal: ['20214760404935xxxx'],
      Resource: ['acs:oss:*:174649585760xxxx:example-bucket', 'acs:oss:*:174649585760xxxx:example-bucket/*'],
      Condition: { StringNotEquals: { 'acs:SourceVpc': 'vpc-t4nlw426y44rd3iq4xxxx' } },
    }],
  };

  it('denies the user outside the VPC, on the bucket and its objects', () => {
    expect(decide(policy, { principal: USER_B, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': 'vpc-other' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: USER_B, action: 'oss:ListObjects' })).toMatchObject(explicitDeny([0]));
  });

  it('does not grant anything inside the VPC: the Deny only restricts', () => {
    expect(decide(policy, { principal: USER_B, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': VPC } })).toMatchObject(DENY_IMPLICIT);
  });

  it('does not apply to other users, the owner included', () => {
    expect(decide(policy, { principal: USER_A, action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(ALLOW_OWNER);
  });
});

describe('seed example: vector bucket', () => {
  // The seed masks the UID as `20816353761158****`, which a policy may not contain (`**`); a concrete UID stands in.
  const USER = '208163537611589999';
  const policy = {
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: ['oss:PutVectors', 'oss:GetVectors'], Principal: [USER], Resource: ['acs:ossvector:*:*:vector-bucket-example/indextest'] }],
  };
  const bucket: AliBucket = { name: 'vector-bucket-example', owner: '1111111111111111' };

  it('lets the user read and write vectors of the index indextest', () => {
    expect(decide(policy, { principal: USER, action: 'oss:PutVectors', object: 'indextest' }, bucket)).toMatchObject(explicitAllow([0]));
    expect(decide(policy, { principal: USER, action: 'oss:GetVectors', object: 'indextest' }, bucket)).toMatchObject(explicitAllow([0]));
  });

  it('does not cover another index, another user, or the oss service', () => {
    expect(decide(policy, { principal: USER, action: 'oss:GetVectors', object: 'other-index' }, bucket)).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: STRANGER, action: 'oss:GetVectors', object: 'indextest' }, bucket)).toMatchObject(DENY_IMPLICIT);
    const ossPolicy = { ...policy, Statement: [{ ...policy.Statement[0], Action: ['oss:GetObject'] }] };
    expect(decide(ossPolicy, { principal: USER, action: 'oss:GetObject', object: 'indextest' }, bucket)).toMatchObject(DENY_IMPLICIT);
  });
});

describe('scenario 1: read/write for specified RAM users', () => {
  const policy = {
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'oss:GetObject', 'oss:PutObject', 'oss:GetObjectAcl', 'oss:PutObjectAcl', 'oss:AbortMultipartUpload', 'oss:ListParts', 'oss:RestoreObject',
          'oss:GetVodPlaylist', 'oss:PostVodPlaylist', 'oss:PublishRtmpStream', 'oss:ListObjectVersions', 'oss:GetObjectVersion', 'oss:GetObjectVersionAcl',
          'oss:RestoreObjectVersion',
        ],
        Principal: ['27737962156157xxxx', '20214760404935xxxx'],
        Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
      },
      {
        Effect: 'Allow',
        Action: ['oss:ListObjects'],
        Principal: ['27737962156157xxxx', '20214760404935xxxx'],
        Resource: ['acs:oss:*:174649585760xxxx:example-bucket'],
        Condition: { StringLike: { 'oss:Prefix': ['*'] } },
      },
    ],
  };

  it('lets both users upload and download objects', () => {
    expect(decide(policy, { principal: USER_A, action: 'oss:GetObject', object: 'docs/a.txt' })).toMatchObject(explicitAllow([0], ['ALI-UNION']));
    expect(decide(policy, { principal: USER_B, action: 'oss:PutObject', object: 'b.txt' })).toMatchObject(explicitAllow([0]));
    expect(decide(policy, { principal: USER_B, action: 'oss:PutObjectAcl', object: 'b.txt' })).toMatchObject(explicitAllow([0]));
  });

  it('lets them list the bucket with a prefix (the empty prefix included)', () => {
    expect(decide(policy, { principal: USER_A, action: 'oss:ListObjects', context: { 'oss:Prefix': '' } })).toMatchObject(explicitAllow([1]));
    expect(decide(policy, { principal: USER_B, action: 'oss:ListObjects', context: { 'oss:Prefix': 'docs/' } })).toMatchObject(explicitAllow([1]));
  });

  it('does not grant what is not listed', () => {
    expect(decide(policy, { principal: USER_A, action: 'oss:DeleteObject', object: 'a.txt' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: USER_A, action: 'oss:ListBuckets' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: USER_A, action: 'oss:GetBucketInfo' })).toMatchObject(DENY_IMPLICIT);
  });

  it('does not grant other principals or another bucket', () => {
    expect(decide(policy, { principal: STRANGER, action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: USER_A, action: 'oss:GetObject', object: 'a.txt' }, { name: 'example-bucket2', owner: OWNER })).toMatchObject(DENY_IMPLICIT);
  });

  it('does not let a list request without a prefix meet StringLike (ALI-COND-MISSING-KEY)', () => {
    expect(decide(policy, { principal: USER_A, action: 'oss:ListObjects' })).toMatchObject(DENY_IMPLICIT);
  });

  it('leaves the owner allowed by ownership', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:DeleteObject', object: 'a.txt' })).toMatchObject({ ...ALLOW_OWNER, explanation: { ...ALLOW_OWNER.explanation, rules: ['ALI-IMPLICIT'] } });
  });
});

describe('scenario 2: read-only on two folders', () => {
  const policy = {
    Version: '1',
    Statement: [
      {
        Action: ['oss:GetObject', 'oss:GetObjectAcl', 'oss:GetObjectVersion', 'oss:GetObjectVersionAcl'],
        Effect: 'Allow',
        Principal: ['20214760404935xxxx'],
        Resource: ['acs:oss:*:174649585760xxxx:example-bucket/hangzhou/2020/*', 'acs:oss:*:174649585760xxxx:example-bucket/shanghai/2015/*'],
      },
      {
        Action: ['oss:ListObjects', 'oss:ListObjectVersions'],
        Condition: { StringLike: { 'oss:Prefix': ['hangzhou/2020/*', 'shanghai/2015/*'] } },
        Effect: 'Allow',
        Principal: ['20214760404935xxxx'],
        Resource: ['acs:oss:*:174649585760xxxx:example-bucket'],
      },
    ],
  };

  it('lets the user read objects in both folders, at any depth', () => {
    expect(decide(policy, { principal: USER_B, action: 'oss:GetObject', object: 'hangzhou/2020/report.pdf' })).toMatchObject(explicitAllow([0]));
    expect(decide(policy, { principal: USER_B, action: 'oss:GetObjectAcl', object: 'shanghai/2015/q1/data.csv' })).toMatchObject(explicitAllow([0]));
  });

  it('does not let the user read elsewhere or write', () => {
    expect(decide(policy, { principal: USER_B, action: 'oss:GetObject', object: 'hangzhou/2021/report.pdf' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: USER_B, action: 'oss:GetObject', object: 'hangzhou/2020' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: USER_B, action: 'oss:PutObject', object: 'hangzhou/2020/new.txt' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: USER_B, action: 'oss:DeleteObject', object: 'shanghai/2015/a' })).toMatchObject(DENY_IMPLICIT);
  });

  it('lets the user list only under the two prefixes', () => {
    expect(decide(policy, { principal: USER_B, action: 'oss:ListObjects', context: { 'oss:Prefix': 'shanghai/2015/q1' } })).toMatchObject(explicitAllow([1]));
    expect(decide(policy, { principal: USER_B, action: 'oss:ListObjectVersions', context: { 'oss:Prefix': 'hangzhou/2020/' } })).toMatchObject(explicitAllow([1]));
    expect(decide(policy, { principal: USER_B, action: 'oss:ListObjects', context: { 'oss:Prefix': 'beijing/' } })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: USER_B, action: 'oss:ListObjects', context: { 'oss:Prefix': '' } })).toMatchObject(DENY_IMPLICIT);
  });
});

describe('scenario 3: view the bucket and list its files', () => {
  const policy = {
    Version: '1',
    Statement: [{ Action: ['oss:Get*', 'oss:ListObjects', 'oss:ListObjectVersions'], Effect: 'Allow', Principal: ['20214760404935xxxx'], Resource: ['acs:oss:*:174649585760xxxx:example-bucket'] }],
  };

  it('lets the user read bucket information and list files', () => {
    expect(decide(policy, { principal: USER_B, action: 'oss:GetBucketInfo' })).toMatchObject(explicitAllow([0]));
    expect(decide(policy, { principal: USER_B, action: 'oss:GetBucketAcl' })).toMatchObject(explicitAllow([0]));
    expect(decide(policy, { principal: USER_B, action: 'oss:ListObjects' })).toMatchObject(explicitAllow([0]));
  });

  it('does not cover objects (the Resource is the bucket only) nor changes', () => {
    expect(decide(policy, { principal: USER_B, action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: USER_B, action: 'oss:PutBucketAcl' })).toMatchObject(DENY_IMPLICIT);
  });
});

describe('scenario 4: a RAM role reads files', () => {
  const policy = {
    Version: '1',
    Statement: [{
      Action: ['oss:GetObject'],
      Effect: 'Allow',
      Principal: ['arn:sts::10323xxxxx72056:assumed-role/role-name/session-name', 'arn:sts::10323xxxxx72056:assumed-role/role2-name/*'],
      Resource: ['acs:oss:*:10323xxxxx72056:example-bucket/*'],
    }],
  };
  const bucket: AliBucket = { name: 'example-bucket', owner: '10323xxxxx72056' };
  const role = (r: string, s: string) => `arn:sts::10323xxxxx72056:assumed-role/${r}/${s}`;

  it('lets the named session of role-name and every session of role2-name read', () => {
    expect(decide(policy, { principal: role('role-name', 'session-name'), action: 'oss:GetObject', object: 'a.txt' }, bucket)).toMatchObject(explicitAllow([0]));
    expect(decide(policy, { principal: role('role2-name', 'any-session'), action: 'oss:GetObject', object: 'a.txt' }, bucket)).toMatchObject(explicitAllow([0]));
    expect(decide(policy, { principal: role('role2-name', 'other'), action: 'oss:GetObject', object: 'dir/b.txt' }, bucket)).toMatchObject(explicitAllow([0]));
  });

  it('does not let other sessions of role-name read', () => {
    expect(decide(policy, { principal: role('role-name', 'other-session'), action: 'oss:GetObject', object: 'a.txt' }, bucket)).toMatchObject(DENY_IMPLICIT);
  });

  it('treats role and session names case-sensitively', () => {
    expect(decide(policy, { principal: role('role-name', 'Session-Name'), action: 'oss:GetObject', object: 'a.txt' }, bucket)).toMatchObject(DENY_IMPLICIT);
    expect(decide(policy, { principal: role('Role2-Name', 'x'), action: 'oss:GetObject', object: 'a.txt' }, bucket)).toMatchObject(DENY_IMPLICIT);
  });

  it('does not let `role2-name/*` reach a role whose name merely starts with role2-name', () => {
    expect(decide(policy, { principal: role('role2-name-x', 's'), action: 'oss:GetObject', object: 'a.txt' }, bucket)).toMatchObject(DENY_IMPLICIT);
  });

  it('grants reading only', () => {
    expect(decide(policy, { principal: role('role2-name', 's'), action: 'oss:PutObject', object: 'a.txt' }, bucket)).toMatchObject(DENY_IMPLICIT);
  });
});

describe('scenario 5: all visitors may list files', () => {
  const policy = {
    Version: '1',
    Statement: [{ Action: ['oss:ListObjects', 'oss:ListObjectVersions'], Effect: 'Allow', Principal: ['*'], Resource: ['acs:oss:*:174649585760xxxx:example-bucket'] }],
  };

  it('lets anonymous visitors and other accounts list', () => {
    expect(decide(policy, { principal: 'anonymous', action: 'oss:ListObjects' })).toMatchObject(explicitAllow([0], ['ALI-UNION']));
    expect(decide(policy, { principal: STRANGER, action: 'oss:ListObjectVersions' })).toMatchObject(explicitAllow([0]));
  });

  it('does not let them read file content', () => {
    expect(decide(policy, { principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(DENY_IMPLICIT);
  });

  it('leaves the owner unaffected: the owner is allowed by ownership, not by the `*` statement', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:ListObjects' })).toMatchObject({ ...ALLOW_OWNER, explanation: { ...ALLOW_OWNER.explanation, rules: ['ALI-IMPLICIT', 'ALI-WILDCARD-OWNER'] } });
  });
});

describe('scenario 6: no access from the public network', () => {
  const policy = {
    Version: '1',
    Statement: [{
      Effect: 'Deny',
      Action: 'oss:*',
      Principal: ['*'],
      Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*', 'acs:oss:*:174649585760xxxx:example-bucket'],
      Condition: { StringNotLike: { 'acs:SourceVpc': ['vpc-*'] } },
    }],
  };

  it('denies a request without acs:SourceVpc, even for the owner', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(explicitDeny([0], ['ALI-DENY-FIRST', 'ALI-WILDCARD-COND-OWNER']));
    expect(decide(policy, { principal: OWNER, action: 'oss:PutBucketAcl' })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: 'anonymous', action: 'oss:ListObjects' })).toMatchObject(explicitDeny([0], ['ALI-DENY-FIRST']));
  });

  it('lets the owner in from any VPC', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': 'vpc-abc' } })).toMatchObject(ALLOW_OWNER);
  });

  it('grants nothing to others inside a VPC', () => {
    expect(decide(policy, { principal: STRANGER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': 'vpc-abc' } })).toMatchObject(DENY_IMPLICIT);
  });
});

describe('scenario 7: only from a specified VPC', () => {
  const policy = {
    Version: '1',
    Statement: [{
      Effect: 'Deny',
      Action: ['oss:GetObject'],
      Principal: ['*'],
      Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
      Condition: { StringNotEquals: { 'acs:SourceVpc': ['vpc-t4nlw426y44rd3iq4xxxx'] } },
    }],
  };

  it('denies reading to the owner outside the VPC or from the public network', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': 'vpc-other' } })).toMatchObject(explicitDeny([0], ['ALI-DENY-FIRST', 'ALI-WILDCARD-COND-OWNER']));
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(explicitDeny([0]));
  });

  it('lets the owner read from the VPC', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': VPC } })).toMatchObject(ALLOW_OWNER);
  });

  it('restricts only GetObject on objects', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:PutObject', object: 'a.txt' })).toMatchObject(ALLOW_OWNER);
    expect(decide(policy, { principal: OWNER, action: 'oss:ListObjects' })).toMatchObject(ALLOW_OWNER);
  });

  it('does not grant others access from inside the VPC', () => {
    expect(decide(policy, { principal: STRANGER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': VPC } })).toMatchObject(DENY_IMPLICIT);
  });
});

describe('scenario 8: only from a specified public IP address', () => {
  const policy = {
    Version: '1',
    Statement: [{
      Effect: 'Deny',
      Action: ['oss:GetObject'],
      Principal: ['*'],
      Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
      Condition: { NotIpAddress: { 'acs:SourceIp': ['203.0.113.5'] } },
    }],
  };

  it('lets the owner read from 203.0.113.5', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '203.0.113.5' } })).toMatchObject(ALLOW_OWNER);
  });

  it('denies the owner reading from any other address', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '203.0.113.6' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '203.0.113.4' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '2001:db8::5' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '198.51.100.1' } })).toMatchObject(explicitDeny([0]));
  });
});

describe('scenario 9: only from a CIDR block within a VPC', () => {
  const policy = {
    Version: '1',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['oss:GetObject'],
        Principal: ['*'],
        Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
        Condition: { StringNotEquals: { 'acs:SourceVpc': ['vpc-t4nlw426y44rd3iq4xxxx'] } },
      },
      {
        Effect: 'Deny',
        Action: ['oss:GetObject'],
        Principal: ['*'],
        Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
        Condition: { StringEquals: { 'acs:SourceVpc': ['vpc-t4nlw426y44rd3iq4xxxx'] }, NotIpAddress: { 'acs:SourceIp': ['192.168.0.0/16'] } },
      },
    ],
  };
  const get = (vpc: string | undefined, ip: string): AliRequest => ({
    principal: OWNER,
    action: 'oss:GetObject',
    object: 'a.txt',
    context: vpc === undefined ? { 'acs:SourceIp': ip } : { 'acs:SourceVpc': vpc, 'acs:SourceIp': ip },
  });

  it('lets the owner read from the block within the VPC, both ends of the block included', () => {
    expect(decide(policy, get(VPC, '192.168.3.4'))).toMatchObject(ALLOW_OWNER);
    expect(decide(policy, get(VPC, '192.168.0.0'))).toMatchObject(ALLOW_OWNER);
    expect(decide(policy, get(VPC, '192.168.255.255'))).toMatchObject(ALLOW_OWNER);
  });

  it('denies the owner outside the block within the VPC (second statement)', () => {
    expect(decide(policy, get(VPC, '10.0.0.1'))).toMatchObject(explicitDeny([1]));
    expect(decide(policy, get(VPC, '192.167.255.255'))).toMatchObject(explicitDeny([1]));
    expect(decide(policy, get(VPC, '192.169.0.0'))).toMatchObject(explicitDeny([1]));
  });

  it('denies the owner outside the VPC (first statement), whatever the address', () => {
    expect(decide(policy, get(undefined, '192.168.1.1'))).toMatchObject(explicitDeny([0]));
    expect(decide(policy, get('vpc-other', '10.0.0.1'))).toMatchObject(explicitDeny([0]));
  });
});

describe('scenario 10: only from a public IP address or a VPC', () => {
  const policy = {
    Version: '1',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['oss:GetObject'],
        Principal: ['*'],
        Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
        Condition: { StringNotLike: { 'acs:SourceVpc': ['vpc-*'] }, NotIpAddress: { 'acs:SourceIp': ['203.0.113.5'] } },
      },
      {
        Effect: 'Deny',
        Action: ['oss:GetObject'],
        Principal: ['*'],
        Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
        Condition: { StringLike: { 'acs:SourceVpc': ['vpc-*'] }, StringNotEquals: { 'acs:SourceVpc': ['vpc-t4nlw426y44rd3iq4xxxx'] } },
      },
    ],
  };

  it('lets the owner read from 203.0.113.5 over the public network', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '203.0.113.5' } })).toMatchObject(ALLOW_OWNER);
  });

  it('lets the owner read from the specified VPC, whatever the address', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': VPC, 'acs:SourceIp': '10.1.1.1' } })).toMatchObject(ALLOW_OWNER);
  });

  it('denies the owner from another public address (first statement)', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '198.51.100.7' } })).toMatchObject(explicitDeny([0]));
  });

  it('denies the owner from another VPC (second statement)', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceVpc': 'vpc-other', 'acs:SourceIp': '203.0.113.5' } })).toMatchObject(explicitDeny([1]));
  });
});

describe('scenario 11: IP blacklist', () => {
  // The seed masks the address as `101.***.***.100`; 101.37.42.100 stands in for it.
  const policy = {
    Version: '1',
    Statement: [{
      Effect: 'Deny',
      Action: 'oss:*',
      Principal: ['*'],
      Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*', 'acs:oss:*:174649585760xxxx:example-bucket'],
      Condition: { IpAddress: { 'acs:SourceIp': ['101.37.42.100'] } },
    }],
  };

  it('denies everything from the listed address, the owner included', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '101.37.42.100' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: OWNER, action: 'oss:ListObjects', context: { 'acs:SourceIp': '101.37.42.100' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '101.37.42.100' } })).toMatchObject(explicitDeny([0]));
  });

  it('does not block other addresses', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:SourceIp': '101.37.42.101' } })).toMatchObject(ALLOW_OWNER);
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(ALLOW_OWNER);
  });

  it('accepts the policy as printed, masked address included', () => {
    const printed = JSON.stringify({ ...policy, Statement: [{ ...policy.Statement[0], Condition: { IpAddress: { 'acs:SourceIp': ['101.***.***.100'] } } }] });
    expect(parsePolicy(printed).kind).toBe('policy');
  });
});

describe('scenario 12: temporary credentials only', () => {
  const policy = {
    Version: '1',
    Statement: [{
      Effect: 'Deny',
      Action: ['oss:Get*', 'oss:ListObjects', 'oss:ListObjectVersions'],
      Principal: ['*'],
      Resource: ['acs:oss:*:174649585760xxxx:example-bucket/*'],
      Condition: { StringNotLike: { 'acs:AccessId': ['TMP.*', 'STS.*'] } },
    }],
  };

  it('denies reading objects with a long-term AccessKey, the owner included', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:AccessId': 'LTAI5tExampleKey' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObjectAcl', object: 'a.txt', context: { 'acs:AccessId': 'sts.lowercase' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: 'anonymous', action: 'oss:GetObject', object: 'a.txt' })).toMatchObject(explicitDeny([0]));
  });

  it('lets temporary credentials through', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:AccessId': 'STS.NTx1' } })).toMatchObject(ALLOW_OWNER);
    expect(decide(policy, { principal: OWNER, action: 'oss:GetObject', object: 'a.txt', context: { 'acs:AccessId': 'TMP.3Kh' } })).toMatchObject(ALLOW_OWNER);
  });

  it('does not deny listing the bucket, because the Resource covers only objects (flagged ambiguity)', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:ListObjects', context: { 'acs:AccessId': 'LTAI5tExampleKey' } })).toMatchObject(ALLOW_OWNER);
  });
});

describe('scenario 13: no public bucket or object ACLs', () => {
  const policy = {
    Version: '1',
    Statement: [
      { Effect: 'Deny', Action: ['oss:PutBucketAcl'], Principal: ['*'], Resource: ['acs:oss:*:*:example-bucket'], Condition: { StringNotEquals: { 'oss:x-oss-acl': 'private' } } },
      { Effect: 'Deny', Action: ['oss:PutObjectAcl'], Principal: ['*'], Resource: ['acs:oss:*:*:example-bucket/*'], Condition: { StringNotEquals: { 'oss:x-oss-object-acl': ['private', 'default'] } } },
    ],
  };

  it('denies setting a public bucket ACL', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:PutBucketAcl', context: { 'oss:x-oss-acl': 'public-read' } })).toMatchObject(explicitDeny([0]));
    expect(decide(policy, { principal: OWNER, action: 'oss:PutBucketAcl', context: { 'oss:x-oss-acl': 'public-read-write' } })).toMatchObject(explicitDeny([0]));
  });

  it('lets the owner set the bucket ACL to private', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:PutBucketAcl', context: { 'oss:x-oss-acl': 'private' } })).toMatchObject(ALLOW_OWNER);
  });

  it('denies setting a public object ACL and allows private and default', () => {
    expect(decide(policy, { principal: OWNER, action: 'oss:PutObjectAcl', object: 'a.txt', context: { 'oss:x-oss-object-acl': 'public-read' } })).toMatchObject(explicitDeny([1]));
    expect(decide(policy, { principal: OWNER, action: 'oss:PutObjectAcl', object: 'a.txt', context: { 'oss:x-oss-object-acl': 'private' } })).toMatchObject(ALLOW_OWNER);
    expect(decide(policy, { principal: OWNER, action: 'oss:PutObjectAcl', object: 'a.txt', context: { 'oss:x-oss-object-acl': 'default' } })).toMatchObject(ALLOW_OWNER);
  });

  it('uses the bucket name in the Resource: another bucket is unaffected', () => {
    const other: AliBucket = { ...SEED_BUCKET, name: 'example-bucket-2' };
    expect(decide(policy, { principal: OWNER, action: 'oss:PutBucketAcl', context: { 'oss:x-oss-acl': 'public-read' } }, other)).toMatchObject(ALLOW_OWNER);
  });
});

describe('policy text as printed in the seed', () => {
  it('accepts the scenario 6 policy text with its original spacing', () => {
    const text = '{ "Version": "1", "Statement": [ { "Effect": "Deny", "Action": "oss:*", "Principal": [ "*" ], "Resource": [ "acs:oss:*:174649585760xxxx:example-bucket/*", "acs:oss:*:174649585760xxxx:example-bucket" ], "Condition": { "StringNotLike": { "acs:SourceVpc": [ "vpc-*" ] } } } ] }';
    const ast = parsePolicy(text);
    expect(ast.kind).toBe('policy');
  });
});
