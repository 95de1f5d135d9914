// planning: status of 100,000 asset partitions (10 chains of 100 assets x 100 static
// partitions, identity mappings) with 10 historic materializations each (1,000,000 rows), all
// fresh; against the bare read of the 100,000 latest-materialization rows through the same
// Kysely connection (the lower bound of any planner that reads them). Details: the status
// summaries of all of them without freshness policies and with one on every asset.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { staticPartitions, type AnyAssetDefinition } from '../src/definitions/index.js';
import type { AutomationPolicyInput, FreshnessPolicyInput } from '../src/definitions/index.js';
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
import { writeLatestPointers } from './support/latest-rows.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchDatabase } from './support/server.js';
import { formatNumber, interleave, repeat, timed } from './support/stats.js';

/** A generated history: chains of assets (identity mappings) x static partitions x versions. */
export interface HistoryShape {
  readonly chains: number;
  readonly chainLength: number;
  readonly partitions: number;
  /** Historic materializations per asset partition; the last one is the latest. */
  readonly versions: number;
}

/** This benchmark's: 10 chains of 100 assets x 100 partitions, 10 versions each. */
const PLANNING_SHAPE: HistoryShape = {
  chains: 10,
  chainLength: 100,
  partitions: 100,
  versions: 10,
};
const { chains: CHAINS, chainLength: CHAIN_LENGTH, partitions: PARTITIONS } = PLANNING_SHAPE;
const ASSETS = CHAINS * CHAIN_LENGTH;

/** Asset a of a shape: `c<chain>_a<position>`, positions padded to 3 digits. */
export const assetKeyOf = (a: number, shape: HistoryShape = PLANNING_SHAPE): string =>
  `c${Math.floor(a / shape.chainLength)}_a${String(a % shape.chainLength).padStart(3, '0')}`;
/** Partition p: `p<p>` padded to 3 digits. */
export const partitionOf = (p: number): string => `p${String(p).padStart(3, '0')}`;

/** Options of asset a of a chain graph (default: code version v1, nothing else). */
export interface ChainAssetOptions {
  readonly codeVersion?: string;
  readonly freshness?: FreshnessPolicyInput;
  readonly automation?: AutomationPolicyInput;
}

/** The chains of `shape` as no-op assets: asset a reads a-1 (identity) unless it starts a chain. */
export function chainGraph(
  shape: HistoryShape,
  optionsOf: (a: number) => ChainAssetOptions = () => ({}),
): AssetGraph {
  const partitions = staticPartitions(
    Array.from({ length: shape.partitions }, (_, p) => partitionOf(p)),
  );
  const assets: AnyAssetDefinition[] = [];
  for (let a = 0; a < shape.chains * shape.chainLength; a++) {
    const previous = a % shape.chainLength === 0 ? undefined : assets[a - 1]!;
    const { codeVersion = 'v1', freshness, automation } = optionsOf(a);
    assets.push(
      noopAsset(assetKeyOf(a, shape), {
        partitions,
        codeVersion,
        ...(previous ? { deps: { previous } } : {}),
        ...(freshness ? { freshness } : {}),
        ...(automation ? { automation } : {}),
      }),
    );
  }
  return graphOf(assets);
}

/**
 * This benchmark's graph; `codeVersionOf` may change some assets' code versions (to make them
 * stale), and `freshnessOf` gives assets a freshness policy.
 */
export function planningGraph(
  codeVersionOf: (a: number) => string = () => 'v1',
  freshnessOf: (a: number) => FreshnessPolicyInput | undefined = () => undefined,
): AssetGraph {
  return chainGraph(PLANNING_SHAPE, (a) => {
    const freshness = freshnessOf(a);
    return { codeVersion: codeVersionOf(a), ...(freshness ? { freshness } : {}) };
  });
}

/** The data version of (asset a, partition p, version v): md5 of "a/p/v", as the SQL writes it. */
const dataVersionOf = (a: number, p: number, v: number): string =>
  createHash('md5').update(`${a}/${p}/${v}`).digest('hex');

/**
 * Writes the history of `shape` set-based: materialization ids are (a*partitions+p)*versions+v+1,
 * data versions md5 of "a/p/v", and the latest version's input hash is computed here with
 * inputHashOf (one chain at a time) so that every partition comes out fresh.
 */
export async function generateHistory(
  database: BenchDatabase,
  shape: HistoryShape = PLANNING_SHAPE,
): Promise<void> {
  const { chains, chainLength, partitions, versions } = shape;
  if (chainLength > 1000 || partitions > 1000) throw new Error('keys are padded to 3 digits');
  const client = await database.pool.connect();
  try {
    // Foreign-key triggers off while generating (superuser only; otherwise they just run).
    await client.query('set session_replication_role = replica').catch(() => undefined);
    for (let chain = 0; chain < chains; chain++) {
      const first = chain * chainLength;
      const hashes: string[] = [];
      for (let a = first; a < first + chainLength; a++) {
        for (let p = 0; p < partitions; p++) {
          const inputs =
            a === first
              ? []
              : [
                  {
                    depKey: assetKeyOf(a - 1, shape),
                    depPartition: partitionOf(p),
                    dataVersion: dataVersionOf(a - 1, p, versions - 1),
                  },
                ];
          hashes.push(inputHashOf(assetKeyOf(a, shape), partitionOf(p), 'v1', inputs));
        }
      }
      await client.query(
        `insert into strata_internal.materializations
           (id, asset_key, partition_key, code_version, data_version, input_hash, value, value_size,
            started_at, finished_at)
         overriding system value
         select (a * ${partitions} + p) * ${versions} + v + 1,
                'c' || (a / ${chainLength}) || '_a' || lpad((a % ${chainLength})::text, 3, '0'),
                'p' || lpad(p::text, 3, '0'),
                'v1',
                md5(a || '/' || p || '/' || v),
                coalesce(h.hash, md5('h' || a || '/' || p || '/' || v)),
                '1'::jsonb, 1,
                now() - (${versions} - v) * interval '1 hour',
                now() - (${versions} - v) * interval '1 hour'
         from generate_series(${first}, ${first + chainLength - 1}) a
         cross join generate_series(0, ${partitions - 1}) p
         cross join generate_series(0, ${versions - 1}) v
         left join unnest($1::text[]) with ordinality h(hash, ord)
           on v = ${versions - 1} and h.ord = (a - ${first}) * ${partitions} + p + 1`,
        [hashes],
      );
    }
    await writeLatestPointers(client, `(id - 1) % ${versions} = ${versions - 1}`);
    // Version v of asset a consumed version v of asset a-1 (id - partitions*versions).
    await client.query(
      `insert into strata_internal.materialization_inputs
         (materialization_id, input_name, dep_asset_key, dep_partition_key, dep_materialization_id, dep_data_version)
       select m.id, 'previous', d.asset_key, d.partition_key, d.id, d.data_version
       from strata_internal.materializations m
       join strata_internal.materializations d on d.id = m.id - ${partitions * versions}
       where ((m.id - 1) / ${partitions * versions}) % ${chainLength} <> 0`,
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
  description: `status of ${(ASSETS * PARTITIONS).toLocaleString('en-US')} asset partitions with ${(ASSETS * PARTITIONS * PLANNING_SHAPE.versions).toLocaleString('en-US')} materializations`,
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
