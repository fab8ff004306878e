import * as fc from 'fast-check';
import type { ObsAction } from '../../../model/huawei-obs/actions.ts';
import type { ObsPrincipal, ObsWorld } from '../../../model/huawei-obs/types.ts';
import type { ExpectationCase } from '../../../model/case.ts';
import { ACL_ACTIONS, allGrants, grantAllows, obsScene, otherAccounts, type ObsIdentity, type ObsScene } from '../../../generators/huawei-obs/index.ts';
import { aclRequest, contested, obsProperty } from './acl.ts';
import { usableActions } from './shared.ts';

/**
 * A bucket policy and a bucket ACL together (vendor notes §2): "If both an ACL and a bucket
 * policy apply, an explicit deny in the bucket policy overrides the allow in the ACL"; an ACL
 * grant allows what no statement mentions.
 */

/** The Principal ID that names exactly this identity's account users, this user, or everyone (seed 003's `domain/<id>:user/*` form). */
export function principalIdFor(p: ObsPrincipal): string {
  if (typeof p === 'string') return '*';
  return p.user === undefined ? `domain/${p.account}:user/*` : `domain/${p.account}:user/${p.user}`;
}

/** The Resource that names the request's bucket or object. */
export function resourceFor(bucket: string, action: ObsAction, object: string): string {
  return action.level === 'object' ? `${bucket}/${object}` : bucket;
}

/** A statement that applies to `who` doing `action` on `object` (every element names the request exactly). */
export function statementApplying(s: ObsScene, effect: 'Allow' | 'Deny', who: ObsIdentity, action: ObsAction, object: string): Record<string, unknown> {
  return { Sid: `${effect.toLowerCase()}-${action.name}`, Effect: effect, Principal: { ID: [principalIdFor(who.principal)] }, Action: [action.name], Resource: [resourceFor(s.bucket.name, action, object)] };
}

export const policyAndAcl = obsProperty<Record<string, never>>({
  name: 'obs-policy-acl',
  description:
    'A bucket ACL grant built to allow a request, with a policy that either Denies exactly that request (deny: the policy Deny beats the ACL grant) or only mentions another action or another account (allow: the ACL grant allows what no statement mentions).',
  params: { type: 'object', additionalProperties: false, properties: {} },
  labels: { outcome: ['allow', 'deny'], policy: ['deny-applies', 'unrelated'], effect: ['Allow', 'Deny'] },
  cases: (_params, env) => {
    // Actions other than PutBucketAcl: the policy must not be replaced by the request itself.
    const actions = ACL_ACTIONS.filter((a) => a.name !== 'PutBucketAcl');
    // Requests only for those the target can be sent (the policy may name any).
    const sendable = usableActions(env, actions);
    return obsScene().chain((s: ObsScene) => {
      const other = otherAccounts(s)[1]!;
      return fc
        .record({ who: fc.nat(), action: fc.nat(), grant: fc.nat(), object: fc.constantFrom('a.txt', 'dir/b.txt'), policy: fc.constantFrom('deny-applies', 'unrelated'), effect: fc.constantFrom('Allow' as const, 'Deny' as const), away: fc.constantFrom('action', 'account') })
        .map(({ who, action, grant, object, policy, effect, away }): ExpectationCase | undefined => {
          const chosen = sendable[action % sendable.length]!;
          const identity = s.identities[who % s.identities.length]!;
          const granting = allGrants(s).map((g) => g.grant).filter((g) => grantAllows(s, g, identity, chosen) && !contested(g, identity));
          if (granting.length === 0) return undefined;
          const acl = [granting[grant % granting.length]!];
          let statement: Record<string, unknown>;
          if (policy === 'deny-applies') {
            statement = statementApplying(s, 'Deny', identity, chosen, object);
          } else if (away === 'action' || typeof identity.principal === 'string') {
            // Another action of the same level, never one this identity's request is for.
            const elsewhere = actions.find((a) => a.name !== chosen.name && a.level === chosen.level) ?? actions.find((a) => a.name !== chosen.name)!;
            statement = statementApplying(s, effect, identity, elsewhere, object);
          } else {
            statement = { ...statementApplying(s, effect, identity, chosen, object), Principal: { ID: [`domain/${other === (identity.principal as { account: string }).account ? otherAccounts(s)[0] : other}:user/*`] } };
          }
          const world: ObsWorld = { vendor: 'huawei-obs', bucket: s.bucket, acl, policy: { Statement: [statement] } };
          return {
            kind: 'expect',
            world,
            requests: [{ request: aclRequest(identity, chosen, object, acl), expect: { decision: policy === 'deny-applies' ? 'deny' : 'allow' } }],
            labels: { policy, effect: policy === 'deny-applies' ? 'Deny' : effect },
          };
        })
        .filter((c): c is ExpectationCase => c !== undefined);
    });
  },
});
