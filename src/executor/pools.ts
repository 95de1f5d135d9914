// Concurrency pools across all workers: a pool of limit N has N slot rows; a step holds one
// slot (by attempt) while it computes. Slots of lost workers are reclaimed.
import { sql, type Kysely } from 'kysely';
import { ACTIVE_ATTEMPT_STATUSES, type Database } from '../store/index.js';

/**
 * Takes a free slot of `pool` for `attemptId` in the caller's transaction; returns false when
 * all `limit` slots are held by active (running) attempts.
 */
export async function acquirePoolSlot(
  trx: Kysely<Database>,
  pool: string,
  limit: number,
  attemptId: number,
  workerId: string,
): Promise<boolean> {
  await sql`
      insert into strata_internal.pool_slots (pool, slot)
      select ${pool}, g from generate_series(0, ${limit - 1}) g
      on conflict do nothing`.execute(trx);
  const taken = await sql<{ slot: number }>`
      update strata_internal.pool_slots p
      set attempt_id = ${attemptId}, worker_id = ${workerId}, acquired_at = now()
      where (p.pool, p.slot) = (
        select s.pool, s.slot from strata_internal.pool_slots s
        left join strata_internal.attempts a on a.id = s.attempt_id
        where s.pool = ${pool} and s.slot < ${limit}
          and (s.attempt_id is null or a.status is null or a.status <> all(${ACTIVE_ATTEMPT_STATUSES}::text[]))
        order by s.slot
        limit 1
        for update of s skip locked
      )
      returning p.slot`.execute(trx);
  return taken.rows.length === 1;
}

/** Frees the slots held by `attemptIds`, if any. */
export async function releasePoolSlots(
  trx: Kysely<Database>,
  attemptIds: readonly number[],
): Promise<void> {
  if (attemptIds.length === 0) return;
  await trx
    .updateTable('strata_internal.pool_slots')
    .set({ attempt_id: null, worker_id: null, acquired_at: null })
    .where('attempt_id', '=', (eb) => eb.fn.any(eb.val([...attemptIds])))
    .execute();
}
