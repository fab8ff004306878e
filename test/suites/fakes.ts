/**
 * Small hand-written targets, properties and rules for the runner tests. The fake adapters
 * implement adapters/types.ts directly and log what they were asked, so that a test can see
 * which worlds and requests reached the target; the fake properties build their cases so that
 * the expected outcome is known (the owner of a bucket without a policy is allowed, anybody
 * else is denied).
 */
import * as fc from 'fast-check';
import type { Adapter, Preparation } from '../../adapters/types.ts';
import type { Capability } from '../../model/capabilities.ts';
import type { ConformanceCase } from '../../model/case.ts';
import type { FaultInfo, Observation, Rejection } from '../../model/outcome.ts';
import type { Check, PropertyCheck, Rule } from '../../model/rule.ts';
import type { Vendor } from '../../model/vendors.ts';
import type { AliRequest, AliWorld } from '../../model/alibaba-oss/types.ts';
import type { Request, World } from '../../model/world.ts';
import type { PropertyDefinition } from '../../suites/properties/types.ts';

/** What preparing a world gives, before the fake wraps a ready world. */
export type FakePreparation = { kind: 'ready' } | ({ kind: 'rejected' } & Rejection) | { kind: 'unreachable'; error: FaultInfo };

/** How a fake target behaves. */
export interface FakeAdapterOptions {
  name?: string;
  vendors?: Vendor[];
  features?: Capability[];
  prepare?: (world: World) => FakePreparation;
  observe: (world: World, request: Request) => Observation;
}

/** A fake adapter with a log of what reached it. */
export interface FakeAdapter extends Adapter {
  log: { prepared: World[]; observed: Array<{ world: World; request: Request }>; released: number; closed: boolean };
}

/** Every capability a rule of the runner tests may require, observing status included. */
export const ALL_FEATURES: Capability[] = ['policy', 'principal.owner', 'principal.other-account', 'observe.status'];

/** Builds a fake adapter for Alibaba Cloud OSS worlds (or `vendors`) with `features`. */
export function fakeAdapter(options: FakeAdapterOptions): FakeAdapter {
  const log: FakeAdapter['log'] = { prepared: [], observed: [], released: 0, closed: false };
  return {
    name: options.name ?? 'fake',
    capabilities: { vendors: options.vendors ?? ['alibaba-oss'], features: new Set(options.features ?? ALL_FEATURES) },
    log,
    async prepare(world: World): Promise<Preparation> {
      log.prepared.push(world);
      const p = options.prepare?.(world) ?? { kind: 'ready' };
      if (p.kind !== 'ready') return p;
      return {
        kind: 'ready',
        async observe(request: Request): Promise<Observation> {
          log.observed.push({ world, request });
          return options.observe(world, request);
        },
        async release(): Promise<void> {
          log.released++;
        },
      };
    },
    async close(): Promise<void> {
      log.closed = true;
    },
  };
}

const DENIED: Observation = { kind: 'decided', decision: 'deny', status: 403, code: 'AccessDenied' };
const ALLOWED: Observation = { kind: 'decided', decision: 'allow', status: 200 };

/** A conforming target for the fake properties: the owner is allowed, anybody else denied (403 AccessDenied). */
export function ownerOnly(world: World, request: Request): Observation {
  return (request as AliRequest).principal === (world as AliWorld).bucket.owner ? ALLOWED : DENIED;
}

/** A target that allows every request. */
export function alwaysAllow(): Observation {
  return ALLOWED;
}

const uid = fc.integer({ min: 1_000_000, max: 9_999_999 });

/** One request of a fake case: by the owner (allowed) or by a stranger (denied). */
const requestSpec = fc.record({ asOwner: fc.boolean(), object: fc.stringMatching(/^[a-z]{1,6}$/) });

function ownerCase(owner: number, offset: number, specs: Array<{ asOwner: boolean; object: string }>): ConformanceCase {
  const bucketOwner = String(owner);
  const stranger = String(owner + offset);
  return {
    kind: 'expect',
    world: { vendor: 'alibaba-oss', bucket: { name: 'example-bucket', owner: bucketOwner } },
    requests: specs.map((s) => ({
      request: { principal: s.asOwner ? bucketOwner : stranger, action: 'oss:GetObject', object: s.object },
      expect: s.asOwner ? { decision: 'allow' } : { decision: 'deny' },
      labels: { principal: s.asOwner ? 'owner' : 'stranger' },
    })),
    labels: { requests: String(specs.length) },
  };
}

/** Cases of one to three requests to a bucket without a policy, each by its owner (allow) or by a stranger (deny). */
export const OWNER_OR_STRANGER: PropertyDefinition = {
  name: 'fake-owner-or-stranger',
  vendor: 'alibaba-oss',
  description: 'The owner of a bucket without a policy is allowed; any other account is denied.',
  params: { type: 'object', properties: {} },
  labels: { outcome: ['allow', 'deny'], principal: ['owner', 'stranger'], requests: ['1', '2', '3'] },
  cases: () => fc.tuple(uid, fc.integer({ min: 1, max: 1000 }), fc.array(requestSpec, { minLength: 1, maxLength: 3 })).map(([o, d, specs]) => ownerCase(o, d, specs)),
};

/** Cases whose requests are all by the owner: this property never reaches `deny`. */
export const OWNER_ONLY_CASES: PropertyDefinition = {
  name: 'fake-owner-only',
  vendor: 'alibaba-oss',
  description: 'Only the owner sends requests, so every case is an allow.',
  params: { type: 'object', properties: {} },
  labels: { outcome: ['allow', 'deny'], principal: ['owner', 'stranger'] },
  cases: () => fc.tuple(uid, fc.stringMatching(/^[a-z]{1,6}$/)).map(([o, object]) => ownerCase(o, 1, [{ asOwner: true, object }])),
};

/** Relation cases: the same requests against the bucket without a policy and with one; the decisions must agree. */
export const POLICY_CHANGES_NOTHING: PropertyDefinition = {
  name: 'fake-policy-changes-nothing',
  vendor: 'alibaba-oss',
  description: 'Attaching an empty policy changes no decision.',
  params: { type: 'object', properties: {} },
  labels: { outcome: ['allow', 'deny'] },
  cases: () =>
    fc.tuple(uid, fc.array(requestSpec, { minLength: 1, maxLength: 3 })).map(([o, specs]): ConformanceCase => {
      const base = ownerCase(o, 7, specs);
      if (base.kind !== 'expect') throw new Error('ownerCase builds expectation cases');
      return {
        kind: 'relation',
        relation: 'same-decision',
        base: base.world,
        variant: { ...(base.world as AliWorld), policy: { Version: '1', Statement: [] } },
        requests: base.requests.map((r) => r.request),
      };
    }),
};

/** The properties map the runner tests pass. */
export const FAKE_RUNNER_PROPERTIES: ReadonlyMap<string, PropertyDefinition> = new Map(
  [OWNER_OR_STRANGER, OWNER_ONLY_CASES, POLICY_CHANGES_NOTHING].map((p) => [p.name, p]),
);

/** A property check of one of the fake properties. */
export function propertyCheck(name: string, property: string, outcomes: string[] = ['allow', 'deny'], cover: Record<string, string[]> = {}): PropertyCheck {
  return { kind: 'property', name, property, params: {}, outcomes, cover };
}

/** A rule as the loader would build it, with `checks`. */
export function fakeRule(checks: Check[], overrides: Partial<Rule> = {}): Rule {
  return {
    id: 'ALI-IMPLICIT',
    vendor: 'alibaba-oss',
    status: 'doc',
    title: 'Without a policy only the owner is allowed',
    source: { seed: '002_01acfbdf6f602626.txt', quote: 'A made-up quote for the runner tests.' },
    requires: ['policy', 'principal.owner'],
    checks,
    file: 'alibaba-oss/ALI-IMPLICIT.yaml',
    line: 1,
    ...overrides,
  };
}
