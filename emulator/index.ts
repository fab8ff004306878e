/**
 * The emulator: a `node:http` server that puts the reference evaluators behind each vendor's
 * wire protocol, for developing against and for the live HTTP adapter's end-to-end runs.
 */
export {
  defaultAccounts,
  defaultAccountsFile,
  keyIndex,
  keyRecords,
  loadAccounts,
  parseAccounts,
  type AccountEntry,
  type AdminEntry,
  type AdminHolder,
  type AnyKeyHolder,
  type AppEntry,
  type EmulatorAccounts,
  type KeyHolder,
  type KeyOptions,
  type KeyRecord,
  type LogDeliveryEntry,
  type LogDeliveryHolder,
  type RoleEntry,
  type SessionCredential,
  type UserEntry,
} from './accounts.ts';
export { DEFAULT_MAX_BODY_BYTES, startEmulator, type EmulatorOptions, type RunningEmulator } from './server.ts';
export { emulatorTarget, type EmulatorTarget } from './target-file.ts';
export { EmulatorFault, SOURCE_IP_HEADER, SOURCE_VPC_HEADER, type Dialect, type DialectFactory, type DialectOptions, type Exchange, type FaultKind } from './types.ts';
