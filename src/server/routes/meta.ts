// GET /api/openapi.json: the OpenAPI 3.1 document of every route, this one included.
import { z } from 'zod';
import { packageVersion } from '../../util/package-version.js';
import { buildOpenApiDocument } from '../openapi.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';

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
