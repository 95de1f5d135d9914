// The HTTP client of the UI: same-origin JSON requests (the token cookie, when the server wants
// one, travels by itself), with the server's JSON errors turned into ApiRequestError.
import type { ApiErrorBody } from './types.js';

/** A request the server refused, with its message, field and hint. */
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
  const response = await fetch(apiUrl(path, query), {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    ...(signal === undefined ? {} : { signal }),
  });
  return parse<T>(response);
}

/** POST a JSON body, read a JSON answer. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  return parse<T>(response);
}
