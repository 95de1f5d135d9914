// Which of some (asset, partition) pairs are targets of a backfill not done yet: one query,
// `unnest` of the pairs joined to the primary key, so it reads only the targets asked about.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/** The pairs (`keys[i]`, `partitions[i]`) that are open targets of backfill `backfillId`. */
export async function openReads(
  db: Kysely<Database>,
  backfillId: number,
  keys: readonly string[],
  partitions: readonly string[],
): Promise<{ asset_key: string; partition_key: string }[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<{ asset_key: string; partition_key: string }>`
    select r.asset_key, r.partition_key
    from unnest(${keys}::text[], ${partitions}::text[]) as r(asset_key, partition_key)
    where exists (
      select 1 from strata_internal.backfill_targets t
      where t.backfill_id = ${backfillId} and t.asset_key = r.asset_key
        and t.partition_key = r.partition_key and t.state <> 'done')`.execute(db);
  return rows;
}
