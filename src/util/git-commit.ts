// The git commit of the directory holding the definitions, recorded with each materialization.
import { execFile } from 'node:child_process';

/** Git answers in milliseconds; a hung or absent git must never delay a run noticeably. */
const GIT_TIMEOUT_MS = 2_000;

/** The HEAD commit of `directory` (suffixed "+dirty" with uncommitted changes), or null. */
export function gitCommitOf(directory: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', directory, 'describe', '--always', '--dirty=+dirty', '--abbrev=40', '--match=NO_TAGS'],
      { timeout: GIT_TIMEOUT_MS },
      (error, stdout) => {
        resolve(error ? null : stdout.trim() || null);
      },
    );
  });
}
