// What every tool of the MCP server answers: compact JSON (dates as ISO strings, nulls left
// out where the key alone says "none"), pages with offset, limit and the next offset, and
// failures a model can act on: the message, the hint, and the argument that was wrong.
import { z } from 'zod';
import { StrataError, UsageError, type Fault } from '../errors.js';

/** The annotations of a tool that only reads. */
export const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/** The result of a tool call. */
export type ToolResult = {
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

/** A successful answer carrying `value` as plain JSON (Dates become ISO strings). */
export function answer(value: object): ToolResult {
  const text = JSON.stringify(value);
  return { content: [{ type: 'text', text }], structuredContent: JSON.parse(text) };
}

/** A tool's failure as the model should read it: what is wrong, and the hint. */
export function failure(error: unknown): ToolResult {
  if (!(error instanceof StrataError)) throw error;
  const hint = error.hint === undefined ? '' : `\nhint: ${error.hint}`;
  return { content: [{ type: 'text', text: `${error.message}${hint}` }], isError: true };
}

/** Runs a tool; a StrataError becomes an isError result, anything else stays a bug. */
export async function guarded(run: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await run();
  } catch (error) {
    return failure(error);
  }
}

/** A StrataError about one argument of a tool call: its message starts with the argument. */
class ArgumentFailure extends StrataError {
  readonly fault: Fault;
  constructor(argument: string, cause: StrataError) {
    super(`argument ${argument}: ${cause.message}`, {
      cause,
      ...(cause.hint === undefined ? {} : { hint: cause.hint }),
    });
    this.fault = cause.fault;
  }
}

/** Runs `read`, blaming argument `argument` for the StrataError it throws. */
export async function blamed<T>(argument: string, read: () => T | Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof StrataError && !(error instanceof ArgumentFailure))
      throw new ArgumentFailure(argument, error);
    throw error;
  }
}

/** A UsageError about argument `argument`. */
export function badArgument(argument: string, message: string, hint?: string): StrataError {
  return new ArgumentFailure(
    argument,
    new UsageError(message, hint === undefined ? undefined : { hint }),
  );
}

/** Items per page unless `limit` says otherwise. */
export const DEFAULT_LIMIT = 50;
/** The largest `limit` a tool accepts. */
export const MAX_LIMIT = 500;

/** The paging arguments of a list tool. */
export const pageArguments = {
  offset: z.number().int().min(0).default(0).describe('items to skip (the `next` of a page)'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .describe(`items per page (default ${DEFAULT_LIMIT})`),
};

/** The offset of the page after `offset..offset+limit` of `total` items, or null at the end. */
export function nextOffset(offset: number, limit: number, total: number): number | null {
  return offset + limit < total ? offset + limit : null;
}

/** `value` without its null and undefined properties (not recursive). */
export function withoutNulls<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== null && field !== undefined),
  ) as Partial<T>;
}
