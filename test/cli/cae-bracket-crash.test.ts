// A worker SIGKILLed while CalculiX solves one design of the CAE study (assets/bracket/index.ts),
// through the real CLI and engine: ccx, detached from the worker, carries on; once the victim is
// declared lost, `strata materialize --resume RUN` takes the step over, and its solve.submit finds
// the run already started (the run is named by its deck) and reattaches to it with solve.wait.
// So: exactly one ccx start for the run (the run directory's start records), exactly one
// materialization of that fea_run partition, and the step's attempts show the takeover. The mesh
// is fine enough for ccx to run for seconds (the moment to kill the worker). Skips, saying why,
// without gmsh/ccx.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RUN_FILES } from '../../assets/tools/cae/run-files.js';
import { skipWithoutCae } from '../assets/cae-fixtures.js';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { designSpaceFile, SLOW_MESH } from './cae-design-spaces.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const skip = skipWithoutCae('the CAE study crash test (a worker killed during a ccx solve)');
const database = useTestDatabase();
const DEFINITIONS = path.join(REPO_ROOT, 'assets/bracket/index.ts');

const dir = mkdtempSync(path.join(tmpdir(), 'strata-cae-crash-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

let victim: CliProcess | undefined;
afterEach(() => {
  victim?.child.kill('SIGKILL');
  victim = undefined;
});

describe.skipIf(skip)('a worker killed while ccx solves', () => {
  it(
    'leaves one ccx run and one materialization: the survivor reattaches',
    { timeout: 240_000 },
    async () => {
      const work = path.join(dir, 'cae-work');
      const runs = path.join(work, 'runs');
      const options = {
        databaseUrl: database.url,
        definitions: DEFINITIONS,
        env: {
          STRATA_HOME: path.join(dir, 'home'),
          STRATA_CAE_WORK: work,
          STRATA_BRACKET_DESIGN_SPACE: designSpaceFile(dir, { samples: 1, mesh: SLOW_MESH }),
        },
      };
      const store = ['--artifact-store', path.join(dir, 'artifacts')];
      const t0 = Date.now();
      victim = startCli(['materialize', '--lease', '1s', ...store], options);
      // The moment ccx is running: its run claimed, no exit status yet.
      const runDir = await waitFor(
        'ccx to start',
        async () => {
          const found = existsSync(runs) ? readdirSync(runs) : [];
          const started = found
            .map((name) => path.join(runs, name))
            .find((run) => existsSync(path.join(run, RUN_FILES.started)));
          return started;
        },
        { timeoutMs: 120_000, intervalMs: 20 },
      );
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      await victim.done;
      const killedMidSolve = !existsSync(path.join(runDir, RUN_FILES.exitStatus));
      expect(killedMidSolve, 'ccx had already finished when the worker was killed').toBe(true);

      const run = await database.db
        .selectFrom('strata_internal.runs')
        .select('id')
        .executeTakeFirstOrThrow();
      const survivor = await startCli(
        ['materialize', '--resume', String(run.id), '--lease', '1s', ...store],
        options,
      ).done;
      expect(survivor.code, survivor.stderr).toBe(0);
      const ccxSeconds = readFileSync(path.join(runDir, RUN_FILES.starts), 'utf8').split(' ')[1];
      console.log(
        `worker killed ${killedAt - t0} ms after the start (ccx started at epoch ${ccxSeconds?.trim()}), ` +
          `the survivor finished ${Date.now() - killedAt} ms after the kill`,
      );

      // One run directory, one ccx start in it.
      expect(readdirSync(runs)).toEqual([path.basename(runDir)]);
      const starts = readFileSync(path.join(runDir, RUN_FILES.starts), 'utf8').trim().split('\n');
      expect(starts).toHaveLength(1);
      // One materialization of the partition, by the survivor's attempt after the victim's.
      const materializations = await database.db
        .selectFrom('strata_internal.materializations')
        .select('id')
        .where('asset_key', '=', 'plate/fea_run')
        .where('partition_key', '=', 'd01')
        .execute();
      expect(materializations).toHaveLength(1);
      const attempts = await database.db
        .selectFrom('strata_internal.attempts as a')
        .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
        .select(['a.number', 'a.status', 'a.worker_id'])
        .where('s.asset_key', '=', 'plate/fea_run')
        .orderBy('a.id')
        .execute();
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(attempts.at(-1)!.status).toBe('succeeded');
      expect(new Set(attempts.map((a) => a.worker_id)).size).toBeGreaterThanOrEqual(2);
    },
  );
});
