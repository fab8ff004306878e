/** The emulator's identities: the accounts file (JSON or YAML), its errors, and the default sets. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultAccounts, defaultAccountsFile, keyIndex, loadAccounts, parseAccounts } from '../../emulator/accounts.ts';
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
    for (const [doc, message] of cases) {
      expect(() => parseAccounts(doc, 'f.json')).toThrow(message);
      try {
        parseAccounts(doc, 'f.json');
      } catch (error) {
        expect((error as { code: string }).code).toBe('CONFORMANCE_INPUT');
      }
    }
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
  });
});
