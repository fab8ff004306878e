import * as fc from 'fast-check';
import { aliActionsAt } from '../../../model/alibaba-oss/actions.ts';
import type { AliStatement } from '../../../model/alibaba-oss/types.ts';
import {
  actionPatternCovering,
  coveringForms,
  missingForms,
  principalCovering,
  resourceCovering,
  resourceMissing,
  statementCovering,
  statementMissing,
  worldOf,
  type Dimension,
  type ResourceForm,
  type StatementOptions,
} from '../../../generators/alibaba-oss/index.ts';
import { actionsAt, aliProperty, expectationCase, kinds, NO_PARAMS, sceneWithRequest } from './shared.ts';
import { lacksActions } from '../types.ts';
import { availableActions } from '../../../generators/alibaba-oss/index.ts';
import type { PropertyEnv } from '../types.ts';
import type { ActionLevel } from '../../../model/alibaba-oss/actions.ts';

const NON_OWNERS = ['other-account', 'ram-user', 'role-session', 'anonymous'] as const;

/**
 * One Allow for a non-owner, built to apply to the request or to miss it on `dimension` only;
 * the request is allowed exactly when the statement applies (no other statement, private ACL).
 */
function singleAllow(env: PropertyEnv, dimension: Dimension, levels: readonly ActionLevel[], options: Partial<StatementOptions> = {}) {
  return sceneWithRequest(env, { kinds: kinds(env, NON_OWNERS), levels }).chain(({ s, r }) =>
    fc.boolean().chain((covers) =>
      (covers ? statementCovering(s, r, { effect: 'Allow', ...options }) : statementMissing(s, r, { effect: 'Allow', ...options, dimension })).map((b) =>
        expectationCase(worldOf(s, [b.statement]), [{ request: r.request, decision: covers ? 'allow' : 'deny' }], {
          principal: r.identity.kind,
          level: r.action.level,
          form: dimension === 'action' ? b.actionForm : b.resourceForm,
        }),
      ),
    ),
  );
}

/**
 * One Allow for a non-owner whose Resource has a form chosen first (every form equally often),
 * Principal and Action covering the request; allowed exactly when the form covers. Only the forms
 * of levels the target can be sent an action of.
 */
function resourceForms(env: PropertyEnv, levels: readonly ActionLevel[], forms: ReadonlyArray<{ form: ResourceForm; covers: boolean; objectLevel: boolean }>) {
  const levelsOf = (objectLevel: boolean) => levels.filter((l) => (l === 'bucket') !== objectLevel && availableActions(actionsAt(env, [l]), env.actions).length > 0);
  const possible = forms.filter((f) => levelsOf(f.objectLevel).length > 0);
  if (possible.length === 0) throw lacksActions(actionsAt(env, levels).map((a) => a.name));
  return fc.constantFrom(...possible).chain(({ form, covers, objectLevel }) =>
    sceneWithRequest(env, { kinds: kinds(env, NON_OWNERS), levels: levelsOf(objectLevel) }).chain(({ s, r }) =>
      fc
        .record({
          principal: principalCovering(s, r.identity, { withCondition: false }),
          action: actionPatternCovering(r.request.action),
          resource: covers ? resourceCovering(s, r, form) : resourceMissing(s, r, form),
        })
        .map(({ principal, action, resource }) => {
          const statement: AliStatement = { Effect: 'Allow', Action: action.pattern, Principal: principal.value, Resource: resource.value };
          return expectationCase(worldOf(s, [statement]), [{ request: r.request, decision: covers ? 'allow' : 'deny' }], {
            principal: r.identity.kind,
            level: r.action.level,
            form,
          });
        }),
    ),
  );
}

const OBJECT_FORMS = [
  ...coveringForms(true).map((form) => ({ form, covers: true, objectLevel: true })),
  ...missingForms(true).map((form) => ({ form, covers: false, objectLevel: true })),
];
const BUCKET_FORMS = [
  ...coveringForms(false).map((form) => ({ form, covers: true, objectLevel: false })),
  ...missingForms(false).map((form) => ({ form, covers: false, objectLevel: false })),
];

/**
 * ALI-RESOURCE: object actions match only the object form `<bucket>/<pattern>`, bucket actions
 * only the bucket form; a bucket whose name extends or truncates this one, or a key prefix the
 * key lacks, does not match.
 */
export const resourceScope = aliProperty({
  name: 'resource-scope',
  description: 'An Allow applies exactly when its Resource covers the request: the object (or a key prefix, or `<bucket>/*`) for object actions, the bucket form for bucket actions; near-miss bucket names, the wrong form and other prefixes miss.',
  params: NO_PARAMS,
  labels: {
    outcome: ['allow', 'deny'],
    level: ['bucket', 'object'],
    form: ['exact-object', 'key-prefix', 'all-objects', 'bucket', 'bucket-form-for-object', 'object-form-for-bucket', 'near-bucket', 'outside-prefix', 'other-service'],
  },
  cases: (_params, env) => resourceForms(env, ['bucket', 'object'], [...OBJECT_FORMS, ...BUCKET_FORMS]),
});

/**
 * ALI-ACTION-WILDCARD: an Allow whose Action is the exact name, `oss:*`, `*`, a word prefix
 * (`oss:Get*`) or suffix (`oss:*Acl`) covering the request's action applies; patterns that do
 * not cover it do not.
 */
export const actionWildcard = aliProperty({
  name: 'action-wildcard',
  description: 'An Allow applies exactly when one of its Action patterns covers the request\'s action (`*` matches any run of characters).',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], level: ['service', 'bucket', 'object', 'vector-index'], form: ['exact', 'service', 'all', 'prefix', 'suffix'] },
  cases: (_params, env) => singleAllow(env, 'action', ['bucket', 'object'], { conditions: 'none' }),
});

/**
 * ALI-VECTOR: vector-index actions are granted on `acs:ossvector:*:<uid>:<bucket>/<index>`; the
 * `acs:oss` form, another index, or a near-miss bucket name do not grant them.
 */
export const vectorResource = aliProperty({
  name: 'vector-resource',
  description: 'An Allow of a vector action applies exactly when its Resource covers `acs:ossvector:*:*:<bucket>/<index>`; the `acs:oss` service form and other indexes miss.',
  params: NO_PARAMS,
  labels: {
    outcome: ['allow', 'deny'],
    form: ['exact-object', 'key-prefix', 'all-objects', 'bucket-form-for-object', 'near-bucket', 'outside-prefix', 'other-service'],
  },
  cases: (_params, env) => {
    if (aliActionsAt('vector-index').length === 0) throw new Error('no vector action in the catalogue');
    return resourceForms(env, ['vector-index'], OBJECT_FORMS);
  },
});
