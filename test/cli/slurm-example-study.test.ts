// The example study with its finite-element solve sent to a real single-node Slurm cluster by
// configuration only ($STRATA_FEA_SLURM, docs/slurm.md): `strata materialize` submits each
// fea_run attempt as a job, the job starts the solver tool server on the node, calls it and
// records its own materialization; everything else runs in the CLI's worker. Each solve is one
// job (the run's log names it) and one tool call, and the materializations downstream read the
// jobs' results. Skips, printing why, only when Slurm cannot be installed.
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { startSlurmCluster } from '../support/slurm-cluster.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli } from './cli-process.js';

const cluster = await startSlurmCluster();
if (!cluster.available) console.warn(`skipping the example study on Slurm: ${cluster.reason}`);
afterAll(async () => {
  if (cluster.available) await cluster.stop();
});

const database = useTestDatabase();
const STUDY = path.join(REPO_ROOT, 'test/fixtures/cli/small-study.ts');
/** Design points of the fixture study. */
const DESIGNS = 4;

describe.skipIf(!cluster.available)('the example study with fea_run on Slurm', () => {
  it('solves every design in a job of its own, one tool call each', async () => {
    const { env, stateDir } = cluster.available ? cluster : { env: {}, stateDir: '' };
    const jobDir = await mkdtemp(path.join(stateDir, 'jobs', 'study-'));
    const materialize = startCli(['materialize', '--concurrency', '2'], {
      databaseUrl: database.url,
      definitions: STUDY,
      env: {
        ...env,
        STRATA_HOME: path.join(jobDir, 'home'),
        STRATA_ARTIFACT_STORE: path.join(jobDir, 'artifacts'),
        STRATA_SLURM_JOB_DIR: jobDir,
        STRATA_SLURM_POLL: '300ms',
        STRATA_FEA_SLURM: JSON.stringify({ time: '10:00', cpus: 1 }),
      },
    });
    const result = await materialize.done;
    expect(result.code, result.stderr).toBe(0);

    const solves = await database.db
      .selectFrom('strata_internal.materializations as m')
      .innerJoin('strata_internal.attempts as a', 'a.id', 'm.attempt_id')
      .select(['m.id', 'm.worker_id', 'a.slurm_job_id', 'a.slurm_state'])
      .where('m.asset_key', '=', 'fea_run')
      .execute();
    expect(solves).toHaveLength(DESIGNS);
    expect(new Set(solves.map((s) => s.slurm_job_id)).size).toBe(DESIGNS);
    for (const solve of solves) {
      expect(solve.slurm_job_id).toMatch(/^\d+$/);
      expect(solve.worker_id).toMatch(new RegExp(`^slurm:${solve.slurm_job_id}@`));
    }
    const calls = await database.db
      .selectFrom('strata_internal.tool_calls')
      .select(['materialization_id', 'server', 'tool'])
      .where('status', '=', 'succeeded')
      .where('server', '=', 'solver')
      .execute();
    expect(calls.map((c) => c.materialization_id).sort()).toEqual(solves.map((s) => s.id).sort());

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
      expect(event.message).toMatch(/^fea_run\[[\w-]+\] submitted as Slurm job \d+$/);

    // Computed in the CLI's worker, from the jobs' results.
    const metrics = await database.db
      .selectFrom('strata_internal.materializations')
      .select('worker_id')
      .where('asset_key', '=', 'metrics')
      .execute();
    expect(metrics).toHaveLength(DESIGNS);
    expect(metrics.every((m) => !m.worker_id!.startsWith('slurm:'))).toBe(true);
  }, 180_000);
});
