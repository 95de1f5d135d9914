// cae-study: the 16-design CAE study (assets/bracket/: Gmsh CAD and mesh, CalculiX solve through
// the `cae` MCP server) end to end, process start to exit, `strata materialize --concurrency 1`
// on a fresh database, artifact store and CAE work directory each time, against its baseline in
// the same run: the same tool calls with the same arguments made by a plain script
// (bench/fixtures/cae-direct.ts), serially, no database. Interleaved, one of each in turn. The
// ratio is what strata costs over calling the tools yourself; the details split strata's run
// into its tool calls and the rest. Needs gmsh and ccx on PATH and `npm run build`.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingProgramError, findProgram } from '../assets/tools/cae/binaries.js';
import { runNode } from './support/node-process.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase } from './support/server.js';
import { formatNumber, summarize } from './support/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/strata.js');
const BUILT_CLI = path.join(ROOT, 'dist/cli/main.js');
const DEFINITIONS = path.join(ROOT, 'assets/bracket/index.ts');
const DIRECT = path.join(ROOT, 'bench/fixtures/cae-direct.ts');
/** strata may add at most this fraction to calling the tools yourself. */
const TARGET_RATIO = 1.3;

/** One strata run: its wall time, the run's own duration and its tool calls' total. */
interface StrataSample {
  readonly ms: number;
  readonly runMs: number;
  readonly callMs: number;
  readonly calls: number;
}

async function strataOnce(context: BenchContext, scratch: string): Promise<StrataSample> {
  const database = await createBenchDatabase(context.server, 'cae');
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      DATABASE_URL: database.url,
      STRATA_HOME: path.join(scratch, 'home'),
      STRATA_CAE_WORK: path.join(scratch, 'cae-work'),
    };
    delete env.STRATA_DEFINITIONS;
    delete env.STRATA_CAE_URL;
    delete env.STRATA_BRACKET_DESIGN_SPACE;
    const args = [BIN, 'materialize', '--definitions', DEFINITIONS, '--concurrency', '1'];
    const { ms } = await runNode(
      [...args, '--artifact-store', path.join(scratch, 'artifacts')],
      env,
      ROOT,
    );
    const run = await database.db
      .selectFrom('strata_internal.runs')
      .select(['created_at', 'finished_at', 'status'])
      .executeTakeFirstOrThrow();
    if (run.status !== 'succeeded') throw new Error(`the CAE study's run ${run.status}`);
    const calls = await database.db
      .selectFrom('strata_internal.tool_calls')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.sum<number>('duration_ms').as('ms')])
      .executeTakeFirstOrThrow();
    return {
      ms,
      runMs: new Date(run.finished_at!).getTime() - new Date(run.created_at).getTime(),
      callMs: Number(calls.ms),
      calls: Number(calls.n),
    };
  } finally {
    await database.drop();
  }
}

async function directOnce(scratch: string): Promise<{ ms: number; callMs: number; calls: number }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    STRATA_ARTIFACT_STORE: path.join(scratch, 'artifacts'),
    STRATA_CAE_WORK: path.join(scratch, 'cae-work'),
  };
  const { ms, stdout } = await runNode(['--import', 'tsx', DIRECT], env, ROOT);
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    calls: number;
    callMs: Record<string, number>;
  };
  const callMs = Object.values(report.callMs).reduce((a, b) => a + b, 0);
  return { ms, callMs, calls: report.calls };
}

export const caeStudyBenchmark: Benchmark = {
  name: 'cae-study',
  description: 'the 16-design Gmsh/CalculiX study end to end vs the same tool calls from a script',
  async run(context: BenchContext): Promise<BenchResult> {
    if (!existsSync(BUILT_CLI))
      throw new Error(
        `the CLI is not built (${BUILT_CLI} is missing): run \`npm run build\` first`,
      );
    for (const program of ['gmsh', 'ccx'] as const)
      if (findProgram(program) === undefined) throw new MissingProgramError(program);
    const ours: StrataSample[] = [];
    const direct: { ms: number; callMs: number; calls: number }[] = [];
    for (let rep = 0; rep < context.reps; rep++) {
      // Alternating which goes first: load and caches affect both alike.
      const pair = [
        async () => {
          const scratch = await mkdtemp(path.join(os.tmpdir(), 'strata-bench-cae-'));
          try {
            ours.push(await strataOnce(context, scratch));
          } finally {
            await rm(scratch, { recursive: true, force: true });
          }
        },
        async () => {
          const scratch = await mkdtemp(path.join(os.tmpdir(), 'strata-bench-cae-direct-'));
          try {
            direct.push(await directOnce(scratch));
          } finally {
            await rm(scratch, { recursive: true, force: true });
          }
        },
      ];
      for (const step of rep % 2 === 0 ? pair : pair.reverse()) await step();
      context.log(
        `cae-study rep ${rep + 1}: strata ${formatNumber(ours.at(-1)!.ms)} ms, script ${formatNumber(direct.at(-1)!.ms)} ms`,
      );
    }
    const oursSummary = summarize(ours.map((s) => s.ms / 1000));
    const directSummary = summarize(direct.map((s) => s.ms / 1000));
    const median = (values: number[]) => summarize(values).median;
    const runMs = median(ours.map((s) => s.runMs));
    const oursCallMs = median(ours.map((s) => s.callMs));
    const directCallMs = median(direct.map((s) => s.callMs));
    const strataOwnMs = median(ours.map((s) => s.runMs - s.callMs));
    return {
      name: 'cae-study',
      metric: 's per 16-design study, serial, process start to exit',
      unit: 's',
      ours: { label: '`strata materialize --concurrency 1`', summary: oursSummary },
      baseline: { label: 'the same tool calls from a script', summary: directSummary },
      target: { value: Number((directSummary.median * TARGET_RATIO).toFixed(1)), kind: 'max' },
      details: [
        `strata's run ${formatNumber(runMs)} ms: its ${ours[0]!.calls} tool calls ${formatNumber(oursCallMs)} ms, the rest (planning, claiming, recording, holding keys) ${formatNumber(strataOwnMs)} ms = ${formatNumber((100 * strataOwnMs) / runMs)}% of the run`,
        `the script's ${direct[0]!.calls} calls ${formatNumber(directCallMs)} ms (strata's calls: ${formatNumber(oursCallMs / directCallMs)}x these)`,
        `target: at most ${TARGET_RATIO}x the script's end-to-end time`,
      ],
      data: { runMs, oursCallMs, directCallMs, strataOwnMs, ours, direct },
    };
  },
};
