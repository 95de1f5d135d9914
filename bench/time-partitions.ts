// time-partitions: `strata status` of 1,000,000 partitions of one asset partitioned by day x
// region (10,000 daily windows x 100 static regions): all materialized but 100 (missing) and
// 100 of them stale (their stored input hash no longer matches), judged in bulk (planner/bulk);
// against the bare read of its 1,000,000 latest-materialization rows through the same Kysely
// connection. Details: resolving the partition set, and the in-memory walk of every partition
// (what the status of a smaller asset does) measured once.
import {
  dailyPartitions,
  multiPartitions,
  staticPartitions,
  type AssetKey,
} from '../src/definitions/index.js';
import { resolveSelection } from '../src/graph/index.js';
import {
  computeStatus,
  resolvePartitionSets,
  statusDocument,
  type StatusDocument,
} from '../src/planner/index.js';
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
/** Partitions made stale (input hash changed) and missing (latest row removed). */
const STALE = 100;
const MISSING = 100;

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
    // Every 10,000th partition stale, the next one missing: exceptions across the whole range.
    await client.query(
      `update strata_internal.latest_materializations set input_hash = 'changed'
       where asset_key = '${KEY}' and materialization_id % 10000 = 1`,
    );
    await client.query(
      `delete from strata_internal.latest_materializations
       where asset_key = '${KEY}' and materialization_id % 10000 = 2`,
    );
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
      // What `strata status` does: statuses judged in bulk, then the summary document.
      const status = async (): Promise<StatusDocument> => {
        const graph = salesGraph();
        const report = await computeStatus(db, graph, [KEY], NOW, { bulk: [KEY] });
        return statusDocument(report, resolveSelection(graph, KEY));
      };
      const { counts, partitions } = (await status()).assets[0]!;
      const expected = { fresh: PARTITIONS - STALE - MISSING, stale: STALE, missing: MISSING };
      if (
        counts.fresh !== expected.fresh ||
        counts.stale !== expected.stale ||
        counts.missing !== expected.missing ||
        partitions.length !== STALE
      )
        throw new Error(
          `time-partitions: expected ${JSON.stringify(expected)} and ${STALE} listed, got ${JSON.stringify(counts)} and ${partitions.length} listed`,
        );
      const walk = await timed(() => computeStatus(db, salesGraph(), [KEY], NOW));
      const walked = walk.result.statuses.get(KEY)!;
      let stale = 0;
      for (const s of walked.values()) if (s.status === 'stale') stale++;
      if (walked.size !== PARTITIONS || stale !== STALE)
        throw new Error(`time-partitions: the full walk found ${stale} stale of ${walked.size}`);
      const [ours, baseline, sets] = await interleave(1, context.reps, [
        // A new definition each time, as in a new `strata status` process: the window keys
        // and their combinations are built again, not reused from the last call.
        status,
        () => db.selectFrom('strata_internal.latest_materializations').selectAll().execute(),
        () => resolvePartitionSets(db, salesGraph(), [KEY], NOW),
      ]);
      return {
        name: 'time-partitions',
        metric: `ms for the status of ${PARTITIONS.toLocaleString('en-US')} partitions (${STALE} stale, ${MISSING} missing)`,
        unit: 'ms',
        ours: {
          label: 'computeStatus(..., { bulk }) + statusDocument, as `strata status`, cold keys',
          summary: ours,
        },
        baseline: {
          label: `select * from latest_materializations (${PARTITIONS.toLocaleString('en-US')} rows) via Kysely`,
          summary: baseline,
        },
        target: { value: 1000, kind: 'max' },
        details: [
          `resolvePartitionSets (${DAYS.toLocaleString('en-US')} daily windows x ${REGIONS} regions): ${formatNumber(sets.median)} ms`,
          `the in-memory walk of every partition (computeStatus without bulk, once): ${formatNumber(walk.ms)} ms, ${formatNumber(walk.ms / ours.median)}x ours`,
          `history generated in ${formatNumber(generated.ms / 1000)} s`,
        ],
      };
    } finally {
      await database.drop();
    }
  },
};
