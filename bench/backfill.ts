// backfill: a 1,000,000-target backfill (10 assets of 100,000 static partitions, a chain: asset
// a reads a-1, identity). Headline: one advance of it running (advanceBackfill, the daemon's and
// the driver's step) with 4 of its 10 assets done but 5% of the 4th failed, 2 runs in flight and
// 4 free slots: it finds the 40 ready targets and launches them as 4 real runs (planned and
// written, not executed). Baseline: count(*) over the same backfill's 1,000,000 rows, the
// cheapest query that reads them all. Details: the readiness alone, the readiness advances had
// before (read every open target, then walk them), the unrestricted status evaluation chunks were
// planned from before (now: their targets and what those read), and the
// same advance of a 2,000-target backfill (same launches, 1,000 times fewer open targets); then
// creating the backfill (one transaction, one unnest insert), and with 5% of its targets failed
// and the rest done finding the failed ones (the state index) and "retry failed" (one update of
// 50,000 rows).
import { sql } from 'kysely';
import {
  advanceBackfill,
  insertBackfill,
  retryBackfill,
  type BackfillLauncher,
} from '../src/backfills/index.js';
import { readyTargets } from '../src/backfills/ready-targets.js';
import { openAssetStates } from '../src/backfills/sql/open-asset-states.js';
import {
  staticPartitions,
  type AnyAssetDefinition,
  type AssetKey,
  type PartitionKey,
} from '../src/definitions/index.js';
import {
  computeStatus,
  indexSteps,
  resolvePartitionSets,
  upstreamSteps,
} from '../src/planner/index.js';
import { dropRuns } from './automation-fixture.js';
import { graphOf, noopAsset } from './support/engine.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchDatabase } from './support/server.js';
import {
  formatNumber as f,
  interleave,
  repeat,
  summarize,
  timed,
  type Summary,
} from './support/stats.js';

/** Targets: 10 assets of 100,000 partitions each. */
const ASSETS = 10;
const PARTITIONS = 100_000;
/** One target in FAILED_EVERY is failed (5%). */
const FAILED_EVERY = 20;
/** The advance's backfill: assets before DONE_ASSETS done (5% of the last one failed). */
const DONE_ASSETS = 4;
const CHUNK = 10;
const IN_FLIGHT = 2;
const MAX_RUNS = 6;

const partitionOf = (p: number): string => `p${String(p).padStart(6, '0')}`;
const ms = (s: Summary): string => `${f(s.median)} ms [${f(s.min)}-${f(s.max)}]`;

/** The chain asset_0 -> asset_1 -> ... of no-op assets over the same 100,000 partitions. */
function backfillGraph() {
  const partitions = staticPartitions(Array.from({ length: PARTITIONS }, (_, p) => partitionOf(p)));
  const assets: AnyAssetDefinition[] = [];
  for (let a = 0; a < ASSETS; a++) {
    const previous = assets[a - 1];
    assets.push(
      noopAsset(`asset_${a}`, { partitions, ...(previous ? { deps: { previous } } : {}) }),
    );
  }
  return graphOf(assets);
}

/** Creates the runs of the chunks (plan, steps, edges, jobs) without a worker pool. */
const recordingLauncher: BackfillLauncher = {
  launchWith: (create) => create({ concurrency: 2, gitCommit: null }),
};

export const backfillBenchmark: Benchmark = {
  name: 'backfill',
  description: 'a 1,000,000-target backfill: create, find the failed targets, retry failed',
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'backfill');
    const { db } = database;
    try {
      const keys: string[] = [];
      const partitions: string[] = [];
      for (let a = 0; a < ASSETS; a++)
        for (let p = 0; p < PARTITIONS; p++) {
          keys.push(`asset_${a}`);
          partitions.push(`p${String(p).padStart(6, '0')}`);
        }
      context.log(`backfill: creating ${f(keys.length)} targets`);
      const spec = { selection: '*', chunkSize: 10, maxRuns: 4, options: {} };
      const created = await timed(() => insertBackfill(db, spec, { keys, partitions }));
      const id = created.result;
      const fail = () =>
        sql`
        update strata_internal.backfill_targets
        set state = case when ord % ${FAILED_EVERY} = 0 then 'failed' else 'done' end,
            error = case when ord % ${FAILED_EVERY} = 0 then 'its step failed' end
        where backfill_id = ${id} and state <> 'done'`.execute(db);
      await fail();
      await sql`update strata_internal.backfills set status = 'failed' where id = ${id}`.execute(
        db,
      );
      await sql`vacuum analyze strata_internal.backfill_targets`.execute(db);
      const failedRows = () =>
        db
          .selectFrom('strata_internal.backfill_targets')
          .select(['asset_key', 'partition_key'])
          .where('backfill_id', '=', id)
          .where('state', '=', 'failed')
          .execute();
      const countAll = () =>
        sql`select count(*) from strata_internal.backfill_targets where backfill_id = ${id}`.execute(
          db,
        );
      context.log('backfill: failed lookup vs count(*)');
      const [lookup, baseline] = await interleave(1, context.reps, [failedRows, countAll] as const);
      const failedCount = (await failedRows()).length;
      // Each rep re-fails the same targets (untimed), then times the retry.
      context.log('backfill: retry failed');
      const restoreAndRetry: number[] = [];
      for (let rep = 0; rep < context.reps; rep++) {
        await sql`update strata_internal.backfill_targets set state = 'failed'
          where backfill_id = ${id} and ord % ${FAILED_EVERY} = 0`.execute(db);
        await sql`update strata_internal.backfills set status = 'failed' where id = ${id}`.execute(
          db,
        );
        restoreAndRetry.push((await timed(() => retryBackfill(db, id))).ms);
      }
      const retryMs = summarize(restoreAndRetry);
      if (restoreAndRetry.length === 0 || (await failedRows()).length !== 0)
        throw new Error('retry left failed targets');
      const retry = await repeat(0, context.reps, () => retryBackfill(db, id));
      const base = baseline.median;
      await materializeInputs(db);
      context.log('backfill: one advance of the 1,000,000 targets, count(*), the old read');
      const advance = await measureAdvance(context, database, id, {
        doneThrough: (DONE_ASSETS - 1) * PARTITIONS,
        lastDoneThrough: DONE_ASSETS * PARTITIONS,
      });
      const advanceBase = advance.count.median;
      // The same advance of a backfill of only the last done asset's and the next asset's first
      // 1,000 partitions: the same ready targets, 1,000 times fewer open.
      context.log('backfill: the same advance of a 2,000-target backfill');
      const small = await insertBackfill(
        db,
        { selection: 'small', chunkSize: CHUNK, maxRuns: IN_FLIGHT, options: {} },
        {
          keys: [DONE_ASSETS - 1, DONE_ASSETS].flatMap((a) =>
            Array.from({ length: 1000 }, () => `asset_${a}`),
          ),
          partitions: [0, 1].flatMap(() => Array.from({ length: 1000 }, (_, p) => partitionOf(p))),
        },
      );
      const smallAdvance = await measureAdvance(context, database, small, {
        doneThrough: 0,
        lastDoneThrough: 1000,
      });
      return {
        name: 'backfill',
        metric: `ms for one advance of a running ${f(keys.length)}-target backfill (${advance.launched} targets launched as ${MAX_RUNS - IN_FLIGHT} runs)`,
        unit: 'ms',
        ours: { label: 'advanceBackfill (paged readiness)', summary: advance.advance },
        baseline: { label: 'count(*) over the backfill', summary: advance.count },
        target: { value: advanceBase, kind: 'max' },
        details: [
          `one advance: ${ms(advance.advance)}, ${f(advance.advance.median / advanceBase)}x count(*) (${ms(advance.count)}); it launched ${advance.launched} targets as ${MAX_RUNS - IN_FLIGHT} runs with ${IN_FLIGHT} in flight, ${f(advance.open)} targets open`,
          `of which finding the ready targets (open assets, paged readiness): ${ms(advance.ready)}, ${f(advance.ready.median / advanceBase)}x count(*); the unrestricted status evaluation advances planned from before restricted statuses (computeStatus of every partition of ${'`'}asset_${DONE_ASSETS}${'`'} and its upstream, ${f((DONE_ASSETS + 1) * PARTITIONS)} partitions): ${ms(advance.plan)}`,
          `the same advance of a 2,000-target backfill (${f(smallAdvance.open)} open, the same ready targets): ${ms(smallAdvance.advance)} (${f(smallAdvance.advance.median / advance.advance.median)}x the 1,000,000-target one), finding its ready targets ${ms(smallAdvance.ready)}`,
          `the readiness advances had before (every open target read, ${f(advance.open)} rows into Node, then indexed and walked): ${ms(advance.oldReady)}, ${f(advance.oldReady.median / advanceBase)}x count(*), of which the read ${ms(advance.readAll)}; the paged readiness is ${f(advance.oldReady.median / advance.ready.median)}x cheaper`,
          `create: ${f(keys.length)} targets in one transaction (unnest insert): ${f(created.ms)} ms`,
          `failed lookup: ${f(lookup.median)} ms, ${f(lookup.median / base)}x count(*) (${f(base)} ms)`,
          `retry failed (reset ${f(failedCount)} targets to pending, backfill running): ${f(retryMs.median)} ms, ${f(retryMs.median / base)}x count(*)`,
          `retry with nothing failed left (dead index entries of the earlier rounds not vacuumed yet): ${f(retry.median)} ms`,
        ],
        data: {
          advanceMs: advance.advance.median,
          advanceCountMs: advanceBase,
          advanceRatio: advance.advance.median / advanceBase,
          readyMs: advance.ready.median,
          statusMs: advance.plan.median,
          smallAdvanceMs: smallAdvance.advance.median,
          smallReadyMs: smallAdvance.ready.median,
          readAllOpenMs: advance.readAll.median,
          oldReadyMs: advance.oldReady.median,
          launched: advance.launched,
          open: advance.open,
          targets: keys.length,
          failed: failedCount,
          createMs: created.ms,
          lookupMs: lookup.median,
          countMs: base,
          retryMs: retryMs.median,
          retryEmptyMs: retry.median,
        },
      };
    } finally {
      await database.drop();
    }
  },
};

/** Where the advance's backfill stands: targets by position (`ord`). */
interface AdvanceState {
  /** Positions up to this one are done. */
  readonly doneThrough: number;
  /** Then up to this one done, every FAILED_EVERY-th failed (the last done asset); then pending. */
  readonly lastDoneThrough: number;
}

/**
 * What the launched chunks read outside the backfill: the first 1,000 partitions of the last
 * done asset, materialized (so the chunks can be planned).
 */
async function materializeInputs(db: BenchDatabase['db']): Promise<void> {
  await sql`
    with written as (
      insert into strata_internal.materializations
        (asset_key, partition_key, code_version, data_version, input_hash, value, value_size, started_at, finished_at)
      select ${`asset_${DONE_ASSETS - 1}`}, 'p' || lpad(p::text, 6, '0'), 'v1', md5('d' || p),
             md5('h' || p), '1'::jsonb, 1, now(), now()
      from generate_series(0, 999) p
      returning id, asset_key, partition_key, code_version, data_version, input_hash, finished_at)
    insert into strata_internal.latest_materializations
      (asset_key, partition_key, materialization_id, code_version, data_version, input_hash, materialized_at)
    select asset_key, partition_key, id, code_version, data_version, input_hash, finished_at
    from written`.execute(db);
}

/**
 * One advance of backfill `id` running from `state`, IN_FLIGHT runs in flight (an untimed first
 * advance) and MAX_RUNS - IN_FLIGHT free slots. Each rep times the advance, then (untimed) puts
 * its targets back to pending and drops its runs; the readiness alone, count(*) and the old read
 * of every open target are timed in the same reps.
 */
async function measureAdvance(
  context: BenchContext,
  database: BenchDatabase,
  id: number,
  state: AdvanceState,
) {
  const { db } = database;
  const graph = backfillGraph();
  const engine = { database, graph };
  await sql`
    update strata_internal.backfill_targets
    set state = case
          when ord <= ${state.doneThrough} then 'done'
          when ord <= ${state.lastDoneThrough}
            then case when (ord - 1) % ${FAILED_EVERY} = 0 then 'failed' else 'done' end
          else 'pending' end,
        run_id = null, launches = 0, error = null
    where backfill_id = ${id}`.execute(db);
  await sql`update strata_internal.backfills
    set status = 'running', chunk_size = ${CHUNK}, max_runs = ${IN_FLIGHT}
    where id = ${id}`.execute(db);
  await sql`vacuum analyze strata_internal.backfill_targets`.execute(db);
  const first = await advanceBackfill(engine, recordingLauncher, id, 'bench');
  if (first.kind !== 'advanced' || first.launchedRuns.length !== IN_FLIGHT)
    throw new Error(`the first advance launched ${JSON.stringify(first)}`);
  await sql`update strata_internal.backfills set max_runs = ${MAX_RUNS} where id = ${id}`.execute(
    db,
  );
  const open = Number(
    (
      await sql<{ n: string }>`select count(*) as n from strata_internal.backfill_targets
        where backfill_id = ${id} and state <> 'done'`.execute(db)
    ).rows[0]!.n,
  );
  const countAll = () =>
    sql`select count(*) from strata_internal.backfill_targets where backfill_id = ${id}`.execute(
      db,
    );
  const readAllOpen = () =>
    db
      .selectFrom('strata_internal.backfill_targets')
      .select(['asset_key', 'partition_key', 'state', 'run_id'])
      .where('backfill_id', '=', id)
      .where('state', 'in', ['pending', 'launched', 'failed', 'held'])
      .orderBy('ord')
      .execute();
  const findReady = async () => {
    const openAssets = new Set(
      (await openAssetStates(db, id)).flatMap((a) =>
        graph.has(a.asset_key) ? [a.asset_key as AssetKey] : [],
      ),
    );
    const partitionSets = await resolvePartitionSets(db, graph, openAssets);
    const limit = (MAX_RUNS - IN_FLIGHT) * CHUNK;
    return readyTargets(db, { backfillId: id, graph, openAssets, partitionSets, limit });
  };
  const samples = {
    advance: [] as number[],
    ready: [] as number[],
    count: [] as number[],
    readAll: [] as number[],
    oldReady: [] as number[],
    plan: [] as number[],
  };
  let launched = 0;
  for (let rep = -1; rep < context.reps; rep++) {
    const step = await timed(() => advanceBackfill(engine, recordingLauncher, id, 'bench'));
    if (step.result.kind !== 'advanced' || step.result.launchedRuns.length !== MAX_RUNS - IN_FLIGHT)
      throw new Error(`an advance launched ${JSON.stringify(step.result)}`);
    const runs = step.result.launchedRuns;
    const moved = await sql`update strata_internal.backfill_targets
      set state = 'pending', run_id = null, launches = 0
      where backfill_id = ${id} and run_id = any(${runs}::bigint[])`.execute(db);
    launched = Number(moved.numAffectedRows ?? 0);
    await dropRuns(db, runs);
    const readyStep = await timed(findReady);
    if (readyStep.result.length !== launched)
      throw new Error(`found ${readyStep.result.length} ready targets, launched ${launched}`);
    // What planning the chunks costs at least: one evaluation of their asset and its upstream.
    const plan = await timed(() => computeStatus(db, graph, [readyStep.result[0]!.key]));
    const count = await timed(countAll);
    const readAll = await timed(readAllOpen);
    if (readAll.result.length !== open) throw new Error('the open targets changed');
    const walk = await timed(() => oldReadyWalk(db, graph, readAll.result, launched));
    if (walk.result !== launched) throw new Error(`the old walk found ${walk.result} ready`);
    if (rep < 0) continue; // warm-up
    samples.advance.push(step.ms);
    samples.ready.push(readyStep.ms);
    samples.plan.push(plan.ms);
    samples.count.push(count.ms);
    samples.readAll.push(readAll.ms);
    samples.oldReady.push(readAll.ms + walk.ms);
  }
  return {
    advance: summarize(samples.advance),
    ready: summarize(samples.ready),
    plan: summarize(samples.plan),
    count: summarize(samples.count),
    readAll: summarize(samples.readAll),
    oldReady: summarize(samples.oldReady),
    launched,
    open,
  };
}

/**
 * The ready check advances did before (commit e2ab74a) on the open targets they read, all of
 * them: indexed, then the pending ones walked in order until `limit` are ready; how many were.
 */
async function oldReadyWalk(
  db: BenchDatabase['db'],
  graph: ReturnType<typeof backfillGraph>,
  rows: readonly { asset_key: string; partition_key: string; state: string }[],
  limit: number,
): Promise<number> {
  const open = rows.map((r) => ({
    key: r.asset_key as AssetKey,
    partition: r.partition_key as PartitionKey,
    state: r.state,
  }));
  const partitionSets = await resolvePartitionSets(db, graph, new Set(open.map((t) => t.key)));
  const index = indexSteps(open);
  let ready = 0;
  for (const target of open) {
    if (ready >= limit) break;
    if (target.state !== 'pending') continue;
    const reads = upstreamSteps(graph, target, index, partitionSets);
    if (reads.every((read) => read === target)) ready++;
  }
  return ready;
}
