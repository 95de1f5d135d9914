// The face of planner/: statuses, causes, root causes and plans.
export { computeStatus, currentInputs, type StatusReport } from './compute-status.js';
export { createPlan, type Plan, type PlanOptions, type PlannedStep } from './create-plan.js';
export { resolvePartitionSets, type PartitionSet } from './partition-sets.js';
export { rootCauses, statusOf } from './root-causes.js';
export { indexSteps, upstreamSteps, type StepIndex, type StepRef } from './step-edges.js';
export {
  MAX_CAUSE_PARTITIONS,
  type PartitionStatus,
  type RootCause,
  type StaleCategory,
  type StaleCause,
  type StatusName,
} from './status-types.js';
