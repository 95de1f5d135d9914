// The large-graph fixture of the UI benchmarks: 10,000 assets in 50 layers of 200, each
// consuming 1 to 3 assets of the previous three layers (seeded, so every run draws the same
// graph: about 20,000 edges), 70% of them with a recorded materialization (so statuses mix
// stale and missing), served by the real server with the built UI, with static copies of
// GET /api/assets and GET /api/graph (the baselines: the same bytes with nothing computed).
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyAssetDefinition } from '../src/definitions/index.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { benchEngine, graphOf, noopAsset } from './support/engine.js';
import type { BenchContext } from './support/result.js';
import { createBenchDatabase, type BenchDatabase } from './support/server.js';

export const UI_LAYERS = 50;
export const UI_WIDTH = 200;
export const UI_ASSETS = UI_LAYERS * UI_WIDTH;
/** Share of assets with a recorded materialization. */
const MATERIALIZED_SHARE = 0.7;

const UI_ROOT = fileURLToPath(new URL('../dist/lineage/', import.meta.url));

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keyOf = (layer: number, i: number): string =>
  `layer${String(layer).padStart(2, '0')}/asset_${String(i).padStart(3, '0')}`;

/** The 10,000 assets. */
export function largeGraphAssets(): AnyAssetDefinition[] {
  const random = prng(42);
  const byLayer: AnyAssetDefinition[][] = [];
  for (let layer = 0; layer < UI_LAYERS; layer++) {
    const assets: AnyAssetDefinition[] = [];
    for (let i = 0; i < UI_WIDTH; i++) {
      const deps: Record<string, AnyAssetDefinition> = {};
      if (layer > 0) {
        const count = 1 + Math.floor(random() * 3);
        for (let d = 0; d < count; d++) {
          const from = Math.max(0, layer - 1 - Math.floor(random() * 3));
          // Mostly near the same position, as real pipelines are.
          const j = Math.min(UI_WIDTH - 1, Math.max(0, i + Math.round((random() - 0.5) * 20)));
          const dep = byLayer[from]![j]!;
          if (!Object.values(deps).includes(dep)) deps[`in${d}`] = dep;
        }
      }
      assets.push(noopAsset(keyOf(layer, i), { deps }));
    }
    byLayer.push(assets);
  }
  return byLayer.flat();
}

/** The fixture: database, server with the UI, and static copies of /api/assets and /api/graph. */
export interface LargeGraphFixture {
  readonly server: RunningServer;
  readonly database: BenchDatabase;
  /** The same document as GET /api/assets, served as a static file (the baseline). */
  readonly staticDocumentUrl: string;
  /** The same document as GET /api/graph, served as a static file. */
  readonly staticGraphUrl: string;
  readonly edges: number;
  close(): Promise<void>;
}

/** Builds the fixture (about 10 s: the graph, 7,000 materializations, the server). */
export async function largeGraphFixture(context: BenchContext): Promise<LargeGraphFixture> {
  const assets = largeGraphAssets();
  const graph = graphOf(assets);
  const database = await createBenchDatabase(context.server, 'ui');
  const client = await database.pool.connect();
  try {
    const keys = graph.order.filter((_, i) => (i * 7919) % 100 < MATERIALIZED_SHARE * 100);
    await client.query(
      `insert into strata_internal.materializations
         (asset_key, partition_key, code_version, data_version, input_hash, value, value_size, finished_at)
       select key, '', 'v1', md5(key), md5('h' || key), '1'::jsonb, 1, now() - interval '1 hour'
       from unnest($1::text[]) key`,
      [keys],
    );
    await client.query(
      `insert into strata_internal.latest_materializations
         (asset_key, partition_key, materialization_id, code_version, data_version, input_hash, materialized_at)
       select asset_key, partition_key, id, code_version, data_version, input_hash, finished_at
       from strata_internal.materializations`,
    );
  } finally {
    client.release();
  }
  const staticRoot = await mkdtemp(path.join(tmpdir(), 'strata-ui-bench-'));
  await cp(UI_ROOT, staticRoot, { recursive: true });
  const server = await startServer(benchEngine(database, graph), {
    launch: false,
    staticRoot,
    port: 0,
  });
  const document = await (await fetch(`${server.url}/api/assets`)).text();
  await writeFile(path.join(staticRoot, 'assets-document.json'), document);
  const columns = await (await fetch(`${server.url}/api/graph`)).text();
  await writeFile(path.join(staticRoot, 'graph-document.json'), columns);
  const edges = (JSON.parse(document) as { edges: unknown[] }).edges.length;
  return {
    server,
    database,
    staticDocumentUrl: `${server.url}/assets-document.json`,
    staticGraphUrl: `${server.url}/graph-document.json`,
    edges,
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
