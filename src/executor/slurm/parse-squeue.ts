// Parses `squeue --noheader --format=<SQUEUE_FORMAT>`: one job per line, fields separated by `|`.
import { InvariantError } from '../../errors.js';
import { pipeFields } from './fields.js';
import { parsedStatus, type SlurmJobStatus } from './job-status.js';

/** Job id, state, reason, partition, nodes, time used; `|` never occurs in these fields. */
export const SQUEUE_FORMAT = '%i|%T|%r|%P|%N|%M';
/** Our names of those fields, in the same order. */
const SQUEUE_NAMES = ['id', 'state', 'reason', 'partition', 'nodes', 'elapsed'] as const;

/** squeue's error for job ids the controller does not know (with exit code 1). */
export const UNKNOWN_JOB_ERROR = /Invalid job id specified/i;

/** The jobs of squeue's output, by job id. */
export function parseSqueue(stdout: string): Map<string, SlurmJobStatus> {
  const jobs = new Map<string, SlurmJobStatus>();
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const fields = pipeFields(line, SQUEUE_NAMES);
    if (fields === undefined)
      throw new InvariantError(
        `squeue printed ${JSON.stringify(line)}, not the 6 fields of --format=${SQUEUE_FORMAT}`,
      );
    const jobId = fields.id.trim();
    jobs.set(jobId, parsedStatus(jobId, fields, 'squeue'));
  }
  return jobs;
}
