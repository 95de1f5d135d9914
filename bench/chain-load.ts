// chain-load: the 200-step chain of strata and of DBOS Transact, each run quiet and then with two
// busy-loop processes beside it (what a shared or busy machine does to a serial chain), and the
// slowdown factor loaded/quiet of each. Wall time suffers every round trip's scheduling delay;
// CPU per step should not, and is printed beside it.
import { CHAIN_LENGTH, chainGraph } from './chain.js';
import { startDbosBaseline } from './dbos-baseline.js';
import { startCpuHogs } from './support/cpu-hog.js';
import { startCpuMeter } from './support/cpu.js';
import { materializeAll, tempArtifacts } from './support/engine.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, type BenchServer } from './support/server.js';
import { formatNumber, summarize, timed, type Summary } from './support/stats.js';

/** Busy-loop processes beside the loaded runs: one per core of the 2-core reference machine. */
const HOGS = 2;

/** Wall and CPU (Node + PostgreSQL) ms per step of one chain. */
interface ChainSample {
  readonly msPerStep: number;
  readonly cpuMsPerStep: number;
}

/** Quiet and loaded samples of one engine, rep by rep. */
interface EngineSamples {
  readonly quiet: ChainSample[];
  readonly loaded: ChainSample[];
}

async function sampleChain(
  server: BenchServer,
  chain: () => Promise<unknown>,
): Promise<ChainSample> {
  const stopCpu = startCpuMeter(server.stateDir);
  const { ms } = await timed(chain);
  const cpu = stopCpu();
  return {
    msPerStep: ms / CHAIN_LENGTH,
    cpuMsPerStep: (cpu.nodeMs + (cpu.postgresMs ?? 0)) / CHAIN_LENGTH,
  };
}

const slowdowns = (samples: EngineSamples): Summary =>
  summarize(samples.loaded.map((loaded, i) => loaded.msPerStep / samples.quiet[i]!.msPerStep));

function describeEngine(label: string, samples: EngineSamples): string {
  const median = (values: number[]): string => formatNumber(summarize(values).median);
  const { quiet, loaded } = samples;
  return `${label}: quiet ${median(quiet.map((s) => s.msPerStep))} ms/step, loaded ${median(loaded.map((s) => s.msPerStep))} ms/step; CPU (Node + PostgreSQL) quiet ${median(quiet.map((s) => s.cpuMsPerStep))} ms/step, loaded ${median(loaded.map((s) => s.cpuMsPerStep))} ms/step`;
}

export const chainLoadBenchmark: Benchmark = {
  name: 'chain-load',
  description: `slowdown of the ${CHAIN_LENGTH}-step chain (strata and DBOS) with ${HOGS} busy-loop processes beside it`,
  async run(context: BenchContext): Promise<BenchResult> {
    const { server } = context;
    const database = await createBenchDatabase(server, 'chain_load');
    try {
      const graph = chainGraph();
      const artifacts = tempArtifacts();
      await materializeAll(database, graph, { concurrency: 1, artifacts }); // warm-up
      const strataChain = (): Promise<unknown> =>
        materializeAll(database, graph, { concurrency: 1, force: true, artifacts });
      const strata: EngineSamples = { quiet: [], loaded: [] };
      const dbos: EngineSamples = { quiet: [], loaded: [] };
      const dbosBaseline = await startDbosBaseline(server, 'chain_load');
      try {
        await dbosBaseline.chain(20); // warm-up
        const dbosChain = (): Promise<unknown> => dbosBaseline.chain(CHAIN_LENGTH);
        for (let rep = 0; rep < context.reps; rep++) {
          strata.quiet.push(await sampleChain(server, strataChain));
          dbos.quiet.push(await sampleChain(server, dbosChain));
          const hogs = await startCpuHogs(HOGS);
          try {
            strata.loaded.push(await sampleChain(server, strataChain));
            dbos.loaded.push(await sampleChain(server, dbosChain));
          } finally {
            await hogs.stop();
          }
          context.log(
            `chain-load: rep ${rep + 1}: strata ${formatNumber(strata.quiet.at(-1)!.msPerStep)} -> ${formatNumber(strata.loaded.at(-1)!.msPerStep)} ms/step, DBOS ${formatNumber(dbos.quiet.at(-1)!.msPerStep)} -> ${formatNumber(dbos.loaded.at(-1)!.msPerStep)} ms/step`,
          );
        }
      } finally {
        await dbosBaseline.stop();
      }
      const strataSlowdown = slowdowns(strata);
      const dbosSlowdown = slowdowns(dbos);
      const loadedMedian = (samples: EngineSamples): number =>
        summarize(samples.loaded.map((s) => s.msPerStep)).median;
      const details = [
        `ratios strata/DBOS: slowdown ${formatNumber(strataSlowdown.median / dbosSlowdown.median)}x, loaded ms/step ${formatNumber(loadedMedian(strata) / loadedMedian(dbos))}x`,
        describeEngine('strata materialize() --force', strata),
        describeEngine(`DBOS Transact ${dbosBaseline.version}`, dbos),
        `each rep: both chains quiet, then both with ${HOGS} child processes spinning a busy loop (killed after); slowdown = loaded / quiet ms/step of the same rep; target: not worse than DBOS's slowdown in the same run (issue 10)`,
      ];
      return {
        name: 'chain-load',
        metric: `slowdown factor (loaded / quiet ms per step) of the ${CHAIN_LENGTH}-step chain beside ${HOGS} busy loops`,
        unit: 'x',
        ours: { label: 'strata materialize() --force, concurrency 1', summary: strataSlowdown },
        baseline: {
          label: `DBOS Transact ${dbosBaseline.version}, one workflow of ${CHAIN_LENGTH} runStep no-ops`,
          summary: dbosSlowdown,
        },
        target: { value: Math.round(dbosSlowdown.median * 100) / 100, kind: 'max' },
        details,
        data: { hogs: HOGS, strata, dbos },
      };
    } finally {
      await database.drop();
    }
  },
};
