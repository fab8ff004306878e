/** The target file: what it accepts, every mistake located as file:line:col, secrets only from the environment. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseTargetConfig, resolveSecrets } from '../../../adapters/http/config.ts';
import { ConformanceErrors } from '../../../model/errors.ts';

const GOOD = `vendor: alibaba-oss
endpoint: http://127.0.0.1:9000
addressing: path
signature: v1
sourceIp: loopback
capabilities: [request.source-vpc]
limits:
  maxRequests: 3000
  concurrency: 4
identities:
  - kind: account
    id: "1746495857600001"
    accessKeyId: AK1
    accessKeySecretEnv: OWNER_SECRET
  - kind: user
    id: "2021476040493601"
    account: "1746495857600002"
    accessKeyId: AK2
    accessKeySecretEnv: USER_SECRET
  - kind: session
    account: "1746495857600002"
    role: reader
    session: s1
    accessKeyId: STS.AK3
    accessKeySecretEnv: SESSION_SECRET
    securityTokenEnv: SESSION_TOKEN
`;

function problems(text: string): string[] {
  try {
    parseTargetConfig(text, 'target.yaml');
  } catch (error) {
    if (error instanceof ConformanceErrors) return error.errors.map((e) => `${e.code} ${e.message}`);
    throw error;
  }
  return [];
}

describe('target file', () => {
  it('reads a complete file, with defaults for what it leaves out', () => {
    const config = parseTargetConfig(GOOD, 'target.yaml');
    expect(config.vendor).toBe('alibaba-oss');
    expect(config.endpoint).toBe('http://127.0.0.1:9000');
    expect(config.region).toBe('cn-hangzhou');
    expect(config.signature).toBe('v1');
    expect(config.sourceIp).toBe('loopback');
    expect(config.capabilities).toEqual(['request.source-vpc']);
    expect(config.limits).toEqual({ ...DEFAULT_LIMITS, maxRequests: 3000, concurrency: 4 });
    expect(config.owner).toMatchObject({ kind: 'account', id: '1746495857600001', accessKeyId: 'AK1', accessKeySecretEnv: 'OWNER_SECRET', where: 'target.yaml:11:5' });
    expect(config.others.map((i) => i.kind)).toEqual(['user', 'session']);
    expect(config.prefix).toBe('bcrun');
  });

  it('refuses a literal secret, naming the variable to use instead, at its line and column', () => {
    const text = GOOD.replace('    accessKeySecretEnv: OWNER_SECRET\n', '    accessKeySecret: SK-IN-THE-FILE\n');
    const found = problems(text);
    expect(found).toEqual([expect.stringMatching(/^CONFORMANCE_TARGET_CONFIG target\.yaml:14:5: secrets never live in the file: name the environment variable that holds it \(`accessKeySecretEnv: NAME`\)/), expect.stringContaining('needs `accessKeySecretEnv`')]);
    // The message never repeats the secret it refuses.
    expect(found.join('\n')).not.toContain('SK-IN-THE-FILE');
  });

  it('locates every mistake and reports them all at once', () => {
    const text = `vendor: gcs
endpoint: ftp://x
colour: blue
limits: {maxRequests: 0, speed: 3}
identities:
  - kind: robot
`;
    const found = problems(text);
    expect(found).toContain('CONFORMANCE_TARGET_CONFIG target.yaml:1:9: unknown vendor `gcs`; valid vendors: alibaba-oss, huawei-obs, aps-oss');
    expect(found).toContain('CONFORMANCE_TARGET_CONFIG target.yaml:2:11: the endpoint must be http or https, not `ftp:`');
    expect(found.some((p) => p.startsWith('CONFORMANCE_TARGET_CONFIG target.yaml:3:1: unknown field `colour`'))).toBe(true);
    expect(found).toContain('CONFORMANCE_TARGET_CONFIG target.yaml:4:23: `limits.maxRequests` must be a positive integer');
    expect(found.some((p) => p.startsWith('CONFORMANCE_TARGET_CONFIG target.yaml:4:26: unknown field `speed`'))).toBe(true);
    expect(found.some((p) => p.startsWith('CONFORMANCE_TARGET_CONFIG target.yaml:6:11: `identities.0.kind` must be one of'))).toBe(true);
  });

  it('refuses an owner that is not an account, and identities of the wrong kind for the vendor', () => {
    expect(problems(GOOD.replace(/identities:\n  - kind: account\n    id: "1746495857600001"\n    accessKeyId: AK1\n    accessKeySecretEnv: OWNER_SECRET\n/, 'identities:\n'))).toContain('CONFORMANCE_TARGET_CONFIG target.yaml:11:11: the first identity is the bucket owner: an account (or an APS app)');
    const aps = 'vendor: aps-oss\nendpoint: http://127.0.0.1:1\nidentities:\n  - kind: account\n    id: x\n    accessKeyId: a\n    accessKeySecretEnv: S\n';
    expect(problems(aps)).toContain('CONFORMANCE_TARGET_CONFIG target.yaml:4:11: an APS target has `app` identities only');
  });

  it('reads the emulator-only `log-delivery` identity of an OBS target, and refuses it elsewhere', () => {
    const obs = `vendor: huawei-obs
endpoint: http://127.0.0.1:9000
identities:
  - kind: account
    id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
    accessKeyId: AK1
    accessKeySecretEnv: OWNER_SECRET
  - kind: log-delivery
    accessKeyId: LD1
    accessKeySecretEnv: LD_SECRET
`;
    const config = parseTargetConfig(obs, 'target.yaml');
    expect(config.others).toEqual([{ kind: 'log-delivery', accessKeyId: 'LD1', accessKeySecretEnv: 'LD_SECRET', where: 'target.yaml:8:5' }]);
    const { others } = resolveSecrets(config, { OWNER_SECRET: 'o', LD_SECRET: 'ld-secret-value' });
    expect(others[0]).toMatchObject({ kind: 'log-delivery', accessKeyId: 'LD1', accessKeySecret: 'ld-secret-value' });
    // Its key and the variable holding its secret are required, and the secret never lives in the file.
    expect(problems(obs.replace('    accessKeySecretEnv: LD_SECRET\n', ''))).toEqual(['CONFORMANCE_TARGET_CONFIG target.yaml:8:5: a log-delivery identity needs `accessKeySecretEnv`']);
    expect(problems(obs.replace('    accessKeySecretEnv: LD_SECRET\n', '    accessKeySecret: LD-IN-THE-FILE\n'))[0]).toMatch(/target\.yaml:10:5: secrets never live in the file/);
    // Huawei OBS only, at most one, never the owner.
    const ali = GOOD + '  - kind: log-delivery\n    accessKeyId: LD1\n    accessKeySecretEnv: LD_SECRET\n';
    expect(problems(ali)).toEqual(['CONFORMANCE_TARGET_CONFIG target.yaml:27:11: a `log-delivery` identity is the Huawei OBS emulator\'s log delivery service; vendor `alibaba-oss` has none']);
    expect(problems(obs + '  - kind: log-delivery\n    accessKeyId: LD2\n    accessKeySecretEnv: LD_SECRET\n')).toEqual(['CONFORMANCE_TARGET_CONFIG target.yaml:11:11: a target file has at most one `log-delivery` identity']);
    const first = 'vendor: huawei-obs\nendpoint: http://127.0.0.1:9000\nidentities:\n  - kind: log-delivery\n    accessKeyId: LD1\n    accessKeySecretEnv: LD_SECRET\n';
    expect(problems(first)).toEqual(['CONFORMANCE_TARGET_CONFIG target.yaml:4:11: the first identity is the bucket owner: an account (or an APS app)']);
  });

  it('reads the emulator-only `admin` identity of an Alibaba OSS target, and refuses it elsewhere', () => {
    const ali = GOOD + '  - kind: admin\n    accessKeyId: ADM\n    accessKeySecretEnv: ADMIN_SECRET\n';
    const config = parseTargetConfig(ali, 'target.yaml');
    expect(config.others[2]).toEqual({ kind: 'admin', accessKeyId: 'ADM', accessKeySecretEnv: 'ADMIN_SECRET', where: 'target.yaml:27:5' });
    const { others } = resolveSecrets(config, { OWNER_SECRET: 'o', USER_SECRET: 'u', SESSION_SECRET: 's', SESSION_TOKEN: 't', ADMIN_SECRET: 'admin-secret-value' });
    expect(others[2]).toMatchObject({ kind: 'admin', accessKeyId: 'ADM', accessKeySecret: 'admin-secret-value' });
    // Its key and the variable holding its secret are required, and the secret never lives in the file.
    expect(problems(ali.replace('    accessKeySecretEnv: ADMIN_SECRET\n', ''))).toEqual(['CONFORMANCE_TARGET_CONFIG target.yaml:27:5: an admin identity needs `accessKeySecretEnv`']);
    expect(problems(ali.replace('    accessKeySecretEnv: ADMIN_SECRET\n', '    accessKeySecret: ADMIN-IN-THE-FILE\n'))[0]).toMatch(/target\.yaml:29:5: secrets never live in the file/);
    // Alibaba OSS only, at most one, never the owner.
    const obs = 'vendor: huawei-obs\nendpoint: http://127.0.0.1:9000\nidentities:\n  - {kind: account, id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9, accessKeyId: AK1, accessKeySecretEnv: OWNER_SECRET}\n  - {kind: admin, accessKeyId: ADM, accessKeySecretEnv: ADMIN_SECRET}\n';
    expect(problems(obs)).toEqual(['CONFORMANCE_TARGET_CONFIG target.yaml:5:12: an `admin` identity is the Alibaba OSS emulator\'s administrator key; vendor `huawei-obs` has none']);
    expect(problems(ali + '  - kind: admin\n    accessKeyId: ADM2\n    accessKeySecretEnv: ADMIN_SECRET\n')).toEqual(['CONFORMANCE_TARGET_CONFIG target.yaml:30:11: a target file has at most one `admin` identity']);
    const first = 'vendor: alibaba-oss\nendpoint: http://127.0.0.1:9000\nidentities:\n  - kind: admin\n    accessKeyId: ADM\n    accessKeySecretEnv: ADMIN_SECRET\n';
    expect(problems(first)).toEqual(['CONFORMANCE_TARGET_CONFIG target.yaml:4:11: the first identity is the bucket owner: an account (or an APS app)']);
  });

  it('reports YAML that does not parse with its position', () => {
    expect(problems('vendor: [alibaba-oss\n')[0]).toMatch(/^CONFORMANCE_TARGET_CONFIG target\.yaml:\d+:\d+: not YAML/);
  });

  it('reads secrets from the environment, and names a missing variable and where it is asked for, never a value', () => {
    const config = parseTargetConfig(GOOD, 'target.yaml');
    const env = { OWNER_SECRET: 'owner-secret-value', USER_SECRET: 'user-secret-value', SESSION_SECRET: 'session-secret-value', SESSION_TOKEN: 'token-value' };
    const { owner, others } = resolveSecrets(config, env);
    expect(owner.accessKeySecret).toBe('owner-secret-value');
    expect(others[1]!.securityToken).toBe('token-value');
    try {
      resolveSecrets(config, { ...env, SESSION_TOKEN: '' , USER_SECRET: undefined });
      expect.unreachable('missing variables must be refused');
    } catch (error) {
      const messages = (error as ConformanceErrors).errors.map((e) => e.message);
      expect(messages).toEqual([
        'target.yaml:15:5: the environment variable `USER_SECRET` (accessKeySecretEnv) is not set',
        'target.yaml:20:5: the environment variable `SESSION_TOKEN` (securityTokenEnv) is not set',
      ]);
      expect(messages.join('\n')).not.toMatch(/secret-value|token-value/);
    }
  });
});
