// Claims a step for a new attempt: locks the step row, checks that the run still runs and that
// no live attempt owns it, takes over from a lost one, and records the attempt.
import { sql } from 'kysely';
import { appendEvents, type NewEvent } from '../provenance/index.js';
import type { RunRow, StepRow } from '../store/index.js';
import type { RunOptions } from './create-run.js';
import { acquirePoolSlot } from './pools.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** A step this worker now owns, with its run and attempt. */
export interface ClaimedStep {
  readonly step: StepRow;
  readonly run: RunRow;
  readonly runOptions: RunOptions;
  readonly attemptId: number;
  readonly attemptNumber: number;
}

/** The step's concurrency pool is full: try again later. */
export const POOL_FULL = Symbol('pool full');

/**
 * Claims step `stepId` for this worker; undefined when there is nothing to do, POOL_FULL when
 * its concurrency pool has no free slot (nothing is written then).
 */
export async function claimStep(runtime: WorkerRuntime, stepId: number, jobId: string | null): Promise<ClaimedStep | typeof POOL_FULL | undefined> {
  return runtime.db.transaction().execute(async (trx) => {
    const step = await trx.selectFrom('strata_internal.steps').selectAll().where('id', '=', stepId).forUpdate().executeTakeFirst();
    if (!step || !['queued', 'retrying', 'running'].includes(step.status)) return undefined;
    const run = await trx.selectFrom('strata_internal.runs').selectAll().where('id', '=', step.run_id).executeTakeFirstOrThrow();
    if (run.status !== 'running') return undefined;
    const events: NewEvent[] = [];
    const base = { runId: run.id, stepId: step.id, assetKey: step.asset_key, partitionKey: step.partition_key };
    if (step.status === 'running' && step.current_attempt_id !== null) {
      const owner = await trx
        .selectFrom('strata_internal.attempts as a')
        .innerJoin('strata_internal.workers as w', 'w.id', 'a.worker_id')
        .select(['a.id', 'a.status', 'w.status as worker_status', 'w.id as worker_id'])
        .where('a.id', '=', step.current_attempt_id)
        .executeTakeFirst();
      if (owner && owner.status === 'running' && owner.worker_status === 'alive') return undefined;
      if (owner && owner.status === 'running') {
        await trx.updateTable('strata_internal.attempts').set({ status: 'lost', finished_at: sql<Date>`now()`, error: JSON.stringify({ message: `worker ${owner.worker_id} stopped heartbeating` }) }).where('id', '=', owner.id).execute();
        events.push({ ...base, attemptId: owner.id, kind: 'attempt_lost', level: 'warn', message: `attempt lost: worker ${owner.worker_id} stopped heartbeating` });
      }
    }
    const attemptNumber = step.attempts + 1;
    await sql`savepoint before_attempt`.execute(trx);
    const attempt = await trx
      .insertInto('strata_internal.attempts')
      .values({ step_id: step.id, run_id: run.id, number: attemptNumber, worker_id: runtime.workerId, job_id: jobId, status: 'running' })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (step.pool !== null) {
      const limit = runtime.graph.definitions.pools.get(step.pool) ?? 1;
      if (!(await acquirePoolSlot(trx, step.pool, limit, attempt.id, runtime.workerId))) {
        await sql`rollback to savepoint before_attempt`.execute(trx);
        return POOL_FULL;
      }
    }
    await trx
      .updateTable('strata_internal.steps')
      .set({ status: 'running', attempts: attemptNumber, current_attempt_id: attempt.id, started_at: sql<Date>`coalesce(started_at, now())` })
      .where('id', '=', step.id)
      .execute();
    events.push({ ...base, attemptId: attempt.id, kind: 'step_started', message: `attempt ${attemptNumber} started on ${runtime.workerId}` });
    await appendEvents(trx, events);
    return { step, run, runOptions: run.options as RunOptions, attemptId: attempt.id, attemptNumber };
  });
}
