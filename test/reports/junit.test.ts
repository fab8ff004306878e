import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, xmlAttr, xmlText } from '../../reports/junit.ts';
import { buildReport } from '../../reports/report.ts';
import {
  allKindsReport,
  EXPECTED_FAIL,
  FAIL,
  FAIL_REPLAY,
  fixtureMatrix,
  HOSTILE,
  HOSTILE_TEXT,
  INCONCLUSIVE,
  KNOWN,
  PASS,
  RUN_INFO,
  SKIP,
  STATEFUL,
  STATEFUL_REPLAY,
  STATEFUL_SEQUENCE,
  UNEXPECTED_PASS,
} from './fixtures.ts';

/**
 * `junit.xml`: well-formed XML (checked with fast-xml-parser) with one testsuite per vendor (or
 * per target of a matrix) and one testcase per rule; failures carry the counterexample and the
 * replay command, skips and inconclusives are skipped with the reason, an expected failure
 * passes with a note, an unexpected pass fails; and every text survives escaping.
 */

interface Node {
  [key: string]: unknown;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Decode numeric character references (&#10;) as well as the five named ones.
  htmlEntities: true,
  processEntities: { maxTotalExpansions: 1e6, maxExpandedLength: 1e8 },
  isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error', 'skipped'].includes(name),
});

function parse(xml: string): { suites: Node; suite: Node[] } {
  const valid = XMLValidator.validate(xml);
  expect(valid, JSON.stringify(valid)).toBe(true);
  const doc = parser.parse(xml) as Node;
  const suites = doc['testsuites'] as Node;
  return { suites, suite: suites['testsuite'] as Node[] };
}

function cases(suite: Node): Node[] {
  return (suite['testcase'] as Node[] | undefined) ?? [];
}

function testcase(xml: string, name: string): Node {
  const all = parse(xml).suite.flatMap(cases);
  const found = all.find((c) => String(c['@name']).startsWith(`${name}: `));
  if (!found) throw new Error(`no testcase ${name}`);
  return found;
}

function text(node: unknown): string {
  if (typeof node === 'string') return node;
  return String((node as Node)['#text'] ?? '');
}

describe('renderJunit: a run', () => {
  const report = allKindsReport();
  const xml = renderJunit(report);

  it('is well-formed XML with a declaration and one testsuite per vendor, named after it', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    const { suites, suite } = parse(xml);
    expect(suites['@name']).toBe('bucket-conformance: ./my-adapter.ts');
    expect(suite.map((s) => s['@name'])).toEqual(['alibaba-oss', 'aps-oss', 'huawei-obs', 'run errors']);
  });

  it('has one testcase per rule: class the vendor, name `ID: title`, time in seconds, and the spec file', () => {
    const { suite } = parse(xml);
    const ali = cases(suite[0]!);
    expect(ali.map((c) => c['@classname'])).toEqual(ali.map(() => 'alibaba-oss'));
    expect(suite.slice(0, 3).flatMap(cases)).toHaveLength(report.rules.length);
    const pass = testcase(xml, PASS.id);
    expect(pass['@name']).toBe(`${PASS.id}: ${PASS.title}`);
    expect(pass['@time']).toBe('0.013');
    expect(pass['@file']).toBe(`specs/${PASS.file}`);
    expect(pass['failure']).toBeUndefined();
    expect(pass['skipped']).toBeUndefined();
  });

  it('counts tests, failures, errors and skips on each suite and on the root', () => {
    const { suites, suite } = parse(xml);
    const ali = suite[0]!;
    // ALI: PASS, FAIL, SKIP, EXPECTED_FAIL, UNEXPECTED_PASS, HOSTILE.
    expect([ali['@tests'], ali['@failures'], ali['@errors'], ali['@skipped']]).toEqual(['6', '3', '0', '1']);
    expect([suites['@tests'], suites['@failures'], suites['@errors'], suites['@skipped']]).toEqual([String(report.rules.length + 1), '5', '1', '2']);
    const props = (ali['properties'] as Node)['property'];
    expect(props).toContainEqual({ '@name': 'seed', '@value': '1234' });
    expect(props).toContainEqual({ '@name': 'expectations', '@value': 'expectations/my-adapter.yaml' });
  });

  it('gives a failure the message, the counterexample, the seed, the path and the replay command', () => {
    const failure = (testcase(xml, FAIL.id)['failure'] as Node[])[0]!;
    expect(failure['@type']).toBe('nonconformance');
    expect(failure['@message']).toBe(FAIL.message);
    const body = text(failure);
    expect(body).toContain(`"${FAIL.source.quote}"`);
    expect(body).toContain('check "deny beats allow": request 0: expected deny, observed allow (200)');
    expect(body).toContain('failed at request 0: expected deny, observed allow (200)');
    expect(body).toContain(JSON.stringify(FAIL.checks[0]!.counterexample!.case, null, 2));
    expect(body).toContain('seed 1234, path 17:0:2:1, 3 shrinks');
    expect(body).toContain(`replay: ${FAIL_REPLAY}`);
  });

  it('gives a stateful failure its shrunk sequence, the failing step last, and the target\'s explanation', () => {
    const body = text((testcase(xml, STATEFUL.id)['failure'] as Node[])[0]);
    expect(body).toContain(`shrunk sequence (the last step failed):\n${STATEFUL_SEQUENCE.map((s) => `  ${s}`).join('\n')}`);
    expect(body).toContain('failed at step 2 of 2: expected allow, observed deny (403)');
    expect(body).toContain("the target's explanation: no-grant by APS-OWNER-READS-ALL");
    expect(body).toContain(`replay: ${STATEFUL_REPLAY}`);
  });

  it('skips a skipped rule and an inconclusive one, with the reason', () => {
    expect((testcase(xml, SKIP.id)['skipped'] as Node[])[0]!['@message']).toBe(SKIP.message);
    expect((testcase(xml, INCONCLUSIVE.id)['skipped'] as Node[])[0]!['@message']).toBe(`inconclusive: ${INCONCLUSIVE.message}`);
  });

  it('makes an inconclusive rule of a strict run an error, since it fails the run', () => {
    const strict = renderJunit(buildReport({ ...RUN_INFO, strict: true }, [INCONCLUSIVE]));
    const c = testcase(strict, INCONCLUSIVE.id);
    expect(c['skipped']).toBeUndefined();
    expect((c['error'] as Node[])[0]!['@type']).toBe('inconclusive');
    expect(parse(strict).suites['@errors']).toBe('1');
  });

  it('passes an expected failure with a note and the failure in system-out, and fails an unexpected pass', () => {
    const expected = testcase(xml, EXPECTED_FAIL.id);
    expect(expected['failure']).toBeUndefined();
    const out = text(expected['system-out']);
    expect(out.startsWith(`expected failure (in the expectations file): ${KNOWN.reason} (${KNOWN.link})`)).toBe(true);
    expect(out).toContain('replay: ');
    const unexpected = (testcase(xml, UNEXPECTED_PASS.id)['failure'] as Node[])[0]!;
    expect(unexpected['@type']).toBe('unexpected-pass');
    expect(String(unexpected['@message'])).toContain('remove it from the expectations file');
    expect(text(unexpected)).toContain(KNOWN.reason);
  });

  it('lists errors outside any rule as errored testcases', () => {
    const errors = parse(xml).suite.at(-1)!;
    expect(errors['@errors']).toBe('1');
    expect(text((cases(errors)[0]!['error'] as Node[])[0])).toBe('suites/x.conformance.ts: cannot load `x` & <y>');
  });

  it('escapes every text: markup, ampersands, quotes and `]]>` survive a parse, a control character becomes U+FFFD', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0001');
    const c = testcase(xml, HOSTILE.id);
    const expected = HOSTILE_TEXT.replace('\u0001', '\uFFFD');
    expect(c['@name']).toBe(`${HOSTILE.id}: Title ${expected}`);
    const failure = (c['failure'] as Node[])[0]!;
    expect(failure['@message']).toBe(`check: request 0: ${expected}`);
    expect(text(failure)).toContain(`Quote ${expected}`);
  });
});

describe('xml escaping', () => {
  it('escapes text and attributes, keeping line breaks in attributes', () => {
    expect(xmlText('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; "d"');
    expect(xmlAttr('say "hi"\nthen\tgo')).toBe('say &quot;hi&quot;&#10;then&#9;go');
    const parsed = parser.parse(`<a m="${xmlAttr('line one\nline "two" <3')}"/>`) as Node;
    expect((parsed['a'] as Node)['@m']).toBe('line one\nline "two" <3');
  });

  it('replaces characters XML cannot hold: controls, lone surrogates, U+FFFE', () => {
    expect(xmlText('a\u0000b\u001Fc\uD800d\uFFFEe\u{1F600}')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\u{1F600}');
  });
});

describe('renderJunit: a matrix', () => {
  const xml = renderJunit(fixtureMatrix());

  it('has one testsuite per target, each with its rules as testcases classed by vendor', () => {
    const { suites, suite } = parse(xml);
    expect(suites['@name']).toBe('bucket-conformance matrix');
    expect(suite.map((s) => s['@name'])).toEqual(['./my-adapter.ts', 'reference']);
    const [faulty, reference] = suite as [Node, Node];
    expect(cases(faulty).filter((c) => c['@classname'] !== 'errors')).toHaveLength(allKindsReport().rules.length);
    expect(cases(faulty).map((c) => c['@classname'])).toContain('aps-oss');
    expect(reference['@failures']).toBe('0');
    expect(faulty['@failures']).toBe('5');
    expect(cases(reference).some((c) => String(c['@name']).startsWith(`${STATEFUL.id}:`))).toBe(false);
    const fail = cases(faulty).find((c) => String(c['@name']).startsWith(`${FAIL.id}:`))!;
    expect(text((fail['failure'] as Node[])[0])).toContain(`replay: ${FAIL_REPLAY}`);
    expect(suites['@tests']).toBe(String(cases(faulty).length + cases(reference).length));
  });
});
