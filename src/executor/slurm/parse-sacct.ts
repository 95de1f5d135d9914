// Parses `sacct --noheader --parsable2 --format=<SACCT_FIELDS>`: a line per job and one per
// step (`41.batch`, `41.extern`, `41.0`). The job's line has its state, elapsed time, total CPU
// time, nodes, partition and exit code; MaxRSS is per step, so the job's is its steps' largest.
import { parseExitCode, parseSlurmDuration, parseSlurmSize, presentField } from './fields.js';
import { emptyStatus, type SlurmJobStatus } from './job-status.js';
import { normalizeSlurmState, slurmOutcome } from './states.js';

/** The fields asked of sacct, in this order. */
export const SACCT_FIELDS = 'JobIDRaw,State,Elapsed,TotalCPU,MaxRSS,NodeList,Partition,ExitCode';

/** sacct's answer where there is no accounting storage (no slurmdbd): accounting is unavailable. */
export const SACCT_DISABLED = /accounting storage is disabled/i;

/** The jobs of sacct's output, by job id. */
export function parseSacct(stdout: string): Map<string, SlurmJobStatus> {
  const jobs = new Map<string, SlurmJobStatus>();
  const maxRss = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const fields = line.split('|');
    if (fields.length !== 8) continue;
    const [rawId, stateText, elapsed, cpu, rss, nodes, partition, exit] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const [jobId, step] = rawId.trim().split('.', 2) as [string, string | undefined];
    const rssBytes = parseSlurmSize(rss);
    if (rssBytes !== undefined) maxRss.set(jobId, Math.max(maxRss.get(jobId) ?? 0, rssBytes));
    if (step !== undefined) continue;
    const state = normalizeSlurmState(stateText);
    jobs.set(jobId, {
      ...emptyStatus(jobId, state, slurmOutcome(state), 'sacct'),
      partition: presentField(partition),
      nodes: presentField(nodes),
      elapsedSeconds: parseSlurmDuration(elapsed),
      cpuSeconds: parseSlurmDuration(cpu),
      exitCode: parseExitCode(exit),
    });
  }
  for (const [jobId, status] of jobs) {
    const rss = maxRss.get(jobId);
    if (rss !== undefined) jobs.set(jobId, { ...status, maxRssBytes: rss });
  }
  return jobs;
}
