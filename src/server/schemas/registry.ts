// The registry of named API schemas: each becomes `#/components/schemas/<id>` in the OpenAPI
// document and is referenced by $ref wherever a route uses it.
import { z } from 'zod';

/** Named response and shared schemas of the API. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

/** Registers `schema` under `id` and returns it. */
export function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  apiSchemas.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}
