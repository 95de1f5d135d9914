// What translating a batch of events needs beyond the events: their runs, steps, the
// materializations steps recorded with their inputs, the checks' verdicts on those and on the
// inputs, the steps' tool calls, and which steps already sent their START (an earlier retry).
// One query per table per batch: runs, steps, tool calls and retries first, then the
// materializations (some named only by their step's row), their inputs and the verdicts.
import { sql, type Kysely } from 'kysely';
import type { Database, EventRow, StepEndReason, StoredError } from '../store/index.js';
import type { CheckVerdict, ToolCallEntry } from './facets.js';

/** A run as its OpenLineage events describe it. */
export interface RunFacts {
  readonly id: number;
  readonly createdAt: Date;
  readonly selection: string;
}

/** A step as its OpenLineage events describe it. */
export interface StepFacts {
  readonly id: number;
  readonly runId: number;
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly codeVersion: string;
  readonly inputHash: string | null;
  readonly startedAt: Date | null;
  readonly createdAt: Date;
  readonly error: StoredError | StepEndReason | null;
  /** The step row's materialization (set when it materialized, or a blocking check failed). */
  readonly materializationId: number | null;
}

/** One input of a materialization. */
export interface InputFacts {
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly materializationId: number;
  readonly dataVersion: string;
}

/** A recorded materialization and what it consumed. */
export interface MaterializationFacts {
  readonly id: number;
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly dataVersion: string;
  readonly inputHash: string;
  readonly codeVersion: string;
  readonly inputs: readonly InputFacts[];
}

/** Everything a batch's translation reads. */
export interface TranslationContext {
  readonly runs: ReadonlyMap<number, RunFacts>;
  readonly steps: ReadonlyMap<number, StepFacts>;
  readonly materializations: ReadonlyMap<number, MaterializationFacts>;
  readonly toolCalls: ReadonlyMap<number, readonly ToolCallEntry[]>;
  /** Event ids of each step's step_retry_scheduled events (ascending). */
  readonly retryEventIds: ReadonlyMap<number, readonly number[]>;
  /**
   * The latest verdict of each check on each materialization of the batch and on each
   * materialization those read (by materialization id, ordered by check name).
   */
  readonly verdicts: ReadonlyMap<number, readonly CheckVerdict[]>;
}

const distinct = (values: readonly (number | null)[]): number[] => [
  ...new Set(values.filter((v): v is number => v !== null)),
];

/** The materialization an event names in its data, if any. */
export function materializationIdOf(event: EventRow): number | null {
  const data = event.data as { materializationId?: unknown } | null;
  return typeof data?.materializationId === 'number' ? data.materializationId : null;
}

/**
 * The materialization a step event is about: the one its data names, else, for the
 * `step_failed` of a step a blocking check failed (its materialization recorded, no
 * `step_materialized`), the one on the step's row.
 */
export function stepMaterializationIdOf(
  event: EventRow,
  step: StepFacts | undefined,
): number | null {
  const named = materializationIdOf(event);
  if (named !== null || event.kind !== 'step_failed') return named;
  const data = event.data as { error?: { name?: unknown } } | null;
  return data?.error?.name === 'BlockingCheckFailed' ? (step?.materializationId ?? null) : null;
}

/** Loads the context of translating `events`. */
export async function loadTranslationContext(
  db: Kysely<Database>,
  events: readonly EventRow[],
): Promise<TranslationContext> {
  const runIds = distinct(events.map((e) => e.run_id));
  const stepIds = distinct(events.map((e) => e.step_id));
  const [runs, steps, toolCalls, retryEventIds] = await Promise.all([
    loadRuns(db, runIds),
    loadSteps(db, stepIds),
    loadToolCalls(db, stepIds),
    loadRetryEvents(db, runIds, stepIds),
  ]);
  const materializationIds = distinct(
    events.map((e) =>
      stepMaterializationIdOf(e, e.step_id === null ? undefined : steps.get(e.step_id)),
    ),
  );
  const [materializations, verdicts] = await Promise.all([
    loadMaterializations(db, materializationIds),
    loadVerdicts(db, materializationIds),
  ]);
  return { runs, steps, materializations, toolCalls, retryEventIds, verdicts };
}

async function loadRuns(db: Kysely<Database>, ids: number[]): Promise<Map<number, RunFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.runs')
    .select(['id', 'created_at', 'selection'])
    .where('id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [r.id, { id: r.id, createdAt: r.created_at, selection: r.selection }]),
  );
}

async function loadSteps(db: Kysely<Database>, ids: number[]): Promise<Map<number, StepFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.steps')
    .select([
      'id',
      'run_id',
      'asset_key',
      'partition_key',
      'code_version',
      'input_hash',
      'started_at',
      'created_at',
      'error',
      'materialization_id',
    ])
    .where('id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        runId: r.run_id,
        assetKey: r.asset_key,
        partitionKey: r.partition_key,
        codeVersion: r.code_version,
        inputHash: r.input_hash,
        startedAt: r.started_at,
        createdAt: r.created_at,
        error: r.error,
        materializationId: r.materialization_id === null ? null : Number(r.materialization_id),
      },
    ]),
  );
}

async function loadMaterializations(
  db: Kysely<Database>,
  ids: number[],
): Promise<Map<number, MaterializationFacts>> {
  if (ids.length === 0) return new Map();
  const [rows, inputs] = await Promise.all([
    db
      .selectFrom('strata_internal.materializations')
      .select(['id', 'asset_key', 'partition_key', 'data_version', 'input_hash', 'code_version'])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('strata_internal.materialization_inputs')
      .select([
        'materialization_id',
        'dep_asset_key',
        'dep_partition_key',
        'dep_materialization_id',
        'dep_data_version',
      ])
      .where('materialization_id', 'in', ids)
      .orderBy('materialization_id')
      .orderBy('input_name')
      .execute(),
  ]);
  const inputsOf = new Map<number, InputFacts[]>();
  for (const input of inputs) {
    const list = inputsOf.get(input.materialization_id) ?? [];
    list.push({
      assetKey: input.dep_asset_key,
      partitionKey: input.dep_partition_key,
      materializationId: input.dep_materialization_id,
      dataVersion: input.dep_data_version,
    });
    inputsOf.set(input.materialization_id, list);
  }
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        assetKey: r.asset_key,
        partitionKey: r.partition_key,
        dataVersion: r.data_version,
        inputHash: r.input_hash,
        codeVersion: r.code_version,
        inputs: inputsOf.get(r.id) ?? [],
      },
    ]),
  );
}

async function loadToolCalls(
  db: Kysely<Database>,
  stepIds: number[],
): Promise<Map<number, ToolCallEntry[]>> {
  if (stepIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.tool_calls')
    .select([
      'step_id',
      'server',
      'tool',
      'tool_version',
      'status',
      'argument_hash',
      'result_id',
      'started_at',
      'duration_ms',
    ])
    .where('step_id', 'in', stepIds)
    .orderBy('id')
    .execute();
  const calls = new Map<number, ToolCallEntry[]>();
  for (const row of rows) {
    if (row.step_id === null) continue;
    const list = calls.get(row.step_id) ?? [];
    list.push({
      server: row.server,
      tool: row.tool,
      toolVersion: row.tool_version,
      status: row.status,
      argumentHash: row.argument_hash,
      resultId: row.result_id,
      startedAt: row.started_at.toISOString(),
      durationMs: row.duration_ms,
    });
    calls.set(row.step_id, list);
  }
  return calls;
}

/** Retries of the steps: through the index on (run_id, id); step events carry their run. */
async function loadRetryEvents(
  db: Kysely<Database>,
  runIds: number[],
  stepIds: number[],
): Promise<Map<number, number[]>> {
  if (stepIds.length === 0 || runIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.events')
    .select(['id', 'step_id'])
    .where('run_id', 'in', runIds)
    .where('kind', '=', 'step_retry_scheduled')
    .where('step_id', 'in', stepIds)
    .orderBy('id')
    .execute();
  const ids = new Map<number, number[]>();
  for (const row of rows) {
    if (row.step_id === null) continue;
    ids.set(row.step_id, [...(ids.get(row.step_id) ?? []), row.id]);
  }
  return ids;
}

/**
 * The latest evaluation of each check on the materializations `ids` and on those they read, in
 * one query (the index on (materialization_id, check_name, id desc) serves it).
 */
async function loadVerdicts(
  db: Kysely<Database>,
  ids: number[],
): Promise<Map<number, CheckVerdict[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.check_evaluations')
    .distinctOn(['materialization_id', 'check_name'])
    .select([
      'materialization_id',
      'check_name',
      'check_version',
      'passed',
      'severity',
      'blocking',
      'description',
      'evaluated_at',
    ])
    // One IN over a union (a semi-join through the index), not an OR of two INs (a scan).
    .where(
      sql<boolean>`materialization_id in (
        select unnest(${ids}::bigint[])
        union
        select dep_materialization_id from strata_internal.materialization_inputs
        where materialization_id = any(${ids}::bigint[]))`,
    )
    .orderBy('materialization_id')
    .orderBy('check_name')
    .orderBy('id', 'desc')
    .execute();
  const verdicts = new Map<number, CheckVerdict[]>();
  for (const row of rows) {
    const materializationId = Number(row.materialization_id);
    const list = verdicts.get(materializationId) ?? [];
    list.push({
      materializationId,
      checkName: row.check_name,
      checkVersion: row.check_version,
      passed: row.passed,
      severity: row.severity,
      blocking: row.blocking,
      description: row.description,
      evaluatedAt: row.evaluated_at.toISOString(),
    });
    verdicts.set(materializationId, list);
  }
  return verdicts;
}
