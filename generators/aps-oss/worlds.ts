import * as fc from 'fast-check';
import type { ApsRole, ApsTarget } from '../../model/aps-oss/matrix.ts';
import { APS_ACCESS_LEVELS, type ApsAccess, type ApsBucket, type ApsGrant, type ApsObject, type ApsWorld } from '../../model/aps-oss/types.ts';

/**
 * Who is who in an APS world, as the rules tell apps apart: the role of an app relative to a
 * bucket (its creator, a key with a grant, or neither), and what an object is to the app that
 * acts on it (its own upload, the owner's, another key's, or missing).
 */

/** The role of `actor` on `bucket`: its creator, the level of its grant, or a stranger. */
export function roleOn(bucket: Pick<ApsBucket, 'owner' | 'allow'>, actor: string): ApsRole {
  if (actor === bucket.owner) return 'owner';
  const grant = bucket.allow?.find((g) => g.authId === actor);
  return grant ? (grant.access as ApsAccess) : 'stranger';
}

/** What the object `key` is to `actor`: uploaded by itself, by the owner, by another key, or missing. */
export function objectTarget(owner: string, uploader: string | undefined, actor: string): ApsTarget {
  if (uploader === undefined) return 'missing';
  if (uploader === actor) return 'by-self';
  return uploader === owner ? 'by-owner' : 'by-other-key';
}

/** Whether an access level lets a key upload (seed 000: WRITE "can create and change content", FULL "upload/write"). */
export function levelUploads(access: string): boolean {
  return access === 'full' || access === 'write';
}

/** A world with one bucket and its objects. */
export function apsWorld(bucket: ApsBucket, objects: readonly ApsObject[] = []): ApsWorld {
  const world: ApsWorld = { vendor: 'aps-oss', bucket };
  if (objects.length) world.objects = [...objects];
  return world;
}

/** A level for every key: a random one, or one forced at a position. */
export function accessLevel(): fc.Arbitrary<ApsAccess> {
  return fc.constantFrom(...APS_ACCESS_LEVELS);
}

/** An allow list of `ids` with random levels. */
export function allowList(ids: readonly string[]): fc.Arbitrary<ApsGrant[]> {
  return fc.array(accessLevel(), { minLength: ids.length, maxLength: ids.length }).map((levels) => ids.map((authId, i) => ({ authId, access: levels[i]! })));
}

/** The number-of-keys class of an allow list, for distributions: `0`, `1-9`, `10-59`, `60`. */
export function keysClass(n: number): string {
  if (n === 0) return '0';
  if (n < 10) return '1-9';
  return n < 60 ? '10-59' : '60+';
}
