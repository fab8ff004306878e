/**
 * How the owner gets through its own bucket's policy to put things back or remove them. A Deny
 * with `Principal: "*"` and a Condition applies to the bucket owner too (vendor notes
 * alibaba-oss.md §1.4; ALI-WILDCARD-COND-OWNER), so a world built to deny its owner may deny the
 * adapter's own maintenance requests (restoring an ACL, putting the policy again, deleting the
 * bucket at the end). Its conditions were written around the request the world is about; a
 * maintenance request can usually come from elsewhere: another loopback address, a VPC, a User-Agent.
 * This module proposes such contexts, built from the policy's own condition values, and keeps the
 * first one under which the documented semantics (the reference evaluator) let the owner in. It
 * decides nothing about the target: the request is sent and the target answers.
 */
import { createAliEvaluator } from '../../reference/alibaba-oss/index.ts';
import type { AliBucketAcl, AliRequest, AliWorld } from '../../../model/alibaba-oss/types.ts';
import { jsonStrings, policySlot } from './policy-text.ts';

/** A context a maintenance request can be sent with: the request controls the target lets the adapter choose. */
export interface EscapeContext {
  sourceIp?: string | undefined;
  sourceVpc?: string | undefined;
  userAgent?: string | undefined;
  referer?: string | undefined;
}

/** What the search may vary and what the target sees regardless. */
export interface EscapeOptions {
  /** Addresses requests may come from: any of 127.0.0.0/8 (`loopback`), or none to choose. */
  loopback: boolean;
  /** Without `loopback`: the address the target sees, when known. */
  address?: string | undefined;
  /** Whether `acs:SourceVpc` can be set (the emulator-only header). */
  sourceVpc: boolean;
  /** The owner's AccessKey id (`acs:AccessId` of its requests). */
  accessKeyId: string;
  /** `acs:SecureTransport` of every request: `true` for an https endpoint. */
  secure: boolean;
}

const evaluator = createAliEvaluator();
const MAX_TRIES = 400;

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

// 127.0.0.0/8 less its network and broadcast addresses: a socket bound to 127.255.255.255 is seen as 127.0.0.1.
const LOOPBACK_START = ipv4('127.0.0.1')!;
const LOOPBACK_END = ipv4('127.255.255.254')!;

/** Loopback addresses next to the edges of every IPv4 block the policy names (just inside and just outside). */
function addressCandidates(values: readonly string[]): string[] {
  const out = new Set<string>(['127.0.0.1', '127.255.255.254', '127.0.0.2']);
  for (const value of values) {
    const [address, bits] = value.split('/');
    const base = ipv4(address ?? '');
    if (base === undefined) continue;
    const prefix = bits === undefined ? 32 : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) continue;
    const size = 2 ** (32 - prefix);
    const first = Math.floor(base / size) * size;
    const last = first + size - 1;
    for (const n of [first - 1, first, first + 1, last - 1, last, last + 1]) if (n >= LOOPBACK_START && n <= LOOPBACK_END) out.add(formatIpv4(n));
  }
  return [...out];
}

/**
 * The first context under which the owner's `action` (on `object`, if any) is allowed by the
 * documented semantics of `policyText`, trying the default context first; undefined when none of
 * the candidates is (a Deny on the owner's address that covers all of 127.0.0.0/8, the time, ...).
 */
export function escapeContext(
  policyText: string,
  bucket: { name: string; owner: string; region: string; acl: AliBucketAcl },
  action: string,
  object: string | undefined,
  options: EscapeOptions,
  extra: Record<string, string> = {},
): EscapeContext | undefined {
  const parsed = evaluator.parse(policyText);
  if (parsed.kind === 'rejected') return undefined;
  const compiled = evaluator.compile(parsed);
  const values = new Map<string, string[]>();
  for (const t of jsonStrings(policyText) ?? []) {
    if (t.key) continue;
    const slot = policySlot(t.path);
    if (slot.kind !== 'condition') continue;
    const k = slot.key.toLowerCase();
    values.set(k, [...(values.get(k) ?? []), t.value]);
  }
  // Each value as written and, for a pattern, one string it matches (`*` as nothing, `?` as `a`).
  const literal = (k: string): string[] => [...new Set((values.get(k) ?? []).map((v) => v.replace(/\*/g, '').replace(/\?/g, 'a')))].filter((v) => /^[\t\x20-\x7e]*$/.test(v));
  const ips: (string | undefined)[] = options.loopback ? addressCandidates(values.get('acs:sourceip') ?? []) : [undefined];
  const vpcs: (string | undefined)[] = options.sourceVpc ? [undefined, ...literal('acs:sourcevpc'), 'vpc-bcescape0'] : [undefined];
  const agents: (string | undefined)[] = values.has('acs:useragent') ? [undefined, ...literal('acs:useragent'), 'bucket-conformance'] : [undefined];
  const referers: (string | undefined)[] = values.has('acs:referer') ? [undefined, ...literal('acs:referer'), 'http://bucket-conformance.invalid/'] : [undefined];
  const world: AliWorld = { vendor: 'alibaba-oss', bucket: { name: bucket.name, owner: bucket.owner, region: bucket.region, acl: bucket.acl } };
  let tries = 0;
  for (const sourceIp of ips) {
    for (const sourceVpc of vpcs) {
      for (const userAgent of agents) {
        for (const referer of referers) {
          if (++tries > MAX_TRIES) return undefined;
          const context: Record<string, string> = {
            ...extra,
            'acs:SourceIp': sourceIp ?? options.address ?? '127.0.0.1',
            'acs:SecureTransport': options.secure ? 'true' : 'false',
            'acs:CurrentTime': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            'acs:AccessId': options.accessKeyId,
          };
          if (sourceVpc !== undefined) context['acs:SourceVpc'] = sourceVpc;
          if (userAgent !== undefined) context['acs:UserAgent'] = userAgent;
          if (referer !== undefined) context['acs:Referer'] = referer;
          const request: AliRequest = { principal: bucket.owner, action, context };
          if (object !== undefined) request.object = object;
          if (evaluator.evaluate(compiled, world, request).decision === 'allow') return { sourceIp, sourceVpc, userAgent, referer };
        }
      }
    }
  }
  return undefined;
}
