/**
 * A run against a live target: its prefix, its ledger of buckets, its identities with secrets
 * read from the environment, its transport and its redactor.
 */
import { randomBytes } from 'node:crypto';
import { ConformanceError } from '../../model/errors.ts';
import { resolveSecrets, type TargetConfig } from './config.ts';
import { Redactor } from './redact.ts';
import { Transport } from './transport.ts';
import type { HttpRun, Ledger } from './types.ts';

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh run prefix: `<base>-<time in base 36>-<4 random characters>-`, such as
 * `bcrun-mi2x7k3a-q3fz-`. Lower case letters, digits and hyphens only, so it is a valid start of a
 * bucket name for every vendor; the time makes leftovers of old runs easy to recognise.
 */
export function newRunPrefix(base: string, now = new Date()): string {
  const bytes = randomBytes(4);
  const random = [...bytes].map((b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join('');
  return `${base}-${now.getTime().toString(36)}-${random}-`;
}

/**
 * Whether cleanup may act on `prefix`: a run prefix as `newRunPrefix` makes it
 * (`<base>-<time>-<random>-`), possibly followed by more (an adapter's own prefix). Anything
 * shorter could name buckets that are not the suite's.
 */
export function isRunPrefix(prefix: string): boolean {
  return /^[a-z][a-z0-9-]{0,14}[a-z0-9]-[a-z0-9]{6,}-[a-z0-9]{4}-[a-z0-9-]*$/.test(prefix);
}

/** The in-memory ledger of a run. */
export class RunLedger implements Ledger {
  readonly prefix: string;
  readonly #buckets = new Set<string>();

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  addBucket(name: string): void {
    // The safety rule of issue #7: nothing without the run prefix is ever created or removed.
    if (!name.startsWith(this.prefix)) throw new Error(`refusing to record bucket \`${name}\`: it lacks the run prefix \`${this.prefix}\``);
    this.#buckets.add(name);
  }

  removeBucket(name: string): void {
    this.#buckets.delete(name);
  }

  buckets(): string[] {
    return [...this.#buckets];
  }
}

/** How to start a run. */
export interface HttpRunOptions {
  /** The run prefix, shared by every adapter of the run; a fresh one (`newRunPrefix(config.prefix)`) when absent. */
  prefix?: string;
  /** Overrides of the file's limits (from `--max-requests`, `--concurrency`). */
  maxRequests?: number;
  concurrency?: number;
  /** Where secrets are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where log lines go (already redacted). Default: nowhere. */
  log?: (line: string) => void;
}

/** Starts a run: reads the secrets, registers them with the redactor, opens the transport. */
export function createHttpRun(config: TargetConfig, options: HttpRunOptions = {}): HttpRun {
  const { owner, others } = resolveSecrets(config, options.env);
  const redactor = new Redactor();
  for (const identity of [owner, ...others]) {
    redactor.add(identity.accessKeySecret);
    redactor.add(identity.securityToken);
    redactor.add(identity.clientSecret);
  }
  const runPrefix = options.prefix ?? newRunPrefix(config.prefix);
  if (!isRunPrefix(runPrefix)) throw new ConformanceError('CONFORMANCE_USAGE', `\`${runPrefix}\` is not a run prefix (such as \`bcrun-mi2x7k3a-q3fz-\`)`);
  // Several adapters may share a run (one per vendor suite, in parallel workers): each has its
  // own prefix under the run's, so that closing one never touches another's buckets.
  const prefix = `${runPrefix}${[...randomBytes(3)].map((b) => PREFIX_ALPHABET[b % 26]).join('')}`;
  let worlds = 0;
  const limits = { ...config.limits };
  if (options.maxRequests !== undefined) limits.maxRequests = options.maxRequests;
  if (options.concurrency !== undefined) limits.concurrency = options.concurrency;
  const sink = options.log ?? (() => {});
  return {
    config: { ...config, limits },
    owner,
    others,
    transport: new Transport(limits, redactor, config.sourceIp === 'header' ? { sourceIpHeader: 'x-bucket-conformance-source-ip' } : {}),
    redactor,
    ledger: new RunLedger(prefix),
    runPrefix,
    nextWorldPrefix: () => `${prefix}${(worlds++).toString(36)}-`,
    log: (line) => sink(redactor.redact(line)),
  };
}
