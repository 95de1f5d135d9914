// The shapes of the API's answers, inferred from the server's own zod schemas so the UI and the
// server cannot drift apart. Type-only: nothing of the server is bundled into the UI.
import type { z } from 'zod';
import type {
  AssetDetailResponse,
  AssetGraphResponse,
  MaterializationPage as MaterializationPageSchema,
  PartitionPage as PartitionPageSchema,
} from '../../../src/server/schemas/asset-schemas.js';
import type {
  LineageResponse,
  ProvenanceResponse,
} from '../../../src/server/schemas/materialization-schemas.js';
import type {
  LaunchResponse,
  RunActionResponse,
  RunDetail as RunDetailSchema,
  RunEventPage as RunEventPageSchema,
  RunPage as RunPageSchema,
  RunProgressMessage,
} from '../../../src/server/schemas/run-schemas.js';
import type { AutomationTickPage as AutomationTickPageSchema } from '../../../src/server/schemas/automation-schemas.js';
import type {
  PlanDetailResponse,
  PlanListResponse,
  PlanRunStartResponse,
} from '../../../src/server/schemas/plan-schemas.js';
import type { SessionResponse } from '../../../src/server/schemas/session-schemas.js';
import type {
  BackfillCreateRequest,
  BackfillDetail as BackfillDetailSchema,
  BackfillList as BackfillListSchema,
} from '../../../src/server/schemas/backfill-schemas.js';
import type { AssetStatusesResponse } from '../../../src/server/schemas/asset-status-schemas.js';
import type { SearchResponse } from '../../../src/server/schemas/search-schemas.js';
import type { GraphColumnsResponse } from '../../../src/server/schemas/graph-schemas.js';
import type {
  ErrorResponse,
  RootCause as RootCauseSchema,
} from '../../../src/server/schemas/common-schemas.js';

export type AssetGraph = z.infer<typeof AssetGraphResponse>;
export type AssetNode = AssetGraph['nodes'][number];
export type AssetEdge = AssetGraph['edges'][number];
export type AssetStatus = AssetNode['status'];
export type AssetDetail = z.infer<typeof AssetDetailResponse>;
export type AssetStatuses = z.infer<typeof AssetStatusesResponse>;
export type GraphColumns = z.infer<typeof GraphColumnsResponse>;
export type PartitionPage = z.infer<typeof PartitionPageSchema>;
export type PartitionItem = PartitionPage['items'][number];
/** A check an asset declares. */
export type AssetCheck = AssetDetail['checks'][number];
/** A check's latest verdict on a partition's latest materialization. */
export type CheckResult = PartitionItem['checks'][number];
export type MaterializationPage = z.infer<typeof MaterializationPageSchema>;
export type MaterializationSummary = MaterializationPage['items'][number];
export type Provenance = z.infer<typeof ProvenanceResponse>;
export type Lineage = z.infer<typeof LineageResponse>;
export type RunPage = z.infer<typeof RunPageSchema>;
export type RunSummary = RunPage['items'][number];
export type RunDetail = z.infer<typeof RunDetailSchema>;
export type RunStep = RunDetail['steps'][number];
export type RunAttempt = RunDetail['attempts'][number];
export type RunEventPage = z.infer<typeof RunEventPageSchema>;
export type RunEvent = RunEventPage['items'][number];
export type RunProgress = z.infer<typeof RunProgressMessage>;
export type LaunchResult = z.infer<typeof LaunchResponse>;
export type RunActionResult = z.infer<typeof RunActionResponse>;
export type ApiErrorBody = z.infer<typeof ErrorResponse>;
export type RootCause = z.infer<typeof RootCauseSchema>;
export type StaleCause = RootCause['causes'][number];
export type AssetFreshness = NonNullable<AssetStatus['freshness']>;
export type FreshnessState = AssetFreshness['state'];
export type FreshnessPolicy = AssetFreshness['policy'];
export type PartitionFreshness = NonNullable<PartitionItem['freshness']>;
export type AutomationPolicy = NonNullable<AssetNode['automation']>;
export type SourceObservation = NonNullable<AssetNode['source']>;
export type AutomationTickPage = z.infer<typeof AutomationTickPageSchema>;
export type AutomationTick = AutomationTickPage['items'][number];
export type TickEntry = AutomationTick['launched'][number];
export type ObservedEntry = AutomationTick['observed'][number];
export type PlanList = z.infer<typeof PlanListResponse>;
export type PlanSummary = PlanList['plans'][number];
export type PlanDetail = z.infer<typeof PlanDetailResponse>;
export type PlanState = PlanDetail['state'];
export type PlanDocument = PlanDetail['document'];
export type PlanTransition = PlanDetail['transitions'][number];
export type DesignPoint = PlanDetail['points'][number];
export type StudyBounds = NonNullable<PlanDetail['studyBounds']>;
export type PlanRun = PlanDetail['runs'][number];
export type PlanDryRun = NonNullable<PlanDetail['dryRun']>;
export type PlanResults = NonNullable<PlanDetail['results']>;
export type PlanRunStart = z.infer<typeof PlanRunStartResponse>;
export type Session = z.infer<typeof SessionResponse>;
export type BackfillList = z.infer<typeof BackfillListSchema>;
export type BackfillSummary = BackfillList['items'][number];
export type BackfillDetail = z.infer<typeof BackfillDetailSchema>;
export type BackfillStatus = BackfillDetail['status'];
export type BackfillCounts = BackfillDetail['totals'];
export type BackfillAsset = BackfillDetail['assets'][number];
export type BackfillProblem = BackfillDetail['problems'][number];
export type BackfillRequest = z.input<typeof BackfillCreateRequest>;
export type SearchResult = z.infer<typeof SearchResponse>;

/** GET /api/selection. */
export interface SelectionResult {
  readonly keys: string[];
  readonly partitions: Record<string, string[]>;
}

/** What a node is coloured by: its live state, else its status. */
export type NodeState = 'running' | 'failed' | 'blocked' | 'missing' | 'stale' | 'fresh' | 'empty';
