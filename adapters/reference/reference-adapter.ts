/**
 * The reference adapter: a target that runs the in-process evaluators instead of a service. It
 * observes everything (status, EC, explanation) and never touches the network.
 */
import { CAPABILITIES } from '../../model/capabilities.ts';
import { ConformanceError } from '../../model/errors.ts';
import type { Observation } from '../../model/outcome.ts';
import type { Vendor } from '../../model/vendors.ts';
import type { AliRequest, AliWorld } from '../../model/alibaba-oss/types.ts';
import type { ApsWorld } from '../../model/aps-oss/types.ts';
import type { ObsWorld } from '../../model/huawei-obs/types.ts';
import { worldPolicyText, type Request, type World } from '../../model/world.ts';
import type { Adapter, AdapterCapabilities, Preparation } from '../types.ts';
import { createAliEvaluator, type AliSemantics } from './alibaba-oss/index.ts';
import { createApsReference, type ApsSemantics } from './aps-oss/index.ts';
import { createObsReference, type ObsSemantics } from './huawei-obs/index.ts';

/** Options of the reference adapter: semantics overrides, for fault-injection tests only. */
export interface ReferenceAdapterOptions {
  aliSemantics?: Partial<AliSemantics>;
  apsSemantics?: Partial<ApsSemantics>;
  obsSemantics?: Partial<ObsSemantics>;
}

const VENDORS: readonly Vendor[] = ['alibaba-oss', 'huawei-obs', 'aps-oss'];

/** Builds the reference adapter. Its worlds are evaluated in-process; prepare and observe never throw for bad policies. */
export function createReferenceAdapter(options: ReferenceAdapterOptions = {}): Adapter {
  const ali = createAliEvaluator(options.aliSemantics);
  const aps = createApsReference(options.apsSemantics);
  const obs = createObsReference(options.obsSemantics);
  const capabilities: AdapterCapabilities = { vendors: VENDORS, features: new Set(CAPABILITIES) };

  async function prepareAli(world: AliWorld): Promise<Preparation> {
      const text = worldPolicyText(world.policy);
      let ast;
      if (text !== undefined) {
        const parsed = ali.parse(text);
        if (parsed.kind === 'rejected') {
          return {
            kind: 'rejected',
            status: parsed.status,
            code: parsed.code,
            ec: parsed.ec,
            message: parsed.message,
            explanation: { rules: parsed.rules, statements: [], reason: 'invalid-policy' },
          };
        }
        ast = parsed;
      }
      const compiled = ali.compile(ast);
      return {
        kind: 'ready',
        async observe(request: Request): Promise<Observation> {
          const d = ali.evaluate(compiled, world, request as AliRequest);
          const observation: Observation = { kind: 'decided', decision: d.decision, status: d.status, explanation: d.explanation };
          if (d.code !== undefined) observation.code = d.code;
          if (d.ec !== undefined) observation.ec = d.ec;
          return observation;
        },
        async release(): Promise<void> {},
      };
  }

  return {
    name: 'reference',
    capabilities,
    async prepare(world: World): Promise<Preparation> {
      const vendor: unknown = (world as { vendor?: unknown }).vendor;
      if (vendor === 'alibaba-oss') return prepareAli(world as AliWorld);
      if (vendor === 'aps-oss') return aps.prepare(world as ApsWorld);
      if (vendor === 'huawei-obs') return obs.prepare(world as ObsWorld);
      throw new ConformanceError('CONFORMANCE_INPUT', `the reference adapter does not support worlds of vendor \`${String(vendor)}\`; supported: ${VENDORS.join(', ')}`);
    },
    async close(): Promise<void> {},
  };
}
