// The HTTP client of the UI: same-origin JSON requests (the token cookie, when the server wants
// one, travels by itself), with the server's JSON errors, and a server that does not answer,
// turned into ApiRequestError.
import type { ApiErrorBody } from './types.js';

/**
 * Why a request failed: the server could not be reached, what was asked for does not exist, the
 * server failed, or it refused the request (bad input, not allowed, a conflict).
 */
export type FailureKind = 'unreachable' | 'not-found' | 'server' | 'refused';

/** A request that failed, with the server's message, field and hint (status 0: no answer). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  get kind(): FailureKind {
    if (this.status === 0) return 'unreachable';
    if (this.status === 404) return 'not-found';
    return this.status >= 500 ? 'server' : 'refused';
  }
}

/** `fetch`, with a network failure (not a cancellation) as an ApiRequestError of status 0. */
async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(
      0,
      `the server did not answer (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

type QueryValue = string | number | boolean | undefined | null;

/** `/api/...` with the defined query parameters appended. */
export function apiUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(name, String(value));
  }
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

/** The path segment of an asset key (keys contain '/'). */
export function assetPath(key: string, suffix = ''): string {
  return `/api/assets/${encodeURIComponent(key)}${suffix}`;
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiRequestError(
      response.status,
      `the server answered ${response.status} with non-JSON`,
    );
  }
  if (!response.ok) {
    const error = (body as Partial<ApiErrorBody> | null)?.error;
    throw new ApiRequestError(
      response.status,
      error?.message ?? `the server answered ${response.status}`,
      error?.field,
      error?.hint,
    );
  }
  return body as T;
}

/** GET a JSON document. */
export async function getJson<T>(
  path: string,
  query: Record<string, QueryValue> = {},
  signal?: AbortSignal,
): Promise<T> {
  const response = await request(apiUrl(path, query), {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    ...(signal === undefined ? {} : { signal }),
  });
  return parse<T>(response);
}

/** POST a JSON body, read a JSON answer. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  return parse<T>(response);
}
