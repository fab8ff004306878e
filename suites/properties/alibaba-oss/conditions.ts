import * as fc from 'fast-check';
import type { AliStatement } from '../../../model/alibaba-oss/types.ts';
import { ALI_ACTIONS } from '../../../model/alibaba-oss/actions.ts';
import {
  actionPatternCovering,
  conditionBlock,
  conditionEntries,
  conditionEntry,
  isNegated,
  principalCovering,
  requestIn,
  resourceCovering,
  scene,
  settableKeys,
  STRING_OPERATORS,
  IP_OPERATORS,
  worldOf,
  type ConditionEntry,
  type ContextKey,
  type GeneratedRequest,
  type Scene,
} from '../../../generators/alibaba-oss/index.ts';
import type { PropertyEnv } from '../types.ts';
import { actionsAt, aliProperty, expectationCase, kinds, NO_PARAMS, target, usableActions } from './shared.ts';
import { availableActions } from '../../../generators/alibaba-oss/index.ts';

const NON_OWNERS = ['other-account', 'ram-user', 'role-session', 'anonymous'] as const;

/**
 * A statement that applies to the request on Principal, Action and Resource, with `entries` as
 * its Condition. As an Allow for a non-owner, the request is allowed exactly when every entry
 * holds; as a Deny naming the owner (`*` with a Condition), the owner is denied exactly then.
 */
function guarded(s: Scene, r: GeneratedRequest, effect: 'Allow' | 'Deny', entries: ConditionEntry[]) {
  const withCondition = entries.length > 0;
  return fc
    .record({
      principal: principalCovering(s, r.identity, { withCondition, wildcard: r.identity.kind === 'owner' ? 'always' : 'maybe' }),
      action: actionPatternCovering(r.request.action),
      resource: resourceCovering(s, r),
    })
    .map(({ principal, action, resource }) => {
      const statement: AliStatement = { Effect: effect, Action: action.pattern, Principal: principal.value, Resource: resource.value };
      if (withCondition) statement.Condition = conditionBlock(entries);
      const applies = entries.every((e) => e.holds);
      // Allow for a non-owner: allowed iff the statement applies. Deny for the owner: denied iff it applies.
      const decision: 'allow' | 'deny' = effect === 'Allow' ? (applies ? 'allow' : 'deny') : applies ? 'deny' : 'allow';
      return expectationCase(worldOf(s, [statement]), [{ request: r.request, decision }]);
    });
}

/** A non-owner request (Allow) or an owner request (Deny), the two ways a Condition decides alone. */
function subject(env: PropertyEnv, s: Scene, extra: { actions?: typeof ALI_ACTIONS } = {}) {
  const owner = kinds(env).includes('owner');
  return fc.constantFrom<'Allow' | 'Deny'>(...(owner ? (['Allow', 'Deny'] as const) : (['Allow'] as const))).chain((effect) =>
    requestIn(s, { kinds: effect === 'Allow' ? kinds(env, NON_OWNERS) : ['owner'], ...target(env), ...(extra.actions ? { actions: extra.actions } : {}) }).map((r) => ({ effect, r })),
  );
}

/** The actions whose requests carry `key`: every action for the keys of every request, else those that name it. */
function actionsCarrying(key: ContextKey): typeof ALI_ACTIONS | undefined {
  return key === 'acs:AccessId' || key === 'acs:SourceVpc' ? undefined : ALI_ACTIONS.filter((a) => a.keys?.includes(key));
}

/**
 * The actions whose requests may carry `key` or go without it: PutObjectAcl and
 * PutObjectVersionAcl always carry the object ACL header (vendor notes §2.2: without it OSS
 * refuses the request, EC 0017-00000105), so a request without it is not one of theirs.
 */
function actionsOmitting(key: ContextKey): typeof ALI_ACTIONS | undefined {
  const actions = actionsCarrying(key);
  return key === 'oss:x-oss-object-acl' ? actions?.filter((a) => a.name !== 'oss:PutObjectAcl' && a.name !== 'oss:PutObjectVersionAcl') : actions;
}

/** Whether the target can be sent a request that carries `key` (an action that carries it). */
function canCarry(env: PropertyEnv, key: ContextKey): boolean {
  return availableActions(actionsCarrying(key) ?? actionsAt(env), env.actions).length > 0;
}

function labelled<T extends { labels?: Record<string, string> }>(c: T, labels: Record<string, string>): T {
  c.labels = { ...c.labels, ...labels };
  return c;
}

/**
 * ALI-COND-AND: a statement with two to four condition entries (several operators and keys)
 * applies when every entry holds, and not when exactly one of them fails.
 */
export const conditionAnd = aliProperty({
  name: 'condition-and',
  description: 'A statement with 2-4 condition entries applies when all hold and does not when exactly one fails (Allow for a non-owner, `*` Deny for the owner).',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], effect: ['Allow', 'Deny'], entries: ['2', '3', '4'], failing: ['none', 'one'] },
  cases: (_params, env) => {
    usableActions(env);
    return scene().chain((s) =>
      subject(env, s).chain(({ effect, r }) =>
        fc.record({ n: fc.integer({ min: 2, max: 4 }), failing: fc.constantFrom<0 | 1>(0, 1) }).chain(({ n, failing }) =>
          conditionEntries(r, n, failing)
            .filter((entries) => entries.length >= 2)
            .chain((entries) =>
              guarded(s, r, effect, entries).map((c) => labelled(c, { effect, entries: String(entries.length), failing: failing ? 'one' : 'none' })),
            ),
        ),
      ),
    );
  },
});

/**
 * ALI-COND-VALUES: a value list under one key matches when any value matches; a negated
 * operator holds when none matches (NOR, open question 16).
 */
export const conditionValueList = aliProperty({
  name: 'condition-value-list',
  description: 'With two or more values under one key, a positive operator holds when any value matches and a negated one when none does.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], operator: ['positive', 'negated'], holds: ['yes', 'no'] },
  cases: (_params, env) => {
    usableActions(env);
    return scene().chain((s) =>
      subject(env, s).chain(({ effect, r }) => {
        const keys = settableKeys(env.capabilities).filter((k) => r.request.context?.[k] !== undefined);
        return fc
          .record({ key: fc.constantFrom(...keys), holds: fc.boolean() })
          .chain(({ key, holds }) =>
            fc.constantFrom(...(key === 'acs:SourceIp' ? IP_OPERATORS : STRING_OPERATORS)).chain((op) =>
              conditionEntry(op, key, r.request.context ?? {}, holds)
                .filter((e) => e.values.length >= 2)
                .chain((entry) =>
                  guarded(s, r, effect, [entry]).map((c) => labelled(c, { operator: isNegated(op) ? 'negated' : 'positive', holds: holds ? 'yes' : 'no', key })),
                ),
            ),
          );
      }),
    );
  },
});

const STRING_KEYS: readonly ContextKey[] = ['acs:AccessId', 'acs:SourceVpc', 'oss:Prefix', 'oss:x-oss-acl', 'oss:x-oss-object-acl'];

/**
 * ALI-COND-STRING: StringEquals, StringNotEquals, StringLike and StringNotLike on the documented
 * keys, each built to hold or to fail for the request's value of the key.
 */
export const conditionStringOperators = aliProperty({
  name: 'condition-string-operators',
  description: 'Each string operator on acs:AccessId, acs:SourceVpc, oss:Prefix, oss:x-oss-acl and oss:x-oss-object-acl holds or fails as built from the request\'s value (`*` and `?` in the Like operators).',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], operator: [...STRING_OPERATORS], key: [...STRING_KEYS] },
  cases: (_params, env) => {
    usableActions(env);
    // Only keys that some action the target can be sent carries (acs:AccessId and acs:SourceVpc: all of them).
    const keys = settableKeys(env.capabilities).filter((k) => STRING_KEYS.includes(k) && canCarry(env, k));
    return scene().chain((s) =>
      fc.record({ key: fc.constantFrom(...keys), op: fc.constantFrom(...STRING_OPERATORS), holds: fc.boolean() }).chain(({ key, op, holds }) => {
        // Requests whose action carries the key, and that carry it (the missing-key rule is checked on its own).
        const actions = actionsCarrying(key);
        return subject(env, s, actions ? { actions } : {})
          .filter(({ r }) => r.request.context?.[key] !== undefined)
          .chain(({ effect, r }) =>
            conditionEntry(op, key, r.request.context ?? {}, holds).chain((entry) => guarded(s, r, effect, [entry]).map((c) => labelled(c, { operator: op, key, holds: holds ? 'yes' : 'no' }))),
          );
      }),
    );
  },
});

/**
 * ALI-COND-IP: IpAddress and NotIpAddress on acs:SourceIp, with single addresses and CIDR
 * blocks, IPv4 and IPv6; addresses at the first and last position of a block are inside, the
 * ones just before and just after are outside.
 */
export const conditionIp = aliProperty({
  name: 'condition-ip',
  description: 'IpAddress holds when the source address lies in one of the blocks (boundaries included) and NotIpAddress when it lies in none; v4 and v6, single addresses and CIDR blocks.',
  params: NO_PARAMS,
  labels: {
    outcome: ['allow', 'deny'],
    operator: [...IP_OPERATORS],
    family: ['v4', 'v6'],
    form: ['address', 'cidr'],
    position: ['first', 'last', 'interior', 'before', 'after', 'elsewhere'],
  },
  cases: (_params, env) => {
    usableActions(env);
    return scene().chain((s) =>
      subject(env, s).chain(({ effect, r }) =>
        fc.record({ op: fc.constantFrom(...IP_OPERATORS), holds: fc.boolean() }).chain(({ op, holds }) =>
          conditionEntry(op, 'acs:SourceIp', r.request.context ?? {}, holds).chain((entry) =>
            guarded(s, r, effect, [entry]).map((c) =>
              labelled(c, {
                operator: op,
                family: (r.request.context?.['acs:SourceIp'] ?? '').includes(':') ? 'v6' : 'v4',
                form: entry.form ?? 'cidr',
                position: entry.position ?? 'interior',
              }),
            ),
          ),
        ),
      ),
    );
  },
});

/**
 * ALI-COND-MISSING-KEY: a condition on a key the request does not carry (acs:SourceVpc on a
 * public-network request, oss:Prefix on a list without prefix, the ACL header on an upload
 * without it, acs:AccessId on an anonymous request) does not satisfy a positive operator and
 * does satisfy a negated one.
 */
export const conditionMissingKey = aliProperty({
  name: 'condition-missing-key',
  description: 'An entry on a key absent from the request fails for StringEquals/StringLike and holds for StringNotEquals/StringNotLike.',
  params: NO_PARAMS,
  labels: { outcome: ['allow', 'deny'], operator: [...STRING_OPERATORS], key: ['acs:SourceVpc', 'oss:Prefix', 'oss:x-oss-object-acl', 'acs:AccessId'] },
  cases: (_params, env) => {
    usableActions(env);
    // Only keys that some action the target can be sent carries, and can leave out.
    const keys = (['acs:SourceVpc', 'oss:Prefix', 'oss:x-oss-object-acl', 'acs:AccessId'] as const).filter((k) => {
      const actions = actionsOmitting(k);
      return actions === undefined ? canCarry(env, k) : availableActions(actions, env.actions).length > 0;
    });
    return scene().chain((s) =>
      fc.constantFrom<ContextKey>(...keys).chain((key) => {
        const actions = actionsOmitting(key);
        return subject(env, s, actions ? { actions } : {}).chain(({ effect, r }) => {
          const context = { ...r.request.context };
          delete context[key];
          const request: GeneratedRequest = { ...r, request: { ...r.request, context } };
          return fc.constantFrom(...STRING_OPERATORS).chain((op) =>
            // Absent: a negated operator holds, a positive one fails.
            conditionEntry(op, key, context, isNegated(op)).chain((entry) => guarded(s, request, effect, [entry]).map((c) => labelled(c, { operator: op, key }))),
          );
        });
      }),
    );
  },
});
