import type { PropertyDefinition } from '../types.ts';
import { policySizeLimit } from './limits.ts';
import { allowMonotone, denyMonotone, jsonFormat, splitLists, statementOrder, unrelatedStatementProperty } from './metamorphic.ts';
import { actionWildcard, conditionIp, conditionString, denyWins, ownerManages, principalForms, resourceWildcard, statementMatch } from './policy.ts';

/** The Huawei Cloud OBS bucket-policy properties, as spec files name them (the ACL properties are registered on their own). */
export const OBS_POLICY_PROPERTIES: readonly PropertyDefinition[] = [
  statementMatch,
  principalForms,
  actionWildcard,
  resourceWildcard,
  conditionIp,
  conditionString,
  denyWins,
  policySizeLimit,
  ownerManages,
  statementOrder,
  jsonFormat,
  splitLists,
  unrelatedStatementProperty,
  denyMonotone,
  allowMonotone,
] as unknown as readonly PropertyDefinition[];
