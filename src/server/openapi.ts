// Assembles the OpenAPI 3.1 document from the route declarations: path and query parameters
// and request bodies as inline JSON Schema (input side), responses as $refs to the named
// schemas of the registry (output side), all generated with z.toJSONSchema.
import { z } from 'zod';
import { rolesAllowing } from '../access/index.js';
import { SESSION_COOKIE } from './auth.js';
import type { ApiRoute } from './route-spec.js';
import { apiSchemas } from './schemas/registry.js';

const REF_PREFIX = '#/components/schemas/';

type JsonObject = Record<string, unknown>;

/** The OpenAPI document of `routes`. */
export function buildOpenApiDocument(
  routes: readonly ApiRoute[],
  info: { title: string; version: string },
): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const operation: JsonObject = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description === undefined ? {} : { description: route.description }),
      // Who may call it in token mode: the capability, and the roles that have it.
      'x-strata-capability': route.capability,
      'x-strata-roles': rolesAllowing(route.capability),
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      responses: Object.fromEntries(
        route.responses.map((response) => [
          String(response.status),
          {
            description: response.description,
            ...(response.schema === undefined && response.contentType === undefined
              ? {}
              : {
                  content: {
                    [response.contentType ?? 'application/json']:
                      response.schema === undefined
                        ? {}
                        : { schema: outputSchema(response.schema) },
                  },
                }),
          },
        ]),
      ),
    };
    if (route.body !== undefined) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: inputSchema(route.body) } },
      };
    }
    (paths[route.path] ??= {})[route.method] = operation;
  }
  const components = z.toJSONSchema(apiSchemas, {
    uri: (id) => `${REF_PREFIX}${id}`,
    io: 'output',
    unrepresentable: 'any',
  });
  const schemas = Object.fromEntries(
    Object.entries(components.schemas).map(([id, schema]) => [id, strip(schema as JsonObject)]),
  );
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description:
        'The HTTP API of `strata serve`. Errors are `{ error: { status, message, field?, hint? } }`. ' +
        'Asset keys are URL-encoded as one path segment. State-changing requests are POST with ' +
        'a JSON body from the same origin. With a token, send `Authorization: Bearer <token>`, ' +
        'or (browsers) the `strata_session` cookie that opening `/?token=<token>` sets. See docs/api.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
    },
    security: [{}, { bearer: [] }, { cookie: [] }],
  };
}

/** The parameters of a z.object of path or query parameters. */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonObject[] {
  if (!(schema instanceof z.ZodObject)) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, field]) => {
    const json = inputSchema(field);
    const { description, ...rest } = json;
    return {
      name,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** A schema of what clients send. */
function inputSchema(schema: z.ZodType): JsonObject {
  return strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject);
}

/** A schema of what the server answers: a $ref when it is registered. */
function outputSchema(schema: z.ZodType): JsonObject {
  const id = apiSchemas.get(schema)?.id;
  if (id !== undefined) return { $ref: `${REF_PREFIX}${id}` };
  return strip(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonObject);
}

/** Drops the keys that only make sense in a standalone JSON Schema document. */
function strip(schema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}
