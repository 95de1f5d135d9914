// The CAE study (assets/bracket/index.ts) with its CalculiX solve sent to a real single-node Slurm
// cluster by configuration only ($STRATA_CAE_SLURM, docs/slurm.md): `strata materialize` of a
// 2-design DOE submits each plate/fea_run attempt as a job of its own; the job loads the same
// definitions (the small design space through $STRATA_SLURM_EXPORT, the worker's state directory
// as $STRATA_HOME), starts the `cae` tool server on the node in the worker's own CAE work
// directory and runs exactly one ccx there; the metrics and the Pareto front are computed in the
// CLI's worker from the jobs' results. Skips, printing why, only when Slurm cannot be installed
// or gmsh/ccx are not on PATH.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_FILES } from '../../assets/tools/cae/run-files.js';
import { skipWithoutCae } from '../assets/cae-fixtures.js';
import { useTestDatabase } from '../support/database.js';
import { startSlurmCluster, type SlurmCluster } from '../support/slurm-cluster.js';
import { designSpaceFile } from './cae-design-spaces.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli } from './cli-process.js';

const skipCae = skipWithoutCae('the CAE study on Slurm');
const cluster: SlurmCluster = skipCae
  ? { available: false, reason: 'gmsh or ccx is missing' }
  : await startSlurmCluster();
if (!skipCae && !cluster.available)
  console.warn(`skipping the CAE study on Slurm: ${cluster.reason}`);
afterAll(async () => {
  if (cluster.available) await cluster.stop();
});

const database = useTestDatabase();
const DEFINITIONS = path.join(REPO_ROOT, 'assets/bracket/index.ts');
const DESIGNS = 2;

describe.skipIf(!cluster.available)('the CAE study with plate/fea_run on Slurm', () => {
  it('solves every design in a job of its own, one ccx start each, in the worker`s work directory', async () => {
    const { env, stateDir } = cluster.available ? cluster : { env: {}, stateDir: '' };
    // Everything under the cluster's job area, which the jobs can reach.
    const jobDir = await mkdtemp(path.join(stateDir, 'jobs', 'cae-study-'));
    const home = path.join(jobDir, 'home');
    const materialize = startCli(['materialize', '--concurrency', '2'], {
      databaseUrl: database.url,
      definitions: DEFINITIONS,
      env: {
        ...env,
        // No $STRATA_CAE_WORK: the worker's CAE work directory is $STRATA_HOME/cae-work, and
        // the jobs must find the same one.
        STRATA_HOME: home,
        STRATA_ARTIFACT_STORE: path.join(jobDir, 'artifacts'),
        STRATA_BRACKET_DESIGN_SPACE: designSpaceFile(jobDir, { samples: DESIGNS }),
        STRATA_SLURM_EXPORT: 'STRATA_BRACKET_DESIGN_SPACE',
        STRATA_SLURM_JOB_DIR: jobDir,
        STRATA_SLURM_POLL: '300ms',
        STRATA_CAE_SLURM: JSON.stringify({ time: '10:00', cpus: 1 }),
      },
    });
    const result = await materialize.done;
    expect(result.code, result.stderr).toBe(0);

    const solves = await database.db
      .selectFrom('strata_internal.materializations as m')
      .innerJoin('strata_internal.attempts as a', 'a.id', 'm.attempt_id')
      .select(['m.id', 'm.partition_key', 'm.worker_id', 'm.value', 'a.slurm_job_id'])
      .where('m.asset_key', '=', 'plate/fea_run')
      .execute();
    expect(solves.map((s) => s.partition_key).sort()).toEqual(['d01', 'd02']);
    expect(new Set(solves.map((s) => s.slurm_job_id)).size).toBe(DESIGNS);
    const runs = path.join(home, 'cae-work', 'runs');
    for (const solve of solves) {
      expect(solve.slurm_job_id).toMatch(/^\d+$/);
      expect(solve.worker_id).toMatch(new RegExp(`^slurm:${solve.slurm_job_id}@`));
      // The job's `cae` server ran ccx in the worker's work directory, exactly once.
      const runDir = path.join(runs, (solve.value as { runId: string }).runId);
      const starts = await readFile(path.join(runDir, RUN_FILES.starts), 'utf8');
      expect(starts.trim().split('\n')).toHaveLength(1);
      // Claimed by the wrapper on the node: `pid host`.
      const claim = await readFile(path.join(runDir, RUN_FILES.started), 'utf8');
      expect(claim.trim().split(' ')[1]).toBe(hostname());
    }
    // No other ccx run anywhere: one run directory per design, beside the worker's meshes.
    expect((await readdir(runs)).filter((name) => name.startsWith('ccx-'))).toHaveLength(DESIGNS);
    expect((await readdir(path.join(home, 'cae-work', 'mesh'))).length).toBeGreaterThan(0);

    // Each job's solve is its own submit / wait / fetch on the `cae` server.
    const calls = await database.db
      .selectFrom('strata_internal.tool_calls')
      .select(['materialization_id', 'tool'])
      .where('status', '=', 'succeeded')
      .where('server', '=', 'cae')
      .where(
        'materialization_id',
        'in',
        solves.map((s) => s.id),
      )
      .execute();
    for (const solve of solves)
      expect(
        calls
          .filter((c) => c.materialization_id === solve.id)
          .map((c) => c.tool)
          .sort(),
      ).toEqual(['solve.fetch', 'solve.submit', 'solve.wait']);

    // The run's log says where each solve went.
    const submitted = await database.db
      .selectFrom('strata_internal.events')
      .select(['message', 'data'])
      .where('kind', '=', 'step_submitted')
      .execute();
    expect(submitted.map((e) => (e.data as { jobId: string }).jobId).sort()).toEqual(
      solves.map((s) => s.slurm_job_id).sort(),
    );
    for (const event of submitted)
      expect(event.message).toMatch(/^plate\/fea_run\[d0\d\] submitted as Slurm job \d+$/);

    // The metrics and the front: computed in the CLI's worker, from the jobs' results.
    const downstream = await database.db
      .selectFrom('strata_internal.materializations')
      .select(['asset_key', 'worker_id', 'value'])
      .where('asset_key', 'in', ['plate/metrics', 'plate/pareto_front'])
      .execute();
    expect(downstream.filter((m) => m.asset_key === 'plate/metrics')).toHaveLength(DESIGNS);
    expect(downstream.filter((m) => m.asset_key === 'plate/pareto_front')).toHaveLength(1);
    expect(downstream.every((m) => !m.worker_id!.startsWith('slurm:'))).toBe(true);
    for (const m of downstream.filter((m) => m.asset_key === 'plate/metrics'))
      expect((m.value as { kt: number }).kt).toBeGreaterThan(2);
  }, 300_000);
});
