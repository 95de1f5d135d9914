// Hands a claimed attempt to Slurm: writes its private environment file, submits a job that runs
// `strata slurm-step --attempt ID` on a node, and records the job id on the attempt. The worker
// then forgets the attempt (its slot is free); the job records the step's outcome itself, and
// the trackers (track-attempts.ts) watch the job. An attempt superseded meanwhile gets its job
// cancelled at once.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { SlurmExecutor } from '../../definitions/index.js';
import { formatAssetPartition } from '../../graph/index.js';
import { appendEvents, type NewEvent } from '../../provenance/index.js';
import type { ClaimedStep } from '../claim-steps.js';
import type { WorkerRuntime } from '../worker-runtime.js';
import { writeEnvFile } from './env-file.js';
import { SLURM_ENV_FILE_VARIABLE, type SlurmSettings } from './settings.js';

/** Slurm's name of an attempt's job. */
export function attemptJobName(claim: ClaimedStep): string {
  return `strata-run${claim.step.run_id}-attempt${claim.attemptId}`;
}

/**
 * Submits the job of `claim`'s attempt; returns its Slurm job id, or undefined when the attempt
 * no longer owned its step once submitted (the job is then cancelled).
 */
export async function submitAttempt(
  runtime: WorkerRuntime,
  settings: SlurmSettings,
  claim: ClaimedStep,
  executor: SlurmExecutor,
): Promise<string | undefined> {
  const envFile = await writeEnvFile(settings.jobDir, claim.attemptId, settings.secrets);
  // Slurm fails a job whose output directory is missing (JobLaunchFailure) before it runs.
  const outputDir = path.join(settings.jobDir, 'output');
  await mkdir(outputDir, { recursive: true });
  const jobId = await settings.client.submit({
    name: attemptJobName(claim),
    command: [...settings.command, 'slurm-step', '--attempt', String(claim.attemptId)],
    outputPath: path.join(outputDir, `attempt-${claim.attemptId}-%j.out`),
    workDir: settings.jobDir,
    env: { ...settings.jobEnv, [SLURM_ENV_FILE_VARIABLE]: envFile },
    executor,
  });
  // The job id and the run's event of it, together (the event only if the attempt took it).
  const recorded = await runtime.outage.retry(() =>
    runtime.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('strata_internal.attempts')
        .set({ slurm_job_id: jobId, slurm_state: 'PENDING' })
        .where('id', '=', claim.attemptId)
        .where('status', '=', 'running')
        .where('slurm_job_id', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      await appendEvents(trx, [submittedEvent(claim, executor, jobId)]);
      return true;
    }),
  );
  if (!recorded) {
    await settings.client.cancel([jobId]);
    return undefined;
  }
  return jobId;
}

/** `fea_run[d01] submitted as Slurm job 41 (partition fea)`: the run's log line of a submission. */
function submittedEvent(
  claim: ClaimedStep,
  executor: SlurmExecutor,
  jobId: string,
): NewEvent<'step_submitted'> {
  const { step } = claim;
  const partition = executor.partition === undefined ? '' : ` (partition ${executor.partition})`;
  return {
    runId: step.run_id,
    stepId: step.id,
    attemptId: claim.attemptId,
    assetKey: step.asset_key,
    partitionKey: step.partition_key,
    kind: 'step_submitted',
    message: `${formatAssetPartition(step.asset_key, step.partition_key)} submitted as Slurm job ${jobId}${partition}`,
    data: { jobId },
  };
}
