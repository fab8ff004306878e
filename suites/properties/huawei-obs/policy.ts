import { ConformanceError } from '../../../model/errors.ts';
import { lacksActions, TargetLacks } from '../types.ts';
import * as fc from 'fast-check';
import { OBS_POLICY_ACTIONS, obsAction } from '../../../model/huawei-obs/actions.ts';
import type { ObsRequest } from '../../../model/huawei-obs/types.ts';
import {
  canMissOnCondition,
  coveringActionForms,
  coveringPrincipalForms,
  coveringResourceForms,
  isOwnerKind,
  missingActionForms,
  missingPrincipalForms,
  OBS_ACTION_FORMS,
  OBS_DIMENSIONS,
  OBS_IP_OPERATORS,
  OBS_IP_POSITIONS,
  OBS_PRINCIPAL_FORMS,
  OBS_PRINCIPAL_KINDS,
  OBS_RESOURCE_FORMS,
  OBS_STRING_OPERATORS,
  obsConditionBlock,
  obsConditionEntry,
  obsRequest,
  obsScene,
  obsWorld,
  settableObsKeys,
  shuffled,
  spaceFamilies,
  availableObsActions,
  statementCovering,
  statementMissing,
  unrelatedStatement,
  type BuiltObsStatement,
  type GeneratedObsRequest,
  type ObsConditionEntry,
  type ObsContextKey,
  type ObsDimension,
  type ObsPolicyReading,
  type ObsPrincipalForm,
  type ObsReadings,
  type ObsResourceForm,
  type ObsScene,
  type ObsStatement,
} from '../../../generators/huawei-obs/index.ts';
import {
  actionsFor,
  ALLOW_DENY,
  canRequest,
  requestKinds,
  target,
  decidingEffect,
  documentedDecision,
  expectationCase,
  kindsFor,
  obsPolicyProperty,
  POLICY_READINGS_SCHEMA,
  READINGS_PARAMS,
  readingsOf,
  sceneWithRequest,
  statementsOf,
  type ReadingsParams,
} from './shared.ts';

/**
 * OBS bucket-policy properties whose expected decision follows from how each statement was built
 * (semantics of issue #4: a statement applies when its principal, action, resource and condition
 * all match; an applicable Deny denies, else an applicable Allow allows, else the default private
 * ACL and the owner's defaults decide). No case asks an evaluator. Every property takes
 * `readings`: its cases depend on no reading outside it (generators/huawei-obs/readings.ts).
 */

const PRINCIPAL_LABELS = [...OBS_PRINCIPAL_KINDS];

/** Params of obs-statement-match. */
interface MatchParams {
  effect?: 'Allow' | 'Deny' | 'any';
  vary?: ObsDimension | 'any';
  readings?: ObsPolicyReading[];
}

/**
 * OBS-SYNTAX, OBS-ALLOW-DENY: one statement (among 0-2 padding statements that cannot apply) built
 * to apply to the request or to miss it on one element.
 */
export const statementMatch = obsPolicyProperty<MatchParams>({
  name: 'obs-statement-match',
  description:
    'A policy of one statement built to apply to the request or to miss it on one element (principal, action, resource or condition), among padding statements about other buckets or principals, default private ACL: an applying Allow allows, an applying Deny denies, a miss denies a non-owner and leaves the owner its default (allow, for actions no ACL permission maps).',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      effect: { enum: ['Allow', 'Deny', 'any'], description: 'the effect of the statement (default any)' },
      vary: { enum: [...OBS_DIMENSIONS, 'any'], description: 'the element a missing statement misses on (default any)' },
      readings: POLICY_READINGS_SCHEMA,
    },
  },
  labels: {
    outcome: ALLOW_DENY,
    effect: ['Allow', 'Deny'],
    'missed-on': [...OBS_DIMENSIONS, 'none'],
    principal: PRINCIPAL_LABELS,
    level: ['bucket', 'object'],
  },
  cases: (params, env) => {
    const effects: Array<'Allow' | 'Deny'> = params.effect === 'Allow' || params.effect === 'Deny' ? [params.effect] : ['Allow', 'Deny'];
    const vary = params.vary ?? 'any';
    const readings = readingsOf(params);
    return sceneWithRequest(env).chain(({ s, r }) => {
      const dimensions = (vary === 'any' ? [...OBS_DIMENSIONS] : [vary]).filter((d) => d !== 'condition' || canMissOnCondition(r));
      if (dimensions.length === 0) throw new ConformanceError('CONFORMANCE_INPUT', 'obs-statement-match: no condition can be built to fail (the target lets requests choose no condition key)');
      return fc
        .record({
          effect: fc.constantFrom(...effects),
          applies: fc.boolean(),
          dimension: fc.constantFrom(...dimensions),
          padding: fc.array(unrelatedStatement(s), { maxLength: 2 }),
          at: fc.nat(),
        })
        .chain(({ effect, applies, dimension, padding, at }) =>
          (applies ? statementCovering(s, r, { effect, readings }) : statementMissing(s, r, { effect, dimension, readings })).map((b) => {
            const statements = padding.map((p) => p.statement);
            statements.splice(at % (statements.length + 1), 0, b.statement);
            return expectationCase(obsWorld(s, statements), [{ request: r.request, decision: documentedDecision(r, [b]) }], {
              effect,
              'missed-on': b.missedOn ?? 'none',
              principal: r.identity.kind,
              level: r.action.level,
            });
          }),
        );
    });
  },
});

/** The single-statement case of the focused properties: the deciding effect for the identity, the statement built as asked. */
function decidedBy(s: ObsScene, r: GeneratedObsRequest, b: BuiltObsStatement, labels: Record<string, string>) {
  return expectationCase(obsWorld(s, [b.statement]), [{ request: r.request, decision: documentedDecision(r, [b]) }], labels);
}

/**
 * OBS-PRINCIPAL (seed 003; vendor notes §1.3): each Principal form covers exactly the identities
 * the semantics name: `*` and `{"ID":"*"}` everyone; `domain/A:user/*` account A and its IAM
 * users; `domain/A` and `domain/A:root` account A alone; `domain/A:user/U` that user alone
 * (case-sensitive). An Allow decides for non-owners, a Deny for the owner's identities.
 */
export const principalForms = obsPolicyProperty<ReadingsParams>({
  name: 'obs-principal-forms',
  description:
    'One statement whose Principal (of a chosen form) covers the requester or misses it (another account, the account of an IAM user, another user, a user id in another case); an Allow decides for non-owners, a Deny for the owner and its IAM users.',
  params: READINGS_PARAMS,
  labels: { outcome: ALLOW_DENY, form: OBS_PRINCIPAL_FORMS, principal: PRINCIPAL_LABELS },
  cases: (params, env) => {
    // The kinds that have an action the target can be sent (for the owner's, one no ACL permission maps).
    const kinds = requestKinds(env);
    const readings = readingsOf(params);
    return obsScene().chain((s) => {
      const identities = s.identities.filter((i) => kinds.includes(i.kind));
      const combos = OBS_PRINCIPAL_FORMS.flatMap((form) =>
        [true, false].map((covers) => ({ form, covers, who: identities.filter((i) => (covers ? coveringPrincipalForms(i) : missingPrincipalForms()).includes(form)) })),
      ).filter((c) => c.who.length > 0);
      return fc.constantFrom(...combos).chain(({ form, covers, who }) =>
        fc.constantFrom(...who).chain((identity) =>
          obsRequest(s, { identities: [identity], actions: actionsFor(identity), ...target(env) }).chain((r) => {
            const options = { effect: decidingEffect(identity), principal: form as ObsPrincipalForm, conditions: 'none' as const, readings };
            return (covers ? statementCovering(s, r, options) : statementMissing(s, r, { ...options, dimension: 'principal' })).map((b) =>
              decidedBy(s, r, b, { form, principal: identity.kind }),
            );
          }),
        ),
      );
    });
  },
});

/**
 * OBS-ACTION (O1 "case-insensitive"; O23 `*`, `Get*`, `List*`, `Put*`): an Action pattern
 * covers the request's action when it is its name, a prefix of it followed by `*`, or `*`; other
 * names and prefixes do not cover it. With the reading `action-case` (OBS-WILDCARD.action-case),
 * also names and prefixes in another case (pattern `other-case`, reached only then).
 */
export const actionWildcard = obsPolicyProperty<ReadingsParams>({
  name: 'obs-action-wildcard',
  description:
    'One statement whose Action pattern (exact name, a prefix with `*`, `*`, or with the reading action-case the name in another case) covers the request\'s action, or is another action\'s name or a prefix the action lacks; an Allow decides for non-owners, a Deny for the owner\'s identities.',
  params: READINGS_PARAMS,
  labels: { outcome: ALLOW_DENY, pattern: OBS_ACTION_FORMS },
  cases: (params, env) => {
    const readings = readingsOf(params);
    const combos = [...coveringActionForms(readings).map((pattern) => ({ pattern, covers: true })), ...missingActionForms(readings).map((pattern) => ({ pattern, covers: false }))];
    requestKinds(env);
    return fc.constantFrom(...combos).chain(({ pattern, covers }) =>
      sceneWithRequest(env).chain(({ s, r }) => {
        const options = { effect: decidingEffect(r.identity), action: pattern, conditions: 'none' as const, readings };
        return (covers ? statementCovering(s, r, options) : statementMissing(s, r, { ...options, dimension: 'action' })).map((b) => decidedBy(s, r, b, { pattern }));
      }),
    );
  },
});

/**
 * OBS-RESOURCE (O1; vendor notes §1.5): `<bucket>` covers the bucket, `<bucket>/*`,
 * `<bucket>/<prefix>*`, `<bucket>/*<suffix>` and `<bucket>/<key>` cover objects; the bucket form
 * does not cover objects nor the object forms the bucket, and another bucket's resources cover
 * nothing here. Misses by one letter's case (case-sensitive Resources) only with the reading
 * `resource-case` (OBS-WILDCARD.resource-case).
 */
export const resourceWildcard = obsPolicyProperty<ReadingsParams>({
  name: 'obs-resource-wildcard',
  description:
    'One statement whose Resource entry (the bucket, all objects, a key prefix or suffix with `*`, an exact key) covers the request\'s bucket or object, or misses it (wrong level, another bucket, a prefix/suffix/key the key lacks, or with the reading resource-case a letter in another case); an Allow decides for non-owners, a Deny for the owner\'s identities.',
  params: READINGS_PARAMS,
  labels: { outcome: ALLOW_DENY, form: OBS_RESOURCE_FORMS },
  cases: (params, env) => {
    const readings = readingsOf(params);
    const combos: Array<{ form: ObsResourceForm; covers: boolean; levels: Array<'bucket' | 'object'> }> = [
      ...coveringResourceForms(false).map((form) => ({ form, covers: true, levels: ['bucket' as const] })),
      ...coveringResourceForms(true).map((form) => ({ form, covers: true, levels: ['object' as const] })),
      ...OBS_RESOURCE_FORMS.map((form) => ({ form, covers: false, levels: ['bucket' as const, 'object' as const] })),
    ];
    // Only the forms of levels the target can be sent an action of (the misses, built at either
    // level, remain whenever it can be sent any).
    requestKinds(env);
    const possible = combos.filter(({ levels }) => canRequest(env, { levels }));
    return fc.constantFrom(...possible).chain(({ form, covers, levels }) =>
      sceneWithRequest(env, { levels }).chain(({ s, r }) => {
        const options = { effect: decidingEffect(r.identity), resource: form, conditions: 'none' as const, readings };
        return (covers ? statementCovering(s, r, options) : statementMissing(s, r, { ...options, dimension: 'resource' })).map((b) => decidedBy(s, r, b, { form }));
      }),
    );
  },
});

/** A statement that applies to the request on Principal, Action and Resource, with `entries` as its Condition: it applies exactly when every entry holds. */
function guarded(s: ObsScene, r: GeneratedObsRequest, entries: ObsConditionEntry[], readings: ObsReadings): fc.Arbitrary<BuiltObsStatement> {
  return statementCovering(s, r, { effect: decidingEffect(r.identity), conditions: 'none', readings }).map((b) => {
    const holds = entries.every((e) => e.holds);
    const statement: ObsStatement = { ...b.statement, Condition: obsConditionBlock(entries) };
    return { ...b, statement, conditions: entries, applies: holds, ...(holds ? {} : { missedOn: 'condition' as const }) };
  });
}

/**
 * OBS-COND-IP (O1: IpAddress/NotIpAddress on SourceIp, CIDR per RFC 4632 or a single address):
 * IpAddress holds when the address lies in one of the blocks, its first and last addresses
 * included; NotIpAddress when it lies in none; the addresses just before and after are outside.
 */
export const conditionIp = obsPolicyProperty<ReadingsParams>({
  name: 'obs-condition-ip',
  description:
    'One statement with an IpAddress or NotIpAddress entry on SourceIp (CIDR blocks and single addresses, v4 and v6) built so that the request\'s address is the first, the last or an inner address of a block, or the address just before or after one; an Allow decides for non-owners, a Deny for the owner\'s identities.',
  params: READINGS_PARAMS,
  labels: { outcome: ALLOW_DENY, operator: OBS_IP_OPERATORS, address: ['v4', 'v6'], position: OBS_IP_POSITIONS },
  cases: (params, env) => {
    const readings = readingsOf(params);
    if (!settableObsKeys(env.capabilities).includes('SourceIp')) throw new ConformanceError('CONFORMANCE_INPUT', 'obs-condition-ip needs a target that lets requests choose their source address (request.source-ip)');
    // The families the target can send from (both, unless it names its source addresses).
    const families = spaceFamilies(env.sourceAddresses);
    if (families.length === 0) throw new TargetLacks('a source address (its source address space has no block)');
    requestKinds(env);
    return fc
      .record({ operator: fc.constantFrom(...OBS_IP_OPERATORS), family: fc.constantFrom<'v4' | 'v6'>(...families), holds: fc.boolean() })
      .chain(({ operator, family, holds }) =>
        sceneWithRequest(env, { family }).chain(({ s, r }) =>
          obsConditionEntry(operator, 'SourceIp', r.request.context ?? {}, holds, readings).chain((entry) =>
            guarded(s, r, [entry], readings).map((b) => decidedBy(s, r, b, { operator, address: family, position: entry.position ?? 'inside' })),
          ),
        ),
      );
  },
});

const STRING_KEYS: readonly ObsContextKey[] = ['UserAgent', 'Referer', 'prefix'];

/**
 * OBS-COND-STRING (O1): StringEquals/StringNotEquals compare exactly, the IgnoreCase pair
 * ignoring case, StringLike/StringNotLike match `*` and `?` patterns case-sensitively (O1 "Loose
 * case-sensitive matching"; CONFLICT with the S3-compatible guide's "case-insensitive", marked in
 * the semantics). Near misses by case are built on purpose; for StringLike/StringNotLike only with
 * the reading `stringlike-case` (OBS-CONDITIONS.stringlike-case).
 */
export const conditionString = obsPolicyProperty<ReadingsParams>({
  name: 'obs-condition-string',
  description:
    'One statement with a string-operator entry on UserAgent, Referer or (list requests) prefix, built to hold or fail for the request\'s value, with values that differ only in case (exact operators are case-sensitive, the IgnoreCase pair is not; StringLike, case-sensitive, only with the reading stringlike-case) and `*`/`?` patterns; an Allow decides for non-owners, a Deny for the owner\'s identities.',
  params: READINGS_PARAMS,
  labels: { outcome: ALLOW_DENY, operator: OBS_STRING_OPERATORS },
  cases: (params, env) => {
    const readings = readingsOf(params);
    const nonOwners = kindsFor(env).filter((k) => !isOwnerKind(k));
    const lists = { kinds: nonOwners, pool: ['ListBucket', 'ListBucketVersions'].map((n) => obsAction(n)!) };
    const settable = settableObsKeys(env.capabilities).filter((k) => STRING_KEYS.includes(k));
    if (settable.length === 0) throw new ConformanceError('CONFORMANCE_INPUT', 'obs-condition-string needs a target that lets requests choose a User-Agent, Referer or list prefix');
    // The prefix key only when the target can be sent a list request.
    const keys = settable.filter((k) => k !== 'prefix' || canRequest(env, lists));
    if (keys.length === 0) throw lacksActions(lists.pool.map((a) => a.name));
    requestKinds(env);
    return fc.record({ key: fc.constantFrom(...keys), operator: fc.constantFrom(...OBS_STRING_OPERATORS), holds: fc.boolean() }).chain(({ key, operator, holds }) => {
      // The prefix key comes with list requests, which the ACL's READ maps: non-owners only.
      const request = key === 'prefix' ? sceneWithRequest(env, lists) : sceneWithRequest(env);
      return request.chain(({ s, r }) =>
        obsConditionEntry(operator, key, r.request.context ?? {}, holds, readings).chain((entry) => guarded(s, r, [entry], readings).map((b) => decidedBy(s, r, b, { operator }))),
      );
    });
  },
});

/**
 * OBS-ALLOW-DENY (O1: "An explicit deny overrides an allow ... Statements can be in any order"):
 * an Allow and a Deny both applying deny; with the Deny built to miss, the Allow allows.
 */
export const denyWins = obsPolicyProperty<ReadingsParams>({
  name: 'obs-deny-wins',
  description:
    'An Allow built to apply to the request and a Deny built to apply (deny) or to miss it on one element (allow), in either order, among 0-2 statements built to miss it.',
  params: READINGS_PARAMS,
  labels: { outcome: ALLOW_DENY, 'deny-first': ['yes', 'no'] },
  cases: (params, env) => {
    const readings = readingsOf(params);
    return sceneWithRequest(env).chain(({ s, r }) =>
      fc
        .record({
          allow: statementCovering(s, r, { effect: 'Allow', readings }),
          denyApplies: fc.boolean(),
          noise: fc.array(fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny').chain((effect) => statementMissing(s, r, { effect, readings })), { maxLength: 2 }),
        })
        .chain(({ allow, denyApplies, noise }) =>
          (denyApplies ? statementCovering(s, r, { effect: 'Deny', readings }) : statementMissing(s, r, { effect: 'Deny', readings })).chain((deny) =>
            shuffled([allow, deny, ...noise]).map((built) =>
              expectationCase(obsWorld(s, statementsOf(built)), [{ request: r.request, decision: documentedDecision(r, built) }], {
                'deny-first': built.indexOf(deny) < built.indexOf(allow) ? 'yes' : 'no',
              }),
            ),
          ),
        ),
    );
  },
});

/** A valid policy body for PutBucketPolicy: one Allow of GetObject for another account. */
function validBody(s: ObsScene): unknown {
  const other = s.identities.find((i) => i.kind === 'other-account')!.principal as { account: string };
  return { Statement: [{ Sid: 'read', Effect: 'Allow', Principal: { ID: [`domain/${other.account}:user/*`] }, Action: ['GetObject'], Resource: [`${s.bucket.name}/*`] }] };
}

/**
 * OBS-OWNER-MANAGES (seed 003: "A bucket owner can perform the PutBucket policy operation ...
 * GetBucket Policy or DeleteBucket Policy"): only the owner's identities use the policy APIs,
 * whatever the policy says; a non-owner is denied even when the policy Allows it the action
 * (Principal `*`). The owner puts a valid policy, deletes the policy (there or not), and gets it
 * when there is one (none: 404 NoSuchBucketPolicy, a deny). The action's name in lower case is
 * written only with the reading `action-case`.
 */
export const ownerManages = obsPolicyProperty<ReadingsParams>({
  name: 'obs-owner-manages',
  description:
    'One request for PutBucketPolicy (a valid body), GetBucketPolicy or DeleteBucketPolicy, in a world with no policy, a policy that Allows everyone (`*`) the policy action, or a policy about other buckets or principals: non-owners are denied; the owner and its IAM users are allowed, GetBucketPolicy only when a policy is set.',
  params: READINGS_PARAMS,
  labels: { outcome: ALLOW_DENY, action: OBS_POLICY_ACTIONS, principal: PRINCIPAL_LABELS },
  cases: (params, env) => {
    const kinds = kindsFor(env);
    const anyCase = readingsOf(params).has('action-case');
    // The policy APIs the target can be sent.
    const apis = availableObsActions(OBS_POLICY_ACTIONS, env.actions);
    if (apis.length === 0) throw lacksActions(OBS_POLICY_ACTIONS);
    return obsScene().chain((s) =>
      fc
        .record({
          identity: fc.constantFrom(...s.identities.filter((i) => kinds.includes(i.kind))),
          action: fc.constantFrom(...apis),
          policy: fc.constantFrom('none', 'allows-everyone', 'unrelated'),
          pattern: fc.nat(anyCase ? 4 : 3),
          padding: fc.array(unrelatedStatement(s), { minLength: 1, maxLength: 2 }),
        })
        .chain(({ identity, action, policy, pattern, padding }) =>
          obsRequest(s, { identities: [identity], actions: [action], ...target(env) }).map(({ request }) => {
            // The action's name, `*`, its verb with `*` (`Get*`), its verb and `Bucket*`, and (action-case) the name in lower case.
            const verb = action.replace(/Bucket.*$/, '');
            const names = [action, '*', `${verb}*`, `${verb}Bucket*`, ...(anyCase ? [action.toLowerCase()] : [])];
            const allowAll: ObsStatement = { Effect: 'Allow', Principal: '*', Action: [names[pattern]!], Resource: [s.bucket.name] };
            const others = padding.map((p) => p.statement);
            const statements = policy === 'none' ? undefined : policy === 'allows-everyone' ? [allowAll, ...others.slice(1)] : others;
            const sent: ObsRequest = action === 'PutBucketPolicy' ? { ...request, policy: validBody(s) } : request;
            const decision: 'allow' | 'deny' = !isOwnerKind(identity.kind) ? 'deny' : action === 'GetBucketPolicy' && statements === undefined ? 'deny' : 'allow';
            return expectationCase(obsWorld(s, statements), [{ request: sent, decision }], { action, principal: identity.kind });
          }),
        ),
    );
  },
});
