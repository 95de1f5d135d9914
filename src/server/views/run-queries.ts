// Reads of runs the executor has no function for: a page of runs with their step counts, one
// run's row, the attempts of its steps, and a page of its events. Steps themselves come from
// the executor's loadRunSummary.
import type { Kysely } from 'kysely';
import type {
  AttemptStatus,
  Database,
  EventLevel,
  RunStatus,
  StepStatus,
} from '../../store/index.js';

/** One run with its step counts (schema RunSummary). */
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

/** One attempt (schema Attempt). */
export interface AttemptJson {
  readonly attemptId: number;
  readonly stepId: number;
  readonly number: number;
  readonly workerId: string;
  readonly status: AttemptStatus;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

/** One event (schema RunEvent). */
export interface EventJson {
  readonly eventId: number;
  readonly stepId: number | null;
  readonly attemptId: number | null;
  readonly assetKey: string | null;
  readonly partition: string | null;
  readonly kind: string;
  readonly level: EventLevel;
  readonly message: string;
  readonly data: unknown;
  readonly createdAt: Date;
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

/** Runs newest first, below `beforeId`, with their step counts; `limit` rows at most. */
export async function loadRuns(
  db: Kysely<Database>,
  options: { beforeId: number | undefined; status: RunStatus | undefined; limit: number },
): Promise<RunJson[]> {
  let select = db.selectFrom('strata_internal.runs').select(RUN_COLUMNS);
  if (options.beforeId !== undefined) select = select.where('id', '<', options.beforeId);
  if (options.status !== undefined) select = select.where('status', '=', options.status);
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

/** Every attempt of the steps of run `runId`, by step then number. */
export async function loadAttempts(db: Kysely<Database>, runId: number): Promise<AttemptJson[]> {
  const rows = await db
    .selectFrom('strata_internal.attempts')
    .select([
      'id',
      'step_id',
      'number',
      'worker_id',
      'status',
      'error',
      'started_at',
      'finished_at',
    ])
    .where('run_id', '=', runId)
    .orderBy('step_id')
    .orderBy('number')
    .execute();
  return rows.map((row) => ({
    attemptId: row.id,
    stepId: row.step_id,
    number: row.number,
    workerId: row.worker_id,
    status: row.status,
    error: errorText(row.error),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }));
}

/** Events of run `runId` after `afterId` in order, at most `limit`, optionally by minimum level. */
export async function loadEvents(
  db: Kysely<Database>,
  runId: number,
  options: {
    afterId: number | undefined;
    limit: number;
    levels: readonly EventLevel[] | undefined;
  },
): Promise<EventJson[]> {
  let select = db
    .selectFrom('strata_internal.events')
    .select([
      'id',
      'step_id',
      'attempt_id',
      'asset_key',
      'partition_key',
      'kind',
      'level',
      'message',
      'data',
      'created_at',
    ])
    .where('run_id', '=', runId);
  if (options.afterId !== undefined) select = select.where('id', '>', options.afterId);
  if (options.levels !== undefined) select = select.where('level', 'in', [...options.levels]);
  const rows = await select.orderBy('id').limit(options.limit).execute();
  return rows.map((row) => ({
    eventId: row.id,
    stepId: row.step_id,
    attemptId: row.attempt_id,
    assetKey: row.asset_key,
    partition: row.partition_key === '' ? null : row.partition_key,
    kind: row.kind,
    level: row.level,
    message: row.message,
    data: row.data,
    createdAt: row.created_at,
  }));
}

/** The message of a JSON error column. */
function errorText(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const { message, reason } = error as { message?: unknown; reason?: unknown };
  return typeof message === 'string' ? message : typeof reason === 'string' ? reason : null;
}
