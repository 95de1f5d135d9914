// The Slurm settings of the commands that run steps (worker, materialize), from the environment:
// $STRATA_SLURM_JOB_DIR (a directory the workers and the compute nodes share at the same path)
// turns them on; the jobs run this same CLI (`node bin/strata.js slurm-step`) with the same
// definitions ($STRATA_DEFINITIONS) and the same state directory ($STRATA_HOME, absolute), get
// PATH, HOME, LANG, TZ and the non-secret settings $STRATA_SLURM_EXPORT names (the definitions'
// own configuration), and read the database URL and the artifact store (with its AWS_* variables)
// from their 0600 environment file. $SLURM_CONF reaches the Slurm commands; $STRATA_SLURM_POLL
// sets the trackers' interval (default 5s).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from '../artifacts/index.js';
import { parseDuration } from '../definitions/index.js';
import type { SlurmSettings } from '../executor/slurm/index.js';
import { SLURM_ENV_FILE_VARIABLE } from '../executor/slurm/settings.js';
import { isCredential } from '../executor/tool-env.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './command.js';

/** The variable that turns the Slurm executor on: the shared job directory. */
export const SLURM_JOB_DIR_ENV = 'STRATA_SLURM_JOB_DIR';

/**
 * The variable naming further variables of the worker's environment that its jobs get, with the
 * worker's values, separated by commas: the settings the definitions read when they load
 * (`STRATA_SLURM_EXPORT=STRATA_CAE_WORK,STRATA_BRACKET_DESIGN_SPACE`). Slurm keeps them in the
 * job's record, so a credential is refused, not passed.
 */
export const SLURM_EXPORT_ENV = 'STRATA_SLURM_EXPORT';

/** Variables a job gets from strata itself, which $STRATA_SLURM_EXPORT may not name. */
const SET_BY_STRATA = new Set(['STRATA_DEFINITIONS', 'STRATA_HOME', SLURM_ENV_FILE_VARIABLE]);

/** The CLI's own entry point, for the jobs (dist/cli/slurm-settings.js -> bin/strata.js). */
const BIN = fileURLToPath(new URL('../../bin/strata.js', import.meta.url));

/** Slurm settings when $STRATA_SLURM_JOB_DIR is set, else undefined (steps run in the worker). */
export async function slurmSettingsOf(
  context: CommandContext,
  databaseUrl: string,
  artifacts: ArtifactStore,
): Promise<SlurmSettings | undefined> {
  const env = context.io.env;
  const jobDir = env[SLURM_JOB_DIR_ENV];
  if (jobDir === undefined || jobDir.trim() === '') return undefined;
  const { createSlurmClient } = await import('../executor/slurm/index.js');
  const definitions = await context.definitionsPath();
  const poll = env.STRATA_SLURM_POLL;
  const secrets: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    STRATA_ARTIFACT_STORE: artifacts.location,
  };
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && name.startsWith('AWS_')) secrets[name] = value;
  const jobEnv = slurmJobEnv(env, context.io.cwd, context.stateDir, definitions);
  return {
    client: createSlurmClient({
      env: env.SLURM_CONF === undefined ? {} : { SLURM_CONF: env.SLURM_CONF },
    }),
    jobDir: path.resolve(context.io.cwd, jobDir),
    command: [process.execPath, BIN],
    jobEnv,
    secrets,
    ...(poll === undefined ? {} : { pollIntervalMs: parseDuration(poll, 'STRATA_SLURM_POLL') }),
  };
}

/**
 * The environment of the jobs (Slurm keeps it in each job's record: no credentials): PATH, HOME,
 * LANG, TZ; the definitions' path and the worker's state directory, absolute (the jobs run in
 * the job directory, so a path relative to the worker's would point elsewhere), so that the
 * definitions load on the node as they did in the worker; and the worker's variables that
 * $STRATA_SLURM_EXPORT names (unset ones are skipped). Errors name the variable.
 */
export function slurmJobEnv(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  stateDir: string,
  definitions: string | undefined,
): Record<string, string> {
  const jobEnv: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TZ'])
    if (env[name] !== undefined && !isCredential(name, env[name])) jobEnv[name] = env[name];
  for (const name of (env[SLURM_EXPORT_ENV] ?? '').split(',').map((n) => n.trim())) {
    if (name === '') continue;
    const where = `${SLURM_EXPORT_ENV}: ${name}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.startsWith('SLURM_'))
      throw new UsageError(`${where} is not a variable a Slurm job may be given`);
    if (SET_BY_STRATA.has(name))
      throw new UsageError(`${where} is given to the jobs by strata itself`);
    const value = env[name];
    if (value === undefined) continue;
    // strata's own STRATA_* settings are judged by the rest of their name, as sbatch-args.ts does.
    if (isCredential(name.replace(/^STRATA_/, 'JOB_'), value))
      throw new UsageError(
        `${where} looks like a credential; Slurm would keep it in the job's record`,
        {
          hint: 'the jobs read the database URL and the artifact store from their 0600 environment file',
        },
      );
    if (/[,\n\0]/.test(value))
      throw new UsageError(
        `${where} contains a comma or line break, which sbatch --export cannot carry`,
      );
    jobEnv[name] = value;
  }
  if (definitions !== undefined) jobEnv.STRATA_DEFINITIONS = path.resolve(cwd, definitions);
  jobEnv.STRATA_HOME = path.resolve(cwd, stateDir);
  return jobEnv;
}
