// The one transaction that ends the successful attempts of a job's steps: record the
// materializations (or early cutoffs), mark steps and attempts, append events, expand produced
// partitions, free pool slots, release dependants and settle the run. Set-based: a batch of
// hundreds of steps costs about as many statements as one. What to do with each outcome is
// decided in completion-decision.ts.
import { sql, type Kysely } from 'kysely';
import { recordArtifacts } from '../artifacts/index.js';
import { recordMaterializations } from '../provenance/index.js';
import { StrataError } from '../errors.js';
import { attemptTargetOf, fromStatesOf, type Database, type StepStatus } from '../store/index.js';
import { splitForeign } from './claim-decision.js';
import { claimantOf, claimRows, type ClaimedStep } from './claim-steps.js';
import { POOL_RETRY_MS } from './constants.js';
import { enqueueStepJobs } from './job-queue.js';
import { expandProducedPartitions } from './expand-partitions.js';
import { releasePoolSlots } from './pools.js';
import { releaseUnstartedClaims } from './release-claims.js';
import { completeStepsInOneCall, TAKEN_OVER_STATE } from './sql/complete-steps-call.js';
import {
  fitsOneCall,
  oneCallOutcome,
  outcomeEvent,
  type CompletedStep,
  type StepOutcome,
} from './completion-decision.js';
import type { StepCosts } from './step-costs.js';
import { failBlockedSteps, failedBlockingCheck, recordStepChecks } from './record-checks.js';
import { AttemptSupersededError, releaseDependants, settleRun } from './step-transitions.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** Lifecycle table (src/store/step-transitions-table.ts): a completion's from-statuses and the attempt's end. */
const COMPLETE_FROM = fromStatesOf('complete');
const COMPLETED_ATTEMPT = attemptTargetOf('complete');

export type { CompletedStep, StepOutcome } from './completion-decision.js';

/** Locks the steps still owned by their attempts; the others were taken over meanwhile. */
async function lockOwned(
  trx: Kysely<Database>,
  completed: readonly CompletedStep[],
): Promise<Set<number>> {
  const owned = await sql<{ id: number }>`
    select s.id from strata_internal.steps s
    join unnest(${completed.map((c) => c.claim.step.id)}::bigint[], ${completed.map((c) => c.claim.attemptId)}::bigint[]) as c(id, attempt_id)
      on s.id = c.id and s.current_attempt_id = c.attempt_id and s.status = any(${COMPLETE_FROM}::text[])
    order by s.id
    for update of s`.execute(trx);
  return new Set(owned.rows.map((row) => row.id));
}

/** What a completion committed besides the outcomes. */
export interface CompletionResult {
  /** Steps whose attempt no longer owned them: their outcome was discarded. */
  readonly superseded: readonly number[];
  /**
   * Dependants that became ready, claimed in the same transaction for this worker to run next
   * (at most one job's worth; the others were enqueued for any worker). A chain of steps thus
   * runs without a queue round trip per step; if this worker dies, its attempts are lost and the
   * steps are enqueued again like any other.
   */
  readonly adopted: readonly ClaimedStep[];
  /**
   * Fused steps (fuse-chain.ts) the completion did not record, because one of them no longer
   * waited on the step before it or its partition was busy: they run again under ordinary claims.
   */
  readonly unfused: readonly number[];
}

/** The ownership of some steps changed between claim and completion (the commit is redone). */
class OwnershipChanged extends StrataError {
  readonly fault = 'environment';
  constructor() {
    super('steps were taken over between claim and completion', { retryable: true });
  }
}

/**
 * Marks steps and attempts done and appends their events in one statement, only for steps still
 * owned by their attempt; returns the ids of those steps.
 */
async function finishOwned(
  trx: Kysely<Database>,
  mine: readonly CompletedStep[],
  materializationOf: ReadonlyMap<number, number>,
): Promise<Set<number>> {
  const status = (c: CompletedStep): StepStatus =>
    c.outcome.kind === 'fresh' ? 'fresh' : c.outcome.kind;
  const inputHash = (c: CompletedStep): string =>
    c.outcome.kind === 'fresh' ? c.outcome.inputHash : c.outcome.record.inputHash;
  const events = mine.map((c) => outcomeEvent(c, materializationOf.get(c.claim.step.id)!));
  const finished = await sql<{ id: number }>`
    with s as (
      update strata_internal.steps s
      set status = c.status, materialization_id = c.materialization_id, input_hash = c.input_hash, finished_at = now()
      from unnest(${mine.map((c) => c.claim.step.id)}::bigint[], ${mine.map((c) => c.claim.attemptId)}::bigint[], ${mine.map(status)}::text[],
                  ${mine.map((c) => materializationOf.get(c.claim.step.id)!)}::bigint[], ${mine.map(inputHash)}::text[])
        as c(id, attempt_id, status, materialization_id, input_hash)
      where s.id = c.id and s.current_attempt_id = c.attempt_id and s.status = any(${COMPLETE_FROM}::text[])
      returning s.id, s.current_attempt_id
    ),
    a as (
      update strata_internal.attempts a set status = ${COMPLETED_ATTEMPT}, finished_at = now()
      from s where a.id = s.current_attempt_id
    ),
    e as (
      insert into strata_internal.events (run_id, step_id, attempt_id, asset_key, partition_key, kind, level, message, data)
      select ev.run_id, ev.step_id, ev.attempt_id, ev.asset_key, ev.partition_key, ev.kind, 'info', ev.message, ev.data
      from unnest(${events.map((e) => e.runId)}::bigint[], ${events.map((e) => e.stepId)}::bigint[], ${events.map((e) => e.attemptId)}::bigint[],
                  ${events.map((e) => e.assetKey)}::text[], ${events.map((e) => e.partitionKey)}::text[], ${events.map((e) => e.kind)}::text[],
                  ${events.map((e) => e.message)}::text[], ${events.map((e) => JSON.stringify(e.data))}::jsonb[])
        as ev(run_id, step_id, attempt_id, asset_key, partition_key, kind, message, data)
      where ev.step_id in (select id from s)
    )
    select id from s`.execute(trx);
  return new Set(finished.rows.map((row) => row.id));
}

/** Where completed steps ran and how much of what they release their worker runs next. */
export interface CompletionContext {
  /** The queue job the steps were executed under (recorded with adopted attempts). */
  readonly jobId: string | null;
  /** Whether to claim released dependants to run next (not when the worker is stopping). */
  readonly adopt: boolean;
  /** How many steps of an asset this worker claims at once. */
  readonly claimSizes: Pick<StepCosts, 'claimSize' | 'claimSizesOf'>;
}

/**
 * Commits the successful outcomes of claimed steps of one run. The common case (no producer, no
 * artifacts) is one call of a server-side function: one round trip and one commit per batch.
 * Optimistic: ownership is checked by the step update; in the rare case an attempt was taken
 * over meanwhile, the completion is redone in a transaction for the steps still owned.
 */
export async function completeSteps(
  runtime: WorkerRuntime,
  completed: readonly CompletedStep[],
  context: CompletionContext,
): Promise<CompletionResult> {
  if (completed.length === 0) return { superseded: [], adopted: [], unfused: [] };
  // Fused steps are recorded by the server-side function only; when it refuses them (or cannot
  // take the batch), they are dropped: the others are recorded alone and release them as usual.
  const fused = completed.filter((c) => c.fused !== undefined);
  const ordinary = completed.filter((c) => c.fused === undefined);
  const unfused = fused.map((c) => c.claim.step.id);
  try {
    if (fitsOneCall(completed)) return await completeInOneCall(runtime, completed, context);
    return { ...(await commitCompletion(runtime, ordinary, context, false)), unfused };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const takenOver =
      error instanceof OwnershipChanged || code === UNIQUE_VIOLATION || code === TAKEN_OVER_STATE;
    if (!takenOver) throw error;
    return { ...(await commitCompletion(runtime, ordinary, context, true)), unfused };
  }
}

/** SQLSTATE of a unique violation: another attempt already recorded the materialization. */
const UNIQUE_VIOLATION = '23505';

/** The assets whose steps the completed ones may release (their direct dependants here). */
function dependantAssets(runtime: WorkerRuntime, completed: readonly CompletedStep[]): Set<string> {
  const assets = new Set<string>();
  for (const key of new Set(completed.map((c) => c.claim.step.asset_key))) {
    if (runtime.graph.has(key))
      for (const dependant of runtime.graph.downstream(key, 1)) assets.add(dependant);
  }
  return assets;
}

async function completeInOneCall(
  runtime: WorkerRuntime,
  completed: readonly CompletedStep[],
  { jobId, adopt, claimSizes }: CompletionContext,
): Promise<CompletionResult> {
  const { run, runOptions } = completed[0]!.claim;
  const rows = await completeStepsInOneCall(runtime.db, {
    runId: run.id,
    workerId: runtime.workerId,
    jobId,
    concurrency: runOptions.concurrency,
    adopt,
    claimSizes: adopt ? claimSizes.claimSizesOf(dependantAssets(runtime, completed)) : {},
    outcomes: completed.map(oneCallOutcome),
  });
  const adopted = rows.map(({ step, attemptId, attemptNumber }) => ({
    step,
    run,
    runOptions,
    attemptId,
    attemptNumber,
  }));
  // A dependant whose definition this worker does not have as planned goes back to the queue
  // for a worker that has it (the ordinary claim announces why it waits).
  const foreign = new Set(
    splitForeign(
      adopted.map((c) => c.step),
      claimantOf(runtime),
    ).waiting,
  );
  if (foreign.size > 0)
    await releaseUnstartedClaims(
      runtime,
      adopted.filter((c) => foreign.has(c.step)),
    );
  return { superseded: [], adopted: adopted.filter((c) => !foreign.has(c.step)), unfused: [] };
}

async function commitCompletion(
  runtime: WorkerRuntime,
  completed: readonly CompletedStep[],
  { jobId, adopt, claimSizes }: CompletionContext,
  verifyFirst: boolean,
): Promise<CompletionResult> {
  const adoptSize = (key: string): number => (adopt ? claimSizes.claimSize(key) : 0);
  const run = completed[0]!.claim.run;
  return runtime.db.transaction().execute(async (trx) => {
    const owned = verifyFirst
      ? await lockOwned(trx, completed)
      : new Set(completed.map((c) => c.claim.step.id));
    const mine = completed.filter((c) => owned.has(c.claim.step.id));
    const superseded = completed
      .filter((c) => !owned.has(c.claim.step.id))
      .map((c) => c.claim.step.id);
    if (mine.length === 0) return { superseded, adopted: [], unfused: [] };

    const recorded = mine.filter((c) => c.outcome.kind !== 'fresh');
    const ids = await recordMaterializations(
      trx,
      recorded.map((c) => (c.outcome as Extract<StepOutcome, { record: unknown }>).record),
    );
    const materializationOf = new Map<number, number>();
    recorded.forEach((c, index) => materializationOf.set(c.claim.step.id, ids[index]!));
    for (const c of mine) {
      if (c.outcome.kind === 'fresh')
        materializationOf.set(c.claim.step.id, c.outcome.materializationId);
      else if (c.outcome.artifacts.length > 0)
        await recordArtifacts(trx, materializationOf.get(c.claim.step.id)!, [
          ...c.outcome.artifacts,
        ]);
    }
    // Steps a blocking check failed end failed, with their materialization (record-checks.ts).
    const blocked = mine.filter(failedBlockingCheck);
    const passed = blocked.length === 0 ? mine : mine.filter((c) => !blocked.includes(c));
    if (passed.length > 0) {
      const finished = await finishOwned(trx, passed, materializationOf);
      if (finished.size !== passed.length) throw new OwnershipChanged();
    }
    await recordStepChecks(trx, mine, materializationOf);
    const skipped = await failBlockedSteps(trx, blocked, materializationOf).catch(
      (error: unknown) => {
        throw error instanceof AttemptSupersededError ? new OwnershipChanged() : error;
      },
    );
    const withTools = mine.filter(
      (c) => c.outcome.kind !== 'fresh' && (c.outcome.toolCalls ?? 0) > 0,
    );
    if (withTools.length > 0) {
      await sql`
        update strata_internal.tool_calls t set materialization_id = c.materialization_id
        from unnest(${withTools.map((c) => c.claim.attemptId)}::bigint[], ${withTools.map((c) => materializationOf.get(c.claim.step.id)!)}::bigint[])
          as c(attempt_id, materialization_id)
        where t.attempt_id = c.attempt_id`.execute(trx);
    }

    let added = 0;
    let removed = 0;
    for (const c of passed) {
      const keys =
        c.outcome.kind === 'fresh' ? c.outcome.partitionKeys : c.outcome.record.partitionKeys;
      if (!keys) continue;
      const expansion = await expandProducedPartitions(trx, runtime.graph, c.claim, keys);
      added += expansion.added;
      removed += expansion.removed;
    }
    const attemptIds = mine.map((c) => c.claim.attemptId);
    if (mine.some((c) => c.claim.step.pool !== null)) await releasePoolSlots(trx, attemptIds);
    const ready = await releaseDependants(
      trx,
      run.id,
      passed.map((c) => c.claim.step.id),
      completed[0]!.claim.runOptions.concurrency,
      { keep: adoptSize },
    );
    const adoption =
      ready.length > 0
        ? await claimRows(trx, runtime, ready, new Map([[run.id, run]]), jobId)
        : { claimed: [], later: [] };
    if (adoption.later.length > 0) {
      await enqueueStepJobs(
        trx,
        run.id,
        adoption.later.map((l) => [l.stepId]),
        { runAt: new Date(Date.now() + POOL_RETRY_MS) },
      );
    }
    await settleRun(trx, run.id, mine.length + removed + skipped, added);
    return { superseded, adopted: adoption.claimed, unfused: [] };
  });
}
