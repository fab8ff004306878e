// Placeholder replaced by the APS reference evaluator (in progress).
import type { ApsWorld } from '../../../model/aps-oss/types.ts';
import type { Preparation } from '../../types.ts';
export interface ApsSemantics { placeholder: true }
export function createApsReference(_semantics?: Partial<ApsSemantics>): { prepare(world: ApsWorld): Promise<Preparation> } {
  return { prepare: async () => { throw new Error('APS reference evaluator not written yet'); } };
}
