import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../model/capabilities.ts';
import type { ExpectationCase, ExpectedRequest, RelationCase, SequenceCase, StepDriver } from '../../model/case.ts';
import type { ObsGrant, ObsPrincipal, ObsRequest, ObsWorld } from '../../model/huawei-obs/types.ts';
import { aclGrant, aclOrder } from '../../suites/properties/huawei-obs/acl.ts';
import { policyAndAcl } from '../../suites/properties/huawei-obs/combined.ts';
import { aclSequence, policySequence } from '../../suites/properties/huawei-obs/sequences.ts';
import type { PropertyEnv } from '../../suites/properties/types.ts';

/**
 * The OBS ACL, combined and sequence properties build cases whose outcome is known; these tests
 * check the construction against a small independent re-statement of seed 004's tables (who a
 * grantee covers, what a permission grants) and of the policy rules of the semantics.
 */

const ENV: PropertyEnv = { capabilities: new Set(CAPABILITIES), rule: { id: 'TEST', vendor: 'huawei-obs' }, tables: {} };

/** Seed 004, Table 2 and vendor notes §2: the bucket ACL permission each action needs. */
const NEEDS: Record<string, string> = {
  ListBucket: 'READ', ListBucketVersions: 'READ', HeadBucket: 'READ', ListBucketMultipartUploads: 'READ',
  PutObject: 'WRITE', DeleteObject: 'WRITE', DeleteObjectVersion: 'WRITE', GetBucketAcl: 'READ_ACP', PutBucketAcl: 'WRITE_ACP',
};

/** Seed 004, Table 1 (literal reading of registered users). */
function covers(g: ObsGrant, p: ObsPrincipal): boolean {
  if ('account' in g.grantee) return typeof p !== 'string' && p.account === g.grantee.account;
  if (g.grantee.group === 'Everyone') return true;
  if (g.grantee.group === 'LogDelivery') return p === 'log-delivery';
  return typeof p !== 'string' && p.user === undefined;
}

function allowedByAcl(world: ObsWorld, r: ObsRequest): boolean {
  const owner = typeof r.principal !== 'string' && r.principal.account === world.bucket.owner;
  if (owner && (r.action === 'GetBucketAcl' || r.action === 'PutBucketAcl')) return true;
  const acl = world.acl ?? [{ grantee: { account: world.bucket.owner }, permission: 'FULL_CONTROL' }];
  return acl.some((g) => covers(g, r.principal) && (g.permission === 'FULL_CONTROL' || g.permission === NEEDS[r.action]));
}

describe('obs-acl-grant', () => {
  it('builds each case so that the ACL decides it as expected, reaching every label value', () => {
    const cases = fc.sample(aclGrant.cases({}, ENV), { seed: 404, numRuns: 600 }) as ExpectationCase[];
    const seen: Record<string, Set<string>> = {};
    for (const c of cases) {
      const world = c.world as ObsWorld;
      const r = c.requests[0]!;
      expect(allowedByAcl(world, r.request as ObsRequest) ? 'allow' : 'deny').toBe(r.expect.decision);
      for (const [k, v] of Object.entries({ ...c.labels, ...r.labels, outcome: r.expect.decision })) (seen[k] ??= new Set()).add(v);
    }
    expect([...seen['grantee']!].sort()).toEqual(['AuthenticatedUsers', 'Everyone', 'LogDelivery', 'account', 'owner']);
    expect([...seen['permission']!].sort()).toEqual(['FULL_CONTROL', 'READ', 'READ_ACP', 'WRITE', 'WRITE_ACP']);
    expect([...seen['missed']!].sort()).toEqual(['grantee', 'none', 'permission']);
    expect(seen['principal']!.size).toBe(6);
  });

  it('keeps the decisive grant within the params', () => {
    const cases = fc.sample(aclGrant.cases({ permissions: ['READ'], grantees: ['AuthenticatedUsers'] }, ENV), { seed: 405, numRuns: 100 }) as ExpectationCase[];
    for (const c of cases) {
      expect(c.labels).toMatchObject({ permission: 'READ', grantee: 'AuthenticatedUsers' });
      expect((c.world as ObsWorld).acl).toContainEqual({ grantee: { group: 'AuthenticatedUsers' }, permission: 'READ' });
    }
  });
});

describe('readings', () => {
  const iamUser = (r: ObsRequest) => typeof r.principal !== 'string' && r.principal.user !== undefined;
  const registered = (w: ObsWorld) => (w.acl ?? []).some((g) => 'group' in g.grantee && g.grantee.group === 'AuthenticatedUsers');

  it('without registered-iam-users, no case puts an IAM user under a grant to registered users', () => {
    for (const c of fc.sample(aclGrant.cases({}, ENV), { seed: 410, numRuns: 800 }) as ExpectationCase[]) {
      expect(iamUser(c.requests[0]!.request as ObsRequest) && registered(c.world as ObsWorld)).toBe(false);
    }
  });

  it('with it, such cases are built (and decided by the literal reading)', () => {
    const cases = fc.sample(aclGrant.cases({ grantees: ['AuthenticatedUsers'], readings: ['registered-iam-users'] }, ENV), { seed: 411, numRuns: 300 }) as ExpectationCase[];
    const contested = cases.filter((c) => iamUser(c.requests[0]!.request as ObsRequest));
    expect(contested.length).toBeGreaterThan(0);
    for (const c of contested) expect(c.requests[0]!.expect.decision).toBe(allowedByAcl(c.world as ObsWorld, c.requests[0]!.request as ObsRequest) ? 'allow' : 'deny');
  });
});

describe('obs-acl-order and obs-policy-acl', () => {
  it('permutes the same grants, never the identity order', () => {
    for (const c of fc.sample(aclOrder.cases({}, ENV), { seed: 406, numRuns: 100 }) as RelationCase[]) {
      const base = (c.base as ObsWorld).acl!;
      const variant = (c.variant as ObsWorld).acl!;
      expect([...variant].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([...base].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
      expect(variant).not.toEqual(base);
      for (const r of c.requests) expect((r as ObsRequest).action).not.toBe('PutBucketAcl');
    }
  });

  it('grants the request in the ACL; a Deny naming it exactly denies it, other statements leave it allowed', () => {
    for (const c of fc.sample(policyAndAcl.cases({}, ENV), { seed: 407, numRuns: 200 }) as ExpectationCase[]) {
      const world = c.world as ObsWorld;
      const r = c.requests[0]!.request as ObsRequest;
      expect(allowedByAcl(world, r)).toBe(true);
      const [st] = (world.policy as { Statement: Array<{ Effect: string; Action: string[] }> }).Statement;
      const namesAction = st!.Action.includes(r.action);
      expect(c.requests[0]!.expect.decision).toBe(c.labels!['policy'] === 'deny-applies' ? 'deny' : 'allow');
      if (c.labels!['policy'] === 'deny-applies') expect([st!.Effect, namesAction]).toEqual(['Deny', true]);
    }
  });
});

/** Records the steps of a sequence; says every one passed. */
function recorder(): StepDriver & { steps: ExpectedRequest[] } {
  const steps: ExpectedRequest[] = [];
  return { steps, send: async (s) => void steps.push(s) };
}

describe('sequences', () => {
  it('obs-acl-sequence: every step matches a replay of the transcript on the re-stated ACL rules; the owner\'s permanent ACP is exercised', async () => {
    let kept = 0;
    for (const c of fc.sample(aclSequence.cases({}, ENV), { seed: 408, numRuns: 60 }) as SequenceCase[]) {
      const driver = recorder();
      await fc.asyncModelRun(() => ({ model: c.model() as object, real: driver }), c.steps as never);
      const world = { ...(c.world as ObsWorld) };
      for (const s of driver.steps) {
        const r = s.request as ObsRequest;
        const allowed = allowedByAcl(world, r);
        const valid = !(r.acl ?? []).some((g) => !['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'].includes(g.permission));
        expect(s.expect.decision, s.name).toBe(!allowed ? 'deny' : valid ? 'allow' : 'rejected');
        if (r.action === 'PutBucketAcl' && s.expect.decision === 'allow') world.acl = r.acl!;
        if (s.labels?.['owner-acp'] === 'kept') kept++;
      }
    }
    expect(kept).toBeGreaterThan(0);
  });

  it('obs-policy-sequence: only the owner manages the policy; a put replaces it; requests follow the current statements', async () => {
    for (const c of fc.sample(policySequence.cases({}, ENV), { seed: 409, numRuns: 60 }) as SequenceCase[]) {
      const driver = recorder();
      await fc.asyncModelRun(() => ({ model: c.model() as object, real: driver }), c.steps as never);
      const owner = (c.world as ObsWorld).bucket.owner;
      let policy: Array<{ Effect: string; Principal: { ID: string[] }; Action: string[] }> | undefined;
      for (const s of driver.steps) {
        const r = s.request as ObsRequest;
        const isOwner = typeof r.principal !== 'string' && r.principal.account === owner;
        if (r.action.endsWith('BucketPolicy')) {
          if (!isOwner) expect(s.expect.decision).toBe('deny');
          if (isOwner && r.action === 'GetBucketPolicy') expect(s.expect.decision).toBe(policy ? 'allow' : 'deny');
          if (isOwner && r.action === 'PutBucketPolicy') {
            expect(s.expect.decision).toBe(typeof r.policy === 'string' ? 'rejected' : 'allow');
            if (typeof r.policy !== 'string') policy = (r.policy as { Statement: never[] }).Statement;
          }
          if (isOwner && r.action === 'DeleteBucketPolicy') policy = undefined;
          continue;
        }
        const p = r.principal as { account: string; user?: string };
        // `domain/<account>:user/*` names the account and its IAM users; `domain/<account>:user/<user>` one user.
        const ids = [`domain/${p.account}:user/*`, ...(p.user === undefined ? [] : [`domain/${p.account}:user/${p.user}`])];
        const naming = (policy ?? []).filter((st) => st.Principal.ID.some((id) => ids.includes(id)) && st.Action.includes(r.action));
        const want = naming.some((st) => st.Effect === 'Deny') ? 'deny' : naming.some((st) => st.Effect === 'Allow') ? 'allow' : 'deny';
        expect(s.expect.decision, s.name).toBe(want);
      }
    }
  });
});
