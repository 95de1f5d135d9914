// One line about the Slurm job an attempt ran as, for the run and materialization pages:
// `Slurm job 41 COMPLETED on node1 (debug), 12 s, CPU 11 s, max RSS 1.5 MiB`.
import type { RunAttempt } from '../api/types.js';
import { formatBytes, formatDuration } from '../format.js';

/** What a page knows of an attempt's Slurm job. */
export type SlurmJobFacts = NonNullable<RunAttempt['slurm']>;

/** The job's id, last state, where it ran and its accounting, in one line. */
export function slurmJobText(job: SlurmJobFacts): string {
  const where =
    job.nodes === null
      ? ''
      : ` on ${job.nodes}${job.partition === null ? '' : ` (${job.partition})`}`;
  const accounting = [
    job.elapsedSeconds === null ? undefined : formatDuration(job.elapsedSeconds * 1000),
    job.cpuSeconds === null ? undefined : `CPU ${formatDuration(job.cpuSeconds * 1000)}`,
    job.maxRssBytes === null ? undefined : `max RSS ${formatBytes(job.maxRssBytes)}`,
  ].filter((part) => part !== undefined);
  const head = `Slurm job ${job.jobId}${job.state === null ? '' : ` ${job.state}`}${where}`;
  return accounting.length === 0 ? head : `${head}, ${accounting.join(', ')}`;
}
