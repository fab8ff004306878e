import * as fc from 'fast-check';
import { OBS_ANONYMOUS, OBS_LOG_DELIVERY, type ObsBucket, type ObsPrincipal } from '../../model/huawei-obs/types.ts';

/**
 * Who is who around an OBS bucket, as the rules tell principals apart: the owning account and
 * one of its IAM users, other accounts and an IAM user of one of them, the log delivery service,
 * and anonymous callers.
 */

/** Kinds of principals. */
export const OBS_PRINCIPAL_KINDS = ['owner', 'owner-user', 'other-account', 'other-user', 'log-delivery', 'anonymous'] as const;
/** One kind. */
export type ObsPrincipalKind = (typeof OBS_PRINCIPAL_KINDS)[number];

/** An identity: its kind, and the principal its requests carry. */
export interface ObsIdentity {
  kind: ObsPrincipalKind;
  principal: ObsPrincipal;
}

/** A bucket and the identities around it. */
export interface ObsScene {
  bucket: ObsBucket;
  owner: ObsIdentity;
  /** Every identity, the owner first: the owner's IAM user, two other accounts, an IAM user of the first, log delivery, anonymous. */
  identities: ObsIdentity[];
}

const HEX = [...'0123456789abcdef'];

/** An account or IAM user id: 32 lower-case hex digits, as in seed 003 (`783fc6652cf246c096ea836694f71855`). */
export function obsId(): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...HEX), minLength: 32, maxLength: 32 });
}

let bucketNameArb: fc.Arbitrary<string> | undefined;
/** A bucket name: 3 to 63 lower-case letters, digits and hyphens (kept short), letter or digit at both ends. */
export function obsBucketName(): fc.Arbitrary<string> {
  return (bucketNameArb ??= fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/));
}

/** The account of a principal, if it has one. */
export function accountOf(p: ObsPrincipal): string | undefined {
  return typeof p === 'string' ? undefined : p.account;
}

/** A scene with distinct ids. */
export function obsScene(): fc.Arbitrary<ObsScene> {
  return fc.record({ name: obsBucketName(), ids: fc.uniqueArray(obsId(), { minLength: 5, maxLength: 5 }) }).map(({ name, ids }) => {
    const [owner, ownerUser, other, otherUser, second] = ids as [string, string, string, string, string];
    const o: ObsIdentity = { kind: 'owner', principal: { account: owner } };
    return {
      bucket: { name, owner },
      owner: o,
      identities: [
        o,
        { kind: 'owner-user', principal: { account: owner, user: ownerUser } },
        { kind: 'other-account', principal: { account: other } },
        { kind: 'other-account', principal: { account: second } },
        { kind: 'other-user', principal: { account: other, user: otherUser } },
        { kind: 'log-delivery', principal: OBS_LOG_DELIVERY },
        { kind: 'anonymous', principal: OBS_ANONYMOUS },
      ],
    };
  });
}
