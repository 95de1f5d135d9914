// retention: how much the database grows per run, and per year, for Dagster's reported load
// (30 assets materialized every 5 minutes: 105,120 runs a year; its event log grows ~110 GB a
// year, dagster-io/dagster#33785). 30 assets (10 chains of 3, each logging one line) are
// materialized WARMUP times, then N more times with an automation tick recorded per run as the
// daemon does; pg_total_relation_size of every table (vacuumed, as autovacuum would between
// runs 5 minutes apart) before and after gives the bytes each run adds per table. A year is
// extrapolated without pruning, and with `strata events prune --older-than 30d` (events and
// ticks held at 30 days; ticks already stop at 7 days). Then the prune itself is timed on the
// measured runs' events. Byte counts do not depend on the machine. Baseline: Dagster's figure.
import { sql } from 'kysely';
import { z } from 'zod';
import { finishTick, startTick } from '../src/automation/tick-log.js';
import { asset, type AnyAssetDefinition } from '../src/definitions/index.js';
import { pruneHistory } from '../src/retention/index.js';
import { graphOf, materializeAll, tempArtifacts } from './support/engine.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchDatabase } from './support/server.js';
import { formatNumber as f, summarize, timed } from './support/stats.js';

const ASSETS = 30;
const CHAINS = 10;
/** Runs before measuring: the tables are past their first pages. */
const WARMUP = 5;
/** Runs measured. */
const RUNS = 60;
/** One run every 5 minutes for a year. */
const RUNS_PER_YEAR = 105_120;
/** Runs whose events a 30-day retention keeps. */
const RUNS_IN_30_DAYS = 8_640;
/** Runs whose ticks the daemon's own tick retention keeps (7 days). */
const RUNS_IN_7_DAYS = 2_016;
/** Dagster's event log for this load, per year (dagster-io/dagster#33785). */
const DAGSTER_BYTES_PER_YEAR = 110e9;

const GB = 1e9;
const n = (value: number): string => Math.round(value).toLocaleString('en-US');
const gb = (bytes: number): string => `${(bytes / GB).toFixed(2)} GB`;

function retentionAssets(): AnyAssetDefinition[] {
  const assets: AnyAssetDefinition[] = [];
  for (let chain = 0; chain < CHAINS; chain++) {
    let previous: AnyAssetDefinition | undefined;
    for (let level = 0; level < ASSETS / CHAINS; level++) {
      const key = `c${String(chain).padStart(2, '0')}/l${level}`;
      const deps: Record<string, AnyAssetDefinition> = previous ? { previous } : {};
      previous = asset({
        key,
        deps,
        schema: z.object({ rows: z.number() }),
        codeVersion: 'v1',
        compute: ({ log }) => {
          log.info(`wrote ${key}`, { rows: 100 });
          return { rows: 100 };
        },
      });
      assets.push(previous);
    }
  }
  return assets;
}

/** Bytes of every table (indexes and TOAST included) of strata and its queue. */
async function tableSizes(database: BenchDatabase): Promise<Map<string, number>> {
  await sql`vacuum`.execute(database.db);
  const rows = await sql<{ name: string; bytes: string }>`
    select n.nspname || '.' || c.relname as name, pg_total_relation_size(c.oid)::text as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname in ('strata_internal', 'graphile_worker', 'graphile_worker_private')
  `.execute(database.db);
  return new Map(rows.rows.map((r) => [r.name, Number(r.bytes)]));
}

/** Materializes the 30 assets once and records the daemon's tick for it. */
async function oneRun(
  database: BenchDatabase,
  graph: ReturnType<typeof graphOf>,
  artifacts: ReturnType<typeof tempArtifacts>,
): Promise<number> {
  const started = new Date();
  const tick = await startTick(database.db, 'bench-daemon', 'bench-host', started);
  const outcome = await materializeAll(database, graph, { concurrency: 4, force: true, artifacts });
  await finishTick(database.db, tick, {
    status: 'succeeded',
    evaluatedAssets: ASSETS,
    evaluatedPartitions: ASSETS,
    runId: outcome.summary.runId,
    launched: graph.order.map((key) => ({
      key,
      partitions: [],
      rule: 'cron',
      reason: 'stale at the cron tick */5 * * * *',
    })),
    held: [],
    finishedAt: new Date(),
  });
  return outcome.summary.runId;
}

/** Events generated for the prune at scale: 60 days of one event every 5 s. */
const SCALE_EVENTS = 1_036_800;

/** Times a prune of 30 days out of 60 of generated log events of finished runs. */
async function pruneAtScale(
  database: BenchDatabase,
): Promise<{ deleted: number; batches: number; ms: number; dryMs: number; againMs: number }> {
  const { db } = database;
  await sql`
    insert into strata_internal.events (run_id, kind, message, data, created_at)
    select null, 'log', 'wrote c00/l0', '{"rows": 100}',
      now() - interval '60 days' + g * interval '5 seconds'
    from generate_series(1, ${SCALE_EVENTS}) g
  `.execute(db);
  await sql`vacuum analyze strata_internal.events`.execute(db);
  const cutoff = new Date(Date.now() - 30 * 86_400_000);
  const dry = await timed(() => pruneHistory(db, { cutoff, dryRun: true }));
  const real = await timed(() => pruneHistory(db, { cutoff, dryRun: false }));
  await sql`vacuum strata_internal.events`.execute(db);
  const again = await timed(() => pruneHistory(db, { cutoff, dryRun: false }));
  let deleted = 0;
  for (const count of real.result.events.values()) deleted += count;
  return { deleted, batches: real.result.batches, ms: real.ms, dryMs: dry.ms, againMs: again.ms };
}

export const retentionBenchmark: Benchmark = {
  name: 'retention',
  description: `database growth per run of ${ASSETS} assets, per year at one run every 5 minutes, with and without events prune`,
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'retention');
    try {
      const graph = graphOf(retentionAssets());
      const artifacts = tempArtifacts();
      for (let i = 0; i < WARMUP; i++) await oneRun(database, graph, artifacts);
      const before = await tableSizes(database);
      const runTimes: number[] = [];
      let firstRun = 0;
      for (let i = 0; i < RUNS; i++) {
        const { ms, result } = await timed(() => oneRun(database, graph, artifacts));
        if (i === 0) firstRun = result;
        runTimes.push(ms);
      }
      const after = await tableSizes(database);
      const perRun = new Map<string, number>();
      for (const [name, bytes] of after) {
        const delta = (bytes - (before.get(name) ?? 0)) / RUNS;
        if (delta > 0) perRun.set(name, delta);
      }
      const rowsPerRun = await sql<{ name: string; rows: string }>`
        select 'strata_internal.events' as name, count(*)::text as rows from strata_internal.events where run_id >= ${firstRun}
        union all select 'strata_internal.materializations', count(*)::text from strata_internal.materializations where run_id >= ${firstRun}
        union all select 'strata_internal.steps', count(*)::text from strata_internal.steps where run_id >= ${firstRun}
      `.execute(database.db);
      const total = [...perRun.values()].reduce((a, b) => a + b, 0);
      const events = perRun.get('strata_internal.events') ?? 0;
      const ticks = perRun.get('strata_internal.automation_ticks') ?? 0;
      const rest = total - events - ticks;
      const yearNoPrune = rest * RUNS_PER_YEAR + events * RUNS_PER_YEAR + ticks * RUNS_IN_7_DAYS;
      const yearPrune = rest * RUNS_PER_YEAR + events * RUNS_IN_30_DAYS + ticks * RUNS_IN_7_DAYS;
      // The prune itself: every event of the measured runs counted as older than the cutoff.
      const prune = await timed(() =>
        pruneHistory(database.db, { cutoff: new Date(Date.now() + 60_000), dryRun: false }),
      );
      let pruned = 0;
      for (const count of prune.result.events.values()) pruned += count;
      const scale = await pruneAtScale(database);
      const details = [
        `${n(RUNS)} runs of ${ASSETS} assets measured after ${WARMUP} warm-up runs; a run took ${f(summarize(runTimes).median)} ms (median)`,
        ...rowsPerRun.rows.map((r) => `${r.name}: ${f(Number(r.rows) / RUNS)} rows per run`),
        ...[...perRun]
          .sort(([, a], [, b]) => b - a)
          .map(
            ([name, bytes]) =>
              `${name}: ${n(bytes)} bytes per run, ${gb(bytes * RUNS_PER_YEAR)} a year`,
          ),
        `total: ${n(total)} bytes per run; events ${n(events)}, ticks ${n(ticks)}, the rest (runs, steps, attempts, materializations, lineage, queue) ${n(rest)}`,
        `a year (${n(RUNS_PER_YEAR)} runs), no prune: ${gb(yearNoPrune)} (ticks kept 7 days by the daemon)`,
        `a year, events prune --older-than 30d: ${gb(yearPrune)} (events held at ${n(RUNS_IN_30_DAYS)} runs: ${gb(events * RUNS_IN_30_DAYS)})`,
        `Dagster, same load (dagster-io/dagster#33785): ~${gb(DAGSTER_BYTES_PER_YEAR)} a year of event log`,
        `prune of ${n(pruned)} events (${n(prune.result.batches)} batches of up to 10,000): ${f(prune.ms)} ms`,
        `prune at scale: ${n(scale.deleted)} of ${n(SCALE_EVENTS)} generated events older than 30 days in ${n(scale.batches)} batches: ${f(scale.ms)} ms (${f(scale.ms / scale.batches)} ms a batch); --dry-run count ${f(scale.dryMs)} ms; the next prune (nothing to delete) ${f(scale.againMs)} ms`,
      ];
      return {
        name: 'retention',
        metric: 'GB a year, 30 assets every 5 minutes, no prune',
        unit: 'GB',
        ours: { label: 'strata', summary: summarize([yearNoPrune / GB]) },
        baseline: {
          label: 'Dagster (reported)',
          summary: summarize([DAGSTER_BYTES_PER_YEAR / GB]),
        },
        target: { value: DAGSTER_BYTES_PER_YEAR / GB, kind: 'max' },
        details,
        data: {
          runs: RUNS,
          bytesPerRun: Object.fromEntries(perRun),
          totalBytesPerRun: total,
          yearNoPruneBytes: yearNoPrune,
          yearPrune30dBytes: yearPrune,
          prunedEvents: pruned,
          pruneMs: prune.ms,
          scale,
        },
      };
    } finally {
      await database.drop();
    }
  },
};
