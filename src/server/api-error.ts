// The one error type of the HTTP API: an HTTP status and a message for people, optionally the
// request field at fault, a hint, and details (e.g. where a selection went wrong).

/** The JSON body of every error response: `{ error: ApiErrorBody }`. */
export interface ApiErrorBody {
  readonly status: number;
  readonly message: string;
  /** The request field at fault: a path parameter, query parameter or body field (`partitions.0`). */
  readonly field?: string;
  /** A suggestion of how to fix it (did you mean ...?). */
  readonly hint?: string;
  /** Machine-readable details, e.g. `{ term, column }` of a bad selection. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** An error the API reports as JSON with its status. */
export class ApiError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    status: number,
    message: string,
    options: {
      field?: string;
      hint?: string;
      details?: Readonly<Record<string, unknown>>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.field = options.field;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** The body of the response. */
  toBody(): { error: ApiErrorBody } {
    return {
      error: {
        status: this.status,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...(this.hint === undefined ? {} : { hint: this.hint }),
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
