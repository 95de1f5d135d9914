// Reads of runs for readers (the API, MCP): a page of runs with their step counts, one run's
// row, the runs of an experiment plan, and the failed steps of runs with their errors.
import type { Kysely } from 'kysely';
import {
  TERMINAL_STEP_STATUSES,
  type Database,
  type RunStatus,
  type StepStatus,
} from '../store/index.js';

/** One run with its step counts (the API's schema RunSummary). */
export interface RunJson {
  readonly runId: number;
  readonly status: RunStatus;
  readonly selection: string;
  readonly trigger: string;
  readonly triggerReason: string | null;
  readonly launchedBy: string | null;
  readonly gitCommit: string | null;
  readonly host: string;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  readonly durationMs: number | null;
  readonly counts: Partial<Record<StepStatus, number>>;
  readonly total: number;
}

/** A failed step of a run, with the error of its last attempt. */
export interface StepFailure {
  readonly runId: number;
  readonly stepId: number;
  readonly key: string;
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly attempts: number;
  readonly error: string | null;
  readonly hint: string | null;
}

const RUN_COLUMNS = [
  'id',
  'status',
  'selection',
  'trigger',
  'trigger_reason',
  'launched_by',
  'git_commit',
  'host',
  'created_at',
  'finished_at',
  'options',
] as const;

/**
 * Runs newest first, below `beforeId` (or after skipping `offset`), optionally of one status,
 * with their step counts; `limit` rows at most.
 */
export async function loadRuns(
  db: Kysely<Database>,
  options: {
    readonly beforeId?: number | undefined;
    readonly offset?: number;
    readonly status?: RunStatus | undefined;
    readonly limit: number;
  },
): Promise<RunJson[]> {
  let select = db.selectFrom('strata_internal.runs').select(RUN_COLUMNS);
  if (options.beforeId !== undefined) select = select.where('id', '<', options.beforeId);
  if (options.status !== undefined) select = select.where('status', '=', options.status);
  if (options.offset !== undefined) select = select.offset(options.offset);
  const runs = await select.orderBy('id', 'desc').limit(options.limit).execute();
  const counts = await loadStepCounts(
    db,
    runs.map((run) => run.id),
  );
  return runs.map((run) => runJson(run, counts.get(run.id) ?? {}));
}

/** One run with its step counts and options, or undefined. */
export async function loadRun(
  db: Kysely<Database>,
  runId: number,
): Promise<(RunJson & { options: Record<string, unknown> }) | undefined> {
  const run = await db
    .selectFrom('strata_internal.runs')
    .select(RUN_COLUMNS)
    .where('id', '=', runId)
    .executeTakeFirst();
  if (run === undefined) return undefined;
  const counts = await loadStepCounts(db, [runId]);
  return { ...runJson(run, counts.get(runId) ?? {}), options: { ...run.options } };
}

/** A run of an experiment plan: one segment, up to a checkpoint or to the plan's end. */
export interface PlanRunJson extends RunJson {
  /** The index (into the plan's checkpoints) of the checkpoint it stops at; null for the last. */
  readonly checkpoint: number | null;
  /** Its steps that have ended (succeeded, reused, failed, skipped, ...), of `total`. */
  readonly done: number;
}

/** The runs of experiment plan `planId`, oldest first, with their step counts. */
export async function loadPlanRuns(db: Kysely<Database>, planId: string): Promise<PlanRunJson[]> {
  const runs = await db
    .selectFrom('strata_internal.runs')
    .select([...RUN_COLUMNS, 'plan_checkpoint'])
    .where('plan_id', '=', planId)
    .orderBy('id')
    .execute();
  const counts = await loadStepCounts(
    db,
    runs.map((run) => run.id),
  );
  return runs.map((run) => {
    const stepCounts = counts.get(run.id) ?? {};
    const done = TERMINAL_STEP_STATUSES.reduce((sum, status) => sum + (stepCounts[status] ?? 0), 0);
    return { ...runJson(run, stepCounts), checkpoint: run.plan_checkpoint, done };
  });
}

/**
 * The failed steps of each of `runIds` in step order: the first `limit` after skipping
 * `offset`, per run, in one query.
 */
export async function loadRunFailures(
  db: Kysely<Database>,
  runIds: readonly number[],
  page: { readonly offset: number; readonly limit: number },
): Promise<Map<number, StepFailure[]>> {
  const result = new Map<number, StepFailure[]>(runIds.map((id) => [id, []]));
  if (runIds.length === 0) return result;
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('strata_internal.steps')
        .select([
          'run_id',
          'id',
          'asset_key',
          'partition_key',
          'attempts',
          'error',
          (e) =>
            e.fn
              .agg<number>('row_number')
              .over((over) => over.partitionBy('run_id').orderBy('id'))
              .as('n'),
        ])
        .where('run_id', '=', (e) => e.fn.any(e.val([...runIds])))
        .where('status', '=', 'failed')
        .as('f'),
    )
    .selectAll()
    .where('n', '>', page.offset)
    .where('n', '<=', page.offset + page.limit)
    .orderBy('run_id')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const { message, hint } = errorText(row.error);
    result.get(row.run_id)!.push({
      runId: row.run_id,
      stepId: row.id,
      key: row.asset_key,
      partition: row.partition_key === '' ? null : row.partition_key,
      attempts: row.attempts,
      error: message,
      hint,
    });
  }
  return result;
}

/** Step counts by status of each run, in one query. */
async function loadStepCounts(
  db: Kysely<Database>,
  runIds: readonly number[],
): Promise<Map<number, Partial<Record<StepStatus, number>>>> {
  const result = new Map<number, Partial<Record<StepStatus, number>>>();
  if (runIds.length === 0) return result;
  const rows = await db
    .selectFrom('strata_internal.steps')
    .select(['run_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('run_id', '=', (eb) => eb.fn.any(eb.val([...runIds])))
    .groupBy(['run_id', 'status'])
    .execute();
  for (const row of rows) {
    const counts = result.get(row.run_id) ?? {};
    counts[row.status] = Number(row.n);
    result.set(row.run_id, counts);
  }
  return result;
}

function runJson(
  run: {
    id: number;
    status: RunStatus;
    selection: string;
    trigger: string;
    trigger_reason: string | null;
    launched_by: string | null;
    git_commit: string | null;
    host: string;
    created_at: Date;
    finished_at: Date | null;
  },
  counts: Partial<Record<StepStatus, number>>,
): RunJson {
  return {
    runId: run.id,
    status: run.status,
    selection: run.selection,
    trigger: run.trigger,
    triggerReason: run.trigger_reason,
    launchedBy: run.launched_by,
    gitCommit: run.git_commit,
    host: run.host,
    createdAt: run.created_at,
    finishedAt: run.finished_at,
    durationMs: run.finished_at ? run.finished_at.getTime() - run.created_at.getTime() : null,
    counts,
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
  };
}

/** The message and hint of a JSON error column (a skipped step's reason as its message). */
function errorText(error: unknown): { message: string | null; hint: string | null } {
  if (!error || typeof error !== 'object') return { message: null, hint: null };
  const { message, reason, hint } = error as {
    message?: unknown;
    reason?: unknown;
    hint?: unknown;
  };
  return {
    message: typeof message === 'string' ? message : typeof reason === 'string' ? reason : null,
    hint: typeof hint === 'string' ? hint : null,
  };
}
