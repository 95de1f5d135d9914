// What a Slurm job runs on the node (`strata slurm-step --attempt ID`): exactly that step
// attempt, as the worker's in-process path would (decide-steps.ts, compute-step.ts), recording
// the outcome through the same completion (complete-steps.ts) or failure (attempt-failure.ts)
// path. Both are fenced by the attempt: a job whose attempt was superseded (taken over, the run
// cancelled) computes and records nothing.
import { completeSteps } from '../complete-steps.js';
import { computeStep } from '../compute-step.js';
import { decideSteps } from '../decide-steps.js';
import { endFailedAttempt } from '../attempt-failure.js';
import type { WorkerRuntime } from '../worker-runtime.js';
import { loadAttemptClaim } from './attempt-claim.js';

/** How the job's attempt ended. */
export type SlurmAttemptResult = 'completed' | 'failed' | 'superseded';

/** Runs attempt `attemptId` in this process (the Slurm job's) and records its outcome. */
export async function runSlurmAttempt(
  runtime: WorkerRuntime,
  attemptId: number,
): Promise<SlurmAttemptResult> {
  const claim = await runtime.outage.retry(() => loadAttemptClaim(runtime.db, attemptId));
  if (claim === undefined) return 'superseded';
  const controller = new AbortController();
  runtime.activeAttempts.set(attemptId, { runId: claim.run.id, controller });
  const outagesAtStart = runtime.outage.outages;
  try {
    const [decision] = await runtime.outage.retry(() => decideSteps(runtime, [claim]));
    const outcome =
      decision!.kind === 'done'
        ? decision!.outcome
        : decision!.kind === 'error'
          ? await Promise.reject(decision!.error)
          : await computeStep(
              runtime,
              claim,
              decision!.inputHash,
              decision!.inputs,
              decision!.values,
              controller.signal,
              undefined,
              decision!.reuse,
            );
    const result = await runtime.outage.retry(() =>
      completeSteps(runtime, [{ claim, outcome }], {
        jobId: null,
        adopt: false,
        claimSizes: runtime.stepCosts,
      }),
    );
    return result.superseded.length > 0 ? 'superseded' : 'completed';
  } catch (error) {
    return (await endFailedAttempt(runtime, claim, error, outagesAtStart))
      ? 'failed'
      : 'superseded';
  } finally {
    runtime.activeAttempts.delete(attemptId);
  }
}
