// Concurrent runs over overlapping selections: each asset partition is computed once; the run
// that gets there second finds it fresh (or reuses it) instead of computing it again.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allPartitions, asset, staticPartitions } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { ComputeCounter, deferred, label, runEvents, summaryOf, waitFor } from './helpers.js';

const database = useTestDatabase();

describe('concurrent runs', () => {
  it('computes each asset partition once across two concurrent materialize calls', async () => {
    const counter = new ComputeCounter();
    // The shared root holds on until both runs exist and a worker has picked up the other run's
    // step for it too (it runs, or is told the partition is busy): both runs plan every shared
    // step while nothing is materialized yet, and their steps for the same partitions race.
    const bothRunsCreated = deferred();
    let created = 0;
    const onRunCreated = () => {
      if (++created === 2) bothRunsCreated.resolve();
    };
    const cases = staticPartitions(['c1', 'c2', 'c3', 'c4']);
    const geometry = asset({
      key: 'geometry',
      schema: z.number(),
      compute: async (ctx) => {
        counter.hit(ctx.assetKey, ctx.partitionKey);
        await bothRunsCreated.promise;
        await waitFor('the other run to pick up its geometry step', async () => {
          const attempted = await database.db
            .selectFrom('strata_internal.attempts as a')
            .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
            .select('s.id')
            .distinct()
            .where('s.asset_key', '=', 'geometry')
            .execute();
          const busy = await database.db
            .selectFrom('strata_internal.events')
            .select('id')
            .where('asset_key', '=', 'geometry')
            .where('kind', '=', 'step_partition_busy')
            .execute();
          return attempted.length === 2 || busy.length > 0 ? true : undefined;
        });
        return 7;
      },
    });
    const solve = asset({
      key: 'solve',
      deps: { geometry },
      partitions: cases,
      schema: z.number(),
      compute: (ctx) => (
        counter.hit(ctx.assetKey, ctx.partitionKey),
        ctx.inputs.geometry * Number(ctx.partitionKey!.slice(1))
      ),
    });
    const peak = asset({
      key: 'peak',
      deps: { solve: allPartitions(solve) },
      schema: z.number(),
      compute: (ctx) => (
        counter.hit(ctx.assetKey, ctx.partitionKey),
        Math.max(...Object.values(ctx.inputs.solve))
      ),
    });
    const total = asset({
      key: 'total',
      deps: { solve: allPartitions(solve) },
      schema: z.number(),
      compute: (ctx) => (
        counter.hit(ctx.assetKey, ctx.partitionKey),
        Object.values(ctx.inputs.solve).reduce((a, b) => a + b, 0)
      ),
    });
    const graph = graphOf([geometry, solve, peak, total]);

    const [a, b] = await Promise.all([
      run(database, graph, { selection: '+peak', concurrency: 3, onRunCreated }),
      run(database, graph, { selection: '+total', concurrency: 3, onRunCreated }),
    ]);
    const runA = summaryOf(a);
    const runB = summaryOf(b);

    expect([runA.status, runB.status]).toEqual(['succeeded', 'succeeded']);
    const shared = ['geometry', ...['c1', 'c2', 'c3', 'c4'].map((p) => label('solve', p))];
    expect(counter.sorted()).toEqual({
      ...Object.fromEntries(shared.map((s) => [s, 1])),
      peak: 1,
      total: 1,
    });

    const statusIn = (summary: typeof runA) =>
      new Map(summary.steps.map((s) => [label(s.key, s.partition), s.status]));
    const inA = statusIn(runA);
    const inB = statusIn(runB);
    for (const step of shared) {
      // Both runs planned the shared step; exactly one computed it, the other cut it off.
      const outcomes = [inA.get(step), inB.get(step)].sort();
      expect(outcomes, step).toHaveLength(2);
      expect(
        outcomes.filter((s) => s === 'succeeded'),
        step,
      ).toHaveLength(1);
      expect(['fresh', 'reused'], step).toContain(outcomes.find((s) => s !== 'succeeded'));
    }
    expect(inA.get('peak')).toBe('succeeded');
    expect(inB.get('total')).toBe('succeeded');

    const perPartition = await database.db
      .selectFrom('strata_internal.materializations')
      .select(['asset_key', 'partition_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('reused_from', 'is', null)
      .groupBy(['asset_key', 'partition_key'])
      .execute();
    expect(perPartition.every((row) => Number(row.n) === 1)).toBe(true);
    // The run that waited said so in its log, naming the run that was computing.
    const busy = [
      ...(await runEvents(database, runA.runId, 'step_partition_busy')),
      ...(await runEvents(database, runB.runId, 'step_partition_busy')),
    ];
    const geometryWait = busy.find((e) => e.asset_key === 'geometry');
    expect(geometryWait?.message).toMatch(/^geometry waits: run \d+ is computing it$/);
    expect([runA.runId, runB.runId]).toContain((geometryWait?.data as { runId: number }).runId);
    expect((geometryWait?.data as { runId: number }).runId).not.toBe(geometryWait?.run_id);
  });
});
