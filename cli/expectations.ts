import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import { isAdapterPath } from '../adapters/registry.ts';
import { ConformanceError, ConformanceErrors } from '../model/errors.ts';
import { firstLine } from '../reports/describe.ts';
import type { KnownFailure, RunReport } from '../reports/report.ts';
import type { JsonSchema } from '../suites/properties/types.ts';
import { didYouMean } from '../suites/spec/schema-errors.ts';
import { checkYamlFile, compileSchema } from '../suites/spec/yaml-file.ts';

/**
 * Expectations files (`run --expectations FILE`): per target, the rules known to fail, each with
 * a reason and an optional link, as web-platform-tests' expectation files and s3-tests users'
 * baselines keep them. Such a rule reports `expected-fail` when it fails and `unexpected-pass`
 * (which fails the run) when it passes, so that the file stays honest.
 *
 * ```yaml
 * target: reference            # optional: the target the file is for
 * rules:
 *   ALI-DENY-FIRST: {reason: "Allow wins over Deny in our gateway", link: "https://example.com/issue/12"}
 *   APS-GRANT-*: {reason: "grants are not implemented"}     # a glob: every matching rule
 *   OBS-ACL-LIMIT: "more than 100 grants are accepted"      # short form: the reason alone
 * ```
 */

/** One entry of an expectations file: a rule id or a glob (`*` any characters, `?` one). */
export interface ExpectationEntry {
  pattern: string;
  known: KnownFailure;
}

/** A loaded expectations file. */
export interface Expectations {
  /** The file as given on the command line. */
  file: string;
  /** The target the file is for, when it says. */
  target?: string;
  entries: ExpectationEntry[];
}

const GLOB = /^[A-Za-z0-9*?][A-Za-z0-9*?.-]*$/;

/** The schema of an expectations file; rule keys are checked against the specs separately. */
function expectationsSchema(): JsonSchema {
  const entry: JsonSchema = {
    if: { type: 'string' },
    then: { minLength: 1, errorMessage: 'expected a reason, or a map {reason, link}' },
    else: {
      type: 'object',
      additionalProperties: false,
      required: ['reason'],
      errorMessage: 'expected a reason, or a map {reason, link}',
      properties: {
        reason: { type: 'string', minLength: 1, description: 'why the rule fails on this target' },
        link: { type: 'string', pattern: '^[a-z][a-z0-9+.-]*://\\S+$', patternErrorMessage: 'expected a URL such as `https://example.com/issue/12`' },
      },
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['rules'],
    properties: {
      target: { type: 'string', minLength: 1, description: 'the target the file is for' },
      rules: { type: 'object', additionalProperties: entry, description: 'rule id or glob -> why it is known to fail' },
    },
  };
}

let validator: ReturnType<typeof compileSchema> | undefined;

function globRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** Whether an entry's pattern names rule `id`: the id itself, or a glob that matches it (a parent id does not cover its children). */
export function patternMatches(pattern: string, id: string): boolean {
  return /[*?]/.test(pattern) ? globRegExp(pattern).test(id) : pattern === id;
}

/**
 * Reads and checks an expectations file against the rule ids of the specs: YAML and schema
 * problems, keys that are neither an id nor a glob, ids that are not rules, globs that match no
 * rule. Every problem is located (`FILE:line:col`) and thrown together as ConformanceErrors.
 */
export function loadExpectations(file: string, ruleIds: readonly string[]): Expectations {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `--expectations: cannot read \`${file}\`: ${(error as Error).message}`);
  }
  const errors: ConformanceError[] = [];
  const checked = checkYamlFile(text, file, (validator ??= compileSchema(expectationsSchema())), errors);
  const data = checked.data as { target?: unknown; rules?: unknown } | null | undefined;
  const rules = data && typeof data.rules === 'object' && data.rules !== null && !Array.isArray(data.rules) ? (data.rules as Record<string, unknown>) : {};
  const entries: ExpectationEntry[] = [];
  for (const [pattern, value] of Object.entries(rules)) {
    if (!GLOB.test(pattern)) {
      checked.report('CONFORMANCE_SPEC_INVALID_VALUE', `\`${pattern}\` is not a rule id or a glob such as \`ALI-*\``, ['rules', pattern], 'key');
      continue;
    }
    if (/[*?]/.test(pattern)) {
      if (!ruleIds.some((id) => patternMatches(pattern, id))) checked.report('CONFORMANCE_SPEC_INVALID_VALUE', `\`${pattern}\` matches no rule`, ['rules', pattern], 'key');
    } else if (!ruleIds.includes(pattern)) {
      checked.report('CONFORMANCE_SPEC_UNKNOWN_RULE_ID', `unknown rule \`${pattern}\`${didYouMean(pattern, new Set(ruleIds)) || ', not a rule of the specs'}`, ['rules', pattern], 'key');
    }
    if (typeof value === 'string') entries.push({ pattern, known: { reason: value } });
    else if (typeof value === 'object' && value !== null) {
      const { reason, link } = value as { reason?: unknown; link?: unknown };
      if (typeof reason === 'string') entries.push({ pattern, known: { reason, ...(typeof link === 'string' ? { link } : {}) } });
    }
  }
  if (errors.length > 0) {
    const at = (e: ConformanceError) => e.location ?? { line: 0, column: 0 };
    throw new ConformanceErrors([...errors].sort((x, y) => at(x).line - at(y).line || at(x).column - at(y).column));
  }
  return { file, ...(typeof data?.target === 'string' ? { target: data.target } : {}), entries };
}

/**
 * The entry for rule `id`: an entry of the id itself wins over globs; among globs, the first in
 * the file.
 */
export function expectationFor(expectations: Expectations, id: string): KnownFailure | undefined {
  return (expectations.entries.find((e) => e.pattern === id) ?? expectations.entries.find((e) => /[*?]/.test(e.pattern) && patternMatches(e.pattern, id)))?.known;
}

/**
 * Whether the file's target is `--target`: the same name, or, for module paths, the same file
 * (resolved against the current folder, or against the expectations file's folder).
 */
export function sameTarget(expectations: Expectations, target: string): boolean {
  const own = expectations.target;
  if (own === undefined || own === target) return true;
  if (!isAdapterPath(own) || !isAdapterPath(target)) return false;
  const wanted = resolve(target);
  return resolve(own) === wanted || resolve(dirname(expectations.file), own) === wanted;
}

/** Refuses an expectations file written for another target, pointing at its `target`. */
export function checkTarget(expectations: Expectations, target: string): void {
  if (sameTarget(expectations, target)) return;
  const text = readFileSync(expectations.file, 'utf8');
  const errors: ConformanceError[] = [];
  const checked = checkYamlFile(text, expectations.file, (validator ??= compileSchema(expectationsSchema())), errors);
  checked.report('CONFORMANCE_USAGE', `the expectations are for target \`${expectations.target!}\`, not \`${target}\` (--target)`, ['target']);
  throw errors[0]!;
}

/**
 * The text of an expectations file listing the rules a run failed: each failing rule with the
 * first line of its failure as the reason, each expected failure with its entry kept. Rules that
 * passed unexpectedly are left out (their entries are out of date).
 */
export function renderExpectations(report: RunReport, from: string): string {
  const kept = new Map<string, KnownFailure>();
  const failed = new Map<string, Array<{ vendor: string; reason: string }>>();
  for (const r of report.rules) {
    if (r.verdict === 'expected-fail' && r.expectation && !kept.has(r.id)) kept.set(r.id, r.expectation);
    if (r.verdict === 'fail') failed.set(r.id, [...(failed.get(r.id) ?? []), { vendor: r.vendor, reason: firstLine(r.message) || 'failed' }]);
  }
  const rules: Record<string, KnownFailure> = {};
  for (const r of report.rules) {
    if (r.id in rules) continue;
    const known = kept.get(r.id);
    const reasons = failed.get(r.id);
    // An id failing for two vendors (an X-* rule) gets one entry naming both: entries are by id.
    if (known) rules[r.id] = known;
    else if (reasons) rules[r.id] = { reason: reasons.length === 1 ? reasons[0]!.reason : reasons.map((x) => `${x.vendor}: ${x.reason}`).join('; ') };
  }
  const header = [
    `# Expectations of target ${report.run.target}: the rules it is known to fail (bucket-conformance run --expectations FILE).`,
    `# Written by \`bucket-conformance expectations --from ${from}\` from the run of ${report.run.finishedAt}; add a link to each entry.`,
  ].join('\n');
  return `${header}\n${stringify({ target: report.run.target, rules }, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
