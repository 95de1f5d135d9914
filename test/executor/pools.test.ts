// Concurrency pools: however many workers and slots a run has, no more steps of a pool compute
// at once than its limit, and the limit is reached when there is enough work.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, staticPartitions } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses } from '../support/engine.js';
import { deferred, summaryOf, type Deferred } from './helpers.js';

const database = useTestDatabase();

/** Tracks how many computes run at once; `reached(n)` resolves once n have overlapped. */
function overlapTracker() {
  let active = 0;
  let max = 0;
  const waiters = new Map<number, Deferred<void>>();
  const reached = (n: number) => {
    let waiter = waiters.get(n);
    if (!waiter) waiters.set(n, (waiter = deferred()));
    if (max >= n) waiter.resolve();
    return waiter.promise;
  };
  return {
    reached,
    enter() {
      active++;
      max = Math.max(max, active);
      for (const [n, waiter] of waiters) if (max >= n) waiter.resolve();
    },
    exit() {
      active--;
    },
    get max() {
      return max;
    },
  };
}

/** Resolves after `ms` or when `promise` resolves, whichever is first. */
function atMost(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}

describe('concurrency pools', () => {
  it.each([
    // With limit 1 a second overlapping compute must never appear: each compute gives one
    // for a bounded window (it would show up at once if the pool were not enforced).
    { limit: 1, windowMs: 150 },
    // With limit 2 the computes wait for each other, so the limit is provably reached.
    { limit: 2, windowMs: 10_000 },
  ])(
    'runs at most $limit step(s) of pool solver at once with 4 workers',
    async ({ limit, windowMs }) => {
      const tracker = overlapTracker();
      const partitions = ['p1', 'p2', 'p3', 'p4'];
      const key = `solve_limit_${limit}`;
      const solve = asset({
        key,
        partitions: staticPartitions(partitions),
        pool: 'solver',
        schema: z.string(),
        compute: async (ctx) => {
          tracker.enter();
          try {
            await atMost(tracker.reached(2), windowMs);
            return `solved ${ctx.partitionKey}`;
          } finally {
            tracker.exit();
          }
        },
      });
      const free = asset({ key: `free_${limit}`, schema: z.number(), compute: () => 1 });

      const outcome = await run(database, graphOf([solve, free], { pools: { solver: limit } }), {
        concurrency: 4,
      });

      expect(summaryOf(outcome).status).toBe('succeeded');
      expect(stepStatuses(outcome)).toEqual([
        `free_${limit}: succeeded`,
        ...partitions.map((p) => `${key}[${p}]: succeeded`),
      ]);
      expect(tracker.max).toBe(limit);
      const held = await database.db
        .selectFrom('strata_internal.pool_slots')
        .select(['slot', 'attempt_id'])
        .where('pool', '=', 'solver')
        .where('attempt_id', 'is not', null)
        .execute();
      expect(held).toEqual([]);
    },
  );
});
