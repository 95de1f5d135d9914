// CalculiX killed from outside (SIGKILL, as the OOM killer or an operator does) while it solves a
// design of the CAE study (assets/bracket/index.ts), through the real CLI, engine and `cae` tool
// server. Once: the step sees solve.wait report the kill and submits the deck again in place of
// the dead run, and the study finishes: two run directories with one ccx start each, the first
// ended by SIGKILL, and one materialization of the partition, whose solve is the second run. At
// every start: the deck is started as often as the server allows (3), then the step fails with
// the reason (killed by SIGKILL, the limit) and what reads the solve is not computed. Skips,
// saying why, without gmsh/ccx.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RUN_FILES } from '../../assets/tools/cae/run-files.js';
import { ccxProcessesIn, skipWithoutCae } from '../assets/cae-fixtures.js';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { designSpaceFile, SLOW_MESH } from './cae-design-spaces.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const skip = skipWithoutCae('the CAE study with ccx killed mid-solve');
const database = useTestDatabase();
const DEFINITIONS = path.join(REPO_ROOT, 'assets/bracket/index.ts');
/** The server's limit of ccx starts per deck (assets/tools/cae/ccx-job.ts). */
const MAX_STARTS = 3;

const dir = mkdtempSync(path.join(tmpdir(), 'strata-cae-killed-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

let materialize: CliProcess | undefined;
afterEach(() => {
  materialize?.child.kill('SIGKILL');
  materialize = undefined;
});

/** The run directories under `runs` that started ccx, first generation first. */
function runDirs(runs: string): string[] {
  const found = existsSync(runs) ? readdirSync(runs).map((name) => path.join(runs, name)) : [];
  const generation = (run: string) =>
    (
      JSON.parse(readFileSync(path.join(run, RUN_FILES.submission), 'utf8')) as {
        generation?: number;
      }
    ).generation ?? 1;
  return found
    .filter((run) => existsSync(path.join(run, RUN_FILES.starts)))
    .sort((a, b) => generation(a) - generation(b));
}

/**
 * Kills the next ccx to run under `runs` that is not in `killed`; returns its run directory.
 * Fails, with what it printed, if `cli` ends first.
 */
async function killNextCcx(cli: CliProcess, runs: string, killed: Set<string>): Promise<string> {
  const ended = cli.done.then((result) => {
    throw new Error(
      `strata exited (${result.code}) before a ccx ran: ${result.stdout}${result.stderr}`,
    );
  });
  const found = waitFor(
    'a ccx to run',
    async () => {
      for (const candidate of existsSync(runs) ? readdirSync(runs) : []) {
        const run = path.join(runs, candidate);
        if (killed.has(run)) continue;
        const [ccx] = ccxProcessesIn(run);
        if (ccx !== undefined) return [run, ccx] as const;
      }
      return undefined;
    },
    { timeoutMs: 120_000, intervalMs: 20 },
  );
  const [run, pid] = await Promise.race([found, ended]);
  process.kill(pid, 'SIGKILL');
  killed.add(run);
  return run;
}

function studyOptions(name: string, mesh: Readonly<Record<string, number>>) {
  const home = path.join(dir, name);
  return {
    runs: path.join(home, 'cae-work', 'runs'),
    // One store for both: the second study reads the first's CAD revisions (one database).
    argv: ['materialize', '--artifact-store', path.join(dir, 'artifacts')],
    options: {
      databaseUrl: database.url,
      definitions: DEFINITIONS,
      env: {
        STRATA_HOME: path.join(home, 'state'),
        STRATA_CAE_WORK: path.join(home, 'cae-work'),
        STRATA_BRACKET_DESIGN_SPACE: designSpaceFile(dir, { samples: 1, mesh }, `${name}.json`),
      },
    },
  };
}

describe.skipIf(skip)('ccx killed while it solves a design of the study', () => {
  it(
    'once: the deck is started again in its place and the study finishes',
    { timeout: 240_000 },
    async () => {
      const { runs, argv, options } = studyOptions('once', SLOW_MESH);
      materialize = startCli(argv, options);
      const killedRun = await killNextCcx(materialize, runs, new Set());
      const result = await materialize.done;
      expect(result.code, result.stderr).toBe(0);

      const dirs = runDirs(runs);
      expect(dirs).toHaveLength(2);
      expect(dirs[0]).toBe(killedRun);
      expect(readFileSync(path.join(killedRun, RUN_FILES.exitStatus), 'utf8').trim()).toBe('137');
      for (const run of dirs) {
        const starts = readFileSync(path.join(run, RUN_FILES.starts), 'utf8').trim().split('\n');
        expect(starts, run).toHaveLength(1);
      }
      const solves = await database.db
        .selectFrom('strata_internal.materializations')
        .select(['value', 'metadata'])
        .where('asset_key', '=', 'plate/fea_run')
        .where('partition_key', '=', 'd01')
        .execute();
      expect(solves).toHaveLength(1);
      expect((solves[0]!.value as { runId: string }).runId).toBe(path.basename(dirs[1]!));
      const warned = await database.db
        .selectFrom('strata_internal.events')
        .select('message')
        .where('message', 'like', '%was killed by SIGKILL%')
        .execute();
      expect(warned.map((e) => e.message)).toEqual([
        expect.stringContaining(
          `ccx run ${path.basename(killedRun)} was killed by SIGKILL: deck started again as run ${path.basename(dirs[1]!)}`,
        ),
      ]);
      const metrics = await database.db
        .selectFrom('strata_internal.materializations')
        .select('id')
        .where('asset_key', '=', 'plate/metrics')
        .execute();
      expect(metrics).toHaveLength(1);
    },
  );

  it(
    `at every start: ${MAX_STARTS} starts, then the step fails saying why`,
    { timeout: 240_000 },
    async () => {
      // Another mesh: another deck, so runs of its own.
      const { runs, argv, options } = studyOptions('always', {
        ...SLOW_MESH,
        size_max_over_width: 0.016,
      });
      materialize = startCli(argv, options);
      const killed = new Set<string>();
      for (let start = 0; start < MAX_STARTS; start++) await killNextCcx(materialize, runs, killed);
      const result = await materialize.done;
      expect(result.code).not.toBe(0);
      expect(result.stdout + result.stderr).toMatch(/plate\/fea_run\[d01\]/);
      expect(result.stdout + result.stderr).toMatch(/started 3 times, the limit/);

      expect(runDirs(runs)).toHaveLength(MAX_STARTS);
      const run = await database.db
        .selectFrom('strata_internal.runs')
        .select(['id', 'status'])
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(run.status).toBe('failed');
      const step = await database.db
        .selectFrom('strata_internal.steps')
        .select(['status', 'error'])
        .where('run_id', '=', run.id)
        .where('asset_key', '=', 'plate/fea_run')
        .executeTakeFirstOrThrow();
      expect(step.status).toBe('failed');
      expect(JSON.stringify(step.error)).toMatch(/killed by SIGKILL|started 3 times/);
      const metrics = await database.db
        .selectFrom('strata_internal.materializations')
        .select('id')
        .where('run_id', '=', run.id)
        .where('asset_key', '=', 'plate/metrics')
        .execute();
      expect(metrics).toHaveLength(0);
    },
  );
});
