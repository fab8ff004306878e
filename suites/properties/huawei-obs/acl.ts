import * as fc from 'fast-check';
import type { ObsAction } from '../../../model/huawei-obs/actions.ts';
import { OBS_ACL_PERMISSIONS, type ObsAclPermission, type ObsGrant, type ObsRequest, type ObsWorld } from '../../../model/huawei-obs/types.ts';
import type { ExpectationCase, RelationCase } from '../../../model/case.ts';
import {
  ACL_ACTIONS,
  allGrants,
  grantAllows,
  granteeCovers,
  grantOf,
  grantsFrom,
  OBS_GRANTEE_KINDS,
  OBS_PRINCIPAL_KINDS,
  obsScene,
  otherAccounts,
  permissionGrants,
  type ObsGranteeKind,
  type ObsIdentity,
  type ObsScene,
} from '../../../generators/huawei-obs/index.ts';
import type { GeneratedProperty } from '../types.ts';
import { lacksActions } from '../types.ts';
import { usableActions } from './shared.ts';

/**
 * Bucket ACL properties: a grant built to cover a request (its grantee covers the principal and
 * its permission grants the action) allows it; a grant that misses on the grantee or on the
 * permission does not (seed 004, Tables 1 and 2). Grant order changes nothing (X-ORDER).
 */

/**
 * Readings an ACL case may depend on. `registered-iam-users`: whether a grant to registered users
 * (AuthenticatedUsers) reaches IAM users (OBS-ACL-REGISTERED.iam-users, ambiguous; the literal
 * "excluding IAM users" is encoded). Without it, no case is built whose outcome depends on it.
 */
export const ACL_READINGS = ['registered-iam-users'] as const;
/** One reading. */
export type AclReading = (typeof ACL_READINGS)[number];

/** The JSON Schema of the `readings` param. */
export const READINGS_SCHEMA = {
  type: 'array',
  uniqueItems: true,
  items: { enum: [...ACL_READINGS] },
  description: 'readings the cases may depend on (default none): registered-iam-users',
} as const;

/** Whether a grant's effect on `who` depends on a reading the case may not depend on. */
export function contested(g: ObsGrant, who: ObsIdentity, readings: readonly AclReading[] = []): boolean {
  const iamUser = who.kind === 'owner-user' || who.kind === 'other-user';
  return !readings.includes('registered-iam-users') && iamUser && 'group' in g.grantee && g.grantee.group === 'AuthenticatedUsers';
}

/** A Huawei OBS property. */
export function obsProperty<P>(definition: Omit<GeneratedProperty<P>, 'vendor'>): GeneratedProperty<P> {
  return { vendor: 'huawei-obs', ...definition };
}

/** The owner's ACL actions that its permanent READ_ACP and WRITE_ACP allow whatever the ACL says (OBS-ACL-OWNER-ACP). */
export function ownerKeepsAcp(who: ObsIdentity, action: ObsAction): boolean {
  return (who.kind === 'owner' || who.kind === 'owner-user') && (action.acl === 'READ_ACP' || action.acl === 'WRITE_ACP');
}

/** A request for an ACL-mapped action; PutBucketAcl carries `body` as its new ACL. */
export function aclRequest(who: ObsIdentity, action: ObsAction, object: string, body: ObsGrant[]): ObsRequest {
  const r: ObsRequest = { principal: who.principal, action: action.name };
  if (action.level === 'object') r.object = object;
  if (action.name === 'PutBucketAcl') r.acl = body;
  return r;
}

interface GrantParams {
  permissions?: ObsAclPermission[];
  grantees?: ObsGranteeKind[];
  readings?: AclReading[];
}

const OBJECT_KEY = fc.constantFrom('a.txt', 'logs/2026/11/23.log', 'photos/cat 1.jpg');

/**
 * One case: a decisive grant (grantee kind and permission from the params), the identity and
 * action that it covers (allow) or misses on one element (deny), and noise grants that cannot
 * allow the request, in random order.
 */
function grantCase(s: ObsScene, params: GrantParams, sendable: readonly ObsAction[]): fc.Arbitrary<ExpectationCase> {
  const permissions = params.permissions ?? [...OBS_ACL_PERMISSIONS];
  const grantees = params.grantees ?? [...OBS_GRANTEE_KINDS];
  const account = otherAccounts(s)[0]!;
  return fc
    .record({
      kind: fc.constantFrom(...grantees),
      permission: fc.constantFrom(...permissions),
      missed: fc.constantFrom('none', 'none', 'grantee', 'permission'),
      who: fc.nat(),
      action: fc.nat(),
      object: OBJECT_KEY,
      noise: fc.nat(),
    })
    .filter(({ permission, missed }) => !(missed === 'permission' && permission === 'FULL_CONTROL'))
    .chain(({ kind, permission, missed, who, action, object }) => {
      const decisive = grantOf(s, kind, permission, account);
      const covered = s.identities.filter((i) => granteeCovers(kind, kind === 'owner' ? s.bucket.owner : account, i));
      const uncovered = s.identities.filter((i) => !covered.includes(i));
      const granted = sendable.filter((a) => permissionGrants(permission, a.acl!));
      const notGranted = sendable.filter((a) => !granted.includes(a));
      const people = missed === 'grantee' ? uncovered : covered;
      let actions = missed === 'permission' ? notGranted : granted;
      if (people.length === 0 || actions.length === 0) return fc.constant(undefined);
      const identity = people[who % people.length]!;
      if (contested(decisive, identity, params.readings)) return fc.constant(undefined);
      // The owner keeps READ_ACP and WRITE_ACP whatever the ACL says: no denial of those is built for it.
      if (missed !== 'none') actions = actions.filter((a) => !ownerKeepsAcp(identity, a));
      if (actions.length === 0) return fc.constant(undefined);
      const chosen = actions[action % actions.length]!;
      // Noise: grants that do not let this identity do this action.
      const pool = allGrants(s)
        .map((x) => x.grant)
        .filter((g) => !grantAllows(s, g, identity, chosen) && !contested(g, identity, params.readings) && JSON.stringify(g) !== JSON.stringify(decisive));
      return grantsFrom(pool, 3).chain((noise) =>
        fc.shuffledSubarray([decisive, ...noise], { minLength: noise.length + 1, maxLength: noise.length + 1 }).map((acl): ExpectationCase => {
          const world: ObsWorld = { vendor: 'huawei-obs', bucket: s.bucket, acl };
          const request = aclRequest(identity, chosen, object, acl);
          return {
            kind: 'expect',
            world,
            requests: [{ request, expect: { decision: missed === 'none' ? 'allow' : 'deny' }, labels: { principal: identity.kind } }],
            labels: { grantee: kind, permission, missed },
          };
        }),
      );
    })
    .filter((c): c is ExpectationCase => c !== undefined);
}

export const aclGrant = obsProperty<GrantParams>({
  name: 'obs-acl-grant',
  description:
    'A bucket ACL with a decisive grant (grantee kind and permission from `grantees` and `permissions`) and noise grants that cannot allow the request; the request is by an identity the grantee covers, for an action the permission grants (allow), or misses on the grantee or the permission (deny). The owner\'s permanent READ_ACP/WRITE_ACP are never built into a denial; cases that depend on a reading not in `readings` are not built.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      permissions: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...OBS_ACL_PERMISSIONS] }, description: 'permissions of the decisive grant (default all)' },
      grantees: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...OBS_GRANTEE_KINDS] }, description: 'grantee kinds of the decisive grant (default all)' },
      readings: READINGS_SCHEMA,
    },
  },
  labels: { outcome: ['allow', 'deny'], grantee: OBS_GRANTEE_KINDS, permission: OBS_ACL_PERMISSIONS, principal: OBS_PRINCIPAL_KINDS, missed: ['none', 'grantee', 'permission'] },
  cases: (params, env) => {
    // Only the ACL-mapped actions the target can be sent; at least one that a decisive permission grants.
    const sendable = usableActions(env, ACL_ACTIONS);
    const permissions = params.permissions ?? [...OBS_ACL_PERMISSIONS];
    const grantable = ACL_ACTIONS.filter((a) => permissions.some((p) => permissionGrants(p, a.acl!)));
    if (!sendable.some((a) => grantable.includes(a))) throw lacksActions(grantable.map((a) => a.name));
    return obsScene().chain((s) => grantCase(s, params, sendable));
  },
});

/** Requests that change nothing (no PutBucketAcl), for relations. */
const READ_ONLY_ACTIONS = ACL_ACTIONS.filter((a) => a.name !== 'PutBucketAcl');

export const aclOrder = obsProperty<Record<string, never>>({
  name: 'obs-acl-order',
  description: 'A bucket ACL of two to six grants and the same grants in another order; the same requests of every identity for the ACL-mapped actions get the same decision in both.',
  params: { type: 'object', additionalProperties: false, properties: {} },
  labels: { outcome: ['allow', 'deny'] },
  cases: (_params, env) => {
    const actions = usableActions(env, READ_ONLY_ACTIONS);
    return obsScene().chain((s) => {
      const pool = allGrants(s).map((x) => x.grant);
      return fc
        .record({
          acl: fc.shuffledSubarray(pool, { minLength: 2, maxLength: 6 }),
          requests: fc.array(fc.tuple(fc.nat(), fc.nat(), OBJECT_KEY), { minLength: 3, maxLength: 10 }),
        })
        .chain(({ acl, requests }) =>
          fc.shuffledSubarray(acl, { minLength: acl.length, maxLength: acl.length }).map((permuted): RelationCase => {
            const variant = permuted.every((g, i) => g === acl[i]) ? [...permuted.slice(1), permuted[0]!] : permuted;
            return {
              kind: 'relation',
              relation: 'same-decision',
              base: { vendor: 'huawei-obs', bucket: s.bucket, acl },
              variant: { vendor: 'huawei-obs', bucket: s.bucket, acl: variant },
              requests: requests.map(([w, a, o]) => aclRequest(s.identities[w % s.identities.length]!, actions[a % actions.length]!, o, [])),
            };
          }),
        );
    });
  },
});
