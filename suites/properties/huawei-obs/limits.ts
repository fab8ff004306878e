import { ConformanceError } from '../../../model/errors.ts';
import * as fc from 'fast-check';
import { OBS_MAX_POLICY_BYTES } from '../../../model/huawei-obs/types.ts';
import type { ExpectationCase } from '../../../model/case.ts';
import type { Expectation } from '../../../model/outcome.ts';
import { freshId, isOwnerKind, nearMissBucketName, obsWorld, statementCovering, type ObsStatement } from '../../../generators/huawei-obs/index.ts';
import { decisionOnly, EXPECTATION_SCHEMA, kindsFor, obsPolicyProperty, POLICY_READINGS_SCHEMA, readingsOf, sceneWithRequest, type ReadingsParams } from './shared.ts';

const encoder = new TextEncoder();

/** UTF-8 byte length. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Characters of 1, 2, 3 and 4 UTF-8 bytes (none escaped by JSON), so that characters and bytes differ. */
const FILLERS = { ascii: 'a', latin: 'é', cjk: '中', emoji: '😀' } as const;
/** A kind of filler character. */
export type Filler = keyof typeof FILLERS;

/** A string of exactly `bytes` UTF-8 bytes: `filler` characters, topped up with ASCII. */
export function stringOfBytes(bytes: number, filler: Filler): string {
  const c = FILLERS[filler];
  const each = byteLength(c);
  const n = Math.floor(bytes / each);
  return c.repeat(n) + 'a'.repeat(bytes - n * each);
}

/** Which side of the limit a case sits on and its size: exactly at it, or 1 (often) to 200 bytes under or over. */
function sideAndSize(max: number): fc.Arbitrary<{ side: 'under' | 'at' | 'over'; size: number }> {
  const distance = fc.integer({ min: 1, max: 200 }).chain((d) => fc.constantFrom(1, d));
  return fc.oneof(
    distance.map((d) => ({ side: 'under' as const, size: max - d })),
    fc.constant({ side: 'at' as const, size: max }),
    distance.map((d) => ({ side: 'over' as const, size: max + d })),
  );
}

/** Params of obs-policy-size-limit. */
interface SizeParams extends ReadingsParams {
  maxBytes?: number;
  rejection?: Expectation;
}

/** Padding entries are at most this many bytes each. */
const CHUNK = 1000;

/**
 * The policy text of `target` bytes: the Allow and padding of `mode`. `sid`: the Allow's own Sid
 * holds every padding byte. `statements`: Deny statements about another bucket and a fresh
 * account, whose Resource lists hold entries of at most CHUNK bytes under `<near>/`, as many
 * statements as it takes (ten entries each).
 */
function paddedText(allow: ObsStatement, mode: 'sid' | 'statements', target: number, filler: Filler, near: string, stranger: string): string {
  if (mode === 'sid') {
    const policy = { Statement: [{ Sid: '', ...allow }] };
    const room = target - byteLength(JSON.stringify(policy));
    if (room < 0) throw new Error(`a ${target}-byte policy is too small to pad`);
    policy.Statement[0]!.Sid = stringOfBytes(room, filler);
    return JSON.stringify(policy);
  }
  const prefix = `${near}/pad/`;
  const p = byteLength(prefix);
  const statementFor = (resources: string[]): ObsStatement => ({ Effect: 'Deny', Principal: { ID: [`domain/${stranger}:user/*`] }, Action: ['GetObject'], Resource: resources });
  // k entries over ceil(k/10) statements: each entry costs prefix + body + 2 quotes, a comma between entries and statements.
  const shell = (k: number) => {
    const statements = Array.from({ length: Math.ceil(k / 10) }, (_, i) => statementFor(Array.from({ length: Math.min(10, k - i * 10) }, () => '')));
    return byteLength(JSON.stringify({ Statement: [allow, ...statements] })) + k * p;
  };
  let k = 1;
  while (target - shell(k) > k * CHUNK) k++;
  const total = target - shell(k);
  if (total < 0) throw new Error(`a ${target}-byte policy is too small to pad`);
  const bodies = Array.from({ length: k }, (_, i) => prefix + stringOfBytes(Math.floor(total / k) + (i < total % k ? 1 : 0), filler));
  const statements: ObsStatement[] = [];
  for (let i = 0; i < k; i += 10) statements.push(statementFor(bodies.slice(i, i + 10)));
  return JSON.stringify({ Statement: [allow, ...statements] });
}

/**
 * OBS-LIMIT-SIZE (seed 003: "the total size of JSON descriptions of all bucket policies in a
 * bucket cannot exceed 20 KB"; 20 KB read as 20480 bytes of UTF-8 policy text): a policy of
 * exactly `maxBytes`, or a little under, is accepted and in force (its Allow lets the requester
 * in); a little over is rejected.
 */
export const policySizeLimit = obsPolicyProperty<SizeParams>({
  name: 'obs-policy-size-limit',
  description:
    'A policy text of exactly maxBytes UTF-8 bytes, or 1-200 under, is accepted and its Allow lets a non-owner in; 1-200 bytes over is rejected. The text holds the Allow and padding (a long Sid, or Deny statements about another bucket and account), with 1- to 4-byte characters, so bytes and characters differ.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      maxBytes: { type: 'integer', minimum: 2048, description: `the largest accepted policy, in bytes (default ${OBS_MAX_POLICY_BYTES})` },
      rejection: { ...EXPECTATION_SCHEMA, description: 'the expected outcome of preparing a world whose policy is over the limit (default {decision: rejected})' },
      readings: POLICY_READINGS_SCHEMA,
    },
  },
  labels: { outcome: ['allow', 'rejected'], side: ['under', 'at', 'over'] },
  cases: (params, env) => {
    const max = params.maxBytes ?? OBS_MAX_POLICY_BYTES;
    const rejection = params.rejection ?? { decision: 'rejected' };
    const kinds = kindsFor(env).filter((k) => !isOwnerKind(k));
    if (kinds.length === 0) throw new ConformanceError('CONFORMANCE_INPUT', 'obs-policy-size-limit needs a target that sends requests as a non-owner');
    return sceneWithRequest(env, { kinds }).chain(({ s, r }) =>
      fc
        .record({
          allow: statementCovering(s, r, { effect: 'Allow', conditions: 'none', readings: readingsOf(params) }),
          target: sideAndSize(max),
          mode: fc.constantFrom<'sid' | 'statements'>('sid', 'statements'),
          filler: fc.constantFrom<Filler>('ascii', 'latin', 'cjk', 'emoji'),
          near: nearMissBucketName(s.bucket.name),
          stranger: freshId(s),
        })
        .map(({ allow, target, mode, filler, near, stranger }): ExpectationCase => {
          const text = paddedText(allow.statement, mode, target.size, filler, near, stranger);
          if (byteLength(text) !== target.size) throw new Error(`padding missed: ${byteLength(text)} bytes for ${target.size}`);
          const world = { ...obsWorld(s), policy: text };
          const labels = { side: target.side };
          if (target.side === 'over') return { kind: 'expect', world, expectWorld: rejection, requests: [], labels };
          return { kind: 'expect', world, requests: [{ request: r.request, expect: decisionOnly('allow') }], labels };
        }),
    );
  },
});
