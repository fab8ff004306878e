/**
 * The semantics seam: each deliberately faulty target is built by overriding ONE entry, and each
 * changes exactly the behaviour it is meant to change. A grid of cells (a world, steps by the
 * owner that change the bucket, then one probe by one principal) is run with the documented
 * semantics and with the fault; every cell whose outcomes differ is reported at its first
 * differing step, and the differences are compared with what the fault should change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createObsReference, DOCUMENTED_OBS_SEMANTICS, type ObsSemantics } from '../../../../adapters/reference/huawei-obs/index.ts';
import type { ObsRequest, ObsWorld } from '../../../../model/huawei-obs/types.ts';
import { ACCOUNT_1, BUCKET, STRANGER, decided, once, policyOf, prepare, req, run, toAccount, toGroup, world, type Who } from './helpers.ts';

/** The worlds of the grid: default private; an ACL of groups that does not list the owner; a policy with an Allow and a Deny. */
const WORLDS: Record<string, ObsWorld> = {
  private: world(),
  groups: world({ acl: [toGroup('Everyone', 'READ'), toGroup('AuthenticatedUsers', 'WRITE'), toAccount(ACCOUNT_1, 'READ_ACP'), toGroup('LogDelivery', 'WRITE')] }),
  policy: world({
    policy: policyOf(
      { Effect: 'Allow', Principal: { ID: `domain/${ACCOUNT_1}:user/*` }, Action: ['GetObject', 'PutObject'], Resource: 'mybucket/*' },
      { Effect: 'Deny', Principal: '*', Action: 'GetObject', Resource: 'mybucket/secret.txt' },
    ),
  }),
};

/** Steps by the owner before the probe. */
const PREFIXES: Record<string, ObsRequest[]> = {
  none: [],
  'put-acl': [req('owner', 'PutBucketAcl', undefined, { acl: [toGroup('Everyone', 'READ')] })],
  'put-policy-twice': [
    req('owner', 'PutBucketPolicy', undefined, { policy: policyOf({ Effect: 'Allow', Principal: { ID: `domain/${ACCOUNT_1}:user/*` }, Action: 'PutObject', Resource: 'mybucket/*' }) }),
    req('owner', 'PutBucketPolicy', undefined, { policy: policyOf({ Effect: 'Allow', Principal: '*', Action: 'ListBucket', Resource: 'mybucket' }) }),
  ],
  logging: [req('owner', 'PutBucketLogging', undefined, { logging: { targetBucket: BUCKET } })],
};

const IDENTITIES: Who[] = ['owner', 'ownerUser', 'account1', 'user1', 'anonymous', 'logDelivery'];

const PROBES: Record<string, (who: Who) => ObsRequest> = {
  ListBucket: (who) => req(who, 'ListBucket'),
  PutObject: (who) => req(who, 'PutObject', 'a.txt'),
  'GetObject-secret': (who) => req(who, 'GetObject', 'secret.txt'),
  GetBucketAcl: (who) => req(who, 'GetBucketAcl'),
  PutBucketAcl: (who) => req(who, 'PutBucketAcl', undefined, { acl: [toAccount(ACCOUNT_1, 'READ')] }),
  GetBucketPolicy: (who) => req(who, 'GetBucketPolicy'),
};

/** One cell of the grid: its name, its world, its steps and a label of each step (`owner PutBucketAcl`). */
interface Cell {
  name: string;
  world: ObsWorld;
  steps: ObsRequest[];
  labels: string[];
}

/** The cells of the grid. */
function cells(): Cell[] {
  const out: Cell[] = [];
  for (const [w, wv] of Object.entries(WORLDS)) {
    for (const [p, steps] of Object.entries(PREFIXES)) {
      for (const who of IDENTITIES) {
        for (const [probe, make] of Object.entries(PROBES)) {
          out.push({ name: `${w}/${p}/${who}/${probe}`, world: wv, steps: [...steps, make(who)], labels: [...steps.map((r) => `owner ${r.action}`), `${who} ${probe}`] });
        }
      }
    }
  }
  return out;
}

const LABELS = new Map(cells().map((c) => [c.name, c.labels]));

/** The outcomes of every step of every cell. */
async function grid(fault: Partial<ObsSemantics> = {}): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const c of cells()) {
    const p = await createObsReference(fault).prepare(c.world);
    out.set(c.name, p.kind === 'ready' ? await run(p, c.steps) : [`world ${p.kind}`]);
  }
  return out;
}

/** One cell that differs: where it first differs, and how. */
interface Difference {
  cell: string;
  /** 0-based index of the first differing step; the last step is the probe. */
  step: number;
  probe: boolean;
  /** The label of that step. */
  label: string;
  before: string;
  after: string;
}

let documented: Map<string, string[]>;
beforeAll(async () => {
  documented = await grid();
});

async function changedBy(fault: Partial<ObsSemantics>): Promise<Difference[]> {
  const faulty = await grid(fault);
  const out: Difference[] = [];
  for (const [cell, before] of documented) {
    const after = faulty.get(cell)!;
    const step = before.findIndex((b, i) => after[i] !== b);
    if (step !== -1) out.push({ cell, step, probe: step === before.length - 1, label: LABELS.get(cell)![step]!, before: before[step]!, after: after[step] ?? '' });
  }
  return out;
}

/** Differences in short, as `cell: before -> after` (the probe's) or `cell @ step n: ...`. */
function shortly(ds: readonly Difference[]): string[] {
  return ds.map((d) => `${d.cell}${d.probe ? '' : ` @ step ${d.step}`}: ${d.before} -> ${d.after}`).sort();
}

describe('createObsReference', () => {
  it('uses the documented semantics when nothing is overridden', () => {
    expect(createObsReference().semantics).toBe(DOCUMENTED_OBS_SEMANTICS);
    expect(createObsReference({ combine: undefined }).semantics).toBe(DOCUMENTED_OBS_SEMANTICS);
    expect(Object.isFrozen(DOCUMENTED_OBS_SEMANTICS)).toBe(true);
  });

  it('replaces exactly the overridden entry', () => {
    const nextAcl: ObsSemantics['nextAcl'] = (current) => current.slice();
    const s = createObsReference({ nextAcl }).semantics;
    expect(s.nextAcl).toBe(nextAcl);
    for (const key of Object.keys(DOCUMENTED_OBS_SEMANTICS) as (keyof ObsSemantics)[]) {
      if (key !== 'nextAcl') expect(s[key]).toBe(DOCUMENTED_OBS_SEMANTICS[key]);
    }
  });

  it('the documented grid: the owner lost listing in `groups`, anonymous may list there, the Deny binds account 1', () => {
    expect(documented.get('groups/none/owner/ListBucket')).toEqual(['allow 200']);
    expect(documented.get('groups/none/owner/PutObject')).toEqual(['allow 200']);
    expect(documented.get('groups/none/ownerUser/PutObject')).toEqual(['deny 403 AccessDenied']);
    expect(documented.get('policy/none/account1/GetObject-secret')).toEqual(['deny 403 AccessDenied']);
    expect(documented.get('private/put-policy-twice/account1/PutObject')).toEqual(['allow 204', 'allow 204', 'deny 403 AccessDenied']);
  });
});

describe('faults expressible by one override (issue #4)', () => {
  it('(a) the ACL put is merged into the old one (nextAcl): only requests after an ACL put change, from deny to allow', async () => {
    const ds = await changedBy({ nextAcl: (current, put) => [...current, ...put] });
    for (const d of ds) {
      expect(d.cell.startsWith('groups/') || d.cell.includes('/put-acl/'), d.cell).toBe(true);
      expect([d.probe, d.before, d.after.startsWith('allow')], d.cell).toEqual([true, 'deny 403 AccessDenied', true]);
      expect(d.cell.endsWith('/PutBucketAcl'), d.cell).toBe(false);
    }
    expect(shortly(ds)).toEqual(expect.arrayContaining([
      // The world's groups ACL merged into the default one: the owner keeps FULL_CONTROL.
      'groups/none/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      // The owner's later put of `Everyone READ` merged: the owner keeps FULL_CONTROL, account 1 keeps READ_ACP.
      'private/put-acl/owner/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/put-acl/user1/GetBucketAcl: deny 403 AccessDenied -> allow 200',
      'groups/put-acl/logDelivery/PutObject: deny 403 AccessDenied -> allow 200',
    ]));
  });

  it('(b) the owner loses WRITE_ACP when its ACL does not list it (ownerAlwaysHas)', async () => {
    const ds = await changedBy({ ownerAlwaysHas: (permission) => permission === 'READ_ACP' });
    for (const d of ds) {
      expect(['owner PutBucketAcl', 'ownerUser PutBucketAcl'], d.cell).toContain(d.label);
      expect([d.before, d.after], d.cell).toEqual(['allow 200', 'deny 403 AccessDenied']);
    }
    const probes = shortly(ds.filter((d) => d.probe));
    expect(probes).toEqual([
      'groups/logging/owner/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'groups/logging/ownerUser/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'groups/none/owner/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'groups/none/ownerUser/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'groups/put-policy-twice/owner/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'groups/put-policy-twice/ownerUser/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'policy/put-acl/owner/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'policy/put-acl/ownerUser/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'private/put-acl/owner/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
      'private/put-acl/ownerUser/PutBucketAcl: allow 200 -> deny 403 AccessDenied',
    ]);
    // In `groups`, the owner's own put of `Everyone READ` is refused: every cell after it differs from there on.
    expect(ds.filter((d) => !d.probe).map((d) => d.cell.split('/').slice(0, 2).join('/'))).toEqual(Array(IDENTITIES.length * Object.keys(PROBES).length).fill('groups/put-acl'));
    // Reading the ACL is untouched.
    expect(ds.some((d) => d.cell.endsWith('GetBucketAcl') && d.probe)).toBe(false);
  });

  it('(c) registered users include anonymous (granteeCovers)', async () => {
    const ds = await changedBy({ granteeCovers: (g, p) => ('group' in g && g.group === 'AuthenticatedUsers' && p === 'anonymous') || DOCUMENTED_OBS_SEMANTICS.granteeCovers(g, p) });
    expect(shortly(ds)).toEqual([
      'groups/logging/anonymous/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/none/anonymous/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/put-policy-twice/anonymous/PutObject: deny 403 AccessDenied -> allow 200',
    ]);
  });

  it('(d) a policy put merges with the old policy (nextPolicy)', async () => {
    const ds = await changedBy({
      nextPolicy: (current, put) => (current === undefined ? put : { text: put.text, ast: { ...put.ast, statements: [...current.ast.statements, ...put.ast.statements] } }),
    });
    for (const d of ds) expect([d.cell.split('/')[1], d.probe], d.cell).toEqual(['put-policy-twice', true]);
    expect(shortly(ds)).toEqual([
      // The world's Deny of secret.txt survives the puts and binds the owner.
      'policy/put-policy-twice/owner/GetObject-secret: allow 200 -> deny 403 AccessDenied',
      'policy/put-policy-twice/ownerUser/GetObject-secret: allow 200 -> deny 403 AccessDenied',
      // The first put's Allow of PutObject to account 1 survives the second put.
      'groups/put-policy-twice/user1/PutObject: deny 403 AccessDenied -> allow 200',
      'policy/put-policy-twice/account1/PutObject: deny 403 AccessDenied -> allow 200',
      'policy/put-policy-twice/user1/PutObject: deny 403 AccessDenied -> allow 200',
      'private/put-policy-twice/account1/PutObject: deny 403 AccessDenied -> allow 200',
      'private/put-policy-twice/user1/PutObject: deny 403 AccessDenied -> allow 200',
    ].sort());
  });

  it('(e) an Allow beats a Deny (combine)', async () => {
    const ds = await changedBy({ combine: (deny, allow) => (allow ? 'allow' : deny ? 'deny' : 'none') });
    expect(shortly(ds)).toEqual([
      'policy/logging/account1/GetObject-secret: deny 403 AccessDenied -> allow 200',
      'policy/logging/user1/GetObject-secret: deny 403 AccessDenied -> allow 200',
      'policy/none/account1/GetObject-secret: deny 403 AccessDenied -> allow 200',
      'policy/none/user1/GetObject-secret: deny 403 AccessDenied -> allow 200',
      'policy/put-acl/account1/GetObject-secret: deny 403 AccessDenied -> allow 200',
      'policy/put-acl/user1/GetObject-secret: deny 403 AccessDenied -> allow 200',
    ]);
  });

  it('(f) a 20 KB + 1 byte policy is accepted (maxPolicyBytes)', async () => {
    const fault = { maxPolicyBytes: 20481 };
    expect(await changedBy(fault)).toEqual([]);
    const base = JSON.stringify(policyOf({ Sid: '', Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' }));
    const sized = (n: number) => JSON.stringify(policyOf({ Sid: 'x'.repeat(n - base.length), Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*' }));
    const put = (n: number) => req('owner', 'PutBucketPolicy', undefined, { policy: sized(n) });
    expect(await once(world(), put(20481))).toBe('rejected 400 EntityTooLarge');
    expect(await once(world(), put(20481), fault)).toBe('allow 204');
    expect(await once(world(), put(20482), fault)).toBe('rejected 400 EntityTooLarge');
    expect(await once(world(), put(20480), fault)).toBe('allow 204');
    expect((await createObsReference().prepare(world({ policy: sized(20481) }))).kind).toBe('rejected');
    expect((await createObsReference(fault).prepare(world({ policy: sized(20481) }))).kind).toBe('ready');
  });
});

describe('the other entries, one override each', () => {
  it('anyone manages the policy (mayManagePolicy): only non-owners\' GetBucketPolicy changes in the grid', async () => {
    const ds = await changedBy({ mayManagePolicy: () => true });
    for (const d of ds) {
      expect(d.cell.endsWith('/GetBucketPolicy') && !d.cell.includes('/owner'), d.cell).toBe(true);
      expect(d.before).toBe('deny 403 AccessDenied');
    }
    expect(shortly(ds)).toEqual(expect.arrayContaining([
      'policy/none/anonymous/GetBucketPolicy: deny 403 AccessDenied -> allow 200',
      'private/none/account1/GetBucketPolicy: deny 403 AccessDenied -> deny 404 NoSuchBucketPolicy',
    ]));
  });

  it('the owner keeps listing and uploading without READ and WRITE (ownerHasByDefault)', async () => {
    const ds = await changedBy({ ownerHasByDefault: () => true });
    expect(shortly(ds)).toEqual([
      'groups/logging/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/none/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/put-acl/owner/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/put-acl/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/put-policy-twice/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      'policy/put-acl/owner/PutObject: deny 403 AccessDenied -> allow 200',
      'policy/put-acl/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      'private/put-acl/owner/PutObject: deny 403 AccessDenied -> allow 200',
      'private/put-acl/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
    ]);
  });

  it('FULL_CONTROL grants nothing but itself (permissionImplies): the owner of a private bucket loses its data actions', async () => {
    const ds = await changedBy({ permissionImplies: (held, needed) => held === needed });
    for (const d of ds) {
      expect(/^(private|policy)\/[^/]+\/(owner|ownerUser)\/(ListBucket|PutObject)$/.test(d.cell), d.cell).toBe(true);
      expect(d.after).toBe('deny 403 AccessDenied');
    }
    expect(shortly(ds)).toContain('private/none/owner/ListBucket: allow 200 -> deny 403 AccessDenied');
  });

  it('log delivery gains WRITE only (logDeliveryPermissions)', async () => {
    expect(shortly(await changedBy({ logDeliveryPermissions: ['WRITE'] }))).toEqual([
      'groups/logging/logDelivery/GetBucketAcl: allow 200 -> deny 403 AccessDenied',
      'policy/logging/logDelivery/GetBucketAcl: allow 200 -> deny 403 AccessDenied',
      'private/logging/logDelivery/GetBucketAcl: allow 200 -> deny 403 AccessDenied',
    ]);
  });

  it('registered users include IAM users (granteeCovers, the other reading of OBS-ACL-REGISTERED)', async () => {
    const ds = await changedBy({ granteeCovers: (g, p) => ('group' in g && g.group === 'AuthenticatedUsers' && typeof p !== 'string') || DOCUMENTED_OBS_SEMANTICS.granteeCovers(g, p) });
    expect(shortly(ds)).toEqual([
      'groups/logging/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/logging/user1/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/none/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/none/user1/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/put-policy-twice/ownerUser/PutObject: deny 403 AccessDenied -> allow 200',
      'groups/put-policy-twice/user1/PutObject: deny 403 AccessDenied -> allow 200',
    ]);
  });

  it('`domain/<account>` also names its IAM users (principalIdMatches)', async () => {
    const fault: Partial<ObsSemantics> = { principalIdMatches: (id, p) => (id.kind === 'account' && typeof p !== 'string' && p.account === id.account) || DOCUMENTED_OBS_SEMANTICS.principalIdMatches(id, p) };
    const w = world({ policy: policyOf({ Effect: 'Allow', Principal: { ID: `domain/${STRANGER}` }, Action: 'GetObject', Resource: 'mybucket/*' }) });
    expect([await once(w, req('strangerUser', 'GetObject', 'a')), await once(w, req('strangerUser', 'GetObject', 'a'), fault)]).toEqual(['deny 403 AccessDenied', 'allow 200']);
    expect([await once(w, req('stranger', 'GetObject', 'a')), await once(w, req('stranger', 'GetObject', 'a'), fault)]).toEqual(['allow 200', 'allow 200']);
  });

  it('action names are case-sensitive (compileActionPattern)', async () => {
    const fault: Partial<ObsSemantics> = { compileActionPattern: (p) => (v) => v === p || (p.endsWith('*') && v.startsWith(p.slice(0, -1))) };
    const w = world({ policy: policyOf({ Effect: 'Allow', Principal: '*', Action: ['getobject', 'List*'], Resource: ['mybucket', 'mybucket/*'] }) });
    expect([await once(w, req('stranger', 'GetObject', 'a')), await once(w, req('stranger', 'GetObject', 'a'), fault)]).toEqual(['allow 200', 'deny 403 AccessDenied']);
    expect([await once(w, req('stranger', 'ListBucket')), await once(w, req('stranger', 'ListBucket'), fault)]).toEqual(['allow 200', 'allow 200']);
  });

  it('Resource matches ignore case (compileResourcePattern)', async () => {
    const fault: Partial<ObsSemantics> = { compileResourcePattern: (p) => (v) => v.toLowerCase().startsWith(p.replace(/\*$/, '').toLowerCase()) };
    const w = world({ policy: policyOf({ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/Docs/*' }) });
    expect([await once(w, req('stranger', 'GetObject', 'docs/a')), await once(w, req('stranger', 'GetObject', 'docs/a'), fault)]).toEqual(['deny 403 AccessDenied', 'allow 200']);
  });

  it('StringLike ignores case (stringLikeIgnoresCase, the S3-compatible guide\'s reading)', async () => {
    const w = world({ policy: policyOf({ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*', Condition: { StringLike: { Referer: 'http://example.com/*' } } }) });
    const r = req('anonymous', 'GetObject', 'a', { context: { Referer: 'HTTP://EXAMPLE.COM/x' } });
    expect([await once(w, r), await once(w, r, { stringLikeIgnoresCase: true })]).toEqual(['deny 403 AccessDenied', 'allow 200']);
  });

  it('a block\'s last address is outside it (inCidr)', async () => {
    const fault: Partial<ObsSemantics> = { inCidr: (a, b) => a.version === b.version && a.value >= b.first && a.value < b.last };
    const w = world({ policy: policyOf({ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*', Condition: { IpAddress: { SourceIp: '192.0.2.0/24' } } }) });
    const at = (ip: string) => req('anonymous', 'GetObject', 'a', { context: { SourceIp: ip } });
    expect([await once(w, at('192.0.2.255')), await once(w, at('192.0.2.255'), fault)]).toEqual(['allow 200', 'deny 403 AccessDenied']);
    expect([await once(w, at('192.0.2.254')), await once(w, at('192.0.2.254'), fault)]).toEqual(['allow 200', 'allow 200']);
  });

  it('a missing key satisfies positive operators (missingKeyHolds), and conditions are OR-ed (conditionBlockHolds)', async () => {
    const w = world({ policy: policyOf({ Effect: 'Allow', Principal: '*', Action: 'GetObject', Resource: 'mybucket/*', Condition: { StringEquals: { Referer: 'r', UserAgent: 'u' } } }) });
    const none = req('anonymous', 'GetObject', 'a');
    expect([await once(w, none), await once(w, none, { missingKeyHolds: () => true })]).toEqual(['deny 403 AccessDenied', 'allow 200']);
    const half = req('anonymous', 'GetObject', 'a', { context: { Referer: 'r', UserAgent: 'x' } });
    expect([await once(w, half), await once(w, half, { conditionBlockHolds: (checks, scope) => checks.some((c) => c.holds(scope)) })]).toEqual(['deny 403 AccessDenied', 'allow 200']);
  });

  it('an ACL of 100 grants is refused (maxGrants)', async () => {
    const grants = Array.from({ length: 100 }, (_, i) => toAccount(`a${i}`, 'READ'));
    expect([await once(world(), req('owner', 'PutBucketAcl', undefined, { acl: grants })), await once(world(), req('owner', 'PutBucketAcl', undefined, { acl: grants }), { maxGrants: 99 })])
      .toEqual(['allow 200', 'rejected 400 MalformedACLError']);
  });

  it('a new bucket grants its owner nothing (defaultAcl)', async () => {
    const w = await prepare(world(), { defaultAcl: () => [] });
    expect(await run(w, [req('owner', 'ListBucket'), req('owner', 'GetObject', 'a'), req('owner', 'GetBucketAcl')])).toEqual(['deny 403 AccessDenied', 'allow 200', 'allow 200']);
    expect(decided(await (await prepare()).observe(req('owner', 'ListBucket'))).decision).toBe('allow');
  });
});
