// The worker's side of a Slurm attempt (called by execute-steps.ts for a step to compute): which
// executor the step's asset declares, and handing the claimed attempt to Slurm instead of
// computing it here. A submission that fails ends the attempt as any failure does.
import { executorOf, type SlurmExecutor } from '../../definitions/index.js';
import { EnvironmentError } from '../../errors.js';
import { endFailedAttempt } from '../attempt-failure.js';
import type { ClaimedStep } from '../claim-steps.js';
import type { WorkerRuntime } from '../worker-runtime.js';
import { submitAttempt } from './submit-attempt.js';

/** The Slurm executor of the claimed step's asset, or undefined to compute it in this process. */
export function slurmExecutorOf(
  runtime: WorkerRuntime,
  claim: ClaimedStep,
): SlurmExecutor | undefined {
  const definition = runtime.graph.node(claim.step.asset_key).definition;
  const executor = executorOf(runtime.graph.definitions, definition);
  return executor?.kind === 'slurm' ? executor : undefined;
}

/** How handing an attempt to Slurm ended. */
export type HandOff = 'submitted' | 'failed' | 'superseded';

/**
 * Submits the attempt of `claim` as a Slurm job (its slot in this worker is then free); a worker
 * without Slurm settings, or a submission sbatch refuses, fails the attempt.
 */
export async function handToSlurm(
  runtime: WorkerRuntime,
  claim: ClaimedStep,
  executor: SlurmExecutor,
): Promise<HandOff> {
  const outagesAtStart = runtime.outage.outages;
  try {
    if (runtime.slurm === undefined)
      throw new EnvironmentError(
        `asset ${claim.step.asset_key} runs on Slurm, but worker ${runtime.workerId} has no Slurm settings`,
        { hint: 'start the worker with its Slurm configuration (docs/slurm.md)', retryable: false },
      );
    const jobId = await submitAttempt(runtime, runtime.slurm, claim, executor);
    return jobId === undefined ? 'superseded' : 'submitted';
  } catch (error) {
    return (await endFailedAttempt(runtime, claim, error, outagesAtStart))
      ? 'failed'
      : 'superseded';
  }
}
