// Worker liveness: each worker process heartbeats; any live worker declares silent ones lost,
// marks their running attempts lost and unlocks their queue jobs so the steps are taken over.
import { hostName } from '../util/host-name.js';
import { sql, type Kysely } from 'kysely';
import { appendEvents } from '../provenance/index.js';
import { durationInWords } from '../util/duration-text.js';
import { enqueueStepJobs } from './job-queue.js';
import {
  attemptFromStatesOf,
  attemptTargetOf,
  fromStatesOf,
  statusLiterals,
  type Database,
} from '../store/index.js';

/**
 * Attempts handed back (running ones), what they become, and the steps enqueued again. The
 * attempt predicate is inlined: the partial index attempts_running_idx finds a worker's attempts.
 */
const HANDED_BACK_FROM = attemptFromStatesOf('hand_back');
const HANDED_BACK_TO = attemptTargetOf('hand_back');
const TAKEN_OVER_FROM = fromStatesOf('hand_back');

/** Registers a worker process; returns nothing (the id is chosen by the caller). */
export async function registerWorker(
  db: Kysely<Database>,
  workerId: string,
  concurrency: number,
): Promise<void> {
  await db
    .insertInto('strata_internal.workers')
    .values({ id: workerId, host: hostName(), pid: process.pid, concurrency, status: 'alive' })
    .execute();
}

/** Records the queue worker ids of a process, needed to unlock its jobs if it dies. */
export async function addQueueWorkerId(
  db: Kysely<Database>,
  workerId: string,
  queueWorkerId: string,
): Promise<void> {
  await sql`update strata_internal.workers set queue_worker_ids = array_append(queue_worker_ids, ${queueWorkerId}) where id = ${workerId}`.execute(
    db,
  );
}

/**
 * Heartbeats and returns the runs of this worker's active attempts that were cancelled, so
 * their computations can be aborted. Returns undefined if this worker was declared lost.
 */
export async function heartbeat(
  db: Kysely<Database>,
  workerId: string,
  activeRunIds: readonly number[],
): Promise<number[] | undefined> {
  const alive = await db
    .updateTable('strata_internal.workers')
    .set({ heartbeat_at: sql<Date>`now()` })
    .where('id', '=', workerId)
    .where('status', '=', 'alive')
    .returning('id')
    .executeTakeFirst();
  if (!alive) return undefined;
  if (activeRunIds.length === 0) return [];
  const canceled = await db
    .selectFrom('strata_internal.runs')
    .select('id')
    .where('id', '=', (eb) => eb.fn.any(eb.val([...activeRunIds])))
    .where('status', '=', 'canceled')
    .execute();
  return canceled.map((row) => row.id);
}

/** A worker declared lost: its queue worker ids must be unlocked. */
export interface LostWorker {
  readonly id: string;
  readonly queueWorkerIds: readonly string[];
}

/**
 * Marks running attempts lost (an event each) and enqueues their steps again, so any worker
 * takes them over; `why` completes the sentence "attempt N lost: ...".
 */
async function handBack(
  trx: Kysely<Database>,
  where: { workerIds?: readonly string[]; attemptIds?: readonly number[] },
  why: string,
  { errorName = 'AttemptLost', delayMs }: HandBackOptions = {},
): Promise<number> {
  let query = trx
    .updateTable('strata_internal.attempts')
    .set({
      status: HANDED_BACK_TO,
      finished_at: sql<Date>`now()`,
      error: JSON.stringify({ name: errorName, message: why }),
    })
    .where(statusLiterals('status', HANDED_BACK_FROM));
  if (where.workerIds)
    query = query
      .where('worker_id', '=', (eb) => eb.fn.any(eb.val([...where.workerIds!])))
      // A Slurm job's liveness is its state (slurm/track-attempts.ts), not its submitter's.
      .where('slurm_job_id', 'is', null);
  if (where.attemptIds)
    query = query.where('id', '=', (eb) => eb.fn.any(eb.val([...where.attemptIds!])));
  const attempts = await query.returning(['id', 'step_id', 'run_id', 'number']).execute();
  if (attempts.length === 0) return 0;
  const steps = await trx
    .selectFrom('strata_internal.steps')
    .select(['id', 'run_id', 'asset_key', 'partition_key', 'status', 'current_attempt_id'])
    .where('id', '=', (eb) => eb.fn.any(eb.val(attempts.map((a) => a.step_id))))
    .execute();
  const stepOf = new Map(steps.map((s) => [s.id, s]));
  await appendEvents(
    trx,
    attempts.map((a) => ({
      runId: a.run_id,
      stepId: a.step_id,
      attemptId: a.id,
      assetKey: stepOf.get(a.step_id)?.asset_key ?? null,
      partitionKey: stepOf.get(a.step_id)?.partition_key ?? null,
      kind: 'attempt_lost',
      level: 'warn' as const,
      message: `attempt ${a.number} lost: ${why}; ${delayMs === undefined ? 'the step will be taken over' : `the step is tried again in ${durationInWords(delayMs)}`}`,
    })),
  );
  const byRun = new Map<number, number[][]>();
  for (const a of attempts) {
    const step = stepOf.get(a.step_id);
    if (!step || !TAKEN_OVER_FROM.includes(step.status) || step.current_attempt_id !== a.id)
      continue;
    byRun.set(a.run_id, [...(byRun.get(a.run_id) ?? []), [a.step_id]]);
  }
  const runAt = delayMs === undefined ? undefined : new Date(Date.now() + delayMs);
  for (const [runId, groups] of byRun)
    await enqueueStepJobs(trx, runId, groups, { front: true, ...(runAt ? { runAt } : {}) });
  return attempts.length;
}

/** How a hand-back is recorded and when the step may run again. */
export interface HandBackOptions {
  /** The `name` of the error recorded on the attempts (default AttemptLost). */
  readonly errorName?: string;
  /** Not before this long from now (default: at once). */
  readonly delayMs?: number;
}

/**
 * Hands attempts of this worker back to the queue in one transaction (attempt lost, an event
 * each, the steps enqueued ahead of other jobs); `why` completes "attempt N lost: ...".
 */
export async function handBackAttempts(
  db: Kysely<Database>,
  attemptIds: readonly number[],
  why: string,
  options: HandBackOptions = {},
): Promise<number> {
  if (attemptIds.length === 0) return 0;
  return db.transaction().execute((trx) => handBack(trx, { attemptIds }, why, options));
}

/**
 * Declares workers silent for longer than `leaseMs` lost and hands their running attempts back
 * to the queue. Concurrent reapers never declare the same worker twice.
 */
export async function reapLostWorkers(
  db: Kysely<Database>,
  leaseMs: number,
): Promise<LostWorker[]> {
  return db.transaction().execute(async (trx) => {
    const lost = await sql<{ id: string; queue_worker_ids: string[] }>`
      update strata_internal.workers w set status = 'lost'
      where w.id in (
        select id from strata_internal.workers
        where status = 'alive' and heartbeat_at < now() - make_interval(secs => ${leaseMs / 1000})
        for update skip locked
      )
      returning w.id, w.queue_worker_ids`.execute(trx);
    if (lost.rows.length === 0) return [];
    await handBack(
      trx,
      { workerIds: lost.rows.map((row) => row.id) },
      `its worker stopped heartbeating for ${leaseMs} ms`,
    );
    return lost.rows.map((row) => ({ id: row.id, queueWorkerIds: row.queue_worker_ids }));
  });
}

/**
 * Hands back running attempts of this worker that it no longer runs (abandoned after an error
 * in their job) once they are older than `leaseMs`; returns how many.
 */
export async function reclaimOrphanedAttempts(
  db: Kysely<Database>,
  workerId: string,
  active: ReadonlySet<number>,
  leaseMs: number,
): Promise<number> {
  const running = await db
    .selectFrom('strata_internal.attempts')
    .select('id')
    .where('worker_id', '=', workerId)
    .where(statusLiterals('status', HANDED_BACK_FROM))
    .where('slurm_job_id', 'is', null)
    .where('started_at', '<', sql<Date>`now() - make_interval(secs => ${leaseMs / 1000})`)
    .execute();
  const orphans = running.map((row) => row.id).filter((id) => !active.has(id));
  return handBackAttempts(db, orphans, `abandoned by worker ${workerId} after an error`);
}

/** Marks a worker that was declared lost but is running after all alive again. */
export async function reviveWorker(db: Kysely<Database>, workerId: string): Promise<void> {
  await db
    .updateTable('strata_internal.workers')
    .set({ status: 'alive', heartbeat_at: sql<Date>`now()` })
    .where('id', '=', workerId)
    .where('status', '=', 'lost')
    .execute();
}

/** Marks a worker process stopped at a clean shutdown. */
export async function markWorkerStopped(db: Kysely<Database>, workerId: string): Promise<void> {
  await db
    .updateTable('strata_internal.workers')
    .set({ status: 'stopped', stopped_at: sql<Date>`now()` })
    .where('id', '=', workerId)
    .where('status', '=', 'alive')
    .execute();
}
