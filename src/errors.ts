// The one error hierarchy of strata: subclasses say who is at fault, so adapters can render
// user mistakes without stack traces and keep stack traces for faults.

/** Base class of every error strata throws on purpose. */
export class StrataError extends Error {
  /** A one-line suggestion of how to fix it, shown under the message. */
  readonly hint: string | undefined;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** The asset definitions are invalid (duplicate keys, cycles, bad partitions, ...). */
export class DefinitionError extends StrataError {}

/** The user's input to a command or API is invalid (selection, partition, argument). */
export class UsageError extends StrataError {}

/** A named thing (asset, partition, run, materialization) does not exist. */
export class NotFoundError extends StrataError {}

/** User code (a compute function) failed or returned an invalid value. */
export class UserCodeError extends StrataError {}

/** The database or environment could not be reached or set up. */
export class EnvironmentError extends StrataError {}

/** Something that must never happen happened: a bug in strata. */
export class InvariantError extends StrataError {}

/** True for errors caused by the user's input or definitions rather than by strata. */
export function isUserFacingError(error: unknown): error is StrataError {
  return (
    error instanceof DefinitionError ||
    error instanceof UsageError ||
    error instanceof NotFoundError ||
    error instanceof UserCodeError ||
    error instanceof EnvironmentError
  );
}
