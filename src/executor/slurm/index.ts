// The Slurm executor: the client (submit, poll and cancel batch jobs, what each Slurm state means),
// handing attempts to Slurm, the job's side (slurm-step) and the trackers of running jobs.
export { createSlurmClient, type SlurmClient, type SlurmClientOptions } from './client.js';
export { describeSlurmFailure, type SlurmJobStatus } from './job-status.js';
export { parseExitCode, parseSlurmDuration, parseSlurmSize, type SlurmExitCode } from './fields.js';
export { parseSacct, SACCT_FIELDS } from './parse-sacct.js';
export { parseKeyValues, parseScontrolJobs } from './parse-scontrol.js';
export { parseSqueue, SQUEUE_FORMAT } from './parse-squeue.js';
export { parseSubmittedJobId, sbatchArgs, type SlurmJobRequest } from './sbatch-args.js';
export {
  normalizeSlurmState,
  SLURM_STATE_CODES,
  SLURM_STATE_OUTCOMES,
  slurmOutcome,
  type SlurmOutcome,
} from './states.js';
export { loadAttemptClaim } from './attempt-claim.js';
export { envFilePath, readEnvFile, removeEnvFile, writeEnvFile } from './env-file.js';
export { handToSlurm, slurmExecutorOf, type HandOff } from './hand-to-slurm.js';
export { runSlurmAttempt, type SlurmAttemptResult } from './run-attempt.js';
export { SLURM_ENV_FILE_VARIABLE, type SlurmSettings } from './settings.js';
export { runSlurmStep, runSlurmStepFromEnv, SLURM_DATABASE_URL } from './slurm-step.js';
export { attemptJobName, submitAttempt } from './submit-attempt.js';
export { SlurmJobFailedError, trackSlurmAttempts, type TrackSummary } from './track-attempts.js';
export { DEFAULT_SLURM_POLL_MS, startSlurmTracker, type SlurmTracker } from './tracker-loop.js';
