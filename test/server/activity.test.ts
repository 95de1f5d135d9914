// Live run state in the asset routes: an asset with a step running in a running run is
// `running`; a partition whose most recent step failed is `failed` until it is materialized
// again; the partitions route shows each partition's activity and filters by it; the graph
// carries the layered layout.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, staticPartitions } from '../../src/definitions/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import { loadPartitionActivity } from '../../src/planner/index.js';
import {
  AssetDetailResponse,
  AssetGraphResponse,
  PartitionPage,
} from '../../src/server/schemas/asset-schemas.js';
import { LaunchResponse, RunProgressMessage } from '../../src/server/schemas/run-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, tempArtifacts } from '../support/engine.js';
import {
  awaitRun,
  bodyOf,
  getJson,
  openEvents,
  postJson,
  releaseSlow,
  testApp,
  testGraph,
} from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
const apps: StrataApp[] = [];

/** Partitions of `flaky` that fail when computed. */
const failing = new Set<string>();

function flakyGraph(): AssetGraph {
  const flaky = asset({
    key: 'flaky',
    codeVersion: '1',
    partitions: staticPartitions(['a', 'b', 'c']),
    schema: z.string(),
    compute: ({ partitionKey }) => {
      if (failing.has(partitionKey!)) throw new Error(`partition ${partitionKey} broke`);
      return partitionKey!;
    },
  });
  return graphOf([flaky]);
}

async function statusOf(app: StrataApp, key: string) {
  const graph = bodyOf(await getJson(app, '/api/assets'), AssetGraphResponse);
  return graph.nodes.find((node) => node.key === key)!.status;
}

async function partitionsOf(app: StrataApp, key: string, query = '') {
  const page = bodyOf(
    await getJson(app, `/api/assets/${encodeURIComponent(key)}/partitions${query}`),
    PartitionPage,
  );
  return page.items.map((item) => `${item.partition ?? '-'}: ${item.status}/${item.activity}`);
}

afterAll(async () => {
  releaseSlow();
  for (const app of apps) await app.close();
});

describe('running', () => {
  let app: StrataApp;
  beforeAll(() => {
    app = testApp(database, testGraph(), artifacts);
    apps.push(app);
  });

  it('shows an asset as running while its step runs, then as its status', async () => {
    expect(await statusOf(app, 'slow')).toMatchObject({ state: 'missing', running: 0 });
    const events = await openEvents(app);
    const { runId } = bodyOf(
      await postJson(app, '/api/runs', { selection: 'slow' }),
      LaunchResponse,
      202,
    );
    await events.until((m) => {
      const progress = RunProgressMessage.parse(m.data);
      return progress.runId === runId && progress.counts.running === 1;
    });
    await events.close();

    expect(await statusOf(app, 'slow')).toMatchObject({
      status: 'missing',
      state: 'running',
      running: 1,
      failed: 0,
    });
    expect(await partitionsOf(app, 'slow')).toEqual(['-: missing/running']);
    expect(await partitionsOf(app, 'slow', '?status=running')).toEqual(['-: missing/running']);
    expect(await partitionsOf(app, 'slow', '?status=failed')).toEqual([]);
    const detail = bodyOf(await getJson(app, '/api/assets/slow'), AssetDetailResponse);
    expect(detail.status.state).toBe('running');
    expect(detail.partition).toMatchObject({ status: 'missing', activity: 'running' });

    releaseSlow();
    expect((await awaitRun(app, runId!)).status).toBe('succeeded');
    expect(await statusOf(app, 'slow')).toMatchObject({
      status: 'fresh',
      state: 'fresh',
      running: 0,
    });
  });
});

describe('failed', () => {
  let app: StrataApp;
  let graph: AssetGraph;
  beforeAll(() => {
    graph = flakyGraph();
    app = testApp(database, graph, artifacts);
    apps.push(app);
  });

  it('marks partitions whose latest step failed until they materialize again', async () => {
    failing.add('b');
    await run(database, graph, { artifacts });
    expect(await statusOf(app, 'flaky')).toMatchObject({
      status: 'missing',
      state: 'failed',
      fresh: 2,
      missing: 1,
      failed: 1,
      running: 0,
    });
    expect(await partitionsOf(app, 'flaky')).toEqual([
      'a: fresh/null',
      'b: missing/failed',
      'c: fresh/null',
    ]);
    expect(await partitionsOf(app, 'flaky', '?status=failed')).toEqual(['b: missing/failed']);

    // A fresh partition whose forced rebuild failed is failed too: its materialization is older.
    failing.add('c');
    await run(database, graph, { artifacts, selection: 'flaky[c]', force: true });
    expect(await partitionsOf(app, 'flaky', '?status=failed')).toEqual([
      'b: missing/failed',
      'c: fresh/failed',
    ]);
    const totals = bodyOf(await getJson(app, '/api/assets'), AssetGraphResponse).totals;
    expect(totals).toMatchObject({ failed: 2, running: 0 });

    // A plain run rebuilds b; c is fresh, so it is not rebuilt and stays failed until it is.
    failing.clear();
    await run(database, graph, { artifacts });
    expect(await partitionsOf(app, 'flaky')).toEqual([
      'a: fresh/null',
      'b: fresh/null',
      'c: fresh/failed',
    ]);
    await run(database, graph, { artifacts, selection: 'flaky[c]', force: true });
    expect(await statusOf(app, 'flaky')).toMatchObject({
      status: 'fresh',
      state: 'fresh',
      failed: 0,
    });
  });

  it('does not count a failure that a later materialization made good', async () => {
    failing.add('a');
    await run(database, graph, { artifacts, selection: 'flaky[a]', force: true });
    expect((await loadPartitionActivity(database.db)).get(graph.node('flaky').key)).toEqual(
      new Map([['a', { running: false, failed: true }]]),
    );
    // As if an older run, still running when this one failed, materialized it afterwards.
    await sql`update strata_internal.latest_materializations set materialized_at = now() + interval '1 minute'
      where asset_key = 'flaky' and partition_key = 'a'`.execute(database.db);
    expect(await loadPartitionActivity(database.db)).toEqual(new Map());
    expect(await statusOf(app, 'flaky')).toMatchObject({ state: 'fresh', failed: 0 });
    failing.clear();
  });
});

describe('layout', () => {
  it('places every node in a layer after its dependencies, rows numbered per layer', async () => {
    const app = testApp(database, testGraph(), artifacts);
    apps.push(app);
    const graph = bodyOf(await getJson(app, '/api/assets'), AssetGraphResponse);
    const layout = new Map(graph.nodes.map((node) => [node.key, node.layout]));
    expect(Object.fromEntries(layout)).toEqual({
      geometry: { layer: 0, row: 0 },
      slow: { layer: 0, row: 1 },
      'sim/mesh': { layer: 1, row: 0 },
      summary: { layer: 2, row: 0 },
    });
    expect(graph.layout).toEqual({ layers: 3, maxRows: 2 });
    for (const edge of graph.edges)
      expect(layout.get(edge.from)!.layer).toBeLessThan(layout.get(edge.to)!.layer);
    const one = bodyOf(await getJson(app, '/api/assets/sim%2Fmesh'), AssetDetailResponse);
    expect(one.layout).toEqual({ layer: 1, row: 0 });
  });
});
