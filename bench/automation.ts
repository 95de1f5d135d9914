// automation: one tick of the automation daemon over 1,000 eager assets (10 chains of 100,
// identity mappings) x 1,000 static partitions: 1,000,000 partitions, one materialization each,
// all fresh (bench/automation-fixture.ts). Headline: the tick after 10 partitions of every chain
// root got new data (100 root partitions, so 9,900 downstream partitions go stale and are
// launched as one run, planned and recorded as the real launcher does but not executed).
// Details: the first tick of a new daemon (full evaluation), a tick where nothing changed, a
// change of 1,000 root partitions, memory, and where a change tick's time goes (each part called
// directly, then a CPU profile of a tick). Baseline: the bare read of the 1,000,000
// latest-materialization rows through the same Kysely connection.
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { AutomationDaemon, type TickResult } from '../src/automation/index.js';
import { selectionText } from '../src/automation/launch-runs.js';
import { selectCandidates } from '../src/automation/select-candidates.js';
import { createRun } from '../src/executor/index.js';
import {
  createPlan,
  loadPartitionActivity,
  resolvePartitionSets,
  StatusCache,
} from '../src/planner/index.js';
import {
  loadConsumedInputs,
  loadLatest,
  loadLatestSince,
  maxLatestMaterializationId,
} from '../src/provenance/index.js';
import {
  automationGraph,
  changeRoots,
  dropRuns,
  PARTITIONS,
  RecordingStarter,
  revertRoots,
  SHAPE,
  type Launch,
} from './automation-fixture.js';
import { startProfiler } from './support/cpu-profile.js';
import { observeGc } from './support/gc.js';
import { generateHistory } from './planning.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase } from './support/server.js';
import { formatNumber as f, summarize, timed, type Summary } from './support/stats.js';

/** Partitions of every chain root that get new data in a change tick. */
const CHANGED = 10;
const STALE = CHANGED * SHAPE.chains * (SHAPE.chainLength - 1);
const n = (value: number): string => value.toLocaleString('en-US');
const ms = (s: Summary): string => `${f(s.median)} ms [${f(s.min)}-${f(s.max)}]`;

/** Partitions a tick launched, checked against what it should have done. */
function counted(result: TickResult, expectLaunched: number): string {
  if (result.status !== 'succeeded') throw new Error(`tick: ${JSON.stringify(result)}`);
  const launched = result.launched.reduce((sum, entry) => sum + entry.partitions.length, 0);
  if (launched !== expectLaunched || result.held.length > 0)
    throw new Error(`tick: expected ${expectLaunched} partitions launched, got ${launched}`);
  return `${n(result.evaluatedPartitions)} partitions evaluated, ${n(launched)} launched`;
}

export const automationBenchmark: Benchmark = {
  name: 'automation',
  description: `one automation tick over ${n(PARTITIONS)} eager asset partitions`,
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'automation');
    const collections = observeGc();
    const memory = { heap: 0, rss: 0 };
    const sampler = setInterval(() => {
      const { heapUsed, rss } = process.memoryUsage();
      memory.heap = Math.max(memory.heap, heapUsed);
      memory.rss = Math.max(memory.rss, rss);
    }, 100).unref();
    try {
      const generation = await timed(() => generateHistory(database, SHAPE));
      context.log(`automation: generated the history in ${f(generation.ms)} ms`);
      const { db } = database;
      const graph = automationGraph();
      const automated = [...graph.order];
      const starter = new RecordingStarter(db, graph);
      const daemonOf = () => new AutomationDaemon({ database, graph }, { launcher: starter });
      let offset = 0;
      const change = async (count: number): Promise<void> => {
        await changeRoots(db, offset, count);
        offset = (offset + count) % SHAPE.partitions;
      };
      /** A tick after `change(count)`, then the change undone and the run dropped. */
      const changeTick = async (daemon: AutomationDaemon, count: number) => {
        await change(count);
        const start = performance.now();
        const tick = await daemon.tick();
        const end = performance.now();
        const words = counted(tick, count * (STALE / CHANGED)); // so it launched one run
        const launch = starter.launches.at(-1)!;
        await revertRoots(db);
        await dropRuns(db, launch.runId === null ? [] : [launch.runId]);
        return { ms: end - start, gc: await collections.between(start, end), launch, words };
      };

      // Interleaved: a new daemon's first tick, a tick where nothing changed, a change tick and
      // the baseline read; repetition -1 warms up (its first tick is the process's first).
      const samples = {
        cold: [] as number[],
        steady: [] as number[],
        change: [] as number[],
        gc: [] as number[],
        majorGc: [] as number[],
      };
      const baseSamples: number[] = [];
      const launches: Launch[] = [];
      const words: Record<string, string> = {};
      let firstTick = 0;
      for (let rep = -1; rep < context.reps; rep++) {
        const daemon = daemonOf();
        try {
          const cold = await timed(() => daemon.tick());
          words.cold = counted(cold.result, 0);
          const steady = await timed(() => daemon.tick());
          words.steady = counted(steady.result, 0);
          const changed = await changeTick(daemon, CHANGED);
          words.change = changed.words;
          const base = await timed(() =>
            db.selectFrom('strata_internal.latest_materializations').selectAll().execute(),
          );
          if (rep < 0) {
            firstTick = cold.ms;
            continue;
          }
          samples.cold.push(cold.ms);
          samples.steady.push(steady.ms);
          samples.change.push(changed.ms);
          samples.gc.push(changed.gc.all);
          samples.majorGc.push(changed.gc.major);
          baseSamples.push(base.ms);
          launches.push(changed.launch);
          context.log(
            `automation: rep ${rep + 1}: first tick ${f(cold.ms)} ms, nothing changed ${f(steady.ms)} ms, after a change ${f(changed.ms)} ms, baseline ${f(base.ms)} ms`,
          );
        } finally {
          await daemon.stop();
        }
      }
      const cold = summarize(samples.cold);
      const steady = summarize(samples.steady);
      const headline = summarize(samples.change);
      const details = [
        `${n(SHAPE.chains)} chains of ${SHAPE.chainLength} eager assets x ${n(SHAPE.partitions)} static partitions, 1 materialization each, generated in ${f(generation.ms / 1000)} s`,
        `tick after ${n(CHANGED * SHAPE.chains)} root partitions changed (headline): ${words.change}; its launch: createPlan ${ms(summarize(launches.map((l) => l.planMs)))} (from the tick's statuses), createRun ${ms(summarize(launches.map((l) => l.createRunMs)))} (${n(STALE)} steps); garbage collection during the tick ${ms(summarize(samples.gc))}, of which major ${ms(summarize(samples.majorGc))}`,
        `first tick of a new daemon (full evaluation): ${ms(cold)} (${words.cold}); the process's first tick ${f(firstTick)} ms`,
        `tick where nothing changed: ${ms(steady)} (${words.steady})`,
      ];
      details.push(...(await breakdown())); // its StatusCache is garbage before the next one
      details.push(...(await profiledTicks()));

      /** Where a change tick's time goes: its parts one by one. */
      async function breakdown(): Promise<string[]> {
        const order = graph.sortTopologically(graph.withUpstream(automated));
        const cache = new StatusCache(graph, automated);
        const full = await timed(() => cache.refresh(db, new Date()));
        const sets = await timed(() => resolvePartitionSets(db, graph, order));
        const latest = await timed(() => loadLatest(db, order));
        const idle = await timed(() => cache.refresh(db, new Date()));
        // The parts of a change tick, `reps` times: change, parts, undo, refresh to take it in.
        const parts = new Map<string, number[]>();
        const part = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
          const { ms: took, result } = await timed(fn);
          parts.set(name, [...(parts.get(name) ?? []), took]);
          return result;
        };
        let counts = { rows: 0, evaluated: 0, pending: 0, selected: 0, launch: 0, text: 0 };
        for (let rep = 0; rep < context.reps; rep++) {
          const before = await maxLatestMaterializationId(db);
          await change(CHANGED);
          const now = new Date();
          const refresh = await part('refresh', () => cache.refresh(db, now));
          const { report } = refresh;
          await part('since', () => loadLatestSince(db, before, []));
          await part('maxId', () => maxLatestMaterializationId(db));
          await part('sets', () => resolvePartitionSets(db, graph, order));
          const pendingIds: number[] = [];
          for (const statuses of report.statuses.values()) {
            for (const s of statuses.values()) {
              if (s.status === 'stale' && s.causes.some((c) => c.category !== 'upstream'))
                pendingIds.push(s.latest.materializationId);
            }
          }
          await part('consumed', () => loadConsumedInputs(db, pendingIds));
          const activity = await part('activity', () => loadPartitionActivity(db, automated));
          await part('backoff', () =>
            db
              .selectFrom('strata_internal.automation_backoff')
              .selectAll()
              .where('asset_key', 'in', automated)
              .execute(),
          );
          const selection = await part('selection', async () =>
            selectCandidates({
              report,
              automated,
              activity,
              backoff: new Map(),
              cronLaunches: new Map(),
              lookaheadMs: () => 0,
              now,
            }),
          );
          const text = await part('text', async () => selectionText(selection.launch, report));
          const plan = await part('plan', () => createPlan(db, graph, text, { report }));
          const runId = await part('run', () =>
            createRun(db, {
              plan,
              options: { concurrency: 2, force: false, partitions: [] },
              trigger: 'automation',
            }),
          );
          counts = {
            rows: refresh.rowsRead,
            evaluated: refresh.evaluated,
            pending: pendingIds.length,
            selected: selection.evaluated,
            launch: plan.steps.length,
            text: text.length,
          };
          await dropRuns(db, [runId]);
          await revertRoots(db);
          await cache.refresh(db, new Date());
        }
        const median = (name: string): number => summarize(parts.get(name)!).median;
        const t = (name: string): string => `${f(median(name))} ms`;
        const queries = Math.max(median('since'), median('maxId'), median('sets'));
        const walk = median('refresh') - queries - median('consumed');
        const lines = [
          `full evaluation (StatusCache's first refresh) ${f(full.ms)} ms: resolvePartitionSets ${f(sets.ms)} ms and loadLatest of ${n(PARTITIONS)} rows ${f(latest.ms)} ms (in parallel), in-memory walk ~${f(full.ms - Math.max(sets.ms, latest.ms))} ms; a refresh with nothing changed ${f(idle.ms)} ms`,
          `a change tick's parts called one by one (medians of ${context.reps}): StatusCache refresh ${t('refresh')} (${n(counts.rows)} rows read, ${n(counts.evaluated)} partitions evaluated) = queries in parallel (loadLatestSince ${t('since')}, resolvePartitionSets ${t('sets')}, max id ${t('maxId')}) + consumed inputs of the ${n(counts.pending)} partitions with new input data ${t('consumed')} + in-memory walk ~${f(walk)} ms; ` +
            `loadPartitionActivity ${t('activity')} and backoff ${t('backoff')} (in parallel with the refresh; the steps table holds only the runs under way); ` +
            `selectCandidates ${t('selection')} (${n(counts.selected)} partitions, ${n(counts.launch)} to launch); selectionText ${t('text')} (${n(counts.text)} characters); ` +
            `createPlan from the statuses ${t('plan')}; createRun ${t('run')}`,
        ];
        return lines;
      }

      /** A change tick under the CPU profiler, and a tick after a bigger change. */
      async function profiledTicks(): Promise<string[]> {
        const lines: string[] = [];
        const daemon = daemonOf();
        try {
          await daemon.tick();
          await daemon.tick();
          const profiler = await startProfiler();
          const tick = await changeTick(daemon, CHANGED);
          const profile = await profiler.stop(12);
          const { planMs, createRunMs } = tick.launch;
          lines.push(
            `that tick whole under the CPU profiler ${f(tick.ms)} ms (createPlan ${f(planMs)} ms, createRun ${f(createRunMs)} ms, garbage collection ${f(tick.gc.all)} ms; the rest: lock, tick log, refresh, selection, backoff store)`,
            ...profile,
          );
          await daemon.tick(); // takes in the revert
          const big = await changeTick(daemon, CHANGED * 10);
          lines.push(
            `tick after ${n(CHANGED * 10 * SHAPE.chains)} root partitions changed: ${f(big.ms)} ms (${big.words}); createPlan ${f(big.launch.planMs)} ms, createRun ${f(big.launch.createRunMs)} ms, garbage collection ${f(big.gc.all)} ms`,
          );
        } finally {
          await daemon.stop();
        }
        return lines;
      }

      const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
      details.push(
        `Node memory while ticking: heap up to ${gib(memory.heap)} (limit ${gib(getHeapStatistics().heap_size_limit)}), RSS up to ${gib(memory.rss)}`,
      );
      return {
        name: 'automation',
        metric: `ms for one tick after ${n(CHANGED * SHAPE.chains)} root partitions changed (${n(PARTITIONS)} partitions)`,
        unit: 'ms',
        ours: {
          label: `AutomationDaemon.tick() launching ${n(STALE)} stale partitions`,
          summary: headline,
        },
        baseline: {
          label: `select * from latest_materializations (${n(PARTITIONS)} rows) via Kysely`,
          summary: summarize(baseSamples),
        },
        target: { value: 1000, kind: 'max' },
        details,
      };
    } finally {
      clearInterval(sampler);
      collections.stop();
      await database.drop();
    }
  },
};
