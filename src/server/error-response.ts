// Maps anything a handler throws to a JSON error response: the API's own errors as they are,
// strata's errors by who is at fault (bad input 400, unknown thing 404, corrupted artifact 500),
// and everything else to an opaque 500 that is logged with its stack.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { ArtifactIntegrityError } from '../artifacts/index.js';
import {
  DefinitionError,
  EnvironmentError,
  NotFoundError,
  UsageError,
  type StrataError,
} from '../errors.js';
import { SelectionError } from '../graph/index.js';
import { ApiError } from './api-error.js';

/** Where unexpected errors are reported (default: stderr). */
export type ErrorLogger = (error: unknown, context: { method: string; path: string }) => void;

/** The ApiError that describes `error`. `field` names the request field for user errors. */
export function toApiError(error: unknown, field?: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    return new ApiError(error.status, error.message || 'request refused');
  }
  if (error instanceof ArtifactIntegrityError) {
    // Documented choice: the stored bytes were altered outside strata, a server-side fault.
    return new ApiError(500, error.message, {
      hint: error.hint,
      details: { reason: 'artifact_corrupted', expectedHash: error.expectedHash },
    });
  }
  if (error instanceof SelectionError) {
    return new ApiError(400, error.message, {
      field: field ?? 'selection',
      hint: error.hint,
      details: { term: error.term, column: error.column },
    });
  }
  if (error instanceof NotFoundError)
    return new ApiError(404, error.message, { ...strataExtras(error), field });
  if (error instanceof UsageError)
    return new ApiError(400, error.message, { ...strataExtras(error), field });
  if (error instanceof DefinitionError || error instanceof EnvironmentError)
    return new ApiError(500, error.message, strataExtras(error));
  return new ApiError(500, 'internal server error', {
    hint: 'the server log has the details',
    cause: error,
  });
}

function strataExtras(error: StrataError): { hint?: string } {
  return error.hint === undefined ? {} : { hint: error.hint };
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
