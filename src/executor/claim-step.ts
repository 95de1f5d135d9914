// Claims a step for a new attempt: locks the step row, checks that the run still runs, that no
// live attempt owns it and that no other run is computing the same asset partition, takes over
// from a lost attempt, takes a concurrency-pool slot, and records the attempt.
import { sql, type Kysely } from 'kysely';
import { formatAssetPartition } from '../graph/index.js';
import { appendEvents, type NewEvent } from '../provenance/index.js';
import type { Database, RunRow, StepRow } from '../store/index.js';
import { sha256Hex } from '../util/canonical-json.js';
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
/** A step of another run is computing the same asset partition: try again later. */
export const PARTITION_BUSY = Symbol('partition busy');

/**
 * The advisory lock key that serializes claims of one asset partition: the first 64 bits of a
 * hash, namespaced so it never collides with other users of advisory locks in practice.
 */
export function partitionLockKey(assetKey: string, partitionKey: string): string {
  return BigInt.asIntN(64, BigInt(`0x${sha256Hex(`strata:claim\u0000${assetKey}\u0000${partitionKey}`).slice(0, 16)}`)).toString();
}

/**
 * The step of another run that holds a running attempt on the same asset partition, if any.
 * Claims of one partition are serialized by a transaction-scoped advisory lock, so of two
 * concurrent claims the second sees the first's attempt. An attempt of a lost worker stops
 * counting once the reaper marks it lost.
 */
async function busyWith(trx: Kysely<Database>, step: StepRow): Promise<{ id: number; run_id: number } | undefined> {
  await sql`select pg_advisory_xact_lock(${partitionLockKey(step.asset_key, step.partition_key)}::bigint)`.execute(trx);
  return trx
    .selectFrom('strata_internal.steps as s')
    .innerJoin('strata_internal.attempts as a', 'a.id', 's.current_attempt_id')
    .select(['s.id', 's.run_id'])
    .where('s.asset_key', '=', step.asset_key)
    .where('s.partition_key', '=', step.partition_key)
    .where('s.id', '<>', step.id)
    .where('s.status', '=', 'running')
    .where('a.status', '=', 'running')
    .limit(1)
    .executeTakeFirst();
}

/** Tells the run's log, once per step, that it waits for another run's computation. */
async function recordPartitionBusy(trx: Kysely<Database>, step: StepRow, holder: { id: number; run_id: number }): Promise<void> {
  const told = await trx.selectFrom('strata_internal.events').select('id').where('run_id', '=', step.run_id).where('step_id', '=', step.id).where('kind', '=', 'step_partition_busy').limit(1).executeTakeFirst();
  if (told) return;
  await appendEvents(trx, [
    {
      runId: step.run_id,
      stepId: step.id,
      assetKey: step.asset_key,
      partitionKey: step.partition_key,
      kind: 'step_partition_busy',
      message: `${formatAssetPartition(step.asset_key, step.partition_key)} waits: run ${holder.run_id} is computing it`,
      data: { runId: holder.run_id, stepId: holder.id },
    },
  ]);
}

/**
 * Claims step `stepId` for this worker; undefined when there is nothing to do, POOL_FULL when
 * its concurrency pool has no free slot, PARTITION_BUSY when another run is computing the same
 * asset partition (nothing is claimed then; a busy partition is announced once in the run's
 * events). A claim lasts until its attempt ends, so one asset partition is never computed by two
 * runs at once: the later step runs after the earlier one committed, and its just-in-time check
 * then finds the partition fresh.
 */
export async function claimStep(runtime: WorkerRuntime, stepId: number, jobId: string | null): Promise<ClaimedStep | typeof POOL_FULL | typeof PARTITION_BUSY | undefined> {
  return runtime.db.transaction().execute(async (trx) => {
    const step = await trx.selectFrom('strata_internal.steps').selectAll().where('id', '=', stepId).forUpdate().executeTakeFirst();
    if (!step || !['queued', 'retrying', 'running'].includes(step.status)) return undefined;
    const run = await trx.selectFrom('strata_internal.runs').selectAll().where('id', '=', step.run_id).executeTakeFirstOrThrow();
    if (run.status !== 'running') return undefined;
    const holder = await busyWith(trx, step);
    if (holder) {
      await recordPartitionBusy(trx, step, holder);
      return PARTITION_BUSY;
    }
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
