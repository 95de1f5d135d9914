// Maps anything a handler throws to a JSON error response: the API's own errors as they are,
// strata's errors by their fault (one switch: bad input 400, unknown thing 404, a read-only
// server 403, an environment that may recover 503, other faults 500), and everything else to an
// opaque 500 that is logged with its stack.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { ArtifactIntegrityError } from '../artifacts/index.js';
import { StrataError, unreachable, type Fault } from '../errors.js';
import { SelectionError } from '../graph/index.js';
import { ApiError } from './api-error.js';

/** Where unexpected errors are reported (default: stderr). */
export type ErrorLogger = (error: unknown, context: { method: string; path: string }) => void;

/** How the API answers an error of one fault. */
export interface ApiFault {
  readonly status: ContentfulStatusCode;
  /** The request field is at fault (the caller's input): the response names it. */
  readonly namesField: boolean;
  /** Only "internal server error" is answered; the details stay in the server's log. */
  readonly opaque: boolean;
}

/** The answer to each fault; `retryable` environment faults are 503 (try again later). */
export function apiFaultOf(fault: Fault, retryable: boolean): ApiFault {
  switch (fault) {
    case 'usage':
      return { status: 400, namesField: true, opaque: false };
    case 'not_found':
      return { status: 404, namesField: true, opaque: false };
    case 'forbidden':
      return { status: 403, namesField: false, opaque: false };
    case 'definition':
    case 'user_code':
      return { status: 500, namesField: false, opaque: false };
    case 'environment':
      return { status: retryable ? 503 : 500, namesField: false, opaque: false };
    case 'bug':
      return { status: 500, namesField: false, opaque: true };
    default:
      return unreachable(fault);
  }
}

/** The ApiError that describes `error`. `field` names the request field for user errors. */
export function toApiError(error: unknown, field?: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    return new ApiError(error.status, error.message || 'request refused');
  }
  const fault = error instanceof StrataError ? error.fault : 'bug';
  const answer = apiFaultOf(fault, error instanceof StrataError && error.retryable);
  if (answer.opaque || !(error instanceof StrataError)) {
    return new ApiError(answer.status, 'internal server error', {
      hint: 'the server log has the details',
      cause: error,
    });
  }
  const blamed = answer.namesField
    ? (field ?? (error instanceof SelectionError ? 'selection' : undefined))
    : undefined;
  const details = detailsOf(error);
  return new ApiError(answer.status, error.message, {
    ...(blamed === undefined ? {} : { field: blamed }),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(details === undefined ? {} : { details }),
    cause: error,
  });
}

/** Machine-readable facts of the errors that carry them. */
function detailsOf(error: StrataError): Readonly<Record<string, unknown>> | undefined {
  if (error instanceof SelectionError) return { term: error.term, column: error.column };
  if (error instanceof ArtifactIntegrityError) {
    // Documented choice: the stored bytes were altered outside strata, a server-side fault.
    return { reason: 'artifact_corrupted', expectedHash: error.expectedHash };
  }
  return undefined;
}

/** The JSON response for `error`; unexpected errors are passed to `log`. */
export function errorResponse(c: Context, error: unknown, log: ErrorLogger): Response {
  const apiError = toApiError(error);
  if (apiError.status >= 500) log(error, { method: c.req.method, path: c.req.path });
  if (apiError.status === 401) c.header('WWW-Authenticate', 'Bearer realm="strata"');
  return c.json(apiError.toBody(), apiError.status as ContentfulStatusCode);
}

/** The default logger: one line with the request and the stack. */
export const stderrLogger: ErrorLogger = (error, { method, path }) => {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`strata serve: ${method} ${path} failed: ${stack}\n`);
};
