import * as fc from 'fast-check';
import { OBS_ACTIONS, type ObsAction } from '../../model/huawei-obs/actions.ts';
import { OBS_ACL_PERMISSIONS, type ObsAclGroup, type ObsAclPermission, type ObsGrant } from '../../model/huawei-obs/types.ts';
import type { ObsIdentity, ObsScene } from './scene.ts';

/**
 * Bucket ACL grants built around a request: a grant that covers it (its grantee covers the
 * principal and its permission grants the action) or one that does not, on a chosen element.
 * Coverage is seed 004's Table 1 and Table 2, as the semantics of issue #4 read them.
 */

/** Kinds of grantee, as the distributions count them. */
export const OBS_GRANTEE_KINDS = ['account', 'owner', 'Everyone', 'AuthenticatedUsers', 'LogDelivery'] as const;
/** One kind of grantee. */
export type ObsGranteeKind = (typeof OBS_GRANTEE_KINDS)[number];

/** The actions a bucket ACL permission grants (vendor notes §2, from O3), by permission. */
export const ACL_ACTIONS: readonly ObsAction[] = OBS_ACTIONS.filter((a) => a.acl !== undefined);

/**
 * Whether a grantee covers an identity (seed 004, Table 1): an account grant covers the account
 * and all its IAM users; Everyone covers anyone, registered or not; registered users are
 * authenticated accounts, "excluding IAM users" (the literal reading), never anonymous callers;
 * the log delivery group is the log delivery service alone.
 */
export function granteeCovers(kind: ObsGranteeKind, grantAccount: string | undefined, who: ObsIdentity): boolean {
  const account = typeof who.principal === 'string' ? undefined : who.principal.account;
  switch (kind) {
    case 'account':
    case 'owner':
      return account !== undefined && account === grantAccount;
    case 'Everyone':
      return true;
    case 'AuthenticatedUsers':
      return who.kind === 'owner' || who.kind === 'other-account';
    case 'LogDelivery':
      return who.kind === 'log-delivery';
  }
}

/** Whether a permission grants what `needed` grants (FULL_CONTROL is all four; seed 004, Table 2). */
export function permissionGrants(permission: ObsAclPermission, needed: ObsAclPermission): boolean {
  return permission === needed || permission === 'FULL_CONTROL';
}

/** The grant of a grantee kind, for a scene (`account` names the first other account). */
export function grantOf(s: ObsScene, kind: ObsGranteeKind, permission: ObsAclPermission, account?: string): ObsGrant {
  if (kind === 'owner') return { grantee: { account: s.bucket.owner }, permission };
  if (kind === 'account') return { grantee: { account: account ?? otherAccounts(s)[0]! }, permission };
  return { grantee: { group: kind as ObsAclGroup }, permission };
}

/** The accounts of the scene other than the owner. */
export function otherAccounts(s: ObsScene): string[] {
  const ids = new Set<string>();
  for (const i of s.identities) if (i.kind === 'other-account' && typeof i.principal !== 'string') ids.add(i.principal.account);
  return [...ids];
}

/** Every grant a scene can make: each grantee (each other account, the owner, each group) with each permission. */
export function allGrants(s: ObsScene): Array<{ kind: ObsGranteeKind; grant: ObsGrant }> {
  const out: Array<{ kind: ObsGranteeKind; grant: ObsGrant }> = [];
  for (const permission of OBS_ACL_PERMISSIONS) {
    for (const account of otherAccounts(s)) out.push({ kind: 'account', grant: grantOf(s, 'account', permission, account) });
    for (const kind of ['owner', 'Everyone', 'AuthenticatedUsers', 'LogDelivery'] as const) out.push({ kind, grant: grantOf(s, kind, permission) });
  }
  return out;
}

/** The kind of a grant's grantee in a scene. */
export function granteeKind(s: ObsScene, g: ObsGrant): ObsGranteeKind {
  if ('group' in g.grantee) return g.grantee.group;
  return g.grantee.account === s.bucket.owner ? 'owner' : 'account';
}

/** Whether a grant lets `who` perform `action` (an ACL-mapped action). */
export function grantAllows(s: ObsScene, g: ObsGrant, who: ObsIdentity, action: ObsAction): boolean {
  const account = 'account' in g.grantee ? g.grantee.account : undefined;
  return action.acl !== undefined && granteeCovers(granteeKind(s, g), account, who) && permissionGrants(g.permission as ObsAclPermission, action.acl);
}

/** A subset of grants, in random order, of at most `max`. */
export function grantsFrom(pool: readonly ObsGrant[], max: number): fc.Arbitrary<ObsGrant[]> {
  return pool.length === 0 ? fc.constant([]) : fc.shuffledSubarray([...pool], { minLength: 0, maxLength: Math.min(max, pool.length) });
}
