import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAdapter } from '../adapters/registry.ts';
import { ConformanceError, ConformanceErrors, isConformanceError } from '../model/errors.ts';
import { isVendor, type Vendor } from '../model/vendors.ts';
import { ConformanceReporter } from '../reports/vitest-reporter.ts';
import { runPassed } from '../reports/report.ts';
import { PROPERTIES } from '../suites/properties/index.ts';
import { DEFAULT_NUM_RUNS, PROJECT_ROOT, ruleMatches, settingsEnv, type RunSettings } from '../suites/settings.ts';
import { loadSpecs } from '../suites/spec/load.ts';
import { decideCases, parseDecideInput } from './decide.ts';

/**
 * The `bucket-conformance` command line. The only code that calls process.exit: 0 when the
 * target conforms (or a command succeeded), 1 on nonconformance, 2 on usage and configuration
 * errors, 3 on an internal error of the suite.
 */

const USAGE = `Usage: bucket-conformance <command> [options]

Commands:
  run                 run the conformance suites against a target and write the reports
  decide FILE|-       decide cases with the reference evaluator (the policy simulator)
  validate            check every spec file and report every problem with its location
  list                list the rules: id, vendor, status, title
  help                show this help

Options of run:
  --target NAME|PATH  target adapter: reference (default), or a module whose default export
                      is an adapter factory
  --vendor V          only this vendor (repeatable): alibaba-oss, huawei-obs, aps-oss
  --rules GLOB        only rules whose id matches (repeatable or comma-separated): ALI-*, X-ORDER
  --check NAME        only the check of that name (with --rules)
  --seed N            seed of every property (default: random, and printed)
  --num-runs N        generated cases per property (default ${DEFAULT_NUM_RUNS})
  --path P            replay the counterexample at this fast-check path (with --check, --seed)
  --replay-path R     with --path, for stateful checks: fast-check's replay hint of the
                      shrunk step sequence (the failure's replay command gives it)
  --out DIR           where report.json and summary.md go (default: out)
  --specs DIR         the rule specs (default: the package's specs/)

Options of list and validate:
  --vendor V, --rules GLOB, --specs DIR, --json (list only)

Exit codes: 0 conforms, 1 nonconformance (a rule failed), 2 usage or configuration error,
3 internal error of the suite.`;

const EXIT = { ok: 0, nonconformance: 1, usage: 2, internal: 3 } as const;

function usage(message: string): never {
  throw new ConformanceError('CONFORMANCE_USAGE', message);
}

function integer(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) usage(`--${name}: \`${text}\` is not an integer${min > 0 ? ` >= ${min}` : ''}`);
  return n;
}

function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function vendorsOf(values: string[] | undefined): Vendor[] {
  const vendors = splitList(values);
  for (const v of vendors) if (!isVendor(v)) usage(`--vendor: unknown vendor \`${v}\`; valid vendors: alibaba-oss, huawei-obs, aps-oss`);
  return vendors as Vendor[];
}

function packageVersion(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

/** sha256 over the spec files (paths and contents), so that reports of different specs are never compared. */
async function specDigest(specsDir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true });
    // Follow symbolic links: a specs folder may link its _meta and _seeds.
    const files = await Promise.all(entries.map(async (e) => ((await stat(join(dir, e.name))).isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])));
    return files.flat();
  };
  for (const file of (await walk(specsDir)).sort()) {
    hash.update(relative(specsDir, file));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function selectedRules(specsDir: string, vendors: Vendor[], globs: string[]) {
  const rules = await loadSpecs({ specsDir, properties: PROPERTIES, ...(vendors.length ? { vendors } : {}) });
  return rules.filter((r) => ruleMatches(r.id, globs));
}

async function commandRun(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      target: { type: 'string' },
      vendor: { type: 'string', multiple: true },
      rules: { type: 'string', multiple: true },
      check: { type: 'string' },
      seed: { type: 'string' },
      'num-runs': { type: 'string' },
      path: { type: 'string' },
      'replay-path': { type: 'string' },
      out: { type: 'string' },
      specs: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length) usage(`run takes no positional argument (got \`${positionals[0]}\`)`);
  if (values.path !== undefined && values.check === undefined) usage('--path needs --check (the check whose counterexample it replays)');
  const specsDir = resolve(values.specs ?? join(PROJECT_ROOT, 'specs'));
  const vendors = vendorsOf(values.vendor);
  const globs = splitList(values.rules);
  const settings: RunSettings = {
    target: values.target ?? 'reference',
    targetOptions: {},
    seed: integer('seed', values.seed, 0) ?? Math.floor(Math.random() * 0x7fffffff),
    numRuns: integer('num-runs', values['num-runs'], 1) ?? DEFAULT_NUM_RUNS,
    rules: globs,
    vendors,
    specsDir,
  };
  if (values.check !== undefined) settings.check = values.check;
  if (values.path !== undefined) settings.path = values.path;
  if (values['replay-path'] !== undefined) {
    if (values.path === undefined) usage('--replay-path needs --path (it completes the path of a stateful check)');
    settings.replayPath = values['replay-path'];
  }

  // Everything that can be wrong with the configuration is found before any test runs.
  const rules = (await selectedRules(specsDir, vendors, globs)).filter((r) => values.check === undefined || r.checks.some((c) => c.name === values.check));
  if (rules.length === 0 && values.check !== undefined) usage(`no selected rule has a check named \`${values.check}\``);
  if (rules.length === 0) usage(`no rule matches${globs.length ? ` --rules ${globs.join(',')}` : ''}${vendors.length ? ` --vendor ${vendors.join(',')}` : ''}`);
  const probe = await createAdapter(settings.target, settings.targetOptions);
  const capabilities = [...probe.capabilities.features].sort();
  const targetVendors = [...probe.capabilities.vendors];
  await probe.close();

  const outDir = resolve(values.out ?? 'out');
  const reporter = new ConformanceReporter({
    outDir,
    run: {
      suite: packageVersion(),
      specDigest: await specDigest(specsDir),
      target: settings.target,
      capabilities,
      vendors: vendors.length ? vendors : targetVendors,
      seed: settings.seed,
      numRuns: settings.numRuns,
      rules: globs,
      node: process.version,
    },
  });
  Object.assign(process.env, settingsEnv(settings), { BUCKET_CONFORMANCE_QUIET: '1' });
  process.stderr.write(`bucket-conformance: target ${settings.target}, ${rules.length} rules, seed ${settings.seed}, ${settings.numRuns} runs per property\n`);
  const { createVitest } = await import('vitest/node');
  const vitest = await createVitest('test', {
    root: PROJECT_ROOT,
    config: join(PROJECT_ROOT, 'vitest.config.ts'),
    project: ['conformance'],
    watch: false,
    reporters: [reporter],
  });
  try {
    await vitest.start();
  } finally {
    await vitest.close();
  }
  if (!reporter.report) return EXIT.nonconformance;
  return runPassed(reporter.report) ? EXIT.ok : EXIT.nonconformance;
}

async function commandDecide(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 1) usage('decide takes one FILE (or `-` for standard input)');
  const file = positionals[0]!;
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: cannot read: ${(error as Error).message}`);
  }
  const { cases, single } = parseDecideInput(text, file === '-' ? '<stdin>' : file);
  const decisions = await decideCases(cases);
  const keys = ['decision', 'status', 'code', 'ec', 'message', 'reason', 'rules', 'statements'];
  const render = (d: unknown) => JSON.stringify(d, keys);
  process.stdout.write(single ? `${render(decisions[0])}\n` : `[\n${decisions.map((d) => `  ${render(d)}`).join(',\n')}\n]\n`);
  return EXIT.ok;
}

async function commandList(args: string[], validateOnly: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { vendor: { type: 'string', multiple: true }, rules: { type: 'string', multiple: true }, specs: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length) usage(`unexpected argument \`${positionals[0]}\``);
  const specsDir = resolve(values.specs ?? join(PROJECT_ROOT, 'specs'));
  const rules = await selectedRules(specsDir, vendorsOf(values.vendor), splitList(values.rules));
  if (validateOnly) {
    process.stdout.write(`${relative(process.cwd(), specsDir) || '.'}: ${rules.length} rules, ${rules.reduce((n, r) => n + r.checks.length, 0)} checks, no problem\n`);
    return EXIT.ok;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rules.map((r) => ({ id: r.id, vendor: r.vendor, status: r.status, title: r.title, file: r.file, requires: r.requires, checks: r.checks.map((c) => c.name) })), null, 2)}\n`);
    return EXIT.ok;
  }
  for (const r of rules) process.stdout.write(`${r.id.padEnd(40)} ${r.vendor.padEnd(12)} ${r.status.padEnd(9)} ${r.title}\n`);
  return EXIT.ok;
}

/** Runs the command line and returns the exit code (errors are printed, never thrown). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await commandRun(rest);
      case 'decide':
        return await commandDecide(rest);
      case 'validate':
        return await commandList(rest, true);
      case 'list':
        return await commandList(rest, false);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      case '--version':
      case '-v':
        process.stdout.write(`${packageVersion().version}\n`);
        return EXIT.ok;
      default:
        usage(`unknown command \`${command}\`; commands: run, decide, validate, list, help`);
    }
  } catch (error) {
    if (error instanceof ConformanceErrors) {
      process.stderr.write(`${error.errors.map((e) => `error[${e.code}]: ${e.message}`).join('\n')}\n${error.errors.length} problem(s) found; nothing was run\n`);
      return EXIT.usage;
    }
    if (isConformanceError(error)) {
      process.stderr.write(`error[${error.code}]: ${error.message}\n`);
      if (error.code === 'CONFORMANCE_USAGE') process.stderr.write('run `bucket-conformance help` for usage\n');
      return EXIT.usage;
    }
    if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`error[CONFORMANCE_USAGE]: ${(error as Error).message}\nrun \`bucket-conformance help\` for usage\n`);
      return EXIT.usage;
    }
    // A defect of the suite itself: neither a nonconformance (1) nor a usage error (2).
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.internal;
  }
}

if (import.meta.main) {
  // Exit explicitly: vitest's workers and the target's sockets must not keep the process alive.
  process.exit(await main(process.argv.slice(2)));
}
