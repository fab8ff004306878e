import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aliAction } from '../../model/alibaba-oss/actions.ts';
import type { Capability } from '../../model/capabilities.ts';
import {
  BUCKET_ACL_VALUES,
  conditionBlock,
  DIMENSIONS,
  identitiesOf,
  OBJECT_ACL_VALUES,
  requestIn,
  scene,
  statementCovering,
  statementMissing,
  statementsAround,
  worldOf,
  type BuiltStatement,
  type Dimension,
  type GeneratedRequest,
  type Scene,
  type StatementOptions,
} from '../../generators/alibaba-oss/index.ts';
import { ALL_CAPABILITIES, bytes, elementsApplying, isWildcardPrincipal, sceneAndRequest, stringsIn } from './helpers.ts';

const OPTIONS = fc.record(
  {
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
    conditions: fc.constantFrom<StatementOptions['conditions']>('none', 'some', 'maybe'),
    wildcard: fc.constantFrom<StatementOptions['wildcard']>('never', 'always', 'maybe'),
  },
  { requiredKeys: ['effect'] },
);

/** The facts a built statement reports about its own elements agree with the statement. */
function checkReportedShape(b: BuiltStatement, effect: 'Allow' | 'Deny'): void {
  expect(b.statement.Effect).toBe(effect);
  if (b.conditions.length === 0) expect(b.statement.Condition).toBeUndefined();
  else expect(b.statement.Condition).toEqual(conditionBlock(b.conditions));
}

describe('requestIn', () => {
  const caps = fc.subarray(['request.source-ip', 'request.source-vpc', 'request.access-id', 'request.prefix', 'request.acl-header'] as Capability[]);
  const arb = scene().chain((s) => caps.chain((c) => requestIn(s, { capabilities: new Set<Capability>([...c, 'principal.owner', 'principal.other-account', 'principal.ram-user', 'principal.role-session', 'principal.anonymous']) }).map((r) => ({ s, r, c: new Set(c) }))));

  it('builds requests by scene identities, with a context the capabilities and the action allow', () => {
    fc.assert(
      fc.property(arb, ({ s, r, c }) => {
        expect(identitiesOf(s)).toContain(r.identity);
        expect(r.request.principal).toBe(r.identity.principal);
        expect(aliAction(r.request.action)).toEqual(r.action);
        expect(r.request.object !== undefined).toBe(r.action.level === 'object' || r.action.level === 'vector-index');
        const ctx = r.request.context ?? {};
        expect('acs:SourceIp' in ctx).toBe(c.has('request.source-ip'));
        if (!c.has('request.source-vpc')) expect(ctx['acs:SourceVpc']).toBeUndefined();
        if (ctx['acs:SourceVpc'] !== undefined) expect(ctx['acs:SourceVpc']).toMatch(/^vpc-[a-z0-9]{8,22}$/);
        expect(ctx['acs:AccessId']).toBe(c.has('request.access-id') ? r.identity.accessId : undefined);
        const keys = r.action.keys ?? [];
        if (ctx['oss:Prefix'] !== undefined) expect(c.has('request.prefix') && keys.includes('oss:Prefix')).toBe(true);
        expect(ctx['oss:x-oss-acl'] !== undefined).toBe(c.has('request.acl-header') && keys.includes('oss:x-oss-acl'));
        if (ctx['oss:x-oss-acl'] !== undefined) expect(BUCKET_ACL_VALUES).toContain(ctx['oss:x-oss-acl']);
        if (ctx['oss:x-oss-object-acl'] !== undefined) {
          expect(c.has('request.acl-header') && keys.includes('oss:x-oss-object-acl')).toBe(true);
          expect(OBJECT_ACL_VALUES).toContain(ctx['oss:x-oss-object-acl']);
        }
      }),
      { seed: 6_601, numRuns: 300 },
    );
  });

  it('restricts the principal kinds and levels as asked', () => {
    const s = fc.sample(scene(), { seed: 6_602, numRuns: 1 })[0]!;
    fc.assert(fc.property(requestIn(s, { capabilities: ALL_CAPABILITIES, kinds: ['role-session'], levels: ['vector-index'] }), (r) => r.identity.kind === 'role-session' && r.action.level === 'vector-index'), { seed: 6_603, numRuns: 50 });
    expect(() => requestIn(s, { capabilities: new Set<Capability>(['principal.owner']), kinds: ['anonymous'], identities: [] })).toThrow(/no identity/);
  });
});

describe('statementCovering', () => {
  const arb = sceneAndRequest().chain(({ s, r }) => OPTIONS.chain((o) => statementCovering(s, r, o).map((b) => ({ s, r, o, b }))));

  it('builds statements that apply to the request on every element, as recomputed by the test', () => {
    fc.assert(
      fc.property(arb, ({ s, r, o, b }) => {
        checkReportedShape(b, o.effect);
        expect(b.applies).toBe(true);
        expect(b.missedOn).toBeUndefined();
        expect(elementsApplying(b.statement, s, r)).toEqual({ principal: true, action: true, resource: true, condition: true });
        const forcedCondition = r.identity.kind === 'owner' && o.wildcard === 'always';
        if (o.conditions === 'none' && !forcedCondition) expect(b.statement.Condition).toBeUndefined();
        if (o.conditions === 'some' || forcedCondition) expect(b.statement.Condition).toBeDefined();
        if (o.wildcard === 'always') expect(isWildcardPrincipal(b.statement.Principal)).toBe(true);
        if (o.wildcard === 'never' && r.identity.kind !== 'anonymous') expect(isWildcardPrincipal(b.statement.Principal)).toBe(false);
        if (r.identity.kind === 'owner' && isWildcardPrincipal(b.statement.Principal)) expect(b.statement.Condition).toBeDefined();
      }),
      { seed: 6_611, numRuns: 300 },
    );
  });
});

describe('statementMissing', () => {
  const arb = sceneAndRequest().chain(({ s, r }) =>
    fc.record({ o: OPTIONS, dimension: fc.option(fc.constantFrom(...DIMENSIONS), { nil: undefined }) }).chain(({ o, dimension }) =>
      statementMissing(s, r, { ...o, ...(dimension ? { dimension } : {}) }).map((b) => ({ s, r, o, dimension, b })),
    ),
  );

  it('builds statements that miss the request on exactly the element they report, as recomputed by the test', () => {
    fc.assert(
      fc.property(arb, ({ s, r, o, dimension, b }) => {
        checkReportedShape(b, o.effect);
        expect(b.applies).toBe(false);
        expect(b.missedOn).toBeDefined();
        if (dimension) expect(b.missedOn).toBe(dimension);
        const elements = elementsApplying(b.statement, s, r);
        for (const d of DIMENSIONS) expect({ [d]: elements[d] }).toEqual({ [d]: d !== b.missedOn });
      }),
      { seed: 6_621, numRuns: 400 },
    );
  });

  it('misses on every element when none is asked for', () => {
    const anyDimension = sceneAndRequest().chain(({ s, r }) => statementMissing(s, r, { effect: 'Allow' }));
    const seen = new Set(fc.sample(anyDimension, { seed: 6_622, numRuns: 100 }).map((b) => b.missedOn));
    expect(seen).toEqual(new Set<Dimension>(DIMENSIONS));
  });
});

describe('statementsAround', () => {
  const arb = scene().chain((s) =>
    fc.array(requestIn(s, { capabilities: ALL_CAPABILITIES }), { minLength: 1, maxLength: 4 }).chain((requests) =>
      fc.record({ perRequest: fc.integer({ min: 1, max: 3 }), conditions: fc.constantFrom<StatementOptions['conditions']>('none', 'some', 'maybe') }).chain(({ perRequest, conditions }) =>
        statementsAround(s, requests, { perRequest, ...(conditions ? { conditions } : {}) }).map((built) => ({ s, requests, perRequest, built })),
      ),
    ),
  );

  /** Whether the statement's claim holds for `r`, as recomputed by the test. */
  function claimHoldsFor(b: BuiltStatement, s: Scene, r: GeneratedRequest): boolean {
    const e = elementsApplying(b.statement, s, r);
    if (b.applies) return e.principal && e.action && e.resource && e.condition;
    return DIMENSIONS.every((d: Dimension) => e[d] === (d !== b.missedOn));
  }

  it('builds policies within the documented limits: under 16384 bytes, values under 4095 bytes, no `**`', () => {
    fc.assert(
      fc.property(arb, ({ s, built }) => {
        const text = JSON.stringify(worldOf(s, built.map((b) => b.statement)).policy);
        expect(bytes(text)).toBeLessThan(16384);
        for (const v of stringsIn(JSON.parse(text))) {
          expect(bytes(v)).toBeLessThan(4095);
          expect(v.includes('**')).toBe(false);
        }
      }),
      { seed: 6_631, numRuns: 150 },
    );
  });

  it('builds 1..perRequest statements per request, each true to its claim for one of the requests', () => {
    fc.assert(
      fc.property(arb, ({ s, requests, perRequest, built }) => {
        expect(built.length).toBeGreaterThanOrEqual(requests.length);
        expect(built.length).toBeLessThanOrEqual(requests.length * perRequest);
        for (const b of built) expect(requests.some((r) => claimHoldsFor(b, s, r))).toBe(true);
      }),
      { seed: 6_632, numRuns: 150 },
    );
  });
});
