// What the API says of an attempt that ran as a Slurm job (docs/slurm.md): the run's attempts
// and the materialization's provenance carry the job's id, state, node, partition and accounting
// as the trackers recorded them; an attempt computed in a worker has none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvenanceResponse } from '../../src/server/schemas/materialization-schemas.js';
import { RunDetail } from '../../src/server/schemas/run-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import { bodyOf, getJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
let app: StrataApp;

beforeAll(() => {
  app = testApp(database, testGraph(), artifacts);
});
afterAll(async () => {
  await app.close();
});

/** A finished run of one step with one attempt, recorded as `slurm` says. */
async function recordedRun(slurm: boolean): Promise<{ runId: number; materializationId: number }> {
  const db = database.db;
  const run = await db
    .insertInto('strata_internal.runs')
    .values({ status: 'succeeded', selection: 'geometry', host: 'test', options: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const step = await db
    .insertInto('strata_internal.steps')
    .values({
      run_id: run.id,
      asset_key: 'geometry',
      partition_key: '',
      status: 'succeeded',
      deps_remaining: 0,
      attempts: 1,
      max_attempts: 1,
      code_version: 'g1',
      finished_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const attempt = await db
    .insertInto('strata_internal.attempts')
    .values({
      step_id: step.id,
      run_id: run.id,
      number: 1,
      worker_id: slurm ? 'slurm:41@node1:77' : 'ws-07:12:abc',
      status: 'succeeded',
      finished_at: new Date(),
      ...(slurm
        ? {
            slurm_job_id: '41',
            slurm_state: 'COMPLETED',
            slurm_nodes: 'node1',
            slurm_partition: 'debug',
            slurm_elapsed_s: 12,
            slurm_cpu_s: 11.5,
            slurm_max_rss_bytes: 1_572_864,
          }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const materialization = await db
    .insertInto('strata_internal.materializations')
    .values({
      asset_key: 'geometry',
      partition_key: '',
      run_id: run.id,
      step_id: step.id,
      attempt_id: attempt.id,
      code_version: 'g1',
      data_version: 'd1',
      input_hash: `h-${run.id}`,
      value: JSON.stringify(1),
      value_size: 1,
      finished_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('strata_internal.latest_materializations')
    .values({
      asset_key: 'geometry',
      partition_key: '',
      materialization_id: materialization.id,
      code_version: 'g1',
      data_version: 'd1',
      input_hash: `h-${run.id}`,
      materialized_at: new Date(),
    })
    .onConflict((oc) =>
      oc
        .columns(['asset_key', 'partition_key'])
        .doUpdateSet({ materialization_id: materialization.id }),
    )
    .execute();
  return { runId: run.id, materializationId: materialization.id };
}

describe('an attempt that ran as a Slurm job', () => {
  it.each([
    [
      'as a Slurm job',
      true,
      {
        jobId: '41',
        state: 'COMPLETED',
        nodes: 'node1',
        partition: 'debug',
        elapsedSeconds: 12,
        cpuSeconds: 11.5,
        maxRssBytes: 1_572_864,
      },
    ],
    ['in a worker', false, null],
  ] as const)('is described %s by the run and the provenance', async (_, slurm, expected) => {
    const { runId, materializationId } = await recordedRun(slurm);
    const run = bodyOf(await getJson(app, `/api/runs/${runId}`), RunDetail);
    expect(run.attempts.map((a) => a.slurm)).toEqual([expected]);
    const provenance = bodyOf(
      await getJson(app, `/api/materializations/${materializationId}`),
      ProvenanceResponse,
    );
    expect(provenance.slurm).toEqual(expected);
  });
});
