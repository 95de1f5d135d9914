// Cursor pagination: `limit` and an opaque `cursor` in, `{ items, nextCursor }` out. A cursor
// is base64url JSON of the position after the last item (an id or a partition key), so pages
// stay stable while new rows arrive.
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { integerParam } from './validation.js';

/** Items per page when `limit` is not given. */
export const DEFAULT_PAGE_LIMIT = 50;
/** The largest page a client may ask for. */
export const MAX_PAGE_LIMIT = 500;

/** The `limit` and `cursor` query parameters of every paginated route. */
export const pageQuery = {
  limit: integerParam(1, MAX_PAGE_LIMIT)
    .optional()
    .meta({ description: `items per page (default ${DEFAULT_PAGE_LIMIT})` }),
  cursor: z
    .string()
    .max(1000)
    .optional()
    .meta({ description: 'the nextCursor of the previous page' }),
};

/** One page of a listing. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Encodes a position as an opaque cursor. */
export function encodeCursor(position: Readonly<Record<string, string | number>>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by encodeCursor into the value of `key` (a number or string, checked
 * against `kind`); undefined when no cursor was given; 400 naming `cursor` when malformed.
 */
export function decodeCursor(
  cursor: string | undefined,
  key: string,
  kind: 'number',
): number | undefined;
export function decodeCursor(
  cursor: string | undefined,
  key: string,
  kind: 'string',
): string | undefined;
export function decodeCursor(
  cursor: string | undefined,
  key: string,
  kind: 'number' | 'string',
): number | string | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    value =
      typeof decoded === 'object' && decoded !== null
        ? (decoded as Record<string, unknown>)[key]
        : undefined;
  } catch {
    value = undefined;
  }
  const valid = kind === 'number' ? Number.isSafeInteger(value) : typeof value === 'string';
  if (!valid) {
    throw new ApiError(400, 'invalid query parameter cursor: not a cursor of this listing', {
      field: 'cursor',
      hint: 'pass the nextCursor of the previous page unchanged, or omit it for the first page',
    });
  }
  return value as number | string;
}

/** Cuts a page from `rows` fetched with one extra row; `positionOf` gives the next cursor. */
export function pageOf<T>(
  rows: readonly T[],
  limit: number,
  positionOf: (last: T) => Readonly<Record<string, string | number>>,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}
