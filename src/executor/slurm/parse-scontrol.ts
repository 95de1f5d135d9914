// Parses `scontrol show job -o`: one job per line as `Key=value` pairs separated by spaces.
import { parsedStatus, type SlurmJobStatus } from './job-status.js';

/** The `Key=value` pairs of one line (keys such as `AllocNode:Sid` and `CPUs/Task` included). */
export function parseKeyValues(line: string): Map<string, string> {
  const pairs = new Map<string, string>();
  // A pair starts after a space with a key: a letter, then letters, digits, `:`, `/` or `_`.
  for (const pair of line.trim().split(/ (?=[A-Za-z][A-Za-z0-9:/_]*=)/)) {
    const equals = pair.indexOf('=');
    if (equals > 0) pairs.set(pair.slice(0, equals), pair.slice(equals + 1).trim());
  }
  return pairs;
}

/** The jobs of scontrol's output, by job id. */
export function parseScontrolJobs(stdout: string): Map<string, SlurmJobStatus> {
  const jobs = new Map<string, SlurmJobStatus>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('JobId=')) continue;
    const fields = parseKeyValues(line);
    const jobId = fields.get('JobId')!;
    jobs.set(
      jobId,
      parsedStatus(
        jobId,
        {
          state: fields.get('JobState') ?? 'UNKNOWN',
          reason: fields.get('Reason'),
          partition: fields.get('Partition'),
          nodes: fields.get('NodeList'),
          elapsed: fields.get('RunTime'),
          exitCode: fields.get('ExitCode'),
        },
        'scontrol',
      ),
    );
  }
  return jobs;
}
