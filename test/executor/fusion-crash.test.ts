// Chain fusion under SIGKILL: a worker process killed while it computes a line of fused steps
// (computed in memory, not yet recorded) leaves them exactly as if it had never computed them.
// A surviving worker takes over the line's first step once the killed worker's lease expires,
// and the run finishes with exactly one materialization per step, none of the killed worker's.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { createRun, startWorkerPool, watchRun } from '../../src/executor/index.js';
import { createPlan } from '../../src/planner/index.js';
import { crashLine, FUSION_HANG_ENV, HANGING_STEP, lineKey } from '../fixtures/fusion-chain.js';
import { useTestDatabase } from '../support/database.js';
import { run, testEngine } from '../support/engine.js';
import { startChildWorker, useCrashScene } from './child-worker.js';
import { ComputeCounter, materializationCounts, waitFor } from './helpers.js';

const database = useTestDatabase();
const LEASE_MS = 1_000;

const scene = useCrashScene();

describe('chain fusion and a killed worker', () => {
  it(
    'loses nothing of a line of fused steps and records each step exactly once',
    { timeout: 60_000 },
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 'strata-fusion-crash-'));
      const artifactsDir = join(directory, 'artifacts');
      const artifacts = new LocalArtifactStore(artifactsDir);
      // Computed once, so the forced run's steps have a history of being fast: they are fused.
      const first = await run(database, crashLine(), { artifacts });
      expect(first.kind === 'run' && first.summary.status).toBe('succeeded');

      const plan = await createPlan(database.db, crashLine(), undefined, { force: true });
      const runId = await createRun(database.db, {
        plan,
        options: { concurrency: 1, force: true, partitions: [] },
        trigger: 'test',
      });
      const marker = join(directory, 'hanging');
      const worker = startChildWorker(database.url, artifactsDir, {
        STRATA_CRASH_GRAPH: 'line',
        STRATA_LEASE_MS: String(LEASE_MS),
        [FUSION_HANG_ENV]: marker,
      });
      scene.child = worker.process;
      const childWorkerId = await worker.ready;
      await waitFor('the child to compute the hanging step', async () =>
        existsSync(marker) ? true : undefined,
      );
      worker.process.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');
      // A statement the worker had sent still runs to its end in its database session (a
      // completion committing the line so far, seen in CI): what the worker committed is final
      // once no other session of this database is busy.
      await waitFor("the killed worker's sessions to finish their work", async () => {
        const { rows } = await sql<{ busy: number }>`
          select count(*)::int as busy from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
            and backend_type = 'client backend' and state <> 'idle'`.execute(database.db);
        return rows[0]!.busy === 0 ? true : undefined;
      });
      // What the child committed is a prefix of the line; the step after it is claimed (the head
      // of the line being fused), and the steps after that, up to the hanging one, are computed
      // in memory with nothing of them written yet: they still wait.
      const beforeKill = await database.db
        .selectFrom('strata_internal.steps')
        .select(['asset_key', 'status'])
        .where('run_id', '=', runId)
        .orderBy('asset_key')
        .execute();
      const statuses = beforeKill.map((s) => s.status);
      const head = statuses.indexOf('running');
      expect(
        head,
        `statuses when the hanging step started: ${statuses.join(' ')}`,
      ).toBeGreaterThanOrEqual(0);
      // The hanging step is the claimed one once its fused try was given up at the window's end.
      expect(head).toBeLessThanOrEqual(HANGING_STEP - 1);
      expect(statuses).toEqual([
        ...Array(head).fill('succeeded'),
        'running',
        ...Array(statuses.length - head - 1).fill('waiting'),
      ]);

      const counter = new ComputeCounter();
      const survivor = (scene.survivor = await startWorkerPool(
        testEngine(
          database,
          crashLine((key) => counter.hit(key, undefined)),
          { artifacts },
        ),
        { concurrency: 1, leaseMs: LEASE_MS },
      ));
      const final = await watchRun(database.db, database.pool, runId, () => undefined);
      await survivor.stop();

      expect(final.status).toBe('succeeded');
      const keys = Array.from({ length: 10 }, (_, i) => lineKey('line', i + 1));
      expect(await materializationCounts(database, runId)).toEqual(
        Object.fromEntries(keys.map((key) => [key, 1])),
      );
      // The survivor computed the claimed step and everything after it, once each; the killed
      // worker recorded only what it had committed before.
      const redone = keys.slice(head);
      expect(counter.sorted()).toEqual(Object.fromEntries(redone.map((key) => [key, 1])));
      const byKilled = await database.db
        .selectFrom('strata_internal.materializations')
        .select('asset_key')
        .where('run_id', '=', runId)
        .where('worker_id', '=', childWorkerId)
        .orderBy('asset_key')
        .execute();
      expect(byKilled.map((m) => m.asset_key)).toEqual(keys.slice(0, head));
      // The claimed step's attempt was lost with the killed worker; the fused steps had none.
      const attempts = await database.db
        .selectFrom('strata_internal.attempts as a')
        .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
        .select(['s.asset_key', 'a.status', 'a.worker_id'])
        .where('s.run_id', '=', runId)
        .orderBy('s.asset_key')
        .orderBy('a.number')
        .execute();
      expect(attempts.filter((a) => a.status !== 'succeeded')).toEqual([
        { asset_key: keys[head], status: 'lost', worker_id: childWorkerId },
      ]);
      expect(attempts.filter((a) => a.status === 'succeeded').map((a) => a.asset_key)).toEqual(
        keys,
      );
    },
  );
});
