// The Slurm client: submit a job (sbatch), poll many jobs at once (squeue, then scontrol for the
// jobs squeue no longer lists, then sacct for accounting where the cluster has it), cancel jobs
// (scancel). Every command runs through execFile with validated arguments and an environment of
// the basics plus SLURM_CONF, never the worker's credentials.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../../errors.js';
import { emptyStatus, type SlurmJobStatus } from './job-status.js';
import { parseSacct, SACCT_DISABLED, SACCT_FIELDS } from './parse-sacct.js';
import { parseScontrolJobs } from './parse-scontrol.js';
import { parseSqueue, SQUEUE_FORMAT, UNKNOWN_JOB_ERROR } from './parse-squeue.js';
import { requireSuccess, runCommand, type CommandResult } from './run-command.js';
import { parseSubmittedJobId, sbatchArgs, type SlurmJobRequest } from './sbatch-args.js';

/** How the client reaches the cluster. */
export interface SlurmClientOptions {
  /**
   * Variables for the Slurm commands on top of the basics (PATH, HOME, USER, LOGNAME, LANG, TZ)
   * and the worker's SLURM_CONF: e.g. `{ SLURM_CONF: '/etc/slurm-test/slurm.conf' }`.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Bound on each command (default 60 s). */
  readonly commandTimeoutMs?: number;
  /** Where the exec wrapper sbatch submits is written (default: a private directory in TMPDIR). */
  readonly scriptDir?: string;
}

/** The operations strata needs from Slurm. */
export interface SlurmClient {
  /** Submits `job`; returns Slurm's job id. */
  submit(job: SlurmJobRequest): Promise<string>;
  /** The status of every job in `jobIds`, by id (UNKNOWN, failed, for a job no command knows). */
  poll(jobIds: readonly string[]): Promise<Map<string, SlurmJobStatus>>;
  /** Cancels the jobs; jobs that already ended are left as they are. */
  cancel(jobIds: readonly string[]): Promise<void>;
  /** Why sacct's accounting is not used, once a poll found out; undefined while it is. */
  readonly accountingUnavailable: string | undefined;
}

const BASIC_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'TZ', 'SLURM_CONF'];
const JOB_ID = /^\d+$/;
/** Jobs squeue no longer lists are asked of scontrol this many at a time. */
const SCONTROL_CONCURRENCY = 4;

/** The wrapper sbatch stores as the job's script: it runs the job's arguments as a command. */
const EXEC_WRAPPER = '#!/bin/sh\n# strata: runs the command line given as arguments.\nexec "$@"\n';

function checkJobIds(jobIds: readonly string[], what: string): void {
  for (const id of jobIds)
    if (!JOB_ID.test(id))
      throw new UsageError(`${what}: ${JSON.stringify(id)} is not a Slurm job id`);
}

/** A client of the cluster that SLURM_CONF (or `options.env`) points at. */
export function createSlurmClient(options: SlurmClientOptions = {}): SlurmClient {
  const env: Record<string, string> = {};
  for (const name of BASIC_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, options.env ?? {});
  const commandOptions = { env, timeoutMs: options.commandTimeoutMs ?? 60_000 };
  const run = (command: string, args: readonly string[]): Promise<CommandResult> =>
    runCommand(command, args, commandOptions);
  let wrapper: Promise<string> | undefined;
  let accountingUnavailable: string | undefined;

  async function writeWrapper(): Promise<string> {
    const dir =
      options.scriptDir ?? path.join(os.tmpdir(), `strata-slurm-${process.getuid?.() ?? 'user'}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'strata-exec.sh');
    await writeFile(file, EXEC_WRAPPER, { mode: 0o700 });
    await chmod(file, 0o700);
    return file;
  }

  /** Finished jobs squeue no longer lists, as the controller still remembers them. */
  async function scontrolStatuses(jobIds: readonly string[]): Promise<Map<string, SlurmJobStatus>> {
    const found = new Map<string, SlurmJobStatus>();
    for (let start = 0; start < jobIds.length; start += SCONTROL_CONCURRENCY) {
      const batch = jobIds.slice(start, start + SCONTROL_CONCURRENCY);
      const results = await Promise.all(
        batch.map((id) => run('scontrol', ['show', 'job', '-o', id])),
      );
      results.forEach((result, index) => {
        if (
          result.kind === 'exited' &&
          result.exitCode !== 0 &&
          UNKNOWN_JOB_ERROR.test(result.stderr)
        )
          return;
        const stdout = requireSuccess('scontrol', result, `polling Slurm job ${batch[index]}`);
        for (const [id, status] of parseScontrolJobs(stdout)) found.set(id, status);
      });
    }
    return found;
  }

  /** Accounting of finished jobs from sacct; empty when the cluster keeps none. */
  async function sacctStatuses(jobIds: readonly string[]): Promise<Map<string, SlurmJobStatus>> {
    if (accountingUnavailable !== undefined || jobIds.length === 0) return new Map();
    const result = await run('sacct', [
      '--noheader',
      '--parsable2',
      `--format=${SACCT_FIELDS}`,
      `--jobs=${jobIds.join(',')}`,
    ]);
    if (result.kind === 'missing') {
      accountingUnavailable = 'sacct is not installed';
      return new Map();
    }
    if (result.exitCode !== 0) {
      const message = result.stderr.trim() || `sacct exited with ${result.exitCode}`;
      // Without accounting storage it never will answer; a failing slurmdbd may next time.
      if (SACCT_DISABLED.test(message)) accountingUnavailable = message;
      return new Map();
    }
    return parseSacct(result.stdout);
  }

  return {
    get accountingUnavailable() {
      return accountingUnavailable;
    },

    async submit(job) {
      wrapper ??= writeWrapper();
      const args = sbatchArgs(job, await wrapper);
      const stdout = requireSuccess(
        'sbatch',
        await run('sbatch', args),
        `submitting Slurm job ${job.name}`,
      );
      const jobId = parseSubmittedJobId(stdout);
      if (jobId === undefined)
        throw new EnvironmentError(
          `submitting Slurm job ${job.name}: sbatch --parsable printed ${JSON.stringify(stdout.trim())}, not a job id`,
        );
      return jobId;
    },

    async poll(jobIds) {
      checkJobIds(jobIds, 'polling Slurm jobs');
      const ids = [...new Set(jobIds)];
      const statuses = new Map<string, SlurmJobStatus>();
      if (ids.length === 0) return statuses;
      const squeue = await run('squeue', [
        '--noheader',
        `--jobs=${ids.join(',')}`,
        `--format=${SQUEUE_FORMAT}`,
      ]);
      const listed =
        squeue.kind === 'exited' && squeue.exitCode !== 0 && UNKNOWN_JOB_ERROR.test(squeue.stderr)
          ? new Map<string, SlurmJobStatus>()
          : parseSqueue(requireSuccess('squeue', squeue, 'polling Slurm jobs'));
      for (const id of ids) {
        const status = listed.get(id);
        if (status !== undefined) statuses.set(id, status);
      }
      const gone = ids.filter((id) => !statuses.has(id));
      const remembered = await scontrolStatuses(gone);
      const accounting = await sacctStatuses(gone);
      for (const id of gone) {
        const fromController = remembered.get(id);
        const fromAccounting = accounting.get(id);
        if (fromController !== undefined)
          statuses.set(id, {
            ...fromController,
            // sacct adds what the controller does not keep: CPU time and memory high-water mark.
            cpuSeconds: fromAccounting?.cpuSeconds,
            maxRssBytes: fromAccounting?.maxRssBytes,
          });
        else if (fromAccounting !== undefined) statuses.set(id, fromAccounting);
        else statuses.set(id, emptyStatus(id, 'UNKNOWN', 'failed', 'none'));
      }
      return statuses;
    },

    async cancel(jobIds) {
      checkJobIds(jobIds, 'cancelling Slurm jobs');
      if (jobIds.length === 0) return;
      const result = await run('scancel', [...new Set(jobIds)]);
      // scancel complains about jobs that already ended; those need no cancelling.
      if (
        result.kind === 'exited' &&
        result.exitCode !== 0 &&
        result.stderr
          .split('\n')
          .filter((line) => line.trim() !== '')
          .every(
            (line) => UNKNOWN_JOB_ERROR.test(line) || /already completing or completed/i.test(line),
          )
      )
        return;
      requireSuccess('scancel', result, `cancelling Slurm jobs ${jobIds.join(', ')}`);
    },
  };
}
