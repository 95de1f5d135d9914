// Step timeouts: the compute's AbortSignal fires at the deadline, and the attempt ends
// 'timed_out' at the deadline whether or not the compute honours the signal.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, type AssetContext } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { attemptStatuses, stepOf, summaryOf, untilAborted } from './helpers.js';

const database = useTestDatabase();
const TIMEOUT_MS = 300;

describe('step timeouts', () => {
  it.each([
    {
      name: 'honours ctx.signal',
      key: 'polite_solver',
      wait: (ctx: AssetContext) => untilAborted(ctx.signal),
    },
    {
      name: 'ignores ctx.signal',
      key: 'stubborn_solver',
      wait: () => new Promise<never>(() => undefined),
    },
  ])('fails a compute that $name at the deadline, as timed_out', async ({ key, wait }) => {
    const signals: AbortSignal[] = [];
    const solver = asset({
      key,
      schema: z.number(),
      timeout: TIMEOUT_MS,
      compute: async (ctx) => {
        signals.push(ctx.signal);
        return wait(ctx as AssetContext);
      },
    });
    const post = asset({
      key: `${key}_post`,
      deps: { solver },
      schema: z.number(),
      compute: ({ inputs }) => inputs.solver,
    });

    const summary = summaryOf(await run(database, graphOf([solver, post])));

    expect(summary.status).toBe('failed');
    const step = stepOf(summary, key);
    expect(step).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: `asset ${key} timed out after ${TIMEOUT_MS} ms`,
    });
    expect(stepOf(summary, `${key}_post`).status).toBe('skipped');
    expect(await attemptStatuses(database, step.stepId)).toEqual(['timed_out']);
    const attempt = await database.db
      .selectFrom('strata_internal.attempts')
      .select(['started_at', 'finished_at'])
      .where('step_id', '=', step.stepId)
      .executeTakeFirstOrThrow();
    expect(attempt.finished_at!.getTime() - attempt.started_at.getTime()).toBeGreaterThanOrEqual(
      TIMEOUT_MS - 10,
    );
    // Either way the compute saw its signal abort, with the timeout as the reason.
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(String((signals[0]!.reason as Error).message)).toContain('timed out');
    const recorded = await database.db
      .selectFrom('strata_internal.materializations')
      .select('id')
      .where('asset_key', '=', key)
      .execute();
    expect(recorded).toEqual([]);
  });

  it('retries a timed-out attempt and succeeds when the retry is quick', async () => {
    const solver = asset({
      key: 'sometimes_slow',
      schema: z.number(),
      timeout: TIMEOUT_MS,
      retry: { maxAttempts: 2, delay: 10 },
      compute: async (ctx) => (ctx.attempt === 1 ? untilAborted(ctx.signal) : 42),
    });
    const summary = summaryOf(await run(database, graphOf([solver])));
    expect(summary.status).toBe('succeeded');
    const step = stepOf(summary, 'sometimes_slow');
    expect(step).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await attemptStatuses(database, step.stepId)).toEqual(['timed_out', 'succeeded']);
  });
});
