// planning: status of 100,000 asset partitions (10 chains of 100 assets x 100 static
// partitions, identity mappings) with 10 historic materializations each (1,000,000 rows), all
// fresh; against the bare read of the 100,000 latest-materialization rows through the same
// Kysely connection (the lower bound of any planner that reads them). Details: the status
// summaries of all of them without freshness policies and with one on every asset.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { staticPartitions, type AnyAssetDefinition } from '../src/definitions/index.js';
import type { FreshnessPolicyInput } from '../src/definitions/index.js';
import type { AssetGraph } from '../src/graph/index.js';
import {
  computeStatus,
  createPlan,
  freshnessRequirements,
  summarizeAssets,
  type StatusReport,
} from '../src/planner/index.js';
import { inputHashOf } from '../src/provenance/versions.js';
import { graphOf, noopAsset } from './support/engine.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchDatabase } from './support/server.js';
import { formatNumber, interleave, repeat, timed } from './support/stats.js';

const CHAINS = 10;
const CHAIN_LENGTH = 100;
const ASSETS = CHAINS * CHAIN_LENGTH;
const PARTITIONS = 100;
/** Historic materializations per asset partition; the last one is the latest. */
const VERSIONS = 10;

const assetKeyOf = (a: number): string =>
  `c${Math.floor(a / CHAIN_LENGTH)}_a${String(a % CHAIN_LENGTH).padStart(3, '0')}`;
const partitionOf = (p: number): string => `p${String(p).padStart(3, '0')}`;
/** The data version of (asset a, partition p, version v): md5 of "a/p/v", as the SQL writes it. */
const dataVersionOf = (a: number, p: number, v: number): string =>
  createHash('md5').update(`${a}/${p}/${v}`).digest('hex');

/**
 * The graph; `codeVersionOf` may change some assets' code versions (to make them stale), and
 * `freshnessOf` gives assets a freshness policy.
 */
export function planningGraph(
  codeVersionOf: (a: number) => string = () => 'v1',
  freshnessOf: (a: number) => FreshnessPolicyInput | undefined = () => undefined,
): AssetGraph {
  const partitions = staticPartitions(Array.from({ length: PARTITIONS }, (_, p) => partitionOf(p)));
  const assets: AnyAssetDefinition[] = [];
  for (let a = 0; a < ASSETS; a++) {
    const previous = a % CHAIN_LENGTH === 0 ? undefined : assets[a - 1]!;
    const freshness = freshnessOf(a);
    assets.push(
      noopAsset(assetKeyOf(a), {
        partitions,
        codeVersion: codeVersionOf(a),
        ...(previous ? { deps: { previous } } : {}),
        ...(freshness ? { freshness } : {}),
      }),
    );
  }
  return graphOf(assets);
}

/**
 * Writes the history set-based: materialization ids are (a*100+p)*10+v+1, data versions md5 of
 * "a/p/v", and the latest version's input hash is computed here with inputHashOf so that every
 * partition comes out fresh.
 */
export async function generateHistory(database: BenchDatabase): Promise<void> {
  const hashes: string[] = [];
  for (let a = 0; a < ASSETS; a++) {
    for (let p = 0; p < PARTITIONS; p++) {
      const inputs =
        a % CHAIN_LENGTH === 0
          ? []
          : [
              {
                depKey: assetKeyOf(a - 1),
                depPartition: partitionOf(p),
                dataVersion: dataVersionOf(a - 1, p, VERSIONS - 1),
              },
            ];
      hashes.push(inputHashOf(assetKeyOf(a), partitionOf(p), 'v1', inputs));
    }
  }
  const client = await database.pool.connect();
  try {
    // Foreign-key triggers off while generating (superuser only; otherwise they just run).
    await client.query('set session_replication_role = replica').catch(() => undefined);
    await client.query(
      `insert into strata_internal.materializations
         (id, asset_key, partition_key, code_version, data_version, input_hash, value, value_size,
          started_at, finished_at)
       overriding system value
       select (a * ${PARTITIONS} + p) * ${VERSIONS} + v + 1,
              'c' || (a / ${CHAIN_LENGTH}) || '_a' || lpad((a % ${CHAIN_LENGTH})::text, 3, '0'),
              'p' || lpad(p::text, 3, '0'),
              'v1',
              md5(a || '/' || p || '/' || v),
              coalesce(h.hash, md5('h' || a || '/' || p || '/' || v)),
              '1'::jsonb, 1,
              now() - (${VERSIONS} - v) * interval '1 hour',
              now() - (${VERSIONS} - v) * interval '1 hour'
       from generate_series(0, ${ASSETS - 1}) a
       cross join generate_series(0, ${PARTITIONS - 1}) p
       cross join generate_series(0, ${VERSIONS - 1}) v
       left join unnest($1::text[]) with ordinality h(hash, ord)
         on v = ${VERSIONS - 1} and h.ord = a * ${PARTITIONS} + p + 1`,
      [hashes],
    );
    await client.query(
      `select setval(pg_get_serial_sequence('strata_internal.materializations', 'id'),
                     (select max(id) from strata_internal.materializations))`,
    );
    await client.query(
      `insert into strata_internal.latest_materializations
         (asset_key, partition_key, materialization_id, code_version, data_version, input_hash, materialized_at)
       select asset_key, partition_key, id, code_version, data_version, input_hash, finished_at
       from strata_internal.materializations
       where (id - 1) % ${VERSIONS} = ${VERSIONS - 1}`,
    );
    // Version v of asset a consumed version v of asset a-1 (id - PARTITIONS*VERSIONS).
    await client.query(
      `insert into strata_internal.materialization_inputs
         (materialization_id, input_name, dep_asset_key, dep_partition_key, dep_materialization_id, dep_data_version)
       select m.id, 'previous', d.asset_key, d.partition_key, d.id, d.data_version
       from strata_internal.materializations m
       join strata_internal.materializations d on d.id = m.id - ${PARTITIONS * VERSIONS}
       where ((m.id - 1) / ${PARTITIONS * VERSIONS}) % ${CHAIN_LENGTH} <> 0`,
    );
    await client.query('reset session_replication_role');
    await client.query(
      'vacuum analyze strata_internal.materializations, strata_internal.latest_materializations, strata_internal.materialization_inputs',
    );
  } finally {
    client.release();
  }
}

function countStatuses(report: Awaited<ReturnType<typeof computeStatus>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const partitions of report.statuses.values()) {
    for (const status of partitions.values())
      counts[status.status] = (counts[status.status] ?? 0) + 1;
  }
  return counts;
}

/**
 * Status summaries of every asset (what `strata status` and GET /api/assets build) from one
 * report, without policies and with a policy on every asset (the report's graph swapped), and
 * the freshness requirements when the last asset of every chain is overdue.
 */
async function freshnessDetail(
  report: StatusReport,
  keys: readonly string[],
  reps: number,
): Promise<string> {
  const withPolicy = (freshnessOf: (a: number) => FreshnessPolicyInput | undefined) => ({
    ...report,
    graph: planningGraph(() => 'v1', freshnessOf),
  });
  const maxLag = withPolicy(() => ({ maxLag: '6h', warnAfter: '4h' }));
  // Hourly deadlines in a timezone: the latest materializations (1 h old) pass.
  const cron = withPolicy(() => ({ maxLag: '2h', cron: '0 * * * *', timezone: 'Europe/Berlin' }));
  const asKeys = keys as Parameters<typeof summarizeAssets>[1];
  const [none, lag, hourly] = await interleave(1, Math.min(3, reps), [
    async () => summarizeAssets(report, asKeys),
    async () => summarizeAssets(maxLag, asKeys),
    async () => summarizeAssets(cron, asKeys),
  ]);
  const overdueEnds = withPolicy((a) =>
    a % CHAIN_LENGTH === CHAIN_LENGTH - 1 ? { maxLag: '30m' } : undefined,
  );
  const requirements = await timed(async () => freshnessRequirements(overdueEnds));
  const partitions = (ASSETS * PARTITIONS).toLocaleString('en-US');
  return (
    `summarizeAssets of ${partitions} partitions: no policy ${formatNumber(none.median)} ms, ` +
    `a maxLag policy on every asset ${formatNumber(lag.median)} ms, an hourly cron policy ` +
    `(Europe/Berlin) on every asset ${formatNumber(hourly.median)} ms; freshnessRequirements ` +
    `with the ${CHAINS} chain ends overdue: ${requirements.result.length.toLocaleString('en-US')} ` +
    `requirements in ${formatNumber(requirements.ms)} ms`
  );
}

export const planningBenchmark: Benchmark = {
  name: 'planning',
  description: `status of ${(ASSETS * PARTITIONS).toLocaleString('en-US')} asset partitions with ${(ASSETS * PARTITIONS * VERSIONS).toLocaleString('en-US')} materializations`,
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'planning');
    try {
      const generated = await timed(() => generateHistory(database));
      context.log(`planning: generated the history in ${formatNumber(generated.ms)} ms`);
      const { db } = database;
      const graph = planningGraph();
      const keys = [...graph.nodes()].map((node) => node.key);
      const details: string[] = [];

      const report = await computeStatus(db, graph, keys);
      const counts = countStatuses(report);
      if (counts.fresh !== ASSETS * PARTITIONS) {
        throw new Error(`planning: expected every partition fresh, got ${JSON.stringify(counts)}`);
      }
      const [ours, baseline, plan] = await interleave(1, context.reps, [
        () => computeStatus(db, graph, keys),
        () => db.selectFrom('strata_internal.latest_materializations').selectAll().execute(),
        () => createPlan(db, graph, undefined),
      ]);
      details.push(
        `statuses: ${JSON.stringify(counts)}; createPlan (all fresh, 0 steps): ${formatNumber(plan.median)} ms [${formatNumber(plan.min)}-${formatNumber(plan.max)}]`,
      );
      details.push(await freshnessDetail(report, keys, context.reps));
      const forced = await timed(() => createPlan(db, graph, undefined, { force: true }));
      details.push(
        `createPlan --force (${forced.result.steps.length.toLocaleString('en-US')} steps): ${formatNumber(forced.ms)} ms`,
      );
      const rows = await sql<{
        n: number;
      }>`select count(*)::int as n from strata_internal.materializations`.execute(db);
      details.push(
        `history: ${rows.rows[0]!.n.toLocaleString('en-US')} materializations, generated in ${formatNumber(generated.ms / 1000)} s`,
      );

      // Stale variant: chain 0 from asset 50 on gets a new code version (5,000 partitions stale
      // by code or upstream) and chain 1's first asset gets new data (its 100 dependants' input
      // fingerprints change: the consumed-inputs path), and 9,800 more are stale upstream.
      const staleGraph = planningGraph((a) => (a >= 50 && a < CHAIN_LENGTH ? 'v2' : 'v1'));
      await sql`update strata_internal.latest_materializations set data_version = 'changed'
                where asset_key = ${assetKeyOf(CHAIN_LENGTH)}`.execute(db);
      const staleReport = await computeStatus(db, staleGraph, keys);
      const stale = await repeat(0, Math.min(3, context.reps), () =>
        computeStatus(db, staleGraph, keys),
      );
      const stalePlan = await timed(() => createPlan(db, staleGraph, undefined));
      details.push(
        `with stale partitions ${JSON.stringify(countStatuses(staleReport))}: computeStatus ${formatNumber(stale.median)} ms, createPlan (${stalePlan.result.steps.length.toLocaleString('en-US')} steps) ${formatNumber(stalePlan.ms)} ms`,
      );
      return {
        name: 'planning',
        metric: `ms for computeStatus of ${(ASSETS * PARTITIONS).toLocaleString('en-US')} partitions (all fresh)`,
        unit: 'ms',
        ours: { label: 'computeStatus(db, graph, all keys)', summary: ours },
        baseline: {
          label: 'select * from latest_materializations (100,000 rows) via Kysely',
          summary: baseline,
        },
        target: { value: 500, kind: 'max' },
        details,
      };
    } finally {
      await database.drop();
    }
  },
};
