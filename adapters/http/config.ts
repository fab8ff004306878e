/**
 * The target configuration of the live HTTP adapter: a YAML file naming the vendor, the
 * endpoint, the addressing style, the region, the signature, the identities the suite may use,
 * what the target can do, and the limits of a run. Secrets never live in the file: each is named
 * by the environment variable that holds it (`accessKeySecretEnv: ALI_OWNER_SECRET`), and a
 * literal secret in the file is an error. Every problem is reported as `file:line:col`.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { CAPABILITIES, isCapability, type Capability } from '../../model/capabilities.ts';
import { ConformanceError, ConformanceErrors } from '../../model/errors.ts';
import { isVendor, type Vendor } from '../../model/vendors.ts';

/** How the bucket is named in a request: in the path (`/bucket/key`) or in the Host (`bucket.endpoint`). */
export const ADDRESSING_STYLES = ['path', 'virtual-host'] as const;
/** One addressing style. */
export type AddressingStyle = (typeof ADDRESSING_STYLES)[number];

/** The signatures each vendor's dialect can send (as the official SDKs sign). */
export const SIGNATURES: Readonly<Record<Vendor, readonly string[]>> = {
  'alibaba-oss': ['v1', 'v4'],
  'huawei-obs': ['obs', 'aws-v2'],
  'aps-oss': ['bearer'],
};

/** How the adapter controls the source address of a request (`acs:SourceIp`, OBS `SourceIp`). */
export const SOURCE_IP_MODES = ['loopback', 'known', 'header', 'none'] as const;
/**
 * `loopback`: the endpoint is on this machine, and the adapter chooses any address of
 * 127.0.0.0/8 by binding its side of the connection (the emulator). `known`: requests come from
 * one address, written in the file (`address`) or discovered when the run starts (`discover`,
 * see `source-address.ts`), and generators build conditions around it (a real endpoint).
 * `header`: an emulator started with `--trust-source-ip-header` takes any v4 or v6 address from
 * the emulator-only header `x-bucket-conformance-source-ip`. `none`: conditions on the source
 * address are not exercised.
 */
export type SourceIpMode = (typeof SOURCE_IP_MODES)[number];

/** Kinds of identity in a target file. */
export const IDENTITY_KINDS = ['account', 'user', 'session', 'app', 'log-delivery', 'admin'] as const;
/** One kind of identity. */
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/**
 * An identity the suite may act as. Account: `id` (UID / domain id) and an AccessKey. User: its
 * `id`, its `account`, optionally its `name`, and an AccessKey. Session: its `account`, `role` and
 * `session` names, an AccessKey and a security token. App (APS): `clientId` and a secret.
 * Log delivery (Huawei OBS, emulator-only): an AccessKey of the log delivery service, the
 * LogDelivery group's only member, which a real OBS never gives a client; the OBS emulator has one
 * (emulator/huawei-obs/README.md "The log delivery service"). At most one, never the owner.
 * Admin (Alibaba OSS, emulator-only): the emulator's administrator key, allowed everything on
 * every bucket without any policy being consulted (emulator/alibaba-oss/README.md "The
 * administrator key"); the adapter uses it only to put back and remove what it built when the
 * owner cannot, never to send a request under test, and a real OSS has no such key. At most one,
 * never the owner. Secrets are resolved from the environment when the adapter starts.
 */
export interface IdentityConfig {
  kind: IdentityKind;
  id?: string;
  account?: string;
  name?: string;
  role?: string;
  session?: string;
  accessKeyId?: string;
  /** Environment variables holding the secrets. */
  accessKeySecretEnv?: string;
  securityTokenEnv?: string;
  clientId?: string;
  clientSecretEnv?: string;
  /** Where the identity is written in the file (`file:line:col`), for messages. */
  where: string;
}

/** The limits of a run against the target. */
export interface TargetLimits {
  /** At most this many HTTP requests in the whole run; past it, cases are inconclusive. */
  maxRequests: number;
  /** At most this many requests in flight at once. */
  concurrency: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts per request, the first included, for faults (resets, timeouts, 5xx, 429). */
  attempts: number;
  /** Backoff before the n-th retry: random in [0, min(maxBackoffMs, baseBackoffMs * 2^n)] ("full jitter"). */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** After a policy or ACL change, poll until the target shows it, for at most this long (0: no polling). */
  settleMs: number;
}

/** A parsed target file, secrets not yet resolved. */
export interface TargetConfig {
  /** The file, as given. */
  file: string;
  vendor: Vendor;
  /** `http://host:port` or `https://host`, without a path. */
  endpoint: string;
  addressing: AddressingStyle;
  region: string;
  signature: string;
  /** The bucket owner: the identity that creates every bucket of the run. */
  owner: IdentityConfig;
  /** Every other identity, in file order. */
  others: IdentityConfig[];
  /** Capabilities the target claims beyond what the identities show (anonymous requests, ACLs, ...). */
  capabilities: Capability[];
  sourceIp: SourceIpMode;
  /** For `sourceIp: known`: the address the endpoint sees (written in the file, or discovered when the run starts). */
  knownSourceIp?: string;
  /**
   * For `sourceIp: known` without `address`: how the adapter discovers the address when the run
   * starts: `local` (the local address of a connection to the endpoint; the default) or an http(s)
   * URL whose answer is the address as the internet sees it.
   */
  discoverSourceIp?: string;
  /** The run prefix's first part; a run adds a timestamp and random letters. */
  prefix: string;
  limits: TargetLimits;
}

/** The defaults of `limits`. */
export const DEFAULT_LIMITS: Readonly<TargetLimits> = Object.freeze({
  maxRequests: 20_000,
  concurrency: 8,
  timeoutMs: 15_000,
  attempts: 4,
  baseBackoffMs: 100,
  maxBackoffMs: 5_000,
  settleMs: 0,
});

/** Secret-bearing field names that may never hold a literal value. */
const LITERAL_SECRET_FIELDS = ['accessKeySecret', 'secretAccessKey', 'securityToken', 'clientSecret', 'secret', 'password', 'token'] as const;

const TOP_FIELDS = ['vendor', 'endpoint', 'addressing', 'region', 'signature', 'identities', 'capabilities', 'sourceIp', 'prefix', 'limits'];
const IDENTITY_FIELDS = ['kind', 'id', 'account', 'name', 'role', 'session', 'accessKeyId', 'accessKeySecretEnv', 'securityTokenEnv', 'clientId', 'clientSecretEnv'];
const LIMIT_FIELDS = Object.keys(DEFAULT_LIMITS);
const SOURCE_IP_FIELDS = ['mode', 'address', 'discover'];
const PREFIX_PATTERN = /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Path = readonly (string | number)[];

/** Parses and checks a target file's text; throws `ConformanceErrors` listing every problem. */
export function parseTargetConfig(text: string, file: string): TargetConfig {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false });
  const errors: ConformanceError[] = [];
  const position = (path: Path, key = false): { line: number; col: number } => {
    let node: unknown = doc.contents;
    let offset = (node as { range?: number[] } | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair === undefined) break;
        const target = key && i === path.length - 1 ? pair.key : pair.value;
        offset = (target as { range?: number[] } | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        offset = (item as { range?: number[] }).range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return lineCounter.linePos(offset);
  };
  const where = (path: Path): string => {
    const { line, col } = position(path);
    return `${file}:${line}:${col}`;
  };
  const problem = (path: Path, message: string, key = false): void => {
    const { line, col } = position(path, key);
    errors.push(new ConformanceError('CONFORMANCE_TARGET_CONFIG', message, { location: { file, line, column: col } }));
  };
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    errors.push(new ConformanceError('CONFORMANCE_TARGET_CONFIG', `not YAML: ${e.message.split('\n')[0]}`, { location: { file, line: pos.line, column: pos.col } }));
  }
  if (errors.length > 0) throw new ConformanceErrors(errors);
  const data = doc.toJS() as unknown;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problem([], 'a target file is a map with `vendor`, `endpoint` and `identities`');
    throw new ConformanceErrors(errors);
  }
  const top = data as Record<string, unknown>;
  for (const key of Object.keys(top)) if (!TOP_FIELDS.includes(key)) problem([key], `unknown field \`${key}\`; fields: ${TOP_FIELDS.join(', ')}`, true);

  const str = (path: Path, value: unknown, required: boolean): string | undefined => {
    if (value === undefined) {
      if (required) problem(path.slice(0, -1), `missing field \`${path[path.length - 1]}\``);
      return undefined;
    }
    if (typeof value !== 'string' || value === '') {
      problem(path, `\`${path.join('.')}\` must be a non-empty string`);
      return undefined;
    }
    return value;
  };
  const oneOf = <T extends string>(path: Path, value: unknown, allowed: readonly T[], fallback: T | undefined): T | undefined => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      problem(path, `\`${path.join('.')}\` must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}, not \`${String(value)}\``);
      return undefined;
    }
    return value as T;
  };

  const vendorText = str(['vendor'], top.vendor, true);
  let vendor: Vendor | undefined;
  if (vendorText !== undefined) {
    if (isVendor(vendorText)) vendor = vendorText;
    else problem(['vendor'], `unknown vendor \`${vendorText}\`; valid vendors: alibaba-oss, huawei-obs, aps-oss`);
  }
  const endpointText = str(['endpoint'], top.endpoint, true);
  let endpoint: string | undefined;
  if (endpointText !== undefined) {
    try {
      const url = new URL(endpointText);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') problem(['endpoint'], `the endpoint must be http or https, not \`${url.protocol}\``);
      else if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.username !== '' || url.password !== '') problem(['endpoint'], 'the endpoint is a scheme, a host and a port only: no path, query or credentials');
      else endpoint = url.origin;
    } catch {
      problem(['endpoint'], `\`${endpointText}\` is not a URL`);
    }
  }
  const addressing = oneOf(['addressing'], top.addressing, ADDRESSING_STYLES, 'path');
  const region = str(['region'], top.region, false) ?? (vendor === 'huawei-obs' ? 'cn-north-4' : vendor === 'aps-oss' ? 'US' : 'cn-hangzhou');
  const signatures = vendor === undefined ? [] : SIGNATURES[vendor];
  const signature = vendor === undefined ? undefined : oneOf(['signature'], top.signature, signatures, signatures[0]);
  // `sourceIp: MODE`, or `sourceIp: {mode: known, address: A}` / `{mode: known, discover: local|URL}`.
  let sourceIp: SourceIpMode | undefined;
  let knownSourceIp: string | undefined;
  let discoverSourceIp: string | undefined;
  if (typeof top.sourceIp === 'object' && top.sourceIp !== null && !Array.isArray(top.sourceIp)) {
    const o = top.sourceIp as Record<string, unknown>;
    for (const key of Object.keys(o)) if (!SOURCE_IP_FIELDS.includes(key)) problem(['sourceIp', key], `unknown field \`${key}\`; fields: ${SOURCE_IP_FIELDS.join(', ')}`, true);
    if (o.mode === undefined) problem(['sourceIp'], `missing field \`mode\` (${SOURCE_IP_MODES.join(', ')})`);
    sourceIp = oneOf(['sourceIp', 'mode'], o.mode, SOURCE_IP_MODES, undefined);
    knownSourceIp = str(['sourceIp', 'address'], o.address, false);
    if (knownSourceIp !== undefined && isIP(knownSourceIp) === 0) {
      problem(['sourceIp', 'address'], `\`sourceIp.address\` must be an IPv4 or IPv6 address, not \`${knownSourceIp}\``);
      knownSourceIp = undefined;
    }
    if (o.discover !== undefined) {
      const discover = str(['sourceIp', 'discover'], o.discover, false);
      if (discover !== undefined) {
        const problemText = discoverProblem(discover);
        if (problemText === undefined) discoverSourceIp = discover;
        else problem(['sourceIp', 'discover'], problemText);
      }
      if (o.address !== undefined) problem(['sourceIp', 'discover'], '`sourceIp` gives both `address` and `discover`: give the address the endpoint sees, or how to discover it, not both', true);
      else if (sourceIp !== undefined && sourceIp !== 'known') problem(['sourceIp', 'discover'], `\`sourceIp.discover\` goes with mode \`known\`, not \`${sourceIp}\``, true);
    }
  } else {
    sourceIp = oneOf(['sourceIp'], top.sourceIp, SOURCE_IP_MODES, 'none');
  }
  // `known` without an address is discovered from this machine: the local address of a connection to the endpoint.
  if (sourceIp === 'known' && knownSourceIp === undefined && discoverSourceIp === undefined) discoverSourceIp = 'local';
  const prefix = str(['prefix'], top.prefix, false) ?? 'bcrun';
  if (!PREFIX_PATTERN.test(prefix)) problem(['prefix'], `the prefix \`${prefix}\` must be 2 to 16 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen`);

  const capabilities: Capability[] = [];
  if (top.capabilities !== undefined) {
    if (!Array.isArray(top.capabilities)) problem(['capabilities'], '`capabilities` must be a list');
    else top.capabilities.forEach((c, i) => {
      if (isCapability(c)) capabilities.push(c);
      else problem(['capabilities', i], `unknown capability \`${String(c)}\`; capabilities: ${CAPABILITIES.join(', ')}`);
    });
  }

  const limits: TargetLimits = { ...DEFAULT_LIMITS };
  if (top.limits !== undefined) {
    if (typeof top.limits !== 'object' || top.limits === null || Array.isArray(top.limits)) problem(['limits'], '`limits` must be a map');
    else for (const [k, v] of Object.entries(top.limits as Record<string, unknown>)) {
      if (!LIMIT_FIELDS.includes(k)) problem(['limits', k], `unknown field \`${k}\`; fields: ${LIMIT_FIELDS.join(', ')}`, true);
      else if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < (k === 'settleMs' || k === 'baseBackoffMs' ? 0 : 1)) problem(['limits', k], `\`limits.${k}\` must be a ${k === 'settleMs' || k === 'baseBackoffMs' ? 'non-negative' : 'positive'} integer`);
      else (limits as unknown as Record<string, number>)[k] = v;
    }
  }

  const identities: IdentityConfig[] = [];
  if (top.identities === undefined) problem([], 'missing field `identities`');
  else if (!Array.isArray(top.identities) || top.identities.length === 0) problem(['identities'], '`identities` must be a non-empty list; the first is the bucket owner');
  else top.identities.forEach((raw, i) => {
    const path = ['identities', i];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problem(path, 'an identity is a map with `kind` and its keys');
      return;
    }
    const o = raw as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if ((LITERAL_SECRET_FIELDS as readonly string[]).includes(key)) problem([...path, key], `secrets never live in the file: name the environment variable that holds it (\`${key === 'clientSecret' ? 'clientSecretEnv' : key === 'securityToken' || key === 'token' ? 'securityTokenEnv' : 'accessKeySecretEnv'}: NAME\`)`, true);
      else if (!IDENTITY_FIELDS.includes(key)) problem([...path, key], `unknown field \`${key}\`; fields: ${IDENTITY_FIELDS.join(', ')}`, true);
    }
    const kind = oneOf([...path, 'kind'], o.kind, IDENTITY_KINDS, undefined);
    if (o.kind === undefined) problem(path, 'missing field `kind` (account, user, session, app, log-delivery or admin)');
    const identity: IdentityConfig = { kind: kind ?? 'account', where: where(path) };
    for (const field of IDENTITY_FIELDS) {
      if (field === 'kind') continue;
      const value = str([...path, field], o[field], false);
      if (value !== undefined) (identity as unknown as Record<string, string>)[field] = value;
    }
    for (const field of ['accessKeySecretEnv', 'securityTokenEnv', 'clientSecretEnv'] as const) {
      const name = identity[field];
      if (name !== undefined && !ENV_NAME.test(name)) problem([...path, field], `\`${name}\` is not an environment variable name`);
    }
    const need = (fields: readonly (keyof IdentityConfig)[]) => {
      for (const f of fields) if (identity[f] === undefined && o[f] === undefined) problem(path, `a${kind === 'account' || kind === 'app' || kind === 'admin' ? 'n' : ''} ${kind} identity needs \`${f}\``);
    };
    if (kind === 'account') need(['id', 'accessKeyId', 'accessKeySecretEnv']);
    if (kind === 'user') need(['id', 'account', 'accessKeyId', 'accessKeySecretEnv']);
    if (kind === 'session') need(['account', 'role', 'session', 'accessKeyId', 'accessKeySecretEnv', 'securityTokenEnv']);
    if (kind === 'app') need(['clientId', 'clientSecretEnv']);
    if (kind === 'log-delivery' || kind === 'admin') need(['accessKeyId', 'accessKeySecretEnv']);
    if (kind === 'log-delivery' && vendor !== undefined && vendor !== 'huawei-obs') problem([...path, 'kind'], `a \`log-delivery\` identity is the Huawei OBS emulator's log delivery service; vendor \`${vendor}\` has none`);
    else if (kind === 'log-delivery' && identities.some((i) => i.kind === 'log-delivery')) problem([...path, 'kind'], 'a target file has at most one `log-delivery` identity');
    else if (kind === 'admin' && vendor !== undefined && vendor !== 'alibaba-oss') problem([...path, 'kind'], `an \`admin\` identity is the Alibaba OSS emulator's administrator key; vendor \`${vendor}\` has none`);
    else if (kind === 'admin' && identities.some((i) => i.kind === 'admin')) problem([...path, 'kind'], 'a target file has at most one `admin` identity');
    else if (kind !== undefined && vendor !== undefined && (kind === 'app') !== (vendor === 'aps-oss')) problem([...path, 'kind'], vendor === 'aps-oss' ? 'an APS target has `app` identities only' : `a ${vendor} target has account, user and session identities, not apps`);
    identities.push(identity);
  });
  const owner = identities[0];
  if (owner !== undefined && owner.kind !== 'account' && owner.kind !== 'app') problem(['identities', 0, 'kind'], 'the first identity is the bucket owner: an account (or an APS app)');

  if (errors.length > 0) throw new ConformanceErrors(errors);
  return {
    file,
    vendor: vendor!,
    endpoint: endpoint!,
    addressing: addressing!,
    region,
    signature: signature!,
    owner: owner!,
    others: identities.slice(1),
    capabilities,
    sourceIp: sourceIp!,
    ...(knownSourceIp === undefined ? {} : { knownSourceIp }),
    ...(discoverSourceIp === undefined ? {} : { discoverSourceIp }),
    prefix,
    limits,
  };
}

/**
 * Why a `sourceIp.discover` value is not one, or undefined when it is: `local`, or an http(s)
 * URL without credentials (it is fetched as is, and would be logged).
 */
function discoverProblem(value: string): string | undefined {
  if (value === 'local') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `\`sourceIp.discover\` must be \`local\` or an http(s) URL that answers with the address, not \`${value}\``;
  }
  // Checked first, so that a message never repeats a password.
  if (url.username !== '' || url.password !== '') return '`sourceIp.discover` is a URL without credentials';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `\`sourceIp.discover\` must be \`local\` or an http(s) URL that answers with the address, not \`${value}\``;
  return undefined;
}

/** Reads and checks a target file. */
export function loadTargetConfig(file: string): TargetConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_TARGET_CONFIG', `${file}: cannot read the target file: ${(error as Error).message}`);
  }
  return parseTargetConfig(text, file);
}

/** An identity with its secrets read from the environment. */
export interface ResolvedIdentity extends IdentityConfig {
  accessKeySecret?: string;
  securityToken?: string;
  clientSecret?: string;
}

/**
 * Reads every identity's secrets from `env`. A variable that is unset or empty is an error that
 * names the variable and where the file asks for it, never a value.
 */
export function resolveSecrets(config: TargetConfig, env: NodeJS.ProcessEnv = process.env): { owner: ResolvedIdentity; others: ResolvedIdentity[] } {
  const errors: ConformanceError[] = [];
  const resolve = (identity: IdentityConfig): ResolvedIdentity => {
    const out: ResolvedIdentity = { ...identity };
    const read = (field: 'accessKeySecretEnv' | 'securityTokenEnv' | 'clientSecretEnv', into: 'accessKeySecret' | 'securityToken' | 'clientSecret') => {
      const name = identity[field];
      if (name === undefined) return;
      const value = env[name];
      if (value === undefined || value === '') errors.push(new ConformanceError('CONFORMANCE_TARGET_CONFIG', `${identity.where}: the environment variable \`${name}\` (${field}) is not set`));
      else out[into] = value;
    };
    read('accessKeySecretEnv', 'accessKeySecret');
    read('securityTokenEnv', 'securityToken');
    read('clientSecretEnv', 'clientSecret');
    return out;
  };
  const owner = resolve(config.owner);
  const others = config.others.map(resolve);
  if (errors.length > 0) throw new ConformanceErrors(errors);
  return { owner, others };
}
