// The Slurm executor end to end on a real single-node Slurm cluster: a worker (this process)
// submits the attempts of Slurm-executed assets as jobs and moves on; each job runs its attempt
// (`strata slurm-step`, the built CLI, on test/fixtures/slurm/assets.ts) and records the outcome through the completion path; the
// tracker polls the jobs and fails the attempts of jobs that failed, timed out, or ended without
// the step recording anything. Skips, printing why, only when Slurm cannot be installed.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAssetGraph } from '../../src/graph/index.js';
import {
  cancelRun,
  createEngine,
  createRun,
  materialize,
  startWorkerPool,
} from '../../src/executor/index.js';
import { createPlan } from '../../src/planner/index.js';
import { loadProvenance } from '../../src/provenance/index.js';
import { createSlurmClient } from '../../src/executor/slurm/client.js';
import type { SlurmSettings } from '../../src/executor/slurm/settings.js';
import definitions from '../fixtures/slurm/assets.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import { startSlurmCluster } from '../support/slurm-cluster.js';

const cluster = await startSlurmCluster();
if (!cluster.available) console.warn(`skipping the Slurm executor tests: ${cluster.reason}`);
afterAll(async () => {
  if (cluster.available) await cluster.stop();
});

const database = useTestDatabase();
/** The built CLI (npm test builds it first): the jobs run `strata slurm-step`. */
const BIN = fileURLToPath(new URL('../../bin/strata.js', import.meta.url));
const DEFINITIONS = fileURLToPath(new URL('../fixtures/slurm/assets.ts', import.meta.url));
/** Slurm checks time limits every 30 s: a 1-minute limit ends a job within about 90 s. */
const TIMEOUT_BOUND_MS = 180_000;

describe.skipIf(!cluster.available)('Slurm executor', () => {
  const graph = buildAssetGraph(definitions);

  async function engineWithSlurm(name: string) {
    const { env, stateDir } = cluster.available ? cluster : { env: {}, stateDir: '' };
    const jobDir = path.join(stateDir, 'jobs', name);
    await mkdir(jobDir, { recursive: true });
    const artifacts = tempArtifacts();
    const settings: SlurmSettings = {
      client: createSlurmClient({ env, scriptDir: path.join(stateDir, 'scripts') }),
      jobDir,
      command: [process.execPath, BIN],
      jobEnv: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        STRATA_DEFINITIONS: DEFINITIONS,
      },
      secrets: { DATABASE_URL: database.url, STRATA_ARTIFACT_STORE: artifacts.root },
      pollIntervalMs: 300,
    };
    return {
      engine: createEngine({ database, graph, artifacts, log: () => undefined, slurm: settings }),
      artifacts,
      jobDir,
    };
  }

  const attemptsOf = (runId: number, key: string) =>
    database.db
      .selectFrom('strata_internal.attempts as a')
      .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
      .selectAll('a')
      .where('s.run_id', '=', runId)
      .where('s.asset_key', '=', key)
      .orderBy('a.number')
      .execute();

  /** The status of a run, step or worker. */
  const statusOf = async (
    table: 'strata_internal.runs' | 'strata_internal.steps' | 'strata_internal.workers',
    id: number | string,
  ): Promise<string> =>
    (
      await database.db
        .selectFrom(table)
        .select('status')
        .where('id', '=', id as never)
        .executeTakeFirstOrThrow()
    ).status;

  async function jobOutput(jobDir: string): Promise<string> {
    const dir = path.join(jobDir, 'output');
    const files = await readdir(dir).catch(() => []);
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    return files.map((f, i) => `== ${f}\n${texts[i]}`).join('\n');
  }

  it('runs a step as a Slurm job that records its own materialization, once', async () => {
    const { engine, artifacts, jobDir } = await engineWithSlurm('success');
    const outcome = await materialize(engine, {
      selection: 'slurm_fixture/base,slurm_fixture/square',
      concurrency: 1,
    });
    if (outcome.kind !== 'run') throw new Error('expected a run');
    const { runId, status } = outcome.summary;
    expect(status, await jobOutput(jobDir)).toBe('succeeded');
    const materializations = await database.db
      .selectFrom('strata_internal.materializations')
      .selectAll()
      .where('asset_key', '=', 'slurm_fixture/square')
      .execute();
    expect(materializations).toHaveLength(1);
    const [m] = materializations;
    const value = m!.value as { value: number; jobId: string; mesh: { artifact: string } };
    expect(value.value).toBe(49);
    expect(m!.worker_id).toMatch(new RegExp(`^slurm:${value.jobId}@${m!.host}:\\d+$`));
    // The job registered as a worker while it ran (its tool calls' holds are alive) and stopped.
    const jobWorker = await database.db
      .selectFrom('strata_internal.workers')
      .select(['status', 'host'])
      .where('id', '=', m!.worker_id!)
      .executeTakeFirstOrThrow();
    expect(jobWorker.status).toBe('stopped');
    const [attempt] = await attemptsOf(runId, 'slurm_fixture/square');
    expect(attempt).toMatchObject({ status: 'succeeded', slurm_job_id: value.jobId });
    // The job's artifact is in the worker's store.
    expect((await artifacts.read(value.mesh as never)).toString()).toBe('mesh of 7');
  }, 120_000);

  it(
    'fails attempts whose job failed, timed out or ended without recording the step, naming the Slurm state; retries per policy',
    async () => {
      const { engine, jobDir } = await engineWithSlurm('failures');
      const outcome = await materialize(engine, {
        selection: 'slurm_fixture/throws,slurm_fixture/exits,slurm_fixture/overruns',
        concurrency: 3,
      });
      if (outcome.kind !== 'run') throw new Error('expected a run');
      const { runId, status } = outcome.summary;
      expect(status).toBe('failed');
      const output = await jobOutput(jobDir);
      // The compute's own error is recorded by the job, and retried once (maxAttempts 2).
      const thrown = await attemptsOf(runId, 'slurm_fixture/throws');
      expect(
        thrown.map((a) => a.status),
        output,
      ).toEqual(['failed', 'failed']);
      for (const attempt of thrown) {
        expect(attempt.error?.message).toMatch(/solver diverged/);
        expect(attempt.slurm_job_id).toMatch(/^\d+$/);
      }
      expect(thrown[0]!.slurm_job_id).not.toBe(thrown[1]!.slurm_job_id);
      // Exit code 0 without a recorded outcome is a failure: the exit code is not trusted.
      const [exited] = await attemptsOf(runId, 'slurm_fixture/exits');
      expect(exited).toMatchObject({
        status: 'failed',
        slurm_state: 'COMPLETED',
        slurm_exit_code: '0:0',
      });
      expect(exited!.error?.message).toMatch(
        /^Slurm job \d+ ended COMPLETED on \S+ in partition debug after \d+ s, exit code 0, signal 0, but the step recorded no outcome/,
      );
      // Past its time limit Slurm ends the job with TIMEOUT: the tracker fails the attempt.
      const [overran] = await attemptsOf(runId, 'slurm_fixture/overruns');
      expect(overran).toMatchObject({
        status: 'failed',
        slurm_state: 'TIMEOUT',
        slurm_reason: 'TimeLimit',
      });
      expect(overran!.error?.message).toMatch(/^Slurm job \d+ ended TIMEOUT \(reason TimeLimit\)/);
      expect(overran!.slurm_elapsed_s).toBeGreaterThanOrEqual(60);
      expect(overran!.slurm_ended_at).not.toBeNull();
    },
    TIMEOUT_BOUND_MS,
  );

  it('keeps a job running when its submitting worker dies; another worker tracks it to one materialization', async () => {
    const { engine, jobDir } = await engineWithSlurm('restart');
    const runId = await createRun(database.db, {
      plan: await createPlan(database.db, graph, 'slurm_fixture/slow', { force: true }),
      options: { concurrency: 1, force: true, partitions: [] },
      trigger: 'test',
    });
    const first = await startWorkerPool(engine, { concurrency: 1, leaseMs: 1_000 });
    const submitted = await waitFor(async () => {
      const [attempt] = await attemptsOf(runId, 'slurm_fixture/slow');
      return attempt?.slurm_job_id ? attempt : undefined;
    }, 30_000);
    // The worker dies: it stops without a word, its last heartbeat long ago.
    await first.stop();
    await database.db
      .updateTable('strata_internal.workers')
      .set({ status: 'alive', heartbeat_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', first.workerId)
      .execute();
    const second = await startWorkerPool(engine, { concurrency: 1, leaseMs: 1_000 });
    try {
      const finished = await waitFor(async () => {
        const status = await statusOf('strata_internal.runs', runId);
        return status === 'running' ? undefined : status;
      }, 60_000);
      expect(finished, await jobOutput(jobDir)).toBe('succeeded');
      // The surviving worker's tracker sees the job end (the run may finish first: the job
      // records its own outcome).
      await waitFor(async () => {
        const [attempt] = await attemptsOf(runId, 'slurm_fixture/slow');
        return attempt?.slurm_ended_at ?? undefined;
      }, 30_000);
    } finally {
      await second.stop();
    }
    expect(await statusOf('strata_internal.workers', first.workerId)).toBe('lost');
    // The job's attempt was never handed back: one attempt, one materialization, by the job.
    const attempts = await attemptsOf(runId, 'slurm_fixture/slow');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      id: submitted.id,
      status: 'succeeded',
      slurm_state: 'COMPLETED',
    });
    const materializations = await database.db
      .selectFrom('strata_internal.materializations')
      .select(['id', 'value', 'worker_id'])
      .where('run_id', '=', runId)
      .execute();
    expect(materializations).toEqual([
      {
        id: expect.any(Number),
        value: submitted.slurm_job_id,
        worker_id: expect.stringMatching(`^slurm:${submitted.slurm_job_id}@`),
      },
    ]);
    // Its provenance names the job, where it ran and for how long.
    const provenance = await loadProvenance(database.db, materializations[0]!.id);
    expect(provenance.slurm).toMatchObject({
      jobId: submitted.slurm_job_id,
      state: 'COMPLETED',
      partition: 'debug',
      nodes: expect.any(String),
    });
    expect(provenance.slurm!.elapsedSeconds).toBeGreaterThanOrEqual(6);
  }, 120_000);

  it('cancels the jobs of a cancelled run with scancel; their attempts end cancelled', async () => {
    const { engine } = await engineWithSlurm('cancel');
    const runId = await createRun(database.db, {
      plan: await createPlan(database.db, graph, 'slurm_fixture/sleeper', { force: true }),
      options: { concurrency: 1, force: true, partitions: [] },
      trigger: 'test',
    });
    const pool = await startWorkerPool(engine, { concurrency: 1 });
    try {
      await waitFor(async () => {
        const [attempt] = await attemptsOf(runId, 'slurm_fixture/sleeper');
        return attempt?.slurm_state === 'RUNNING' ? attempt : undefined;
      }, 30_000);
      expect(await cancelRun(database.db, runId, 'test')).toBe(true);
      const ended = await waitFor(async () => {
        const [attempt] = await attemptsOf(runId, 'slurm_fixture/sleeper');
        return attempt?.status === 'running' ? undefined : attempt;
      }, 30_000);
      expect(ended).toMatchObject({ status: 'canceled', slurm_state: 'CANCELLED' });
      expect(ended.error?.message).toMatch(
        /^Slurm job \d+ ended CANCELLED .*; its run was cancelled$/,
      );
      expect(await statusOf('strata_internal.steps', ended.step_id)).toBe('canceled');
    } finally {
      await pool.stop();
    }
  }, 90_000);
});

/** Polls `probe` until it returns a value (a bounded wait for an external process). */
async function waitFor<T>(probe: () => Promise<T | undefined>, boundMs: number): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
