// Sets the states of some targets of a backfill at once (a launched chunk's outcome): one
// update joined to unnest arrays.
import { sql, type Kysely } from 'kysely';
import type { BackfillTargetState, Database } from '../../store/index.js';

/** A new state for one target. */
export interface TargetUpdate {
  readonly key: string;
  readonly partition: string;
  readonly state: BackfillTargetState;
  readonly runId: number | null;
  readonly error: string | null;
}

/** Applies `updates` to backfill `backfillId`; launched targets count one more launch. */
export async function setTargetStates(
  db: Kysely<Database>,
  backfillId: number,
  updates: readonly TargetUpdate[],
): Promise<void> {
  if (updates.length === 0) return;
  await sql`
    update strata_internal.backfill_targets t
    set state = u.state, run_id = u.run_id, error = u.error,
        launches = t.launches + (case when u.state = 'launched' then 1 else 0 end)
    from unnest(${updates.map((u) => u.key)}::text[], ${updates.map((u) => u.partition)}::text[],
                ${updates.map((u) => u.state)}::text[], ${updates.map((u) => u.runId)}::bigint[],
                ${updates.map((u) => u.error)}::text[]) as u(asset_key, partition_key, state, run_id, error)
    where t.backfill_id = ${backfillId} and t.asset_key = u.asset_key
      and t.partition_key = u.partition_key`.execute(db);
}
