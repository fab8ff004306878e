/**
 * Test helpers for the OSS reference evaluator: decide a request against a policy value in one
 * call. Expected outcomes stay in the tests, written literally.
 */
import type { AliBucket, AliRequest, AliWorld } from '../../../../model/alibaba-oss/types.ts';
import { createAliEvaluator, type AliDecision, type AliSemantics } from '../../../../adapters/reference/alibaba-oss/index.ts';

/** The bucket of the seed's scenarios: `example-bucket`, owned by `174649585760xxxx`. */
export const SEED_BUCKET: AliBucket = { name: 'example-bucket', owner: '174649585760xxxx' };

/** The world of a bucket (the seed bucket unless given) with a policy. */
export function worldOf(policy: unknown, bucket: AliBucket = SEED_BUCKET): AliWorld {
  return { vendor: 'alibaba-oss', bucket, policy };
}

/**
 * Decides `requests` against `policy` (a JSON value, or undefined for no policy) in `bucket`,
 * with the documented semantics unless `overrides` are given. Fails the test when the policy is
 * rejected, so that a rejection can never pass for a decision.
 */
export function decideAll(policy: unknown, requests: readonly AliRequest[], bucket: AliBucket = SEED_BUCKET, overrides: Partial<AliSemantics> = {}): AliDecision[] {
  const ali = createAliEvaluator(overrides);
  let compiled;
  if (policy === undefined) {
    compiled = ali.compile(undefined);
  } else {
    const parsed = ali.parse(typeof policy === 'string' ? policy : JSON.stringify(policy));
    if (parsed.kind === 'rejected') throw new Error(`policy rejected: ${parsed.ec} ${parsed.message}`);
    compiled = ali.compile(parsed);
  }
  const world = worldOf(policy, bucket);
  return requests.map((r) => ali.evaluate(compiled, world, r));
}

/** Decides one request; see decideAll. */
export function decide(policy: unknown, request: AliRequest, bucket: AliBucket = SEED_BUCKET, overrides: Partial<AliSemantics> = {}): AliDecision {
  return decideAll(policy, [request], bucket, overrides)[0] as AliDecision;
}

/** A one-statement policy. */
export function policyOf(...statements: Record<string, unknown>[]): Record<string, unknown> {
  return { Version: '1', Statement: statements };
}
