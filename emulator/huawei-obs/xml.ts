/**
 * The XML of the OBS dialect, with fast-xml-parser: the error document (vendor notes §6.4), the
 * bucket ACL in its OBS shape (`<Canned>`, `<Delivered>`) and its S3 shape (`xsi:type`, `<URI>`)
 * (§5.1, §5.4, §7 item 5), CreateBucketConfiguration, ListBucketResult and ListAllMyBucketsResult.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ObsGrant } from '../../model/huawei-obs/types.ts';

/** The namespaces of OBS-native and S3-compatible documents. */
export const OBS_XMLNS = 'http://obs.myhwclouds.com/doc/2015-06-30/';
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** The group URIs of the S3-compatible ACL (vendor notes §5.4, O20). */
export const GROUP_URIS = {
  Everyone: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
} as const;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Ids such as 1746495857600001 must stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name: string) => name === 'Grant',
});

const DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } };

/** Serializes a document with the XML declaration. */
export function xmlDocument(root: Record<string, unknown>): string {
  return builder.build({ ...DECLARATION, ...root }) as string;
}

/** A parsed XML body, or why it is not well-formed. */
export type ParsedXml = { kind: 'xml'; doc: Record<string, unknown> } | { kind: 'malformed'; message: string };

/** Parses a request body as XML; a body that is not well-formed XML is `malformed` (vendor notes §6.4: MalformedXML). */
export function parseXml(body: Buffer): ParsedXml {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { kind: 'malformed', message: 'the XML body is not valid UTF-8' };
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { kind: 'malformed', message: `the XML body is not well-formed: ${valid.err.msg}` };
  try {
    const doc: unknown = parser.parse(text);
    if (typeof doc !== 'object' || doc === null) return { kind: 'malformed', message: 'the XML body has no root element' };
    return { kind: 'xml', doc: doc as Record<string, unknown> };
  } catch (error) {
    return { kind: 'malformed', message: `the XML body is not well-formed: ${(error as Error).message}` };
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const r = record(value);
  // An element with attributes and text parses as {'#text': ..., '@_...': ...}.
  if (r !== undefined && typeof r['#text'] === 'string') return r['#text'];
  return undefined;
}

/** One grant read from an ACL body, loosely typed so that the reference validator judges it. */
export interface ReadGrant {
  grantee: unknown;
  permission: unknown;
  delivered: boolean;
}

/** What an AccessControlPolicy body says: its grants (unchecked), or why it is not an ACL document. */
export type ReadAcl = { kind: 'acl'; grants: ReadGrant[] } | { kind: 'invalid'; message: string };

/** Maps a `<Canned>` value (OBS shape) or a `<URI>` (S3 shape) to a group name; an unknown one is passed on as written, for the validator to refuse. */
function groupOf(value: string): string {
  if (value === 'Everyone' || value === 'AllUsers' || value === GROUP_URIS.Everyone) return 'Everyone';
  if (value === 'AuthenticatedUsers' || value === GROUP_URIS.AuthenticatedUsers) return 'AuthenticatedUsers';
  // The SDK's obsAllowedUri spells it `Logdelivery` (vendor notes §5.4).
  if (value === 'LogDelivery' || value === 'Logdelivery' || value === GROUP_URIS.LogDelivery) return 'LogDelivery';
  return value;
}

/**
 * Reads the grants of a parsed `AccessControlPolicy` (vendor notes §5.1 OBS shape, §5.4 S3
 * shape, §8.4 what the SDK sends). The grantee becomes `{account}` for `<ID>`, `{group}` for
 * `<Canned>` or `<URI>`, and `{}` when it names neither: the reference's `validateAcl` decides
 * what is acceptable.
 */
export function readAcl(doc: Record<string, unknown>): ReadAcl {
  const root = record(doc['AccessControlPolicy']) ?? (doc['AccessControlPolicy'] === '' ? {} : undefined);
  if (root === undefined) return { kind: 'invalid', message: 'the body must be an `AccessControlPolicy` document' };
  const list = root['AccessControlList'];
  const listRecord = record(list);
  if (list !== undefined && list !== '' && listRecord === undefined) return { kind: 'invalid', message: '`AccessControlList` must hold `Grant` elements' };
  const grants: ReadGrant[] = [];
  const raw = listRecord?.['Grant'];
  for (const g of Array.isArray(raw) ? raw : []) {
    const grant = record(g) ?? {};
    const granteeElement = record(grant['Grantee']);
    let grantee: unknown = {};
    if (granteeElement !== undefined) {
      const id = text(granteeElement['ID']);
      const canned = text(granteeElement['Canned']);
      const uri = text(granteeElement['URI']);
      if (id !== undefined) grantee = { account: id };
      else if (canned !== undefined) grantee = { group: groupOf(canned) };
      else if (uri !== undefined) grantee = { group: groupOf(uri) };
    }
    const delivered = text(grant['Delivered']);
    grants.push({ grantee, permission: text(grant['Permission']), delivered: delivered === 'true' });
  }
  return { kind: 'acl', grants };
}

/**
 * Renders a bucket ACL in the request's shape: OBS (`<Canned>`, `<Delivered>`), S3 (`xsi:type`,
 * `<URI>`, `DisplayName`), or `both` for an anonymous request whose dialect is unknown: each
 * grantee carries `xsi:type` and, for a group, both `<Canned>` and `<URI>`, so that the SDK's
 * OBS and V2 models both read it.
 */
export function renderAcl(shape: 'obs' | 's3' | 'both', owner: { id: string; displayName: string }, acl: readonly ObsGrant[], delivered: (grant: ObsGrant) => boolean): string {
  const grants = acl.map((grant) => {
    if (shape === 'obs') {
      const grantee = 'account' in grant.grantee ? { ID: grant.grantee.account } : { Canned: grant.grantee.group };
      return { Grantee: grantee, Permission: grant.permission, Delivered: String(delivered(grant)) };
    }
    const grantee = 'account' in grant.grantee
      ? { '@_xmlns:xsi': XSI, '@_xsi:type': 'CanonicalUser', ID: grant.grantee.account }
      : { '@_xmlns:xsi': XSI, '@_xsi:type': 'Group', ...(shape === 'both' ? { Canned: grant.grantee.group } : {}), URI: GROUP_URIS[grant.grantee.group] };
    return { Grantee: grantee, Permission: grant.permission, ...(shape === 'both' ? { Delivered: String(delivered(grant)) } : {}) };
  });
  const ownerElement = shape === 'obs' ? { ID: owner.id } : { ID: owner.id, DisplayName: owner.displayName };
  return xmlDocument({
    AccessControlPolicy: {
      '@_xmlns': shape === 'obs' ? OBS_XMLNS : S3_XMLNS,
      Owner: ownerElement,
      AccessControlList: grants.length === 0 ? '' : { Grant: grants },
    },
  });
}

/** Reads the location of a `CreateBucketConfiguration` (OBS `<Location>`, S3 `<LocationConstraint>`, vendor notes §8.4), or why the document is not one. */
export function readCreateBucketConfiguration(doc: Record<string, unknown>): { kind: 'config'; location?: string } | { kind: 'invalid'; message: string } {
  const value = doc['CreateBucketConfiguration'];
  if (value === '') return { kind: 'config' };
  const root = record(value);
  if (root === undefined) return { kind: 'invalid', message: 'the body must be a `CreateBucketConfiguration` document' };
  const location = text(root['Location']) ?? text(root['LocationConstraint']);
  return location === undefined || location === '' ? { kind: 'config' } : { kind: 'config', location };
}

/** The error document (vendor notes §6.4): Code, Message, Resource, RequestId, HostId, and extra fields (SignatureDoesNotMatch's StringToSign...). */
export function renderError(fields: { code: string; message: string; resource?: string; requestId: string; hostId: string; extra?: Readonly<Record<string, string>> }): string {
  const error: Record<string, string> = { Code: fields.code, Message: fields.message };
  if (fields.resource !== undefined) error['Resource'] = fields.resource;
  error['RequestId'] = fields.requestId;
  error['HostId'] = fields.hostId;
  for (const [k, v] of Object.entries(fields.extra ?? {})) error[k] = v;
  return xmlDocument({ Error: error });
}

/** What a `BucketLoggingStatus` body says: logging enabled into a target bucket (with a log prefix), disabled, or why it is not one. */
export type ReadLogging =
  | { kind: 'enabled'; targetBucket: string; targetPrefix: string }
  | { kind: 'disabled' }
  | { kind: 'invalid'; message: string };

/**
 * Reads a PutBucketLogging body: `<BucketLoggingStatus>` with `<LoggingEnabled>` holding
 * `<TargetBucket>` and an optional `<TargetPrefix>` enables logging; an empty
 * `<BucketLoggingStatus/>` disables it (what the SDK's `setBucketLogging` sends without
 * `LoggingEnabled`). `Agency` and `TargetGrants` are accepted and not read.
 */
export function readLoggingStatus(doc: Record<string, unknown>): ReadLogging {
  const value = doc['BucketLoggingStatus'];
  if (value === '') return { kind: 'disabled' };
  const root = record(value);
  if (root === undefined) return { kind: 'invalid', message: 'the body must be a `BucketLoggingStatus` document' };
  const enabled = root['LoggingEnabled'];
  if (enabled === undefined) return { kind: 'disabled' };
  const element = record(enabled);
  if (element === undefined) return { kind: 'invalid', message: '`LoggingEnabled` must hold `TargetBucket`' };
  const targetBucket = element['TargetBucket'] === '' ? '' : text(element['TargetBucket']);
  if (targetBucket === undefined) return { kind: 'invalid', message: '`LoggingEnabled` must hold `TargetBucket`' };
  const prefix = element['TargetPrefix'];
  return { kind: 'enabled', targetBucket, targetPrefix: prefix === undefined || prefix === '' ? '' : text(prefix) ?? '' };
}
