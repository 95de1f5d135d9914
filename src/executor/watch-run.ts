// Follows a run until it finishes: wakes on the run channel (LISTEN/NOTIFY) with a polling
// fallback, and reports step counts and new events as they happen.
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database, EventRow, RunStatus, StepStatus } from '../store/index.js';
import { PROGRESS_POLL_MS, PROGRESS_THROTTLE_MS, RUN_CHANNEL } from './constants.js';

/** A snapshot of a run's progress. */
export interface RunProgress {
  readonly runId: number;
  readonly status: RunStatus;
  readonly counts: Readonly<Partial<Record<StepStatus, number>>>;
  readonly total: number;
  /** Events appended since the previous snapshot. */
  readonly events: readonly EventRow[];
}

/** Current progress of a run, with the events after `afterEventId`. */
export async function runProgress(
  db: Kysely<Database>,
  runId: number,
  afterEventId: number,
): Promise<RunProgress> {
  // The status is read first: events committed with it are then visible to the queries below.
  const run = await db
    .selectFrom('strata_internal.runs')
    .select(['status'])
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  const [counts, events] = await Promise.all([
    db
      .selectFrom('strata_internal.steps')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('strata_internal.events')
      .selectAll()
      .where('run_id', '=', runId)
      .where('id', '>', afterEventId)
      .orderBy('id')
      .execute(),
  ]);
  const byStatus: Partial<Record<StepStatus, number>> = {};
  let total = 0;
  for (const row of counts) {
    byStatus[row.status] = Number(row.n);
    total += Number(row.n);
  }
  return { runId, status: run.status, counts: byStatus, total, events };
}

/**
 * Calls `onProgress` on every change of run `runId` until it is no longer running; resolves
 * with the final progress.
 */
export async function watchRun(
  db: Kysely<Database>,
  listenPool: pg.Pool,
  runId: number,
  onProgress: (progress: RunProgress) => void,
): Promise<RunProgress> {
  const client = await listenPool.connect();
  let wake: (() => void) | undefined;
  const onNotification = (message: pg.Notification): void => {
    if (message.channel === RUN_CHANNEL && message.payload === String(runId)) wake?.();
  };
  client.on('notification', onNotification);
  await client.query(`LISTEN ${RUN_CHANNEL}`);
  let lastEventId = 0;
  try {
    for (;;) {
      const progress = await runProgress(db, runId, lastEventId);
      lastEventId = progress.events.at(-1)?.id ?? lastEventId;
      onProgress(progress);
      if (progress.status !== 'running') return progress;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, PROGRESS_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          setTimeout(resolve, PROGRESS_THROTTLE_MS);
        };
      });
      wake = undefined;
    }
  } finally {
    client.off('notification', onNotification);
    await client.query(`UNLISTEN ${RUN_CHANNEL}`).catch(() => undefined);
    client.release();
  }
}
