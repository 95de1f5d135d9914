// The files of a solver run directory, and the small file operations the run protocol relies on:
// a whole file appears at once (written aside, then renamed), and reading a file that is not
// there yet is an ordinary answer, not an error.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

/** File names inside a run directory. */
export const RUN_FILES = {
  /** The idempotency key, the deck's hash and the ccx version, written once. */
  submission: 'submission.json',
  deck: 'job.inp',
  /** Created exclusively (O_EXCL) by the one wrapper that runs ccx: its pid and host. */
  started: 'started',
  /** One line per ccx start (pid, epoch s), appended by the wrapper just before ccx starts. */
  starts: 'ccx-starts',
  /** The wrapper's pid and /proc start stamp, written by the process that spawned it. */
  launch: 'launch.json',
  /** ccx's stdout and stderr. */
  output: 'ccx.out',
  /** ccx's exit code, written whole by the wrapper once ccx has ended. */
  exitStatus: 'exit-status',
  dat: 'job.dat',
  frd: 'job.frd',
  sta: 'job.sta',
} as const;

/** Writes `file` whole: readers see either no file or all of it. */
export async function writeWhole(file: string, content: string): Promise<void> {
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.draft`;
  await writeFile(draft, content);
  await rename(draft, file);
}

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
