/**
 * Probing the identities of a target file before any test runs (issue #7 item 2: capabilities
 * "probed where a claim cannot be trusted"). A wrong or expired AccessKey, a revoked STS token or
 * a wrong APS client secret would otherwise show only as odd results in the middle of a run. Each
 * vendor client sends, per identity, the cheapest read-only signed request that proves its
 * credentials (`VendorClient.probe`); this module reads the answers and decides what follows: a
 * refused owner stops the run before anything runs (a configuration error located at the owner),
 * a refused other identity is left out of the run (so that the capabilities only it gave are gone
 * and the rules needing them are skipped, naming them), and an identity a fault kept from being
 * probed stays in the run.
 */
import { ConformanceError, type SourceLocation } from '../../model/errors.ts';
import type { FaultInfo } from '../../model/outcome.ts';
import type { IdentityConfig, IdentityKind, TargetConfig } from './config.ts';
import type { Redactor } from './redact.ts';
import type { HttpResponse, SendOutcome } from './transport.ts';

/** What a probe found out about one identity. */
export const PROBE_RESULTS = ['accepted', 'refused', 'unknown'] as const;
/**
 * `accepted`: the target authenticated the credentials (whether or not it allowed the request: a
 * RAM user may not list buckets); `refused`: it did not; `unknown`: a fault (timeout, reset, 5xx
 * after the retries) left the question open.
 */
export type ProbeResult = (typeof PROBE_RESULTS)[number];

/** The probe of one identity of the target file. Never holds a secret. */
export interface IdentityProbe {
  /** Where the identity is written in the file (`file:line:col`), which names it in messages. */
  where: string;
  kind: IdentityKind;
  result: ProbeResult;
  /** The status of the target's answer, when there was one. */
  status?: number;
  /** `refused`: the vendor's error code (`InvalidAccessKeyId`, `SignatureDoesNotMatch`, `AUTH-001`), when the answer has one; `unknown`: the fault's code. */
  code?: string;
  /** `unknown`: what happened, redacted. */
  detail?: string;
}

/**
 * The error codes of an answer that authenticated the caller and then refused the request: the
 * credentials are good (OSS and OBS answer ListBuckets so for a RAM or IAM user without the
 * permission, and the OSS emulator for its administrator key, which owns no buckets).
 */
export const AUTHENTICATED_REFUSALS: ReadonlySet<string> = new Set(['AccessDenied']);

/** Statuses whose answer refuses the credentials, unless its code is one of the authenticated refusals. */
const REFUSING_STATUSES: ReadonlySet<number> = new Set([400, 401, 403]);

/** The probe of `identity` from the status and error code of the target's answer. */
export function answeredProbe(identity: IdentityConfig, status: number, code: string | undefined, authenticated: ReadonlySet<string> = AUTHENTICATED_REFUSALS): IdentityProbe {
  const base = { where: identity.where, kind: identity.kind, status, ...(code === undefined ? {} : { code }) };
  if ((status >= 200 && status < 300) || (code !== undefined && authenticated.has(code))) return { ...base, result: 'accepted' };
  if (REFUSING_STATUSES.has(status)) return { ...base, result: 'refused' };
  // A redirect, a 404 or a 405 says nothing about the credentials.
  return { ...base, result: 'unknown', detail: `status ${status}${code === undefined ? '' : ` ${code}`}, which says nothing about the credentials` };
}

/** The probe of `identity` when a fault left it undecided. */
export function faultedProbe(identity: IdentityConfig, fault: FaultInfo, redactor: Redactor): IdentityProbe {
  return { where: identity.where, kind: identity.kind, result: 'unknown', code: fault.code, detail: redactor.redact(fault.message) };
}

/** The probe of `identity` from what sending its probe request gave. */
export function probeOf(identity: IdentityConfig, outcome: SendOutcome, codeOf: (response: HttpResponse) => string | undefined, redactor: Redactor, authenticated: ReadonlySet<string> = AUTHENTICATED_REFUSALS): IdentityProbe {
  if (outcome.kind === 'fault') return faultedProbe(identity, outcome.fault, redactor);
  return answeredProbe(identity, outcome.response.status, codeOf(outcome.response), authenticated);
}

/** `file:line:col` as a location, when `where` is one. */
function locationOf(where: string): SourceLocation | undefined {
  const m = /^(.*):(\d+):(\d+)$/.exec(where);
  return m === null ? undefined : { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
}

/** What the answer said, for messages: `SignatureDoesNotMatch (status 403)`, or the status alone. */
function answerText(probe: IdentityProbe): string {
  if (probe.code === undefined) return `status ${probe.status ?? '?'}`;
  return probe.status === undefined ? probe.code : `${probe.code} (status ${probe.status})`;
}

/** What to check for an identity of this kind, naming the variables (never their values). */
function hint(identity: IdentityConfig): string {
  if (identity.kind === 'app') return `check the client id and the secret in \`${identity.clientSecretEnv ?? '?'}\``;
  if (identity.kind === 'session') return `check the AccessKey id, the secret in \`${identity.accessKeySecretEnv ?? '?'}\` and the security token in \`${identity.securityTokenEnv ?? '?'}\` (STS tokens expire)`;
  return `check the AccessKey id and the secret in \`${identity.accessKeySecretEnv ?? '?'}\``;
}

/**
 * Reads the probes of a run's identities: throws a located `CONFORMANCE_TARGET_CONFIG` error when
 * the owner was refused (nothing can run without it), logs one line for each other identity that
 * was refused or could not be probed, and returns the refused ones, to be left out of the run.
 */
export function settleProbes(config: TargetConfig, probes: readonly IdentityProbe[], log: (line: string) => void, redactor: Redactor): IdentityConfig[] {
  const refused: IdentityConfig[] = [];
  for (const identity of [config.owner, ...config.others]) {
    const probe = probes.find((p) => p.where === identity.where);
    if (probe === undefined || probe.result === 'accepted') continue;
    if (probe.result === 'unknown') {
      log(redactor.redact(`identity at ${identity.where} (${identity.kind}) could not be probed: ${probe.code === undefined ? '' : `${probe.code}: `}${probe.detail ?? 'no answer'}; kept in the run`));
      continue;
    }
    if (identity === config.owner) {
      const location = locationOf(identity.where);
      const message = redactor.redact(`the target refused the credentials of the owner (the first identity, kind \`${identity.kind}\`): ${answerText(probe)}; ${hint(identity)}`);
      throw new ConformanceError('CONFORMANCE_TARGET_CONFIG', location === undefined ? `${identity.where}: ${message}` : message, location === undefined ? {} : { location });
    }
    log(redactor.redact(`identity at ${identity.where} (${identity.kind}) refused: ${probe.code ?? `status ${probe.status ?? '?'}`}; left out of the run`));
    refused.push(identity);
  }
  return refused;
}

/** A copy of `config` without the identities `left` (compared by where they are written). */
export function withoutIdentities(config: TargetConfig, left: readonly IdentityConfig[]): TargetConfig {
  const out = new Set(left.map((i) => i.where));
  return { ...config, others: config.others.filter((i) => !out.has(i.where)) };
}
