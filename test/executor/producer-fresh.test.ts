// A run planned before its partition producer was materialized by another run still expands:
// the producer's step ends fresh (just-in-time check), and the steps of the partitions it
// produces are added from the latest materialization, so nothing selected is silently left out.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allPartitions, asset, producedPartitions } from '../../src/definitions/index.js';
import { createRun, loadRunSummary, startWorkerPool, watchRun } from '../../src/executor/index.js';
import { createPlan } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, testEngine } from '../support/engine.js';

const database = useTestDatabase();

const designs = asset({
  key: 'designs',
  codeVersion: '1',
  schema: z.object({ keys: z.array(z.string()) }),
  compute: () => ({ keys: ['d1', 'd2'] }),
});
const byDesign = producedPartitions(designs, (value) => value.keys);
const point = asset({
  key: 'point',
  codeVersion: '1',
  deps: { designs },
  partitions: byDesign,
  schema: z.string(),
  compute: (ctx) => ctx.partitionKey!,
});
const best = asset({
  key: 'best',
  codeVersion: '1',
  deps: { points: allPartitions(point) },
  schema: z.number(),
  compute: (ctx) => Object.keys(ctx.inputs.points).length,
});

describe('a producer materialized by another run after planning', () => {
  it('still expands the run with the partitions it produced', async () => {
    const graph = graphOf([designs, point, best]);
    const stalePlan = await createPlan(database.db, graph, undefined);
    expect(stalePlan.steps.map((s) => s.key)).toEqual(['designs', 'best']);

    const other = await run(database, graph);
    expect(other.kind === 'run' && other.summary.status).toBe('succeeded');

    const runId = await createRun(database.db, {
      plan: stalePlan,
      options: { concurrency: 2, force: false, partitions: [] },
    });
    const pool = await startWorkerPool(testEngine(database, graph), { concurrency: 2 });
    try {
      await watchRun(database.db, database.pool, runId, () => undefined);
    } finally {
      await pool.stop();
    }
    const summary = await loadRunSummary(database.db, runId);
    expect(summary.status).toBe('succeeded');
    expect(
      summary.steps
        .map((s) => `${s.key}${s.partition ? `[${s.partition}]` : ''}: ${s.status}`)
        .sort(),
    ).toEqual(['best: fresh', 'designs: fresh', 'point[d1]: fresh', 'point[d2]: fresh']);
  });
});
