// chain: per-step overhead of a sequential chain of 200 no-op assets (a001 -> ... -> a200),
// durable (fsync on), against two baselines on the same server in the same run: the minimum
// durable queue hop (a raw graphile-worker chain of 200 jobs, each handler adding the next) and
// DBOS Transact (one workflow of 200 sequential DBOS.runStep no-ops). For each of the three:
// CPU of Node and PostgreSQL, write-ahead log, statements and write transactions per step.
import { EventEmitter } from 'node:events';
import { Logger, run, type WorkerEvents } from 'graphile-worker';
import type { AnyAssetDefinition } from '../src/definitions/index.js';
import type { AssetGraph } from '../src/graph/index.js';
import { startDbosBaseline } from './dbos-baseline.js';
import { graphOf, materializeAll, noopAsset, tempArtifacts } from './support/engine.js';
import { describeBreakdown, stepBreakdown } from './support/breakdown.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import {
  costPerUnit,
  costRatios,
  describeCost,
  describeRatios,
  medianCost,
  withRunCost,
  type RunCost,
} from './support/run-cost.js';
import { createBenchDatabase, type BenchDatabase, type BenchServer } from './support/server.js';
import { formatNumber, summarize, timed, type Summary } from './support/stats.js';

/** Steps in the chain (the definition of the benchmark). */
export const CHAIN_LENGTH = 200;

/** Published per-task overheads of other orchestrators, for scale. */
const PUBLISHED =
  'published for scale: Prefect 3.4 ms in-process, Temporal (tuned) 19 ms, Hatchet 31 ms per task';

function chainAssets(length: number): AnyAssetDefinition[] {
  const assets: AnyAssetDefinition[] = [];
  for (let i = 1; i <= length; i++) {
    const previous = assets.at(-1);
    const key = `a${String(i).padStart(3, '0')}`;
    assets.push(noopAsset(key, previous ? { deps: { previous } } : {}));
  }
  return assets;
}

/** The graph of the benchmark's chain. */
export function chainGraph(): AssetGraph {
  return graphOf(chainAssets(CHAIN_LENGTH));
}

/**
 * ms for a raw graphile-worker chain of `length` jobs, each handler adding the next; with
 * `server`, also the chain's RunCost (the worker's start and stop are outside the window).
 */
export async function queueChain(
  database: BenchDatabase,
  length: number,
  server?: BenchServer,
): Promise<{ ms: number; cost: RunCost | undefined }> {
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  events.on('job:complete', ({ job }) => {
    if ((job.payload as { n: number }).n === length) done();
  });
  const runner = await run({
    pgPool: database.pool,
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 250,
    logger: new Logger(() => () => {}),
    events,
    taskList: {
      bench_hop: async (payload, helpers) => {
        const { n } = payload as { n: number };
        if (n < length) await helpers.addJob('bench_hop', { n: n + 1 });
      },
    },
  });
  try {
    const hops = async (): Promise<void> => {
      await runner.addJob('bench_hop', { n: 1 });
      await finished;
    };
    if (server === undefined) return { ms: (await timed(hops)).ms, cost: undefined };
    const { ms, cost } = await withRunCost(server, hops);
    return { ms, cost };
  } finally {
    await runner.stop();
  }
}

/** Wall ms/step and RunCost/step of one engine's timed chains. */
interface ChainMeasurement {
  readonly msPerStep: Summary;
  readonly costPerStep: RunCost;
}

function perStep(costs: readonly RunCost[]): ChainMeasurement {
  return {
    msPerStep: summarize(costs.map((c) => c.wallMs / CHAIN_LENGTH)),
    costPerStep: costPerUnit(medianCost(costs), CHAIN_LENGTH),
  };
}

/** DBOS's chain: a warm-up workflow, then `reps` timed ones, DBOS stopped in any case. */
async function dbosChains(
  server: BenchServer,
  reps: number,
): Promise<{ version: string; costs: RunCost[] }> {
  const dbos = await startDbosBaseline(server, 'chain');
  try {
    await dbos.chain(20); // warm-up
    const costs: RunCost[] = [];
    for (let rep = 0; rep < reps; rep++) {
      costs.push((await withRunCost(server, () => dbos.chain(CHAIN_LENGTH))).cost);
    }
    return { version: dbos.version, costs };
  } finally {
    await dbos.stop();
  }
}

export const chainBenchmark: Benchmark = {
  name: 'chain',
  description: `per-step overhead of a sequential chain of ${CHAIN_LENGTH} no-op assets, beside graphile-worker and DBOS`,
  async run(context: BenchContext): Promise<BenchResult> {
    const { server } = context;
    const database = await createBenchDatabase(server, 'chain');
    try {
      const graph = chainGraph();
      const artifacts = tempArtifacts();
      const reps = Math.max(3, context.reps);
      const details: string[] = [];

      // Warm-up: the first run materializes the missing chain (connections, JIT of the code).
      const first = await timed(() =>
        materializeAll(database, graph, { concurrency: 1, artifacts }),
      );
      context.log(`chain: first run (all missing) ${formatNumber(first.ms)} ms`);

      // Each engine is measured alone on the server (DBOS is launched only for its own turn),
      // so the server-wide WAL and transaction counters are its own.
      const strataCosts: RunCost[] = [];
      const concurrency2: number[] = [];
      let lastRunId = 0;
      for (let rep = 0; rep < reps; rep++) {
        for (const concurrency of [1, 2]) {
          const { ms, result, cost } = await withRunCost(server, () =>
            materializeAll(database, graph, { concurrency, force: true, artifacts }),
          );
          if (concurrency === 1) {
            lastRunId = result.summary.runId;
            strataCosts.push(cost);
          } else concurrency2.push(ms);
          context.log(`chain: --force, concurrency ${concurrency}: ${formatNumber(ms)} ms`);
        }
      }
      const strata = perStep(strataCosts);
      const breakdown = describeBreakdown(await stepBreakdown(database.db, lastRunId, true));

      await queueChain(database, 20); // warm-up
      const queueCosts: RunCost[] = [];
      for (let rep = 0; rep < reps; rep++) {
        queueCosts.push((await queueChain(database, CHAIN_LENGTH, server)).cost!);
      }
      const queue = perStep(queueCosts);

      const { version: dbosVersion, costs: dbosCosts } = await dbosChains(server, reps);
      const dbos = perStep(dbosCosts);
      context.log(`chain: DBOS ${formatNumber(dbos.msPerStep.median)} ms/step`);

      const versusDbos = costRatios(strata.costPerStep, dbos.costPerStep);
      const versusQueue = costRatios(strata.costPerStep, queue.costPerStep);
      const range = (s: Summary): string =>
        `${formatNumber(s.median)} ms/step [${formatNumber(s.min)}-${formatNumber(s.max)}]`;
      details.push(
        `ratios strata/DBOS ${formatNumber(versusDbos.wallMs)}x, strata/graphile-worker ${formatNumber(versusQueue.wallMs)}x (ms/step, medians)`,
        `per-step cost ratios strata/DBOS: ${describeRatios(versusDbos)}; strata/graphile-worker: ${describeRatios(versusQueue)}`,
        `DBOS Transact ${dbosVersion} (one workflow of ${CHAIN_LENGTH} DBOS.runStep no-ops): ${range(dbos.msPerStep)}`,
        `per step, median of ${reps} (CPU from process.cpuUsage and /proc of every PostgreSQL process; WAL from pg_current_wal_lsn; statements = queries sent (pg Query.submit), one round trip each; write transactions = transaction ids assigned):`,
        `  strata materialize() --force: ${describeCost(strata.costPerStep)}`,
        `  DBOS Transact: ${describeCost(dbos.costPerStep)}`,
        `  graphile-worker hop: ${describeCost(queue.costPerStep)}`,
        `first run (all missing, no --force): ${formatNumber(first.ms / CHAIN_LENGTH)} ms/step`,
        `materialize(--force) concurrency 1: ${formatNumber(strata.msPerStep.median)} ms/step; concurrency 2: ${formatNumber(summarize(concurrency2).median / CHAIN_LENGTH)} ms/step (median of ${reps}, wall time of materialize() incl. planning / ${CHAIN_LENGTH})`,
        breakdown,
        PUBLISHED,
      );
      return {
        name: 'chain',
        metric: `ms per step, ${CHAIN_LENGTH}-asset sequential chain, concurrency 1`,
        unit: 'ms',
        ours: { label: `materialize() --force / ${CHAIN_LENGTH}`, summary: strata.msPerStep },
        baseline: { label: 'graphile-worker job-adds-next-job hop', summary: queue.msPerStep },
        target: { value: 2, kind: 'max' },
        details,
        data: {
          ratios: { strataToDbos: versusDbos, strataToGraphileWorker: versusQueue },
          dbosVersion,
          strata,
          dbos,
          graphileWorker: queue,
        },
      };
    } finally {
      await database.drop();
    }
  },
};
