import * as fc from 'fast-check';
import type { ObsWorld } from '../../../model/huawei-obs/types.ts';
import {
  OBS_STABLE_ACTIONS,
  obsRequest,
  obsScene,
  obsWorld,
  shuffled,
  statementCovering,
  statementMissing,
  statementsAround,
  unrelatedStatement,
  type GeneratedObsRequest,
  type ObsReadings,
  type ObsScene,
  type ObsStatement,
} from '../../../generators/huawei-obs/index.ts';
import type { PropertyEnv } from '../types.ts';
import { ALLOW_DENY, kindsFor, obsPolicyProperty, READINGS_PARAMS, readingsOf, relationCase, statementsOf, target, usableActions, type ReadingsParams } from './shared.ts';

/**
 * The cross-vendor relations (X-*) for Huawei OBS: the same requests in two worlds whose
 * policies differ in a way the semantics say changes nothing (or changes only in one direction).
 * No decision is computed; the relation is the oracle. Requests are never policy APIs, and never
 * PutBucketLogging (which would change the ACL between the requests of a world). The relations
 * hold whatever the readings; the statements are still built on no reading outside `readings`.
 */

/** A scene, 1-4 requests by any identities (that the target can send), and a policy of statements built around them. */
function scenario(env: PropertyEnv, readings: ObsReadings): fc.Arbitrary<{ s: ObsScene; requests: GeneratedObsRequest[]; statements: ObsStatement[] }> {
  const kinds = kindsFor(env);
  const actions = usableActions(env, OBS_STABLE_ACTIONS);
  return obsScene().chain((s) =>
    fc.array(obsRequest(s, { kinds, actions, ...target(env) }), { minLength: 1, maxLength: 4 }).chain((requests) =>
      statementsAround(s, requests, { readings }).map((built) => ({ s, requests, statements: statementsOf(built) })),
    ),
  );
}

function requestsOf(requests: readonly GeneratedObsRequest[]) {
  return requests.map((r) => r.request);
}

const LABELS = { outcome: ALLOW_DENY };

/** X-ORDER (O1: "Statements can be in any order"): permuting a policy's statements changes no decision. */
export const statementOrder = obsPolicyProperty<ReadingsParams>({
  name: 'obs-statement-order',
  description: 'A policy and the same statements in another order decide every request alike.',
  params: READINGS_PARAMS,
  labels: LABELS,
  cases: (params, env) =>
    scenario(env, readingsOf(params)).chain(({ s, requests, statements }) =>
      shuffled(statements).map((permuted) => relationCase('same-decision', obsWorld(s, statements), obsWorld(s, permuted), requestsOf(requests))),
    ),
});

/** Serializes a JSON value with an indentation, a colon and a key order. */
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

/** X-FORMAT: the same policy text with other whitespace, line breaks and key order changes no decision. */
export const jsonFormat = obsPolicyProperty<ReadingsParams>({
  name: 'obs-json-format',
  description: 'The same policy written compactly and with other indentation, spacing, line breaks (LF or CRLF) and key order decides every request alike.',
  params: READINGS_PARAMS,
  labels: LABELS,
  cases: (params, env) =>
    scenario(env, readingsOf(params)).chain(({ s, requests, statements }) =>
      fc.record({ indent: fc.constantFrom('', ' ', '  ', '    ', '\t'), colon: fc.constantFrom(':', ': ', ' : '), seed: fc.integer(), crlf: fc.boolean() }).map(({ indent, colon, seed, crlf }) => {
        const policy = obsWorld(s, statements).policy;
        let state = seed;
        // A deterministic shuffle of keys from the generated seed (it shrinks with the seed).
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
        const base: ObsWorld = { ...obsWorld(s), policy: JSON.stringify(policy) };
        const variant: ObsWorld = { ...obsWorld(s), policy: text };
        return relationCase('same-decision', base, variant, requestsOf(requests));
      }),
    ),
});

type ListElement = 'Action' | 'Resource' | 'Principal';

/** The items of a statement's list element, when it is a list (Principal: its `ID` list). */
function itemsOf(st: ObsStatement, element: ListElement): string[] | undefined {
  const v = element === 'Principal' ? (typeof st.Principal === 'object' && 'ID' in st.Principal ? st.Principal.ID : undefined) : st[element];
  return Array.isArray(v) ? v : undefined;
}

/** The statement with its list element holding only `item` (as a one-item list or the bare string). */
function withItem(st: ObsStatement, element: ListElement, item: string, scalar: boolean): ObsStatement {
  const value = scalar ? item : [item];
  if (element === 'Principal') return { ...st, Principal: { ID: value } };
  return { ...st, [element]: value };
}

/**
 * X-SPLIT (a statement applies when every element matches, values within an element OR-ed):
 * a statement with a list of n Actions, Resources or Principal IDs is n statements with one each.
 */
export const splitLists = obsPolicyProperty<ReadingsParams>({
  name: 'obs-split-lists',
  description: 'Splitting one statement\'s Action, Resource or Principal ID list into one statement per item (Allow or Deny alike) decides every request alike.',
  params: READINGS_PARAMS,
  labels: LABELS,
  cases: (params, env) =>
    scenario(env, readingsOf(params))
      .map((sc) => ({
        ...sc,
        candidates: sc.statements.flatMap((st, index) => (['Action', 'Resource', 'Principal'] as const).filter((e) => (itemsOf(st, e)?.length ?? 0) >= 2).map((element) => ({ index, element }))),
      }))
      .filter(({ candidates }) => candidates.length > 0)
      .chain(({ s, requests, statements, candidates }) =>
        fc.record({ pick: fc.constantFrom(...candidates), scalar: fc.boolean() }).map(({ pick: { index, element }, scalar }) => {
          const original = statements[index]!;
          const pieces = itemsOf(original, element)!.map((item) => withItem(original, element, item, scalar));
          const variant = [...statements.slice(0, index), ...pieces, ...statements.slice(index + 1)];
          return relationCase('same-decision', obsWorld(s, statements), obsWorld(s, variant), requestsOf(requests));
        }),
      ),
});

/** X-UNRELATED: a statement about other buckets, or naming only principals that send none of the requests, changes no decision. */
export const unrelatedStatementProperty = obsPolicyProperty<ReadingsParams>({
  name: 'obs-unrelated-statement',
  description: 'Adding an Allow or Deny whose Resource names only other buckets (names that extend or truncate this one), or whose Principal names only accounts and users that send none of the requests, decides every request alike.',
  params: READINGS_PARAMS,
  labels: LABELS,
  cases: (params, env) =>
    scenario(env, readingsOf(params)).chain(({ s, requests, statements }) =>
      fc.record({ extra: unrelatedStatement(s), at: fc.nat() }).map(({ extra, at }) => {
        const variant = [...statements];
        variant.splice(at % (variant.length + 1), 0, extra.statement);
        return relationCase('same-decision', obsWorld(s, statements), obsWorld(s, variant), requestsOf(requests));
      }),
    ),
});

function addedStatement(effect: 'Allow' | 'Deny', relation: 'no-new-allow' | 'no-new-deny', name: string, description: string) {
  return obsPolicyProperty<ReadingsParams>({
    name,
    description,
    params: READINGS_PARAMS,
    labels: LABELS,
    cases: (params, env) => {
      const readings = readingsOf(params);
      return scenario(env, readings).chain(({ s, requests, statements }) =>
        fc.record({ target: fc.constantFrom(...requests), covers: fc.boolean(), at: fc.nat() }).chain(({ target, covers, at }) =>
          (covers ? statementCovering(s, target, { effect, readings }) : statementMissing(s, target, { effect, readings })).map((b) => {
            const variant = [...statements];
            variant.splice(at % (variant.length + 1), 0, b.statement);
            return relationCase(relation, obsWorld(s, statements), obsWorld(s, variant), requestsOf(requests));
          }),
        ),
      );
    },
  });
}

/** X-DENY-MONOTONE (an explicit deny overrides an allow): adding a Deny never turns a denied request into an allowed one. */
export const denyMonotone = addedStatement('Deny', 'no-new-allow', 'obs-deny-monotone', 'Adding a Deny statement (built to apply to one of the requests, or to miss it) never turns a denied request into an allowed one.');

/** X-DENY-MONOTONE, the Allow side: adding an Allow never turns an allowed request into a denied one. */
export const allowMonotone = addedStatement('Allow', 'no-new-deny', 'obs-allow-monotone', 'Adding an Allow statement (built to apply to one of the requests, or to miss it) never turns an allowed request into a denied one.');
