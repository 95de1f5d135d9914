// GET /api/openapi.json: the OpenAPI 3.1 document of every route, this one included.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { buildOpenApiDocument } from '../openapi.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';

/** strata's version, from the package.json beside src/ or dist/. */
function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The route serving the document of `routes` (and of itself). */
export function openApiRoute(routes: readonly ApiRoute[]): ApiRoute {
  let document: Record<string, unknown> | undefined;
  const route: ApiRoute = defineRoute({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'meta',
    summary: 'This OpenAPI 3.1 document',
    responses: [
      {
        status: 200,
        description: 'the document',
        schema: z.record(z.string(), z.unknown()),
      },
    ],
    handle({ c }) {
      document ??= buildOpenApiDocument([...routes, route], {
        title: 'strata',
        version: packageVersion(),
      });
      return c.json(document);
    },
  });
  return route;
}
