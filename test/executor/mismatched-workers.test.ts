// Workers whose definitions differ from those a run was planned with (an older `strata worker`
// still running) leave its steps to workers that match instead of failing them, and a run cannot
// be resumed with different code.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset } from '../../src/definitions/index.js';
import { UsageError } from '../../src/errors.js';
import {
  cancelRun,
  createRun,
  loadRunSummary,
  resumeRun,
  startWorkerPool,
  watchRun,
} from '../../src/executor/index.js';
import { createPlan } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, testEngine } from '../support/engine.js';
import { attemptStatuses, runEvents, stepOf, waitFor } from './helpers.js';

const database = useTestDatabase();

function chain(prefix: string, solverVersion: string) {
  const mesh = asset({
    key: `${prefix}/mesh`,
    codeVersion: '1',
    schema: z.number(),
    compute: () => 1,
  });
  const solve = asset({
    key: `${prefix}/solve`,
    deps: { mesh },
    codeVersion: solverVersion,
    schema: z.number(),
    compute: ({ inputs }) => inputs.mesh + 1,
  });
  return graphOf([mesh, solve]);
}

const pool = (graph: ReturnType<typeof chain>) =>
  startWorkerPool(testEngine(database, graph), { concurrency: 1 });

describe('workers with other definitions', () => {
  it('leave the steps they cannot run to a matching worker', async () => {
    const planned = chain('a', 'v1');
    const runId = await createRun(database.db, {
      plan: await createPlan(database.db, planned, undefined),
      options: { concurrency: 1, force: false, partitions: [] },
    });
    const stale = await pool(chain('a', 'v0'));
    try {
      await waitFor(
        'the stale worker to pass on a/solve',
        async () => (await runEvents(database, runId, 'step_needs_other_code'))[0],
      );
    } finally {
      await stale.stop();
    }
    const matching = await pool(planned);
    try {
      await watchRun(database.db, database.pool, runId, () => undefined);
    } finally {
      await matching.stop();
    }
    const summary = await loadRunSummary(database.db, runId);
    expect(summary.status).toBe('succeeded');
    const solve = stepOf(summary, 'a/solve');
    expect(solve.status).toBe('succeeded');
    expect(await attemptStatuses(database, solve.stepId)).toEqual(['succeeded']);
    const [event] = await runEvents(database, runId, 'step_needs_other_code');
    expect(event!.message).toContain('waits for a worker with code version v1');
  });

  it('refuses to resume a run with different code', async () => {
    const planned = chain('b', 'v1');
    const runId = await createRun(database.db, {
      plan: await createPlan(database.db, planned, undefined),
      options: { concurrency: 1, force: false, partitions: [] },
    });
    await cancelRun(database.db, runId, 'test');
    const attempt = resumeRun(database.db, chain('b', 'v2'), runId);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(
      `run ${runId} was planned with code version v1 of b/solve; the current definitions have v2`,
    );
    expect((await loadRunSummary(database.db, runId)).status).toBe('canceled');
  });
});
