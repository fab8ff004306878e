import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import { CAPABILITIES, type Capability } from '../../model/capabilities.ts';
import type { ConformanceCase } from '../../model/case.ts';
import type { ObsRequest, ObsWorld } from '../../model/huawei-obs/types.ts';
import { OBS_ACTIONS } from '../../model/huawei-obs/actions.ts';
import {
  ALL_READINGS,
  actionPatternCovering,
  actionPatternMissing,
  blockBeside,
  coveringActionForms,
  missingActionForms,
  NO_READINGS,
  OBS_POLICY_READINGS,
  type ObsPolicyReading,
  type ObsReadings,
  blockContaining,
  OBS_ACTION_FORMS,
  OBS_ACTION_MISSING_FORMS,
  OBS_DIMENSIONS,
  OBS_IP_OPERATORS,
  OBS_STRING_OPERATORS,
  obsConditionEntry,
  obsRequest,
  obsScene,
  obsSourceAddress,
  obsWorld,
  principalCovering,
  principalMissing,
  coveringPrincipalForms,
  missingPrincipalForms,
  resourceCovering,
  resourceMissing,
  coveringResourceForms,
  OBS_RESOURCE_FORMS,
  statementCovering,
  statementMissing,
  statementsAround,
  unrelatedStatement,
  type ObsDimension,
  type ObsScene,
  type GeneratedObsRequest,
} from '../../generators/huawei-obs/index.ts';
import { formatBlock } from '../../generators/alibaba-oss/ip.ts';
import { OBS_POLICY_PROPERTIES } from '../../suites/properties/huawei-obs/index.ts';
import type { GeneratedProperty } from '../../suites/properties/types.ts';
import {
  actionCovers,
  ACL_OF,
  decide,
  elementsMatching,
  entryHolds,
  ipIn,
  OBJECT_ACTIONS,
  policyStatements,
  POLICY_APIS,
  principalCovers,
  readingSides,
  resourceCovers,
  statementApplies,
  syntaxProblems,
  type OtherSide,
} from './huawei-obs-helpers.ts';

const ALL: ReadonlySet<Capability> = new Set(CAPABILITIES);
const env = { capabilities: ALL, rule: { id: 'OBS-TEST', vendor: 'huawei-obs' as const }, tables: {} };

function sceneAndRequest(options: Parameters<typeof obsRequest>[1] = {}): fc.Arbitrary<{ s: ObsScene; r: GeneratedObsRequest }> {
  return obsScene().chain((s) => obsRequest(s, { capabilities: ALL, ...options }).map((r) => ({ s, r })));
}

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('the tests\' own oracles', () => {
  it('read the semantics\' examples as written', () => {
    const a = 'a'.repeat(32);
    const u = 'b'.repeat(32);
    expect(principalCovers({ ID: [`domain/${a}:user/*`] }, { account: a, user: u })).toBe(true);
    expect(principalCovers({ ID: `domain/${a}` }, { account: a, user: u })).toBe(false);
    expect(principalCovers({ ID: `domain/${a}:root` }, { account: a })).toBe(true);
    expect(principalCovers({ ID: `domain/${a}:user/${u.toUpperCase()}` }, { account: a, user: u })).toBe(false);
    expect(principalCovers({ ID: ['*'] }, 'anonymous')).toBe(true);
    expect(principalCovers({ Federated: `domain/${a}:identity-provider/x` }, { account: a })).toBe(false);
    expect(actionCovers(['get*'], 'GetObject')).toBe(true);
    expect(actionCovers('GetObject*', 'GetObject')).toBe(true);
    expect(actionCovers('GetObjectAcl', 'GetObject')).toBe(false);
    expect(resourceCovers('b/*', 'b', undefined)).toBe(false);
    expect(resourceCovers('b', 'b', 'k')).toBe(false);
    expect(resourceCovers('b/*.JPG', 'b', 'a.jpg')).toBe(false);
    expect(entryHolds('StringLike', ['Abc*'], 'abcd')).toBe(false);
    expect(entryHolds('StringEqualsIgnoreCase', ['ABC'], 'abc')).toBe(true);
    expect(ipIn('10.0.0.255', '10.0.0.0/24')).toBe(true);
    expect(ipIn('10.0.1.0', '10.0.0.0/24')).toBe(false);
    expect(ipIn('2001:db8::1', '2001:db8::1')).toBe(true);
  });

  it('follow the other side of a reading when asked, and only of that one', () => {
    const actionCase: OtherSide = new Set(['action-case']);
    const likeCase: OtherSide = new Set(['stringlike-case']);
    const resourceCase: OtherSide = new Set(['resource-case']);
    expect(actionCovers(['get*'], 'GetObject', actionCase)).toBe(false);
    expect(actionCovers(['Get*'], 'GetObject', actionCase)).toBe(true);
    expect(actionCovers(['get*'], 'GetObject', likeCase)).toBe(true);
    expect(entryHolds('StringLike', ['Abc*'], 'abcd', likeCase)).toBe(true);
    expect(entryHolds('StringNotLike', ['Abc*'], 'abcd', likeCase)).toBe(false);
    expect(entryHolds('StringEquals', ['Abc'], 'abc', likeCase)).toBe(false);
    expect(entryHolds('StringLike', ['Abc*'], 'abcd', resourceCase)).toBe(false);
    expect(resourceCovers('b/*.JPG', 'b', 'a.jpg', resourceCase)).toBe(true);
    expect(resourceCovers('B', 'b', undefined, resourceCase)).toBe(true);
    expect(resourceCovers('b/*.JPG', 'b', 'a.jpg', actionCase)).toBe(false);
    expect(readingSides()).toHaveLength(8);
    expect(readingSides()[0]!.size).toBe(0);
  });
});

/** Readings drawn for the element builders: none, each one, or all. */
const someReadings: fc.Arbitrary<ObsReadings> = fc.constantFrom<ObsReadings>(NO_READINGS, ALL_READINGS, ...OBS_POLICY_READINGS.map((r) => new Set([r])));

/** The other side of one reading. */
const otherSide = (reading: ObsPolicyReading): OtherSide => new Set([reading]);

describe('obsRequest', () => {
  it('builds requests by scene identities for catalogue actions, never a policy API unless asked, with the context the capabilities allow', () => {
    const caps = fc.subarray(['request.source-ip', 'request.user-agent', 'request.prefix'] as Capability[]);
    const arb = obsScene().chain((s) => caps.chain((c) => obsRequest(s, { capabilities: new Set<Capability>([...c, 'principal.owner', 'principal.ram-user', 'principal.other-account', 'principal.anonymous', 'principal.log-delivery']) }).map((r) => ({ s, r, c: new Set(c) }))));
    fc.assert(
      fc.property(arb, ({ s, r, c }) => {
        expect(s.identities).toContain(r.identity);
        expect(r.request.principal).toBe(r.identity.principal);
        expect(POLICY_APIS.has(r.request.action)).toBe(false);
        expect(OBS_ACTIONS.map((a) => a.name)).toContain(r.request.action);
        expect(r.request.object !== undefined).toBe(OBJECT_ACTIONS.has(r.request.action));
        const ctx = r.request.context ?? {};
        expect('SourceIp' in ctx).toBe(c.has('request.source-ip'));
        expect('UserAgent' in ctx).toBe(c.has('request.user-agent'));
        expect('prefix' in ctx).toBe(c.has('request.prefix') && ['ListBucket', 'ListBucketVersions'].includes(r.request.action));
        if (ctx['SourceIp'] !== undefined) expect(ipaddr.isValid(ctx['SourceIp'])).toBe(true);
        for (const v of Object.values(ctx)) expect(/[*?]/.test(v)).toBe(false);
        if (r.request.action === 'PutBucketAcl') expect(r.request.acl).toEqual([{ grantee: { account: s.bucket.owner }, permission: 'FULL_CONTROL' }]);
        if (r.request.action === 'PutBucketLogging') expect(r.request.logging).toEqual({ targetBucket: s.bucket.name });
      }),
      { seed: 4_101, numRuns: 300 },
    );
  });

  it('restricts kinds by capability, and names unknown actions', () => {
    const s = fc.sample(obsScene(), { seed: 4_102, numRuns: 1 })[0]!;
    const kinds = new Set(fc.sample(obsRequest(s, { capabilities: new Set<Capability>(['principal.other-account']) }), { seed: 4_103, numRuns: 100 }).map((r) => r.identity.kind));
    expect(kinds).toEqual(new Set(['other-account']));
    expect(() => obsRequest(s, { actions: ['NoSuchAction'] })).toThrow(/NoSuchAction/);
  });
});

describe('elements', () => {
  it('principals cover exactly the identities their form names, and miss the others', () => {
    const arb = obsScene().chain((s) =>
      fc.constantFrom(...s.identities).chain((i) =>
        fc.boolean().chain((covers) => (covers ? principalCovering(s, i) : principalMissing(s, i)).map((b) => ({ i, covers, b }))),
      ),
    );
    fc.assert(
      fc.property(arb, ({ i, covers, b }) => {
        expect(principalCovers(b.value, i.principal)).toBe(covers);
        expect((covers ? coveringPrincipalForms(i) : missingPrincipalForms()).includes(b.form)).toBe(true);
      }),
      { seed: 4_201, numRuns: 500 },
    );
  });

  it('action patterns cover the action exactly as their form says, ignoring case; without action-case, whatever the case reading', () => {
    const arb = fc.record({ a: fc.constantFrom(...OBS_ACTIONS), covers: fc.boolean(), readings: someReadings }).chain(({ a, covers, readings }) =>
      (covers ? actionPatternCovering(a.name, undefined, readings) : actionPatternMissing(a.name, undefined, readings)).map((p) => ({ a, covers, readings, p })),
    );
    fc.assert(
      fc.property(arb, ({ a, covers, readings, p }) => {
        expect(actionCovers(p.pattern, a.name)).toBe(covers);
        expect((covers ? coveringActionForms(readings) : missingActionForms(readings)).includes(p.form)).toBe(true);
        if (!readings.has('action-case')) {
          // No pattern whose coverage of any catalogue action depends on case: written in the names' own case.
          expect(p.form).not.toBe('other-case');
          for (const n of OBS_ACTIONS) expect({ n, covers: actionCovers(p.pattern, n.name, otherSide('action-case')) }).toEqual({ n, covers: actionCovers(p.pattern, n.name) });
        }
        if (p.form === 'star') expect(p.pattern).toBe('*');
        if (p.form === 'exact' && covers) expect(p.pattern).toBe(a.name);
        if (p.form === 'other-case' && covers) expect(p.pattern !== a.name && p.pattern.toLowerCase() === a.name.toLowerCase()).toBe(true);
        if (p.form === 'prefix-star') expect(p.pattern.endsWith('*') && p.pattern.length > 1).toBe(true);
      }),
      { seed: 4_202, numRuns: 500 },
    );
  });

  it('resources cover the bucket or object exactly as built, case-sensitively; without resource-case, whatever the case reading', () => {
    const arb = sceneAndRequest().chain(({ s, r }) =>
      fc.record({ covers: fc.boolean(), readings: someReadings }).chain(({ covers, readings }) =>
        (covers ? resourceCovering(s, r) : resourceMissing(s, r, undefined, readings)).map((b) => ({ s, r, covers, readings, b })),
      ),
    );
    fc.assert(
      fc.property(arb, ({ s, r, covers, readings, b }) => {
        expect(resourceCovers(b.value, s.bucket.name, r.request.object)).toBe(covers);
        if (!readings.has('resource-case')) expect(resourceCovers(b.value, s.bucket.name, r.request.object, otherSide('resource-case'))).toBe(covers);
        if (covers) expect(coveringResourceForms(r.request.object !== undefined)).toContain(b.form);
        else expect(OBS_RESOURCE_FORMS).toContain(b.form);
      }),
      { seed: 4_203, numRuns: 500 },
    );
  });

  it('condition entries hold or fail as built, by the tests\' own operators', () => {
    const arb = sceneAndRequest().chain(({ r }) => {
      const ctx = r.request.context ?? {};
      const combos = Object.keys(ctx).flatMap((key) => (key === 'SourceIp' ? OBS_IP_OPERATORS : OBS_STRING_OPERATORS).map((op) => ({ op, key })));
      return fc.record({ c: fc.constantFrom(...combos), holds: fc.boolean(), readings: someReadings }).chain(({ c, holds, readings }) =>
        obsConditionEntry(c.op, c.key as 'SourceIp', ctx, holds, readings).map((e) => ({ ctx, e, holds, readings })),
      );
    });
    fc.assert(
      fc.property(arb, ({ ctx, e, holds, readings }) => {
        expect(e.holds).toBe(holds);
        expect(entryHolds(e.operator, e.values, ctx[e.key])).toBe(holds);
        // Without stringlike-case, every value of a StringLike/StringNotLike entry matches alike whether case counts or not.
        if (!readings.has('stringlike-case')) {
          for (const v of e.values) expect({ v, holds: entryHolds(e.operator, [v], ctx[e.key], otherSide('stringlike-case')) }).toEqual({ v, holds: entryHolds(e.operator, [v], ctx[e.key]) });
        }
        expect(e.values.length).toBeGreaterThan(0);
        expect(new Set(e.values).size).toBe(e.values.length);
      }),
      { seed: 4_204, numRuns: 600 },
    );
  });

  it('address blocks: containing blocks contain the address at the position they report, blocks beside it touch it from outside', () => {
    const arb = obsSourceAddress().chain((address) => fc.tuple(blockContaining(address), blockBeside(address)).map(([inside, beside]) => ({ address, inside, beside })));
    fc.assert(
      fc.property(arb, ({ address, inside, beside }) => {
        const text = formatBlock(inside.block);
        expect(ipIn(address, text)).toBe(true);
        const [net, prefix] = ipaddr.parseCIDR(text);
        const bits = net.kind() === 'ipv4' ? 32 : 128;
        const value = (a: ipaddr.IPv4 | ipaddr.IPv6) => a.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
        const first = value(net);
        const last = first | ((1n << BigInt(bits - prefix)) - 1n);
        const v = value(ipaddr.parse(address));
        const expected = first === last ? 'inside' : v === first ? 'first' : v === last ? 'last' : 'inside';
        expect(inside.position).toBe(expected);
        const besideText = formatBlock(beside.block);
        expect(ipIn(address, besideText)).toBe(false);
        const [bnet, bprefix] = ipaddr.parseCIDR(besideText);
        const bfirst = value(bnet);
        const blast = bfirst | ((1n << BigInt(bits - bprefix)) - 1n);
        expect(beside.position === 'before' ? bfirst === v + 1n : blast === v - 1n).toBe(true);
      }),
      { seed: 4_205, numRuns: 400 },
    );
  });
});

describe('statements', () => {
  const options = fc.record({ effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'), conditions: fc.constantFrom<'none' | 'some' | 'maybe'>('none', 'some', 'maybe') });

  it('statementCovering applies on every element, as recomputed by the test, on every side of the readings it was not given', () => {
    const arb = sceneAndRequest().chain(({ s, r }) => fc.tuple(options, someReadings).chain(([o, readings]) => statementCovering(s, r, { ...o, readings }).map((b) => ({ s, r, o, readings, b }))));
    fc.assert(
      fc.property(arb, ({ s, r, o, readings, b }) => {
        expect(b.applies).toBe(true);
        expect(b.statement.Effect).toBe(o.effect);
        for (const side of readingSides().filter((x) => [...x].every((reading) => !readings.has(reading)))) {
          expect(elementsMatching(b.statement as unknown as Record<string, unknown>, s.bucket.name, r.request, side)).toEqual({ principal: true, action: true, resource: true, condition: true });
        }
        if (o.conditions === 'none') expect(b.statement.Condition).toBeUndefined();
        if (o.conditions === 'some') expect(b.statement.Condition).toBeDefined();
        expect(syntaxProblems({ Statement: [b.statement] })).toEqual([]);
      }),
      { seed: 4_301, numRuns: 400 },
    );
  });

  it('statementMissing misses on exactly the element it reports, on every side of the readings it was not given', () => {
    const arb = sceneAndRequest().chain(({ s, r }) =>
      fc.record({ o: options, dimension: fc.option(fc.constantFrom(...OBS_DIMENSIONS), { nil: undefined }), readings: someReadings })
        .filter(({ o, dimension }) => !(dimension === 'condition' && o.conditions === 'none'))
        .chain(({ o, dimension, readings }) => statementMissing(s, r, { ...o, readings, ...(dimension ? { dimension } : {}) }).map((b) => ({ s, r, dimension, readings, b }))),
    );
    fc.assert(
      fc.property(arb, ({ s, r, dimension, readings, b }) => {
        expect(b.applies).toBe(false);
        if (dimension) expect(b.missedOn).toBe(dimension);
        for (const side of readingSides().filter((x) => [...x].every((reading) => !readings.has(reading)))) {
          const e = elementsMatching(b.statement as unknown as Record<string, unknown>, s.bucket.name, r.request, side);
          for (const d of OBS_DIMENSIONS) expect({ [d]: e[d] }).toEqual({ [d]: d !== b.missedOn });
        }
        expect(syntaxProblems({ Statement: [b.statement] })).toEqual([]);
      }),
      { seed: 4_302, numRuns: 600 },
    );
  });

  it('statementMissing reaches every element and every form of each (other-case only with action-case)', () => {
    for (const [readings, actionMissing, actionCovering] of [
      [NO_READINGS, ['exact', 'prefix-star'], ['exact', 'prefix-star', 'star']],
      [ALL_READINGS, OBS_ACTION_MISSING_FORMS, OBS_ACTION_FORMS],
    ] as const) {
      const arb = sceneAndRequest().chain(({ s, r }) => statementMissing(s, r, { effect: 'Allow', readings }));
      const sample = fc.sample(arb, { seed: 4_303, numRuns: 400 });
      expect(new Set(sample.map((b) => b.missedOn))).toEqual(new Set<ObsDimension>(OBS_DIMENSIONS));
      expect(new Set(sample.filter((b) => b.missedOn === 'principal').map((b) => b.principalForm))).toEqual(new Set(missingPrincipalForms()));
      expect(new Set(sample.filter((b) => b.missedOn === 'action').map((b) => b.actionForm))).toEqual(new Set(actionMissing));
      expect(new Set(sample.filter((b) => b.missedOn === 'resource').map((b) => b.resourceForm))).toEqual(new Set(OBS_RESOURCE_FORMS));
      const covering = fc.sample(sceneAndRequest().chain(({ s, r }) => statementCovering(s, r, { effect: 'Allow', readings })), { seed: 4_304, numRuns: 300 });
      expect(new Set(covering.map((b) => b.actionForm))).toEqual(new Set(actionCovering));
    }
    expect(() => actionPatternCovering('GetObject', 'other-case')).toThrow(/action-case/);
    expect(() => actionPatternMissing('GetObject', 'other-case')).toThrow(/action-case/);
  });

  it('take plain requests too, by principals of the scene or not', () => {
    const arb = sceneAndRequest().chain(({ s, r }) =>
      fc.record({ stranger: fc.boolean(), covers: fc.boolean() }).chain(({ stranger, covers }) => {
        const request: ObsRequest = stranger && typeof r.request.principal !== 'string' ? { ...r.request, principal: { account: 'f'.repeat(32), user: 'e'.repeat(32) } } : r.request;
        return (covers ? statementCovering(s, request, { effect: 'Allow' }) : statementMissing(s, request, { effect: 'Allow' })).map((b) => ({ s, request, covers, b }));
      }),
    );
    fc.assert(
      fc.property(arb, ({ s, request, covers, b }) => {
        expect(statementApplies(b.statement as unknown as Record<string, unknown>, s.bucket.name, request)).toBe(covers);
      }),
      { seed: 4_307, numRuns: 300 },
    );
  });

  it('unrelated statements apply to no request of the scene\'s identities', () => {
    const arb = sceneAndRequest().chain(({ s, r }) => unrelatedStatement(s).map((u) => ({ s, r, u })));
    fc.assert(
      fc.property(arb, ({ s, r, u }) => {
        expect(statementApplies(u.statement as unknown as Record<string, unknown>, s.bucket.name, r.request)).toBe(false);
        expect(syntaxProblems({ Statement: [u.statement] })).toEqual([]);
      }),
      { seed: 4_305, numRuns: 400 },
    );
  });

  it('policies around several requests are valid and far under 20 KB', () => {
    const arb = obsScene().chain((s) => fc.array(obsRequest(s, { capabilities: ALL }), { minLength: 1, maxLength: 4 }).chain((rs) => statementsAround(s, rs).map((b) => obsWorld(s, b.map((x) => x.statement)))));
    fc.assert(
      fc.property(arb, (world) => {
        expect(syntaxProblems(world.policy)).toEqual([]);
        expect(bytes(JSON.stringify(world.policy))).toBeLessThan(10_000);
      }),
      { seed: 4_306, numRuns: 200 },
    );
  });
});

describe('determinism', () => {
  const arbitraries: Record<string, () => fc.Arbitrary<unknown>> = {
    obsRequest: () => sceneAndRequest(),
    statementCovering: () => sceneAndRequest().chain(({ s, r }) => statementCovering(s, r, { effect: 'Allow' })),
    statementMissing: () => sceneAndRequest().chain(({ s, r }) => statementMissing(s, r, { effect: 'Deny' })),
    unrelatedStatement: () => obsScene().chain(unrelatedStatement),
    obsSourceAddress: () => obsSourceAddress(),
  };
  for (const [name, build] of Object.entries(arbitraries)) {
    it(`${name}: same seed, same values`, () => {
      expect(fc.sample(build(), { seed: 4_401, numRuns: 20 })).toEqual(fc.sample(build(), { seed: 4_401, numRuns: 20 }));
    });
  }
  for (const p of OBS_POLICY_PROPERTIES as readonly GeneratedProperty[]) {
    it(`${p.name}: same seed, same cases`, () => {
      const a = fc.sample(p.cases({}, env), { seed: 4_402, numRuns: 10 });
      const b = fc.sample(p.cases({}, env), { seed: 4_402, numRuns: 10 });
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    });
  }
});

/** The label sets a case counts, as the runner counts them (relations: the case's labels). */
function labelSets(c: ConformanceCase): Array<Record<string, string>> {
  if (c.kind === 'relation') return [{ ...c.labels }];
  if (c.kind !== 'expect') throw new Error('no sequence cases here');
  if (c.expectWorld && c.expectWorld.decision !== 'allow') return [{ ...c.labels, outcome: c.expectWorld.decision }];
  return c.requests.map((r) => ({ ...c.labels, ...r.labels, outcome: r.expect.decision }));
}

const RELATIONS: Record<string, string> = {
  'obs-statement-order': 'same-decision',
  'obs-json-format': 'same-decision',
  'obs-split-lists': 'same-decision',
  'obs-unrelated-statement': 'same-decision',
  'obs-deny-monotone': 'no-new-allow',
  'obs-allow-monotone': 'no-new-deny',
};

describe('properties', () => {
  const byName = new Map((OBS_POLICY_PROPERTIES as readonly GeneratedProperty[]).map((p) => [p.name, p]));

  it('are the ones the spec files name, all for huawei-obs', () => {
    expect([...byName.keys()].sort()).toEqual(
      [
        'obs-statement-match',
        'obs-principal-forms',
        'obs-action-wildcard',
        'obs-resource-wildcard',
        'obs-condition-ip',
        'obs-condition-string',
        'obs-deny-wins',
        'obs-policy-size-limit',
        'obs-owner-manages',
        ...Object.keys(RELATIONS),
      ].sort(),
    );
    for (const p of byName.values()) expect(p.vendor).toBe('huawei-obs');
  });

  for (const p of OBS_POLICY_PROPERTIES as readonly GeneratedProperty[]) {
    const relation = RELATIONS[p.name];
    it(`${p.name}: with every reading, every declared label value is reached in 300 cases, and every case is true to the semantics`, () => {
      const cases = fc.sample(p.cases({ readings: [...OBS_POLICY_READINGS] }, env), { seed: 4_501, numRuns: 300 });
      const seen: Record<string, Set<string>> = {};
      for (const c of cases) {
        for (const labels of labelSets(c)) for (const [k, v] of Object.entries(labels)) (seen[k] ??= new Set()).add(v);
        if (c.kind === 'relation') {
          expect(c.relation).toBe(relation);
          for (const w of [c.base, c.variant] as ObsWorld[]) expect(syntaxProblems(w.policy)).toEqual([]);
          for (const r of c.requests as ObsRequest[]) {
            expect(POLICY_APIS.has(r.action) || r.action === 'PutBucketLogging').toBe(false);
            // The relation holds by the tests' own reading of the semantics.
            const [b, v] = [decide(c.base as ObsWorld, r), decide(c.variant as ObsWorld, r)];
            if (c.relation === 'same-decision') expect(v).toBe(b);
            if (c.relation === 'no-new-allow' && b === 'deny') expect(v).toBe('deny');
            if (c.relation === 'no-new-deny' && b === 'allow') expect(v).toBe('allow');
          }
          if (p.name === 'obs-json-format') expect(JSON.parse((c.variant as ObsWorld).policy as string)).toEqual(JSON.parse((c.base as ObsWorld).policy as string));
          continue;
        }
        if (c.kind !== 'expect') throw new Error('unexpected case kind');
        const world = c.world as ObsWorld;
        if (world.policy !== undefined) expect(syntaxProblems(world.policy)).toEqual([]);
        if (c.expectWorld) {
          expect(c.expectWorld).toEqual({ decision: 'rejected' });
          expect(bytes(world.policy as string)).toBeGreaterThan(20480);
          continue;
        }
        if (p.name === 'obs-policy-size-limit') expect(bytes(world.policy as string)).toBeLessThanOrEqual(20480);
        for (const r of c.requests) {
          const request = r.request as ObsRequest;
          if (p.name !== 'obs-owner-manages') expect(POLICY_APIS.has(request.action)).toBe(false);
          // No case is built on the owner's ACL-mapped actions (its READ/WRITE/ACP come from the ACL).
          if (typeof request.principal !== 'string' && request.principal.account === world.bucket.owner) expect(ACL_OF[request.action]).toBeUndefined();
          expect({ request, decision: decide(world, request) }).toEqual({ request, decision: r.expect.decision });
        }
      }
      for (const [label, values] of Object.entries(p.labels)) {
        if (relation && label === 'outcome') continue;
        for (const v of values) expect(seen[label]?.has(v), `${p.name}: ${label}=${v} never reached`).toBe(true);
      }
    });
  }

  it('take a readings param of the three readings, default none', () => {
    for (const p of byName.values()) {
      const readings = (p.params['properties'] as Record<string, { items: { enum: string[] }; default: unknown }>)['readings']!;
      expect(readings.items.enum).toEqual([...OBS_POLICY_READINGS]);
      expect(readings.default).toEqual([]);
    }
  });

  it('obs-policy-size-limit sits exactly at, under and over maxBytes in bytes, with multi-byte characters, and takes its rejection', () => {
    const p = byName.get('obs-policy-size-limit')!;
    const rejection = { decision: 'rejected' as const, status: 400, code: 'EntityTooLarge' };
    const cases = fc.sample(p.cases({ maxBytes: 4096, rejection }, env), { seed: 4_502, numRuns: 200 });
    let multiByte = 0;
    for (const c of cases) {
      if (c.kind !== 'expect') throw new Error('expectation cases only');
      const text = (c.world as ObsWorld).policy as string;
      const n = bytes(text);
      if (n !== text.length) multiByte++;
      const side = c.labels?.['side'];
      if (side === 'at') expect(n).toBe(4096);
      if (side === 'under') expect(n).toBeLessThan(4096);
      if (side === 'over') {
        expect(n).toBeGreaterThan(4096);
        expect(c.expectWorld).toEqual(rejection);
      }
    }
    expect(multiByte).toBeGreaterThan(50);
  });

  it('obs-statement-match honours effect and vary', () => {
    const p = byName.get('obs-statement-match')!;
    for (const vary of OBS_DIMENSIONS) {
      const cases = fc.sample(p.cases({ effect: 'Deny', vary }, env), { seed: 4_503, numRuns: 60 });
      for (const c of cases) {
        expect(c.labels?.['effect']).toBe('Deny');
        expect(['none', vary]).toContain(c.labels?.['missed-on']);
      }
    }
  });

  it('obs-condition-ip and obs-condition-string: the one Condition entry is on the labelled operator', () => {
    for (const name of ['obs-condition-ip', 'obs-condition-string']) {
      const p = byName.get(name)!;
      for (const c of fc.sample(p.cases({}, env), { seed: 4_504, numRuns: 100 })) {
        if (c.kind !== 'expect') throw new Error('expectation cases only');
        const st = ((c.world as ObsWorld).policy as { Statement: Array<{ Condition: Record<string, Record<string, unknown>> }> }).Statement[0]!;
        expect(Object.keys(st.Condition)).toEqual([c.labels?.['operator']]);
        expect(Object.keys(Object.values(st.Condition)[0]!)).toHaveLength(1);
      }
    }
  });
});

/** The policy statements of a world (none without a policy). */
function statementsOfWorld(world: ObsWorld): Array<Record<string, unknown>> {
  return world.policy === undefined ? [] : policyStatements(world.policy);
}

/** The sides of the readings that leave out every reading of `given`: the encoded side first. */
function sidesWithout(given: readonly ObsPolicyReading[]): OtherSide[] {
  return readingSides().filter((side) => given.every((reading) => !side.has(reading)));
}

/** Label values that only a reading reaches (the property's pattern in another case needs action-case). */
const READING_ONLY: Record<string, Record<string, readonly string[]>> = { 'obs-action-wildcard': { pattern: ['other-case'] } };

/** The reading each child rule owns, and the property its generated check runs with it. */
const OWNED: ReadonlyArray<[ObsPolicyReading, string]> = [
  ['action-case', 'obs-action-wildcard'],
  ['stringlike-case', 'obs-condition-string'],
  ['resource-case', 'obs-resource-wildcard'],
];

describe('readings', () => {
  const byName = new Map((OBS_POLICY_PROPERTIES as readonly GeneratedProperty[]).map((p) => [p.name, p]));

  for (const p of OBS_POLICY_PROPERTIES as readonly GeneratedProperty[]) {
    it(`${p.name}: without readings, no case depends on one: every statement applies alike and every expected outcome holds on every side of the three`, () => {
      const cases = fc.sample(p.cases({}, env), { seed: 4_601, numRuns: 300 });
      const seen: Record<string, Set<string>> = {};
      const sides = readingSides();
      for (const c of cases) {
        for (const labels of labelSets(c)) for (const [k, v] of Object.entries(labels)) (seen[k] ??= new Set()).add(v);
        const worlds = (c.kind === 'relation' ? [c.base, c.variant] : c.kind === 'expect' ? [c.world] : []) as ObsWorld[];
        // No Action pattern covers a catalogue action in one case reading and not in the other.
        for (const w of worlds) {
          for (const st of statementsOfWorld(w)) {
            for (const a of OBS_ACTIONS) expect({ action: st['Action'], name: a.name, covers: actionCovers(st['Action'], a.name, otherSide('action-case')) }).toEqual({ action: st['Action'], name: a.name, covers: actionCovers(st['Action'], a.name) });
          }
        }
        if (c.kind === 'relation') {
          for (const r of c.requests as ObsRequest[]) {
            for (const side of sides) {
              const [b, v] = [decide(c.base as ObsWorld, r, side), decide(c.variant as ObsWorld, r, side)];
              if (c.relation === 'same-decision') expect(v).toBe(b);
              if (c.relation === 'no-new-allow' && b === 'deny') expect(v).toBe('deny');
              if (c.relation === 'no-new-deny' && b === 'allow') expect(v).toBe('allow');
            }
          }
          continue;
        }
        if (c.kind !== 'expect') throw new Error('unexpected case kind');
        const world = c.world as ObsWorld;
        for (const r of c.requests) {
          const request = r.request as ObsRequest;
          for (const st of statementsOfWorld(world)) {
            const applies = statementApplies(st, world.bucket.name, request);
            for (const side of sides) expect({ st, side: [...side], applies: statementApplies(st, world.bucket.name, request, side) }).toEqual({ st, side: [...side], applies });
          }
          for (const side of sides) expect({ request, side: [...side], decision: decide(world, request, side) }).toEqual({ request, side: [...side], decision: r.expect.decision });
        }
      }
      const only = READING_ONLY[p.name] ?? {};
      for (const [label, values] of Object.entries(p.labels)) {
        if (RELATIONS[p.name] && label === 'outcome') continue;
        for (const v of values) {
          const reachable = !(only[label] ?? []).includes(v);
          expect(seen[label]?.has(v) ?? false, `${p.name}: ${label}=${v} ${reachable ? 'never reached' : 'reached without its reading'}`).toBe(reachable);
        }
      }
    });
  }

  for (const [reading, name] of OWNED) {
    it(`${name} with ${reading}: cases whose outcome the reading decides appear, and none depends on another reading`, () => {
      const p = byName.get(name)!;
      const cases = fc.sample(p.cases({ readings: [reading] }, env), { seed: 4_602, numRuns: 300 });
      let depends = 0;
      for (const c of cases) {
        if (c.kind !== 'expect') throw new Error('expectation cases only');
        const world = c.world as ObsWorld;
        for (const r of c.requests) {
          const request = r.request as ObsRequest;
          // True to the encoded semantics, whatever the sides of the readings not given.
          for (const side of sidesWithout([reading])) expect({ request, side: [...side], decision: decide(world, request, side) }).toEqual({ request, side: [...side], decision: r.expect.decision });
          if (decide(world, request, otherSide(reading)) !== r.expect.decision) depends++;
        }
      }
      expect(depends).toBeGreaterThan(15);
    });
  }

  it('with a reading, the element builders build the forms that depend on it', () => {
    const arb = sceneAndRequest().chain(({ s, r }) =>
      fc.record({
        action: fc.boolean().chain((covers) => (covers ? actionPatternCovering(r.request.action, undefined, ALL_READINGS) : actionPatternMissing(r.request.action, undefined, ALL_READINGS))),
        resource: resourceMissing(s, r, undefined, ALL_READINGS),
      }).map((x) => ({ s, r, ...x })),
    );
    const sample = fc.sample(arb, { seed: 4_603, numRuns: 400 });
    const actionDepends = sample.filter(({ r, action }) => actionCovers(action.pattern, r.request.action) !== actionCovers(action.pattern, r.request.action, otherSide('action-case')));
    const resourceDepends = sample.filter(({ s, r, resource }) => resourceCovers(resource.value, s.bucket.name, r.request.object, otherSide('resource-case')));
    expect(actionDepends.length).toBeGreaterThan(20);
    expect(resourceDepends.length).toBeGreaterThan(20);
    const entries = fc.sample(
      sceneAndRequest({ actions: ['GetObject'] }).chain(({ r }) => fc.constantFrom('StringLike' as const, 'StringNotLike' as const).chain((op) => obsConditionEntry(op, 'UserAgent', r.request.context ?? {}, op === 'StringNotLike', ALL_READINGS).map((e) => ({ r, e })))),
      { seed: 4_604, numRuns: 300 },
    );
    const likeDepends = entries.filter(({ r, e }) => entryHolds(e.operator, e.values, r.request.context!['UserAgent'], otherSide('stringlike-case')) !== e.holds);
    expect(likeDepends.length).toBeGreaterThan(20);
  });
});
