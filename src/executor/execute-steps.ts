// Executes the steps of one job: claim what can start now, decide which need no computation,
// compute the others one by one, and commit successes in batches (a failure is committed on its
// own); then claim the next steps, until the job is done or the worker stops. Safe to run twice
// for the same steps: claiming is idempotent.
import { endFailedAttempt } from './attempt-failure.js';
import { claimSteps, type ClaimedStep } from './claim-steps.js';
import { completeSteps, type CompletedStep } from './complete-steps.js';
import { computeStep } from './compute-step.js';
import { POOL_RETRY_MS } from './constants.js';
import { decideSteps } from './decide-steps.js';
import { releaseUnstartedClaims } from './release-claims.js';
import { fuseChain } from './fuse-chain.js';
import { enqueueStepJobs } from './job-queue.js';
import { handToSlurm, slurmExecutorOf } from './slurm/hand-to-slurm.js';
import type { WorkerRuntime } from './worker-runtime.js';

/**
 * Successes are committed together until computing has taken this long since the last commit:
 * no-op steps commit hundreds at a time, slow ones one by one so their results and dependants
 * never wait for the rest of the batch.
 */
const COMMIT_AFTER_MS = 50;

/** What happened to the steps of a job: for logs and tests. */
export interface ExecutionSummary {
  readonly completed: number;
  readonly failed: number;
  /** Steps whose pool was full or whose partition another run was computing: enqueued again. */
  readonly later: number;
  /** Steps taken over by another attempt while this one ran. */
  readonly superseded: number;
  /** Claimed steps not started because the worker stopped: given back to the queue. */
  readonly handedBack: number;
  /** Steps handed to Slurm: their jobs record their outcomes (slurm/run-attempt.ts). */
  readonly submitted: number;
}

async function requeueLater(
  runtime: WorkerRuntime,
  later: readonly { stepId: number; runId: number }[],
): Promise<void> {
  if (later.length === 0) return;
  const byRun = new Map<number, number[]>();
  for (const { stepId, runId } of later) byRun.set(runId, [...(byRun.get(runId) ?? []), stepId]);
  const runAt = new Date(Date.now() + POOL_RETRY_MS);
  await runtime.outage.retry(() =>
    runtime.db.transaction().execute(async (trx) => {
      for (const [runId, ids] of byRun)
        await enqueueStepJobs(
          trx,
          runId,
          ids.map((id) => [id]),
          { runAt },
        );
    }),
  );
}

/** Gives the unstarted steps of a job back to the queue, ahead of other jobs. */
async function handBackUnstarted(
  runtime: WorkerRuntime,
  runId: number,
  stepIds: readonly number[],
): Promise<void> {
  if (stepIds.length === 0) return;
  await runtime.outage.retry(() =>
    runtime.db
      .transaction()
      .execute((trx) => enqueueStepJobs(trx, runId, [stepIds], { front: true })),
  );
}

/**
 * Executes the steps of one job (of run `runId`, queue job id `jobId`), then the steps it
 * adopts. Claims only what it can start now (step-costs.ts); a stopping worker claims nothing
 * more and hands the job's unstarted steps back.
 */
export async function executeSteps(
  runtime: WorkerRuntime,
  runId: number,
  stepIds: readonly number[],
  jobId: string | null,
): Promise<ExecutionSummary> {
  const summary = {
    completed: 0,
    failed: 0,
    later: 0,
    superseded: 0,
    handedBack: 0,
    submitted: 0,
  };
  let remaining: readonly number[] = stepIds;
  while (remaining.length > 0) {
    if (runtime.stopSignal.aborted) {
      await handBackUnstarted(runtime, runId, remaining);
      break;
    }
    const { claimed, later, unclaimed } = await runtime.outage.retry(() =>
      claimSteps(runtime, remaining, jobId, (key) => runtime.stepCosts.claimSize(key)),
    );
    remaining = unclaimed;
    await requeueLater(runtime, later);
    summary.later += later.length;
    let batch: readonly ClaimedStep[] = claimed;
    while (batch.length > 0) batch = await executeClaimed(runtime, batch, jobId, summary);
  }
  return summary;
}

/** Claims of this worker it will not start now that it stops: handed back to the queue. */
async function handBackClaims(
  runtime: WorkerRuntime,
  claims: readonly ClaimedStep[],
  summary: Mutable<ExecutionSummary>,
): Promise<void> {
  try {
    summary.handedBack += await runtime.outage.retry(() => releaseUnstartedClaims(runtime, claims));
  } finally {
    for (const claim of claims) runtime.activeAttempts.delete(claim.attemptId);
  }
}

/** Runs claimed steps to their end; returns the dependants adopted meanwhile. */
async function executeClaimed(
  runtime: WorkerRuntime,
  claimed: readonly ClaimedStep[],
  jobId: string | null,
  summary: Mutable<ExecutionSummary>,
): Promise<ClaimedStep[]> {
  const adopted: ClaimedStep[] = [];
  const controllers = new Map<number, AbortController>();
  const track = (claims: readonly ClaimedStep[]): void => {
    for (const claim of claims) {
      const controller =
        runtime.activeAttempts.get(claim.attemptId)?.controller ?? new AbortController();
      controllers.set(claim.attemptId, controller);
      runtime.activeAttempts.set(claim.attemptId, { runId: claim.run.id, controller });
    }
  };
  track(claimed);
  let pending: CompletedStep[] = [];
  let sinceCommit = Date.now();
  const commit = async (): Promise<void> => {
    const result = await runtime.outage.retry(() =>
      completeSteps(runtime, pending, {
        jobId,
        adopt: !runtime.stopSignal.aborted,
        claimSizes: runtime.stepCosts,
      }),
    );
    track(result.adopted);
    adopted.push(...result.adopted);
    summary.completed += pending.length - result.superseded.length - result.unfused.length;
    summary.superseded += result.superseded.length;
    pending = [];
    sinceCommit = Date.now();
  };
  const startedAt = performance.now();
  try {
    if (runtime.stopSignal.aborted) {
      await handBackClaims(runtime, claimed, summary);
      return [];
    }
    const decisions = await runtime.outage.retry(() => decideSteps(runtime, claimed));
    for (const [index, claim] of claimed.entries()) {
      if (runtime.stopSignal.aborted && decisions[index]!.kind !== 'done') {
        // Start nothing new: what is computed is committed, the rest goes back to the queue.
        if (pending.length > 0) await commit();
        await handBackClaims(runtime, claimed.slice(index), summary);
        return adopted;
      }
      const decision = decisions[index]!;
      const slurmExecutor =
        decision.kind === 'compute' ? slurmExecutorOf(runtime, claim) : undefined;
      if (decision.kind === 'done') {
        pending.push({ claim, outcome: decision.outcome });
      } else if (slurmExecutor !== undefined) {
        // A Slurm job computes it and records its outcome; this worker moves on.
        const handOff = await handToSlurm(runtime, claim, slurmExecutor);
        summary[handOff]++;
      } else {
        const outagesAtStart = runtime.outage.outages;
        try {
          const outcome =
            decision.kind === 'error'
              ? Promise.reject(decision.error)
              : computeStep(
                  runtime,
                  claim,
                  decision.inputHash,
                  decision.inputs,
                  decision.values,
                  controllers.get(claim.attemptId)!.signal,
                  undefined,
                  decision.reuse,
                );
          pending.push({ claim, outcome: await outcome });
        } catch (error) {
          if (await endFailedAttempt(runtime, claim, error, outagesAtStart)) summary.failed++;
          else summary.superseded++;
        }
      }
      if (pending.length > 0 && Date.now() - sinceCommit >= COMMIT_AFTER_MS) await commit();
    }
    runtime.stepCosts.record(
      claimed[0]!.step.asset_key,
      claimed.length,
      performance.now() - startedAt,
    );
    // A single fast step: the steps that follow it in a line may be computed now and recorded
    // with it, within the same commit window (fuse-chain.ts).
    if (claimed.length === 1 && pending.length === 1 && !runtime.stopSignal.aborted) {
      const head = claimed[0]!;
      pending.push(
        ...(await fuseChain(
          runtime,
          pending[0]!,
          controllers.get(head.attemptId)!.signal,
          sinceCommit + COMMIT_AFTER_MS,
        )),
      );
    }
    if (pending.length > 0) await commit();
    return adopted;
  } catch (error) {
    // Adopted steps will not run here now: untracked, the heartbeat hands them back to the queue.
    for (const claim of adopted) runtime.activeAttempts.delete(claim.attemptId);
    throw error;
  } finally {
    for (const claim of claimed) runtime.activeAttempts.delete(claim.attemptId);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
