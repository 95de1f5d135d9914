// One page of a backfill's pending targets in dependency order (keyset pagination on `ord`, by
// the partial index of pending targets), leaving out assets known to wait (filtered in SQL):
// drivers read candidates until enough are ready.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/** A pending target as a driver reads it. */
export interface PendingRow {
  readonly asset_key: string;
  readonly partition_key: string;
  readonly ord: number;
}

/**
 * Up to `size` pending targets of backfill `backfillId` after position `afterOrd`, in order,
 * none of an asset of `skip`.
 */
export function pendingPage(
  db: Kysely<Database>,
  backfillId: number,
  afterOrd: number,
  size: number,
  skip: readonly string[] = [],
): Promise<PendingRow[]> {
  return db
    .selectFrom('strata_internal.backfill_targets')
    .select(['asset_key', 'partition_key', 'ord'])
    .where('backfill_id', '=', backfillId)
    .where('state', '=', 'pending')
    .where('ord', '>', afterOrd)
    .$if(skip.length > 0, (query) => query.where('asset_key', 'not in', skip))
    .orderBy('ord')
    .limit(size)
    .execute();
}
