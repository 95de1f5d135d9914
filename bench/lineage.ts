// lineage: upstream closure of one materialization in a 1,000,000-edge provenance graph, with
// loadLineage (src/provenance/lineage.ts) against the SQL function strata.upstream_of (a
// recursive CTE carrying depths) through the same Kysely connection.
//
// The graph is layered: 100 layers (assets layer_000..layer_099) of 5,051 materializations
// (partitions); materialization j of layer l consumed j and j+1 (mod width) of layer l-1. So
// the closure of a top-layer materialization is a triangle of 1+2+...+100 = 5,050
// materializations (9,900 edges), found in a graph of 1,000,098 edges.
import { sql } from 'kysely';
import { loadLineage } from '../src/provenance/lineage.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchDatabase } from './support/server.js';
import { formatNumber, interleave, repeat, timed } from './support/stats.js';

const LAYERS = 100;
const WIDTH = 5_051;
const idOf = (layer: number, j: number): number => layer * WIDTH + j + 1;

export async function generateGraph(database: BenchDatabase): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query('set session_replication_role = replica').catch(() => undefined);
    await client.query(
      `insert into strata_internal.materializations
         (id, asset_key, partition_key, code_version, data_version, input_hash, value, value_size, finished_at)
       overriding system value
       select l * ${WIDTH} + j + 1, 'layer_' || lpad(l::text, 3, '0'), 'p' || j, 'v1',
              md5(l || '/' || j), md5('h' || l || '/' || j), '1'::jsonb, 1, now()
       from generate_series(0, ${LAYERS - 1}) l cross join generate_series(0, ${WIDTH - 1}) j`,
    );
    await client.query(
      `select setval(pg_get_serial_sequence('strata_internal.materializations', 'id'),
                     (select max(id) from strata_internal.materializations))`,
    );
    await client.query(
      `insert into strata_internal.materialization_inputs
         (materialization_id, input_name, dep_asset_key, dep_partition_key, dep_materialization_id, dep_data_version)
       select l * ${WIDTH} + j + 1, input.name, 'layer_' || lpad((l - 1)::text, 3, '0'), 'p' || input.dep,
              (l - 1) * ${WIDTH} + input.dep + 1, md5((l - 1) || '/' || input.dep)
       from generate_series(1, ${LAYERS - 1}) l
       cross join generate_series(0, ${WIDTH - 1}) j
       cross join lateral (values ('left', j), ('right', (j + 1) % ${WIDTH})) as input(name, dep)`,
    );
    await client.query('reset session_replication_role');
    await client.query(
      'vacuum analyze strata_internal.materializations, strata_internal.materialization_inputs',
    );
  } finally {
    client.release();
  }
}

export const lineageBenchmark: Benchmark = {
  name: 'lineage',
  description: 'upstream closure of one materialization in a 1,000,000-edge provenance graph',
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'lineage');
    try {
      const generated = await timed(() => generateGraph(database));
      const { db } = database;
      const edges = await sql<{
        n: number;
      }>`select count(*)::int as n from strata_internal.materialization_inputs`.execute(db);
      context.log(
        `lineage: generated ${edges.rows[0]!.n} edges in ${formatNumber(generated.ms)} ms`,
      );
      const details: string[] = [
        `graph: ${edges.rows[0]!.n.toLocaleString('en-US')} edges, ${(LAYERS * WIDTH).toLocaleString('en-US')} materializations (${LAYERS} layers x ${WIDTH.toLocaleString('en-US')}), generated in ${formatNumber(generated.ms / 1000)} s`,
      ];

      const root = idOf(LAYERS - 1, 0);
      const lineage = await loadLineage(db, { materializationId: root, direction: 'upstream' });
      const viaFunction = await sql`select * from strata.upstream_of(${root})`.execute(db);
      details.push(
        `root #${root} (top layer): closure ${lineage.nodes.length - 1} upstream materializations, ${lineage.edges.length} edges, max depth ${lineage.nodes.at(-1)?.depth}; strata.upstream_of returns ${viaFunction.rows.length} rows`,
      );
      const [ours, baseline] = await interleave(1, context.reps, [
        () => loadLineage(db, { materializationId: root, direction: 'upstream' }),
        () => sql`select * from strata.upstream_of(${root})`.execute(db),
      ]);
      const mid = idOf(LAYERS / 2, 0);
      const midLineage = await loadLineage(db, { materializationId: mid, direction: 'upstream' });
      const midOurs = await repeat(1, context.reps, () =>
        loadLineage(db, { materializationId: mid, direction: 'upstream' }),
      );
      const limited = await repeat(1, context.reps, () =>
        loadLineage(db, { materializationId: root, direction: 'upstream', depth: 10 }),
      );
      const down = await repeat(1, context.reps, () =>
        loadLineage(db, { materializationId: idOf(0, 0), direction: 'downstream', depth: 10 }),
      );
      details.push(
        `mid-layer root (closure ${midLineage.nodes.length - 1}): loadLineage ${formatNumber(midOurs.median)} ms; top root depth 10: ${formatNumber(limited.median)} ms; downstream depth 10 from the bottom layer: ${formatNumber(down.median)} ms`,
      );
      return {
        name: 'lineage',
        metric: `ms for the upstream closure (${lineage.nodes.length - 1} materializations) in a 1M-edge graph`,
        unit: 'ms',
        ours: { label: 'loadLineage(upstream, unlimited depth)', summary: ours },
        baseline: {
          label: 'select * from strata.upstream_of(id) (recursive CTE)',
          summary: baseline,
        },
        target: { value: 50, kind: 'max' },
        details,
      };
    } finally {
      await database.drop();
    }
  },
};
