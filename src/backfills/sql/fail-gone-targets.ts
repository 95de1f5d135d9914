// Fails the pending targets of assets that are no longer defined, in one update over the
// (backfill_id, state, asset_key) index: only those targets are read.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/** Fails backfill `backfillId`'s pending targets of `keys` (assets gone); returns how many. */
export async function failGoneTargets(
  db: Kysely<Database>,
  backfillId: number,
  keys: readonly string[],
): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await sql`
    update strata_internal.backfill_targets
    set state = 'failed', run_id = null, error = 'asset ' || asset_key || ' is no longer defined'
    where backfill_id = ${backfillId} and state = 'pending'
      and asset_key = any(${keys}::text[])`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
