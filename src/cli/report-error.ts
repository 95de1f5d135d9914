// How the CLI reports a failed command, by who is at fault (one switch): mistakes of the user's
// input, definitions or code as `error:` and `hint:` lines without a stack trace, environment
// faults with a note when trying again may help, and bugs with a pointer to --verbose; a JSON
// object on stderr with --json.
import { faultOf, StrataError, unreachable, type Fault } from '../errors.js';
import { ArgumentError, EXIT_FAILURE, EXIT_USAGE } from './argument-error.js';
import type { CliIo } from './io.js';
import { colorsFor } from './render/colors.js';

/** How the CLI reports an error of one fault. */
export interface CliFault {
  /** Show the error's hint (a bug's hint is for strata's developers, not the user). */
  readonly showHint: boolean;
  /** A dim line after the message (without --verbose), if any. */
  readonly note: string | undefined;
}

const BUG_NOTE =
  'This looks like a bug in strata or its environment; rerun with --verbose for the stack trace.';
const RETRY_NOTE = 'This may succeed if you try again.';

/** The report of each fault; `retryable` says whether trying again may help. */
export function cliFaultOf(fault: Fault, retryable: boolean): CliFault {
  switch (fault) {
    case 'usage':
    case 'definition':
    case 'not_found':
    case 'forbidden':
    case 'user_code':
      return { showHint: true, note: undefined };
    case 'environment':
      return { showHint: true, note: retryable ? RETRY_NOTE : undefined };
    case 'bug':
      return { showHint: false, note: BUG_NOTE };
    default:
      return unreachable(fault);
  }
}

/** Writes `error` to stderr as the options ask and returns the exit status. */
export function reportError(
  io: CliIo,
  error: unknown,
  options: { json: boolean; verbose: boolean },
): number {
  // A malformed command line is a usage fault like others, with the POSIX utilities' status.
  const status = error instanceof ArgumentError ? EXIT_USAGE : EXIT_FAILURE;
  const fault = faultOf(error);
  const strata = error instanceof StrataError ? error : undefined;
  const report = cliFaultOf(fault, strata?.retryable ?? false);
  const message = error instanceof Error ? error.message : String(error);
  const hint = report.showHint ? strata?.hint : undefined;
  if (options.json) {
    const type = error instanceof Error ? error.name : 'Error';
    const body = {
      error: {
        type,
        fault,
        ...(strata?.retryable ? { retryable: true } : {}),
        message,
        ...(hint === undefined ? {} : { hint }),
      },
    };
    io.stderr.write(`${JSON.stringify(body)}\n`);
    if (options.verbose) io.stderr.write(`${stackOf(error)}\n`);
    return status;
  }
  const colors = colorsFor(io.stderr, io.env);
  io.stderr.write(`${colors.red(colors.bold('error:'))} ${message}\n`);
  if (hint !== undefined && hint !== '') io.stderr.write(`${colors.yellow('hint:')} ${hint}\n`);
  if (options.verbose) {
    io.stderr.write(`${colors.dim(stackOf(error))}\n`);
  } else if (report.note !== undefined) {
    io.stderr.write(`${colors.dim(report.note)}\n`);
  }
  return status;
}

/** The stack of `error` and of its causes. */
function stackOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}
