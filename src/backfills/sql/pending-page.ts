// One page of a backfill's pending targets in dependency order (keyset pagination on `ord`, by
// the partial index of pending targets): drivers read candidates until enough are ready.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/** A pending target as a driver reads it. */
export interface PendingRow {
  readonly asset_key: string;
  readonly partition_key: string;
  readonly ord: number;
}

/** Up to `size` pending targets of backfill `backfillId` after position `afterOrd`, in order. */
export function pendingPage(
  db: Kysely<Database>,
  backfillId: number,
  afterOrd: number,
  size: number,
): Promise<PendingRow[]> {
  return db
    .selectFrom('strata_internal.backfill_targets')
    .select(['asset_key', 'partition_key', 'ord'])
    .where('backfill_id', '=', backfillId)
    .where('state', '=', 'pending')
    .where('ord', '>', afterOrd)
    .orderBy('ord')
    .limit(size)
    .execute();
}
