// Executes the steps of one job: claim them together, decide which need no computation, compute
// the others one by one, and commit successes in batches (a failure is committed on its own).
// Safe to run twice for the same steps: claiming is idempotent.
import { ComputeInterruptedError } from './run-compute.js';
import { claimSteps, type ClaimedStep } from './claim-steps.js';
import { completeSteps, type CompletedStep } from './complete-steps.js';
import { computeStep } from './compute-step.js';
import { POOL_RETRY_MS } from './constants.js';
import { decideSteps } from './decide-steps.js';
import { failStep } from './fail-step.js';
import { enqueueStepJobs } from './job-queue.js';
import { AttemptSupersededError } from './step-transitions.js';
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
}

async function requeueLater(
  runtime: WorkerRuntime,
  later: readonly { stepId: number; runId: number }[],
): Promise<void> {
  if (later.length === 0) return;
  const byRun = new Map<number, number[]>();
  for (const { stepId, runId } of later) byRun.set(runId, [...(byRun.get(runId) ?? []), stepId]);
  const runAt = new Date(Date.now() + POOL_RETRY_MS);
  await runtime.db.transaction().execute(async (trx) => {
    for (const [runId, ids] of byRun)
      await enqueueStepJobs(
        trx,
        runId,
        ids.map((id) => [id]),
        runAt,
      );
  });
}

async function fail(runtime: WorkerRuntime, claim: ClaimedStep, error: unknown): Promise<boolean> {
  const kind = error instanceof ComputeInterruptedError ? error.kind : 'failed';
  try {
    await failStep(runtime, claim, kind, error);
    return true;
  } catch (failure) {
    if (failure instanceof AttemptSupersededError) return false;
    throw failure;
  }
}

/** Executes steps `stepIds` of one job (with queue job id `jobId`), then the steps it adopts. */
export async function executeSteps(
  runtime: WorkerRuntime,
  stepIds: readonly number[],
  jobId: string | null,
): Promise<ExecutionSummary> {
  const { claimed, later } = await claimSteps(runtime, stepIds, jobId);
  await requeueLater(runtime, later);
  const summary = { completed: 0, failed: 0, later: later.length, superseded: 0 };
  let batch: readonly ClaimedStep[] = claimed;
  while (batch.length > 0) batch = await executeClaimed(runtime, batch, jobId, summary);
  return summary;
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
    const result = await completeSteps(runtime, pending, jobId);
    track(result.adopted);
    adopted.push(...result.adopted);
    summary.completed += pending.length - result.superseded.length;
    summary.superseded += result.superseded.length;
    pending = [];
    sinceCommit = Date.now();
  };
  try {
    const decisions = await decideSteps(runtime, claimed);
    for (const [index, claim] of claimed.entries()) {
      const decision = decisions[index]!;
      if (decision.kind === 'done') {
        pending.push({ claim, outcome: decision.outcome });
      } else {
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
                );
          pending.push({ claim, outcome: await outcome });
        } catch (error) {
          if (await fail(runtime, claim, error)) summary.failed++;
          else summary.superseded++;
        }
      }
      if (pending.length > 0 && Date.now() - sinceCommit >= COMMIT_AFTER_MS) await commit();
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
