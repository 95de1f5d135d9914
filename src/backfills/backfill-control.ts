// Pausing, resuming, cancelling and retrying a backfill: each one statement or one transaction
// on its rows. Drivers notice the new status at their next advance.
import { sql, type Kysely } from 'kysely';
import { UsageError, NotFoundError } from '../errors.js';
import type { BackfillStatus, Database } from '../store/index.js';
import { lockBackfill } from './sql/lock-backfill.js';
import { runsInFlight } from './sql/runs-in-flight.js';

/** Statuses each action may start from. */
const FROM: Record<'pause' | 'resume' | 'cancel' | 'retry', readonly BackfillStatus[]> = {
  pause: ['running', 'paused'],
  resume: ['running', 'paused'],
  cancel: ['running', 'paused', 'canceled'],
  retry: ['running', 'paused', 'failed', 'succeeded'],
};

async function setStatus(
  trx: Kysely<Database>,
  id: number,
  action: keyof typeof FROM,
  status: BackfillStatus,
): Promise<void> {
  const row = await lockBackfill(trx, id, false);
  if (row === undefined) throw new NotFoundError(`no backfill ${id}`);
  if (!FROM[action].includes(row.status)) {
    throw new UsageError(`backfill ${id} is ${row.status}: it cannot be ${action}d`, {
      hint:
        row.status === 'failed'
          ? `strata backfill retry ${id} reruns its failed partitions`
          : undefined,
    });
  }
  const finished = status === 'canceled' ? sql<Date>`coalesce(finished_at, now())` : null;
  await trx
    .updateTable('strata_internal.backfills')
    .set({ status, updated_at: sql`now()`, finished_at: finished })
    .where('id', '=', id)
    .execute();
}

/** Pauses backfill `id`: no new chunk is launched; runs in flight finish. */
export async function pauseBackfill(db: Kysely<Database>, id: number): Promise<void> {
  await db.transaction().execute((trx) => setStatus(trx, id, 'pause', 'paused'));
}

/** Resumes a paused backfill `id` (a running one stays running). */
export async function resumeBackfill(db: Kysely<Database>, id: number): Promise<void> {
  await db.transaction().execute((trx) => setStatus(trx, id, 'resume', 'running'));
}

/**
 * Cancels backfill `id`; returns the runs in flight, which the caller cancels with the
 * executor's run cancel (their targets go back to pending when their steps end canceled).
 */
export async function cancelBackfill(db: Kysely<Database>, id: number): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    await setStatus(trx, id, 'cancel', 'canceled');
    return runsInFlight(trx, id);
  });
}

/**
 * "Retry failed": puts the failed and held targets of backfill `id` back to pending (one
 * set-based update over the state index) and sets it running. Their dependants in the target
 * set never launched (they waited), so they follow; done targets are never touched.
 * Returns how many targets were reset.
 */
export async function retryBackfill(db: Kysely<Database>, id: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await setStatus(trx, id, 'retry', 'running');
    const result = await trx
      .updateTable('strata_internal.backfill_targets')
      .set({ state: 'pending', run_id: null, launches: 0, error: null })
      .where('backfill_id', '=', id)
      .where('state', 'in', ['failed', 'held'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}
