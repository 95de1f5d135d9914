// throughput: 10,000 no-op partitions of one asset materialized with full provenance, against
// raw graphile-worker no-op jobs (10,000 added in bulk, then one worker drains the queue) and
// DBOS Transact (10,000 one-step workflows started at once), on the same server in the same run.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { Logger, makeWorkerUtils, run, type WorkerEvents } from 'graphile-worker';
import { staticPartitions } from '../src/definitions/index.js';
import { startDbosBaseline } from './dbos-baseline.js';
import { describeCpu, startCpuMeter } from './support/cpu.js';
import { startWaitSampler } from './support/wait-sampler.js';
import { describeBreakdown, stepBreakdown } from './support/breakdown.js';
import { graphOf, materializeAll, noopAsset, tempArtifacts } from './support/engine.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchDatabase, type BenchServer } from './support/server.js';
import { formatNumber, summarize, timed } from './support/stats.js';

/** Partitions of the asset (the definition of the benchmark). */
const PARTITIONS = 10_000;
/** Worker concurrency of both ours and the baseline. */
const CONCURRENCY = 2;
/** Timed runs after the first one (each is 10,000 steps, so few). */
const RUNS = 2;

const quiet = new Logger(() => () => {});

/** Jobs per second of one graphile-worker draining `count` no-op jobs added in bulk. */
export async function queueThroughput(
  database: BenchDatabase,
  count: number,
  concurrency: number,
): Promise<number> {
  const utils = await makeWorkerUtils({ pgPool: database.pool, logger: quiet });
  try {
    const specs = Array.from({ length: count }, (_, i) => ({
      identifier: 'bench_noop',
      payload: { i },
    }));
    for (let i = 0; i < specs.length; i += 5_000) await utils.addJobs(specs.slice(i, i + 5_000));
  } finally {
    await utils.release();
  }
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  let completed = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  events.on('job:complete', () => {
    if (++completed === count) done();
  });
  const { ms } = await timed(async () => {
    const runner = await run({
      pgPool: database.pool,
      concurrency,
      noHandleSignals: true,
      pollInterval: 250,
      logger: quiet,
      events,
      taskList: { bench_noop: async () => {} },
    });
    await finished;
    await runner.stop();
  });
  return (count / ms) * 1000;
}

/** Workflows per second of DBOS fanning out `count` one-step workflows, `runs` times. */
async function dbosFanOut(
  server: BenchServer,
  count: number,
  runs: number,
): Promise<{ version: string; rates: number[]; cpu: string }> {
  const dbos = await startDbosBaseline(server, 'throughput');
  try {
    await dbos.fanOut(1_000); // warm-up
    const rates: number[] = [];
    let cpu = '';
    for (let rep = 0; rep < runs; rep++) {
      const meter = startCpuMeter(server.stateDir);
      const { ms } = await timed(() => dbos.fanOut(count));
      if (rep === 0) cpu = describeCpu(meter(), os.availableParallelism());
      rates.push((count / ms) * 1000);
    }
    return { version: dbos.version, rates, cpu };
  } finally {
    await dbos.stop();
  }
}

export const throughputBenchmark: Benchmark = {
  name: 'throughput',
  description: `${PARTITIONS.toLocaleString('en-US')} no-op partitions of one asset, full provenance`,
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'throughput');
    try {
      const keys = Array.from({ length: PARTITIONS }, (_, i) => `p${String(i).padStart(5, '0')}`);
      const graph = graphOf([noopAsset('wide', { partitions: staticPartitions(keys) })]);
      const artifacts = tempArtifacts();
      const details: string[] = [];

      const rates: number[] = [];
      for (let rep = 0; rep <= RUNS; rep++) {
        const force = rep > 0; // the first run materializes the missing partitions
        const meter = startCpuMeter(context.server.stateDir);
        const sampler =
          rep === RUNS ? await startWaitSampler(context.server, database.name) : undefined;
        const { ms, result } = await timed(() =>
          materializeAll(database, graph, { concurrency: CONCURRENCY, force, artifacts }),
        );
        const cpu = meter();
        const waits = await sampler?.stop();
        const rate = (PARTITIONS / ms) * 1000;
        const { planMs, createRunMs, executeMs } = result.phases;
        const label = force ? `--force run ${rep}` : 'first run (all missing)';
        context.log(
          `throughput: ${label}: ${formatNumber(ms)} ms, ${formatNumber(rate)} partitions/s`,
        );
        details.push(
          `${label}: ${formatNumber(rate)} partitions/s; phases: plan ${formatNumber(planMs)} ms, createRun ${formatNumber(createRunMs)} ms, execute ${formatNumber(executeMs)} ms; ${describeCpu(cpu, os.availableParallelism())}`,
        );
        if (force) rates.push(rate);
        if (rep === RUNS) {
          const b = await stepBreakdown(database.db, result.summary.runId, false);
          details.push(`last run, ${describeBreakdown(b)}`);
          if (waits) details.push(`last run, ${waits}`);
        }
      }

      await queueThroughput(database, 1_000, CONCURRENCY); // warm-up
      const baseline: number[] = [];
      for (let rep = 0; rep < RUNS; rep++) {
        const meter = startCpuMeter(context.server.stateDir);
        baseline.push(await queueThroughput(database, PARTITIONS, CONCURRENCY));
        if (rep === 0) details.push(`baseline ${describeCpu(meter(), os.availableParallelism())}`);
      }
      const dbos = await dbosFanOut(context.server, PARTITIONS, RUNS);
      context.log(`throughput: DBOS ${dbos.rates.map(formatNumber).join(', ')} workflows/s`);
      const ours = summarize(rates);
      const dbosRate = summarize(dbos.rates);
      // Rates: strata/other > 1 means strata is faster.
      const ratios = {
        strataToDbos: ours.median / dbosRate.median,
        strataToGraphileWorker: ours.median / summarize(baseline).median,
      };
      details.unshift(
        `ratios strata/DBOS ${formatNumber(ratios.strataToDbos)}x, strata/graphile-worker ${formatNumber(ratios.strataToGraphileWorker)}x (units/s, medians; > 1: strata faster)`,
        `DBOS Transact ${dbos.version} (${PARTITIONS.toLocaleString('en-US')} one-step workflows started at once with DBOS.startWorkflow, no queue, DBOS's default pool): ${formatNumber(dbosRate.median)} workflows/s [${dbos.rates.map(formatNumber).join(', ')}]; ${dbos.cpu}`,
      );
      return {
        name: 'throughput',
        metric: `partitions per second, ${PARTITIONS.toLocaleString('en-US')} no-op partitions, concurrency ${CONCURRENCY}`,
        unit: '/s',
        ours: { label: `materialize() --force, concurrency ${CONCURRENCY}`, summary: ours },
        baseline: {
          label: `graphile-worker no-op jobs, concurrency ${CONCURRENCY}`,
          summary: summarize(baseline),
        },
        target: { value: 5_000, kind: 'min' },
        details,
        data: { ratios, dbosVersion: dbos.version, dbosWorkflowsPerSecond: dbosRate },
      };
    } finally {
      await database.drop();
    }
  },
};
