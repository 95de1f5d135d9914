// Durability: a worker process killed (SIGKILL) in the middle of a step loses nothing. A
// surviving worker declares it lost once its lease expires, takes its steps over, and the run
// finishes with exactly one materialization per asset partition.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { createRun, startWorkerPool, watchRun } from '../../src/executor/index.js';
import { createPlan } from '../../src/planner/index.js';
import { CRASH_PARTITIONS, crashGraph, HANG_ENV } from '../fixtures/crash-graph.js';
import { useTestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';
import { startChildWorker, useCrashScene } from './child-worker.js';
import {
  attemptStatuses,
  ComputeCounter,
  materializationCounts,
  queuedJobCount,
  runEvents,
  waitFor,
} from './helpers.js';

const database = useTestDatabase();
const LEASE_MS = 1_000;

const scene = useCrashScene();

describe('worker crash', () => {
  it(
    'takes over the steps of a killed worker process and finishes the run exactly once',
    { timeout: 60_000 },
    async () => {
      const counter = new ComputeCounter();
      const graph = crashGraph((key, partition) => counter.hit(key, partition));
      const artifactsDir = join(mkdtempSync(join(tmpdir(), 'strata-crash-')), 'artifacts');
      const plan = await createPlan(database.db, graph, undefined);
      const runId = await createRun(database.db, {
        plan,
        options: { concurrency: 2, force: false, partitions: [] },
        trigger: 'test',
      });

      const worker = startChildWorker(database.url, artifactsDir, {
        STRATA_LEASE_MS: String(LEASE_MS),
        [HANG_ENV]: '1',
      });
      scene.child = worker.process;
      const childWorkerId = await worker.ready;

      // The child computes seed, then hangs in both slow partitions: wait until it runs them.
      const slowSteps = await waitFor(
        'the child to be computing every slow partition',
        async () => {
          const rows = await database.db
            .selectFrom('strata_internal.attempts as a')
            .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
            .select(['s.id', 's.partition_key'])
            .where('a.worker_id', '=', childWorkerId)
            .where('a.status', '=', 'running')
            .where('s.asset_key', '=', 'slow')
            .execute();
          return rows.length === CRASH_PARTITIONS.length ? rows : undefined;
        },
      );

      worker.process.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');

      const survivor = (scene.survivor = await startWorkerPool(
        testEngine(database, graph, { artifacts: new LocalArtifactStore(artifactsDir) }),
        { concurrency: 2, leaseMs: LEASE_MS },
      ));
      const final = await watchRun(database.db, database.pool, runId, () => undefined);
      // The killed child's queue jobs were unlocked and run by the survivor: none is left over.
      await waitFor('the queue to drain', async () =>
        (await queuedJobCount(database)) === 0 ? true : undefined,
      );
      await survivor.stop();

      expect(final.status).toBe('succeeded');
      expect(await materializationCounts(database, runId)).toEqual({
        seed: 1,
        'slow[p1]': 1,
        'slow[p2]': 1,
        total: 1,
      });
      // In this process only the taken-over steps and what followed them were computed.
      expect(counter.sorted()).toEqual({ 'slow[p1]': 1, 'slow[p2]': 1, total: 1 });

      const child_ = await database.db
        .selectFrom('strata_internal.workers')
        .select(['status'])
        .where('id', '=', childWorkerId)
        .executeTakeFirstOrThrow();
      expect(child_.status).toBe('lost');
      const lost = await runEvents(database, runId, 'attempt_lost');
      expect(lost.map((e) => e.partition_key).sort()).toEqual([...CRASH_PARTITIONS]);
      for (const step of slowSteps) {
        expect(await attemptStatuses(database, step.id)).toEqual(['lost', 'succeeded']);
        const attempts = await database.db
          .selectFrom('strata_internal.attempts')
          .select(['worker_id'])
          .where('step_id', '=', step.id)
          .orderBy('number')
          .execute();
        expect(attempts.map((a) => a.worker_id)).toEqual([childWorkerId, survivor.workerId]);
        const materialization = await database.db
          .selectFrom('strata_internal.materializations as m')
          .innerJoin('strata_internal.attempts as a', 'a.id', 'm.attempt_id')
          .select(['a.number', 'm.worker_id'])
          .where('m.step_id', '=', step.id)
          .execute();
        expect(materialization).toEqual([{ number: 2, worker_id: survivor.workerId }]);
      }
      const seedStep = await database.db
        .selectFrom('strata_internal.steps')
        .select(['id', 'status'])
        .where('run_id', '=', runId)
        .where('asset_key', '=', 'seed')
        .executeTakeFirstOrThrow();
      expect(seedStep.status).toBe('succeeded');
      expect(await attemptStatuses(database, seedStep.id)).toEqual(['succeeded']);
    },
  );
});
