// Kysely row types of the raw tables in schema strata_internal (migrations/).
// Stored things are named *Row to keep them apart from declared (Definition) and resolved (Node) ones.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { EventData, EventDataMap, EventKind } from './event-kinds.js';
import type { RunOptions, StepEndReason, StepReasons, StoredError } from './json-columns.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** jsonb columns: written as JSON text or values, read as parsed values. */
type Json<T = unknown> = ColumnType<T, string | T, string | T>;
/**
 * jsonb columns with a default (`'{}'`, `'[]'`) for hand-written rows; the engine always writes
 * them, so they read as `T`.
 */
type JsonWithDefault<T> = ColumnType<T, string | T | undefined, string | T>;

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'canceled';
export type StepStatus =
  | 'waiting'
  | 'queued'
  | 'running'
  | 'retrying'
  | 'succeeded'
  | 'reused'
  | 'fresh'
  | 'failed'
  | 'skipped'
  | 'canceled';
export type AttemptStatus = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'lost' | 'canceled';
export type WorkerStatus = 'alive' | 'stopped' | 'lost';
export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

export interface AssetDefinitionsTable {
  id: Generated<number>;
  asset_key: string;
  code_version: string;
  definition_hash: string;
  snapshot: Json;
  first_seen_at: Timestamp;
}

export interface RunsTable {
  id: Generated<number>;
  status: RunStatus;
  selection: string;
  options: JsonWithDefault<RunOptions>;
  trigger: ColumnType<string, string | undefined, string>;
  git_commit: string | null;
  host: string;
  pid: number | null;
  pending_steps: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
  /** Why an automated run was launched (migrations/0003_automation.sql). */
  trigger_reason: ColumnType<string | null, string | null | undefined, string | null>;
  launched_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** The experiment plan the run executes (migrations/0014_plan_execution.sql). */
  plan_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The index of the checkpoint the plan's run stops at; NULL for its last segment. */
  plan_checkpoint: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface StepsTable {
  id: Generated<number>;
  run_id: number;
  asset_key: string;
  partition_key: ColumnType<string, string | undefined, string>;
  status: StepStatus;
  deps_remaining: number;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  code_version: string;
  pool: string | null;
  reasons: JsonWithDefault<StepReasons>;
  input_hash: string | null;
  materialization_id: number | null;
  current_attempt_id: number | null;
  error: Json<StoredError | StepEndReason> | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface StepEdgesTable {
  run_id: number;
  upstream_step_id: number;
  downstream_step_id: number;
}

export interface WorkersTable {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  queue_worker_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: WorkerStatus;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  stopped_at: NullableTimestamp;
}

export interface AttemptsTable {
  id: Generated<number>;
  step_id: number;
  run_id: number;
  number: number;
  worker_id: string;
  job_id: string | null;
  status: AttemptStatus;
  error: Json<StoredError> | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  /** The Slurm job that runs the attempt (migrations/0017_slurm.sql); null in the worker. */
  slurm_job_id: ColumnType<string | null, string | null | undefined, string | null>;
  slurm_state: ColumnType<string | null, string | null | undefined, string | null>;
  slurm_reason: ColumnType<string | null, string | null | undefined, string | null>;
  slurm_nodes: ColumnType<string | null, string | null | undefined, string | null>;
  slurm_partition: ColumnType<string | null, string | null | undefined, string | null>;
  slurm_exit_code: ColumnType<string | null, string | null | undefined, string | null>;
  slurm_elapsed_s: ColumnType<number | null, number | null | undefined, number | null>;
  slurm_cpu_s: ColumnType<number | null, number | null | undefined, number | null>;
  slurm_max_rss_bytes: ColumnType<string | null, number | null | undefined, number | null>;
  /** When a tracker saw the job end; null while it is tracked. */
  slurm_ended_at: NullableTimestamp;
}

export interface MaterializationsTable {
  id: Generated<number>;
  asset_key: string;
  partition_key: ColumnType<string, string | undefined, string>;
  run_id: number | null;
  step_id: number | null;
  attempt_id: number | null;
  code_version: string;
  data_version: string;
  input_hash: string;
  value: Json | null;
  value_artifact: string | null;
  value_size: number;
  metadata: ColumnType<
    Record<string, unknown>,
    string | Record<string, unknown> | undefined,
    string | Record<string, unknown>
  >;
  partition_keys: string[] | null;
  reused_from: number | null;
  started_at: NullableTimestamp;
  finished_at: Timestamp;
  duration_ms: number | null;
  host: string | null;
  worker_id: string | null;
  git_commit: string | null;
  /** 'observed' for a source asset's observation (no run), else 'computed'. */
  kind: ColumnType<MaterializationKind, MaterializationKind | undefined, MaterializationKind>;
  created_at: Timestamp;
}

export type MaterializationKind = 'computed' | 'observed';

export interface LatestMaterializationsTable {
  asset_key: string;
  partition_key: string;
  materialization_id: number;
  code_version: string;
  data_version: string;
  input_hash: string;
  materialized_at: Timestamp;
  /** Source assets: the last observation, whether or not it found a new version. */
  observed_at: NullableTimestamp;
}

export interface MaterializationInputsTable {
  materialization_id: number;
  input_name: string;
  dep_asset_key: string;
  dep_partition_key: string;
  dep_materialization_id: number;
  dep_data_version: string;
}

/** One evaluation of a check on a materialization (migrations/0022_asset_checks.sql). */
export interface CheckEvaluationsTable {
  id: Generated<number>;
  materialization_id: number;
  asset_key: string;
  partition_key: string;
  check_name: string;
  check_version: string;
  passed: boolean;
  severity: 'warn' | 'error';
  blocking: boolean;
  description: string | null;
  metadata: JsonWithDefault<Record<string, unknown>>;
  error: Json<StoredError> | null;
  run_id: number | null;
  step_id: number | null;
  evaluated_at: Timestamp;
  duration_ms: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  run_id: number | null;
  step_id: number | null;
  attempt_id: number | null;
  asset_key: string | null;
  partition_key: string | null;
  kind: EventKind;
  level: ColumnType<EventLevel, EventLevel | undefined, EventLevel>;
  message: string;
  /** The kind's payload (EventDataMap); null for kinds without one. */
  data: Json<NonNullable<EventData>> | null;
  created_at: Timestamp;
}

export interface ArtifactsTable {
  sha256: string;
  size: number;
  content_type: string;
  created_at: Timestamp;
}

export interface MaterializationArtifactsTable {
  materialization_id: number;
  sha256: string;
  name: string;
}

export interface DynamicPartitionsTable {
  set_name: string;
  partition_key: string;
  added_at: Timestamp;
  /** What the partition was added with (an experiment plan for a study's DOE asset). */
  payload: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface PoolSlotsTable {
  pool: string;
  slot: number;
  attempt_id: number | null;
  worker_id: string | null;
  acquired_at: NullableTimestamp;
}

export interface ToolCallsTable {
  id: Generated<number>;
  run_id: number | null;
  step_id: number | null;
  attempt_id: number;
  materialization_id: number | null;
  server: string;
  tool: string;
  tool_version: string | null;
  argument_hash: string;
  idempotency_key: string;
  result_id: string | null;
  status: 'succeeded' | 'failed';
  error: string | null;
  started_at: Timestamp;
  duration_ms: number;
  /** How long the call waited for another holder of its idempotency key (migrations/0007). */
  waited_ms: ColumnType<number, number | undefined, number>;
  /** The attempt whose hold on the key this call took over (its worker was gone). */
  took_over_from_attempt_id: ColumnType<number | null, number | null | undefined, number | null>;
  /**
   * The canonical arguments, credentials redacted, or the marker of arguments over 64 KiB
   * (migrations/0020; src/provenance/tool-call-arguments.ts); null for calls recorded before.
   * Written as JSON text.
   */
  arguments: ColumnType<unknown, string | null | undefined, string | null>;
}

/** A tool-call idempotency key held while its call is in flight (migrations/0007). */
export interface ToolCallHoldsTable {
  idempotency_key: string;
  server: string;
  tool: string;
  worker_id: string;
  attempt_id: number;
  acquired_at: Timestamp;
}

export type TickStatus = 'running' | 'succeeded' | 'failed';

/** One request of a tick: asset partitions and why (partitions empty: unpartitioned). */
export interface TickEntry {
  readonly key: string;
  readonly partitions: readonly string[];
  readonly rule?: string;
  readonly reason: string;
}

/** What a tick observed of one source asset: partitions and outcome (a new version or not). */
export interface ObservedEntry {
  readonly key: string;
  readonly partitions: readonly string[];
  readonly outcome: 'new' | 'unchanged' | 'failed';
  /** The version found (the newest when several partitions changed); null when it failed. */
  readonly dataVersion: string | null;
  readonly error?: string;
}

export interface AutomationTicksTable {
  id: Generated<number>;
  daemon_id: string;
  host: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  status: TickStatus;
  evaluated_assets: ColumnType<number, number | undefined, number>;
  evaluated_partitions: ColumnType<number, number | undefined, number>;
  run_id: number | null;
  launched: ColumnType<TickEntry[], string | undefined, string>;
  held: ColumnType<TickEntry[], string | undefined, string>;
  error: string | null;
  observed: ColumnType<ObservedEntry[], string | undefined, string>;
}

export interface AutomationBackoffTable {
  asset_key: string;
  partition_key: string;
  failures: number;
  retry_after: Timestamp;
  last_run_id: number | null;
}

export interface AutomationCronLaunchesTable {
  asset_key: string;
  partition_key: string;
  /** The tick of the asset's schedule this launch served. */
  cron_tick: Timestamp;
  run_id: number;
  launched_at: Timestamp;
}

/** The database as Kysely sees it. */
export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  role: string;
  token_sha256: Buffer;
  created_at: Generated<Date>;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

export interface PlansTable {
  id: string;
  study: string;
  title: string;
  document: ColumnType<unknown, string, string>;
  predecessor: string | null;
  state: string;
  proposed_by: string;
  proposed_at: Generated<Date>;
  checkpoints_passed: Generated<number>;
  tool_calls_used: Generated<number>;
}

export interface PlanTransitionsTable {
  id: Generated<number>;
  plan_id: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  origin: string;
  comment: string | null;
  at: Generated<Date>;
  code_versions: ColumnType<
    Record<string, string> | null,
    string | null | undefined,
    string | null
  >;
  run_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** On approvals: the distinct approvals the plan has for the code the approver saw. */
  approvals: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A sink's OpenLineage delivery cursor (migrations/0021_openlineage_delivery.sql). */
export interface OpenLineageCursorsTable {
  /** The receiver's URL (no credentials, no query) or `file://<host><absolute path>`. */
  sink: string;
  /** Every event with an id at or below this was delivered to the sink. */
  delivered_event_id: number;
  delivered_at: NullableTimestamp;
  created_at: Timestamp;
}

/** A backfill's status (migrations/0023_backfills.sql, docs/backfills.md). */
export type BackfillStatus = 'running' | 'paused' | 'canceled' | 'succeeded' | 'failed';
/** A backfill target's state. */
export type BackfillTargetState = 'pending' | 'launched' | 'done' | 'failed' | 'held';

/** What a backfill was created with, kept for display (options of strata_internal.backfills). */
export interface BackfillOptions {
  readonly from?: string;
  readonly to?: string;
  readonly partitions?: readonly string[];
  readonly missing?: boolean;
  readonly failed?: boolean;
  readonly force?: boolean;
}

/** A backfill (migrations/0023_backfills.sql). */
export interface BackfillsTable {
  id: Generated<number>;
  selection: string;
  status: BackfillStatus;
  chunk_size: number;
  max_runs: number;
  options: JsonWithDefault<BackfillOptions>;
  launched_by: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

/** One (asset, partition) target of a backfill. */
export interface BackfillTargetsTable {
  backfill_id: number;
  asset_key: string;
  partition_key: string;
  ord: number;
  state: BackfillTargetState;
  run_id: ColumnType<number | null, number | null | undefined, number | null>;
  launches: ColumnType<number, number | undefined, number>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Database {
  'strata_internal.asset_definitions': AssetDefinitionsTable;
  'strata_internal.runs': RunsTable;
  'strata_internal.steps': StepsTable;
  'strata_internal.step_edges': StepEdgesTable;
  'strata_internal.workers': WorkersTable;
  'strata_internal.attempts': AttemptsTable;
  'strata_internal.materializations': MaterializationsTable;
  'strata_internal.latest_materializations': LatestMaterializationsTable;
  'strata_internal.materialization_inputs': MaterializationInputsTable;
  'strata_internal.events': EventsTable;
  'strata_internal.check_evaluations': CheckEvaluationsTable;
  'strata_internal.artifacts': ArtifactsTable;
  'strata_internal.materialization_artifacts': MaterializationArtifactsTable;
  'strata_internal.dynamic_partitions': DynamicPartitionsTable;
  'strata_internal.pool_slots': PoolSlotsTable;
  'strata_internal.tool_calls': ToolCallsTable;
  'strata_internal.tool_call_holds': ToolCallHoldsTable;
  'strata_internal.automation_ticks': AutomationTicksTable;
  'strata_internal.automation_backoff': AutomationBackoffTable;
  'strata_internal.automation_cron_launches': AutomationCronLaunchesTable;
  'strata_internal.api_tokens': ApiTokensTable;
  'strata_internal.plans': PlansTable;
  'strata_internal.plan_transitions': PlanTransitionsTable;
  'strata_internal.openlineage_cursors': OpenLineageCursorsTable;
  'strata_internal.backfills': BackfillsTable;
  'strata_internal.backfill_targets': BackfillTargetsTable;
}

export type RunRow = Selectable<RunsTable>;
export type StepRow = Selectable<StepsTable>;
export type NewStepRow = Insertable<StepsTable>;
export type StepUpdate = Updateable<StepsTable>;
export type AttemptRow = Selectable<AttemptsTable>;
export type WorkerRow = Selectable<WorkersTable>;
export type MaterializationRow = Selectable<MaterializationsTable>;
export type NewMaterializationRow = Insertable<MaterializationsTable>;
export type LatestMaterializationRow = Selectable<LatestMaterializationsTable>;
export type MaterializationInputRow = Selectable<MaterializationInputsTable>;
export type EventRow = Selectable<EventsTable>;
export type CheckEvaluationRow = Selectable<CheckEvaluationsTable>;
/** A stored event of kind `K`, its data typed by EventDataMap (narrow rows with `isEventOf`). */
export type EventRowOf<K extends EventKind> = {
  [P in K]: Omit<EventRow, 'kind' | 'data'> & { kind: P; data: EventDataMap[P] | null };
}[K];
export type NewEventRow = Insertable<EventsTable>;

export type ToolCallRow = Selectable<ToolCallsTable>;
export type ToolCallHoldRow = Selectable<ToolCallHoldsTable>;
export type AutomationTickRow = Selectable<AutomationTicksTable>;
