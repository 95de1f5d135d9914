/**
 * The public API of strata: what asset definitions (`import { asset } from 'strata'`), tool
 * servers and embedding programs use, named one by one. Everything else, the engine's helpers
 * included (policy normalization, partition-set identities, cron compilation), is internal and
 * may change in any release.
 *
 * @example
 * ```ts
 * import { allPartitions, asset, defineAssets, staticPartitions } from 'strata';
 * import { z } from 'zod';
 *
 * const loads = staticPartitions(['gravity', 'wind']);
 * const deflection = asset({
 *   key: 'deflection',
 *   partitions: loads,
 *   schema: z.number(),
 *   compute: ({ partitionKey }) => (partitionKey === 'wind' ? 2.5 : 1),
 * });
 * const worst = asset({
 *   key: 'worst_deflection',
 *   deps: { deflection: allPartitions(deflection) }, // every load case: key -> value
 *   schema: z.number(),
 *   compute: ({ inputs }) => Math.max(...Object.values(inputs.deflection)),
 * });
 *
 * export default defineAssets([deflection, worst]);
 * ```
 * @module
 */

// Declaring assets.
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
  type DependencyInputs,
  type InputsOf,
  type MetadataValue,
  type ObservationPolicy,
  type PartitionMapping,
} from './definitions/asset.js';
export {
  sourceAsset,
  type ObserveContext,
  type SourceAssetSpec,
} from './definitions/source-asset.js';
// Checks of materialized values (docs/semantics.md, "Asset checks").
export {
  check,
  type CheckContext,
  type CheckDefinition,
  type CheckFunctionResult,
  type CheckSeverity,
  type CheckSpec,
  type CheckVerdict,
} from './definitions/asset-check.js';
export {
  defineAssets,
  type DefineAssetsOptions,
  type Definitions,
  type PlanApprovalPolicy,
  type ResolvedDependency,
} from './definitions/define-assets.js';
export { assetKey, isAssetKey, type AssetKey, type PartitionKey } from './definitions/asset-key.js';
// What experiment plans may vary (docs/plans.md).
export { study, type StudyDefinition, type StudySpec } from './definitions/study.js';
export { planOf, type PlanPayload } from './plans/plan-payload.js';

// Partitions.
export {
  dynamicPartitions,
  producedPartitions,
  staticPartitions,
  type DynamicPartitions,
  type PartitionsDefinition,
  type ProducedPartitions,
  type StaticPartitions,
} from './definitions/partitions.js';
export {
  cronPartitions,
  dailyPartitions,
  hourlyPartitions,
  monthlyPartitions,
  weeklyPartitions,
  type TimeGranularity,
  type TimeWindowOptions,
  type TimeWindowPartitions,
} from './definitions/time-window-partitions.js';
export {
  dimensionKeysOf,
  multiPartitions,
  type DimensionPartitions,
  type MultiPartitions,
  type PartitionDimension,
} from './definitions/multi-partitions.js';
export {
  byDimension,
  timeWindowOffset,
  timeWindowsWithin,
  type DimensionRule,
  type DimensionsDependency,
  type TimeWindowOffsetDependency,
  type TimeWindowsWithinDependency,
} from './definitions/partition-mappings.js';

// Policies: retries, freshness, automation. Declared as the *Input types; the definitions hold
// the validated forms.
export type { Duration } from './definitions/duration.js';
export type { Backoff, RetryPolicy, RetryPolicyInput } from './definitions/retry-policy.js';
export type { FreshnessPolicy, FreshnessPolicyInput } from './definitions/freshness-policy.js';
export type {
  AutomationPolicy,
  AutomationPolicyInput,
  AutomationRule,
} from './definitions/automation-policy.js';

// Where an asset's compute runs: slurm({...}) submits each attempt as a Slurm batch job.
export {
  slurm,
  type ExecutorDefinition,
  type SlurmExecutor,
  type SlurmExecutorDeclaration,
  type SlurmExecutorInput,
} from './definitions/slurm.js';

// Artifacts and tool servers. Tool servers store their results in the same content-addressed
// store as the engine: its location arrives in $STRATA_ARTIFACT_STORE, and they open it with
// openArtifactStore as the engine does.
export { artifactRefSchema, type ArtifactRef } from './definitions/artifact-ref.js';
export {
  IDEMPOTENCY_META_KEY,
  mcpStdioServer,
  mcpHttpServer,
  type McpHttpServer,
  type McpStdioServer,
  type ToolServerDefinition,
  type ToolAccess,
  type ToolCallResult,
} from './definitions/tool-server.js';
export {
  ARTIFACT_STORE_ENV,
  ARTIFACT_STORE_MODE_ENV,
  ArtifactIntegrityError,
  ArtifactStoreError,
  collectArtifactRefs,
  LocalArtifactStore,
  openArtifactStore,
  type ArtifactSource,
  type ArtifactStat,
  type ArtifactStore,
  type ArtifactStoreConfig,
  type LocalArtifactStoreOptions,
  type PutArtifactOptions,
  type StoreSharing,
} from './artifacts/index.js';

// Errors: each says who is at fault.
export {
  DefinitionError,
  EnvironmentError,
  faultOf,
  FAULTS,
  ForbiddenError,
  InvariantError,
  isUserFacingError,
  NotFoundError,
  StrataError,
  UsageError,
  UserCodeError,
  type Fault,
  type StrataErrorOptions,
} from './errors.js';
