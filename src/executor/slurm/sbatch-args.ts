// The arguments of sbatch for one job: the executor's options, the job's name, output file,
// working directory and exactly the environment the job needs (--export with a list gives the
// job those variables and Slurm's own, never the worker's whole environment), then the exec
// wrapper and the job's command line (passed as the script's arguments, unquoted by any shell).
import path from 'node:path';
import type { SlurmExecutor } from '../../definitions/slurm.js';
import { UsageError } from '../../errors.js';
import { isCredential } from '../tool-env.js';

/** One job to submit. */
export interface SlurmJobRequest {
  /** Slurm's job name (letters, digits, `_ . : -`). */
  readonly name: string;
  /** The program and its arguments; the program is an absolute path. */
  readonly command: readonly string[];
  /** Absolute path of the job's output (stdout and stderr); `%j` is the job id. */
  readonly outputPath: string;
  /** Absolute working directory of the job on the node. */
  readonly workDir: string;
  /**
   * The job's environment besides Slurm's own. Slurm keeps it in the job's record, so it must not
   * hold credentials (refused): pass those through a file only the user can read (0600) and its
   * path here.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly executor: SlurmExecutor;
}

const JOB_NAME = /^[A-Za-z0-9_.:-]{1,200}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates a job request; errors name the job and the field. */
function checkRequest(job: SlurmJobRequest): void {
  const where = `Slurm job ${JSON.stringify(job.name)}`;
  if (!JOB_NAME.test(job.name))
    throw new UsageError(`${where}: the name must be 1-200 letters, digits, _ . : -`);
  if (job.command.length === 0 || !path.isAbsolute(job.command[0]!))
    throw new UsageError(`${where}: command must start with an absolute program path`);
  for (const [field, value] of [
    ['outputPath', job.outputPath],
    ['workDir', job.workDir],
  ] as const) {
    if (!path.isAbsolute(value) || /[\n\0]/.test(value))
      throw new UsageError(
        `${where}: ${field} must be an absolute path, got ${JSON.stringify(value)}`,
      );
  }
  if (job.command.some((arg) => arg.includes('\0')))
    throw new UsageError(`${where}: command arguments cannot contain NUL`);
  for (const [name, value] of Object.entries(job.env)) {
    if (!ENV_NAME.test(name) || name.startsWith('SLURM_'))
      throw new UsageError(
        `${where}: env ${JSON.stringify(name)} is not a variable the job may set`,
      );
    // sbatch separates --export's variables with commas and cannot escape them.
    if (/[,\n\0]/.test(value))
      throw new UsageError(
        `${where}: env ${name} contains a comma or line break, which --export cannot carry`,
      );
    // strata's own STRATA_* settings are judged by the rest of their name (STRATA_TOKEN is one).
    if (isCredential(name.replace(/^STRATA_/, 'JOB_'), value))
      throw new UsageError(
        `${where}: env ${name} looks like a credential; Slurm would keep it in the job's record`,
        { hint: 'write it to a file readable only by the user (mode 0600) and pass the path' },
      );
  }
}

/** sbatch's arguments for `job`, with `wrapper` the exec script (`exec "$@"`) that runs the command. */
export function sbatchArgs(job: SlurmJobRequest, wrapper: string): string[] {
  checkRequest(job);
  const { executor } = job;
  const exported = Object.entries(job.env).map(([name, value]) => `${name}=${value}`);
  return [
    '--parsable',
    `--job-name=${job.name}`,
    `--output=${job.outputPath}`,
    `--chdir=${job.workDir}`,
    // A list without ALL: the job gets these and SLURM_* only (plus the user's login
    // environment on the node, which sbatch then loads as --get-user-env does). NIL when empty.
    `--export=${exported.length === 0 ? 'NIL' : exported.join(',')}`,
    ...(executor.partition === undefined ? [] : [`--partition=${executor.partition}`]),
    ...(executor.cpus === undefined ? [] : [`--cpus-per-task=${executor.cpus}`]),
    ...(executor.memory === undefined ? [] : [`--mem=${executor.memory}`]),
    ...(executor.time === undefined ? [] : [`--time=${executor.time}`]),
    ...(executor.account === undefined ? [] : [`--account=${executor.account}`]),
    ...(executor.qos === undefined ? [] : [`--qos=${executor.qos}`]),
    ...executor.extra,
    wrapper,
    ...job.command,
  ];
}

/** sbatch --parsable prints `id` or `id;cluster`. */
export function parseSubmittedJobId(stdout: string): string | undefined {
  const match = /^(\d+)(?:;[A-Za-z0-9_.-]+)?$/.exec(stdout.trim());
  return match?.[1];
}
