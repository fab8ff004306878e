import { describe, expect, it } from 'vitest';
import type { Capability } from '../../model/capabilities.ts';
import type { Observation } from '../../model/outcome.ts';
import {
  combineVerdicts,
  describeExpectation,
  describeObserved,
  judgeObservation,
  judgePreparation,
  judgeRelation,
  missingCoverage,
  type JudgeContext,
  type PreparationOutcome,
} from '../../suites/judge.ts';

/**
 * The judge is the one place that decides pass or fail. These tests pin its decisions on
 * hand-written expectations and observations: decisions are always compared, status, code and
 * EC only when the target observes them, and a fault is inconclusive, never a failure.
 */

const withStatus: JudgeContext = { features: new Set<Capability>(['policy', 'observe.status']) };
const decisionOnly: JudgeContext = { features: new Set<Capability>(['policy']) };

const fault = { code: 'UND_ERR_CONNECT_TIMEOUT', message: 'connect timed out after 10s' };
const unreachable: Observation = { kind: 'unreachable', error: fault };

function decided(decision: 'allow' | 'deny', details: { status?: number; code?: string; ec?: string } = {}): Observation {
  return { kind: 'decided', decision, ...details };
}

const deny403 = decided('deny', { status: 403, code: 'AccessDenied', ec: '0003-00000101' });

describe('judgeObservation: the decision', () => {
  it('passes when the observed decision is the expected one', () => {
    expect(judgeObservation({ decision: 'allow' }, decided('allow', { status: 200 }), withStatus)).toEqual({ status: 'pass' });
    expect(judgeObservation({ decision: 'deny' }, deny403, withStatus)).toEqual({ status: 'pass' });
    expect(judgeObservation({ decision: 'deny' }, decided('deny'), decisionOnly)).toEqual({ status: 'pass' });
  });

  it('fails an allow where a deny is expected, saying what was expected and what was seen', () => {
    const v = judgeObservation({ decision: 'deny' }, decided('allow', { status: 200 }), withStatus);
    expect(v.status).toBe('fail');
    if (v.status !== 'fail') return;
    expect(v.reason).toBe('expected deny, observed allow (200)');
  });

  it('fails a deny where an allow is expected, whatever the target observes', () => {
    for (const ctx of [withStatus, decisionOnly]) {
      const v = judgeObservation({ decision: 'allow' }, deny403, ctx);
      expect(v).toEqual({ status: 'fail', reason: 'expected allow, observed deny (403 AccessDenied EC 0003-00000101)' });
    }
  });

  it('fails any decided request when the world was expected to be rejected', () => {
    const v = judgeObservation({ decision: 'rejected', status: '4xx' }, decided('allow'), withStatus);
    expect(v.status).toBe('fail');
    if (v.status !== 'fail') return;
    expect(v.reason).toBe('expected rejected (4xx), observed allow');
  });

  it('passes a request rejected as invalid when that is expected, comparing its status', () => {
    const rejected = { kind: 'decided' as const, decision: 'rejected' as const, status: 400 };
    expect(judgeObservation({ decision: 'rejected', status: '4xx' }, rejected, withStatus)).toEqual({ status: 'pass' });
    expect(judgeObservation({ decision: 'rejected', status: 409 }, rejected, withStatus)).toMatchObject({ status: 'fail', reason: 'expected rejected (409), observed rejected (400): status 400 is not 409' });
    expect(judgeObservation({ decision: 'deny' }, rejected, withStatus)).toMatchObject({ status: 'fail', reason: 'expected deny, observed rejected (400)' });
  });
});

describe('judgeObservation: status, code and EC', () => {
  const expectation = { decision: 'deny' as const, status: 403, code: 'AccessDenied', ec: '0003-00000101' };

  it('passes when status, code and EC all match', () => {
    expect(judgeObservation(expectation, deny403, withStatus)).toEqual({ status: 'pass' });
  });

  it('fails a wrong status, naming it', () => {
    const v = judgeObservation(expectation, decided('deny', { status: 404, code: 'AccessDenied', ec: '0003-00000101' }), withStatus);
    expect(v.status).toBe('fail');
    if (v.status !== 'fail') return;
    expect(v.reason).toMatch(/status 404 is not 403$/);
  });

  it('fails a missing status when one is expected', () => {
    const v = judgeObservation({ decision: 'deny', status: 403 }, decided('deny'), withStatus);
    expect(v.status).toBe('fail');
    if (v.status !== 'fail') return;
    expect(v.reason).toMatch(/status none is not 403$/);
  });

  it('fails a wrong code, naming both codes', () => {
    const v = judgeObservation(expectation, decided('deny', { status: 403, code: 'Forbidden', ec: '0003-00000101' }), withStatus);
    expect(v.status).toBe('fail');
    if (v.status !== 'fail') return;
    expect(v.reason).toMatch(/code `Forbidden` is not `AccessDenied`$/);
  });

  it('fails a wrong or missing EC', () => {
    const wrong = judgeObservation(expectation, decided('deny', { status: 403, code: 'AccessDenied', ec: '0003-00000001' }), withStatus);
    expect(wrong.status === 'fail' && wrong.reason).toMatch(/EC `0003-00000001` is not `0003-00000101`$/);
    const missing = judgeObservation(expectation, decided('deny', { status: 403, code: 'AccessDenied' }), withStatus);
    expect(missing.status === 'fail' && missing.reason).toMatch(/EC `none` is not `0003-00000101`$/);
  });

  it('compares only the fields the expectation names', () => {
    // Only the decision and the status are stated: any code and EC do.
    expect(judgeObservation({ decision: 'deny', status: 403 }, decided('deny', { status: 403, code: 'Whatever', ec: 'x' }), withStatus)).toEqual({ status: 'pass' });
  });

  it('does not compare status, code or EC when the target does not observe them', () => {
    expect(judgeObservation(expectation, decided('deny'), decisionOnly)).toEqual({ status: 'pass' });
    expect(judgeObservation(expectation, decided('deny', { status: 500, code: 'Oops', ec: 'y' }), decisionOnly)).toEqual({ status: 'pass' });
  });

  it('reads `4xx` and `5xx` as status classes', () => {
    for (const status of [400, 403, 404, 499]) {
      expect(judgeObservation({ decision: 'deny', status: '4xx' }, decided('deny', { status }), withStatus), String(status)).toEqual({ status: 'pass' });
    }
    for (const status of [200, 399, 500, 503]) {
      const v = judgeObservation({ decision: 'deny', status: '4xx' }, decided('deny', { status }), withStatus);
      expect(v.status === 'fail' && v.reason, String(status)).toContain(`status ${status} is not 4xx`);
    }
    expect(judgeObservation({ decision: 'deny', status: '5xx' }, decided('deny', { status: 503 }), withStatus)).toEqual({ status: 'pass' });
    expect(judgeObservation({ decision: 'deny', status: '5xx' }, decided('deny', { status: 403 }), withStatus).status).toBe('fail');
  });
});

describe('judgeObservation: faults', () => {
  it('is inconclusive, with the cause, when the target is unreachable, never fail', () => {
    const expectations = [{ decision: 'allow' as const }, { decision: 'deny' as const, status: 403 }, { decision: 'rejected' as const, ec: 'x' }];
    for (const e of expectations) {
      for (const ctx of [withStatus, decisionOnly]) {
        expect(judgeObservation(e, unreachable, ctx)).toEqual({ status: 'inconclusive', cause: fault });
      }
    }
  });
});

describe('judgePreparation', () => {
  const rejection = { decision: 'rejected' as const, status: '4xx' as const, ec: '0030-00000002' };
  const rejected = (details: { status?: number; code?: string; ec?: string; message?: string }): PreparationOutcome => ({ kind: 'rejected', ...details });

  it('continues with the requests when a world that should be accepted is accepted', () => {
    expect(judgePreparation(undefined, { kind: 'ready' }, withStatus)).toBe('continue');
    expect(judgePreparation({ decision: 'allow' }, { kind: 'ready' }, withStatus)).toBe('continue');
  });

  it('passes an expected rejection with the stated status class and EC', () => {
    expect(judgePreparation(rejection, rejected({ status: 400, code: 'InvalidPolicyDocument', ec: '0030-00000002' }), withStatus)).toEqual({ status: 'pass' });
  });

  it('fails an expected rejection when the world is accepted', () => {
    const v = judgePreparation(rejection, { kind: 'ready' }, withStatus);
    expect(v).toEqual({ status: 'fail', reason: 'expected rejected (4xx EC 0030-00000002), but the policy was accepted' });
  });

  it('fails a rejection of a world that should be accepted, with the rejection details and message', () => {
    for (const expectWorld of [undefined, { decision: 'allow' as const }]) {
      const v = judgePreparation(expectWorld, rejected({ status: 400, code: 'InvalidPolicyDocument', ec: '0030-00000005', message: 'bad JSON' }), withStatus);
      expect(v).toEqual({ status: 'fail', reason: 'expected the policy to be accepted, observed rejected (400 InvalidPolicyDocument EC 0030-00000005): bad JSON' });
    }
  });

  it('fails a rejection with the wrong EC or status when the target observes them', () => {
    const wrongEc = judgePreparation(rejection, rejected({ status: 400, ec: '0030-00000005' }), withStatus);
    expect(wrongEc !== 'continue' && wrongEc.status === 'fail' && wrongEc.reason).toMatch(/EC `0030-00000005` is not `0030-00000002`$/);
    const wrongStatus = judgePreparation(rejection, rejected({ status: 500, ec: '0030-00000002' }), withStatus);
    expect(wrongStatus !== 'continue' && wrongStatus.status === 'fail' && wrongStatus.reason).toMatch(/status 500 is not 4xx$/);
  });

  it('passes a rejection on its decision alone when the target does not observe status and codes', () => {
    expect(judgePreparation(rejection, rejected({}), decisionOnly)).toEqual({ status: 'pass' });
    expect(judgePreparation(rejection, rejected({ status: 500, ec: 'other' }), decisionOnly)).toEqual({ status: 'pass' });
  });

  it('is inconclusive when preparing met a fault, whatever was expected', () => {
    for (const expectWorld of [undefined, { decision: 'allow' as const }, rejection]) {
      expect(judgePreparation(expectWorld, { kind: 'unreachable', error: fault }, withStatus)).toEqual({ status: 'inconclusive', cause: fault });
    }
  });
});

describe('judgeRelation', () => {
  const allow = decided('allow');
  const deny = decided('deny');

  it('same-decision passes equal decisions and fails different ones', () => {
    expect(judgeRelation('same-decision', allow, allow)).toEqual({ status: 'pass' });
    expect(judgeRelation('same-decision', deny, deny)).toEqual({ status: 'pass' });
    const v = judgeRelation('same-decision', allow, deny);
    expect(v.status === 'fail' && v.reason).toBe('the base world decided allow, the variant decided deny; the relation requires the same decision');
    expect(judgeRelation('same-decision', deny, allow).status).toBe('fail');
  });

  it('no-new-allow fails only a denied request that becomes allowed', () => {
    expect(judgeRelation('no-new-allow', deny, allow).status).toBe('fail');
    expect(judgeRelation('no-new-allow', allow, deny)).toEqual({ status: 'pass' });
    expect(judgeRelation('no-new-allow', allow, allow)).toEqual({ status: 'pass' });
    expect(judgeRelation('no-new-allow', deny, deny)).toEqual({ status: 'pass' });
  });

  it('no-new-deny fails only an allowed request that becomes denied', () => {
    expect(judgeRelation('no-new-deny', allow, deny).status).toBe('fail');
    expect(judgeRelation('no-new-deny', deny, allow)).toEqual({ status: 'pass' });
    expect(judgeRelation('no-new-deny', allow, allow)).toEqual({ status: 'pass' });
    expect(judgeRelation('no-new-deny', deny, deny)).toEqual({ status: 'pass' });
  });

  it('is inconclusive when either side is unreachable, even where the other side would fail the relation', () => {
    const other = { code: 'THROTTLED', message: 'slow down' };
    for (const relation of ['same-decision', 'no-new-allow', 'no-new-deny'] as const) {
      expect(judgeRelation(relation, unreachable, allow)).toEqual({ status: 'inconclusive', cause: fault });
      expect(judgeRelation(relation, deny, { kind: 'unreachable', error: other })).toEqual({ status: 'inconclusive', cause: other });
      // Both down: the base world's fault is the one reported.
      expect(judgeRelation(relation, unreachable, { kind: 'unreachable', error: other })).toEqual({ status: 'inconclusive', cause: fault });
    }
  });
});

describe('combineVerdicts', () => {
  it('fails when any verdict fails, before inconclusive and skip', () => {
    expect(combineVerdicts(['pass', 'inconclusive', 'skip', 'fail'])).toBe('fail');
  });

  it('is inconclusive when any is inconclusive and none fails', () => {
    expect(combineVerdicts(['pass', 'inconclusive', 'pass'])).toBe('inconclusive');
  });

  it('passes when all pass, or some pass and others are skipped', () => {
    expect(combineVerdicts(['pass', 'pass'])).toBe('pass');
    expect(combineVerdicts(['skip', 'pass'])).toBe('pass');
  });

  it('skips when every verdict is a skip', () => {
    expect(combineVerdicts(['skip', 'skip'])).toBe('skip');
  });

  it('fails an empty list unless told that empty is fine', () => {
    expect(combineVerdicts([])).toBe('fail');
    expect(combineVerdicts([], false)).toBe('fail');
    expect(combineVerdicts([], true)).toBe('pass');
  });
});

describe('missingCoverage', () => {
  it('is empty when every required outcome and cover label was reached', () => {
    const d = { outcome: { allow: 3, deny: 1 }, principal: { owner: 2, anonymous: 2 } };
    expect(missingCoverage(d, ['allow', 'deny'], { principal: ['owner', 'anonymous'] })).toEqual([]);
  });

  it('names each missing outcome and label value, in order', () => {
    const d = { outcome: { allow: 5 }, principal: { owner: 5 } };
    expect(missingCoverage(d, ['allow', 'deny', 'rejected'], { principal: ['owner', 'ram-user'], side: ['over'] })).toEqual([
      'outcome=deny',
      'outcome=rejected',
      'principal=ram-user',
      'side=over',
    ]);
  });

  it('counts a value seen zero times as missing', () => {
    expect(missingCoverage({ outcome: { allow: 2, deny: 0 } }, ['allow', 'deny'], {})).toEqual(['outcome=deny']);
  });

  it('names every requirement when nothing ran', () => {
    expect(missingCoverage({}, ['allow'], { principal: ['owner'] })).toEqual(['outcome=allow', 'principal=owner']);
  });
});

describe('describeExpectation and describeObserved', () => {
  it('list the details that are present', () => {
    expect(describeExpectation({ decision: 'deny' })).toBe('deny');
    expect(describeExpectation({ decision: 'rejected', status: '4xx', ec: '0030-00000001' })).toBe('rejected (4xx EC 0030-00000001)');
    expect(describeObserved({ decision: 'deny', status: 403, code: 'AccessDenied' })).toBe('deny (403 AccessDenied)');
    expect(describeObserved({ decision: 'allow' })).toBe('allow');
  });
});
