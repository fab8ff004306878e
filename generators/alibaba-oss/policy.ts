import * as fc from 'fast-check';
import type { AliPolicy, AliStatement, AliWorld } from '../../model/alibaba-oss/types.ts';
import type { Scene } from './identities.ts';
import type { GeneratedRequest } from './requests.ts';
import { statementCovering, statementMissing, type BuiltStatement, type StatementOptions } from './statements.ts';

/** The world of a scene: its bucket, and a version-1 policy of `statements` (no policy when undefined). */
export function worldOf(s: Scene, statements: readonly AliStatement[] | undefined): AliWorld {
  const world: AliWorld = { vendor: 'alibaba-oss', bucket: { ...s.bucket } };
  if (statements !== undefined) world.policy = { Version: '1', Statement: [...statements] } satisfies AliPolicy;
  return world;
}

/** The same items in an order chosen by the generator (shrinks toward the original order). */
export function shuffled<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}

/**
 * A policy of realistic shape around some requests: for each request, one to `perRequest`
 * statements (Allow or Deny, with or without conditions) that apply to it or miss it. Which
 * statement applies to which request is known only for the request it was built around.
 */
export function statementsAround(s: Scene, requests: readonly GeneratedRequest[], options: { perRequest?: number; conditions?: StatementOptions['conditions'] } = {}): fc.Arbitrary<BuiltStatement[]> {
  const per = options.perRequest ?? 2;
  const one = (r: GeneratedRequest) =>
    fc
      .record({ effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'), covers: fc.boolean() })
      .chain(({ effect, covers }) => {
        const opts: StatementOptions = { effect, conditions: options.conditions ?? 'maybe' };
        return covers ? statementCovering(s, r, opts) : statementMissing(s, r, opts);
      });
  return fc.tuple(...requests.map((r) => fc.array(one(r), { minLength: 1, maxLength: per }))).chain((groups) => shuffled(groups.flat()));
}
