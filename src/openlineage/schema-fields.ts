// An asset's zod schema as the fields of OpenLineage's SchemaDatasetFacet: the JSON Schema zod
// renders (the same rendering the API's asset document shows, z.toJSONSchema of the output)
// walked into named, typed, nested fields. A value that is not an object is one field `value`.
import { z } from 'zod';
import type { AssetGraph } from '../graph/index.js';
import type { SchemaField } from './types.js';

type JsonSchema = { readonly [key: string]: unknown };

/** The facet fields of `schema`, or undefined when zod cannot render it. */
export function schemaFieldsOf(schema: z.ZodType): readonly SchemaField[] | undefined {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined; // transforms zod cannot render: no schema facet
  }
  const properties = objectProperties(json);
  return properties ?? [fieldOf('value', json)];
}

function objectProperties(json: JsonSchema): SchemaField[] | undefined {
  const properties = json.properties;
  if (json.type !== 'object' || properties === null || typeof properties !== 'object')
    return undefined;
  return Object.entries(properties as Record<string, JsonSchema>).map(([name, property]) =>
    fieldOf(name, property),
  );
}

function fieldOf(name: string, json: JsonSchema): SchemaField {
  const type = typeOf(json);
  const description = typeof json.description === 'string' ? json.description : undefined;
  const nested =
    objectProperties(json) ??
    (json.type === 'array' && json.items !== null && typeof json.items === 'object'
      ? [fieldOf('_element', json.items as JsonSchema)]
      : undefined);
  return {
    name,
    ...(type === undefined ? {} : { type }),
    ...(description === undefined ? {} : { description }),
    ...(nested === undefined ? {} : { fields: nested }),
  };
}

function typeOf(json: JsonSchema): string | undefined {
  if (typeof json.type === 'string') return json.type;
  if (Array.isArray(json.type)) return json.type.join('|');
  if (Array.isArray(json.anyOf)) return 'union';
  if (json.enum !== undefined) return 'enum';
  return undefined;
}

/** A lookup of schema fields by asset key from the definitions of `graph`, each rendered once. */
export function graphSchemaFields(
  graph: AssetGraph,
): (assetKey: string) => readonly SchemaField[] | undefined {
  const cache = new Map<string, readonly SchemaField[] | undefined>();
  return (assetKey) => {
    if (!graph.has(assetKey)) return undefined;
    if (!cache.has(assetKey))
      cache.set(assetKey, schemaFieldsOf(graph.node(assetKey).definition.schema as z.ZodType));
    return cache.get(assetKey);
  };
}
