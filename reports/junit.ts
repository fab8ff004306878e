import type { CheckResult } from '../model/result.ts';
import { describeExpected, describeExplanation, describeObserved, failedAt, failingChecks, firstLine, verdictReason } from './describe.ts';
import { isMatrixReport, matrixColumn, type MatrixReport } from './matrix.ts';
import type { RuleReport, RunReport } from './report.ts';

/**
 * `junit.xml` for CI systems. One testsuite per vendor (for a matrix: per target), one testcase
 * per rule, named `ID: title` with the vendor as its class. A failure carries the counterexample
 * and the replay command; skipped and inconclusive rules are `<skipped>` with the reason (an
 * inconclusive rule of a `--strict` run is an `<error>`, since it fails the run); an expected
 * failure passes with a note in `<system-out>`; an unexpected pass is a failure. Errors outside
 * any rule are testcases of a suite of their own, so that CI shows them.
 */

/** Characters XML 1.0 cannot hold at all, even escaped (controls, lone surrogates, U+FFFE/F). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an XML element body; characters XML cannot hold become U+FFFD. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double-quoted XML attribute, keeping line breaks and tabs (which parsers would fold into spaces). */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

/** JUnit's timestamp: an ISO 8601 date and time without fractions or zone. */
function timestampOf(iso: string): string {
  return iso.replace(/(\.\d+)?Z$/, '');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** The body of a failure: each failing check with its counterexample, seed, path and replay command. */
function checkDetails(check: CheckResult): string {
  const lines = [`check "${check.name}": ${firstLine(check.message)}`];
  const ce = check.counterexample;
  if (ce) {
    lines.push(`failed at ${failedAt(ce)}: expected ${describeExpected(ce.expected)}, observed ${describeObserved(ce.observed)}`);
    const why = describeExplanation(ce.observed);
    if (why) lines.push(`the target's explanation: ${why}`);
    if (ce.sequence) lines.push('shrunk sequence (the last step failed):', ...ce.sequence.map((s) => `  ${s}`));
    lines.push('counterexample:', JSON.stringify(ce.case, null, 2));
  } else {
    lines.push(...(check.message ?? '').split('\n').slice(1));
  }
  if (check.seed !== undefined) lines.push(`seed ${check.seed}${check.path ? `, path ${check.path}` : ''}${check.numShrinks !== undefined ? `, ${check.numShrinks} shrinks` : ''}`);
  if (check.replay) lines.push(`replay: ${check.replay}`);
  return lines.join('\n');
}

function failureBody(rule: RuleReport): string {
  const checks = failingChecks(rule);
  const head = `${rule.id} (${rule.status}), ${rule.source.seed}: "${rule.source.quote}"`;
  if (checks.length === 0) return `${head}\n${rule.message ?? ''}`;
  return [head, ...checks.map(checkDetails)].join('\n\n');
}

function testcase(rule: RuleReport, strict: boolean, indent: string): string {
  const open = `${indent}<testcase${attrs({ classname: rule.vendor, name: `${rule.id}: ${rule.title}`, file: `specs/${rule.file}`, time: seconds(rule.durationMs), assertions: rule.cases })}`;
  const inner = `${indent}  `;
  const reason = verdictReason(rule);
  let body: string;
  switch (rule.verdict) {
    case 'pass':
      return `${open}/>`;
    case 'fail':
      body = `${inner}<failure${attrs({ message: reason, type: 'nonconformance' })}>${xmlText(failureBody(rule))}</failure>`;
      break;
    case 'unexpected-pass':
      body = `${inner}<failure${attrs({ message: reason, type: 'unexpected-pass' })}>${xmlText(`${rule.id} passed, but the expectations file lists it as a known failure: ${rule.expectation?.reason ?? ''}${rule.expectation?.link ? ` (${rule.expectation.link})` : ''}. Remove the entry so that the file is kept honest.`)}</failure>`;
      break;
    case 'expected-fail':
      body = `${inner}<system-out>${xmlText(`expected failure (in the expectations file): ${rule.expectation?.reason ?? ''}${rule.expectation?.link ? ` (${rule.expectation.link})` : ''}\n\n${failureBody(rule)}`)}</system-out>`;
      break;
    case 'skip':
      body = `${inner}<skipped${attrs({ message: reason })}/>`;
      break;
    case 'inconclusive':
      body = strict
        ? `${inner}<error${attrs({ message: `inconclusive (strict run): ${reason}`, type: 'inconclusive' })}>${xmlText(reason)}</error>`
        : `${inner}<skipped${attrs({ message: `inconclusive: ${reason}` })}/>`;
      break;
  }
  return `${open}>\n${body}\n${indent}</testcase>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

function count(rules: readonly RuleReport[], strict: boolean, errors = 0): Counts {
  const c: Counts = { tests: rules.length + errors, failures: 0, errors, skipped: 0, time: 0 };
  for (const r of rules) {
    if (r.verdict === 'fail' || r.verdict === 'unexpected-pass') c.failures++;
    else if (r.verdict === 'skip') c.skipped++;
    else if (r.verdict === 'inconclusive') strict ? c.errors++ : c.skipped++;
    c.time += r.durationMs;
  }
  return c;
}

function countAttrs(c: Counts): Record<string, string | number> {
  return { tests: c.tests, failures: c.failures, errors: c.errors, skipped: c.skipped, time: seconds(c.time) };
}

function properties(run: RunReport['run'], indent: string): string {
  const props: Array<[string, string | number | boolean | undefined]> = [
    ['target', run.target],
    ['seed', run.seed],
    ['num-runs', run.numRuns],
    ['exhaustive', run.exhaustive],
    ['spec-digest', run.specDigest],
    ['suite-version', run.suite.version],
    ['shard', run.shard ? `${run.shard.index}/${run.shard.count}` : undefined],
    ['expectations', run.expectations],
    ['strict', run.strict],
    ['differential', run.differential],
    ['interrupted-of-selected', run.interrupted?.selected],
  ];
  const lines = props.filter(([, v]) => v !== undefined).map(([name, value]) => `${indent}  <property${attrs({ name, value: String(value) })}/>`);
  return `${indent}<properties>\n${lines.join('\n')}\n${indent}</properties>`;
}

function errorSuite(name: string, errors: readonly string[], timestamp: string, indent: string): string {
  const cases = errors.map((e, i) =>
    `${indent}  <testcase${attrs({ classname: name, name: `error ${i + 1}: ${firstLine(e)}`, time: '0.000' })}>\n${indent}    <error${attrs({ message: firstLine(e), type: 'run-error' })}>${xmlText(e)}</error>\n${indent}  </testcase>`);
  return `${indent}<testsuite${attrs({ name, tests: errors.length, failures: 0, errors: errors.length, skipped: 0, time: '0.000', timestamp })}>\n${cases.join('\n')}\n${indent}</testsuite>`;
}

/** The testsuites of one run: one per vendor, and one for errors outside any rule. */
function runSuites(report: RunReport): { xml: string[]; counts: Counts } {
  const strict = report.run.strict === true;
  const timestamp = timestampOf(report.run.startedAt);
  const xml: string[] = [];
  const vendors = [...new Set(report.rules.map((r) => r.vendor))];
  for (const vendor of vendors) {
    const rules = report.rules.filter((r) => r.vendor === vendor);
    xml.push(`  <testsuite${attrs({ name: vendor, ...countAttrs(count(rules, strict)), timestamp })}>`);
    xml.push(properties(report.run, '    '));
    for (const r of rules) xml.push(testcase(r, strict, '    '));
    xml.push('  </testsuite>');
  }
  if (report.errors.length) xml.push(errorSuite('run errors', report.errors, timestamp, '  '));
  return { xml, counts: count(report.rules, strict, report.errors.length) };
}

/**
 * Renders `junit.xml` for a run (one testsuite per vendor) or a matrix (one testsuite per target,
 * each rule's class being its vendor).
 */
export function renderJunit(report: RunReport | MatrixReport): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!isMatrixReport(report)) {
    const { xml, counts } = runSuites(report);
    return `${head}\n<testsuites${attrs({ name: `bucket-conformance: ${report.run.target}`, ...countAttrs(counts) })}>\n${xml.join('\n')}\n</testsuites>\n`;
  }
  const xml: string[] = [];
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const target of report.targets) {
    const run = matrixColumn(report, target);
    const strict = run.run.strict === true;
    const timestamp = timestampOf(run.run.startedAt);
    const c = count(run.rules, strict, run.errors.length);
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += c[k];
    xml.push(`  <testsuite${attrs({ name: target.name, ...countAttrs(c), timestamp })}>`);
    xml.push(properties(run.run, '    '));
    for (const r of run.rules) xml.push(testcase(r, strict, '    '));
    run.errors.forEach((e, i) => {
      xml.push(`    <testcase${attrs({ classname: 'errors', name: `error ${i + 1}: ${firstLine(e)}`, time: '0.000' })}>`);
      xml.push(`      <error${attrs({ message: firstLine(e), type: 'run-error' })}>${xmlText(e)}</error>`);
      xml.push('    </testcase>');
    });
    xml.push('  </testsuite>');
  }
  return `${head}\n<testsuites${attrs({ name: 'bucket-conformance matrix', ...countAttrs(total) })}>\n${xml.join('\n')}\n</testsuites>\n`;
}
