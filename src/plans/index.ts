// The face of plans/: the experiment plan document (docs/plans.md), its id and JSON Schema,
// checking a plan against the definitions and its study's space, and revising and comparing plans.
export { PlanValidationError, type PlanIssue } from './plan-issues.js';
export { experimentPlanJsonSchema } from './plan-json-schema.js';
export { ExperimentPlanSchema, type ExperimentPlan } from './plan-schema.js';
export type { StudySpace } from './study-space.js';
export {
  experimentPlanId,
  parseExperimentPlan,
  planIssues,
  validateExperimentPlan,
} from './validate-plan.js';
export {
  PLAN_STATES,
  PLAN_TRANSITIONS,
  PLAN_RUN_TRANSITIONS,
  ENGINE_PLAN_TRANSITIONS,
  type PlanRunAction,
  type PlanAction,
  type PlanState,
  type PlanTransitionRule,
} from './plan-states.js';
export {
  changePlanState,
  listPlans,
  recordTransition,
  loadPlan,
  proposePlan,
  storedPlanJson,
  type PlanActor,
  type StoredPlan,
} from './plan-store.js';
export {
  designPointKey,
  planDesignPoints,
  type DesignValue,
  type PlannedDesignPoint,
} from './design-points.js';
export { PlanApprovalOutdatedError } from './plan-approval.js';
export { startPlanRun, type PlanRunOptions, type PlanRunStart } from './execute-plan.js';
export { planOf, type PlanPayload } from './plan-payload.js';
export {
  codeVersionChanges,
  pipelineCodeVersions,
  planSegments,
  type PlanSegment,
} from './plan-segments.js';
export { planDryRun, type DryRunAsset, type PlanDryRun } from './plan-dry-run.js';
export { planDiff, type PlanChange, type PlanChangeKind } from './plan-diff.js';
export { comparePlans, type PlanComparison } from './plan-comparison.js';
export {
  mergePatch,
  planRevision,
  revisedPlanDocument,
  type PlanRevision,
} from './plan-revision.js';
export {
  planResults,
  type DesignResult,
  type PlanResult,
  type PlanResults,
} from './plan-results.js';
