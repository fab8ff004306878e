/**
 * The validator of PutBucketAcl bodies (vendor notes §5.1, O13): a list of at most 100 grants,
 * each for an account or one of the groups of seed 004's Table 1, with one of the permissions
 * of Table 2. Bodies arrive loosely typed (`unknown`), so that invalid values (a permission
 * `READ_WRITE`, 101 grants) reach here and become a 400 `MalformedACLError`.
 */
import { OBS_ACL_GROUPS, OBS_ACL_PERMISSIONS, type ObsAclGroup, type ObsAclPermission, type ObsGrant } from '../../../model/huawei-obs/types.ts';

/** An ACL that passed, its grants copied. */
export interface ObsValidAcl {
  kind: 'valid';
  grants: ObsGrant[];
}

/** An ACL that failed: the first problem, and the rules it breaks. */
export interface ObsInvalidAcl {
  kind: 'invalid';
  message: string;
  rules: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Whether `value` is one of the permissions of seed 004's Table 2 (vendor notes §5.1). */
export function isAclPermission(value: unknown): value is ObsAclPermission {
  return typeof value === 'string' && (OBS_ACL_PERMISSIONS as readonly string[]).includes(value);
}

function isGroup(value: unknown): value is ObsAclGroup {
  return typeof value === 'string' && (OBS_ACL_GROUPS as readonly string[]).includes(value);
}

const PERMISSIONS = OBS_ACL_PERMISSIONS.map((p) => `\`${p}\``).join(', ');
const GROUPS = OBS_ACL_GROUPS.map((g) => `\`${g}\``).join(', ');

function invalid(message: string, rules: string[] = []): ObsInvalidAcl {
  return { kind: 'invalid', message, rules };
}

/** Checks an ACL body against the limit of `maxGrants` grants; the first problem decides the 400. */
export function validateAcl(body: unknown, maxGrants: number): ObsValidAcl | ObsInvalidAcl {
  if (!Array.isArray(body)) return invalid('the ACL must be a list of grants `{grantee, permission}`');
  // Vendor notes §5.1 (O13): "A bucket ACL supports a maximum of 100 grants."
  if (body.length > maxGrants) return invalid(`the ACL has ${body.length} grants; a bucket ACL holds at most ${maxGrants}`);
  const grants: ObsGrant[] = [];
  for (let i = 0; i < body.length; i++) {
    const g: unknown = body[i];
    const at = `acl[${i}]`;
    if (!isRecord(g)) return invalid(`\`${at}\` must be a grant \`{grantee, permission}\``);
    for (const key of Object.keys(g)) if (key !== 'grantee' && key !== 'permission') return invalid(`\`${at}\`: unknown field \`${shown(key)}\``);
    const grantee = g['grantee'];
    // OBS-ACL-GRANTEES (004, Table 1): a specific account (by account id), or a group.
    if (!isRecord(grantee) || Object.keys(grantee).length !== 1) {
      return invalid(`\`${at}.grantee\` must be \`{account}\` or \`{group}\``, ['OBS-ACL-GRANTEES']);
    }
    let copy: ObsGrant['grantee'];
    if ('account' in grantee) {
      const account = grantee['account'];
      if (typeof account !== 'string' || account === '') return invalid(`\`${at}.grantee.account\` must be a non-empty account id, not ${shown(account)}`, ['OBS-ACL-GRANTEES']);
      copy = { account };
    } else if ('group' in grantee) {
      const group = grantee['group'];
      if (!isGroup(group)) return invalid(`\`${at}.grantee.group\` \`${shown(group)}\` is not one of ${GROUPS}`, ['OBS-ACL-GRANTEES']);
      copy = { group };
    } else {
      return invalid(`\`${at}.grantee\`: unknown field \`${shown(Object.keys(grantee)[0])}\`; use \`account\` or \`group\``, ['OBS-ACL-GRANTEES']);
    }
    const permission = g['permission'];
    // Seed 004, Table 2; vendor notes §5.1: READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL.
    if (!isAclPermission(permission)) return invalid(`\`${at}.permission\` \`${shown(permission)}\` is not one of ${PERMISSIONS}`);
    grants.push({ grantee: copy, permission });
  }
  return { kind: 'valid', grants };
}
