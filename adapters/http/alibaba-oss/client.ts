/**
 * The Alibaba Cloud OSS dialect of the live HTTP adapter: what the target can do (from its
 * identities and the target file), the actions it is sent, worlds built on it (`world.ts`) and
 * the removal of everything a run left (vendor notes alibaba-oss.md §4, §5; issue #7).
 */
import { isIP } from 'node:net';
import type { Capability, SourceAddressSpace } from '../../../model/capabilities.ts';
import { ConformanceError } from '../../../model/errors.ts';
import type { AliWorld } from '../../../model/alibaba-oss/types.ts';
import { probeOf, type IdentityProbe } from '../probe.ts';
import { isRunPrefix } from '../run.ts';
import type { CleanupSummary, VendorClient, VendorClientFactory } from '../types.ts';
import { SUPPORTED_ACTIONS } from './actions.ts';
import { identityPool } from './identities.ts';
import { AliTarget } from './target.ts';
import { buildRequest, ossError, type OssCall } from './wire.ts';
import { AliWorldOnTarget } from './world.ts';

/**
 * Capabilities this client never claims, whatever the target file says: the time of a request
 * cannot be chosen, the target does not explain its decisions, OSS has no log-delivery principal
 * and this client prepares no vector buckets. `request.secure-transport` is honoured only for an
 * https endpoint; the APS capabilities mean nothing here.
 */
const NEVER_CLAIMED: ReadonlySet<Capability> = new Set(['request.current-time', 'observe.explanation', 'principal.log-delivery', 'bucket.vector', 'principal.apps', 'grant.any-client-id']);

/** The Alibaba OSS vendor client (`createHttpAdapter` loads it for `vendor: alibaba-oss`). */
export const createAliClient: VendorClientFactory = (run) => {
  if (run.config.vendor !== 'alibaba-oss') throw new Error(`the Alibaba OSS client cannot serve a \`${run.config.vendor}\` target`);
  // Virtual-host style names the bucket as a label of the endpoint's host (§5.2), which an IP address cannot take.
  if (run.config.addressing === 'virtual-host' && isIP(new URL(run.config.endpoint).hostname.replace(/^\[|\]$/g, '')) !== 0) {
    throw new ConformanceError('CONFORMANCE_TARGET_CONFIG', `${run.config.file}: \`addressing: virtual-host\` needs a host name endpoint (such as \`http://localhost:PORT\` for the emulator), not \`${run.config.endpoint}\``);
  }
  const pool = identityPool(run.owner, run.others);
  // AccessKey ids are not secrets, but they stay out of messages and logs all the same (issue #7).
  for (const identity of [run.owner, ...run.others]) run.redactor.add(identity.accessKeyId);
  // The emulator's administrator key (target file kind `admin`), if any: for maintenance and cleanup only (target.ts).
  const target = new AliTarget(run, pool, run.others.find((o) => o.kind === 'admin'));
  const config = run.config;

  const client: VendorClient = {
    vendor: 'alibaba-oss',

    async capabilities(): Promise<ReadonlySet<Capability>> {
      // What every OSS target with an owner allows: policies of any text (sent byte for byte, names
      // aside), the bucket ACL, unsigned requests, and the request controls this client sets itself.
      const features = new Set<Capability>([
        'policy', 'policy.raw', 'acl', 'principal.owner', 'principal.anonymous',
        'request.access-id', 'request.prefix', 'request.acl-header', 'request.user-agent', 'observe.status',
      ]);
      // The kinds of principal a generated world may send requests as: see IdentityPool for why
      // only users and sessions of accounts other than the owner's stand in for them.
      if (pool.signers.some((s) => s.kind === 'account')) features.add('principal.other-account');
      if (pool.signers.some((s) => s.kind === 'user')) features.add('principal.ram-user');
      if (pool.sessions.some((s) => s.account !== pool.owner.account)) features.add('principal.role-session');
      if (config.sourceIp === 'loopback' || config.sourceIp === 'header' || (config.sourceIp === 'known' && config.knownSourceIp !== undefined)) features.add('request.source-ip');
      for (const claim of config.capabilities) {
        if (claim === 'request.secure-transport') {
          if (target.secure) features.add(claim);
          else run.log('the target file claims request.secure-transport for an http endpoint; not claimed');
        } else if (NEVER_CLAIMED.has(claim)) {
          run.log(`the target file claims ${claim}, which this client cannot exercise; not claimed`);
        } else {
          features.add(claim);
        }
      }
      return features;
    },

    async sourceAddresses(): Promise<SourceAddressSpace | undefined> {
      if (config.sourceIp === 'loopback') return { v4: '127.0.0.0/8' };
      if (config.sourceIp === 'known' && config.knownSourceIp !== undefined) {
        return config.knownSourceIp.includes(':') ? { v6: `${config.knownSourceIp}/128` } : { v4: `${config.knownSourceIp}/32` };
      }
      return undefined;
    },

    actions: () => SUPPORTED_ACTIONS,

    async probe(): Promise<IdentityProbe[]> {
      // ListBuckets of the run prefix (§5.5): read-only, it names no bucket outside the run, and it
      // is signed as every request of the identity is (a session sends its security token). A RAM
      // user or a session without oss:ListBuckets, and the emulator's administrator key, get 403
      // AccessDenied, which still proves the credentials (probe.ts).
      const call: OssCall = { method: 'GET', query: [['prefix', run.runPrefix], ['max-keys', '1']] };
      return Promise.all([run.owner, ...run.others].map(async (identity) => {
        const credentials = { accessKeyId: identity.accessKeyId ?? '', secret: identity.accessKeySecret ?? '', securityToken: identity.securityToken };
        const outcome = await run.transport.send(() => buildRequest(target.endpoint, call, credentials), { outsideBudget: true });
        return probeOf(identity, outcome, (response) => ossError(response).code, run.redactor);
      }));
    },

    prepare: (world) => AliWorldOnTarget.prepare(target, world as AliWorld),

    async cleanup(prefix: string): Promise<CleanupSummary> {
      // Nothing shorter than a run prefix: it could name buckets that are not the suite's.
      if (!isRunPrefix(prefix)) return { buckets: 0, objects: 0, failures: [`refusing to clean up \`${prefix}\`: not a run prefix`] };
      const listed = await target.listBuckets(prefix);
      if (typeof listed === 'string') return { buckets: 0, objects: 0, failures: [listed] };
      const summary: CleanupSummary = { buckets: 0, objects: 0, failures: [] };
      for (const name of listed) {
        if (!name.startsWith(prefix)) continue;
        const removal = await target.removeBucket(name, prefix);
        summary.objects += removal.objects;
        if (removal.removed) summary.buckets++;
        else summary.failures.push(removal.failure ?? run.redactor.redact(`bucket \`${name}\` was not removed`));
      }
      return summary;
    },
  };
  return client;
};
