/**
 * The in-process reference evaluator for Alibaba Cloud OSS bucket policies: parse, compile,
 * evaluate, and the semantics seam used for fault injection.
 */
export {
  ALI_CONDITION_OPERATORS,
  cidrContains,
  ConditionScope,
  explainCondition,
  isConditionOperator,
  parseAddress,
  parseCidrBlock,
  type AliConditionOperator,
  type CidrBlock,
  type ConditionCheck,
  type ConditionExplanation,
  type IpValue,
} from './conditions.ts';
export {
  compilePolicy,
  EC_EXPLICIT_DENY,
  EC_IMPLICIT_DENY,
  evaluate,
  requestResource,
  type AliDecision,
  type CompiledAliPolicy,
  type CompiledAliStatement,
} from './evaluate.ts';
export {
  MAX_FIELD_BYTES,
  MAX_POLICY_BYTES,
  parsePolicy,
  POLICY_ECS,
  type AliConditionBlockAst,
  type AliConditionKeyAst,
  type AliPolicyAst,
  type AliPolicyRejection,
  type AliStatementAst,
} from './parse.ts';
export { compilePattern, compilePatternList, type StringMatcher } from './patterns.ts';
export { createAliEvaluator, type AliEvaluator } from './evaluator.ts';
export {
  DOCUMENTED_SEMANTICS,
  type AliSemantics,
  type CombinedEffect,
  type OwnerRuleInput,
} from './semantics.ts';
