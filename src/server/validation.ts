// Validates request inputs with zod and turns the first problem into a 400 that names the field
// (`limit`, `partitions.0`), with a suggestion for a misspelt query parameter.
import { z } from 'zod';
import { closest } from '../util/closest.js';
import { ApiError } from './api-error.js';

/** Which part of the request an input comes from, for messages. */
export type InputSource = 'path parameter' | 'query parameter' | 'body field' | 'body';

/** Parses `value` with `schema`, or throws a 400 ApiError naming the offending field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: InputSource,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
    const match = closest(key, known);
    const where = issue.path.length > 0 ? `${issue.path.join('.')}.${key}` : key;
    return fail(
      `unknown ${source === 'body' ? 'body field' : source} ${JSON.stringify(where)}`,
      where,
      match === undefined
        ? known.length > 0
          ? `accepted: ${known.join(', ')}`
          : `this route takes no ${source}s`
        : `did you mean ${match}?`,
    );
  }
  if (issue.path.length === 0) {
    return fail(`invalid ${source}: ${issue.message}`, undefined, undefined);
  }
  const field = issue.path.map(String).join('.');
  const received = issue.code === 'invalid_type' && issue.input === undefined ? ' (missing)' : '';
  const kind = source === 'body' ? 'body field' : source;
  return fail(`invalid ${kind} ${field}: ${issue.message}${received}`, field, undefined);
}

function fail(message: string, field: string | undefined, hint: string | undefined): never {
  throw new ApiError(400, message, {
    ...(field === undefined ? {} : { field }),
    ...(hint === undefined ? {} : { hint }),
  });
}

/** A query parameter holding a non-negative integer (URL values arrive as strings). */
export function integerParam(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d+$/, `expected an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max)) as z.ZodType<number, string>;
}

/** A query parameter holding a boolean (`true`/`false`/`1`/`0`). */
export const booleanParam = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
