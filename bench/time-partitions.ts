// time-partitions: status of 1,000,000 partitions of one asset partitioned by day x region
// (10,000 daily windows x 100 static regions), all materialized and fresh; against the bare read
// of its 1,000,000 latest-materialization rows through the same Kysely connection. Details:
// resolving the partition set (10,000 windows, 1,000,000 keys) and loading the latest rows.
import {
  dailyPartitions,
  multiPartitions,
  staticPartitions,
  type AssetKey,
} from '../src/definitions/index.js';
import { computeStatus, resolvePartitionSets } from '../src/planner/index.js';
import { loadLatest } from '../src/provenance/index.js';
import { graphOf, noopAsset } from './support/engine.js';
import { writeLatestPointers } from './support/latest-rows.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchDatabase } from './support/server.js';
import { formatNumber, interleave, timed } from './support/stats.js';

const DAYS = 10_000;
const REGIONS = 100;
const PARTITIONS = DAYS * REGIONS;
/** 1997-01-01 + 10,000 days. */
const START = '1997-01-01';
const END = '2024-05-19';
/** The evaluation time: every window is complete. */
const NOW = new Date('2024-06-01T00:00:00Z');
const KEY = 'sales' as AssetKey;

const regionOf = (r: number): string => `r${String(r).padStart(3, '0')}`;

function salesGraph() {
  const partitions = multiPartitions({
    date: dailyPartitions({ start: START, end: END }),
    region: staticPartitions(Array.from({ length: REGIONS }, (_, r) => regionOf(r))),
  });
  return graphOf([noopAsset(KEY, { partitions })]);
}

/**
 * One materialization per partition, set-based; the input hash of a root asset is sha256 of
 * `[1,"sales","<partition>","v1",[]]` (inputHashOf), computed by PostgreSQL so that every
 * partition comes out fresh.
 */
export async function generate(database: BenchDatabase): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query('set session_replication_role = replica').catch(() => undefined);
    await client.query(
      `insert into strata_internal.materializations
         (id, asset_key, partition_key, code_version, data_version, input_hash, value, value_size,
          started_at, finished_at)
       overriding system value
       select d * ${REGIONS} + r + 1, '${KEY}', k.partition, 'v1', md5(k.partition),
              encode(sha256(convert_to('[1,"${KEY}","' || k.partition || '","v1",[]]', 'UTF8')), 'hex'),
              '1'::jsonb, 1, now() - interval '1 hour', now() - interval '1 hour'
       from generate_series(0, ${DAYS - 1}) d
       cross join generate_series(0, ${REGIONS - 1}) r
       cross join lateral (select to_char(date '${START}' + d, 'YYYY-MM-DD') || '|r' || lpad(r::text, 3, '0') as partition) k`,
    );
    await writeLatestPointers(client);
    await client.query('reset session_replication_role');
    await client.query(
      'vacuum analyze strata_internal.materializations, strata_internal.latest_materializations',
    );
  } finally {
    client.release();
  }
}

export const timePartitionsBenchmark: Benchmark = {
  name: 'time-partitions',
  description: `status of ${PARTITIONS.toLocaleString('en-US')} partitions of a daily x ${REGIONS}-region asset`,
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'time_partitions');
    try {
      const generated = await timed(() => generate(database));
      context.log(`time-partitions: generated the history in ${formatNumber(generated.ms)} ms`);
      const { db } = database;
      const graph = salesGraph();
      const report = await computeStatus(db, graph, [KEY], NOW);
      const statuses = report.statuses.get(KEY)!;
      let fresh = 0;
      for (const status of statuses.values()) if (status.status === 'fresh') fresh++;
      if (statuses.size !== PARTITIONS || fresh !== PARTITIONS)
        throw new Error(
          `time-partitions: expected ${PARTITIONS} fresh partitions, got ${fresh} of ${statuses.size}`,
        );
      const [ours, baseline, sets, latest] = await interleave(1, context.reps, [
        // A new definition each time, as in a new `strata status` process: the window keys
        // and their combinations are built again, not reused from the last call.
        () => computeStatus(db, salesGraph(), [KEY], NOW),
        () => db.selectFrom('strata_internal.latest_materializations').selectAll().execute(),
        () => resolvePartitionSets(db, salesGraph(), [KEY], NOW),
        () => loadLatest(db, [KEY]),
      ]);
      return {
        name: 'time-partitions',
        metric: `ms for computeStatus of ${PARTITIONS.toLocaleString('en-US')} partitions (all fresh)`,
        unit: 'ms',
        ours: { label: 'computeStatus(db, graph, [sales]), cold keys', summary: ours },
        baseline: {
          label: `select * from latest_materializations (${PARTITIONS.toLocaleString('en-US')} rows) via Kysely`,
          summary: baseline,
        },
        target: { value: 1000, kind: 'max' },
        details: [
          `resolvePartitionSets (${DAYS.toLocaleString('en-US')} daily windows x ${REGIONS} regions): ${formatNumber(sets.median)} ms; loadLatest (${PARTITIONS.toLocaleString('en-US')} rows): ${formatNumber(latest.median)} ms`,
          `the rest, evaluating 1,000,000 partitions in memory (ours - loadLatest - resolvePartitionSets, medians): ${formatNumber(ours.median - latest.median - sets.median)} ms`,
          `history generated in ${formatNumber(generated.ms / 1000)} s`,
        ],
      };
    } finally {
      await database.drop();
    }
  },
};
