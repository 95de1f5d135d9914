// Parses `squeue --noheader --format=<SQUEUE_FORMAT>`: one job per line, fields separated by `|`.
import { InvariantError } from '../../errors.js';
import { parseSlurmDuration, presentField } from './fields.js';
import { emptyStatus, type SlurmJobStatus } from './job-status.js';
import { normalizeSlurmState, slurmOutcome } from './states.js';

/** Job id, state, reason, partition, nodes, time used; `|` never occurs in these fields. */
export const SQUEUE_FORMAT = '%i|%T|%r|%P|%N|%M';

/** squeue's error for job ids the controller does not know (with exit code 1). */
export const UNKNOWN_JOB_ERROR = /Invalid job id specified/i;

/** The jobs of squeue's output, by job id. */
export function parseSqueue(stdout: string): Map<string, SlurmJobStatus> {
  const jobs = new Map<string, SlurmJobStatus>();
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split('|');
    if (fields.length !== 6)
      throw new InvariantError(
        `squeue printed ${JSON.stringify(line)}, not the 6 fields of --format=${SQUEUE_FORMAT}`,
      );
    const [jobId, stateText, reason, partition, nodes, used] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const state = normalizeSlurmState(stateText);
    jobs.set(jobId.trim(), {
      ...emptyStatus(jobId.trim(), state, slurmOutcome(state), 'squeue'),
      reason: presentField(reason),
      partition: presentField(partition),
      nodes: presentField(nodes),
      elapsedSeconds: parseSlurmDuration(used),
    });
  }
  return jobs;
}
