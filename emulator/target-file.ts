/**
 * The target file of a running emulator, for the live HTTP adapter: its endpoint, addressing,
 * signature and every identity of its accounts, with the secrets in environment variables
 * (named in the file, their values returned apart). The tests use it to run the suites against
 * the emulator; a user can write one with it too.
 */
import { stringify } from 'yaml';
import type { Vendor } from '../model/vendors.ts';
import type { EmulatorAccounts } from './accounts.ts';

/** A target file's text, and the environment its secrets are read from. */
export interface EmulatorTarget {
  yaml: string;
  env: Record<string, string>;
}

const VENDOR_TAG: Readonly<Record<Vendor, string>> = { 'alibaba-oss': 'ALI', 'huawei-obs': 'OBS', 'aps-oss': 'APS' };

/**
 * The target file of an emulator of `vendor` at `url` with `accounts`: the first account (or
 * app) is the bucket owner; `sourceIp: loopback` since the emulator is on this machine; the
 * emulator-only source-VPC header is claimed (`request.source-vpc`, Alibaba OSS); for Huawei OBS,
 * the emulator-only log delivery key, when the accounts have one, is the last identity (kind
 * `log-delivery`); for Alibaba OSS, so is the emulator-only administrator key (kind `admin`),
 * which the live adapter uses only to clean up.
 */
export function emulatorTarget(vendor: Vendor, url: string, accounts: EmulatorAccounts, extra: { prefix?: string; limits?: Record<string, number>; sourceIp?: 'loopback' | 'header' } = {}): EmulatorTarget {
  const envName = (...parts: string[]): string => ['BC_EMU', VENDOR_TAG[vendor], ...parts].join('_').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const env: Record<string, string> = {};
  const identities: Record<string, unknown>[] = [];
  if (vendor === 'aps-oss') {
    accounts.apps.forEach((app, i) => {
      const name = envName('APP', String(i + 1), 'SECRET');
      env[name] = app.clientSecret;
      identities.push({ kind: 'app', clientId: app.clientId, clientSecretEnv: name });
    });
  } else {
    accounts.accounts.forEach((account, i) => {
      const a = envName('ACCOUNT', String(i + 1), 'SECRET');
      env[a] = account.accessKeySecret;
      identities.push({ kind: 'account', id: account.id, accessKeyId: account.accessKeyId, accessKeySecretEnv: a });
    });
    accounts.accounts.forEach((account, i) => {
      account.users.forEach((user, j) => {
        const u = envName('ACCOUNT', String(i + 1), 'USER', String(j + 1), 'SECRET');
        env[u] = user.accessKeySecret;
        identities.push({ kind: 'user', id: user.id, account: account.id, ...(user.name === undefined ? {} : { name: user.name }), accessKeyId: user.accessKeyId, accessKeySecretEnv: u });
      });
      account.roles.forEach((role, j) => {
        role.sessions.forEach((session, k) => {
          const s = envName('ACCOUNT', String(i + 1), 'ROLE', String(j + 1), 'SESSION', String(k + 1));
          env[`${s}_SECRET`] = session.accessKeySecret;
          env[`${s}_TOKEN`] = session.securityToken;
          identities.push({ kind: 'session', account: account.id, role: role.name, session: session.name, accessKeyId: session.accessKeyId, accessKeySecretEnv: `${s}_SECRET`, securityTokenEnv: `${s}_TOKEN` });
        });
      });
    });
    // The emulator-only key of the OBS log delivery service (emulator/huawei-obs/README.md "The log delivery service").
    if (vendor === 'huawei-obs' && accounts.logDelivery !== undefined) {
      const l = envName('LOG', 'DELIVERY', 'SECRET');
      env[l] = accounts.logDelivery.accessKeySecret;
      identities.push({ kind: 'log-delivery', accessKeyId: accounts.logDelivery.accessKeyId, accessKeySecretEnv: l });
    }
    // The emulator-only administrator key of the OSS dialect (emulator/alibaba-oss/README.md "The administrator key").
    if (vendor === 'alibaba-oss' && accounts.admin !== undefined) {
      const m = envName('ADMIN', 'SECRET');
      env[m] = accounts.admin.accessKeySecret;
      identities.push({ kind: 'admin', accessKeyId: accounts.admin.accessKeyId, accessKeySecretEnv: m });
    }
  }
  const doc = {
    vendor,
    endpoint: url,
    addressing: 'path',
    ...(vendor === 'alibaba-oss' ? { region: 'cn-hangzhou', signature: 'v4' } : vendor === 'huawei-obs' ? { region: 'cn-north-4', signature: 'obs' } : { region: 'US', signature: 'bearer' }),
    // `header` only for an emulator started with trustSourceIpHeader (`serve --trust-source-ip-header`).
    sourceIp: extra.sourceIp ?? 'loopback',
    capabilities: vendor === 'alibaba-oss' ? ['request.source-vpc'] : vendor === 'aps-oss' ? ['grant.any-client-id'] : [],
    ...(extra.prefix === undefined ? {} : { prefix: extra.prefix }),
    ...(extra.limits === undefined ? {} : { limits: extra.limits }),
    identities,
  };
  return { yaml: `# The target file of a bucket-conformance emulator (${vendor}); secrets come from the environment.\n${stringify(doc)}`, env };
}
