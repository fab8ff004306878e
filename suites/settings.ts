import { resolve } from 'node:path';
import { ConformanceError } from '../model/errors.ts';
import { isVendor, type Vendor } from '../model/vendors.ts';

/**
 * The settings of a conformance run, read from the environment so that `npm test`, the CLI
 * (which runs vitest programmatically) and a plain `vitest run suites` all agree. The CLI sets
 * these variables; a user may too.
 */
export interface RunSettings {
  /** Target adapter name, or a path to an adapter module. `reference` by default. */
  target: string;
  /** Options handed to the adapter factory (JSON in BUCKET_CONFORMANCE_TARGET_OPTIONS). */
  targetOptions: Record<string, unknown>;
  /** Seed of every property; random when not given, and always printed. */
  seed: number;
  numRuns: number;
  /** Only rules whose id matches one of these globs (`ALI-*`, `ALI-COND-IP`). */
  rules: string[];
  /** Only rules of these vendors. */
  vendors: Vendor[];
  /** Only this check, by name. */
  check?: string;
  /** A fast-check path to replay (with `check`). */
  path?: string;
  /** fast-check's replay hint of a shrunk command sequence (with `path`, for stateful checks). */
  replayPath?: string;
  /** The folder of the rule specs. */
  specsDir: string;
  /** For one shard of a sharded run (`--shard i/n`): which (1-based), of how many. */
  shard?: Shard;
  /** Differential mode: expectations come from the reference evaluator, not the specs. */
  differential?: boolean;
  /** At most this many cases of each exhaustive check, sampled; absent: all (`--exhaustive N|all`). */
  exhaustive?: number;
}

/** One shard of a sharded run: `index` of `count`, 1-based. */
export interface Shard {
  index: number;
  count: number;
}

/** The names of the environment variables that carry the settings. */
export const ENV = {
  target: 'BUCKET_CONFORMANCE_TARGET',
  targetOptions: 'BUCKET_CONFORMANCE_TARGET_OPTIONS',
  seed: 'BUCKET_CONFORMANCE_SEED',
  numRuns: 'BUCKET_CONFORMANCE_NUM_RUNS',
  rules: 'BUCKET_CONFORMANCE_RULES',
  vendors: 'BUCKET_CONFORMANCE_VENDORS',
  check: 'BUCKET_CONFORMANCE_CHECK',
  path: 'BUCKET_CONFORMANCE_PATH',
  replayPath: 'BUCKET_CONFORMANCE_REPLAY_PATH',
  specsDir: 'BUCKET_CONFORMANCE_SPECS',
  shard: 'BUCKET_CONFORMANCE_SHARD',
  differential: 'BUCKET_CONFORMANCE_DIFFERENTIAL',
  exhaustive: 'BUCKET_CONFORMANCE_EXHAUSTIVE',
} as const;

/** The project's root folder (where package.json is). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..');

/** Default number of generated cases per property. */
export const DEFAULT_NUM_RUNS = 100;

/**
 * The defaults of a run against a live target (`run --target http`), where every case costs
 * requests on a real account: fewer generated cases per property, and a sample of each
 * exhaustive check that keeps every label value and outcome. `--num-runs` and `--exhaustive all`
 * override them.
 */
export const LIVE_DEFAULTS = Object.freeze({ numRuns: 10, exhaustive: 20 });

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Reads the settings from `env`; a malformed value is a usage error (exit code 2). */
export function readSettings(env: NodeJS.ProcessEnv = process.env): RunSettings {
  const seedText = env[ENV.seed];
  const seed = seedText === undefined || seedText === '' ? Math.floor(Math.random() * 0x7fffffff) : Number(seedText);
  if (!Number.isSafeInteger(seed)) throw new ConformanceError('CONFORMANCE_USAGE', `${ENV.seed}: \`${seedText}\` is not an integer`);
  const numText = env[ENV.numRuns];
  const numRuns = numText === undefined || numText === '' ? DEFAULT_NUM_RUNS : Number(numText);
  if (!Number.isSafeInteger(numRuns) || numRuns < 1) throw new ConformanceError('CONFORMANCE_USAGE', `${ENV.numRuns}: \`${numText}\` is not a positive integer`);
  const vendors = list(env[ENV.vendors]);
  for (const v of vendors) if (!isVendor(v)) throw new ConformanceError('CONFORMANCE_USAGE', `unknown vendor \`${v}\`; valid vendors: alibaba-oss, huawei-obs, aps-oss`);
  let targetOptions: Record<string, unknown> = {};
  const optionsText = env[ENV.targetOptions];
  if (optionsText) {
    try {
      targetOptions = JSON.parse(optionsText) as Record<string, unknown>;
    } catch (error) {
      throw new ConformanceError('CONFORMANCE_USAGE', `${ENV.targetOptions} is not JSON`, { cause: error });
    }
  }
  const settings: RunSettings = {
    target: env[ENV.target] || 'reference',
    targetOptions,
    seed,
    numRuns,
    rules: list(env[ENV.rules]),
    vendors: vendors as Vendor[],
    specsDir: resolve(env[ENV.specsDir] || resolve(PROJECT_ROOT, 'specs')),
  };
  if (env[ENV.check]) settings.check = env[ENV.check];
  if (env[ENV.path]) settings.path = env[ENV.path];
  if (env[ENV.replayPath]) settings.replayPath = env[ENV.replayPath];
  const shard = env[ENV.shard];
  if (shard) settings.shard = parseShard(shard, ENV.shard);
  if (env[ENV.differential] === '1') settings.differential = true;
  const exhaustive = env[ENV.exhaustive];
  if (exhaustive !== undefined && exhaustive !== '' && exhaustive !== 'all') settings.exhaustive = parseExhaustive(exhaustive, ENV.exhaustive);
  return settings;
}

/** The environment that carries `settings` (the inverse of readSettings). */
export function settingsEnv(settings: Partial<RunSettings>): Record<string, string> {
  const env: Record<string, string> = {};
  if (settings.target !== undefined) env[ENV.target] = settings.target;
  if (settings.targetOptions !== undefined) env[ENV.targetOptions] = JSON.stringify(settings.targetOptions);
  if (settings.seed !== undefined) env[ENV.seed] = String(settings.seed);
  if (settings.numRuns !== undefined) env[ENV.numRuns] = String(settings.numRuns);
  if (settings.rules?.length) env[ENV.rules] = settings.rules.join(',');
  if (settings.vendors?.length) env[ENV.vendors] = settings.vendors.join(',');
  if (settings.check !== undefined) env[ENV.check] = settings.check;
  if (settings.path !== undefined) env[ENV.path] = settings.path;
  if (settings.replayPath !== undefined) env[ENV.replayPath] = settings.replayPath;
  if (settings.specsDir !== undefined) env[ENV.specsDir] = settings.specsDir;
  if (settings.shard !== undefined) env[ENV.shard] = `${settings.shard.index}/${settings.shard.count}`;
  if (settings.differential) env[ENV.differential] = '1';
  if (settings.exhaustive !== undefined) env[ENV.exhaustive] = String(settings.exhaustive);
  return env;
}

/** `N` (a positive integer) or `all` (undefined): how many cases of an exhaustive check run. */
export function parseExhaustive(text: string, name = '--exhaustive'): number | undefined {
  if (text === 'all') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new ConformanceError('CONFORMANCE_USAGE', `${name}: \`${text}\` is neither \`all\` nor a positive integer`);
  return n;
}

/** Whether a rule id matches a glob such as `ALI-*` or `ALI-LIMIT-SIZE` (which also selects its children). */
export function ruleMatches(id: string, globs: readonly string[]): boolean {
  if (globs.length === 0) return true;
  return globs.some((g) => {
    const re = new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return re.test(id) || id.startsWith(`${g}.`);
  });
}

/** Parses `i/n` (1 <= i <= n); `name` says where the text came from, for the usage error. */
export function parseShard(text: string, name = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new ConformanceError('CONFORMANCE_USAGE', `${name}: \`${text}\` is not a shard \`i/n\` with 1 <= i <= n, such as \`1/3\``);
  }
  return { index, count };
}

/** What selects the rules of a run: the globs, the vendors, one check, one shard. */
export type RuleSelection = Pick<RunSettings, 'rules' | 'vendors' | 'check' | 'shard'>;

/**
 * The rules a run selects from `rules` (all the rules of the specs, sorted by vendor then id, as
 * the loader returns them): those matching the globs and vendors and, with `check`, having a
 * check of that name (`checkNames` lists a rule's other checks, its regressions). A shard `i/n`
 * keeps the selected rules at positions p (0-based) with p mod n = i - 1, so that the n shards
 * of one selection are disjoint, cover it, and are the same on every machine.
 */
export function selectRules<R extends { id: string; vendor: Vendor; checks: readonly { name: string }[] }>(
  rules: readonly R[],
  selection: RuleSelection,
  checkNames: (rule: R) => readonly string[] = () => [],
): R[] {
  const selected = rules.filter(
    (r) =>
      ruleMatches(r.id, selection.rules) &&
      (selection.vendors.length === 0 || selection.vendors.includes(r.vendor)) &&
      (selection.check === undefined || r.checks.some((c) => c.name === selection.check) || checkNames(r).includes(selection.check)),
  );
  const shard = selection.shard;
  return shard ? selected.filter((_, p) => p % shard.count === shard.index - 1) : selected;
}
