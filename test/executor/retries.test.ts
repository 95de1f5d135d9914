// Step retries: a failing compute is retried with backoff until it succeeds or its attempts run
// out; every attempt is recorded, every retry announced. Plus the pure backoff arithmetic.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  asset,
  normalizeRetryPolicy,
  retryDelayMs,
  type Backoff,
} from '../../src/definitions/index.js';
import { claimSteps } from '../../src/executor/claim-steps.js';
import { createRun, startWorkerPool, watchRun } from '../../src/executor/index.js';
import { handBackAttempts } from '../../src/executor/liveness.js';
import { createPlan } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { testWorkerRuntime } from '../support/worker-runtime.js';
import { graphOf, run, stepStatuses, testEngine } from '../support/engine.js';
import { attemptStatuses, runEvents, stepOf, summaryOf } from './helpers.js';

const database = useTestDatabase();

describe('step retries', () => {
  it.each([
    { failures: 1, maxAttempts: 2, backoff: 'fixed' as const },
    { failures: 2, maxAttempts: 3, backoff: 'exponential' as const },
    { failures: 3, maxAttempts: 5, backoff: 'linear' as const },
  ])(
    'succeeds after $failures failure(s) with maxAttempts $maxAttempts ($backoff)',
    async ({ failures, maxAttempts, backoff }) => {
      const seenAttempts: number[] = [];
      const key = `flaky_${failures}`;
      const flaky = asset({
        key,
        schema: z.number(),
        retry: { maxAttempts, delay: 10, backoff },
        compute: (ctx) => {
          seenAttempts.push(ctx.attempt);
          if (ctx.attempt <= failures) throw new Error(`transient failure ${ctx.attempt}`);
          return ctx.attempt;
        },
      });
      const after = asset({
        key: `${key}_after`,
        deps: { flaky },
        schema: z.number(),
        compute: ({ inputs }) => inputs.flaky * 10,
      });

      const outcome = await run(database, graphOf([flaky, after]));
      const summary = summaryOf(outcome);

      expect(summary.status).toBe('succeeded');
      expect(stepStatuses(outcome)).toEqual([`${key}: succeeded`, `${key}_after: succeeded`]);
      const step = stepOf(summary, key);
      expect(step.attempts).toBe(failures + 1);
      expect(seenAttempts).toEqual(Array.from({ length: failures + 1 }, (_, i) => i + 1));
      expect(await attemptStatuses(database, step.stepId)).toEqual([
        ...Array<string>(failures).fill('failed'),
        'succeeded',
      ]);

      const retries = await runEvents(database, summary.runId, 'step_retry_scheduled');
      expect(retries.map((e) => e.step_id)).toEqual(Array<number>(failures).fill(step.stepId));
      retries.forEach((event, index) => {
        expect(event.message).toContain(`transient failure ${index + 1}`);
        expect(event.message).toContain(`retry ${index + 2}/${maxAttempts}`);
        const policy = normalizeRetryPolicy({ delay: 10, backoff }, 'test');
        expect((event.data as { delayMs: number }).delayMs).toBe(retryDelayMs(policy, index + 2));
      });

      // The value recorded is the one of the successful attempt, and the dependant read it.
      const values = await database.db
        .selectFrom('strata_internal.materializations')
        .select(['asset_key', 'value'])
        .where('run_id', '=', summary.runId)
        .orderBy('asset_key')
        .execute();
      expect(values).toEqual([
        { asset_key: key, value: failures + 1 },
        { asset_key: `${key}_after`, value: (failures + 1) * 10 },
      ]);
    },
  );

  it('fails the step with the last error once its attempts are exhausted', async () => {
    let calls = 0;
    const doomed = asset({
      key: 'doomed',
      schema: z.number(),
      retry: { maxAttempts: 3, delay: 5, backoff: 'fixed' },
      compute: () => {
        calls++;
        throw new Error(`solver diverged (call ${calls})`);
      },
    });
    const outcome = await run(database, graphOf([doomed]));
    const summary = summaryOf(outcome);

    expect(summary.status).toBe('failed');
    const step = stepOf(summary, 'doomed');
    expect(step.status).toBe('failed');
    expect(step.attempts).toBe(3);
    expect(step.error).toBe('solver diverged (call 3)');
    expect(calls).toBe(3);
    expect(await attemptStatuses(database, step.stepId)).toEqual(['failed', 'failed', 'failed']);
    expect(await runEvents(database, summary.runId, 'step_retry_scheduled')).toHaveLength(2);
    const [failed, ...more] = await runEvents(database, summary.runId, 'step_failed');
    expect(more).toEqual([]);
    expect(failed?.message).toContain('solver diverged (call 3)');
    const recorded = await database.db
      .selectFrom('strata_internal.materializations')
      .select('id')
      .where('asset_key', '=', 'doomed')
      .execute();
    expect(recorded).toEqual([]);
  });
});

describe('retryDelayMs', () => {
  const policy = (backoff: Backoff, extra: { maxDelay?: number; jitter?: number } = {}) =>
    normalizeRetryPolicy({ delay: 100, backoff, ...extra }, 'test');

  it.each([
    { name: 'fixed', backoff: 'fixed' as const, delays: [100, 100, 100, 100] },
    { name: 'linear', backoff: 'linear' as const, delays: [100, 200, 300, 400] },
    { name: 'exponential', backoff: 'exponential' as const, delays: [100, 200, 400, 800] },
    {
      name: 'exponential capped by maxDelay',
      backoff: 'exponential' as const,
      maxDelay: 250,
      delays: [100, 200, 250, 250],
    },
    {
      name: 'linear capped by maxDelay',
      backoff: 'linear' as const,
      maxDelay: 150,
      delays: [100, 150, 150, 150],
    },
  ])('$name: retries 2..5 wait $delays', ({ backoff, maxDelay, delays }) => {
    const p = policy(backoff, maxDelay === undefined ? {} : { maxDelay });
    expect([2, 3, 4, 5].map((attempt) => retryDelayMs(p, attempt, () => 0.5))).toEqual(delays);
  });

  it.each([
    { random: 0, expected: 50 },
    { random: 0.25, expected: 75 },
    { random: 0.5, expected: 100 },
    { random: 1, expected: 150 },
  ])('jitter 0.5 with random() = $random gives $expected ms', ({ random, expected }) => {
    expect(retryDelayMs(policy('fixed', { jitter: 0.5 }), 2, () => random)).toBe(expected);
  });

  it('applies maxDelay after jitter, and never goes below zero', () => {
    expect(retryDelayMs(policy('exponential', { jitter: 1, maxDelay: 300 }), 3, () => 1)).toBe(300);
    expect(retryDelayMs(policy('fixed', { jitter: 1 }), 2, () => 0)).toBe(0);
  });

  it('treats the first attempt like the first retry and defaults to 1 s exponential', () => {
    const defaults = normalizeRetryPolicy({ maxAttempts: 4 }, 'test');
    expect(defaults).toMatchObject({ delayMs: 1000, backoff: 'exponential', jitter: 0 });
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(defaults, attempt))).toEqual([
      1000, 1000, 2000, 4000,
    ]);
  });
});

describe('the retry budget', () => {
  it('is spent only by the asset’s own failures, not by an attempt strata handed back', async () => {
    const key = 'handed_back_then_flaky';
    const flaky = asset({
      key,
      codeVersion: '1',
      schema: z.number(),
      retry: { maxAttempts: 2, delay: 10 },
      compute: (ctx) => {
        if (ctx.attempt === 2) throw new Error('its one real failure');
        return ctx.attempt;
      },
    });
    const graph = graphOf([flaky]);
    const runId = await createRun(database.db, {
      plan: await createPlan(database.db, graph, undefined, { force: true }),
      options: { concurrency: 1, force: true, partitions: [] },
      trigger: 'test',
    });
    const step = await database.db
      .selectFrom('strata_internal.steps')
      .select('id')
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    // Attempt 1 is claimed and handed back, as a stopping worker or a database outage does.
    const stopping = await testWorkerRuntime(database, graph, 'stopping');
    const [claim] = (await claimSteps(stopping, [step.id], null, () => 1)).claimed;
    await handBackAttempts(database.db, [claim!.attemptId], 'handed back in the test');

    const pool = await startWorkerPool(testEngine(database, graph), { concurrency: 1 });
    try {
      const final = await watchRun(database.db, database.pool, runId, () => undefined);
      expect(final.status).toBe('succeeded');
    } finally {
      await pool.stop();
    }
    // Two real tries (maxAttempts 2) after the handed-back one: failed, then succeeded.
    expect(await attemptStatuses(database, step.id)).toEqual(['lost', 'failed', 'succeeded']);
    const [retry] = await runEvents(database, runId, 'step_retry_scheduled');
    expect(retry!.message).toContain('retry 2/2');
  });
});
