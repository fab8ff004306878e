/**
 * `npm run bench`: decisions per second of the reference evaluator for Alibaba OSS on a fixed
 * workload, once the policy is parsed and compiled. Speed is measured here, never in tests.
 *
 * Workload: a 9-statement policy with action and resource wildcards, a role-session wildcard,
 * IP (v4 and v6 CIDR) and VPC conditions and two Deny statements; 12 requests that end in an
 * allow, an explicit deny and an implicit deny. Each run evaluates the requests round-robin;
 * the figure printed is the median of the runs.
 */
import { createAliEvaluator } from '../adapters/reference/alibaba-oss/index.ts';
import type { AliRequest, AliWorld } from '../model/alibaba-oss/types.ts';

const OWNER = '1746495857600001';
const USER = '2021476040493501';
const OTHER = '1598237460013302';
const ROLE = `arn:sts::${OWNER}:assumed-role/reader/session-7`;

const policy = {
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject', 'oss:GetObjectAcl'], Principal: [USER], Resource: [`acs:oss:*:${OWNER}:example-bucket/*`] },
    { Effect: 'Allow', Action: 'oss:ListObjects', Principal: [USER], Resource: `acs:oss:*:${OWNER}:example-bucket`, Condition: { StringLike: { 'oss:Prefix': ['docs/*', 'public/*'] } } },
    { Effect: 'Allow', Action: ['oss:Get*'], Principal: [`arn:sts::${OWNER}:assumed-role/reader/*`], Resource: [`acs:oss:*:*:example-bucket/public/*`] },
    { Effect: 'Allow', Action: 'oss:GetObject', Principal: ['*'], Resource: `acs:oss:*:*:example-bucket/www/*`, Condition: { IpAddress: { 'acs:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } },
    { Effect: 'Deny', Action: 'oss:*', Principal: ['*'], Resource: [`acs:oss:*:*:example-bucket`, `acs:oss:*:*:example-bucket/*`], Condition: { IpAddress: { 'acs:SourceIp': ['198.51.100.0/24'] } } },
    { Effect: 'Deny', Action: ['oss:Delete*', 'oss:PutBucket*'], Principal: ['*'], Resource: [`acs:oss:*:*:example-bucket`, `acs:oss:*:*:example-bucket/*`], Condition: { StringNotEquals: { 'acs:SourceVpc': ['vpc-t4nlw426y44rd3iq40001'] } } },
    { Effect: 'Allow', Action: ['oss:DeleteObject'], Principal: [USER, OTHER], Resource: [`acs:oss:*:*:example-bucket/tmp/*`] },
    { Effect: 'Allow', Action: ['oss:GetBucketInfo', 'oss:GetBucketAcl'], Principal: [OTHER], Resource: `acs:oss:*:*:example-bucket` },
    { Effect: 'Allow', Action: ['oss:PutObject'], Principal: [OTHER], Resource: `acs:oss:*:*:other-bucket/*` },
  ],
};

const world: AliWorld = { vendor: 'alibaba-oss', bucket: { name: 'example-bucket', owner: OWNER }, policy };
const requests: AliRequest[] = [
  { principal: USER, action: 'oss:GetObject', object: 'docs/a.txt', context: { 'acs:SourceIp': '203.0.113.9', 'acs:AccessId': 'LTAI5tUser' } },
  { principal: USER, action: 'oss:ListObjects', context: { 'acs:SourceIp': '192.0.2.1', 'oss:Prefix': 'docs/2026/' } },
  { principal: ROLE, action: 'oss:GetObjectAcl', object: 'public/logo.png', context: { 'acs:SourceIp': '192.0.2.1', 'acs:AccessId': 'STS.abc' } },
  { principal: 'anonymous', action: 'oss:GetObject', object: 'www/index.html', context: { 'acs:SourceIp': '2001:db8::17' } },
  { principal: OWNER, action: 'oss:GetBucketInfo', context: { 'acs:SourceIp': '192.0.2.1', 'acs:SourceVpc': 'vpc-t4nlw426y44rd3iq40001' } },
  { principal: USER, action: 'oss:GetObject', object: 'docs/a.txt', context: { 'acs:SourceIp': '198.51.100.20' } },
  { principal: OWNER, action: 'oss:DeleteObject', object: 'tmp/x', context: { 'acs:SourceIp': '192.0.2.1' } },
  { principal: USER, action: 'oss:DeleteObject', object: 'tmp/x', context: { 'acs:SourceIp': '192.0.2.1', 'acs:SourceVpc': 'vpc-t4nlw426y44rd3iq40001' } },
  { principal: OTHER, action: 'oss:GetObject', object: 'docs/a.txt', context: { 'acs:SourceIp': '192.0.2.1' } },
  { principal: 'anonymous', action: 'oss:GetObject', object: 'www/index.html', context: { 'acs:SourceIp': '192.0.2.44' } },
  { principal: ROLE, action: 'oss:PutObject', object: 'public/x', context: { 'acs:SourceIp': '192.0.2.1' } },
  { principal: OTHER, action: 'oss:PutObject', object: 'a.txt', context: { 'acs:SourceIp': '192.0.2.1' } },
];

const evaluator = createAliEvaluator();
const parsed = evaluator.parse(JSON.stringify(policy));
if (parsed.kind === 'rejected') throw new Error(`the benchmark policy is rejected: ${parsed.message}`);
const compiled = evaluator.compile(parsed);

// The workload must reach all three outcomes, or the figure would not mean what it says.
const outcomes: Record<string, number> = {};
for (const r of requests) {
  const d = evaluator.evaluate(compiled, world, r);
  const key = d.decision === 'allow' ? 'allow' : d.explanation.reason === 'explicit-deny' ? 'explicit deny' : 'implicit deny';
  outcomes[key] = (outcomes[key] ?? 0) + 1;
}
for (const needed of ['allow', 'explicit deny', 'implicit deny']) {
  if (!outcomes[needed]) throw new Error(`the workload never reaches ${needed}`);
}

const DECISIONS_PER_RUN = 2_000_000;
const RUNS = 7;
let sink = 0;
function run(n: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    if (evaluator.evaluate(compiled, world, requests[i % requests.length]!).decision === 'allow') sink++;
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

run(200_000); // warm-up, so that the optimizing compiler has seen the hot path
const rates: number[] = [];
for (let i = 0; i < RUNS; i++) rates.push(DECISIONS_PER_RUN / run(DECISIONS_PER_RUN));
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`reference evaluator, alibaba-oss: ${policy.Statement.length}-statement policy, ${requests.length} requests (${Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(', ')})`);
console.log(`  ${RUNS} runs of ${fmt(DECISIONS_PER_RUN)} decisions on one core (Node ${process.version})`);
console.log(`  median ${fmt(median)} decisions/s   (min ${fmt(rates[0]!)}, max ${fmt(rates[rates.length - 1]!)})`);
console.log(`  target 1,000,000 decisions/s: ${median >= 1_000_000 ? 'met' : 'NOT met'}`);
if (sink < 0) console.log(sink);

// ── APS OSS ────────────────────────────────────────────────────────────────────────────────
// (1) Operations per second of the APS reference target on a 60-key bucket: a round-robin of
// uploads, downloads, deletes, details and listings by the owner, keys of every level and a
// stranger, each applied to the store. (2) The conformance run of the stateful model
// (APS-NO-REVOKE's aps-model-sequence): sequences and steps per second through the runner and
// the judge, against the reference target.
{
  const { createReferenceAdapter } = await import('../adapters/reference/reference-adapter.ts');
  const { clientIdOf } = await import('../generators/aps-oss/index.ts');
  const { PROPERTIES } = await import('../suites/properties/index.ts');
  const { runRule } = await import('../suites/runner.ts');
  const { loadSpecSet } = await import('../suites/spec/load.ts');
  const { PROJECT_ROOT } = await import('../suites/settings.ts');
  type ApsRequest = import('../model/aps-oss/types.ts').ApsRequest;

  const owner = clientIdOf(1);
  const levels = ['full', 'read', 'write'] as const;
  const allow = Array.from({ length: 60 }, (_, i) => ({ authId: clientIdOf(100 + i), access: levels[i % 3]! }));
  const stranger = clientIdOf(2);
  const world = {
    vendor: 'aps-oss' as const,
    bucket: { key: 'bench-bucket', owner, policyKey: 'transient', allow },
    objects: [{ key: 'owner.txt', uploadedBy: owner }, ...allow.filter((g) => g.access !== 'read').slice(0, 10).map((g, i) => ({ key: `k${i}.txt`, uploadedBy: g.authId }))],
  };
  const actors = [owner, stranger, ...allow.slice(0, 9).map((g) => g.authId)];
  const ops: ApsRequest['operation'][] = ['uploadObject', 'downloadObject', 'getObjectDetails', 'deleteObject', 'downloadObject', 'getBucketDetails', 'getBucketObjects', 'getBuckets'];
  const workload: ApsRequest[] = [];
  for (let i = 0; i < 400; i++) {
    const operation = ops[i % ops.length]!;
    const r: ApsRequest = { actor: actors[(i * 7) % actors.length]!, operation };
    if (['uploadObject', 'downloadObject', 'getObjectDetails', 'deleteObject'].includes(operation)) r.object = i % 5 === 0 ? 'owner.txt' : `k${i % 12}.txt`;
    workload.push(r);
  }
  const adapter = createReferenceAdapter();
  const OPS = 300_000;
  const apsRates: number[] = [];
  const seen: Record<string, number> = {};
  for (let run = 0; run < 5; run++) {
    const prep = await adapter.prepare(world);
    if (prep.kind !== 'ready') throw new Error('the benchmark world is rejected');
    const started = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) {
      const o = await prep.observe(workload[i % workload.length]!);
      if (run === 0 && o.kind === 'decided') seen[`${o.decision} ${o.status}`] = (seen[`${o.decision} ${o.status}`] ?? 0) + 1;
    }
    apsRates.push(OPS / (Number(process.hrtime.bigint() - started) / 1e9));
    await prep.release();
  }
  apsRates.sort((a, b) => a - b);
  for (const needed of ['allow 200', 'deny 403', 'deny 404']) if (!seen[needed]) throw new Error(`the APS workload never reaches ${needed}`);
  console.log(`\nreference target, aps-oss: 60-key bucket, ${workload.length} requests round-robin (${Object.entries(seen).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')})`);
  console.log(`  median ${fmt(apsRates[2]!)} operations/s   (min ${fmt(apsRates[0]!)}, max ${fmt(apsRates[4]!)})`);

  const { rules, tables } = await loadSpecSet({ specsDir: `${PROJECT_ROOT}/specs`, properties: PROPERTIES, vendors: ['aps-oss'] });
  const rule = rules.find((r) => r.id === 'APS-NO-REVOKE')!;
  const started = performance.now();
  const result = await runRule(rule, adapter, PROPERTIES, { seed: 1, numRuns: 300, tables, check: 'long sequences are decided by the creation-time grants' });
  const seconds = (performance.now() - started) / 1000;
  const steps = Object.values(result.distribution['outcome'] ?? {}).reduce((a, b) => a + b, 0);
  if (result.verdict !== 'pass') throw new Error(`the stateful run did not pass: ${result.message}`);
  console.log(`stateful model run (aps-model-sequence, 300 sequences of up to 60 steps, runner + judge + reference target)`);
  console.log(`  ${fmt(result.cases / seconds)} sequences/s, ${fmt(steps / seconds)} steps/s (${fmt(steps)} steps in ${seconds.toFixed(2)} s)`);
}

// ── Huawei OBS ─────────────────────────────────────────────────────────────────────────────
// Decisions per second of the OBS reference target on a bucket with a 6-statement policy
// (wildcards, IP and string conditions, a Deny) and an ACL of four grants, for a round-robin of
// requests by accounts, IAM users, anonymous callers and the log delivery service.
{
  const { createReferenceAdapter } = await import('../adapters/reference/reference-adapter.ts');
  type ObsRequest = import('../model/huawei-obs/types.ts').ObsRequest;
  const owner = '4b1f0e9a3c7d4e2b8a6f5c0d1e2f3a4b';
  const a = '783fc6652cf246c096ea836694f71855';
  const b = '219d520ceac84c5a98b237431a2cf4c2';
  const user = '5b6c7d8e9fa0412b3c4d5e6f7a8b9c0d';
  const world = {
    vendor: 'huawei-obs' as const,
    bucket: { name: 'mybucket', owner },
    policy: {
      Statement: [
        { Sid: '1', Effect: 'Allow', Principal: { ID: [`domain/${a}:user/*`, `domain/${b}:user/*`] }, Action: ['GetObject'], Resource: 'mybucket/*' },
        { Sid: '2', Effect: 'Allow', Principal: { ID: [`domain/${a}:user/${user}`] }, Action: ['Put*', 'Delete*'], Resource: ['mybucket/uploads/*'] },
        { Sid: '3', Effect: 'Allow', Principal: '*', Action: ['GetObject'], Resource: 'mybucket/public/*', Condition: { IpAddress: { SourceIp: ['203.0.113.0/24', '2001:db8::/32'] } } },
        { Sid: '4', Effect: 'Deny', Principal: { ID: ['*'] }, Action: ['*'], Resource: ['mybucket', 'mybucket/*'], Condition: { IpAddress: { SourceIp: ['198.51.100.0/24'] } } },
        { Sid: '5', Effect: 'Allow', Principal: { ID: [`domain/${b}`] }, Action: ['ListBucket'], Resource: 'mybucket', Condition: { StringLike: { prefix: ['docs/*'] } } },
        { Sid: '6', Effect: 'Deny', Principal: { ID: [`domain/${b}:user/*`] }, Action: ['GetObject'], Resource: 'mybucket/secret/*', Condition: { StringNotEquals: { UserAgent: ['backup-agent/1.0'] } } },
      ],
    },
    acl: [
      { grantee: { account: owner }, permission: 'FULL_CONTROL' },
      { grantee: { group: 'AuthenticatedUsers' as const }, permission: 'READ' },
      { grantee: { group: 'LogDelivery' as const }, permission: 'WRITE' },
      { grantee: { account: b }, permission: 'READ_ACP' },
    ],
  };
  const ctx = (ip: string, extra: Record<string, string> = {}) => ({ SourceIp: ip, UserAgent: 'aws-cli/2', ...extra });
  const requests: ObsRequest[] = [
    { principal: { account: a }, action: 'GetObject', object: 'a.txt', context: ctx('192.0.2.1') },
    { principal: { account: a, user }, action: 'PutObject', object: 'uploads/x', context: ctx('192.0.2.1') },
    { principal: 'anonymous', action: 'GetObject', object: 'public/logo.png', context: ctx('203.0.113.9') },
    { principal: 'anonymous', action: 'GetObject', object: 'public/logo.png', context: ctx('192.0.2.44') },
    { principal: { account: b }, action: 'ListBucket', context: ctx('192.0.2.1', { prefix: 'docs/2026/' }) },
    { principal: { account: b, user }, action: 'GetObject', object: 'secret/k', context: ctx('192.0.2.1') },
    { principal: { account: a }, action: 'GetObject', object: 'a.txt', context: ctx('198.51.100.20') },
    { principal: { account: owner }, action: 'HeadBucket', context: ctx('192.0.2.1') },
    { principal: 'log-delivery', action: 'PutObject', object: 'logs/1', context: ctx('192.0.2.1') },
    { principal: { account: b }, action: 'GetBucketAcl', context: ctx('192.0.2.1') },
    { principal: { account: a, user }, action: 'ListBucket', context: ctx('192.0.2.1') },
    { principal: { account: b }, action: 'PutObject', object: 'a.txt', context: ctx('192.0.2.1') },
  ];
  const adapter = createReferenceAdapter();
  const prep = await adapter.prepare(world);
  if (prep.kind !== 'ready') throw new Error('the OBS benchmark world is rejected');
  const seen: Record<string, number> = {};
  for (const r of requests) {
    const o = await prep.observe(r);
    if (o.kind === 'decided') seen[o.explanation?.reason ?? o.decision] = (seen[o.explanation?.reason ?? o.decision] ?? 0) + 1;
  }
  for (const needed of ['explicit-allow', 'explicit-deny', 'grant']) if (!seen[needed]) throw new Error(`the OBS workload never reaches ${needed}`);
  const N = 500_000;
  const obsRates: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await prep.observe(requests[i % requests.length]!);
    obsRates.push(N / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  obsRates.sort((x, y) => x - y);
  console.log(`\nreference target, huawei-obs: ${world.policy.Statement.length}-statement policy, ${world.acl.length}-grant ACL, ${requests.length} requests (${Object.entries(seen).map(([k, v]) => `${v} ${k}`).join(', ')})`);
  console.log(`  median ${fmt(obsRates[2]!)} decisions/s   (min ${fmt(obsRates[0]!)}, max ${fmt(obsRates[4]!)})`);
}

/** Starts `bucket-conformance serve --vendor V` in its own process and resolves with its address once it listens. */
async function startServe(vendor: string, extra: string[] = []): Promise<{ child: import('node:child_process').ChildProcess; url: string }> {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
  const child = spawn(process.execPath, [main, 'serve', '--vendor', vendor, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^listening on (\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve --vendor ${vendor} exited with ${code}`)));
  });
  return { child, url };
}

// ── The emulators over loopback: requests per second ─────────────────────────────────────────
{
  const { runLoad } = await import('./emulator-load.ts');
  const { defaultAccounts } = await import('../emulator/accounts.ts');
  const { VENDORS } = await import('../model/vendors.ts');
  const CLIENTS = 200;
  const PER_CLIENT = 100;
  console.log(`\nemulators over loopback: \`serve\` in its own process, ${CLIENTS} concurrent clients (one connection each) in this one, ${PER_CLIENT} requests each, a fixed mix of allowed, denied and malformed requests, every answer checked`);
  for (const vendor of VENDORS) {
    const { child, url } = await startServe(vendor);
    try {
      const rates: number[] = [];
      let wrong = 0;
      let faults = 0;
      for (let run = 0; run < 3; run++) {
        const r = await runLoad({ vendor, clients: CLIENTS, requestsPerClient: PER_CLIENT, emulator: { url, accounts: defaultAccounts(vendor) } });
        rates.push(r.rps);
        wrong += r.wrongCount;
        faults += r.faults;
      }
      rates.sort((x, y) => x - y);
      console.log(`  ${vendor.padEnd(12)} median ${fmt(rates[1]!)} requests/s   (min ${fmt(rates[0]!)}, max ${fmt(rates[2]!)}; 3 runs of ${fmt(CLIENTS * PER_CLIENT)}; wrong answers ${wrong}, faults ${faults})`);
      if (wrong > 0 || faults > 0) process.exitCode = 1;
    } finally {
      child.kill('SIGTERM');
    }
  }
}

// ── The live HTTP adapter against the emulators: requests and cases per second, requests per run ──
{
  const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createHttpAdapter } = await import('../adapters/http/http-adapter.ts');
  const { defaultAccounts } = await import('../emulator/accounts.ts');
  const { emulatorTarget } = await import('../emulator/target-file.ts');
  const { VENDORS } = await import('../model/vendors.ts');
  const { PROPERTIES } = await import('../suites/properties/index.ts');
  const { runRule } = await import('../suites/runner.ts');
  const { loadSpecSet } = await import('../suites/spec/load.ts');
  const { PROJECT_ROOT } = await import('../suites/settings.ts');
  const { LIVE_DEFAULTS } = await import('../suites/settings.ts');
  // The default run of `run --target http`: LIVE_DEFAULTS, unless BENCH_LIVE_NUM_RUNS asks for more.
  const numRuns = Number(process.env['BENCH_LIVE_NUM_RUNS'] ?? LIVE_DEFAULTS.numRuns);
  const exhaustive = process.env['BENCH_LIVE_NUM_RUNS'] === undefined ? LIVE_DEFAULTS.exhaustive : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bench-live-'));
  const { rules, tables } = await loadSpecSet({ specsDir: join(PROJECT_ROOT, 'specs'), properties: PROPERTIES });
  console.log(`\nlive HTTP adapter against the emulators (\`serve --trust-source-ip-header\` in its own process), every rule of the vendor, seed 1, ${numRuns} runs per property${exhaustive !== undefined ? `, at most ${exhaustive} cases per exhaustive check (the default live run)` : ', every case of the exhaustive checks'}`);
  for (const vendor of VENDORS) {
    const { child, url } = await startServe(vendor, ['--trust-source-ip-header']);
    try {
      const target = emulatorTarget(vendor, url, defaultAccounts(vendor), { limits: { maxRequests: 10_000_000, concurrency: 16 }, sourceIp: 'header' });
      const file = join(dir, `${vendor}.yaml`);
      writeFileSync(file, target.yaml);
      Object.assign(process.env, target.env);
      const adapter = await createHttpAdapter({ targetConfig: file });
      const verdicts: Record<string, number> = {};
      let cases = 0;
      const started = performance.now();
      for (const rule of rules.filter((r) => r.vendor === vendor)) {
        const result = await runRule(rule, adapter, PROPERTIES, { seed: 1, numRuns, targetName: 'http', tables, ...(exhaustive === undefined ? {} : { exhaustive }) });
        cases += result.cases;
        verdicts[result.verdict] = (verdicts[result.verdict] ?? 0) + 1;
      }
      const seconds = (performance.now() - started) / 1000;
      const stats = adapter.run!.transport.stats;
      await adapter.close();
      console.log(`  ${vendor.padEnd(12)} ${fmt(stats.requests)} requests, ${fmt(cases)} cases in ${seconds.toFixed(1)} s: ${fmt(stats.requests / seconds)} requests/s, ${fmt(cases / seconds)} cases/s (${Object.entries(verdicts).map(([k, v]) => `${v} ${k}`).join(', ')}; ${stats.retries} retries)`);
    } finally {
      child.kill('SIGTERM');
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
