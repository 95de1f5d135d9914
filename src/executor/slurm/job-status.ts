// What the client reports about one Slurm job, and the message an attempt fails with when its
// job failed: the Slurm state, Slurm's reason, where and how long it ran.
import { parseExitCode, parseSlurmDuration, presentField, type SlurmExitCode } from './fields.js';
import { normalizeSlurmState, slurmOutcome, type SlurmOutcome } from './states.js';

/** The state and accounting of one job, from whichever command knew it. */
export interface SlurmJobStatus {
  readonly jobId: string;
  /** Slurm's state (PENDING, RUNNING, COMPLETED, TIMEOUT, ...), or UNKNOWN when no command knows the job. */
  readonly state: string;
  readonly outcome: SlurmOutcome;
  /** Slurm's reason (`TimeLimit`, `NonZeroExitCode`, `Resources`, ...). */
  readonly reason: string | undefined;
  readonly partition: string | undefined;
  /** The node list the job ran on. */
  readonly nodes: string | undefined;
  readonly elapsedSeconds: number | undefined;
  /** CPU time of all its processes (sacct only). */
  readonly cpuSeconds: number | undefined;
  /** The largest resident set of any of its steps (sacct only). */
  readonly maxRssBytes: number | undefined;
  readonly exitCode: SlurmExitCode | undefined;
  /** Which command answered: squeue (active jobs), scontrol (finished, still in the controller), sacct, or none. */
  readonly source: 'squeue' | 'scontrol' | 'sacct' | 'none';
}

/** The fields of a job as a command printed them (absent: the command does not print it). */
export interface PrintedJob {
  readonly state: string;
  readonly reason?: string | undefined;
  readonly partition?: string | undefined;
  readonly nodes?: string | undefined;
  readonly elapsed?: string | undefined;
  readonly cpu?: string | undefined;
  readonly exitCode?: string | undefined;
}

/** The status of a job from the fields a command printed for it. */
export function parsedStatus(
  jobId: string,
  printed: PrintedJob,
  source: SlurmJobStatus['source'],
): SlurmJobStatus {
  const state = normalizeSlurmState(printed.state);
  return {
    ...emptyStatus(jobId, state, slurmOutcome(state), source),
    reason: presentField(printed.reason),
    partition: presentField(printed.partition),
    nodes: presentField(printed.nodes),
    elapsedSeconds: parseSlurmDuration(printed.elapsed),
    cpuSeconds: parseSlurmDuration(printed.cpu),
    exitCode: parseExitCode(printed.exitCode),
  };
}

/** A status with nothing but an id and a state (fields filled in by the parsers). */
export function emptyStatus(
  jobId: string,
  state: string,
  outcome: SlurmOutcome,
  source: SlurmJobStatus['source'],
): SlurmJobStatus {
  return {
    jobId,
    state,
    outcome,
    reason: undefined,
    partition: undefined,
    nodes: undefined,
    elapsedSeconds: undefined,
    cpuSeconds: undefined,
    maxRssBytes: undefined,
    exitCode: undefined,
    source,
  };
}

/**
 * The failure message of an attempt whose job failed, e.g. `Slurm job 7 ended TIMEOUT (reason
 * TimeLimit) on vm in partition debug after 80 s, exit code 0, signal 15`.
 */
export function describeSlurmFailure(status: SlurmJobStatus): string {
  if (status.state === 'UNKNOWN')
    return `Slurm job ${status.jobId} is unknown to squeue, scontrol and sacct (it ended longer ago than the controller's MinJobAge, or was never accepted)`;
  const parts = [`Slurm job ${status.jobId} ended ${status.state}`];
  if (status.reason !== undefined && status.reason !== 'None')
    parts.push(`(reason ${status.reason})`);
  if (status.nodes !== undefined) parts.push(`on ${status.nodes}`);
  if (status.partition !== undefined) parts.push(`in partition ${status.partition}`);
  if (status.elapsedSeconds !== undefined) parts.push(`after ${status.elapsedSeconds} s`);
  let message = parts.join(' ');
  if (status.exitCode !== undefined)
    message += `, exit code ${status.exitCode.code}, signal ${status.exitCode.signal}`;
  return message;
}
