// The error of a malformed command line (unknown command or flag, missing or extra argument,
// bad flag value): a UsageError that makes the CLI exit with status 2 instead of 1.
import { UsageError } from '../errors.js';

/** A command line that cannot be parsed; `strata` exits with status 2. */
export class ArgumentError extends UsageError {}

/** Exit status of a malformed command line (the convention of POSIX utilities). */
export const EXIT_USAGE = 2;
/** Exit status of a command that failed. */
export const EXIT_FAILURE = 1;
