/**
 * The in-process reference target for Huawei Cloud OBS bucket policies and bucket ACLs: the
 * policy parser, the ACL validator, the evaluator, the stateful store, and the semantics seam
 * used for fault injection.
 */
export { isAclPermission, validateAcl, type ObsInvalidAcl, type ObsValidAcl } from './acl.ts';
export { compilePolicy, type CompiledObsPolicy, type CompiledObsStatement } from './compile.ts';
export {
  compileConditionCheck,
  conditionOperator,
  OBS_CONDITION_OPERATORS,
  OBS_OPERATOR_SHORT_FORMS,
  ObsConditionScope,
  type ObsConditionCheck,
  type ObsConditionOperator,
} from './conditions.ts';
export { evaluate, requestResource, type ObsDecision, type ObsErrorCode, type ObsOutcome } from './evaluate.ts';
export { createObsReference, loadObsWorld, type ObsReference, type ObsWorldLoad } from './evaluator.ts';
export {
  parseObsPolicy,
  policyBytes,
  policyText,
  type ObsConditionBlockAst,
  type ObsConditionKeyAst,
  type ObsPatternsAst,
  type ObsPolicyAst,
  type ObsPolicyErrorCode,
  type ObsPolicyRejection,
  type ObsPrincipalAst,
  type ObsPrincipalIdAst,
  type ObsStatementAst,
} from './parse.ts';
export { compileLikePattern, compilePatternList, compileStarPattern, type ListMatch, type PatternList, type StringMatcher } from './patterns.ts';
export { DOCUMENTED_OBS_SEMANTICS, isOwnerPrincipal, type ObsCombinedEffect, type ObsSemantics, type ObsSubmittedPolicy } from './semantics.ts';
export { applyEffect, type ObsEffect, type ObsStore, type ObsStoredPolicy } from './store.ts';
