// The runs in flight of a backfill: the distinct runs of its launched targets (by the state
// index).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/** The ids of backfill `backfillId`'s runs in flight, ascending. */
export async function runsInFlight(db: Kysely<Database>, backfillId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('strata_internal.backfill_targets')
    .select('run_id')
    .distinct()
    .where('backfill_id', '=', backfillId)
    .where('state', '=', 'launched')
    .execute();
  return rows.flatMap((r) => (r.run_id === null ? [] : [Number(r.run_id)])).sort((a, b) => a - b);
}
