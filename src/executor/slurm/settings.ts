// How a worker hands attempts to Slurm: the client, the directory shared with the compute nodes
// (job output and the attempts' private environment files), the command that runs strata on a
// node, the environment a job gets, and the poll interval of the trackers.
import type { SlurmClient } from './client.js';

/** The Slurm side of a worker (WorkerOptions.slurm). */
export interface SlurmSettings {
  readonly client: SlurmClient;
  /**
   * A directory the worker and every compute node see at the same path (NFS, Lustre): job output
   * (`<jobDir>/output/`) and the attempts' environment files (`<jobDir>/env/`, 0700, files 0600).
   */
  readonly jobDir: string;
  /**
   * The program and arguments that run strata on a node, before `slurm-step --attempt ID`:
   * e.g. `['/usr/bin/node', '/opt/project/node_modules/strata/bin/strata.js']`, plus
   * `--definitions PATH` when the project's definitions are not in the default place.
   */
  readonly command: readonly string[];
  /** The job's environment (PATH, HOME, ...): no credentials (sbatch-args.ts refuses them). */
  readonly jobEnv: Readonly<Record<string, string>>;
  /**
   * What the job needs but Slurm must not record (DATABASE_URL, the artifact store's
   * credentials): written to a 0600 file the job reads (`STRATA_SLURM_ENV_FILE`).
   */
  readonly secrets: Readonly<Record<string, string>>;
  /** How often a tracker polls the jobs of all running Slurm attempts (default 5 s). */
  readonly pollIntervalMs?: number;
}

/** The variable that gives the job the path of its environment file. */
export const SLURM_ENV_FILE_VARIABLE = 'STRATA_SLURM_ENV_FILE';
