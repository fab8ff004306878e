/** The emulator's identities: the accounts file (JSON or YAML), its errors, and the default sets. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultAccounts, defaultAccountsFile, keyIndex, keyRecords, loadAccounts, parseAccounts } from '../../emulator/accounts.ts';
import { VENDORS } from '../../model/vendors.ts';
import { tempDir } from '../cli/cli.ts';

const ISSUE_EXAMPLE = {
  accounts: [
    {
      id: '1746495857600001', accessKeyId: 'AK1', accessKeySecret: 'SK1',
      users: [{ id: '2021476040493501', accessKeyId: 'AK2', accessKeySecret: 'SK2' }],
      roles: [{ name: 'role-name', sessions: [{ name: 'session-name', accessKeyId: 'STS.AK3', accessKeySecret: 'SK3', securityToken: 'T3' }] }],
    },
  ],
};

/** Each document is refused with CONFORMANCE_INPUT and a message matching its pattern. */
function expectRefused(cases: ReadonlyArray<[unknown, RegExp]>): void {
  for (const [doc, message] of cases) {
    let caught: unknown;
    try {
      parseAccounts(doc, 'f.json');
    } catch (error) {
      caught = error;
    }
    expect(caught, `refused: ${JSON.stringify(doc)}`).toBeInstanceOf(Error);
    expect((caught as Error).message).toMatch(message);
    expect((caught as { code: string }).code).toBe('CONFORMANCE_INPUT');
  }
}

describe('accounts file', () => {
  const tmp = tempDir('accounts');
  afterAll(() => tmp.remove());

  it('reads the format of issue #6, in JSON and in YAML, and indexes every key by its holder', () => {
    const jsonFile = join(tmp.dir, 'a.json');
    writeFileSync(jsonFile, JSON.stringify(ISSUE_EXAMPLE));
    const yamlFile = join(tmp.dir, 'a.yaml');
    writeFileSync(yamlFile, 'accounts:\n  - id: "1746495857600001"\n    accessKeyId: AK1\n    accessKeySecret: SK1\n    users:\n      - {id: "2021476040493501", accessKeyId: AK2, accessKeySecret: SK2}\n    roles:\n      - name: role-name\n        sessions:\n          - {name: session-name, accessKeyId: STS.AK3, accessKeySecret: SK3, securityToken: T3}\n');
    const fromJson = loadAccounts(jsonFile);
    expect(loadAccounts(yamlFile)).toEqual(fromJson);
    const keys = keyIndex(fromJson);
    expect([...keys.keys()]).toEqual(['AK1', 'AK2', 'STS.AK3']);
    expect(keys.get('AK1')!.holder.kind).toBe('account');
    const user = keys.get('AK2')!;
    expect(user.holder.kind === 'user' && user.holder.user.id).toBe('2021476040493501');
    const session = keys.get('STS.AK3')!;
    expect(session.securityToken).toBe('T3');
    expect(session.holder.kind === 'session' && `${session.holder.role.name}/${session.holder.session.name}`).toBe('role-name/session-name');
  });

  it('reads APS apps', () => {
    const accounts = parseAccounts({ apps: [{ clientId: 'c1', clientSecret: 's1' }] });
    expect(accounts.apps).toEqual([{ clientId: 'c1', clientSecret: 's1' }]);
    expect(accounts.accounts).toEqual([]);
  });

  it('gives an expiration to a session that names one', () => {
    const doc = structuredClone(ISSUE_EXAMPLE) as { accounts: Array<{ roles: Array<{ sessions: Array<Record<string, string>> }> }> };
    doc.accounts[0]!.roles[0]!.sessions[0]!.expiration = '2020-01-01T00:00:00Z';
    expect(keyIndex(parseAccounts(doc)).get('STS.AK3')!.expiresAt).toBe(Date.parse('2020-01-01T00:00:00Z'));
  });

  it('names the file and the field of every mistake', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /f\.json: `\(top level\)` must be an object/],
      [{ accounts: {} }, /`accounts` must be a list/],
      [{ accounts: [{ id: 'x', accessKeyId: 'A' }] }, /`accounts\[0\]\.accessKeySecret` must be a non-empty string/],
      [{ accounts: [{ id: 'x', accessKeyId: 'A', accessKeySecret: 'S', secret: 1 }] }, /`accounts\[0\]`: unknown field `secret`/],
      [{ accounts: [{ id: 'x', accessKeyId: 'A', accessKeySecret: 'S', users: [{ id: 'u', accessKeyId: 'A', accessKeySecret: 'S' }] }] }, /accessKeyId `A` is listed twice/],
      [{ apps: [{ clientId: 'c', clientSecret: 's' }, { clientId: 'c', clientSecret: 't' }] }, /clientId `c` is listed twice/],
      [{ accounts: [{ id: 'x', accessKeyId: 'A', accessKeySecret: 'S', roles: [{ name: 'r', sessions: [{ name: 's', accessKeyId: 'B', accessKeySecret: 'S', securityToken: 'T', expiration: 'soon' }] }] }] }, /not an ISO 8601 date: `soon`/],
      [{ colour: 'blue' }, /unknown field `colour`/],
    ];
    expectRefused(cases);
  });

  it('reads the emulator-only log delivery key of an OBS file, and lists it only when asked', () => {
    const doc = { ...structuredClone(ISSUE_EXAMPLE), logDelivery: { accessKeyId: 'LD1', accessKeySecret: 'LDS' } };
    const accounts = parseAccounts(doc, 'f.json');
    expect(accounts.logDelivery).toEqual({ accessKeyId: 'LD1', accessKeySecret: 'LDS' });
    // Without the option (the Alibaba dialect), the key is not there.
    expect([...keyIndex(accounts).keys()]).toEqual(['AK1', 'AK2', 'STS.AK3']);
    expect(keyRecords(accounts).map((r) => r.accessKeyId)).toEqual(['AK1', 'AK2', 'STS.AK3']);
    const all = keyIndex(accounts, { logDelivery: true });
    expect([...all.keys()]).toEqual(['AK1', 'AK2', 'STS.AK3', 'LD1']);
    const record = all.get('LD1')!;
    expect(record.holder).toEqual({ kind: 'log-delivery', entry: { accessKeyId: 'LD1', accessKeySecret: 'LDS' } });
    expect(record.accessKeySecret).toBe('LDS');
    expect(record.securityToken).toBeUndefined();
    // A file without it has none.
    expect(parseAccounts(ISSUE_EXAMPLE).logDelivery).toBeUndefined();
    expect('logDelivery' in parseAccounts(ISSUE_EXAMPLE)).toBe(false);
    expect(keyRecords(parseAccounts(ISSUE_EXAMPLE), { logDelivery: true })).toHaveLength(3);
  });

  it('names the file and the field of every mistake in `logDelivery`', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...ISSUE_EXAMPLE, logDelivery: 'LD1' }, /f\.json: `logDelivery` must be an object/],
      [{ ...ISSUE_EXAMPLE, logDelivery: [] }, /`logDelivery` must be an object/],
      [{ ...ISSUE_EXAMPLE, logDelivery: { accessKeyId: 'LD1' } }, /`logDelivery\.accessKeySecret` must be a non-empty string/],
      [{ ...ISSUE_EXAMPLE, logDelivery: { accessKeyId: '', accessKeySecret: 'S' } }, /`logDelivery\.accessKeyId` must be a non-empty string/],
      [{ ...ISSUE_EXAMPLE, logDelivery: { accessKeyId: 'LD1', accessKeySecret: 'S', securityToken: 'T' } }, /`logDelivery`: unknown field `securityToken`/],
      // Its key is one more AccessKey: it may not repeat another's.
      [{ ...ISSUE_EXAMPLE, logDelivery: { accessKeyId: 'AK2', accessKeySecret: 'S' } }, /accessKeyId `AK2` is listed twice/],
      [{ apps: [{ clientId: 'c', clientSecret: 's' }], logDelivery: { accessKeyId: 'LD1', accessKeySecret: 'S' } }, /`logDelivery` is a Huawei OBS identity; a file with `apps` \(APS\) has none/],
    ];
    expectRefused(cases);
  });

  it('reads the emulator-only administrator key of an OSS file, and lists it only when asked', () => {
    const doc = { ...structuredClone(ISSUE_EXAMPLE), admin: { accessKeyId: 'ADM', accessKeySecret: 'ADMS' } };
    const accounts = parseAccounts(doc, 'f.json');
    expect(accounts.admin).toEqual({ accessKeyId: 'ADM', accessKeySecret: 'ADMS' });
    // Without the option (and with the OBS dialect's), the key is not there.
    expect([...keyIndex(accounts).keys()]).toEqual(['AK1', 'AK2', 'STS.AK3']);
    expect(keyRecords(accounts).map((r) => r.accessKeyId)).toEqual(['AK1', 'AK2', 'STS.AK3']);
    expect([...keyIndex(accounts, { logDelivery: true }).keys()]).toEqual(['AK1', 'AK2', 'STS.AK3']);
    const all = keyIndex(accounts, { admin: true });
    expect([...all.keys()]).toEqual(['AK1', 'AK2', 'STS.AK3', 'ADM']);
    const record = all.get('ADM')!;
    expect(record.holder).toEqual({ kind: 'admin', entry: { accessKeyId: 'ADM', accessKeySecret: 'ADMS' } });
    expect(record.accessKeySecret).toBe('ADMS');
    expect(record.securityToken).toBeUndefined();
    // Both extra keys when both are asked for (a file may have both; each dialect asks for its own).
    const both = parseAccounts({ ...doc, logDelivery: { accessKeyId: 'LD1', accessKeySecret: 'LDS' } });
    expect(keyRecords(both, { logDelivery: true, admin: true }).map((r) => r.holder.kind)).toEqual(['account', 'user', 'session', 'log-delivery', 'admin']);
    // A file without it has none.
    expect('admin' in parseAccounts(ISSUE_EXAMPLE)).toBe(false);
    expect(keyRecords(parseAccounts(ISSUE_EXAMPLE), { admin: true })).toHaveLength(3);
  });

  it('names the file and the field of every mistake in `admin`', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...ISSUE_EXAMPLE, admin: 'ADM' }, /f\.json: `admin` must be an object/],
      [{ ...ISSUE_EXAMPLE, admin: { accessKeyId: 'ADM' } }, /`admin\.accessKeySecret` must be a non-empty string/],
      [{ ...ISSUE_EXAMPLE, admin: { accessKeyId: '', accessKeySecret: 'S' } }, /`admin\.accessKeyId` must be a non-empty string/],
      [{ ...ISSUE_EXAMPLE, admin: { accessKeyId: 'ADM', accessKeySecret: 'S', account: '1' } }, /`admin`: unknown field `account`/],
      // Its key is one more AccessKey: it may not repeat another's, the log delivery key's included.
      [{ ...ISSUE_EXAMPLE, admin: { accessKeyId: 'AK1', accessKeySecret: 'S' } }, /accessKeyId `AK1` is listed twice/],
      [{ ...ISSUE_EXAMPLE, admin: { accessKeyId: 'K', accessKeySecret: 'S' }, logDelivery: { accessKeyId: 'K', accessKeySecret: 'T' } }, /accessKeyId `K` is listed twice/],
      [{ apps: [{ clientId: 'c', clientSecret: 's' }], admin: { accessKeyId: 'ADM', accessKeySecret: 'S' } }, /`admin` is an AccessKey of the Alibaba OSS emulator; a file with `apps` \(APS\) has none/],
    ];
    expectRefused(cases);
  });

  it('reports an unreadable or unparsable file as an input error', () => {
    expect(() => loadAccounts(join(tmp.dir, 'missing.json'))).toThrow(/missing\.json: cannot read the accounts file/);
    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, 'accounts: [\n');
    expect(() => loadAccounts(bad)).toThrow(/bad\.yaml: not JSON or YAML/);
  });

  it.each(VENDORS)('has a documented default set for %s, with distinct keys', (vendor) => {
    expect(defaultAccountsFile(vendor)).toMatch(new RegExp(`emulator/default-accounts/${vendor}\\.json$`));
    const accounts = defaultAccounts(vendor);
    if (vendor === 'aps-oss') {
      expect(accounts.apps.length).toBeGreaterThanOrEqual(2);
    } else {
      // Owner, another account, users of each, and (Alibaba) role sessions: enough for the policy rules.
      expect(accounts.accounts.length).toBeGreaterThanOrEqual(2);
      expect(accounts.accounts[0]!.users.length).toBeGreaterThanOrEqual(1);
      expect(keyIndex(accounts).size).toBeGreaterThanOrEqual(accounts.accounts.length + 1);
    }
    // The OBS set has the emulator-only log delivery key (emulator/huawei-obs/README.md); the others have none.
    if (vendor === 'huawei-obs') expect(keyIndex(accounts, { logDelivery: true }).get(accounts.logDelivery!.accessKeyId)!.holder.kind).toBe('log-delivery');
    else expect(accounts.logDelivery).toBeUndefined();
    // The Alibaba set has the emulator-only administrator key (emulator/alibaba-oss/README.md), outside the normal index.
    if (vendor === 'alibaba-oss') {
      expect(keyIndex(accounts, { admin: true }).get(accounts.admin!.accessKeyId)!.holder.kind).toBe('admin');
      expect(keyIndex(accounts).has(accounts.admin!.accessKeyId)).toBe(false);
    } else {
      expect(accounts.admin).toBeUndefined();
    }
  });

  it('gives the Alibaba default set several sessions of one role in the owner\'s account, and other accounts with sessions, for the role-session worlds', () => {
    const accounts = defaultAccounts('alibaba-oss');
    // ALI-PRINCIPAL-STS and ALI-SCENARIOS.scenario-4 need, in the bucket owner's account, a role with three sessions and two more roles.
    const ownerRoles = accounts.accounts[0]!.roles.map((r) => r.sessions.length).sort((a, b) => b - a);
    expect(ownerRoles.length).toBeGreaterThanOrEqual(3);
    expect(ownerRoles[0]).toBeGreaterThanOrEqual(3);
    // Generated scenes send as two other UIDs and two sessions of two other accounts: four other accounts with sessions.
    expect(accounts.accounts.slice(1).filter((a) => a.roles.some((r) => r.sessions.length > 0)).length).toBeGreaterThanOrEqual(4);
  });
});
