import * as fc from 'fast-check';
import {
  action,
  requestIn,
  shuffled,
  statementCovering,
  statementMissing,
  worldOf,
  type BuiltStatement,
} from '../../../generators/alibaba-oss/index.ts';
import { actionsAt, aliProperty, documentedDecision, expectationCase, kinds, KIND_VALUES, NO_PARAMS, sceneWithRequest, statementsOf, target, usableActions } from './shared.ts';
import { scene } from '../../../generators/alibaba-oss/index.ts';

/** Statements built to miss the request, Allow or Deny: noise whose presence must change nothing. */
function noise(s: Parameters<typeof statementMissing>[0], r: Parameters<typeof statementMissing>[1], max: number): fc.Arbitrary<BuiltStatement[]> {
  return fc.array(
    fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny').chain((effect) => statementMissing(s, r, { effect })),
    { maxLength: max },
  );
}

/**
 * ALI-DENY-FIRST: a policy with an Allow that applies to the request and a Deny that applies to
 * it (the request must be denied) or a Deny built to miss it on one element (the Allow decides),
 * among statements that miss it, in any order.
 */
export const denyBeatsAllow = aliProperty({
  name: 'deny-beats-allow',
  description: 'An Allow and a Deny both built to apply to the request give deny, in any order; with the Deny built to miss the request on one element, the Allow gives allow.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], principal: KIND_VALUES, 'deny-first': ['yes', 'no'], 'deny-missed-on': ['principal', 'action', 'resource', 'condition', 'none'] },
  cases: (_params, env) =>
    sceneWithRequest(env, { kinds: kinds(env) }).chain(({ s, r }) =>
      fc
        .record({
          allow: statementCovering(s, r, { effect: 'Allow' }),
          denyApplies: fc.boolean(),
          others: noise(s, r, 3),
        })
        .chain(({ allow, denyApplies, others }) =>
          (denyApplies ? statementCovering(s, r, { effect: 'Deny' }) : statementMissing(s, r, { effect: 'Deny' })).chain((deny) =>
            shuffled([allow, deny, ...others]).map((built) => {
              const decision = documentedDecision(r.identity, built);
              return expectationCase(worldOf(s, statementsOf(built)), [{ request: r.request, decision }], {
                principal: r.identity.kind,
                'deny-first': built.indexOf(deny) < built.indexOf(allow) ? 'yes' : 'no',
                'deny-missed-on': deny.missedOn ?? 'none',
              });
            }),
          ),
        ),
    ),
});

/**
 * ALI-UNION: several Allow statements for one principal, each built around a request with a
 * different action; every request is allowed (each by its own statement), unless a Deny built
 * to apply to exactly one of them (its action named exactly) denies that one.
 */
export const allowUnion = aliProperty({
  name: 'allow-union',
  description: 'Allows from several statements for one principal add up: each request covered by one of them is allowed; a Deny naming one request\'s exact action still denies that request.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], principal: KIND_VALUES, statements: ['2', '3', '4'] },
  cases: (_params, env) => {
    // Two actions at least: each request has its own.
    usableActions(env, actionsAt(env, ['bucket', 'object']), 2);
    return scene().chain((s) =>
      fc
        .record({
          identity: fc.constantFrom(...s.others.filter((i) => kinds(env, ['other-account', 'ram-user', 'role-session', 'anonymous']).includes(i.kind))),
          actions: fc.uniqueArray(action(['bucket', 'object'], env.actions), { minLength: 2, maxLength: 4, selector: (a) => a.name }),
          denied: fc.option(fc.nat(3), { nil: undefined }),
        })
        .chain(({ identity, actions, denied }) =>
          fc.tuple(...actions.map((a) => requestIn(s, { identities: [identity], actions: [a], ...target(env) }))).chain((requests) =>
            fc.tuple(...requests.map((r) => statementCovering(s, r, { effect: 'Allow' }))).chain((allows) => {
              const target = denied === undefined ? undefined : denied % requests.length;
              const denyArb = target === undefined
                ? fc.constant(undefined)
                : statementCovering(s, requests[target]!, { effect: 'Deny', conditions: 'none' }).map((d) => {
                    // Only the exact action of that request: the other requests have other actions, so the Deny misses them.
                    d.statement.Action = requests[target]!.request.action;
                    return d;
                  });
              return denyArb.chain((deny) =>
                shuffled(deny ? [...allows, deny] : allows).map((built) =>
                  expectationCase(
                    worldOf(s, statementsOf(built)),
                    requests.map((r, i) => ({ request: r.request, decision: i === target ? 'deny' : 'allow' })),
                    { principal: identity.kind, statements: String(allows.length) },
                  ),
                ),
              );
            }),
          ),
        ),
    );
  },
});

/**
 * ALI-IMPLICIT: with no policy, or with statements that all miss the request, the owner is
 * allowed (ownership) and anyone else is denied (private ACLs).
 */
export const implicitDefault = aliProperty({
  name: 'implicit-default',
  description: 'With no policy, or only statements built to miss the request, the bucket owner is allowed and every other principal is denied.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], principal: KIND_VALUES, policy: ['none', 'no-match'] },
  cases: (_params, env) =>
    sceneWithRequest(env, { kinds: kinds(env) }).chain(({ s, r }) =>
      noise(s, r, 4).map((built) => {
        const world = worldOf(s, built.length === 0 ? undefined : statementsOf(built));
        return expectationCase(world, [{ request: r.request, decision: documentedDecision(r.identity, built) }], {
          principal: r.identity.kind,
          policy: built.length === 0 ? 'none' : 'no-match',
        });
      }),
    ),
});
