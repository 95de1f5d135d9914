// Runs one Slurm command with execFile (no shell: arguments reach it exactly as given), a
// bounded time and the environment the client chose; reports a missing command apart from a
// command that failed, so the client can tell "no sacct here" from "sacct failed".
import { execFile } from 'node:child_process';
import { EnvironmentError } from '../../errors.js';

/** What a command printed and how it exited, or that it is not installed. */
export type CommandResult =
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'exited';
      readonly exitCode: number;
      readonly stdout: string;
      readonly stderr: string;
    };

/** How a command is run. */
export interface CommandOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** Bound on what one command may print (a cluster-wide listing of jobs stays far below). */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** Runs `command args`; throws only when it cannot be run or times out. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        env: options.env,
        timeout: options.timeoutMs,
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ kind: 'exited', exitCode: 0, stdout, stderr });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return resolve({ kind: 'missing' });
        if (error.killed || (error.signal !== null && error.signal !== undefined))
          return reject(
            new EnvironmentError(
              `${command} did not answer within ${options.timeoutMs} ms (killed with ${error.signal ?? 'a signal'})`,
              { cause: error, hint: 'is slurmctld reachable from this machine (scontrol ping)?' },
            ),
          );
        if (typeof code === 'number')
          return resolve({ kind: 'exited', exitCode: code, stdout, stderr });
        reject(
          new EnvironmentError(`${command} could not be run: ${error.message}`, { cause: error }),
        );
      },
    );
  });
}

/** The result of a command that must exist and succeed; `what` names the operation in errors. */
export function requireSuccess(command: string, result: CommandResult, what: string): string {
  if (result.kind === 'missing')
    throw new EnvironmentError(`${what}: ${command} is not installed (not found on PATH)`, {
      hint: 'install the Slurm client commands (Debian: slurm-client) on the worker machine',
    });
  if (result.exitCode !== 0)
    throw new EnvironmentError(
      `${what}: ${command} exited with ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  return result.stdout;
}
