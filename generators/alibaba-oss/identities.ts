import * as fc from 'fast-check';
import { ANONYMOUS, type AliBucket } from '../../model/alibaba-oss/types.ts';
import { bucketName, longTermAccessId, roleOrSessionName, stsAccessId, uid } from './names.ts';

/** Who sends a request, as the rules tell principals apart. */
export const PRINCIPAL_KINDS = ['owner', 'other-account', 'ram-user', 'role-session', 'anonymous'] as const;
/** One kind of principal. */
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** An identity that can send requests: the principal string the policy names, and its AccessKey ID. */
export interface Identity {
  kind: PrincipalKind;
  /** The principal as a request carries it: a UID, an STS ARN, or `anonymous`. */
  principal: string;
  /** The AccessKey ID the request is signed with; absent for anonymous requests. */
  accessId?: string;
  /** For role sessions: the account that owns the role, the role and the session. */
  role?: { account: string; name: string; session: string };
}

/** A bucket and the identities around it: its owner and one identity of every other kind. */
export interface Scene {
  bucket: AliBucket;
  owner: Identity;
  /** Five identities other than the owner, one or more of each kind, all distinct. */
  others: Identity[];
}

/** The STS ARN of a role session (ALI-PRINCIPAL-STS). */
export function roleSessionArn(account: string, role: string, session: string): string {
  return `arn:sts::${account}:assumed-role/${role}/${session}`;
}

/** A scene: a bucket, its owner and five other identities of every kind, with distinct UIDs. */
export function scene(): fc.Arbitrary<Scene> {
  return fc
    .record({
      bucket: bucketName(),
      uids: fc.uniqueArray(uid(), { minLength: 5, maxLength: 5 }),
      accessIds: fc.uniqueArray(longTermAccessId(), { minLength: 4, maxLength: 4 }),
      roles: fc.uniqueArray(roleOrSessionName(), { minLength: 2, maxLength: 2 }),
      sessions: fc.uniqueArray(roleOrSessionName(), { minLength: 2, maxLength: 2 }),
      stsIds: fc.uniqueArray(stsAccessId(), { minLength: 2, maxLength: 2 }),
      secondRoleSession: fc.boolean(),
    })
    .map(({ bucket, uids, accessIds, roles, sessions, stsIds, secondRoleSession }) => {
      const [owner, other, ramUser, roleAccount, secondAccount] = uids as [string, string, string, string, string];
      const [role1, role2] = roles as [string, string];
      const [session1, session2] = sessions as [string, string];
      const others: Identity[] = [
        { kind: 'other-account', principal: other, accessId: accessIds[1]! },
        { kind: 'ram-user', principal: ramUser, accessId: accessIds[2]! },
        {
          kind: 'role-session',
          principal: roleSessionArn(roleAccount, role1, session1),
          accessId: stsIds[0]!,
          role: { account: roleAccount, name: role1, session: session1 },
        },
        { kind: 'anonymous', principal: ANONYMOUS },
      ];
      if (secondRoleSession) {
        others.push({
          kind: 'role-session',
          principal: roleSessionArn(secondAccount, role2, session2),
          accessId: stsIds[1]!,
          role: { account: secondAccount, name: role2, session: session2 },
        });
      } else {
        others.push({ kind: 'other-account', principal: secondAccount, accessId: accessIds[3]! });
      }
      return {
        bucket: { name: bucket, owner },
        owner: { kind: 'owner', principal: owner, accessId: accessIds[0]! },
        others,
      };
    });
}

/** Every identity of a scene, the owner first. */
export function identitiesOf(s: Scene): Identity[] {
  return [s.owner, ...s.others];
}
