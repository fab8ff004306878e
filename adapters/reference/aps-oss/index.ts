/**
 * The in-process reference target for APS OSS bucket grants: the payload validator, the
 * evaluator, the stateful store, and the semantics seam used for fault injection.
 */
export { evaluate, type ApsDecision, type ApsOutcome } from './evaluate.ts';
export { createApsReference, loadApsWorld, type ApsReference, type ApsWorldLoad } from './evaluator.ts';
export {
  APS_OTHER_UPLOADERS,
  APS_OWNER_ONLY_OPERATIONS,
  DOCUMENTED_APS_SEMANTICS,
  type ApsModifyOperation,
  type ApsOtherUploader,
  type ApsOwnerOnlyOperation,
  type ApsSemantics,
} from './semantics.ts';
export { applyEffect, emptyStore, holdsLiveGrant, roleIn, type ApsEffect, type ApsRoleIn, type ApsStore, type ApsStoredBucket } from './store.ts';
export { DEFAULT_POLICY_KEY, validateCreatePayload, type ApsInvalidPayload, type ApsPayloadProblem, type ApsValidPayload } from './validate.ts';
