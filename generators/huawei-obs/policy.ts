import * as fc from 'fast-check';
import type { ObsWorld } from '../../model/huawei-obs/types.ts';
import { OBS_ACTIONS } from '../../model/huawei-obs/actions.ts';
import { freshId, nearMissBucketName } from './names.ts';
import { principalId } from './principals.ts';
import type { ObsReadings } from './readings.ts';
import type { GeneratedObsRequest } from './requests.ts';
import type { ObsScene } from './scene.ts';
import { statementCovering, statementMissing, type BuiltObsStatement, type ObsStatement, type ObsStatementOptions } from './statements.ts';

/** An OBS bucket policy as the generators write it (OBS-SYNTAX: `Statement`, optional `Version` and `Id`). */
export interface ObsPolicy {
  Version?: string;
  Id?: string;
  Statement: ObsStatement[];
}

/** The world of a scene: its bucket, the default private ACL (none given), and a policy of `statements` (none when undefined). */
export function obsWorld(s: ObsScene, statements?: readonly ObsStatement[]): ObsWorld {
  const world: ObsWorld = { vendor: 'huawei-obs', bucket: { ...s.bucket } };
  if (statements !== undefined) world.policy = { Statement: [...statements] } satisfies ObsPolicy;
  return world;
}

/** The same items in an order the generator chooses (shrinks toward the original order). */
export function shuffled<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}

/**
 * For each request, one to `perRequest` statements (Allow or Deny, with or without conditions)
 * built to apply to it or to miss it, all in some order. What a statement does to the other
 * requests is not known: relations use these, never expected outcomes. Whether a statement
 * applies to the request it was built around depends on no reading outside `readings`.
 */
export function statementsAround(
  s: ObsScene,
  requests: readonly GeneratedObsRequest[],
  options: { perRequest?: number; conditions?: ObsStatementOptions['conditions']; readings?: ObsReadings } = {},
): fc.Arbitrary<BuiltObsStatement[]> {
  const per = options.perRequest ?? 2;
  const one = (r: GeneratedObsRequest) =>
    fc.record({ effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'), covers: fc.boolean() }).chain(({ effect, covers }) => {
      const o: ObsStatementOptions = { effect, conditions: options.conditions ?? 'maybe', ...(options.readings ? { readings: options.readings } : {}) };
      return covers ? statementCovering(s, r, o) : statementMissing(s, r, o);
    });
  return fc.tuple(...requests.map((r) => fc.array(one(r), { minLength: 1, maxLength: per }))).chain((groups) => shuffled(groups.flat()));
}

/** What an unrelated statement is about. */
export const OBS_UNRELATED_ABOUT = ['other-bucket', 'other-principal'] as const;

/**
 * A statement that cannot apply to any request of the scene's identities on its bucket: its
 * Resource names only buckets whose names extend or truncate this one's (`other-bucket`; any
 * Principal and Action, `*` included), or its Principal names only fresh accounts and users,
 * which no identity of the scene is (`other-principal`; this bucket's Resource). Either effect.
 */
export function unrelatedStatement(s: ObsScene): fc.Arbitrary<{ statement: ObsStatement; about: (typeof OBS_UNRELATED_ABOUT)[number] }> {
  const effect = fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny');
  const action = fc.oneof(fc.constantFrom('*', 'Get*', 'Put*', 'List*'), fc.constantFrom(...OBS_ACTIONS.map((a) => a.name)));
  const bucketResources = fc.constantFrom(s.bucket.name, `${s.bucket.name}/*`);
  const otherBucket = fc
    .record({
      effect,
      principal: fc.constantFrom<ObsStatement['Principal']>('*', { ID: '*' }, { ID: [`domain/${s.bucket.owner}:user/*`] }),
      action,
      buckets: fc.uniqueArray(fc.tuple(nearMissBucketName(s.bucket.name), fc.constantFrom('', '/*', '/a*')), { minLength: 1, maxLength: 2, selector: ([b, t]) => b + t }),
    })
    .map(({ effect: e, principal, action: a, buckets }) => ({
      statement: { Effect: e, Principal: principal, Action: a, Resource: buckets.map(([b, t]) => b + t) } satisfies ObsStatement,
      about: 'other-bucket' as const,
    }));
  const otherPrincipal = fc
    .record({
      effect,
      ids: fc.uniqueArray(
        fc.tuple(freshId(s), freshId(s), fc.constantFrom('account-users', 'account', 'account-root', 'user') as fc.Arbitrary<'account-users' | 'account' | 'account-root' | 'user'>).map(([a, u, form]) => principalId(form, a, u).text),
        { minLength: 1, maxLength: 3 },
      ),
      action,
      resources: fc.uniqueArray(bucketResources, { minLength: 1, maxLength: 2 }),
    })
    .map(({ effect: e, ids, action: a, resources }) => ({
      statement: { Effect: e, Principal: { ID: ids }, Action: a, Resource: resources } satisfies ObsStatement,
      about: 'other-principal' as const,
    }));
  return fc.oneof(otherBucket, otherPrincipal);
}
