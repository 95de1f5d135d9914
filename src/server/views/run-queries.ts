// Reads of a run the executor has no function for: the attempts of its steps and a page of its
// events. Runs come from the executor's loadRuns and loadRun, steps from its loadRunSummary.
import { sql, type Kysely } from 'kysely';
import { SLURM_JOB_COLUMNS, slurmJobOf, type ProvenanceSlurmJob } from '../../provenance/index.js';
import {
  insertedBeforeOpenTransactions,
  type AttemptStatus,
  type Database,
  outputStreamOf,
  type EventLevel,
  type OutputStream,
} from '../../store/index.js';

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
  /** The Slurm job it ran as, with its accounting; null when it ran in a worker. */
  readonly slurm: ProvenanceSlurmJob | null;
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
  /** The stream of a captured line of the compute's stdout or stderr; null otherwise. */
  readonly stream: OutputStream | null;
  readonly createdAt: Date;
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
      ...SLURM_JOB_COLUMNS,
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
    slurm: slurmJobOf(row),
  }));
}

/**
 * Events of run `runId` after `afterId` in order, at most `limit`, optionally of some levels
 * only, or only the lines captured from one stream of the computes' output.
 */
export async function loadEvents(
  db: Kysely<Database>,
  runId: number,
  options: {
    afterId: number | undefined;
    limit: number;
    levels: readonly EventLevel[] | undefined;
    stream?: OutputStream | undefined;
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
    .where('run_id', '=', runId)
    // While the run goes on, an event is listed only once none before it can still commit (a
    // cursor past it would skip those); a run that has ended lists all of its events.
    .where((eb) =>
      eb.or([
        insertedBeforeOpenTransactions(),
        eb.not(
          eb.exists(
            eb
              .selectFrom('strata_internal.runs as r')
              .select('r.id')
              .where('r.id', '=', runId)
              .where('r.status', '=', 'running'),
          ),
        ),
      ]),
    );
  if (options.afterId !== undefined) select = select.where('id', '>', options.afterId);
  if (options.levels !== undefined) select = select.where('level', 'in', [...options.levels]);
  if (options.stream !== undefined)
    select = select
      .where('kind', '=', 'log')
      .where(sql<string>`data->>'stream'`, '=', options.stream);
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
    stream: outputStreamOf(row.kind, row.data),
    createdAt: row.created_at,
  }));
}

/** The message of a JSON error column. */
function errorText(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const { message, reason } = error as { message?: unknown; reason?: unknown };
  return typeof message === 'string' ? message : typeof reason === 'string' ? reason : null;
}
