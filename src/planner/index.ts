// The face of planner/: statuses, causes, root causes, status summaries, live partition
// activity and plans.
export { computeStatus, currentInputs, type StatusReport } from './compute-status.js';
export { createPlan, type Plan, type PlanOptions, type PlannedStep } from './create-plan.js';
export {
  activityOf,
  loadPartitionActivity,
  type ActivityFlags,
  type ActivityReport,
  type PartitionActivity,
} from './partition-activity.js';
export { resolvePartitionSets, type PartitionSet } from './partition-sets.js';
export { rootCauses, statusOf } from './root-causes.js';
export { indexSteps, upstreamSteps, type StepIndex, type StepRef } from './step-edges.js';
export {
  MAX_CAUSE_PARTITIONS,
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
