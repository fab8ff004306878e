import * as fc from 'fast-check';
import type { AliStatement, AliWorld } from '../../../model/alibaba-oss/types.ts';
import { bucketResource, objectResource } from '../../../model/alibaba-oss/resources.ts';
import {
  action,
  nearMissBucketName,
  requestIn,
  scene,
  shuffled,
  statementCovering,
  statementMissing,
  statementsAround,
  uid,
  worldOf,
  type GeneratedRequest,
  type Scene,
} from '../../../generators/alibaba-oss/index.ts';
import type { PropertyEnv } from '../types.ts';
import { aliProperty, kinds, NO_PARAMS, relationCase, statementsOf, target, usableActions } from './shared.ts';

/**
 * The cross-vendor properties (X-*) for Alibaba OSS: relations between the decisions of the
 * same requests in two worlds. No expected decision is computed; the relation is the oracle.
 */

/** A scene, 1-4 requests in it (that the target can send) and a policy of 1-8 statements built around them. */
function scenario(env: PropertyEnv) {
  usableActions(env);
  return scene().chain((s) =>
    fc.array(requestIn(s, { kinds: kinds(env), ...target(env) }), { minLength: 1, maxLength: 4 }).chain((requests) =>
      statementsAround(s, requests).map((built) => ({ s, requests, statements: statementsOf(built) })),
    ),
  );
}

const RELATION_LABELS = { outcome: ['allow', 'deny'] } as const;

/** X-ORDER: the statements of a policy in another order decide every request alike. */
export const statementOrder = aliProperty({
  name: 'statement-order',
  description: 'Permuting the statements of a policy changes no decision.',
  params: NO_PARAMS,
  labels: RELATION_LABELS,
  cases: (_params, env) =>
    scenario(env).chain(({ s, requests, statements }) =>
      shuffled(statements).map((permuted) => relationCase('same-decision', worldOf(s, statements), worldOf(s, permuted), requests.map((r) => r.request))),
    ),
});

/** Serializes a JSON value with a given indentation and key order (keys shuffled by `order`). */
function serialize(value: unknown, indent: string, order: (keys: string[]) => string[], colon: string, depth = 0): string {
  const pad = (d: number) => (indent ? `\n${indent.repeat(d)}` : '');
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => pad(depth + 1) + serialize(v, indent, order, colon, depth + 1)).join(',')}${pad(depth)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = order(Object.keys(value));
    if (keys.length === 0) return '{}';
    return `{${keys.map((k) => `${pad(depth + 1)}${JSON.stringify(k)}${colon}${serialize((value as Record<string, unknown>)[k], indent, order, colon, depth + 1)}`).join(',')}${pad(depth)}}`;
  }
  return JSON.stringify(value);
}

/** X-FORMAT: the same policy with other whitespace and key order decides every request alike. */
export const jsonFormatting = aliProperty({
  name: 'json-formatting',
  description: 'The same policy written with other indentation, spacing, line breaks and key order changes no decision.',
  params: NO_PARAMS,
  labels: { ...RELATION_LABELS, indent: ['none', 'spaces', 'tab'] },
  cases: (_params, env) =>
    scenario(env).chain(({ s, requests, statements }) =>
      fc
        .record({ indent: fc.constantFrom('', '  ', '    ', '\t'), colon: fc.constantFrom(':', ': ', ' : '), seed: fc.integer(), crlf: fc.boolean() })
        .map(({ indent, colon, seed, crlf }) => {
          const policy = { Version: '1', Statement: statements };
          let state = seed;
          // A deterministic shuffle of keys from the generated seed (shrinks with it).
          const order = (keys: string[]) =>
            keys
              .map((k) => {
                state = (Math.imul(state, 1103515245) + 12345) | 0;
                return { k, r: state };
              })
              .sort((a, b) => a.r - b.r)
              .map(({ k }) => k);
          let text = serialize(policy, indent, order, colon);
          if (crlf) text = text.replace(/\n/g, '\r\n');
          const base: AliWorld = { ...worldOf(s, undefined), policy: JSON.stringify(policy) };
          const variant: AliWorld = { ...worldOf(s, undefined), policy: text };
          return relationCase('same-decision', base, variant, requests.map((r) => r.request), { indent: indent === '' ? 'none' : indent === '\t' ? 'tab' : 'spaces' });
        }),
    ),
});

function items(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** X-SPLIT: a statement with a list of n Actions, Resources or Principals equals n statements with one each. */
export const splitLists = aliProperty({
  name: 'split-lists',
  description: 'Splitting a statement\'s Action, Resource or Principal list into one statement per item changes no decision.',
  params: NO_PARAMS,
  labels: { ...RELATION_LABELS, element: ['Action', 'Resource', 'Principal'] },
  cases: (_params, env) =>
    scenario(env)
      .chain(({ s, requests, statements }) =>
        fc.record({ index: fc.nat(statements.length - 1), element: fc.constantFrom<'Action' | 'Resource' | 'Principal'>('Action', 'Resource', 'Principal') }).map(({ index, element }) => ({ s, requests, statements, index, element })),
      )
      .filter(({ statements, index, element }) => items(statements[index]![element]).length >= 2)
      .map(({ s, requests, statements, index, element }) => {
        const original = statements[index]!;
        const pieces: AliStatement[] = items(original[element]).map((item) => ({ ...original, [element]: [item] }));
        const variant = [...statements.slice(0, index), ...pieces, ...statements.slice(index + 1)];
        return relationCase('same-decision', worldOf(s, statements), worldOf(s, variant), requests.map((r) => r.request), { element });
      }),
});

/**
 * A statement that cannot concern this bucket's requests: its resources name only other
 * buckets (names that extend or truncate this one), or its principals name only accounts that
 * send none of the requests.
 */
function unrelatedStatement(s: Scene, requests: readonly GeneratedRequest[]): fc.Arbitrary<{ statement: AliStatement; about: string }> {
  const senders = new Set(requests.map((r) => r.request.principal));
  const otherBucket = fc
    .record({
      effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
      buckets: fc.uniqueArray(nearMissBucketName(s.bucket.name), { minLength: 1, maxLength: 3 }),
      objects: fc.boolean(),
      principal: fc.constantFrom<string | string[]>('*', ['*'], [], ...requests.map((r) => [r.request.principal])),
      actionName: fc.oneof(action().map((a) => a.name), fc.constantFrom('oss:*', '*')),
    })
    .map(({ effect, buckets, objects, principal, actionName }) => ({
      statement: { Effect: effect, Action: actionName, Principal: principal, Resource: buckets.map((b) => (objects ? objectResource(b, '*') : bucketResource(b))) } as AliStatement,
      about: 'other-bucket',
    }));
  const otherPrincipal = fc
    .record({
      effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
      uids: fc.uniqueArray(uid().filter((u) => !senders.has(u) && u !== s.bucket.owner), { minLength: 1, maxLength: 3 }),
      objects: fc.boolean(),
    })
    .map(({ effect, uids, objects }) => ({
      statement: { Effect: effect, Action: 'oss:*', Principal: uids, Resource: objects ? objectResource(s.bucket.name, '*') : bucketResource(s.bucket.name) } as AliStatement,
      about: 'other-principal',
    }));
  return fc.oneof(otherBucket, otherPrincipal);
}

/** X-UNRELATED: adding statements about other buckets or other principals changes no decision here. */
export const unrelatedStatementProperty = aliProperty({
  name: 'unrelated-statement',
  description: 'Adding statements whose Resource names only other buckets, or whose Principal names only accounts that send none of the requests, changes no decision.',
  params: NO_PARAMS,
  labels: { ...RELATION_LABELS, about: ['other-bucket', 'other-principal'] },
  cases: (_params, env) =>
    scenario(env).chain(({ s, requests, statements }) =>
      fc.record({ extra: unrelatedStatement(s, requests), at: fc.nat() }).map(({ extra, at }) => {
        const variant = [...statements];
        variant.splice(at % (variant.length + 1), 0, extra.statement);
        return relationCase('same-decision', worldOf(s, statements), worldOf(s, variant), requests.map((r) => r.request), { about: extra.about });
      }),
    ),
});

function addedStatement(effect: 'Allow' | 'Deny', relation: 'no-new-allow' | 'no-new-deny', name: string, description: string) {
  return aliProperty({
    name,
    description,
    params: NO_PARAMS,
    labels: { ...RELATION_LABELS, added: ['applies', 'misses'] },
    cases: (_params, env) =>
      scenario(env).chain(({ s, requests, statements }) =>
        fc
          .record({ target: fc.constantFrom(...requests), covers: fc.boolean(), at: fc.nat() })
          .chain(({ target, covers, at }) =>
            (covers ? statementCovering(s, target, { effect }) : statementMissing(s, target, { effect })).map((b) => {
              const variant = [...statements];
              variant.splice(at % (variant.length + 1), 0, b.statement);
              return relationCase(relation, worldOf(s, statements), worldOf(s, variant), requests.map((r) => r.request), { added: covers ? 'applies' : 'misses' });
            }),
          ),
      ),
  });
}

/** X-DENY-MONOTONE: adding a Deny never turns a denied request into an allowed one. */
export const addedDenyMonotone = addedStatement('Deny', 'no-new-allow', 'added-deny-monotone', 'Adding a Deny statement never turns a denied request into an allowed one.');

/** X-DENY-MONOTONE: adding an Allow never turns an allowed request into a denied one. */
export const addedAllowMonotone = addedStatement('Allow', 'no-new-deny', 'added-allow-monotone', 'Adding an Allow statement never turns an allowed request into a denied one.');
