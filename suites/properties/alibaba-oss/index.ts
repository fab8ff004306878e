import type { PropertyDefinition } from '../types.ts';
import { allowUnion, denyBeatsAllow, implicitDefault } from './combination.ts';
import { conditionAnd, conditionIp, conditionMissingKey, conditionStringOperators, conditionValueList } from './conditions.ts';
import { fieldLengthLimit, policySizeLimit, valueForms, versionValue } from './limits.ts';
import { actionWildcard, resourceScope, vectorResource } from './matching.ts';
import { addedAllowMonotone, addedDenyMonotone, jsonFormatting, splitLists, statementOrder, unrelatedStatementProperty } from './metamorphic.ts';
import { emptyPrincipalEquivalence, roleSessionPrincipal, wildcardConditionOwner, wildcardPrincipalOwner } from './owner.ts';

/** Every Alibaba Cloud OSS property, as spec files name them. */
export const ALIBABA_PROPERTIES: readonly PropertyDefinition[] = [
  denyBeatsAllow,
  allowUnion,
  implicitDefault,
  wildcardPrincipalOwner,
  wildcardConditionOwner,
  emptyPrincipalEquivalence,
  roleSessionPrincipal,
  resourceScope,
  actionWildcard,
  vectorResource,
  conditionAnd,
  conditionValueList,
  conditionStringOperators,
  conditionIp,
  conditionMissingKey,
  policySizeLimit,
  fieldLengthLimit,
  versionValue,
  valueForms,
  statementOrder,
  jsonFormatting,
  splitLists,
  unrelatedStatementProperty,
  addedDenyMonotone,
  addedAllowMonotone,
] as unknown as readonly PropertyDefinition[];
