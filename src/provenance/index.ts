// The face of provenance/: recording materializations and reading lineage, provenance and the
// table of an asset's latest materializations.
export { dataVersionOf, inputHashOf, type InputVersion } from './versions.js';
export {
  inputHashSql,
  isPlainJsonText,
  type SqlInputVersion,
  type SqlKeyQuoting,
} from './input-hash-sql.js';
export {
  loadConsumedInputs,
  loadDynamicPartitionKeys,
  loadLatest,
  loadLatestAt,
  loadLatestSince,
  maxLatestMaterializationId,
  addDynamicPartitions,
  loadProducedPartitionKeys,
  type ConsumedInput,
  type LatestIndex,
  type LatestVersion,
} from './latest.js';
export {
  loadCheckResultsOf,
  loadFailedChecks,
  loadLatestCheckResults,
  maxCheckEvaluationId,
  recordCheckEvaluations,
  type CheckEvaluationRecord,
  type CheckResult,
  type CheckResultIndex,
} from './check-evaluations.js';
export {
  appendEvents,
  eventDataJson,
  isEventOf,
  type EventContext,
  type NewEvent,
} from './events.js';
export {
  recordMaterialization,
  recordMaterializations,
  type MaterializationRecord,
  type RecordedInput,
} from './record-materialization.js';
export {
  loadLineage,
  type Lineage,
  type LineageDirection,
  type LineageEdge,
  type LineageNode,
  type LineageQuery,
} from './lineage.js';
export {
  assetNodeOf,
  loadProvenance,
  parseAssetPartition,
  resolveMaterialization,
  type MaterializationRef,
  type Provenance,
  type ProvenanceArtifact,
  type ProvenanceInput,
  type ProvenanceToolCall,
} from './provenance-query.js';
export {
  loadMaterializationTable,
  type MaterializationRow,
  type MaterializationTable,
  type TableCell,
} from './materialization-table.js';
export {
  isCredentialKey,
  isTruncatedArguments,
  recordedArguments,
  redactArguments,
  REDACTED,
  TOOL_ARGUMENTS_MAX_BYTES,
  type TruncatedArguments,
} from './tool-call-arguments.js';
export { loadRunPlans, type PlanApproval, type RunPlan } from './run-plans.js';
export { SLURM_JOB_COLUMNS, slurmJobOf, type ProvenanceSlurmJob } from './slurm-job.js';
