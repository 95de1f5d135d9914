// State transitions of steps inside one transaction: finishing a step releases its dependants,
// failing one skips everything downstream, and the last terminal step finishes the run.
import { sql, type Kysely } from 'kysely';
import { StrataError } from '../errors.js';
import { appendEvents, type NewEvent } from '../provenance/index.js';
import {
  fromStatesOf,
  RUN_FAILING_STEP_STATUSES,
  targetOf,
  TERMINAL_STEP_STATUSES,
  type Database,
  type RunStatus,
  type StepRow,
  type StepStatus,
} from '../store/index.js';
import { RUN_CHANNEL } from './constants.js';
import { enqueueStepJobs, groupIntoJobs } from './job-queue.js';

// The sets of statuses come from the lifecycle table (src/store/step-states.ts).
export { DONE_STEP_STATUSES, TERMINAL_STEP_STATUSES } from '../store/index.js';

/** The statuses an owned attempt ends its step from, and the release's from and to. */
const OWNED_FROM = fromStatesOf('complete');
const RELEASE_FROM = fromStatesOf('release');
const RELEASE_TO = targetOf('release');
const SKIP_FROM = fromStatesOf('skip');
const SKIP_TO = targetOf('skip');

/** Raised inside a transaction when the attempt no longer owns its step (taken over, cancelled). */
export class AttemptSupersededError extends StrataError {
  /** Its worker was declared lost (or the run cancelled): the step is no longer its to retry. */
  readonly fault = 'environment';
  constructor(stepId: number, attemptId: number) {
    super(`attempt ${attemptId} no longer owns step ${stepId}`, { retryable: false });
  }
}

/**
 * Moves a running step owned by `attemptId` to a terminal or retrying state; throws
 * AttemptSupersededError when another attempt took it over in the meantime.
 */
export async function transitionOwnedStep(
  trx: Kysely<Database>,
  stepId: number,
  attemptId: number,
  update: {
    status: StepStatus;
    materializationId?: number | null;
    inputHash?: string | null;
    error?: unknown;
  },
): Promise<void> {
  const terminal = TERMINAL_STEP_STATUSES.includes(update.status);
  const result = await trx
    .updateTable('strata_internal.steps')
    .set({
      status: update.status,
      ...(update.materializationId !== undefined
        ? { materialization_id: update.materializationId }
        : {}),
      ...(update.inputHash !== undefined ? { input_hash: update.inputHash } : {}),
      ...(update.error !== undefined ? { error: JSON.stringify(update.error) } : {}),
      ...(terminal ? { finished_at: sql<Date>`now()` } : {}),
    })
    .where('id', '=', stepId)
    .where('current_attempt_id', '=', attemptId)
    .where('status', 'in', OWNED_FROM)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AttemptSupersededError(stepId, attemptId);
}

/**
 * Decrements the waiting count of the dependants of `stepIds`; those that reach zero become
 * queued and are enqueued as jobs, except the first `keep(asset)` steps of the first job, which
 * are returned (still locked by this transaction) for the caller to run itself.
 */
export async function releaseDependants(
  trx: Kysely<Database>,
  runId: number,
  stepIds: readonly number[],
  concurrency: number,
  options: { keep?: (assetKey: string) => number } = {},
): Promise<StepRow[]> {
  if (stepIds.length === 0) return [];
  const released = await sql<StepRow>`
    with decrements as (
      select downstream_step_id as id, count(*)::int as n
      from strata_internal.step_edges
      where upstream_step_id = any(${[...stepIds]}::bigint[])
      group by downstream_step_id
    )
    update strata_internal.steps s
    set deps_remaining = s.deps_remaining - d.n,
        status = case when s.deps_remaining - d.n = 0 and s.status = any(${RELEASE_FROM}::text[]) then ${RELEASE_TO}::text else s.status end
    from decrements d
    where s.id = d.id
    returning s.*`.execute(trx);
  const ready = released.rows.filter(
    (row) => row.status === RELEASE_TO && row.deps_remaining === 0,
  );
  const groups = groupIntoJobs(
    ready.map((row) => ({ id: row.id, assetKey: row.asset_key })),
    concurrency,
  );
  const kept = new Set<number>();
  if (options.keep && groups.length > 0) {
    const first = groups[0]!;
    const keep = options.keep(ready.find((row) => row.id === first[0])!.asset_key);
    for (const id of first.slice(0, keep)) kept.add(id);
    if (first.length > keep) groups[0] = first.slice(keep);
    else groups.shift();
  }
  await enqueueStepJobs(trx, runId, groups);
  return ready.filter((row) => kept.has(row.id));
}

/**
 * Marks every non-terminal step downstream of `stepId` as skipped with `reason`; returns the
 * number skipped.
 */
export async function skipDownstream(
  trx: Kysely<Database>,
  runId: number,
  stepId: number,
  reason: string,
): Promise<number> {
  const skipped = await sql<{ id: number; asset_key: string; partition_key: string }>`
    with recursive downstream(id) as (
      select downstream_step_id from strata_internal.step_edges where upstream_step_id = ${stepId}
      union
      select e.downstream_step_id from strata_internal.step_edges e join downstream d on e.upstream_step_id = d.id
    )
    update strata_internal.steps s
    set status = ${SKIP_TO}, finished_at = now(), error = ${JSON.stringify({ reason })}::jsonb
    from downstream d
    where s.id = d.id and s.status = any(${SKIP_FROM}::text[])
    returning s.id, s.asset_key, s.partition_key`.execute(trx);
  await appendEvents(
    trx,
    skipped.rows.map((row): NewEvent => ({
      runId,
      stepId: row.id,
      assetKey: row.asset_key,
      partitionKey: row.partition_key,
      kind: 'step_skipped',
      level: 'warn',
      message: `skipped: ${reason}`,
    })),
  );
  return skipped.rows.length;
}

/**
 * Counts `finished` steps off the run's pending count (adding `added` new ones first) and, when
 * nothing is pending any more, finishes the run. Announces the change on RUN_CHANNEL.
 */
export async function settleRun(
  trx: Kysely<Database>,
  runId: number,
  finished: number,
  added = 0,
): Promise<RunStatus | undefined> {
  const settled = await sql<{ pending_steps: number; status: RunStatus }>`
    with r as (
      update strata_internal.runs set pending_steps = pending_steps + ${added} - ${finished}
      where id = ${runId}
      returning pending_steps, status
    )
    select r.pending_steps, r.status, pg_notify(${RUN_CHANNEL}, ${String(runId)}) from r`.execute(
    trx,
  );
  const run = settled.rows[0]!;
  let finalStatus: RunStatus | undefined;
  if (run.pending_steps <= 0 && run.status === 'running') {
    // Skipped steps alone do not fail a run: they are either downstream of a failed step (which
    // fails it) or partitions their producer no longer produces.
    const failed = await trx
      .selectFrom('strata_internal.steps')
      .select('id')
      .where('run_id', '=', runId)
      .where('status', 'in', RUN_FAILING_STEP_STATUSES)
      .limit(1)
      .executeTakeFirst();
    finalStatus = failed ? 'failed' : 'succeeded';
    await trx
      .updateTable('strata_internal.runs')
      .set({ status: finalStatus, finished_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .execute();
    await appendEvents(trx, [
      {
        runId,
        kind: 'run_finished',
        level: finalStatus === 'failed' ? 'error' : 'info',
        message: `run ${runId} ${finalStatus}`,
      },
    ]);
  }
  return finalStatus;
}
