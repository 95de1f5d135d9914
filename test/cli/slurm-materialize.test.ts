// `strata materialize` with $STRATA_SLURM_JOB_DIR on a real single-node Slurm cluster: the step of
// a Slurm-executed asset runs as a job of `strata slurm-step` (the built CLI) with the same
// definitions, and records its own materialization. Skips, printing why, only when Slurm cannot
// be installed.
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { startSlurmCluster } from '../support/slurm-cluster.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

const cluster = await startSlurmCluster();
if (!cluster.available) console.warn(`skipping the Slurm CLI test: ${cluster.reason}`);
afterAll(async () => {
  if (cluster.available) await cluster.stop();
});

const database = useTestDatabase();
const DEFINITIONS = path.join(REPO_ROOT, 'test/fixtures/slurm/assets.ts');

describe.skipIf(!cluster.available)('strata materialize with Slurm', () => {
  it('runs the Slurm-executed step as a job configured from the environment', async () => {
    const { env, stateDir } = cluster.available ? cluster : { env: {}, stateDir: '' };
    const jobDir = await mkdtemp(path.join(stateDir, 'jobs', 'cli-'));
    const result = await runCli(
      [
        'materialize',
        'slurm_fixture/base,slurm_fixture/square',
        '--definitions',
        DEFINITIONS,
        '--artifact-store',
        path.join(jobDir, 'artifacts'),
      ],
      {
        databaseUrl: database.url,
        env: {
          ...env,
          STRATA_SLURM_JOB_DIR: jobDir,
          STRATA_SLURM_POLL: '300ms',
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
        },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const materialization = await database.db
      .selectFrom('strata_internal.materializations')
      .select(['value', 'worker_id'])
      .where('asset_key', '=', 'slurm_fixture/square')
      .executeTakeFirstOrThrow();
    const value = materialization.value as { value: number; jobId: string };
    expect(value.value).toBe(49);
    expect(materialization.worker_id).toMatch(new RegExp(`^slurm:${value.jobId}@`));
  }, 90_000);
});
