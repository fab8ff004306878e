import { ALIBABA_PROPERTIES } from './alibaba-oss/index.ts';
import { APS_PROPERTIES } from './aps-oss/index.ts';
import { aclGrant, aclOrder } from './huawei-obs/acl.ts';
import { policyAndAcl } from './huawei-obs/combined.ts';
import { OBS_POLICY_PROPERTIES } from './huawei-obs/index.ts';
import { aclSequence, policySequence } from './huawei-obs/sequences.ts';
import type { PropertyDefinition } from './types.ts';

/** Every property the spec files may name, by name. */
export const PROPERTIES: ReadonlyMap<string, PropertyDefinition> = new Map(
  [...ALIBABA_PROPERTIES, ...APS_PROPERTIES, ...OBS_POLICY_PROPERTIES, ...([aclGrant, aclOrder, policyAndAcl, aclSequence, policySequence] as PropertyDefinition[])].map((p) => [p.name, p] as const),
);
