import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAdapter } from '../adapters/registry.ts';
import { ConformanceError } from '../model/errors.ts';
import type { CheckResult, Counterexample } from '../model/result.ts';
import type { RuleReport } from '../reports/report.ts';
import { PROPERTIES } from '../suites/properties/index.ts';
import { runCase, shellQuote } from '../suites/runner.ts';
import { PROJECT_ROOT, ruleMatches } from '../suites/settings.ts';
import { loadSpecSet } from '../suites/spec/load.ts';
import { caseKey, REGRESSION_CHECK_PREFIX, REGRESSIONS_DIR, regressionCheckName, regressionFileName, renderRegression } from '../suites/spec/regressions.ts';
import { EXIT, readReport, splitList, usage, vendorsOf } from './args.ts';

/**
 * `bucket-conformance replay FILE`: reruns the shrunk counterexample of a failing check of a
 * report against a target, through the runner and the judge (exactly the recorded case, not the
 * property), and with `--save` keeps it as a permanent regression case of its rule.
 */

/** A failing check of a report, with its rule. */
interface Failure {
  rule: RuleReport;
  check: CheckResult & { counterexample: Counterexample };
}

function describe(f: Failure): string {
  return `${f.rule.id} (${f.rule.vendor}) check ${shellQuote(f.check.name)}`;
}

/** The failing check to replay: the only one of the report, or the one `--rules`, `--vendor` and `--check` pick. */
function pick(file: string, failures: Failure[], filters: { rules: string[]; vendors: string[]; check: string | undefined }): Failure {
  const chosen = failures.filter(
    (f) =>
      (filters.rules.length === 0 || ruleMatches(f.rule.id, filters.rules)) &&
      (filters.vendors.length === 0 || filters.vendors.includes(f.rule.vendor)) &&
      (filters.check === undefined || f.check.name === filters.check),
  );
  const filtered = filters.rules.length > 0 || filters.vendors.length > 0 || filters.check !== undefined;
  if (chosen.length === 1) return chosen[0]!;
  if (chosen.length === 0) {
    throw new ConformanceError('CONFORMANCE_INPUT', failures.length === 0
      ? `${file}: no failing check with a counterexample to replay`
      : `${file}: no failing check with a counterexample matches${filters.rules.length ? ` --rules ${filters.rules.join(',')}` : ''}${filters.vendors.length ? ` --vendor ${filters.vendors.join(',')}` : ''}${filters.check !== undefined ? ` --check ${shellQuote(filters.check)}` : ''}; the report has: ${failures.map(describe).join('; ')}`);
  }
  throw new ConformanceError('CONFORMANCE_USAGE', `${file}: ${chosen.length} failing checks${filtered ? ' match' : ''}; pick one with --rules ID --check NAME (and --vendor V for an X-* rule):\n${chosen.map((f) => `  --rules ${f.rule.id} --check ${shellQuote(f.check.name)}${chosen.some((g) => g !== f && g.rule.id === f.rule.id && g.check.name === f.check.name) ? ` --vendor ${f.rule.vendor}` : ''}`).join('\n')}`);
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * `replay FILE [--rules ID] [--check NAME] [--vendor V] [--target T] [--save [--name NAME]] [--specs DIR]`.
 * Exit code 1 when the case still fails (or cannot be told, a fault), 0 when it passes now.
 */
export async function commandReplay(args: string[], out: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      rules: { type: 'string', multiple: true },
      check: { type: 'string' },
      vendor: { type: 'string', multiple: true },
      target: { type: 'string' },
      save: { type: 'boolean' },
      name: { type: 'string' },
      specs: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) usage('replay takes one report.json: `replay FILE [--rules ID --check NAME] [--target T] [--save]`');
  if (values.name !== undefined && !values.save) usage('--name names the regression file of --save');
  if (values.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(values.name)) usage(`--name: \`${values.name}\` is not a file name of letters, digits, \`.\`, \`_\` and \`-\``);
  const file = positionals[0]!;
  const report = readReport(file);
  const failures: Failure[] = report.rules.flatMap((rule) =>
    rule.checks.filter((c): c is Failure['check'] => c.verdict === 'fail' && c.counterexample !== undefined).map((check) => ({ rule, check })),
  );
  const failure = pick(file, failures, { rules: splitList(values.rules), vendors: vendorsOf(values.vendor), check: values.check });
  const { rule, check } = failure;
  const ce = check.counterexample;
  const target = values.target ?? report.run.target;

  // The rule and the check's capabilities, and a valid place for --save, before anything runs.
  const specsDir = resolve(values.specs ?? join(PROJECT_ROOT, 'specs'));
  const saving = values.save === true;
  let spec: Awaited<ReturnType<typeof loadSpecSet>> | undefined;
  if (saving) {
    if (check.name.startsWith(REGRESSION_CHECK_PREFIX)) usage(`${describe(failure)} is already a regression case; it is kept under ${REGRESSIONS_DIR}/${rule.id}/`);
    spec = await loadSpecSet({ specsDir, properties: PROPERTIES });
    if (!spec.rules.some((r) => r.id === rule.id && r.vendor === rule.vendor)) {
      throw new ConformanceError('CONFORMANCE_INPUT', `--save: rule \`${rule.id}\` of \`${rule.vendor}\` is not in \`${relative(process.cwd(), specsDir) || '.'}\``);
    }
  }

  const adapter = await createAdapter(target);
  let verdict;
  let failureNow: Counterexample | undefined;
  try {
    if (!adapter.capabilities.vendors.includes(rule.vendor)) usage(`target \`${target}\` does not cover vendor ${rule.vendor}`);
    const run = await runCase(ce.case, adapter, { features: adapter.capabilities.features });
    verdict = run.verdict;
    failureNow = run.failure;
  } finally {
    await adapter.close();
  }

  // A long path (a shrunk generated value) says nothing to a reader; it is in the report.
  const path = check.path && check.path.length <= 40 ? `, path ${check.path}` : '';
  out.write(`replaying ${describe(failure)} of ${file} against ${target}${check.seed !== undefined ? ` (seed ${check.seed}${path})` : ''}\n`);
  if (ce.sequence) out.write(`${['  the shrunk sequence (the recorded failure was at its last step):', ...ce.sequence.map((l) => `    ${l}`)].join('\n')}\n`);
  let code: number;
  if (verdict.status === 'fail') {
    const same = failureNow !== undefined && failureNow.requestIndex === ce.requestIndex && failureNow.reason === ce.reason;
    const at = failureNow ? (failureNow.requestIndex >= 0 ? `request ${failureNow.requestIndex}` : 'world') : '';
    out.write(`fails${at ? ` at ${at}` : ''}: ${failureNow?.reason ?? verdict.reason}\n`);
    out.write(same ? 'the same failure as recorded\n' : `recorded: ${ce.requestIndex >= 0 ? `request ${ce.requestIndex}` : 'world'}: ${ce.reason}\n`);
    code = EXIT.nonconformance;
  } else if (verdict.status === 'inconclusive') {
    out.write(`inconclusive: ${verdict.cause.code}: ${verdict.cause.message} (a fault: neither fails nor passes)\n`);
    code = EXIT.nonconformance;
  } else {
    out.write(`passes now (recorded: ${ce.reason})\n`);
    code = EXIT.ok;
  }

  if (saving && spec) {
    const specRule = spec.rules.find((r) => r.id === rule.id && r.vendor === rule.vendor)!;
    const specCheck = specRule.checks.find((c) => c.name === check.name);
    const key = caseKey(ce.case);
    const name = values.name ?? regressionFileName(check.name, ce.case);
    const dir = join(specsDir, REGRESSIONS_DIR, rule.id);
    const path = join(dir, `${name}.yaml`);
    const near = relative(process.cwd(), path);
    const shown = near && !near.startsWith('..') ? near : path;
    const existing = spec.regressions.find((r) => r.vendor === rule.vendor && r.ruleId === rule.id && caseKey(r.case) === key);
    if (existing) {
      out.write(`already saved as ${join(dirname(shown), '..', '..', existing.file)}\n`);
      return code;
    }
    if (existsSync(path)) throw new ConformanceError('CONFORMANCE_USAGE', `--save: \`${shown}\` exists and holds another case; give another --name`);
    const origin = {
      check: check.name,
      target: report.run.target,
      ...(check.seed !== undefined ? { seed: check.seed } : {}),
      ...(check.path !== undefined ? { path: check.path } : {}),
      ...(check.replay && /--replay-path /.test(check.replay) ? { replayPath: check.replay.replace(/^.*--replay-path /, '').replace(/^'(.*)'$/, '$1') } : {}),
      report: file,
      reason: ce.reason,
      saved: today(),
    };
    const text = renderRegression({ ruleId: rule.id, vendor: rule.vendor, origin, requires: specCheck?.requires ?? [], case: ce.case });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text);
    // The file is checked as every run will check it; a case the loader refuses is not kept.
    try {
      await loadSpecSet({ specsDir, properties: PROPERTIES });
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
    out.write(`saved ${shown}: every run of ${rule.id} checks it first, as check ${shellQuote(regressionCheckName(name))}\n`);
  }
  return code;
}
