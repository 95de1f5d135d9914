// A stopping worker's claimed steps that never started go back to the queue as if they had never
// been claimed: their attempts (never begun, so nothing to record) are removed, the steps return
// to queued (or retrying, after an earlier attempt), their pool slots are freed, and their jobs
// go ahead of ordinary ones, all in one transaction.
import { sql } from 'kysely';
import { attemptFromStatesOf, fromStatesOf, transitionTo } from '../store/index.js';
import type { ClaimedStep } from './claim-steps.js';
import { enqueueStepJobs } from './job-queue.js';
import { releasePoolSlots } from './pools.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** A claim handed back returns to where it was claimed from: queued, or retrying after an attempt. */
const FIRST_TRY = transitionTo('release_unstarted', 'queued');
const RETRY = transitionTo('release_unstarted', 'retrying');
const STEP_FROM = fromStatesOf('release_unstarted');
const ATTEMPT_FROM = attemptFromStatesOf('release_unstarted');

/** Hands `claims` (attempts of this worker that did not start) back; returns how many. */
export async function releaseUnstartedClaims(
  runtime: WorkerRuntime,
  claims: readonly ClaimedStep[],
): Promise<number> {
  if (claims.length === 0) return 0;
  const attemptIds = claims.map((c) => c.attemptId);
  return runtime.db.transaction().execute(async (trx) => {
    // Only attempts still running and still owning their step: one declared lost meanwhile
    // was already handed back by whoever declared it.
    const released = await sql<{ id: number; run_id: number }>`
      with gone as (
        delete from strata_internal.attempts a
        using strata_internal.steps s
        where a.id = any(${attemptIds}::bigint[]) and a.status = any(${ATTEMPT_FROM}::text[])
          and s.id = a.step_id and s.current_attempt_id = a.id and s.status = any(${STEP_FROM}::text[])
        returning a.id, a.step_id
      )
      update strata_internal.steps s
      set status = case when s.attempts > 1 then ${RETRY}::text else ${FIRST_TRY}::text end,
          attempts = s.attempts - 1,
          current_attempt_id = (
            select p.id from strata_internal.attempts p
            where p.step_id = s.id and p.number = s.attempts - 1
          )
      from gone
      where s.id = gone.step_id
      returning s.id, s.run_id`.execute(trx);
    await releasePoolSlots(trx, attemptIds);
    const byRun = new Map<number, number[]>();
    for (const row of released.rows)
      byRun.set(row.run_id, [...(byRun.get(row.run_id) ?? []), row.id]);
    for (const [runId, stepIds] of byRun)
      await enqueueStepJobs(trx, runId, [stepIds], { front: true });
    return released.rows.length;
  });
}
