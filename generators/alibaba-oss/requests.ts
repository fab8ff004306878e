import * as fc from 'fast-check';
import type { ActionLevel, AliAction } from '../../model/alibaba-oss/actions.ts';
import type { AliRequest } from '../../model/alibaba-oss/types.ts';
import type { Capability, SourceAddressSpace } from '../../model/capabilities.ts';
import { action, availableActions } from './actions.ts';
import { identitiesOf, type Identity, type PrincipalKind, type Scene } from './identities.ts';
import { sourceAddress, type IpFamily } from './ip.ts';
import { objectKey, roleOrSessionName, stringOf, vpcId } from './names.ts';

/** A generated request with the identity that sends it and the catalogue entry of its action. */
export interface GeneratedRequest {
  identity: Identity;
  action: AliAction;
  request: AliRequest;
}

/** Condition keys the generators build values and conditions for, and the capability a target needs to let a request choose each. */
export const CONTEXT_KEYS = {
  'acs:SourceIp': 'request.source-ip',
  'acs:SourceVpc': 'request.source-vpc',
  'acs:AccessId': 'request.access-id',
  'oss:Prefix': 'request.prefix',
  'oss:x-oss-acl': 'request.acl-header',
  'oss:x-oss-object-acl': 'request.acl-header',
} as const satisfies Record<string, Capability>;
/** One condition key the generators know. */
export type ContextKey = keyof typeof CONTEXT_KEYS;

/** The bucket ACL values a PutBucketAcl request can carry (vendor notes §2.2). */
export const BUCKET_ACL_VALUES = ['private', 'public-read', 'public-read-write'] as const;
/** The object ACL values a PutObjectAcl request can carry (vendor notes §2.2). */
export const OBJECT_ACL_VALUES = ['default', 'private', 'public-read', 'public-read-write'] as const;

/** Options for generated requests: which principals and action levels, and which request controls the target has. */
export interface RequestOptions {
  kinds?: readonly PrincipalKind[];
  levels?: readonly ActionLevel[];
  /** Exactly these actions (overrides `levels`). */
  actions?: readonly AliAction[];
  /** Exactly these identities (overrides `kinds`). */
  identities?: readonly Identity[];
  capabilities: ReadonlySet<Capability>;
  family?: IpFamily;
  /** Where the target's requests can come from, when not any address: source addresses are drawn from these blocks. */
  sourceAddresses?: SourceAddressSpace | undefined;
  /** The actions the target can be sent, when not the whole catalogue: requests use only these (with `actions` or `levels`). */
  targetActions?: ReadonlySet<string> | undefined;
}

/** The condition keys whose values a request may choose, given the target's capabilities. */
export function settableKeys(capabilities: ReadonlySet<Capability>): ContextKey[] {
  return (Object.keys(CONTEXT_KEYS) as ContextKey[]).filter((k) => capabilities.has(CONTEXT_KEYS[k]));
}

/** The principal kinds a target can send requests as. */
export function availableKinds(capabilities: ReadonlySet<Capability>, wanted: readonly PrincipalKind[] = ['owner', 'other-account', 'ram-user', 'role-session', 'anonymous']): PrincipalKind[] {
  return wanted.filter((k) => capabilities.has(`principal.${k}` as Capability));
}

/**
 * The levels of requests a bucket policy decides and the target can send: bucket and object
 * actions, and vector-index actions when the target has vector buckets. Service-level actions
 * (ListBuckets) are not about one bucket, so its policy does not decide them.
 */
export function defaultLevels(capabilities: ReadonlySet<Capability>): ActionLevel[] {
  return capabilities.has('bucket.vector') ? ['bucket', 'object', 'vector-index'] : ['bucket', 'object'];
}

function targetActions(actions: readonly AliAction[], available: ReadonlySet<string> | undefined): AliAction[] {
  const usable = availableActions(actions, available);
  if (usable.length === 0) throw new Error(`none of the actions ${actions.map((a) => a.name).join(', ')} is available`);
  return usable;
}

/**
 * A request by one identity of the scene. Its context holds a value for every settable key
 * that applies to the action: a source address always, a VPC or none (public network), the
 * identity's AccessKey ID, a list prefix or none, an ACL header value. With `sourceAddresses`
 * and `targetActions`, only what the target can send.
 */
export function requestIn(s: Scene, options: RequestOptions): fc.Arbitrary<GeneratedRequest> {
  const kinds = options.kinds ?? availableKinds(options.capabilities);
  const identities = options.identities ? [...options.identities] : identitiesOf(s).filter((i) => kinds.includes(i.kind));
  if (identities.length === 0) throw new Error(`no identity of kinds ${kinds.join(', ')} in the scene`);
  const keys = new Set(settableKeys(options.capabilities));
  return fc
    .record({
      identity: fc.constantFrom(...identities),
      action: options.actions ? fc.constantFrom(...targetActions(options.actions, options.targetActions)) : action(options.levels ?? defaultLevels(options.capabilities), options.targetActions),
      key: objectKey(),
      index: roleOrSessionName(),
      ip: sourceAddress(options.family, options.sourceAddresses),
      vpc: fc.option(vpcId(), { nil: undefined }),
      prefix: fc.option(fc.oneof(fc.constant(''), stringOf('abcdefghijklmnopqrstuvwxyz0123456789/', 1, 10)), { nil: undefined }),
      bucketAcl: fc.constantFrom(...BUCKET_ACL_VALUES),
      objectAcl: fc.option(fc.constantFrom(...OBJECT_ACL_VALUES), { nil: undefined }),
    })
    .map(({ identity, action: a, key, index, ip, vpc, prefix, bucketAcl, objectAcl }) => {
      const context: Record<string, string> = {};
      if (keys.has('acs:SourceIp')) context['acs:SourceIp'] = ip;
      if (keys.has('acs:SourceVpc') && vpc !== undefined) context['acs:SourceVpc'] = vpc;
      if (keys.has('acs:AccessId') && identity.accessId) context['acs:AccessId'] = identity.accessId;
      const actionKeys = a.keys ?? [];
      if (keys.has('oss:Prefix') && actionKeys.includes('oss:Prefix') && prefix !== undefined) context['oss:Prefix'] = prefix;
      if (keys.has('oss:x-oss-acl') && actionKeys.includes('oss:x-oss-acl')) context['oss:x-oss-acl'] = bucketAcl;
      // PutObject may leave the header out; PutObjectAcl cannot (vendor notes §2.2: without it the
      // request is refused, EC 0017-00000105), so it always carries one.
      const aclRequired = a.name === 'oss:PutObjectAcl' || a.name === 'oss:PutObjectVersionAcl';
      const objectAclSent = objectAcl ?? (aclRequired ? 'default' : undefined);
      if (keys.has('oss:x-oss-object-acl') && actionKeys.includes('oss:x-oss-object-acl') && objectAclSent !== undefined) {
        context['oss:x-oss-object-acl'] = objectAclSent;
      }
      const request: AliRequest = { principal: identity.principal, action: a.name, context };
      if (a.level === 'object') request.object = key;
      if (a.level === 'vector-index') request.object = index;
      return { identity, action: a, request };
    });
}
