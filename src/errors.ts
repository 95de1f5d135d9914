// The one error hierarchy of strata. Every error says who is at fault (`fault`) and whether the
// same operation may succeed if tried again (`retryable`); each adapter (the CLI's reportError,
// the server's toApiError) maps faults to its own terms in one exhaustive switch.

/**
 * Who is at fault for an error:
 * - `usage`: the caller's input (a selection, an argument, a request field);
 * - `definition`: the asset definitions (duplicate keys, cycles, bad policies);
 * - `not_found`: a named thing (asset, partition, run, materialization) does not exist;
 * - `forbidden`: the operation is not allowed here (a read-only server);
 * - `user_code`: user code (a compute or observe function) failed or returned a bad value;
 * - `environment`: the database, file system or a process around strata failed;
 * - `bug`: something that must never happen happened, a bug in strata.
 */
export type Fault = (typeof FAULTS)[number];

/** Every fault, for exhaustive tables (tests, documentation). */
export const FAULTS = [
  'usage',
  'definition',
  'not_found',
  'forbidden',
  'user_code',
  'environment',
  'bug',
] as const;

/** Options every StrataError takes. */
export interface StrataErrorOptions {
  readonly cause?: unknown;
  /** A one-line suggestion of how to fix it. */
  readonly hint?: string;
  /** Whether trying again unchanged may succeed (default: true for environment faults only). */
  readonly retryable?: boolean;
}

/** Base class of every error strata throws on purpose; subclasses fix the fault. */
export abstract class StrataError extends Error {
  /** Who is at fault; adapters render and map errors by it. */
  abstract readonly fault: Fault;
  /** A one-line suggestion of how to fix it, shown under the message. */
  readonly hint: string | undefined;
  readonly #retryable: boolean | undefined;

  constructor(message: string, options?: StrataErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
    this.#retryable = options?.retryable;
  }

  /** Whether the same operation may succeed if tried again unchanged. */
  get retryable(): boolean {
    return this.#retryable ?? this.fault === 'environment';
  }
}

/** The asset definitions are invalid (duplicate keys, cycles, bad partitions, ...). */
export class DefinitionError extends StrataError {
  readonly fault = 'definition';
}

/** The user's input to a command or API is invalid (selection, partition, argument). */
export class UsageError extends StrataError {
  readonly fault = 'usage';
}

/** A named thing (asset, partition, run, materialization) does not exist. */
export class NotFoundError extends StrataError {
  readonly fault = 'not_found';
}

/** The operation is not allowed in this setting (e.g. launching runs on a read-only server). */
export class ForbiddenError extends StrataError {
  readonly fault = 'forbidden';
}

/** User code (a compute function) failed or returned an invalid value. */
export class UserCodeError extends StrataError {
  readonly fault = 'user_code';
}

/** The database or environment could not be reached or set up. */
export class EnvironmentError extends StrataError {
  readonly fault = 'environment';
}

/** Something that must never happen happened: a bug in strata. */
export class InvariantError extends StrataError {
  readonly fault = 'bug';
}

/** The fault of any thrown value: a StrataError's own, `bug` for everything else. */
export function faultOf(error: unknown): Fault {
  return error instanceof StrataError ? error.fault : 'bug';
}

/** True for errors caused by the user's input, definitions, code or environment, not by strata. */
export function isUserFacingError(error: unknown): error is StrataError {
  if (!(error instanceof StrataError)) return false;
  switch (error.fault) {
    case 'usage':
    case 'definition':
    case 'not_found':
    case 'forbidden':
    case 'user_code':
    case 'environment':
      return true;
    case 'bug':
      return false;
    default:
      return unreachable(error.fault);
  }
}

/** Marks the end of an exhaustive switch: a new case fails to compile until handled. */
export function unreachable(value: never): never {
  throw new InvariantError(`unexpected value ${JSON.stringify(value)}`);
}
