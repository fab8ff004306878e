import * as fc from 'fast-check';
import type { AliStatement } from '../../../model/alibaba-oss/types.ts';
import type { Expectation } from '../../../model/outcome.ts';
import type { ExpectationCase } from '../../../model/case.ts';
import { objectResource } from '../../../model/alibaba-oss/resources.ts';
import { nearMissBucketName, statementCovering, statementMissing, worldOf, type Scene } from '../../../generators/alibaba-oss/index.ts';
import type { PropertyEnv } from '../types.ts';
import { aliProperty, EXPECTATION_SCHEMA, expect, kinds, relationCase, sceneWithRequest } from './shared.ts';

const NON_OWNERS = ['other-account', 'ram-user', 'role-session', 'anonymous'] as const;
const encoder = new TextEncoder();

/** UTF-8 byte length. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Characters of 1, 2 and 3 UTF-8 bytes, so that character counts and byte counts differ. */
const FILLERS = { ascii: 'a', latin: 'ü', cjk: '中' } as const;
type Filler = keyof typeof FILLERS;

/** A string of exactly `bytes` UTF-8 bytes: `filler` characters, topped up with ASCII. */
export function stringOfBytes(bytes: number, filler: Filler): string {
  const c = FILLERS[filler];
  const each = byteLength(c);
  const n = Math.floor(bytes / each);
  return c.repeat(n) + 'a'.repeat(bytes - n * each);
}

/** Which side of a limit a case sits on, and the byte count that puts it there. */
function sideAndSize(max: number): fc.Arbitrary<{ side: 'under' | 'at' | 'over'; size: number }> {
  return fc.oneof(
    fc.integer({ min: 1, max: 200 }).chain((d) => fc.constantFrom(1, d)).map((d) => ({ side: 'under' as const, size: max - d })),
    fc.constant({ side: 'at' as const, size: max }),
    fc.integer({ min: 1, max: 200 }).chain((d) => fc.constantFrom(1, d)).map((d) => ({ side: 'over' as const, size: max + d })),
  );
}

function limitCase(s: Scene, text: string, request: ExpectationCase['requests'][number]['request'], side: 'under' | 'at' | 'over', rejection: Expectation, labels: Record<string, string>): ExpectationCase {
  const world = { ...worldOf(s, undefined), policy: text };
  if (side === 'over') return { kind: 'expect', world, expectWorld: rejection, requests: [], labels: { ...labels, side } };
  return { kind: 'expect', world, requests: [{ request, expect: expect('allow') }], labels: { ...labels, side } };
}

/**
 * What both limit properties start from: a non-owner's object request, an Allow built to apply
 * to it (so an accepted policy is seen to be in force), a bucket name near this one for padding
 * that cannot apply, the target size and the filler characters.
 */
function limitSetup(maxBytes: number, env: PropertyEnv) {
  return sceneWithRequest(env, { kinds: kinds(env, NON_OWNERS), levels: ['object'] }).chain(({ s, r }) =>
    fc
      .record({
        allow: statementCovering(s, r, { effect: 'Allow', conditions: 'none' }),
        near: nearMissBucketName(s.bucket.name),
        target: sideAndSize(maxBytes),
        filler: fc.constantFrom<Filler>('ascii', 'latin', 'cjk'),
      })
      .map((parts) => ({ s, r, ...parts })),
  );
}

const LIMIT_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['maxBytes'],
  properties: { maxBytes: { type: 'integer', minimum: 64 }, rejection: EXPECTATION_SCHEMA },
};

/** Params of the limit properties. */
interface LimitParams {
  maxBytes: number;
  rejection?: Expectation;
}

/**
 * ALI-LIMIT-SIZE: a policy whose text is exactly `maxBytes` bytes, or a little under, is
 * accepted and in force (an Allow in it lets its principal in); one a little over is rejected.
 * The text is padded with a Deny about another bucket, partly in multi-byte characters.
 */
export const policySizeLimit = aliProperty<LimitParams>({
  name: 'policy-size-limit',
  description: 'A policy of exactly the limit, or up to 200 bytes under it, is accepted and in force; 1 to 200 bytes over it is rejected. Sizes are UTF-8 bytes of the policy text.',
  params: LIMIT_PARAMS,
  labels: { outcome: ['allow', 'rejected'], side: ['under', 'at', 'over'], filler: ['ascii', 'latin', 'cjk'] },
  cases: (params, env) =>
    limitSetup(params.maxBytes, env).map(({ s, r, allow, near, target, filler }) => {
      const pad: AliStatement = { Effect: 'Deny', Action: 'oss:GetObject', Principal: ['*'], Resource: [] };
      const policy = { Version: '1', Statement: [allow.statement, pad] };
      // Padding entries of at most 2000 bytes each, well under the field limit. With k entries
      // of bodies b1..bk the text is: empty size + sum(prefix + b_i + 2 quotes) + (k - 1) commas.
      const chunk = 2000;
      const prefix = objectResource(near, 'pad/');
      const p = byteLength(prefix);
      const empty = byteLength(JSON.stringify(policy));
      const budget = (k: number) => target.size - empty - k * (p + 2) - (k - 1);
      let k = 1;
      while (budget(k) > k * chunk) k++;
      const total = budget(k);
      if (total < 0) throw new Error(`a ${target.size}-byte policy is too small to pad`);
      pad.Resource = Array.from({ length: k }, (_, i) => prefix + stringOfBytes(Math.floor(total / k) + (i < total % k ? 1 : 0), filler));
      const text = JSON.stringify(policy);
      if (byteLength(text) !== target.size) throw new Error(`padding missed: ${byteLength(text)} bytes for ${target.size}`);
      return limitCase(s, text, r.request, target.side, params.rejection ?? { decision: 'rejected' }, { filler });
    }),
});

/**
 * ALI-LIMIT-FIELD: one string value of exactly `maxBytes` bytes, or a little under, is accepted
 * and the policy is in force; a little over is rejected. The long value is an extra Resource
 * about another bucket, or an extra value of a StringNotEquals that holds; bytes, not characters.
 */
export const fieldLengthLimit = aliProperty<LimitParams>({
  name: 'field-length-limit',
  description: 'A string value of exactly the limit in UTF-8 bytes, or up to 200 under, is accepted and the policy is in force; 1 to 200 bytes over is rejected.',
  params: LIMIT_PARAMS,
  labels: { outcome: ['allow', 'rejected'], side: ['under', 'at', 'over'], filler: ['ascii', 'latin', 'cjk'], field: ['resource', 'condition-value'] },
  cases: (params, env) =>
    limitSetup(params.maxBytes, env).chain(({ s, r, allow, near, target, filler }) =>
      fc
        .constantFrom<'resource' | 'condition-value'>('resource', 'condition-value')
        .map((field) => {
          const statement: AliStatement = { ...allow.statement };
          if (field === 'resource') {
            const prefix = objectResource(near, '');
            const long = prefix + stringOfBytes(target.size - byteLength(prefix), filler);
            const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
            statement.Resource = [...resources, long];
          } else {
            // A value that cannot equal the request's VPC (it starts with `x`), so StringNotEquals holds.
            statement.Condition = { StringNotEquals: { 'acs:SourceVpc': ['x' + stringOfBytes(target.size - 1, filler)] } };
          }
          const text = JSON.stringify({ Version: '1', Statement: [statement] });
          return limitCase(s, text, r.request, target.side, params.rejection ?? { decision: 'rejected' }, { filler, field });
        }),
    ),
});

/** Params of version-value. */
interface VersionParams {
  rejection?: Expectation;
  invalid?: Array<'other-string' | 'non-string' | 'missing'>;
}

/**
 * ALI-VERSION: `"Version": "1"` is accepted and the policy is in force; any other string, a
 * number or boolean, or no Version at all is rejected.
 */
export const versionValue = aliProperty<VersionParams>({
  name: 'version-value',
  description: 'A policy with Version "1" is accepted and in force; other Version strings (and, unless restricted, non-strings or no Version) are rejected.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      rejection: EXPECTATION_SCHEMA,
      invalid: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['other-string', 'non-string', 'missing'] } },
    },
  },
  labels: { outcome: ['allow', 'rejected'], version: ['valid', 'other-string', 'non-string', 'missing'] },
  cases: (params, env) => {
    const invalid = params.invalid ?? ['other-string', 'non-string', 'missing'];
    const otherString = fc.oneof(fc.constantFrom('2', '0', '1.0', '01', ' 1', '1 ', '', 'v1', '2012-10-17'), fc.string({ maxLength: 6 })).filter((v) => v !== '1');
    const nonString = fc.constantFrom<unknown>(1, 1.5, 0, true, null, ['1'], { v: '1' });
    const choices: fc.Arbitrary<{ form: string; value?: unknown }>[] = [fc.constant({ form: 'valid', value: '1' })];
    if (invalid.includes('other-string')) choices.push(otherString.map((value) => ({ form: 'other-string', value })));
    if (invalid.includes('non-string')) choices.push(nonString.map((value) => ({ form: 'non-string', value })));
    if (invalid.includes('missing')) choices.push(fc.constant({ form: 'missing' }));
    return sceneWithRequest(env, { kinds: kinds(env, NON_OWNERS) }).chain(({ s, r }) =>
      fc.record({ allow: statementCovering(s, r, { effect: 'Allow' }), version: fc.oneof(...choices) }).map(({ allow, version }) => {
        const policy: Record<string, unknown> = { Statement: [allow.statement] };
        if (version.form !== 'missing') policy['Version'] = version.value;
        const world = { ...worldOf(s, undefined), policy };
        const labels = { version: version.form };
        const c: ExpectationCase =
          version.form === 'valid'
            ? { kind: 'expect', world, requests: [{ request: r.request, expect: expect('allow') }], labels }
            : { kind: 'expect', world, expectWorld: params.rejection ?? { decision: 'rejected' }, requests: [], labels };
        return c;
      }),
    );
  },
});

function asList(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

function asScalar(v: string | string[] | undefined): string | string[] | undefined {
  return Array.isArray(v) && v.length === 1 ? v[0] : v;
}

/**
 * ALI-SYNTAX: Action, Principal and Resource take a string or a list; a one-item list and the
 * bare string mean the same, so a policy written with scalars and the same policy written with
 * one-item lists decide every request alike.
 */
export const valueForms = aliProperty({
  name: 'value-forms',
  description: 'Writing Action, Principal and Resource as bare strings or as one-item lists changes no decision (relation).',
  params: { type: 'object', additionalProperties: false, properties: {} },
  labels: { outcome: ['allow', 'deny'] },
  cases: (_params, env) =>
    sceneWithRequest(env, { kinds: kinds(env) }).chain(({ s, r }) =>
      fc
        .array(
          fc.record({ effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'), covers: fc.boolean() }).chain(({ effect, covers }) =>
            covers ? statementCovering(s, r, { effect }) : statementMissing(s, r, { effect }),
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((built) => {
          const scalar = built.map((b) => {
            const st = { ...b.statement, Action: asScalar(b.statement.Action)!, Resource: asScalar(b.statement.Resource)! };
            const p = asScalar(b.statement.Principal);
            if (p !== undefined) st.Principal = p;
            return st;
          });
          const lists = built.map((b) => {
            const st = { ...b.statement, Action: asList(b.statement.Action)!, Resource: asList(b.statement.Resource)! };
            const p = asList(b.statement.Principal);
            if (p !== undefined) st.Principal = p;
            return st;
          });
          return relationCase('same-decision', worldOf(s, scalar), worldOf(s, lists), [r.request]);
        }),
    ),
});
