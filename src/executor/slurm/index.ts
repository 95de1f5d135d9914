// The Slurm client of the Slurm executor: submit, poll and cancel batch jobs, and what each
// Slurm state means for the step attempt a job runs.
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
