// The OpenAPI document: generated from the routes' zod schemas, it lists every route with its
// parameters, request body and responses, and every $ref resolves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import { getJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
let app: StrataApp;

beforeAll(() => {
  app = testApp(database, testGraph(), tempArtifacts());
});
afterAll(() => app.close());

interface Operation {
  operationId: string;
  parameters: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

describe('GET /api/openapi.json', () => {
  it('lists every route of the app', async () => {
    const { status, body } = await getJson(app, '/api/openapi.json');
    expect(status).toBe(200);
    const doc = body as {
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const declared = app.apiRoutes.map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect(listed.sort()).toEqual(declared.sort());
    expect(listed).toEqual(
      expect.arrayContaining([
        'GET /api/assets',
        'GET /api/assets/{key}',
        'GET /api/assets/{key}/partitions',
        'GET /api/assets/{key}/materializations',
        'GET /api/selection',
        'GET /api/search',
        'GET /api/materializations/{id}',
        'GET /api/materializations/{id}/lineage',
        'GET /api/runs',
        'POST /api/runs',
        'GET /api/runs/{id}',
        'GET /api/runs/{id}/events',
        'POST /api/runs/{id}/cancel',
        'POST /api/runs/{id}/resume',
        'GET /api/artifacts/{sha256}',
        'GET /api/events',
        'GET /api/automation/ticks',
        'GET /api/openapi.json',
      ]),
    );

    const partitions = doc.paths['/api/assets/{key}/partitions']!.get!;
    expect(partitions.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['key', 'path', true],
      ['status', 'query', false],
      ['freshness', 'query', false],
      ['checks', 'query', false],
      ['limit', 'query', false],
      ['cursor', 'query', false],
    ]);
    expect(partitions.responses['200']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/PartitionPage',
    });
    const launch = doc.paths['/api/runs']!.post!;
    expect(launch.requestBody!.content['application/json']!.schema).toMatchObject({
      type: 'object',
      properties: { selection: { type: 'string' }, force: { type: 'boolean' } },
      additionalProperties: false,
    });
    expect(Object.keys(launch.responses).sort()).toEqual([
      '200',
      '202',
      '400',
      '403',
      '409',
      '415',
    ]);

    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'AssetFreshness',
        'PartitionFreshness',
        'FreshnessPolicy',
        'FreshnessState',
      ]),
    );
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const id = ref.slice('"#/components/schemas/'.length, -1);
      expect(doc.components.schemas, id).toHaveProperty(id);
    }
  });
});
