// The face of planner/: statuses, causes, root causes, status summaries, the status and why
// documents, freshness and what it requires, live partition activity and plans.
export {
  computeStatus,
  currentInputs,
  type StatusOptions,
  type StatusReport,
} from './compute-status.js';
export { countableAssets, statusWithVerdicts } from './status-with-verdicts.js';
export { FULL_REFRESH_MS, StatusCache, type StatusRefresh } from './status-cache.js';
export { createPlan, type Plan, type PlanOptions, type PlannedStep } from './create-plan.js';
export {
  evaluateFreshness,
  freshnessPolicyView,
  isWorseFreshness,
  type AssetFreshness,
  type FreshnessCounts,
  type FreshnessEvaluation,
  type FreshnessOptions,
  type FreshnessPolicyView,
} from './asset-freshness.js';
export {
  FRESHNESS_STATE_ORDER,
  judgeFreshness,
  plainFreshness,
  type FreshnessState,
  type PartitionFreshness,
} from './freshness-judge.js';
export { localTime } from './freshness-words.js';
export {
  freshnessRequirements,
  MAX_REQUIREMENT_REASONS,
  partitionsToRebuild,
  shortCause,
  type FreshnessRequirement,
  type RequiredPartition,
  type RequirementOptions,
} from './freshness-requirements.js';
export {
  activityOf,
  loadPartitionActivity,
  type ActivityFlags,
  type ActivityReport,
  type PartitionActivity,
} from './partition-activity.js';
export { resolvePartitionSets, type PartitionSet } from './partition-sets.js';
export { rootCauses, statusOf } from './root-causes.js';
export { UnavailableInputError, type UnavailableInput } from './unavailable-input-error.js';
export {
  indexSteps,
  upstreamSteps,
  visitReads,
  type ReadVisitor,
  type StepIndex,
  type StepRef,
} from './step-edges.js';
export {
  MAX_CAUSE_PARTITIONS,
  MAX_LISTED_ROOT_CAUSES,
  STALE_CATEGORY_ORDER,
  type PartitionStatus,
  type RootCause,
  type StaleCategory,
  type StaleCause,
  type StatusName,
} from './status-types.js';
export {
  summarizeAsset,
  summarizeAssets,
  type AssetState,
  type AssetStatusName,
  type AssetStatusSummary,
  type PartitionCounts,
  type PartitionSummary,
  type StatusTotals,
  type SummaryOptions,
} from './status-summary.js';
export {
  statusDocument,
  type AssetFreshnessView,
  type AssetStatusView,
  type PartitionStatusView,
  type StatusDocument,
} from './status-document.js';
export {
  whyDocument,
  type RebuildView,
  type WhyDocument,
  type WhyFreshness,
} from './why-document.js';
