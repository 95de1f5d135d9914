// How the CLI reports a failed command: user mistakes as `error:` and `hint:` lines without a
// stack trace, faults with a pointer to --verbose, and a JSON object on stderr with --json.
import { isUserFacingError } from '../errors.js';
import { ArgumentError, EXIT_FAILURE, EXIT_USAGE } from './argument-error.js';
import type { CliIo } from './io.js';
import { colorsFor } from './render/colors.js';

/** Writes `error` to stderr as the options ask and returns the exit status. */
export function reportError(
  io: CliIo,
  error: unknown,
  options: { json: boolean; verbose: boolean },
): number {
  const status = error instanceof ArgumentError ? EXIT_USAGE : EXIT_FAILURE;
  const userFacing = isUserFacingError(error);
  const message = error instanceof Error ? error.message : String(error);
  const hint = userFacing ? error.hint : undefined;
  if (options.json) {
    const type = error instanceof Error ? error.name : 'Error';
    const body = { error: { type, message, ...(hint === undefined ? {} : { hint }) } };
    io.stderr.write(`${JSON.stringify(body)}\n`);
    if (options.verbose) io.stderr.write(`${stackOf(error)}\n`);
    return status;
  }
  const colors = colorsFor(io.stderr, io.env);
  io.stderr.write(`${colors.red(colors.bold('error:'))} ${message}\n`);
  if (hint !== undefined && hint !== '') io.stderr.write(`${colors.yellow('hint:')} ${hint}\n`);
  if (options.verbose) {
    io.stderr.write(`${colors.dim(stackOf(error))}\n`);
  } else if (!userFacing) {
    io.stderr.write(
      `${colors.dim('This looks like a bug in strata or its environment; rerun with --verbose for the stack trace.')}\n`,
    );
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
