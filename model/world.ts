import type { AliRequest, AliWorld } from './alibaba-oss/types.ts';
import { ConformanceError } from './errors.ts';
import type { ApsRequest, ApsWorld } from './aps-oss/types.ts';
import type { ObsRequest, ObsWorld } from './huawei-obs/types.ts';

/** A world: everything a target must hold before requests are sent (bucket, owner, policy). One variant per vendor. */
export type World = AliWorld | ApsWorld | ObsWorld;

/** A request to a prepared world. One variant per vendor, matching the world's. */
export type Request = AliRequest | ApsRequest | ObsRequest;

/** A world of one vendor. */
export type WorldOf<V extends World['vendor']> = Extract<World, { vendor: V }>;

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The policy text a world (or a PutBucketPolicy) submits: none when absent, a string verbatim,
 * raw bytes verbatim (so that invalid UTF-8 can be submitted), any other value as compact JSON.
 * `decodeUtf8`: bytes that are valid UTF-8 come back as a string (the live adapters rewrite the
 * bucket names in it); others stay bytes, for the target to refuse. A value with no JSON text
 * (a function, a symbol, a cycle) is a CONFORMANCE_INPUT error.
 */
export function worldPolicyText(policy: unknown, options: { decodeUtf8?: boolean } = {}): string | Uint8Array | undefined {
  if (policy === undefined) return undefined;
  if (typeof policy === 'string') return policy;
  if (policy instanceof Uint8Array) {
    if (!options.decodeUtf8) return policy;
    try {
      return UTF8.decode(policy);
    } catch {
      return policy;
    }
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(policy);
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `world policy cannot be serialized as JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // JSON.stringify gives undefined for functions and symbols: there is no text to submit.
  if (text === undefined) throw new ConformanceError('CONFORMANCE_INPUT', `world policy of type \`${typeof policy}\` cannot be serialized as JSON`);
  return text;
}
