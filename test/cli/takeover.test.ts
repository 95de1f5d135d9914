// A worker killed with steps of several jobs: it had claimed only the steps it was running (one
// per job, not whole jobs), and once it is declared lost its steps go to the front of the queue,
// so a survivor with a backlog runs them before anything else.
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { makeWorkerUtils } from 'graphile-worker';
import { createRun, startWorkerPool, watchRun, type WorkerPool } from '../../src/executor/index.js';
import { reapLostWorkers } from '../../src/executor/liveness.js';
import { buildAssetGraph } from '../../src/graph/index.js';
import { createPlan } from '../../src/planner/index.js';
import longSteps, { STEP_PARTITIONS } from '../fixtures/cli/long-steps.js';
import { materializationCounts, waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const database = useTestDatabase();
const LONG_STEPS = path.join(REPO_ROOT, 'test/fixtures/cli/long-steps.ts');
const LEASE_MS = 1_000;

let victim: CliProcess | undefined;
let survivor: WorkerPool | undefined;
afterEach(async () => {
  victim?.child.kill('SIGKILL');
  await survivor?.stop();
  victim = survivor = undefined;
});

describe('a killed worker', () => {
  it(
    'held only the steps it ran, and the survivor runs them first',
    { timeout: 60_000 },
    async () => {
      const graph = buildAssetGraph(longSteps);
      const runId = await createRun(database.db, {
        plan: await createPlan(database.db, graph, undefined),
        // 8 steps in 4 jobs of 2.
        options: { concurrency: 1, force: false, partitions: [] },
        trigger: 'test',
      });
      victim = startCli(['worker', '--concurrency', '3', '--lease', '1s', '--json'], {
        databaseUrl: database.url,
        definitions: LONG_STEPS,
        env: {
          STRATA_FIXTURE_STEP_MS: '60000',
          STRATA_HOME: mkdtempSync(path.join(tmpdir(), 'strata-takeover-')),
        },
      });
      const victimId = (await victim.stdoutMatch(/"workerId": "([^"]+)"/))[1]!;
      const running = await waitFor('the victim to run three steps', async () => {
        const rows = await database.db
          .selectFrom('strata_internal.attempts')
          .select('step_id')
          .where('worker_id', '=', victimId)
          .where('status', '=', 'running')
          .execute();
        return rows.length === 3 ? rows.map((r) => r.step_id) : undefined;
      });
      // Three jobs of two steps are locked by the victim, but only their first steps were claimed.
      const statuses = await database.db
        .selectFrom('strata_internal.steps')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('run_id', '=', runId)
        .groupBy('status')
        .execute();
      expect(Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]))).toEqual({
        running: 3,
        queued: 5,
      });

      victim.child.kill('SIGKILL');
      await victim.done;
      // What any live worker does once the victim's lease has run out.
      const lost = await waitFor('the victim to be declared lost', async () => {
        const declared = await reapLostWorkers(database.db, LEASE_MS);
        return declared.length > 0 ? declared : undefined;
      });
      expect(lost.map((w) => w.id)).toEqual([victimId]);
      const utils = await makeWorkerUtils({ pgPool: database.pool });
      await utils.forceUnlockWorkers([...lost[0]!.queueWorkerIds]);
      await utils.release();

      process.env.STRATA_FIXTURE_STEP_MS = '200';
      survivor = await startWorkerPool(
        testEngine(database, graph, {
          artifacts: new LocalArtifactStore(mkdtempSync(path.join(tmpdir(), 'strata-takeover-a-'))),
        }),
        { concurrency: 1, leaseMs: LEASE_MS },
      );
      const final = await watchRun(database.db, database.pool, runId, () => undefined);
      expect(final.status).toBe('succeeded');
      expect(await materializationCounts(database, runId)).toEqual(
        Object.fromEntries(STEP_PARTITIONS.map((p) => [`work[${p}]`, 1])),
      );
      // The lost steps were the survivor's first three, ahead of the backlog (5 other steps).
      const taken = await database.db
        .selectFrom('strata_internal.attempts')
        .select('step_id')
        .where('worker_id', '=', survivor.workerId)
        .orderBy('id')
        .execute();
      expect(taken).toHaveLength(STEP_PARTITIONS.length);
      expect(
        taken
          .slice(0, 3)
          .map((a) => a.step_id)
          .sort(),
      ).toEqual([...running].sort());
    },
  );
});
