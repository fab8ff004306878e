import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Capability } from '../../model/capabilities.ts';
import type { ObsRequest, ObsWorld } from '../../model/huawei-obs/types.ts';
import type { ExampleCheck, Rule } from '../../model/rule.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { OBS_POLICY_PROPERTIES } from '../../suites/properties/huawei-obs/index.ts';
import { parseRulesMarkdown } from '../../suites/spec/inventory.ts';
import { loadSpecs } from '../../suites/spec/load.ts';

// The Huawei OBS rule documents of specs/: one per RULES.md id, and examples that a target
// lacking a capability they use skips rather than fails.
const rules: Rule[] = await loadSpecs({ specsDir: 'specs', properties: PROPERTIES, vendors: ['huawei-obs'] });
const inventory = parseRulesMarkdown(await readFile('specs/_meta/RULES.md', 'utf8'));

const KEY_CAPABILITIES: Record<string, Capability> = { SourceIp: 'request.source-ip', UserAgent: 'request.user-agent', Referer: 'request.user-agent', prefix: 'request.prefix' };

/** The capabilities an OBS example uses, read off its world and requests. */
function used(check: ExampleCheck): Set<string> {
  const world = check.world as ObsWorld;
  const need = new Set<string>();
  if (world.policy !== undefined) need.add('policy');
  if (typeof world.policy === 'string') need.add('policy.raw');
  if (world.acl !== undefined) need.add('acl');
  if (check.expectWorld?.status !== undefined || check.expectWorld?.code !== undefined) need.add('observe.status');
  for (const { request, expect: e } of check.requests) {
    const r = request as ObsRequest;
    const p = r.principal;
    if (p === 'anonymous') need.add('principal.anonymous');
    else if (p === 'log-delivery') need.add('principal.log-delivery');
    else if (p.user !== undefined) need.add('principal.ram-user');
    else need.add(p.account === world.bucket.owner ? 'principal.owner' : 'principal.other-account');
    if (r.action.endsWith('BucketPolicy')) need.add('policy');
    if (typeof r.policy === 'string') need.add('policy.raw');
    if (r.action === 'PutBucketAcl') need.add('acl');
    for (const key of Object.keys(r.context ?? {})) need.add(KEY_CAPABILITIES[key] ?? `an unknown key ${key}`);
    if (e.status !== undefined || e.code !== undefined) need.add('observe.status');
  }
  return need;
}

describe('the huawei-obs rule documents', () => {
  it('cover every OBS id of RULES.md, and every X id with a huawei-obs document', () => {
    const ids = new Set(rules.map((r) => r.id));
    const wanted = inventory.filter((e) => e.vendor === 'huawei-obs' || e.vendor === 'common').map((e) => e.id);
    expect(wanted.filter((id) => !ids.has(id))).toEqual([]);
    expect(wanted.length).toBe(24);
  });

  it('require every capability their examples use, at the rule or at the check', () => {
    const gaps: string[] = [];
    for (const rule of rules) {
      for (const check of rule.checks) {
        if (check.kind !== 'example') continue;
        const declared = new Set<string>([...rule.requires, ...(check.requires ?? [])]);
        const missing = [...used(check)].filter((c) => !declared.has(c));
        if (missing.length > 0) gaps.push(`${rule.id} / ${check.name}: ${missing.join(', ')}`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('keep the size examples of OBS-LIMIT-SIZE far from 20 KB on either side, whatever a KB is', () => {
    const sizes = rules
      .filter((r) => r.id.startsWith('OBS-LIMIT-SIZE'))
      .flatMap((r) => r.checks.filter((c): c is ExampleCheck => c.kind === 'example'))
      .flatMap((c) => [
        { policy: (c.world as ObsWorld).policy, rejected: c.expectWorld?.decision === 'rejected' },
        ...c.requests.filter((r) => (r.request as ObsRequest).policy !== undefined).map((r) => ({ policy: (r.request as ObsRequest).policy, rejected: r.expect.decision === 'rejected' })),
      ])
      .filter((x) => x.policy !== undefined)
      .map((x) => ({ bytes: new TextEncoder().encode(JSON.stringify(x.policy)).length, rejected: x.rejected }));
    expect(sizes.filter((s) => s.rejected).length).toBeGreaterThan(0);
    for (const s of sizes) {
      if (s.rejected) expect(s.bytes).toBeGreaterThan(1.2 * 20480);
      else expect(s.bytes).toBeLessThan(0.8 * 20000);
    }
  });

  it('give a reading of the policy documents only to the child rule that owns it, and each owner its reading', () => {
    const owners: Record<string, string> = {
      'action-case': 'OBS-WILDCARD.action-case',
      'stringlike-case': 'OBS-CONDITIONS.stringlike-case',
      'resource-case': 'OBS-WILDCARD.resource-case',
    };
    const policyProperties = new Set(OBS_POLICY_PROPERTIES.map((p) => p.name));
    const given: string[] = [];
    for (const rule of rules) {
      for (const check of rule.checks) {
        if (check.kind !== 'property' || !policyProperties.has(check.property)) continue;
        for (const reading of ((check.params as { readings?: string[] }).readings ?? [])) given.push(`${rule.id}: ${reading}`);
      }
    }
    expect(given.sort()).toEqual(Object.entries(owners).map(([reading, id]) => `${id}: ${reading}`).sort());
  });
});
