/**
 * The identities an emulator knows: for Alibaba OSS and Huawei OBS, accounts with their users
 * and role sessions (each with an AccessKey pair, sessions with a security token); for Huawei OBS
 * also, optionally, an emulator-only AccessKey of the log delivery service; for APS, apps with
 * client credentials; for Alibaba OSS, optionally, an emulator-only administrator key. Read from a
 * JSON or YAML file, or the documented default set.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ConformanceError } from '../model/errors.ts';
import type { Vendor } from '../model/vendors.ts';

/** A temporary credential of a role session (Alibaba STS, Huawei agency). */
export interface SessionCredential {
  name: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ISO 8601; after it the credential is refused as expired. Absent: never expires. */
  expiration?: string;
}

/** A role of an account and its live sessions. */
export interface RoleEntry {
  name: string;
  sessions: SessionCredential[];
}

/** A user of an account (Alibaba RAM user, Huawei IAM user). */
export interface UserEntry {
  id: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The user name; Huawei principals may name it. Defaults to the id. */
  name?: string;
}

/** An account (Alibaba UID, Huawei domain id) with its own AccessKey pair. */
export interface AccountEntry {
  id: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Shown as DisplayName in owner elements. Defaults to the id. */
  displayName?: string;
  users: UserEntry[];
  roles: RoleEntry[];
}

/** An APS app: its client credentials. */
export interface AppEntry {
  clientId: string;
  clientSecret: string;
}

/**
 * The AccessKey pair of the log delivery service (Huawei OBS: the only member of the LogDelivery
 * group, the reference's principal `log-delivery`). Emulator-only: a real OBS gives no client
 * such a credential (emulator/huawei-obs/README.md "Identities and principals").
 */
export interface LogDeliveryEntry {
  accessKeyId: string;
  accessKeySecret: string;
}

/**
 * The AccessKey pair of the emulator's administrator (Alibaba OSS): a request signed with it is
 * allowed every bucket, policy and object operation on any bucket without the evaluator being
 * asked. It is not an identity the suites test; it exists only so that a test harness can always
 * remove what it built, even a bucket whose policy shuts its owner out. A real OSS has nothing
 * like it (emulator/alibaba-oss/README.md "The administrator key").
 */
export interface AdminEntry {
  accessKeyId: string;
  accessKeySecret: string;
}

/**
 * Everything an emulator knows about identities. A file for OSS/OBS fills `accounts`, a file for
 * APS fills `apps`; an OBS file may add `logDelivery`, an OSS file `admin`.
 */
export interface EmulatorAccounts {
  accounts: AccountEntry[];
  apps: AppEntry[];
  logDelivery?: LogDeliveryEntry;
  admin?: AdminEntry;
}

/**
 * Who holds an AccessKey of an account: the account itself, one of its users, or a role session.
 * The log delivery key's holder is the kind `log-delivery` of `AnyKeyHolder`, kept out of this
 * union so that the dialects that have no such identity (Alibaba OSS) never meet it.
 */
export type KeyHolder =
  | { kind: 'account'; account: AccountEntry }
  | { kind: 'user'; account: AccountEntry; user: UserEntry }
  | { kind: 'session'; account: AccountEntry; role: RoleEntry; session: SessionCredential };

/** The holder of the OBS log delivery key: the log delivery service, which belongs to no account. */
export interface LogDeliveryHolder {
  kind: 'log-delivery';
  entry: LogDeliveryEntry;
}

/** Any holder of a key: an account's (`KeyHolder`) or the log delivery service. */
export type AnyKeyHolder = KeyHolder | LogDeliveryHolder;

/**
 * The holder of the emulator's administrator key (Alibaba OSS): nobody the evaluator knows. Kept
 * out of `AnyKeyHolder` too, so that only a dialect that asks for it (`{admin: true}`) meets it.
 */
export interface AdminHolder {
  kind: 'admin';
  entry: AdminEntry;
}

/** An AccessKey pair as the emulator verifies it, with whom it belongs to. */
export interface KeyRecord<H extends AnyKeyHolder | AdminHolder = KeyHolder> {
  accessKeyId: string;
  accessKeySecret: string;
  /** Present for session credentials: the request must carry it. */
  securityToken?: string;
  /** Milliseconds since the epoch after which the key is refused. */
  expiresAt?: number;
  holder: H;
}

/** A key record of any holder, the log delivery service's included. */
export type AnyKeyRecord = KeyRecord<AnyKeyHolder>;

/**
 * Which keys `keyRecords` and `keyIndex` list besides the accounts': the log delivery key (Huawei
 * OBS only), the administrator key (Alibaba OSS only).
 */
export interface KeyOptions {
  logDelivery?: true;
  admin?: true;
}

/** The holders of the keys listed with options `O`. */
export type HolderOf<O extends KeyOptions> =
  | KeyHolder
  | (O['logDelivery'] extends true ? LogDeliveryHolder : never)
  | (O['admin'] extends true ? AdminHolder : never);

/** The file holding a vendor's default identities (documented in `emulator/README.md`). */
export function defaultAccountsFile(vendor: Vendor): string {
  return fileURLToPath(new URL(`./default-accounts/${vendor}.json`, import.meta.url));
}

/**
 * The default identities of a vendor's emulator, used when `serve` has no `--accounts`: the
 * file `defaultAccountsFile(vendor)`. The keys are test keys for loopback only.
 */
export function defaultAccounts(vendor: Vendor): EmulatorAccounts {
  return loadAccounts(defaultAccountsFile(vendor));
}

type Where = string;

function fail(file: string, message: string): never {
  throw new ConformanceError('CONFORMANCE_INPUT', `${file}: ${message}`);
}

function str(file: string, where: Where, value: unknown, optional = false): string | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value === '') fail(file, `\`${where}\` must be a non-empty string`);
  return value;
}

function list(file: string, where: Where, value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(file, `\`${where}\` must be a list`);
  return value;
}

function obj(file: string, where: Where, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, `\`${where}\` must be an object`);
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(file, `\`${where}\`: unknown field \`${key}\``);
  return value as Record<string, unknown>;
}

/** Checks a parsed accounts document; `file` names it in messages. */
export function parseAccounts(value: unknown, file = 'accounts'): EmulatorAccounts {
  const top = obj(file, '(top level)', value, ['accounts', 'apps', 'logDelivery', 'admin']);
  const accounts = list(file, 'accounts', top.accounts).map((a, i): AccountEntry => {
    const w = `accounts[${i}]`;
    const o = obj(file, w, a, ['id', 'accessKeyId', 'accessKeySecret', 'displayName', 'users', 'roles']);
    const displayName = str(file, `${w}.displayName`, o.displayName, true);
    return {
      id: str(file, `${w}.id`, o.id)!,
      accessKeyId: str(file, `${w}.accessKeyId`, o.accessKeyId)!,
      accessKeySecret: str(file, `${w}.accessKeySecret`, o.accessKeySecret)!,
      ...(displayName === undefined ? {} : { displayName }),
      users: list(file, `${w}.users`, o.users).map((u, j): UserEntry => {
        const uw = `${w}.users[${j}]`;
        const uo = obj(file, uw, u, ['id', 'name', 'accessKeyId', 'accessKeySecret']);
        const name = str(file, `${uw}.name`, uo.name, true);
        return { id: str(file, `${uw}.id`, uo.id)!, accessKeyId: str(file, `${uw}.accessKeyId`, uo.accessKeyId)!, accessKeySecret: str(file, `${uw}.accessKeySecret`, uo.accessKeySecret)!, ...(name === undefined ? {} : { name }) };
      }),
      roles: list(file, `${w}.roles`, o.roles).map((r, j): RoleEntry => {
        const rw = `${w}.roles[${j}]`;
        const ro = obj(file, rw, r, ['name', 'sessions']);
        return {
          name: str(file, `${rw}.name`, ro.name)!,
          sessions: list(file, `${rw}.sessions`, ro.sessions).map((s, k): SessionCredential => {
            const sw = `${rw}.sessions[${k}]`;
            const so = obj(file, sw, s, ['name', 'accessKeyId', 'accessKeySecret', 'securityToken', 'expiration']);
            const expiration = str(file, `${sw}.expiration`, so.expiration, true);
            if (expiration !== undefined && Number.isNaN(Date.parse(expiration))) fail(file, `\`${sw}.expiration\` is not an ISO 8601 date: \`${expiration}\``);
            return {
              name: str(file, `${sw}.name`, so.name)!,
              accessKeyId: str(file, `${sw}.accessKeyId`, so.accessKeyId)!,
              accessKeySecret: str(file, `${sw}.accessKeySecret`, so.accessKeySecret)!,
              securityToken: str(file, `${sw}.securityToken`, so.securityToken)!,
              ...(expiration === undefined ? {} : { expiration }),
            };
          }),
        };
      }),
    };
  });
  const apps = list(file, 'apps', top.apps).map((a, i): AppEntry => {
    const o = obj(file, `apps[${i}]`, a, ['clientId', 'clientSecret']);
    return { clientId: str(file, `apps[${i}].clientId`, o.clientId)!, clientSecret: str(file, `apps[${i}].clientSecret`, o.clientSecret)! };
  });
  let logDelivery: LogDeliveryEntry | undefined;
  if (top.logDelivery !== undefined) {
    // Huawei OBS only (the LogDelivery group, vendor notes huawei-obs.md §5.4); an APS file has apps, no AccessKeys.
    if (apps.length > 0) fail(file, '`logDelivery` is a Huawei OBS identity; a file with `apps` (APS) has none');
    const o = obj(file, 'logDelivery', top.logDelivery, ['accessKeyId', 'accessKeySecret']);
    logDelivery = { accessKeyId: str(file, 'logDelivery.accessKeyId', o.accessKeyId)!, accessKeySecret: str(file, 'logDelivery.accessKeySecret', o.accessKeySecret)! };
  }
  let admin: AdminEntry | undefined;
  if (top.admin !== undefined) {
    // Alibaba OSS only (emulator/alibaba-oss/README.md "The administrator key"); an APS file has apps, no AccessKeys.
    if (apps.length > 0) fail(file, '`admin` is an AccessKey of the Alibaba OSS emulator; a file with `apps` (APS) has none');
    const o = obj(file, 'admin', top.admin, ['accessKeyId', 'accessKeySecret']);
    admin = { accessKeyId: str(file, 'admin.accessKeyId', o.accessKeyId)!, accessKeySecret: str(file, 'admin.accessKeySecret', o.accessKeySecret)! };
  }
  const extras = { ...(logDelivery === undefined ? {} : { logDelivery }), ...(admin === undefined ? {} : { admin }) };
  const seen = new Set<string>();
  for (const record of keyRecords({ accounts, apps, ...extras }, { logDelivery: true, admin: true })) {
    if (seen.has(record.accessKeyId)) fail(file, `accessKeyId \`${record.accessKeyId}\` is listed twice`);
    seen.add(record.accessKeyId);
  }
  const clients = new Set<string>();
  for (const app of apps) {
    if (clients.has(app.clientId)) fail(file, `clientId \`${app.clientId}\` is listed twice`);
    clients.add(app.clientId);
  }
  return { accounts, apps, ...extras };
}

/** Reads an accounts file, JSON or YAML (JSON is YAML). */
export function loadAccounts(file: string): EmulatorAccounts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: cannot read the accounts file: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: not JSON or YAML: ${(error as Error).message}`);
  }
  return parseAccounts(value, file);
}

/**
 * Every AccessKey pair of the accounts, their users and their role sessions; with
 * `{logDelivery: true}` (the OBS dialect), also the log delivery key when the file has one; with
 * `{admin: true}` (the OSS dialect), also the administrator key when the file has one.
 */
export function keyRecords(accounts: EmulatorAccounts): KeyRecord[];
export function keyRecords<O extends KeyOptions>(accounts: EmulatorAccounts, options: O): KeyRecord<HolderOf<O>>[];
export function keyRecords(accounts: EmulatorAccounts, options?: KeyOptions): KeyRecord<AnyKeyHolder | AdminHolder>[] {
  const records: KeyRecord<AnyKeyHolder | AdminHolder>[] = [];
  for (const account of accounts.accounts) {
    records.push({ accessKeyId: account.accessKeyId, accessKeySecret: account.accessKeySecret, holder: { kind: 'account', account } });
    for (const user of account.users) records.push({ accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret, holder: { kind: 'user', account, user } });
    for (const role of account.roles) {
      for (const session of role.sessions) {
        const record: KeyRecord = { accessKeyId: session.accessKeyId, accessKeySecret: session.accessKeySecret, securityToken: session.securityToken, holder: { kind: 'session', account, role, session } };
        if (session.expiration !== undefined) record.expiresAt = Date.parse(session.expiration);
        records.push(record);
      }
    }
  }
  const logDelivery = accounts.logDelivery;
  if (options?.logDelivery === true && logDelivery !== undefined) {
    records.push({ accessKeyId: logDelivery.accessKeyId, accessKeySecret: logDelivery.accessKeySecret, holder: { kind: 'log-delivery', entry: logDelivery } });
  }
  const admin = accounts.admin;
  if (options?.admin === true && admin !== undefined) {
    records.push({ accessKeyId: admin.accessKeyId, accessKeySecret: admin.accessKeySecret, holder: { kind: 'admin', entry: admin } });
  }
  return records;
}

/** A lookup of AccessKey ids (with `{logDelivery: true}` the log delivery key's too, with `{admin: true}` the administrator's). */
export function keyIndex(accounts: EmulatorAccounts): ReadonlyMap<string, KeyRecord>;
export function keyIndex<O extends KeyOptions>(accounts: EmulatorAccounts, options: O): ReadonlyMap<string, KeyRecord<HolderOf<O>>>;
export function keyIndex(accounts: EmulatorAccounts, options?: KeyOptions): ReadonlyMap<string, KeyRecord<AnyKeyHolder | AdminHolder>> {
  const records = options === undefined ? keyRecords(accounts) : keyRecords(accounts, options);
  return new Map(records.map((r) => [r.accessKeyId, r]));
}
