// The process surroundings a CLI command works in (output streams, environment, working
// directory, clock), injectable so tests can run `main()` in-process and capture its output.

/** A writable text stream (process.stdout or a test buffer). */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True for a terminal: enables colors. */
  readonly isTTY?: boolean;
}

/** Everything a command may read from or write to outside its arguments. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Environment variables (DATABASE_URL, STRATA_HOME, STRATA_DEFINITIONS, NO_COLOR, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths and the default state directory are resolved against. */
  readonly cwd: string;
  /** The clock used for relative times ("3m ago"). */
  readonly now?: () => Date;
  /**
   * True when the command runs as the `strata` process itself (not in a test's process): it may
   * then start processes of its own, as `strata serve` does to reload changed definitions.
   */
  readonly ownsProcess?: boolean;
}

/** The real process: its stdout, stderr, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    ownsProcess: true,
  };
}
