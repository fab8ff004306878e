import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAdapter } from '../adapters/registry.ts';
import { ConformanceError, ConformanceErrors, isConformanceError } from '../model/errors.ts';
import type { Vendor } from '../model/vendors.ts';
import { ConformanceReporter } from '../reports/vitest-reporter.ts';
import { runPassed } from '../reports/report.ts';
import { PROPERTIES } from '../suites/properties/index.ts';
import { DEFAULT_NUM_RUNS, LIVE_DEFAULTS, parseExhaustive, parseShard, PROJECT_ROOT, selectRules, settingsEnv, type RuleSelection, type RunSettings } from '../suites/settings.ts';
import { loadSpecSet } from '../suites/spec/load.ts';
import { regressionCheckName } from '../suites/spec/regressions.ts';
import { EXIT, integer, readReport, splitList, usage, vendorsOf } from './args.ts';
import { decideCases, parseDecideInput } from './decide.ts';
import { checkTarget, expectationFor, loadExpectations, renderExpectations, type Expectations } from './expectations.ts';
import { commandReplay } from './replay.ts';
import { commandServe } from './serve.ts';
import { commandCleanup } from './cleanup.ts';
import { cleanupRun } from '../adapters/http/http-adapter.ts';
import { newRunPrefix } from '../adapters/http/run.ts';
import { loadTargetConfig } from '../adapters/http/config.ts';
import { commandCompare, commandMerge } from './report.ts';

/**
 * The `bucket-conformance` command line. The only code that calls process.exit: 0 when the
 * target conforms (or a command succeeded), 1 on nonconformance, 2 on usage and configuration
 * errors, 3 on an internal error of the suite.
 */

const USAGE = `Usage: bucket-conformance <command> [options]

Commands:
  run                 run the conformance suites against a target and write the reports
  replay FILE         rerun a failing check's counterexample from a report.json against a target
  expectations        write an expectations file from a report (--from report.json)
  report merge ...    merge reports: shards of one target into one run, targets into a matrix
  report compare B N  list the rules that moved off pass (or disappeared) from report B to N
  decide FILE|-       decide cases with the reference evaluator (the policy simulator)
  serve               run a vendor's emulator (its wire protocol, the reference semantics)
  cleanup             remove what an interrupted live run left on its target
  validate            check every spec file and report every problem with its location
  list                list the rules: id, vendor, status, title
  help                show this help

Options of run:
  --target NAME|PATH  target adapter: reference (default), http (a live endpoint or an
                      emulator, with --target-config), or a module whose default export is an
                      adapter factory
  --target-config F   the target file of --target http (YAML: vendor, endpoint, identities;
                      secrets from the environment variables it names)
  --max-requests N    --target http: the run's request budget (default: the file's, or 20000)
  --concurrency N     --target http: requests in flight at once (default: the file's, or 8)
  --run-prefix P      --target http: the prefix of every bucket the run creates (default: a
                      fresh one, printed); everything under it is removed at the end
  --keep              --target http: leave what the run created (for debugging a target)
  --differential      a differential run, not a conformance run: every request's expected
                      outcome is what the reference evaluator does with it; a failure is a
                      disagreement between the target and the reference (labelled so in the
                      reports)
  --vendor V          only this vendor (repeatable): alibaba-oss, huawei-obs, aps-oss
  --rules GLOB        only rules whose id matches (repeatable or comma-separated): ALI-*, X-ORDER
  --check NAME        only the check of that name (with --rules)
  --seed N            seed of every property (default: random, and printed)
  --num-runs N        generated cases per property (default ${DEFAULT_NUM_RUNS}; ${LIVE_DEFAULTS.numRuns} with --target http)
  --exhaustive N|all  cases of each exhaustive check (the APS access matrix): all, or a seeded
                      sample of N that keeps every label value and outcome (default all;
                      ${LIVE_DEFAULTS.exhaustive} with --target http, where every case costs requests)
  --path P            replay the counterexample at this fast-check path (with --check, --seed)
  --replay-path R     with --path, for stateful checks: fast-check's replay hint of the
                      shrunk step sequence (the failure's replay command gives it)
  --expectations FILE the rules known to fail on this target (YAML): they report expected-fail,
                      or unexpected-pass (which fails the run) when they pass
  --strict            an inconclusive rule (a fault such as a timeout) fails the run
  --shard i/n         run only shard i of n (1-based): the selected rules at positions
                      i-1, i-1+n, ... of the sorted list; merge the shards with report merge
  --out DIR           where the reports go (default: out)
  --specs DIR         the rule specs (default: the package's specs/)

Options of replay FILE (a report.json):
  --rules ID --check NAME [--vendor V]
                      which failing check, when the report has more than one
  --target NAME|PATH  the target to replay against (default: the report's)
  --save [--name N]   keep the case as a regression: specs/_regressions/<RULE-ID>/<N>.yaml,
                      checked first by every later run of the rule
  --specs DIR         the rule specs, where --save writes (default: the package's specs/)

Options of serve:
  --vendor V          alibaba-oss, huawei-obs or aps-oss (required)
  --host H            the address to bind (default 127.0.0.1: loopback only)
  --port N            the port (default 0: any free port; the first line printed names it)
  --accounts FILE     the identities (JSON or YAML; default: emulator/default-accounts/V.json)
  --max-body-bytes N  refuse larger request bodies with the vendor's error (default 8 MiB)
  --trust-source-ip-header
                      take a request's source address from the emulator-only header
                      x-bucket-conformance-source-ip (for test harnesses; default: the socket's)

Options of cleanup:
  --target-config F --run-prefix P
                      remove every bucket whose name starts with P (a run prefix), and its
                      objects; nothing else is touched

Options of expectations:
  --from FILE         the report.json whose failing rules to list (required)
  --out FILE          where to write the file (default: standard output)

Options of report:
  report merge A.json B.json ... --out DIR
  report compare BASE.json NEW.json   (exit 1 when a rule moved off pass or disappeared)

Options of list and validate:
  --vendor V, --rules GLOB, --shard i/n (list only), --specs DIR, --json (list only)

Exit codes: 0 conforms (every rule passed, was skipped or failed as expected) or the command
succeeded; 1 nonconformance (a rule failed or passed unexpectedly; with --strict, or an
inconclusive rule); replay: the case still fails; compare: a rule moved off pass; 2 usage or
configuration error; 3 internal error of the suite.`;

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

/**
 * The spec set and the rules a selection picks, as the harness picks them (regression checks
 * count as checks of their rule for `check`). `all` holds every rule of the specs.
 */
async function selectedRules(specsDir: string, selection: RuleSelection) {
  const spec = await loadSpecSet({ specsDir, properties: PROPERTIES });
  const names = (r: { id: string; vendor: Vendor }) => spec.regressions.filter((x) => x.vendor === r.vendor && x.ruleId === r.id).map((x) => regressionCheckName(x.name));
  const rules = selectRules(spec.rules, selection, names);
  const unsharded = selection.shard ? selectRules(spec.rules, { ...selection, shard: undefined }, names) : rules;
  return { spec, rules, unsharded };
}

/** Why a selection picked no rule: the usage error to stop with. */
function emptySelection(selection: RuleSelection, unsharded: number): never {
  const { rules: globs, vendors, check, shard } = selection;
  if (shard && unsharded > 0) usage(`--shard ${shard.index}/${shard.count}: the selection has only ${unsharded} rule(s), so shard ${shard.index} has none; use at most ${unsharded} shards`);
  if (check !== undefined) usage(`no selected rule has a check named \`${check}\``);
  usage(`no rule matches${globs.length ? ` --rules ${globs.join(',')}` : ''}${vendors.length ? ` --vendor ${vendors.join(',')}` : ''}`);
}

/** The options of a live run (`--target http`), checked; undefined for other targets. */
function liveOptions(values: { target?: string | undefined; 'target-config'?: string | undefined; 'max-requests'?: string | undefined; concurrency?: string | undefined; 'run-prefix'?: string | undefined; keep?: boolean | undefined }): { file: string; runPrefix: string; options: Record<string, unknown> } | undefined {
  const file = values['target-config'];
  const liveOnly = (['max-requests', 'concurrency', 'run-prefix', 'keep'] as const).filter((k) => values[k] !== undefined);
  if (values.target !== undefined && values.target !== 'http') {
    if (file !== undefined) usage(`--target-config goes with --target http, not \`${values.target}\``);
    if (liveOnly.length > 0) usage(`--${liveOnly[0]} goes with --target http`);
    return undefined;
  }
  if (file === undefined) {
    if (values.target === 'http') usage('--target http needs --target-config FILE (see examples/targets/)');
    if (liveOnly.length > 0) usage(`--${liveOnly[0]} goes with --target http --target-config FILE`);
    return undefined;
  }
  const config = loadTargetConfig(file);
  const runPrefix = values['run-prefix'] ?? newRunPrefix(config.prefix);
  const options: Record<string, unknown> = { targetConfig: resolve(file), runPrefix };
  const maxRequests = integer('max-requests', values['max-requests'], 1);
  const concurrency = integer('concurrency', values.concurrency, 1);
  if (maxRequests !== undefined) options.maxRequests = maxRequests;
  if (concurrency !== undefined) options.concurrency = concurrency;
  if (values.keep) options.keep = true;
  return { file: resolve(file), runPrefix, options };
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
      exhaustive: { type: 'string' },
      path: { type: 'string' },
      'replay-path': { type: 'string' },
      out: { type: 'string' },
      specs: { type: 'string' },
      expectations: { type: 'string' },
      strict: { type: 'boolean' },
      shard: { type: 'string' },
      'target-config': { type: 'string' },
      'max-requests': { type: 'string' },
      concurrency: { type: 'string' },
      'run-prefix': { type: 'string' },
      keep: { type: 'boolean' },
      differential: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length) usage(`run takes no positional argument (got \`${positionals[0]}\`)`);
  if (values.path !== undefined && values.check === undefined) usage('--path needs --check (the check whose counterexample it replays)');
  const specsDir = resolve(values.specs ?? join(PROJECT_ROOT, 'specs'));
  const vendors = vendorsOf(values.vendor);
  const globs = splitList(values.rules);
  const live = liveOptions(values);
  const settings: RunSettings = {
    target: values.target ?? (live === undefined ? 'reference' : 'http'),
    targetOptions: live?.options ?? {},
    seed: integer('seed', values.seed, 0) ?? Math.floor(Math.random() * 0x7fffffff),
    // A live target spends requests on every case: a smaller default run (LIVE_DEFAULTS).
    numRuns: integer('num-runs', values['num-runs'], 1) ?? (live ? LIVE_DEFAULTS.numRuns : DEFAULT_NUM_RUNS),
    rules: globs,
    vendors,
    specsDir,
  };
  const exhaustive = values.exhaustive !== undefined ? parseExhaustive(values.exhaustive) : live ? LIVE_DEFAULTS.exhaustive : undefined;
  if (exhaustive !== undefined) settings.exhaustive = exhaustive;
  if (values.check !== undefined) settings.check = values.check;
  if (values.path !== undefined) settings.path = values.path;
  if (values['replay-path'] !== undefined) {
    if (values.path === undefined) usage('--replay-path needs --path (it completes the path of a stateful check)');
    settings.replayPath = values['replay-path'];
  }
  if (values.shard !== undefined) settings.shard = parseShard(values.shard);
  if (values.differential) {
    if (settings.target === 'reference') usage('--differential compares a target with the reference evaluator: give --target (http with --target-config, or a module)');
    settings.differential = true;
  }

  // Everything that can be wrong with the configuration is found before any test runs.
  const { spec, rules, unsharded } = await selectedRules(specsDir, settings);
  if (rules.length === 0) emptySelection(settings, unsharded.length);
  let expectations: Expectations | undefined;
  if (values.expectations !== undefined) {
    expectations = loadExpectations(values.expectations, [...new Set(spec.rules.map((r) => r.id))]);
    checkTarget(expectations, settings.target);
  }
  const probe = await createAdapter(settings.target, settings.targetOptions);
  const capabilities = [...probe.capabilities.features].sort();
  const targetVendors = [...probe.capabilities.vendors];
  await probe.close();

  const outDir = resolve(values.out ?? 'out');
  const known = expectations;
  const reporter = new ConformanceReporter({
    outDir,
    ...(known ? { expectation: (r: { id: string }) => expectationFor(known, r.id) } : {}),
    // A person at a terminal sees one live line; CI logs and pipes get one line per rule.
    live: process.stderr.isTTY === true && !process.env['CI'],
    run: {
      suite: packageVersion(),
      specDigest: await specDigest(specsDir),
      target: settings.target,
      capabilities,
      vendors: vendors.length ? vendors : targetVendors,
      seed: settings.seed,
      numRuns: settings.numRuns,
      ...(settings.exhaustive !== undefined ? { exhaustive: settings.exhaustive } : {}),
      rules: globs,
      ...(settings.shard ? { shard: settings.shard } : {}),
      ...(values.expectations !== undefined ? { expectations: values.expectations } : {}),
      ...(values.strict ? { strict: true } : {}),
      ...(values.differential ? { differential: true } : {}),
      node: process.version,
    },
  });
  Object.assign(process.env, settingsEnv(settings), { BUCKET_CONFORMANCE_QUIET: '1' });
  const shardText = settings.shard ? ` (shard ${settings.shard.index}/${settings.shard.count} of ${unsharded.length})` : '';
  const regressionCount = spec.regressions.filter((x) => rules.some((r) => r.vendor === x.vendor && r.id === x.ruleId)).length;
  if (live) process.stderr.write(`bucket-conformance: target file ${live.file}, run prefix ${live.runPrefix}${values.keep ? ' (kept at the end: --keep)' : ''}\n`);
  process.stderr.write(`bucket-conformance: target ${settings.target}, ${rules.length} rules${shardText}${regressionCount ? `, ${regressionCount} regression case(s)` : ''}, seed ${settings.seed}, ${settings.numRuns} runs per property${settings.exhaustive !== undefined ? `, at most ${settings.exhaustive} cases per exhaustive check` : ''}${live && values['num-runs'] === undefined ? ' (the live defaults: --num-runs, --exhaustive all for more)' : ''}${expectations ? `, expectations ${expectations.file}` : ''}${values.strict ? ', strict' : ''}\n`);
  const { createVitest } = await import('vitest/node');
  // Vitest's logger exits the process 1 ms after SIGINT or SIGTERM, which would skip the sweep
  // below: this command owns those signals, so the listeners vitest adds are taken off again.
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const vitest = await createVitest('test', {
    root: PROJECT_ROOT,
    config: join(PROJECT_ROOT, 'vitest.config.ts'),
    project: ['conformance'],
    watch: false,
    reporters: [reporter],
  });
  // A live run removes what it created at the end, whatever happened: each adapter cleans up its
  // own buckets when it closes, and this sweep of the run prefix catches what a worker killed by
  // Ctrl-C (or a crash) left. A second Ctrl-C during the sweep is ignored.
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted !== undefined) return;
    interrupted = signal;
    process.stderr.write(`\n${signal}: stopping the run${live ? ' and removing what it created' : ''}\n`);
    void vitest.cancelCurrentRun('keyboard-input');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.off(signal, listener);
  }
  const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  try {
    await vitest.start();
  } finally {
    await vitest.close();
    if (live && !values.keep) {
      const summary = await cleanupRun(live.file, live.runPrefix);
      process.stderr.write(`bucket-conformance: removed ${summary.buckets} leftover bucket(s) under ${live.runPrefix}${summary.failures.length ? `; could not remove: ${summary.failures.join('; ')}` : ''}\n`);
    }
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  }
  if (interrupted !== undefined) return interrupted === 'SIGINT' ? 130 : 143;
  if (!reporter.report) return EXIT.nonconformance;
  return runPassed(reporter.report) ? EXIT.ok : EXIT.nonconformance;
}

/** `expectations --from report.json [--out FILE]`: the rules a run failed, as an expectations file. */
async function commandExpectations(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { from: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true });
  if (positionals.length) usage(`expectations takes no positional argument (got \`${positionals[0]}\`); give the report with --from`);
  if (values.from === undefined) usage('expectations needs --from report.json');
  const report = readReport(values.from);
  const text = renderExpectations(report, values.from);
  if (values.out === undefined) process.stdout.write(text);
  else {
    writeFileSync(values.out, text);
    const n = report.rules.filter((r) => r.verdict === 'fail' || r.verdict === 'expected-fail').length;
    process.stderr.write(`wrote ${values.out}: ${n} rule(s) known to fail on ${report.run.target}\n`);
  }
  return EXIT.ok;
}

async function commandReport(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'merge') return commandMerge(rest);
  if (sub === 'compare') return commandCompare(rest);
  usage(sub === undefined ? 'report needs a subcommand: merge or compare' : `unknown report subcommand \`${sub}\`; subcommands: merge, compare`);
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
    options: { vendor: { type: 'string', multiple: true }, rules: { type: 'string', multiple: true }, specs: { type: 'string' }, json: { type: 'boolean' }, shard: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length) usage(`unexpected argument \`${positionals[0]}\``);
  if (validateOnly && values.shard !== undefined) usage('validate checks every file; --shard is an option of run and list');
  const specsDir = resolve(values.specs ?? join(PROJECT_ROOT, 'specs'));
  const selection: RuleSelection = { rules: splitList(values.rules), vendors: vendorsOf(values.vendor), ...(values.shard !== undefined ? { shard: parseShard(values.shard) } : {}) };
  const { spec, rules, unsharded } = await selectedRules(specsDir, selection);
  if (rules.length === 0) emptySelection(selection, unsharded.length);
  if (validateOnly) {
    const regressions = spec.regressions.filter((x) => rules.some((r) => r.vendor === x.vendor && r.id === x.ruleId)).length;
    process.stdout.write(`${relative(process.cwd(), specsDir) || '.'}: ${rules.length} rules, ${rules.reduce((n, r) => n + r.checks.length, 0)} checks${regressions ? `, ${regressions} regression case(s)` : ''}, no problem\n`);
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
      case 'replay':
        return await commandReplay(rest);
      case 'expectations':
        return await commandExpectations(rest);
      case 'report':
        return await commandReport(rest);
      case 'decide':
        return await commandDecide(rest);
      case 'serve':
        return await commandServe(rest);
      case 'cleanup':
        return await commandCleanup(rest);
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
        usage(`unknown command \`${command}\`; commands: run, replay, expectations, report, decide, serve, cleanup, validate, list, help`);
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
