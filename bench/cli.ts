// cli: `strata materialize` of a one-asset graph, process start to exit, with the embedded
// database already created and running (each timed run uses --force, so it does real work);
// against `node -e` connecting with pg to the same database and running `select 1`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase, databaseUrl } from './support/server.js';
import { formatNumber, summarize, type Summary } from './support/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/strata.js');
const BUILT_CLI = path.join(ROOT, 'dist/cli/main.js');
const DEFINITIONS = path.join(ROOT, 'bench/fixtures/one-asset.ts');
/** The embedded cluster's database the CLI uses (store/embedded-probe.ts). */
const EMBEDDED_DATABASE = 'strata';

const BASELINE_SCRIPT = `const pg = require('pg');
const client = new pg.Client({ connectionString: process.env.BENCH_URL });
client.connect().then(() => client.query('select 1')).then(() => client.end());`;

/** Runs a command to its exit; resolves with the wall time, rejects on a non-zero status. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

async function timeRuns(
  reps: number,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push(await timeProcess(args, env));
  return summarize(samples);
}

export const cliBenchmark: Benchmark = {
  name: 'cli',
  description: '`strata materialize` of a one-asset graph, process start to exit',
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
      if (fresh) {
        env.DATABASE_URL = fresh.url;
        env.STRATA_HOME = await mkdtemp(path.join(os.tmpdir(), 'strata-bench-cli-'));
      } else {
        env.STRATA_HOME = server.stateDir;
      }
      const url = fresh?.url ?? databaseUrl(server.adminUrl, EMBEDDED_DATABASE);
      const materialize = [BIN, 'materialize', '--definitions', DEFINITIONS];
      const details: string[] = [];

      const first = await timeProcess(materialize, env); // creates the schema and the asset
      details.push(
        `first run (migrates the database, materializes the missing asset): ${formatNumber(first)} ms`,
      );
      await timeProcess([...materialize, '--force'], env); // warm-up (file cache)
      const ours = await timeRuns(context.reps, [...materialize, '--force'], env);
      const baseline = await timeRuns(context.reps, ['-e', BASELINE_SCRIPT], {
        ...env,
        BENCH_URL: url,
      });
      const help = await timeRuns(context.reps, [BIN, '--help'], env);
      const nothing = await timeRuns(context.reps, materialize, env);
      const bare = await timeRuns(context.reps, ['-e', ''], env);
      details.push(
        `for the breakdown (medians): \`node -e ''\` ${formatNumber(bare.median)} ms; \`strata --help\` ${formatNumber(help.median)} ms; \`strata materialize\` with nothing to do (loads definitions, migrates, plans) ${formatNumber(nothing.median)} ms`,
      );
      return {
        name: 'cli',
        metric: 'ms from process start to exit, `strata materialize --force` of one asset',
        unit: 'ms',
        ours: { label: 'node bin/strata.js materialize --force', summary: ours },
        baseline: { label: 'node -e "pg connect; select 1"', summary: baseline },
        target: { value: 1000, kind: 'max' },
        details,
      };
    } finally {
      await fresh?.drop();
    }
  },
};
