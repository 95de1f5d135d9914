// The face of definitions/: declaring assets, partitions and policies.
export {
  assetKey,
  isAssetKey,
  partitionKeyProblem,
  type AssetKey,
  type PartitionKey,
} from './asset-key.js';
export { artifactRefSchema, type ArtifactRef } from './artifact-ref.js';
export {
  asset,
  allPartitions,
  DEFAULT_GROUP,
  producedBySamePartition,
  type AllPartitionsDependency,
  type ProducedPartitionsDependency,
  type AnyAssetDefinition,
  type ArtifactAccess,
  type AssetContext,
  type AssetDefinition,
  type AssetLogger,
  type AssetOptions,
  type AssetSpec,
  type DependencyDefinition,
  type DependencyInput,
  type InputsOf,
  type MetadataValue,
  type ObservationPolicy,
  type PartitionMapping,
} from './asset.js';
export {
  check,
  collectChecks,
  type CheckContext,
  type CheckDefinition,
  type CheckFunctionResult,
  type CheckSeverity,
  type CheckSpec,
  type CheckVerdict,
} from './asset-check.js';
export {
  OBSERVED_CODE_VERSION,
  sourceAsset,
  type ObserveContext,
  type SourceAssetSpec,
} from './source-asset.js';
export {
  defineAssets,
  executorOf,
  orderingEdges,
  type DefineAssetsOptions,
  type Definitions,
  type PlanApprovalPolicy,
  type ResolvedDependency,
} from './define-assets.js';
export { parseDuration, type Duration } from './duration.js';
export type { CronSchedule } from './cron-schedule.js';
export {
  cronScheduleOf,
  describeFreshnessPolicy,
  normalizeFreshnessPolicy,
  type FreshnessPolicy,
  type FreshnessPolicyInput,
} from './freshness-policy.js';
export {
  cronPartitions,
  dailyPartitions,
  hourlyPartitions,
  monthlyPartitions,
  weeklyPartitions,
  type TimeGranularity,
  type TimeWindowOptions,
  type TimeWindowPartitions,
} from './time-window-partitions.js';
export {
  timeWindowKeyContaining,
  timeWindowKeysAt,
  timeWindowKeysStartingIn,
  timeWindowOf,
  type TimeWindow,
} from './time-windows.js';
export {
  DIMENSION_SEPARATOR,
  dimensionKeysOf,
  joinDimensionKeys,
  multiPartitions,
  splitDimensionKeys,
  type DimensionPartitions,
  type MultiPartitions,
  type PartitionDimension,
} from './multi-partitions.js';
export {
  byDimension,
  timeWindowOffset,
  timeWindowsWithin,
  type DimensionRule,
  type DimensionsDependency,
  type TimeWindowOffsetDependency,
  type TimeWindowsWithinDependency,
  type WindowMappingSpec,
} from './partition-mappings.js';
export type { ResolvedDimension, ResolvedWindowMapping } from './resolve-window-mapping.js';
export {
  describePartitions,
  dynamicPartitions,
  partitionSetId,
  producedPartitions,
  staticPartitions,
  validateProducedKeys,
  type DynamicPartitions,
  type PartitionsDefinition,
  type ProducedPartitions,
  type StaticPartitions,
} from './partitions.js';
export {
  automationScheduleOf,
  describeAutomationPolicy,
  normalizeAutomationPolicy,
  type AutomationContext,
  type AutomationPolicy,
  type AutomationPolicyInput,
  type AutomationRule,
} from './automation-policy.js';
export {
  normalizeRetryPolicy,
  retryDelayMs,
  type Backoff,
  type RetryPolicy,
  type RetryPolicyInput,
} from './retry-policy.js';
export {
  IDEMPOTENCY_META_KEY,
  mcpStdioServer,
  mcpHttpServer,
  type McpHttpServer,
  type McpStdioServer,
  type ToolServerDefinition,
  type ToolAccess,
  type ToolCallResult,
} from './tool-server.js';
export { study, type StudyDefinition, type StudySpec } from './study.js';
export {
  normalizeExecutor,
  slurm,
  type ExecutorDefinition,
  type SlurmExecutor,
  type SlurmExecutorDeclaration,
  type SlurmExecutorInput,
} from './slurm.js';
