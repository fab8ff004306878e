/**
 * Fixture reports for the renderer tests: the four results of test/fixtures/reports/ (pass,
 * fail with a counterexample, skip, inconclusive) plus a stateful failure with its shrunk
 * sequence, an expected failure and an unexpected pass (after an expectations file), an ambiguous
 * OBS ACL rule, a cross-vendor rule failing a relation, and a rule whose text tries to break out
 * of HTML and XML.
 */
import type { RuleResult } from '../../model/result.ts';
import { buildMatrix, type MatrixReport } from '../../reports/matrix.ts';
import { applyExpectation, buildReport, type RuleReport, type RunInfo, type RunReport } from '../../reports/report.ts';
import { FAIL, INCONCLUSIVE, PASS, RUN_INFO, SKIP } from '../fixtures/reports/rule-results.ts';

export { FAIL, FAIL_PATH, FAIL_REPLAY, INCONCLUSIVE, PASS, RUN_INFO, SKIP } from '../fixtures/reports/rule-results.ts';

/** The replay command of STATEFUL. */
export const STATEFUL_REPLAY =
  "npx bucket-conformance run --target ./my-adapter.ts --rules APS-NO-REVOKE --check 'long sequences are decided by the creation-time grants' --seed 1234 --num-runs 50 --path 5:262:2 --replay-path WEi:F";

/** The shrunk steps of STATEFUL, the failing one last. */
export const STATEFUL_SEQUENCE = [
  '1. Key7:write (write) uploadObject "dir/c d.txt" in bkt [missing]  (APS-WRITE-UPLOAD) -> expected allow',
  '2. Owner (owner) downloadObject "dir/c d.txt" in bkt [by-other-key]  (APS-OWNER-READS-ALL) -> expected allow',
];

/** A stateful APS failure: a shrunk sequence of two steps, the second one failing. */
export const STATEFUL: RuleResult = {
  id: 'APS-NO-REVOKE',
  vendor: 'aps-oss',
  status: 'doc',
  title: "Grants stay as created for the bucket's whole life",
  source: { seed: '001_c42f6c59412c8ba7.txt', quote: 'Currently, there is no supported API to revoke or modify access rights granted to other keys.' },
  file: 'aps-oss/APS-NO-REVOKE.yaml',
  verdict: 'fail',
  message: `long sequences are decided by the creation-time grants: step 2 of 2: expected allow, observed deny (403)\n${STATEFUL_SEQUENCE.join('\n')}`,
  cases: 10,
  distribution: { outcome: { allow: 19, deny: 85, rejected: 3 }, role: { owner: 13, write: 22, stranger: 28 } },
  checks: [
    {
      name: 'long sequences are decided by the creation-time grants',
      kind: 'property',
      property: 'aps-model-sequence',
      verdict: 'fail',
      cases: 6,
      distribution: { outcome: { allow: 19, deny: 85, rejected: 3 }, role: { owner: 13, write: 22, stranger: 28 } },
      message: `step 2 of 2: expected allow, observed deny (403)\n${STATEFUL_SEQUENCE.join('\n')}`,
      seed: 1234,
      path: '5:262:2',
      numShrinks: 5,
      counterexample: {
        case: {
          kind: 'expect',
          world: {
            vendor: 'aps-oss',
            bucket: { key: 'bkt', owner: 'OWNER0000000000000000000000000000', policyKey: 'transient', allow: [{ authId: 'KEY7000000000000000000000000000000', access: 'write' }] },
          },
          requests: [
            {
              name: 'Key7:write (write) uploadObject "dir/c d.txt" in bkt [missing]  (APS-WRITE-UPLOAD)',
              request: { actor: 'KEY7000000000000000000000000000000', operation: 'uploadObject', bucket: 'bkt', object: 'dir/c d.txt' },
              expect: { decision: 'allow' },
            },
            {
              name: 'Owner (owner) downloadObject "dir/c d.txt" in bkt [by-other-key]  (APS-OWNER-READS-ALL)',
              request: { actor: 'OWNER0000000000000000000000000000', operation: 'downloadObject', bucket: 'bkt', object: 'dir/c d.txt' },
              expect: { decision: 'allow' },
            },
          ],
        },
        requestIndex: 1,
        expected: { decision: 'allow' },
        observed: { kind: 'observed', observation: { kind: 'decided', decision: 'deny', status: 403, explanation: { rules: ['APS-OWNER-READS-ALL'], statements: [], reason: 'no-grant' } } },
        reason: 'expected allow, observed deny (403)',
        sequence: STATEFUL_SEQUENCE,
      },
      replay: STATEFUL_REPLAY,
      durationMs: 246.8,
    },
    { name: 'creating the bucket again changes no grant', kind: 'example', verdict: 'pass', cases: 4, distribution: { outcome: { deny: 4 } }, durationMs: 0.3 },
  ],
  durationMs: 253.5,
};

/** The expectations entry of EXPECTED_FAIL and UNEXPECTED_PASS. */
export const KNOWN = { reason: 'the gateway evaluates Allow before Deny', link: 'https://example.org/issues/7' };

/** A failing rule listed in the expectations file. */
export const EXPECTED_FAIL: RuleReport = applyExpectation(
  {
    ...FAIL,
    id: 'ALI-UNION',
    title: 'Statements are combined: any Allow allows, any Deny denies',
    message: 'a request allowed by any one statement is allowed: request 0: expected deny, observed allow (200)',
    checks: FAIL.checks.map((c) => (c.replay ? { ...c, name: 'union', replay: c.replay.replace('ALI-DENY-FIRST', 'ALI-UNION').replace("'deny beats allow'", 'union') } : c)),
    file: 'alibaba-oss/ALI-UNION.yaml',
  },
  KNOWN,
);

/** A passing rule listed in the expectations file. */
export const UNEXPECTED_PASS: RuleReport = applyExpectation({ ...PASS, id: 'ALI-VERSION', title: 'Version must be "1"', file: 'alibaba-oss/ALI-VERSION.yaml' }, KNOWN);

/** A passing ambiguous rule about OBS ACLs (a child rule holding one reading). */
export const AMBIGUOUS: RuleResult = {
  id: 'OBS-ACL-REGISTERED.iam-users',
  vendor: 'huawei-obs',
  status: 'ambiguous',
  title: 'Registered users include the IAM users of other accounts',
  source: { seed: '004_0f3c1b2a9d8e7f60.txt', quote: 'Registered users: any registered OBS user.' },
  reading: 'Read as: the IAM users of any account are registered users.',
  file: 'huawei-obs/OBS-ACL-REGISTERED.yaml',
  verdict: 'pass',
  cases: 12,
  distribution: { outcome: { allow: 6, deny: 6 } },
  checks: [{ name: 'iam users', kind: 'property', property: 'obs-acl-registered', verdict: 'pass', cases: 12, distribution: { outcome: { allow: 6, deny: 6 } }, seed: 1234, durationMs: 8 }],
  durationMs: 9,
};

/** The replay command of RELATION. */
export const RELATION_REPLAY = "npx bucket-conformance run --target ./my-adapter.ts --rules X-ORDER --check 'statement order' --seed 1234 --num-runs 50 --path 3:1";

/** A cross-vendor rule failing a metamorphic relation on OBS. */
export const RELATION: RuleResult = {
  id: 'X-ORDER',
  vendor: 'huawei-obs',
  status: 'inferred',
  title: 'The order of statements does not change a decision',
  source: { seed: '003_f6f0f84604d8b85c.txt', quote: 'Deny statements take precedence over allow statements.' },
  reading: 'Precedence does not depend on position, so reordering changes nothing.',
  file: 'common/X-ORDER.yaml',
  verdict: 'fail',
  message: 'statement order: request 0: same-decision: base allow, variant deny',
  cases: 3,
  distribution: { outcome: { allow: 2, deny: 1 } },
  checks: [
    {
      name: 'statement order',
      kind: 'property',
      property: 'x-order',
      verdict: 'fail',
      cases: 3,
      distribution: { outcome: { allow: 2, deny: 1 } },
      message: 'request 0: same-decision: base allow, variant deny',
      seed: 1234,
      path: '3:1',
      numShrinks: 2,
      counterexample: {
        case: {
          kind: 'relation',
          relation: 'same-decision',
          base: { vendor: 'huawei-obs', bucket: { name: 'b', owner: 'o1' }, policy: { Statement: [{ Effect: 'Allow' }, { Effect: 'Deny' }] } },
          variant: { vendor: 'huawei-obs', bucket: { name: 'b', owner: 'o1' }, policy: { Statement: [{ Effect: 'Deny' }, { Effect: 'Allow' }] } },
          requests: [{ principal: { account: 'a2' }, action: 'GetObject', object: 'k' }],
        },
        requestIndex: 0,
        expected: 'the same decision in both worlds',
        observed: 'base allow, variant deny',
        reason: 'same-decision: base allow, variant deny',
      },
      replay: RELATION_REPLAY,
      durationMs: 5,
    },
  ],
  durationMs: 6,
};

/** Text that breaks HTML or XML unless escaped (and a control character XML cannot hold). */
export const HOSTILE_TEXT = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> & "quotes" 'apostrophes' ]]> \u0001`;

/** A failing rule whose title, quote, reading, message and counterexample carry HOSTILE_TEXT. */
export const HOSTILE: RuleResult = {
  ...FAIL,
  id: 'ALI-HOSTILE',
  status: 'inferred',
  title: `Title ${HOSTILE_TEXT}`,
  source: { seed: '002_01acfbdf6f602626.txt', quote: `Quote ${HOSTILE_TEXT}` },
  reading: `Reading ${HOSTILE_TEXT}`,
  message: `check: request 0: ${HOSTILE_TEXT}`,
  checks: [
    {
      ...FAIL.checks[0]!,
      name: `check ${HOSTILE_TEXT}`,
      message: `request 0: ${HOSTILE_TEXT}`,
      counterexample: { ...FAIL.checks[0]!.counterexample!, reason: HOSTILE_TEXT, requestIndex: 0 },
      replay: `npx bucket-conformance run --rules ALI-HOSTILE --check '${HOSTILE_TEXT.replace(/'/g, '')}'`,
    },
  ],
  file: 'alibaba-oss/ALI-HOSTILE.yaml',
};

/** Every fixture rule of the browser test: all six verdicts, the three statuses, four mechanisms. */
export const ALL_KINDS: readonly (RuleResult | RuleReport)[] = [PASS, FAIL, SKIP, INCONCLUSIVE, STATEFUL, EXPECTED_FAIL, UNEXPECTED_PASS, AMBIGUOUS, RELATION, HOSTILE];

/** A run with expectations, over every fixture rule. */
export const RUN_WITH_EXPECTATIONS: RunInfo = { ...RUN_INFO, vendors: ['alibaba-oss', 'huawei-obs', 'aps-oss'], rules: ['*'], expectations: 'expectations/my-adapter.yaml', strict: false };

/** The report of every kind of result. */
export function allKindsReport(): RunReport {
  return buildReport(RUN_WITH_EXPECTATIONS, ALL_KINDS, ['suites/x.conformance.ts: cannot load `x` & <y>']);
}

/** A second target that passes what the first fails, and did not run the stateful rule. */
export function otherTargetReport(): RunReport {
  const rules = ALL_KINDS.filter((r) => r.id !== STATEFUL.id).map((r): RuleReport => {
    const { expectation: _e, message: _m, missing: _missing, ...rest } = r as RuleReport;
    return { ...rest, verdict: 'pass', checks: r.checks.map(({ counterexample: _c, replay: _r, ...c }) => ({ ...c, verdict: 'pass' as const })) };
  });
  return buildReport({ ...RUN_INFO, target: 'reference', vendors: ['alibaba-oss', 'huawei-obs', 'aps-oss'], rules: ['*'] }, rules);
}

/** The matrix of the two targets. */
export function fixtureMatrix(): MatrixReport {
  return buildMatrix([allKindsReport(), otherTargetReport()]);
}
