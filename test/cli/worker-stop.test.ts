// Stopping a real `strata worker` as operators do. SIGTERM (a stop that outlasts the lease): it
// keeps heartbeating until its running steps are finished, starts nothing new, gives unstarted
// steps back to the queue for the other worker, and ends `stopped`, never `lost`. A second
// SIGTERM: the running steps are interrupted and handed back. Either way every asset partition
// is materialized exactly once.
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { createRun, startWorkerPool, watchRun, type WorkerPool } from '../../src/executor/index.js';
import { buildAssetGraph } from '../../src/graph/index.js';
import { createPlan } from '../../src/planner/index.js';
import longSteps, { STEP_PARTITIONS } from '../fixtures/cli/long-steps.js';
import { materializationCounts, runEvents, waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const database = useTestDatabase();
const LONG_STEPS = path.join(REPO_ROOT, 'test/fixtures/cli/long-steps.ts');
/** Shorter than one step (2.5 s): a stopping worker that stopped heartbeating would be lost. */
const LEASE = '1s';

let worker: CliProcess | undefined;
let survivor: WorkerPool | undefined;
afterEach(async () => {
  worker?.child.kill('SIGKILL');
  await survivor?.stop();
  worker = survivor = undefined;
});

async function runningAttemptsOf(workerId: string) {
  return database.db
    .selectFrom('strata_internal.attempts')
    .select(['id', 'step_id'])
    .where('worker_id', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}

/** A run of 8 steps in 4 jobs of 2, a CLI worker running two of them, and an idle survivor. */
async function workerInTheMiddleOfARun() {
  const graph = buildAssetGraph(longSteps);
  const plan = await createPlan(database.db, graph, undefined, { force: true });
  // Concurrency 1 for the run: 8 steps in 4 jobs of 2, so the worker holds jobs with a step it
  // has not started when it is told to stop.
  const runId = await createRun(database.db, {
    plan,
    options: { concurrency: 1, force: true, partitions: [] },
    trigger: 'test',
  });
  worker = startCli(['worker', '--concurrency', '2', '--lease', LEASE, '--json'], {
    databaseUrl: database.url,
    definitions: LONG_STEPS,
    env: { STRATA_HOME: mkdtempSync(path.join(tmpdir(), 'strata-stop-')) },
  });
  const workerId = (await worker.stdoutMatch(/"workerId": "([^"]+)"/))[1]!;
  const startedBeforeStop = await waitFor('the worker to run two steps', async () => {
    const running = await runningAttemptsOf(workerId);
    return running.length === 2 ? running : undefined;
  });
  // The other worker joins; then the first is asked to stop in the middle of its steps.
  survivor = await startWorkerPool(
    testEngine(database, graph, {
      artifacts: new LocalArtifactStore(mkdtempSync(path.join(tmpdir(), 'strata-stop-a-'))),
    }),
    { concurrency: 2, leaseMs: 1_000 },
  );
  return { runId, workerId, worker, startedBeforeStop };
}

/** The run succeeded with one materialization per partition; returns its attempts. */
async function expectEveryPartitionOnce(runId: number) {
  const final = await watchRun(database.db, database.pool, runId, () => undefined);
  expect(final.status).toBe('succeeded');
  expect(await materializationCounts(database, runId)).toEqual(
    Object.fromEntries(STEP_PARTITIONS.map((p) => [`work[${p}]`, 1])),
  );
  return database.db
    .selectFrom('strata_internal.attempts')
    .select(['id', 'step_id', 'worker_id', 'status'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
}

async function workerStatus(workerId: string) {
  const row = await database.db
    .selectFrom('strata_internal.workers')
    .select('status')
    .where('id', '=', workerId)
    .executeTakeFirstOrThrow();
  return row.status;
}

describe('SIGTERM to strata worker', () => {
  it(
    'finishes its running steps while heartbeating, hands back the rest and ends stopped',
    { timeout: 90_000 },
    async () => {
      const { runId, workerId, worker, startedBeforeStop } = await workerInTheMiddleOfARun();
      worker.child.kill('SIGTERM');
      const stopped = await worker.done;
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stderr).toContain('SIGTERM: finishing running steps');
      expect(stopped.stderr).not.toMatch(/queue (error|warning)/);

      const attempts = await expectEveryPartitionOnce(runId);
      // Nothing was lost, taken over or started twice: one attempt per step.
      expect(await runEvents(database, runId, 'attempt_lost')).toEqual([]);
      expect(attempts).toHaveLength(STEP_PARTITIONS.length);
      expect(new Set(attempts.map((a) => a.step_id)).size).toBe(STEP_PARTITIONS.length);
      expect(attempts.every((a) => a.status === 'succeeded')).toBe(true);
      // The stopping worker finished what it had started, and started nothing after SIGTERM.
      const its = attempts.filter((a) => a.worker_id === workerId).map((a) => a.step_id);
      expect(its.sort()).toEqual(startedBeforeStop.map((a) => a.step_id).sort());
      expect(await workerStatus(workerId)).toBe('stopped');
    },
  );

  it(
    'a second time interrupts the running steps and hands them back to the other worker',
    { timeout: 90_000 },
    async () => {
      const { runId, workerId, worker, startedBeforeStop } = await workerInTheMiddleOfARun();
      worker.child.kill('SIGTERM');
      await worker.stderrMatch(/SIGTERM: finishing running steps/);
      worker.child.kill('SIGTERM');
      const stopped = await worker.done;
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stderr).toContain('interrupting running steps; they go back to the queue');

      const attempts = await expectEveryPartitionOnce(runId);
      // The interrupted attempts were handed back (lost, not failed or cancelled) and the
      // survivor ran those steps; no other attempt was lost.
      const handedBack = await runEvents(database, runId, 'attempt_lost');
      expect(handedBack.map((e) => e.step_id).sort()).toEqual(
        startedBeforeStop.map((a) => a.step_id).sort(),
      );
      expect(handedBack.every((e) => e.message.includes('stopped at once'))).toBe(true);
      const its = attempts.filter((a) => a.worker_id === workerId);
      expect(its.every((a) => a.status === 'lost')).toBe(true);
      expect(attempts.filter((a) => a.status === 'succeeded')).toHaveLength(STEP_PARTITIONS.length);
      expect(await workerStatus(workerId)).toBe('stopped');
    },
  );
});
