/**
 * Bucket ACLs given in headers (vendor notes §5.3): a canned ACL (`x-obs-acl` / `x-amz-acl`)
 * expanded to its grants, or grant headers (`x-obs-grant-read: id=<domainId>`, ...). The result
 * is the whole new ACL, loosely typed, for the reference's `validateAcl` to judge.
 */
import type { ObsSignatureKind } from '../../adapters/http/huawei-obs/signing.ts';
import type { ObsGrant } from '../../model/huawei-obs/types.ts';
import { GROUP_URIS } from './xml.ts';

/** Bucket canned ACLs of the OBS API (vendor notes §5.3, O13/O15) and of the S3-compatible API (§5.4, O20). */
const BUCKET_CANNED: Readonly<Record<ObsSignatureKind, readonly string[]>> = {
  obs: ['private', 'public-read', 'public-read-write', 'public-read-delivered', 'public-read-write-delivered'],
  aws: ['private', 'public-read', 'public-read-write', 'authenticated-read', 'bucket-owner-read', 'bucket-owner-full-control', 'log-delivery-write'],
};

/** Object canned ACLs (vendor notes §5.3: O16 and `bucket-owner-full-control`; the SDK's v2 list for AWS V2). */
export const OBJECT_CANNED: Readonly<Record<ObsSignatureKind, readonly string[]>> = {
  obs: ['private', 'public-read', 'public-read-write', 'bucket-owner-full-control'],
  aws: ['private', 'public-read', 'public-read-write', 'authenticated-read', 'bucket-owner-read', 'bucket-owner-full-control'],
};

/** A grant of a header ACL, with whether it is `Delivered` (inherited by objects, vendor notes §5.1). */
export interface HeaderGrant {
  grant: { grantee: unknown; permission: string };
  delivered: boolean;
}

/** An ACL read from headers, none, or why the headers are refused. */
export type HeaderAcl = { kind: 'none' } | { kind: 'acl'; canned?: string; grants: HeaderGrant[] } | { kind: 'invalid'; message: string };

/**
 * Expands a bucket canned ACL (vendor notes §5.3, O17 "Conversion Between Two ACL Formats"):
 * every one starts with the owner's FULL_CONTROL ("No matter what type of permissions is
 * configured, the owner has full control"); `public-read` adds Everyone READ, `public-read-write`
 * Everyone READ and WRITE, the `-delivered` variants the same with Delivered true;
 * `authenticated-read` adds AuthenticatedUsers READ and `log-delivery-write` LogDelivery WRITE and
 * READ_ACP (O20); `bucket-owner-read` and `bucket-owner-full-control` are object ACLs and give a
 * bucket the owner's grant alone.
 */
export function expandCannedAcl(canned: string, owner: string): HeaderGrant[] {
  const own: HeaderGrant = { grant: { grantee: { account: owner }, permission: 'FULL_CONTROL' }, delivered: false };
  const delivered = canned.endsWith('-delivered');
  const group = (name: ObsGrant['grantee'], permission: string): HeaderGrant => ({ grant: { grantee: name, permission }, delivered });
  switch (canned) {
    case 'public-read':
    case 'public-read-delivered':
      return [own, group({ group: 'Everyone' }, 'READ')];
    case 'public-read-write':
    case 'public-read-write-delivered':
      return [own, group({ group: 'Everyone' }, 'READ'), group({ group: 'Everyone' }, 'WRITE')];
    case 'authenticated-read':
      return [own, group({ group: 'AuthenticatedUsers' }, 'READ')];
    case 'log-delivery-write':
      return [own, group({ group: 'LogDelivery' }, 'WRITE'), group({ group: 'LogDelivery' }, 'READ_ACP')];
    default:
      return [own];
  }
}

// Vendor notes §5.3 (O15, O4): the grant headers and the permission each gives.
const GRANT_HEADERS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['grant-read', 'READ', false],
  ['grant-write', 'WRITE', false],
  ['grant-read-acp', 'READ_ACP', false],
  ['grant-write-acp', 'WRITE_ACP', false],
  ['grant-full-control', 'FULL_CONTROL', false],
  ['grant-read-delivered', 'READ', true],
  ['grant-full-control-delivered', 'FULL_CONTROL', true],
];

function granteeOf(item: string): unknown {
  const eq = item.indexOf('=');
  if (eq < 0) return { [item]: '' };
  const type = item.slice(0, eq).trim().toLowerCase();
  const value = item.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  if (type === 'id') return { account: value };
  if (type === 'uri') {
    const entry = Object.entries(GROUP_URIS).find(([name, uri]) => uri === value || name === value);
    return { group: entry === undefined ? value : entry[0] };
  }
  return { [type]: value };
}

/**
 * The ACL the headers of a CreateBucket or PutBucketAcl give: a canned ACL, or grant headers
 * (value `id=<domainId>` or `uri=<group URI>`, several separated by commas). Both at once, or an
 * unknown canned ACL, are refused (400 InvalidArgument).
 */
export function headerAcl(headers: Readonly<Record<string, string | string[] | undefined>>, kind: ObsSignatureKind, owner: string): HeaderAcl {
  const prefix = kind === 'obs' ? 'x-obs-' : 'x-amz-';
  const cannedHeader = headers[`${prefix}acl`];
  const canned = Array.isArray(cannedHeader) ? cannedHeader.join(',') : cannedHeader;
  const grants: HeaderGrant[] = [];
  for (const [suffix, permission, delivered] of GRANT_HEADERS) {
    const value = headers[`${prefix}${suffix}`];
    if (value === undefined) continue;
    for (const item of (Array.isArray(value) ? value.join(',') : value).split(',')) {
      if (item.trim() === '') continue;
      grants.push({ grant: { grantee: granteeOf(item.trim()), permission }, delivered });
    }
  }
  if (canned !== undefined && grants.length > 0) return { kind: 'invalid', message: `give either \`${prefix}acl\` or \`${prefix}grant-*\` headers, not both` };
  if (canned !== undefined) {
    if (!BUCKET_CANNED[kind].includes(canned)) return { kind: 'invalid', message: `\`${canned.slice(0, 60)}\` is not a canned ACL of a bucket; use ${BUCKET_CANNED[kind].map((c) => `\`${c}\``).join(', ')}` };
    return { kind: 'acl', canned, grants: expandCannedAcl(canned, owner) };
  }
  if (grants.length > 0) {
    // O17: "No matter what type of permissions is configured, the owner has full control".
    return { kind: 'acl', grants: [{ grant: { grantee: { account: owner }, permission: 'FULL_CONTROL' }, delivered: false }, ...grants] };
  }
  return { kind: 'none' };
}
