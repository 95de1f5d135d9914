// Follows a run until it finishes: wakes on the run channel (LISTEN/NOTIFY) with a polling
// fallback, and reports step counts and new events as they happen, through database restarts.
import type { Kysely } from 'kysely';
import type pg from 'pg';
import {
  DatabaseOutage,
  insertedBeforeOpenTransactions,
  type Database,
  type EventRow,
  type RunStatus,
  type StepStatus,
} from '../store/index.js';
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
      // While the run goes on, an event is passed only once none before it can still commit;
      // once it has ended, its events are all there.
      .$if(run.status === 'running', (query) => query.where(insertedBeforeOpenTransactions()))
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

/** How a follower waits. */
export interface WatchOptions {
  /** Waits through database outages (progress reads are retried). */
  readonly outage?: DatabaseOutage;
  /** Stops following with its error when it rejects (the local worker pool failed). */
  readonly abandon?: Promise<never>;
}

/**
 * Calls `onProgress` on every change of run `runId` until it is no longer running; resolves
 * with the final progress. Wakes on the run channel and polls every second; a LISTEN
 * connection that dies (a database restart) is opened again, and meanwhile polling goes on.
 */
export async function watchRun(
  db: Kysely<Database>,
  listenPool: pg.Pool,
  runId: number,
  onProgress: (progress: RunProgress) => void,
  options: WatchOptions = {},
): Promise<RunProgress> {
  const outage = options.outage ?? new DatabaseOutage();
  // Whichever of a read and the pool's failure comes second must not go unhandled.
  const orAbandon = <T>(work: Promise<T>): Promise<T> => {
    if (!options.abandon) return work;
    work.catch(() => undefined);
    return Promise.race([work, options.abandon]);
  };
  let wake: (() => void) | undefined;
  const listener = new RunListener(listenPool, runId, () => wake?.());
  let lastEventId = 0;
  try {
    for (;;) {
      await listener.ensureListening();
      const progress = await orAbandon(outage.retry(() => runProgress(db, runId, lastEventId)));
      lastEventId = progress.events.at(-1)?.id ?? lastEventId;
      onProgress(progress);
      if (progress.status !== 'running') return progress;
      const waited = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, PROGRESS_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          setTimeout(resolve, PROGRESS_THROTTLE_MS);
        };
      });
      await orAbandon(waited);
      wake = undefined;
    }
  } finally {
    await listener.close();
  }
}

/** A LISTEN on the run channel for one run, opened again after its connection dies. */
class RunListener {
  #client: pg.PoolClient | undefined;
  readonly #pool: pg.Pool;
  readonly #onNotification: (message: pg.Notification) => void;

  constructor(pool: pg.Pool, runId: number, wake: () => void) {
    this.#pool = pool;
    this.#onNotification = (message) => {
      if (message.channel === RUN_CHANNEL && message.payload === String(runId)) wake();
    };
  }

  /** Listens if not listening; a failure leaves it to the next call (polling covers the gap). */
  async ensureListening(): Promise<void> {
    if (this.#client) return;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.#pool.connect();
      client.on('notification', this.#onNotification);
      client.once('error', () => this.#drop());
      await client.query(`LISTEN ${RUN_CHANNEL}`);
      this.#client = client;
    } catch (error) {
      client?.release(error as Error);
    }
  }

  #drop(): void {
    const client = this.#client;
    this.#client = undefined;
    client?.off('notification', this.#onNotification);
    client?.release(new Error('the LISTEN connection failed'));
  }

  async close(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    client.off('notification', this.#onNotification);
    await client.query(`UNLISTEN ${RUN_CHANNEL}`).catch(() => undefined);
    client.release();
  }
}
