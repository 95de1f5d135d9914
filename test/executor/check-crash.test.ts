// Durability of asset checks: a worker process killed (SIGKILL) while a check judges a value it
// computed but has not recorded loses nothing and records nothing twice. The survivor takes the
// steps over, computes and judges again, and the run ends with exactly one materialization and
// one verdict per partition: p1 passes, p2 fails its blocking check (its step failed, its value
// kept, total skipped).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { createRun, startWorkerPool, watchRun } from '../../src/executor/index.js';
import { createPlan } from '../../src/planner/index.js';
import { checkedCrashGraph } from '../fixtures/checked-crash-graph.js';
import { CRASH_PARTITIONS, HANG_ENV } from '../fixtures/crash-graph.js';
import { useTestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';
import { startChildWorker, useCrashScene } from './child-worker.js';
import { ComputeCounter, materializationCounts, queuedJobCount, waitFor } from './helpers.js';

const database = useTestDatabase();
const LEASE_MS = 1_000;
const scene = useCrashScene();

describe('a worker killed during a check', () => {
  it(
    'is taken over: one materialization and one verdict per partition',
    { timeout: 60_000 },
    async () => {
      const counter = new ComputeCounter();
      const graph = checkedCrashGraph((key, partition) => counter.hit(key, partition));
      const artifactsDir = join(mkdtempSync(join(tmpdir(), 'strata-check-crash-')), 'artifacts');
      const plan = await createPlan(database.db, graph, undefined);
      const runId = await createRun(database.db, {
        plan,
        options: { concurrency: 2, force: false, partitions: [] },
        trigger: 'test',
      });
      const worker = startChildWorker(database.url, artifactsDir, {
        STRATA_LEASE_MS: String(LEASE_MS),
        STRATA_CRASH_GRAPH: 'checked',
        [HANG_ENV]: '1',
      });
      scene.child = worker.process;
      const childWorkerId = await worker.ready;

      // The child has computed both slow partitions and hangs in their check: nothing recorded.
      await waitFor('the child to be judging both slow partitions', async () => {
        const rows = await database.db
          .selectFrom('strata_internal.attempts as a')
          .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
          .select('s.id')
          .where('a.worker_id', '=', childWorkerId)
          .where('a.status', '=', 'running')
          .where('s.asset_key', '=', 'slow')
          .execute();
        return rows.length === CRASH_PARTITIONS.length ? rows : undefined;
      });
      worker.process.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');
      const before = await database.db
        .selectFrom('strata_internal.check_evaluations')
        .select('id')
        .execute();
      expect(before).toEqual([]);

      const survivor = (scene.survivor = await startWorkerPool(
        testEngine(database, graph, { artifacts: new LocalArtifactStore(artifactsDir) }),
        { concurrency: 2, leaseMs: LEASE_MS },
      ));
      const final = await watchRun(database.db, database.pool, runId, () => undefined);
      await waitFor('the queue to drain', async () =>
        (await queuedJobCount(database)) === 0 ? true : undefined,
      );
      await survivor.stop();

      expect(final.status).toBe('failed'); // p2 failed its blocking check
      expect(await materializationCounts(database, runId)).toEqual({
        seed: 1,
        'slow[p1]': 1,
        'slow[p2]': 1,
      });
      const verdicts = await database.db
        .selectFrom('strata_internal.check_evaluations')
        .select(['partition_key', 'passed', 'run_id'])
        .orderBy('partition_key')
        .execute();
      expect(verdicts.map((v) => [v.partition_key, v.passed, Number(v.run_id)])).toEqual([
        ['p1', true, runId],
        ['p2', false, runId],
      ]);
      const steps = await database.db
        .selectFrom('strata_internal.steps')
        .select(['asset_key', 'partition_key', 'status'])
        .where('run_id', '=', runId)
        .orderBy('asset_key')
        .orderBy('partition_key')
        .execute();
      expect(steps.map((s) => `${s.asset_key}[${s.partition_key}] ${s.status}`)).toEqual([
        'seed[] succeeded',
        'slow[p1] succeeded',
        'slow[p2] failed',
        'total[] skipped',
      ]);
      // In this process: each slow partition computed and judged once, after the takeover.
      expect(counter.sorted()).toEqual({
        'slow:small[p1]': 1,
        'slow:small[p2]': 1,
        'slow[p1]': 1,
        'slow[p2]': 1,
      });
    },
  );
});
