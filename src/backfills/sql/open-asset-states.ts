// The assets of a backfill that have targets not done yet, with their states: the distinct
// (state, asset) pairs of its targets, found by a skip scan of the (backfill_id, state,
// asset_key) index (one descent per pair, however many targets), done ones left out.
import { sql, type Kysely } from 'kysely';
import type { BackfillTargetState, Database } from '../../store/index.js';

/** One asset with at least one target in `state`. */
export interface OpenAssetState {
  readonly asset_key: string;
  readonly state: Exclude<BackfillTargetState, 'done'>;
}

/** The (state, asset) pairs of backfill `backfillId`'s targets that are not done. */
export async function openAssetStates(
  db: Kysely<Database>,
  backfillId: number,
): Promise<OpenAssetState[]> {
  const { rows } = await sql<OpenAssetState>`
    with recursive pairs(state, asset_key) as (
      (select state, asset_key from strata_internal.backfill_targets
       where backfill_id = ${backfillId}
       order by state, asset_key limit 1)
      union all
      select next.state, next.asset_key from pairs
      cross join lateral (
        select t.state, t.asset_key from strata_internal.backfill_targets t
        where t.backfill_id = ${backfillId} and (t.state, t.asset_key) > (pairs.state, pairs.asset_key)
        order by t.state, t.asset_key limit 1) next
    )
    select state, asset_key from pairs where state <> 'done'`.execute(db);
  return rows;
}
