// cli: process start to exit of read-only commands (`strata status`, `strata why`, `strata
// --help`) and of `strata materialize --force` of a one-asset graph, with the embedded database
// already created and running (or DATABASE_URL), interleaved with two baselines measured in the
// same run: `node -e 0` and `node -e` connecting with pg to the same database for `select 1`.
// The ratios to those baselines are what to compare across runs on a noisy machine.
// STRATA_BENCH_CLI_COMPARE=DIR adds `status` and `why` of another built checkout (e.g. the
// commit before a change) to the same interleaving: before and after under the same load.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from './support/node-process.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, databaseUrl } from './support/server.js';
import { formatNumber, interleave, type Summary } from './support/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/strata.js');
const BUILT_CLI = path.join(ROOT, 'dist/cli/main.js');
const DEFINITIONS_IN_REPO = 'bench/fixtures/one-asset.ts';
const DEFINITIONS = path.join(ROOT, DEFINITIONS_IN_REPO);
/** Another built checkout whose read-only commands are timed alongside, if any. */
const COMPARE = process.env.STRATA_BENCH_CLI_COMPARE;
/** The embedded cluster's database the CLI uses (store/embedded-probe.ts). */
const EMBEDDED_DATABASE = 'strata';

const BASELINE_SCRIPT = `const pg = require('pg');
const client = new pg.Client({ connectionString: process.env.BENCH_URL });
client.connect().then(() => client.query('select 1')).then(() => client.end());`;

/** Runs a command to its exit; resolves with the wall time, rejects on a non-zero status. */
async function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return (await runNode(args, env, ROOT)).ms;
}

/** A command to time: node's arguments, and environment variables on top of the bench's. */
interface TimedCommand {
  readonly label: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** `status` and `why` of the built checkout in `root` (its own bench fixture). */
function compared(root: string): TimedCommand[] {
  const bin = path.join(path.resolve(root), 'bin/strata.js');
  const definitions = ['--definitions', path.join(path.resolve(root), DEFINITIONS_IN_REPO)];
  return [
    { label: `\`strata status\` of ${root}`, args: [bin, 'status', ...definitions] },
    { label: `\`strata why one\` of ${root}`, args: [bin, 'why', 'one', ...definitions] },
  ];
}

/** What one timed command is, for the details. */
interface Timed {
  readonly label: string;
  readonly summary: Summary;
}

/** "label median ms (x.x times node -e 0, y.y times pg select 1)". */
function describe(timed: Timed, bare: Summary, pg: Summary): string {
  const { median } = timed.summary;
  return `${timed.label} ${formatNumber(median)} ms [${formatNumber(timed.summary.min)}-${formatNumber(timed.summary.max)}] = ${formatNumber(median / bare.median)}x \`node -e 0\`, ${formatNumber(median / pg.median)}x pg \`select 1\``;
}

export const cliBenchmark: Benchmark = {
  name: 'cli',
  description: '`strata status`, `why`, `--help` and `materialize`, process start to exit',
  async run(context: BenchContext): Promise<BenchResult> {
    if (!existsSync(BUILT_CLI)) {
      throw new Error(
        `the CLI is not built (${BUILT_CLI} is missing): run \`npm run build\` first`,
      );
    }
    const { server } = context;
    // The embedded server's own database, reached through STRATA_HOME as a user would; with
    // DATABASE_URL, a fresh database handed to the CLI through DATABASE_URL.
    const fresh =
      server.stateDir === undefined ? await createBenchDatabase(server, 'cli') : undefined;
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.DATABASE_URL;
      delete env.STRATA_DEFINITIONS;
      if (fresh) {
        env.DATABASE_URL = fresh.url;
        env.STRATA_HOME = await mkdtemp(path.join(os.tmpdir(), 'strata-bench-cli-'));
      } else {
        env.STRATA_HOME = server.stateDir;
      }
      const url = fresh?.url ?? databaseUrl(server.adminUrl, EMBEDDED_DATABASE);
      const definitions = ['--definitions', DEFINITIONS];
      const materialize = [BIN, 'materialize', ...definitions];

      const first = await timeProcess(materialize, env); // creates the schema and the asset
      const details = [
        `first run (migrates the database, materializes the missing asset): ${formatNumber(first)} ms`,
      ];
      const commands: readonly TimedCommand[] = [
        { label: '`node -e 0`', args: ['-e', '0'] },
        { label: '`node -e` pg select 1', args: ['-e', BASELINE_SCRIPT], env: { BENCH_URL: url } },
        { label: '`strata status`', args: [BIN, 'status', ...definitions] },
        { label: '`strata why one`', args: [BIN, 'why', 'one', ...definitions] },
        { label: '`strata --help`', args: [BIN, '--help'] },
        { label: '`strata materialize --force`', args: [...materialize, '--force'] },
        { label: '`strata materialize` (nothing to do)', args: materialize },
        ...(COMPARE === undefined ? [] : compared(COMPARE)),
      ];
      // Interleaved (one of each in turn, after one warm-up round): load and file-cache state
      // affect every command and baseline alike.
      const summaries = await interleave(
        1,
        context.reps,
        commands.map((command) => () => timeProcess(command.args, { ...env, ...command.env })),
      );
      const timed = commands.map((command, i) => ({
        label: command.label,
        summary: summaries[i]!,
      }));
      const [bare, pg, status] = [timed[0]!.summary, timed[1]!.summary, timed[2]!.summary];
      details.push(
        `baselines: ${timed[0]!.label} ${formatNumber(bare.median)} ms, ${timed[1]!.label} ${formatNumber(pg.median)} ms`,
        ...timed.slice(2).map((entry) => describe(entry, bare, pg)),
      );
      return {
        name: 'cli',
        metric: 'ms from process start to exit, `strata status` of one asset (database running)',
        unit: 'ms',
        ours: { label: 'node bin/strata.js status', summary: status },
        baseline: { label: 'node -e "pg connect; select 1"', summary: pg },
        target: { value: 500, kind: 'max' },
        details,
        data: Object.fromEntries(
          timed.map((entry) => [
            entry.label,
            {
              medianMs: entry.summary.median,
              timesNodeE0: entry.summary.median / bare.median,
              timesPgSelect1: entry.summary.median / pg.median,
            },
          ]),
        ),
      };
    } finally {
      await fresh?.drop();
    }
  },
};
