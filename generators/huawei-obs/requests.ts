import * as fc from 'fast-check';
import { OBS_ACTIONS, OBS_POLICY_ACTIONS, obsAction, type ObsAction, type ObsActionLevel } from '../../model/huawei-obs/actions.ts';
import type { ObsRequest } from '../../model/huawei-obs/types.ts';
import type { Capability, SourceAddressSpace } from '../../model/capabilities.ts';
import type { IpFamily } from '../alibaba-oss/ip.ts';
import { obsSourceAddress } from './ip.ts';
import { obsListPrefix, obsObjectKey, obsReferer, obsUserAgent } from './names.ts';
import { OBS_PRINCIPAL_KINDS, type ObsIdentity, type ObsPrincipalKind, type ObsScene } from './scene.ts';

/**
 * Requests by the identities of a scene for catalogue actions, with an object key for object
 * actions and a context that carries a value for every condition key the target lets a request
 * choose (generated cases always carry the keys they condition on, semantics of issue #4).
 */

/**
 * Condition keys the generators build values and conditions for (O1's general keys and the list
 * key `prefix`), with the capability a target needs to let a request choose each. There is no
 * capability of its own for the Referer header: it goes with the User-Agent, the other header a
 * client sets freely.
 */
export const OBS_CONTEXT_KEYS = {
  SourceIp: 'request.source-ip',
  UserAgent: 'request.user-agent',
  Referer: 'request.user-agent',
  prefix: 'request.prefix',
} as const satisfies Record<string, Capability>;
/** One condition key the generators know. */
export type ObsContextKey = keyof typeof OBS_CONTEXT_KEYS;

/** The capability a target needs to send requests as each kind of principal (IAM users are RAM users). */
export const OBS_KIND_CAPABILITIES: Readonly<Record<ObsPrincipalKind, Capability>> = {
  owner: 'principal.owner',
  'owner-user': 'principal.ram-user',
  'other-account': 'principal.other-account',
  'other-user': 'principal.ram-user',
  'log-delivery': 'principal.log-delivery',
  anonymous: 'principal.anonymous',
};

/** Kinds that count as the bucket owner (principal.account === owner): the account and its IAM users. */
export const OBS_OWNER_KINDS: readonly ObsPrincipalKind[] = ['owner', 'owner-user'];

/** Whether an identity is the bucket owner's (the account itself or one of its IAM users). */
export function isOwnerKind(kind: ObsPrincipalKind): boolean {
  return OBS_OWNER_KINDS.includes(kind);
}

/** Catalogue actions other than the bucket-policy APIs (which only OBS-OWNER-MANAGES asks about). */
export const OBS_REQUEST_ACTIONS: readonly ObsAction[] = OBS_ACTIONS.filter((a) => !OBS_POLICY_ACTIONS.includes(a.name));

/**
 * Request actions that leave the world as it was, for cases with several requests in one world:
 * all but PutBucketLogging, which grants the log delivery group WRITE and READ_ACP
 * (OBS-ACL-LOG-DELIVERY). PutBucketAcl stays: its body is the default private ACL, which the
 * world already has.
 */
export const OBS_STABLE_ACTIONS: readonly ObsAction[] = OBS_REQUEST_ACTIONS.filter((a) => a.name !== 'PutBucketLogging');

/** Catalogue actions that no bucket ACL permission maps: the owner has them by default (step 6). */
export const OBS_OWNER_DEFAULT_ACTIONS: readonly ObsAction[] = OBS_REQUEST_ACTIONS.filter((a) => a.acl === undefined);

/** A generated request with the identity that sends it and the catalogue entry of its action. */
export interface GeneratedObsRequest {
  identity: ObsIdentity;
  action: ObsAction;
  request: ObsRequest;
}

/** Options of `obsRequest`. */
export interface ObsRequestOptions {
  /** Kinds of principal (default: every kind the capabilities allow). */
  kinds?: readonly ObsPrincipalKind[];
  /** Exactly these identities (overrides `kinds`). */
  identities?: readonly ObsIdentity[];
  /** Exactly these actions, by catalogue entry or name (overrides `levels`; policy APIs only when named here). */
  actions?: ReadonlyArray<ObsAction | string>;
  /** Action levels (default both), among the non-policy actions. */
  levels?: readonly ObsActionLevel[];
  /** What the target can do (default: everything). */
  capabilities?: ReadonlySet<Capability>;
  /** Address family of the source address (default either). */
  family?: IpFamily;
  /** Where the target's requests can come from, when not any address: source addresses are drawn from these blocks. */
  sourceAddresses?: SourceAddressSpace | undefined;
  /** The actions the target can be sent, when not the whole catalogue: requests use only these. */
  targetActions?: ReadonlySet<string> | undefined;
}

/** The actions of `pool` a target can be sent (names compared ignoring case, O1): all of them when `available` is not given. */
export function availableObsActions<A extends ObsAction | string>(pool: readonly A[], available: ReadonlySet<string> | undefined): A[] {
  if (available === undefined) return [...pool];
  const names = new Set([...available].map((n) => n.toLowerCase()));
  return pool.filter((a) => names.has((typeof a === 'string' ? a : a.name).toLowerCase()));
}

/** The principal kinds among `wanted` a target can send requests as. */
export function obsKinds(capabilities: ReadonlySet<Capability> | undefined, wanted: readonly ObsPrincipalKind[] = OBS_PRINCIPAL_KINDS): ObsPrincipalKind[] {
  return wanted.filter((k) => {
    return capabilities === undefined || capabilities.has(OBS_KIND_CAPABILITIES[k]);
  });
}

/** The condition keys whose values a request may choose, given the target's capabilities. */
export function settableObsKeys(capabilities: ReadonlySet<Capability> | undefined): ObsContextKey[] {
  return (Object.keys(OBS_CONTEXT_KEYS) as ObsContextKey[]).filter((k) => capabilities === undefined || capabilities.has(OBS_CONTEXT_KEYS[k]));
}

function resolve(action: ObsAction | string): ObsAction {
  if (typeof action !== 'string') return action;
  const found = obsAction(action);
  if (!found) throw new Error(`\`${action}\` is not in the OBS action catalogue`);
  return found;
}

/**
 * The identity of a scene that sends requests as `principal`; a principal the scene does not
 * hold gets the kind its shape gives (the owner's account or user, another account or user).
 */
export function identityOf(s: ObsScene, principal: ObsRequest['principal']): ObsIdentity {
  const same = (p: ObsRequest['principal']) =>
    typeof p === 'string' || typeof principal === 'string' ? p === principal : p.account === principal.account && p.user === principal.user;
  const found = s.identities.find((i) => same(i.principal));
  if (found) return found;
  if (typeof principal === 'string') return { kind: principal === 'anonymous' ? 'anonymous' : 'log-delivery', principal };
  const owner = principal.account === s.bucket.owner;
  const kind = principal.user === undefined ? (owner ? 'owner' : 'other-account') : owner ? 'owner-user' : 'other-user';
  return { kind, principal };
}

/**
 * A plain request with its identity and catalogue entry, for the statement builders: requests
 * written by hand (or by another generator) are built around like generated ones.
 */
export function asGeneratedRequest(s: ObsScene, r: GeneratedObsRequest | ObsRequest): GeneratedObsRequest {
  if ('request' in r && 'identity' in r) return r;
  const request = r as ObsRequest;
  return { identity: identityOf(s, request.principal), action: resolve(request.action), request };
}

/** The default private ACL of a scene's bucket: the owner has FULL_CONTROL. */
export function defaultAcl(s: ObsScene): NonNullable<ObsRequest['acl']> {
  return [{ grantee: { account: s.bucket.owner }, permission: 'FULL_CONTROL' }];
}

/**
 * A request by one identity of the scene. Its context holds a source address, a User-Agent and a
 * Referer (as the capabilities allow), and a list prefix for ListBucket/ListBucketVersions. The
 * management actions carry a valid body: PutBucketAcl the default private ACL (which changes
 * nothing), PutBucketLogging the bucket itself as target, PutBucketPolicy a one-statement
 * policy. With `sourceAddresses` and `targetActions`, only what the target can send.
 */
export function obsRequest(s: ObsScene, options: ObsRequestOptions = {}): fc.Arbitrary<GeneratedObsRequest> {
  const kinds = options.kinds ?? obsKinds(options.capabilities);
  const identities = options.identities ? [...options.identities] : s.identities.filter((i) => kinds.includes(i.kind));
  if (identities.length === 0) throw new Error(`no identity of kinds ${kinds.join(', ')} in the scene`);
  const wanted = options.actions ? options.actions.map(resolve) : OBS_REQUEST_ACTIONS.filter((a) => (options.levels ?? ['bucket', 'object']).includes(a.level));
  const actions = availableObsActions(wanted, options.targetActions);
  if (actions.length === 0) throw new Error(wanted.length === 0 ? 'no action to request' : `none of the actions ${wanted.map((a) => a.name).join(', ')} is available`);
  const keys = new Set(settableObsKeys(options.capabilities));
  return fc
    .record({
      identity: fc.constantFrom(...identities),
      action: fc.constantFrom(...actions),
      key: obsObjectKey(),
      ip: obsSourceAddress(options.family, options.sourceAddresses),
      agent: obsUserAgent(),
      referer: obsReferer(),
      prefix: obsListPrefix(),
    })
    .map(({ identity, action, key, ip, agent, referer, prefix }) => {
      const context: Record<string, string> = {};
      if (keys.has('SourceIp')) context['SourceIp'] = ip;
      if (keys.has('UserAgent')) context['UserAgent'] = agent;
      if (keys.has('Referer')) context['Referer'] = referer;
      if (keys.has('prefix') && action.keys?.includes('prefix')) context['prefix'] = prefix;
      const request: ObsRequest = { principal: identity.principal, action: action.name, context };
      if (action.level === 'object') request.object = key;
      if (action.name === 'PutBucketAcl') request.acl = defaultAcl(s);
      if (action.name === 'PutBucketLogging') request.logging = { targetBucket: s.bucket.name };
      if (action.name === 'PutBucketPolicy') {
        request.policy = { Statement: [{ Effect: 'Allow', Principal: { ID: [`domain/${s.bucket.owner}:user/*`] }, Action: ['GetObject'], Resource: [`${s.bucket.name}/*`] }] };
      }
      return { identity, action, request };
    });
}
