// The Slurm settings of the commands that run steps (worker, materialize), from the environment:
// $STRATA_SLURM_JOB_DIR (a directory the workers and the compute nodes share at the same path)
// turns them on; the jobs run this same CLI (`node bin/strata.js slurm-step`) with the same
// definitions ($STRATA_DEFINITIONS), get PATH and HOME, and read the database URL and the
// artifact store (with its AWS_* variables) from their 0600 environment file. $SLURM_CONF reaches
// the Slurm commands; $STRATA_SLURM_POLL sets the trackers' interval (default 5s).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from '../artifacts/index.js';
import { parseDuration } from '../definitions/index.js';
import type { SlurmSettings } from '../executor/slurm/index.js';
import { isCredential } from '../executor/tool-env.js';
import type { CommandContext } from './command.js';

/** The variable that turns the Slurm executor on: the shared job directory. */
export const SLURM_JOB_DIR_ENV = 'STRATA_SLURM_JOB_DIR';

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
  const jobEnv: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TZ'])
    if (env[name] !== undefined && !isCredential(name, env[name])) jobEnv[name] = env[name];
  if (definitions !== undefined)
    jobEnv.STRATA_DEFINITIONS = path.resolve(context.io.cwd, definitions);
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
