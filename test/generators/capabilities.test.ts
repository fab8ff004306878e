import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestIn, scene } from '../../generators/alibaba-oss/index.ts';
import { CAPABILITIES } from '../../model/capabilities.ts';

describe('requestIn honours the target', () => {
  const s = fc.sample(scene(), { seed: 1, numRuns: 1 })[0]!;

  it('sends no vector-index request to a target without vector buckets, and no service-level request at all', () => {
    const caps = new Set(CAPABILITIES.filter((c) => c !== 'bucket.vector'));
    const levels = new Set(fc.sample(requestIn(s, { capabilities: caps }), { seed: 1, numRuns: 500 }).map((r) => r.action.level));
    expect([...levels].sort()).toEqual(['bucket', 'object']);
  });

  it('sends vector-index requests to a target with vector buckets', () => {
    const levels = fc.sample(requestIn(s, { capabilities: new Set(CAPABILITIES) }), { seed: 1, numRuns: 500 }).map((r) => r.action.level);
    expect(levels).toContain('vector-index');
    expect(levels).not.toContain('service');
  });

  it('sets only the context keys the target lets a request choose', () => {
    const caps = new Set(CAPABILITIES.filter((c) => c !== 'request.source-vpc' && c !== 'request.access-id'));
    const keys = new Set(fc.sample(requestIn(s, { capabilities: caps }), { seed: 2, numRuns: 300 }).flatMap((r) => Object.keys(r.request.context ?? {})));
    expect(keys.has('acs:SourceVpc')).toBe(false);
    expect(keys.has('acs:AccessId')).toBe(false);
    expect(keys.has('acs:SourceIp')).toBe(true);
  });
});
