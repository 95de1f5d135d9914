// Hands a claimed attempt to Slurm: writes its private environment file, submits a job that runs
// `strata slurm-step --attempt ID` on a node, and records the job id on the attempt. The worker
// then forgets the attempt (its slot is free); the job records the step's outcome itself, and
// the trackers (track-attempts.ts) watch the job. An attempt superseded meanwhile gets its job
// cancelled at once.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { SlurmExecutor } from '../../definitions/index.js';
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
  const recorded = await runtime.outage.retry(() =>
    runtime.db
      .updateTable('strata_internal.attempts')
      .set({ slurm_job_id: jobId, slurm_state: 'PENDING' })
      .where('id', '=', claim.attemptId)
      .where('status', '=', 'running')
      .where('slurm_job_id', 'is', null)
      .executeTakeFirst(),
  );
  if (Number(recorded.numUpdatedRows) === 0) {
    await settings.client.cancel([jobId]);
    return undefined;
  }
  return jobId;
}
