import * as fc from 'fast-check';
import type { AliStatement } from '../../../model/alibaba-oss/types.ts';
import {
  actionPatternCovering,
  principalCovering,
  principalMissing,
  requestIn,
  resourceCovering,
  scene,
  shuffled,
  statementCovering,
  statementMissing,
  worldOf,
  type BuiltStatement,
} from '../../../generators/alibaba-oss/index.ts';
import { aliProperty, documentedDecision, expectationCase, kinds, KIND_VALUES, NO_PARAMS, relationCase, sceneWithRequest, statementsOf, target, usableActions } from './shared.ts';

/**
 * ALI-WILDCARD-OWNER: a statement with Principal `*` and no Condition, Allow or Deny, whose
 * Action and Resource cover the request. It applies to everyone but the bucket owner: a Deny
 * denies other principals and leaves the owner allowed (by ownership); an Allow allows others.
 */
export const wildcardPrincipalOwner = aliProperty({
  name: 'wildcard-principal-owner',
  description: 'A `*` statement without Condition applies to every principal but the owner: its Deny denies others and not the owner; its Allow allows others.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], principal: KIND_VALUES, effect: ['Allow', 'Deny'] },
  cases: (_params, env) =>
    sceneWithRequest(env, { kinds: kinds(env) }).chain(({ s, r }) =>
      fc
        .record({
          effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
          // For the owner, `*` without a Condition is built as a miss; for others, as a cover.
          principal: r.identity.kind === 'owner' ? principalMissing(s, r.identity, { withCondition: false }).filter((p) => p.form === 'wildcard-owner-exempt') : principalCovering(s, r.identity, { withCondition: false, wildcard: 'always', empty: false }),
          action: actionPatternCovering(r.request.action),
          resource: resourceCovering(s, r),
        })
        .map(({ effect, principal, action, resource }) => {
          const statement: AliStatement = { Effect: effect, Action: action.pattern, Principal: principal.value, Resource: resource.value };
          const built: BuiltStatement = { statement, applies: r.identity.kind !== 'owner', principalForm: principal.form, actionForm: action.form, resourceForm: resource.form, conditions: [] };
          if (!built.applies) built.missedOn = 'principal';
          return expectationCase(worldOf(s, [statement]), [{ request: r.request, decision: documentedDecision(r.identity, [built]) }], { principal: r.identity.kind, effect });
        }),
    ),
});

/**
 * ALI-WILDCARD-COND-OWNER: a Deny with Principal `*` and a Condition applies to everyone,
 * the owner included, when its Condition holds; an Allow `*` with a Condition that holds lets
 * other principals in. Requests by the owner are half of the cases.
 */
export const wildcardConditionOwner = aliProperty({
  name: 'wildcard-condition-owner',
  description: 'A Deny `*` with a Condition that holds denies the owner too; with a Condition built to fail, the owner is allowed and others are allowed by an Allow `*` with a Condition that holds.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], principal: KIND_VALUES, condition: ['holds', 'fails'] },
  cases: (_params, env) => {
    usableActions(env);
    return scene().chain((s) =>
      fc
        .oneof(
          requestIn(s, { kinds: kinds(env, ['owner']), ...target(env) }),
          requestIn(s, { kinds: kinds(env), ...target(env) }),
        )
        .chain((r) =>
          fc
            .record({
              holds: fc.boolean(),
              allow: statementCovering(s, r, { effect: 'Allow', wildcard: 'always', conditions: 'some' }),
            })
            .chain(({ holds, allow }) =>
              (holds ? statementCovering(s, r, { effect: 'Deny', wildcard: 'always', conditions: 'some' }) : statementMissing(s, r, { effect: 'Deny', wildcard: 'always', dimension: 'condition' })).chain((deny) =>
                shuffled([allow, deny]).map((built) =>
                  expectationCase(worldOf(s, statementsOf(built)), [{ request: r.request, decision: documentedDecision(r.identity, built) }], {
                    principal: r.identity.kind,
                    condition: holds ? 'holds' : 'fails',
                  }),
                ),
              ),
            ),
        ),
    );
  },
});

function withPrincipal(statement: AliStatement, principal: string[]): AliStatement {
  return { ...statement, Principal: principal };
}

/**
 * ALI-EMPTY-PRINCIPAL: `Principal: []` behaves exactly like `Principal: ["*"]`. Policies whose
 * statements name `["*"]` (Allow and Deny, with and without Condition) are compared with the
 * same policies naming `[]`, request by request, the owner and anonymous included; and an
 * Allow with `[]` built to apply to another principal lets it in.
 */
export const emptyPrincipalEquivalence = aliProperty({
  name: 'empty-principal-equivalence',
  description: 'Replacing `["*"]` by `[]` in any statement changes no decision (relation), and an Allow with `Principal: []` applies to any non-owner principal.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], principal: KIND_VALUES, form: ['relation', 'allow'] },
  cases: (_params, env) => {
    usableActions(env);
    return scene().chain((s) =>
      fc.oneof(
        fc
          .array(requestIn(s, { kinds: kinds(env), ...target(env) }), { minLength: 1, maxLength: 3 })
          .chain((requests) =>
            fc
              .tuple(
                ...requests.map((r) =>
                  fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny').chain((effect) =>
                    fc.boolean().chain((covers) =>
                      // A `*` that must apply to the owner needs a Condition (ALI-WILDCARD-COND-OWNER).
                      covers ? statementCovering(s, r, { effect, wildcard: 'always' }) : statementMissing(s, r, { effect, wildcard: 'always' }),
                    ),
                  ),
                ),
              )
              .map((built) => {
                const base = built.map((b) => withPrincipal(b.statement, ['*']));
                const variant = built.map((b) => withPrincipal(b.statement, []));
                return relationCase('same-decision', worldOf(s, base), worldOf(s, variant), requests.map((r) => r.request), { form: 'relation' });
              }),
          ),
        requestIn(s, { kinds: kinds(env, ['other-account', 'ram-user', 'role-session', 'anonymous']), ...target(env) }).chain((r) =>
          statementCovering(s, r, { effect: 'Allow', wildcard: 'always' }).map((b) =>
            expectationCase(worldOf(s, [withPrincipal(b.statement, [])]), [{ request: r.request, decision: 'allow' }], { form: 'allow', principal: r.identity.kind }),
          ),
        ),
      ),
    );
  },
});

/**
 * ALI-PRINCIPAL-STS: an Allow naming a role session by its exact ARN or by `<role>/*` applies
 * to that session; another session, another role, or the names with one letter's case changed
 * do not (role and session names are case-sensitive).
 */
export const roleSessionPrincipal = aliProperty({
  name: 'role-session-principal',
  description: 'Allows naming `arn:sts::<uid>:assumed-role/<role>/<session>` (or `<role>/*`) apply to that role session; other sessions, other roles and case-changed names do not.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], form: ['session-arn', 'role-wildcard', 'other-session', 'other-role', 'changed-case', 'others'] },
  cases: (_params, env) =>
    sceneWithRequest(env, { kinds: kinds(env, ['role-session']) }).chain(({ s, r }) =>
      fc.boolean().chain((covers) =>
        (covers
          ? principalCovering(s, r.identity, { withCondition: false, wildcard: 'never' })
          : principalMissing(s, r.identity, { withCondition: false })
        ).chain((principal) =>
          fc.record({ action: actionPatternCovering(r.request.action), resource: resourceCovering(s, r) }).map(({ action, resource }) => {
            const statement: AliStatement = { Effect: 'Allow', Action: action.pattern, Principal: principal.value, Resource: resource.value };
            return expectationCase(worldOf(s, [statement]), [{ request: r.request, decision: covers ? 'allow' : 'deny' }], { form: principal.form });
          }),
        ),
      ),
    ),
});
