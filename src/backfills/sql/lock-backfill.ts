// The backfill's row lock, taken first by everything that changes its targets (drivers, the
// progress read's reconcile, pause/resume/cancel/retry), so they never update the same targets
// in different orders.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/**
 * Locks backfill `id` in transaction `trx` and returns its row; waits for the lock, or with
 * `skipLocked` returns undefined when another transaction holds it (or there is no such row).
 */
export function lockBackfill(trx: Kysely<Database>, id: number, skipLocked: boolean) {
  const query = trx
    .selectFrom('strata_internal.backfills')
    .select(['status', 'chunk_size', 'max_runs', 'options'])
    .where('id', '=', id)
    .forUpdate();
  return (skipLocked ? query.skipLocked() : query).executeTakeFirst();
}
