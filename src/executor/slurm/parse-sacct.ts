// Parses `sacct --noheader --parsable2 --format=<SACCT_FIELDS>`: a line per job and one per
// step (`41.batch`, `41.extern`, `41.0`). The job's line has its state, elapsed time, total CPU
// time, nodes, partition and exit code; MaxRSS is per step, so the job's is its steps' largest.
import { parseSlurmSize, pipeFields } from './fields.js';
import { parsedStatus, type SlurmJobStatus } from './job-status.js';

/** The fields asked of sacct, in this order. */
export const SACCT_FIELDS = 'JobIDRaw,State,Elapsed,TotalCPU,MaxRSS,NodeList,Partition,ExitCode';
/** Our names of those fields, in the same order. */
const SACCT_NAMES = [
  'id',
  'state',
  'elapsed',
  'cpu',
  'rss',
  'nodes',
  'partition',
  'exitCode',
] as const;

/** sacct's answer where there is no accounting storage (no slurmdbd): accounting is unavailable. */
export const SACCT_DISABLED = /accounting storage is disabled/i;

/** The jobs of sacct's output, by job id. */
export function parseSacct(stdout: string): Map<string, SlurmJobStatus> {
  const jobs = new Map<string, SlurmJobStatus>();
  const maxRss = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const fields = pipeFields(line, SACCT_NAMES);
    if (fields === undefined) continue;
    const [jobId, step] = fields.id.trim().split('.', 2) as [string, string | undefined];
    const rssBytes = parseSlurmSize(fields.rss);
    if (rssBytes !== undefined) maxRss.set(jobId, Math.max(maxRss.get(jobId) ?? 0, rssBytes));
    if (step !== undefined) continue;
    // sacct's reason is not asked for: its field differs between versions.
    jobs.set(jobId, parsedStatus(jobId, { ...fields, reason: undefined }, 'sacct'));
  }
  for (const [jobId, status] of jobs) {
    const rss = maxRss.get(jobId);
    if (rss !== undefined) jobs.set(jobId, { ...status, maxRssBytes: rss });
  }
  return jobs;
}
