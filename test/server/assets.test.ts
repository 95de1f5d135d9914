// The read routes of assets: the graph with statuses, one asset with its definition, causes and
// root causes, partitions (filter, pagination) and materialization history (pagination), with
// the errors of bad input (400 naming the field) and unknown names (404 with suggestions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssetDetailResponse,
  AssetGraphResponse,
  MaterializationPage,
  PartitionPage,
} from '../../src/server/schemas/asset-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { run, tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
let app: StrataApp;

beforeAll(async () => {
  const graph = testGraph();
  await run(database, graph, { artifacts, selection: 'geometry,sim/mesh,summary' });
  await run(database, graph, { artifacts, selection: 'sim/mesh', force: true });
  // summary's code changed since: stale with a code cause; slow was never materialized.
  app = testApp(database, testGraph('s2'), artifacts);
});
afterAll(() => app.close());

describe('GET /api/assets', () => {
  it('returns every node with its status summary, and the edges', async () => {
    const graph = bodyOf(await getJson(app, '/api/assets'), AssetGraphResponse);
    expect(graph.nodes.map((n) => n.key)).toEqual(['geometry', 'slow', 'sim/mesh', 'summary']);
    const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
    expect(byKey.get('geometry')).toMatchObject({
      description: 'The bracket geometry',
      owners: ['team:cad'],
      tags: { stage: 'cad' },
      partitioned: false,
      status: { status: 'fresh', fresh: 1, total: 1, mainCause: null },
    });
    expect(byKey.get('sim/mesh')).toMatchObject({
      group: 'sim',
      partitioned: true,
      partitions: { kind: 'static', keys: ['coarse', 'fine'] },
      dependencies: [{ inputName: 'geometry', key: 'geometry', mapping: 'single' }],
      status: { status: 'fresh', fresh: 2, total: 2 },
    });
    expect(byKey.get('summary')!.status).toMatchObject({
      status: 'stale',
      stale: 1,
      mainCause: 'code',
      mainReason: 'code version changed from s1 to s2',
    });
    expect(byKey.get('summary')!.status.lastMaterializedAt).not.toBeNull();
    expect(byKey.get('slow')!.status).toMatchObject({ status: 'missing', missing: 1 });
    expect(graph.edges).toContainEqual({
      from: 'sim/mesh',
      to: 'summary',
      kind: 'data',
      inputName: 'meshes',
      mapping: 'all',
    });
    expect(graph.totals).toEqual({
      assets: 4,
      fresh: 3,
      stale: 1,
      missing: 1,
      blocked: 0,
      running: 0,
      failed: 0,
      partitions: 5,
      freshness: { pass: 0, warn: 0, fail: 0 },
    });
  });
});

describe('GET /api/assets/{key}', () => {
  it('returns the definition with its JSON Schema, status, causes and root causes', async () => {
    const summary = bodyOf(await getJson(app, '/api/assets/summary'), AssetDetailResponse);
    expect(summary).toMatchObject({
      key: 'summary',
      codeVersion: 's2',
      codeVersionSource: 'declared',
      retry: { maxAttempts: 1 },
      timeoutMs: null,
      pool: null,
      schemaError: null,
      partition: {
        status: 'stale',
        causes: [{ category: 'code', reason: 'code version changed from s1 to s2' }],
      },
      causes: [{ category: 'code', dependency: null, partitions: 1 }],
      rootCauses: [],
      rootCausesTruncated: false,
      rootCausesOmitted: 0,
    });
    expect(summary.schema).toMatchObject({
      type: 'object',
      properties: { total: { type: 'number' } },
    });
  });

  it('accepts URL-encoded keys with a slash and lists the root causes of a downstream asset', async () => {
    const mesh = bodyOf(await getJson(app, '/api/assets/sim%2Fmesh'), AssetDetailResponse);
    expect(mesh).toMatchObject({
      key: 'sim/mesh',
      retry: { maxAttempts: 2, delayMs: 1000 },
      partition: null,
      dependants: ['summary'],
    });
  });

  it('answers 404 with a suggestion for an unknown key', async () => {
    const error = expectError(await getJson(app, '/api/assets/sumary'), 404, 'key');
    expect(error.message).toBe('unknown asset sumary');
    expect(error.hint).toBe('did you mean summary?');
    const suffix = expectError(await getJson(app, '/api/assets/mesh'), 404);
    expect(suffix.hint).toBe('did you mean sim/mesh?');
  });

  it('explains that keys with a slash must be URL-encoded', async () => {
    const error = expectError(await getJson(app, '/api/assets/sim/mesh/partitions'), 404);
    expect(error.hint).toBe(
      'asset keys are URL-encoded as one segment: /api/assets/sim%2Fmesh/partitions',
    );
  });
});

describe('GET /api/assets/{key}/partitions', () => {
  it('lists partitions with status and latest materialization, page by page', async () => {
    const first = bodyOf(
      await getJson(app, '/api/assets/sim%2Fmesh/partitions?limit=1'),
      PartitionPage,
    );
    expect(first.items).toMatchObject([{ partition: 'coarse', status: 'fresh', causes: [] }]);
    expect(first.items[0]!.latest?.materializationId).toBeGreaterThan(0);
    expect(first.nextCursor).not.toBeNull();
    const second = bodyOf(
      await getJson(app, `/api/assets/sim%2Fmesh/partitions?limit=1&cursor=${first.nextCursor}`),
      PartitionPage,
    );
    expect(second).toMatchObject({ items: [{ partition: 'fine' }], nextCursor: null });
  });

  it('filters by status, and shows an unpartitioned asset as one entry', async () => {
    const stale = bodyOf(
      await getJson(app, '/api/assets/summary/partitions?status=stale'),
      PartitionPage,
    );
    expect(stale.items).toMatchObject([{ partition: null, status: 'stale' }]);
    const none = bodyOf(
      await getJson(app, '/api/assets/summary/partitions?status=fresh'),
      PartitionPage,
    );
    expect(none).toEqual({ items: [], nextCursor: null });
    const missing = bodyOf(await getJson(app, '/api/assets/slow/partitions'), PartitionPage);
    expect(missing.items).toEqual([
      {
        partition: null,
        status: 'missing',
        activity: null,
        causes: [],
        latest: null,
        freshness: null,
        checks: [],
      },
    ]);
  });

  it('names the parameter at fault', async () => {
    const status = expectError(
      await getJson(app, '/api/assets/summary/partitions?status=old'),
      400,
      'status',
    );
    expect(status.message).toMatch(/^invalid query parameter status: /);
    expectError(await getJson(app, '/api/assets/summary/partitions?limit=0'), 400, 'limit');
    expectError(await getJson(app, '/api/assets/summary/partitions?limit=501'), 400, 'limit');
    expectError(await getJson(app, '/api/assets/summary/partitions?limit=ten'), 400, 'limit');
    expectError(
      await getJson(app, '/api/assets/summary/partitions?cursor=nonsense'),
      400,
      'cursor',
    );
    const typo = expectError(
      await getJson(app, '/api/assets/summary/partitions?stauts=fresh'),
      400,
      'stauts',
    );
    expect(typo.hint).toBe('did you mean status?');
    expectError(await getJson(app, '/api/assets/nope/partitions'), 404, 'key');
  });
});

describe('GET /api/assets/{key}/materializations', () => {
  it('pages through the history newest first, with metadata', async () => {
    const first = bodyOf(
      await getJson(app, '/api/assets/sim%2Fmesh/materializations?limit=3'),
      MaterializationPage,
    );
    expect(first.items).toHaveLength(3);
    const rest = bodyOf(
      await getJson(
        app,
        `/api/assets/sim%2Fmesh/materializations?limit=3&cursor=${first.nextCursor}`,
      ),
      MaterializationPage,
    );
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const all = [...first.items, ...rest.items];
    const ids = all.map((m) => m.materializationId);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.map((m) => m.partition).sort()).toEqual(['coarse', 'coarse', 'fine', 'fine']);
    expect(all.find((m) => m.partition === 'fine')!.metadata).toEqual({ cells: 2000 });
    expect(all.every((m) => m.runId !== null && m.assetKey === 'sim/mesh')).toBe(true);
  });

  it('filters by partition', async () => {
    const fine = bodyOf(
      await getJson(app, '/api/assets/sim%2Fmesh/materializations?partition=fine'),
      MaterializationPage,
    );
    expect(fine.items.map((m) => m.partition)).toEqual(['fine', 'fine']);
    const geometry = bodyOf(
      await getJson(app, '/api/assets/geometry/materializations'),
      MaterializationPage,
    );
    expect(geometry.items).toMatchObject([{ partition: null, metadata: { height: 2 } }]);
  });

  it('refuses a partition of an unpartitioned asset and names unknown partitions', async () => {
    expectError(
      await getJson(app, '/api/assets/geometry/materializations?partition=x'),
      400,
      'partition',
    );
    expectError(
      await getJson(app, '/api/assets/sim%2Fmesh/materializations?partition=a%20b'),
      400,
      'partition',
    );
    const unknown = expectError(
      await getJson(app, '/api/assets/sim%2Fmesh/materializations?partition=fien'),
      404,
      'partition',
    );
    expect(unknown.hint).toBe('did you mean fine?');
  });
});
