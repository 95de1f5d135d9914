// Moves the launched targets of a backfill whose steps have ended to their outcome, in one
// statement: succeeded, reused or fresh -> done; failed -> failed (with the step's error);
// skipped or canceled -> pending again (launched anew by the next chunk), or failed once launched
// MAX_LAUNCHES times.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/**
 * A target whose step is skipped or canceled this many times is failed instead of relaunched:
 * something keeps stopping it (a blocked input, cancels from outside), and a backfill must end.
 */
export const MAX_LAUNCHES = 3;

/** Reconciles backfill `backfillId`'s launched targets with their steps; returns how many moved. */
export async function reconcileTargets(db: Kysely<Database>, backfillId: number): Promise<number> {
  const result = await sql`
    update strata_internal.backfill_targets t
    set state = case
          when s.status in ('succeeded', 'reused', 'fresh') then 'done'
          when s.status = 'failed' or t.launches >= ${MAX_LAUNCHES} then 'failed'
          else 'pending' end,
        error = case
          when s.status = 'failed' then 'its step failed in run ' || t.run_id
            || coalesce(': ' || coalesce(s.error->>'message', s.error->>'reason'), '')
          when s.status in ('skipped', 'canceled') and t.launches >= ${MAX_LAUNCHES}
            then 'its step was ' || s.status || ' ' || t.launches || ' times (last in run ' || t.run_id || ')'
          end
    from strata_internal.steps s
    where t.backfill_id = ${backfillId} and t.state = 'launched'
      and s.run_id = t.run_id and s.asset_key = t.asset_key and s.partition_key = t.partition_key
      and s.status in ('succeeded', 'reused', 'fresh', 'failed', 'skipped', 'canceled')`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}
