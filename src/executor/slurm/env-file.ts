// The private environment file of an attempt's job: how the database URL and other credentials
// reach a Slurm job without entering Slurm's records (sbatch --export values are kept in the
// job's record, readable by the cluster's administrators and, with some configurations, users).
// The worker writes `NAME=value` lines to `<jobDir>/env/attempt-<id>.env`, mode 0600 in a 0700
// directory, and exports only the file's path; the job (same user) reads it on the node.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../../errors.js';

/** Where the environment file of attempt `attemptId` is. */
export function envFilePath(jobDir: string, attemptId: number): string {
  return path.join(jobDir, 'env', `attempt-${attemptId}.env`);
}

/** Writes the file (replacing an older one of the same attempt); returns its path. */
export async function writeEnvFile(
  jobDir: string,
  attemptId: number,
  values: Readonly<Record<string, string>>,
): Promise<string> {
  const lines = Object.entries(values).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /[\n\r\0]/.test(value))
      throw new UsageError(
        `Slurm job environment: ${JSON.stringify(name)} cannot be written to a file`,
      );
    return `${name}=${value}\n`;
  });
  const file = envFilePath(jobDir, attemptId);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await rm(file, { force: true });
  await writeFile(file, lines.join(''), { mode: 0o600, flag: 'wx' });
  return file;
}

/** Reads the file the job was given. */
export async function readEnvFile(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EnvironmentError(`cannot read the Slurm job's environment file ${file}`, {
      cause: error,
      hint: 'the job directory must be shared between the worker and the compute nodes',
    });
  }
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) values[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return values;
}

/** Deletes the file once its job has ended (nothing when it is already gone). */
export async function removeEnvFile(jobDir: string, attemptId: number): Promise<void> {
  await rm(envFilePath(jobDir, attemptId), { force: true });
}
