// chain: per-step overhead of a sequential chain of 200 no-op assets (a001 -> ... -> a200),
// durable (fsync on), against the minimum durable queue hop: a raw graphile-worker chain of
// 200 jobs in which each job's handler adds the next one.
import { EventEmitter } from 'node:events';
import { Logger, run, type WorkerEvents } from 'graphile-worker';
import type { AnyAssetDefinition } from '../src/definitions/index.js';
import { graphOf, materializeAll, noopAsset, tempArtifacts } from './support/engine.js';
import { describeBreakdown, stepBreakdown } from './support/breakdown.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchDatabase } from './support/server.js';
import { formatNumber, mapSummary, summarize, timed } from './support/stats.js';

/** Steps in the chain (the definition of the benchmark). */
const CHAIN_LENGTH = 200;

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

/** ms for a raw graphile-worker chain of `length` jobs, each handler adding the next. */
export async function queueChain(database: BenchDatabase, length: number): Promise<number> {
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
    const { ms } = await timed(async () => {
      await runner.addJob('bench_hop', { n: 1 });
      await finished;
    });
    return ms;
  } finally {
    await runner.stop();
  }
}

export const chainBenchmark: Benchmark = {
  name: 'chain',
  description: `per-step overhead of a sequential chain of ${CHAIN_LENGTH} no-op assets`,
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'chain');
    try {
      const graph = graphOf(chainAssets(CHAIN_LENGTH));
      const artifacts = tempArtifacts();
      const reps = Math.max(3, context.reps);
      const details: string[] = [];

      // Warm-up: the first run materializes the missing chain (connections, JIT of the code).
      const first = await timed(() =>
        materializeAll(database, graph, { concurrency: 1, artifacts }),
      );
      context.log(`chain: first run (all missing) ${formatNumber(first.ms)} ms`);
      details.push(
        `first run (all missing, no --force): ${formatNumber(first.ms / CHAIN_LENGTH)} ms/step`,
      );

      const perConcurrency = new Map<number, number[]>();
      let lastRunId = 0;
      for (let rep = 0; rep < reps; rep++) {
        for (const concurrency of [1, 2]) {
          const { ms, result } = await timed(() =>
            materializeAll(database, graph, { concurrency, force: true, artifacts }),
          );
          if (concurrency === 1) lastRunId = result.summary.runId;
          perConcurrency.set(concurrency, [...(perConcurrency.get(concurrency) ?? []), ms]);
          context.log(`chain: --force, concurrency ${concurrency}: ${formatNumber(ms)} ms`);
        }
      }
      const ours = mapSummary(summarize(perConcurrency.get(1)!), (ms) => ms / CHAIN_LENGTH);
      const c2 = mapSummary(summarize(perConcurrency.get(2)!), (ms) => ms / CHAIN_LENGTH);
      details.push(
        `materialize(--force) concurrency 1: ${formatNumber(ours.median)} ms/step; concurrency 2: ${formatNumber(c2.median)} ms/step (median of ${reps}, wall time of materialize() incl. planning / ${CHAIN_LENGTH})`,
      );
      details.push(describeBreakdown(await stepBreakdown(database.db, lastRunId, true)));

      await queueChain(database, 20); // warm-up
      const baselineSamples: number[] = [];
      for (let rep = 0; rep < reps; rep++) {
        baselineSamples.push((await queueChain(database, CHAIN_LENGTH)) / CHAIN_LENGTH);
      }
      details.push(PUBLISHED);
      return {
        name: 'chain',
        metric: `ms per step, ${CHAIN_LENGTH}-asset sequential chain, concurrency 1`,
        unit: 'ms',
        ours: { label: 'materialize() --force / 200', summary: ours },
        baseline: {
          label: 'graphile-worker job-adds-next-job hop',
          summary: summarize(baselineSamples),
        },
        target: { value: 2, kind: 'max' },
        details,
      };
    } finally {
      await database.drop();
    }
  },
};
