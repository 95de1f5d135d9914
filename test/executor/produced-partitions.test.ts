// Partitions produced by an asset: when the producer materializes, the steps of its partitions
// are added to the same run ('run_expanded'); a grown list computes only what is new downstream
// of early cutoff; a shrunk list skips the steps of partitions no longer produced.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allPartitions, asset, producedPartitions } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses } from '../support/engine.js';
import { ComputeCounter, runEvents, stepOf, summaryOf } from './helpers.js';

const database = useTestDatabase();

/**
 * designs (a DOE: its value lists the design keys) -> point[key] -> score[key] -> best (fan-in).
 * Changing the list is a change of the DOE's code, so `version` bumps designs' code version.
 */
function doeGraph(keys: readonly string[], version: number, counter: ComputeCounter) {
  const designs = asset({
    key: 'designs',
    codeVersion: `doe-${version}`,
    schema: z.object({ keys: z.array(z.string()) }),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      return { keys: [...keys] };
    },
  });
  const byDesign = producedPartitions(designs, (value) => value.keys);
  const point = asset({
    key: 'point',
    codeVersion: '1',
    deps: { designs },
    partitions: byDesign,
    schema: z.object({ key: z.string(), x: z.number() }),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      if (!ctx.inputs.designs.keys.includes(ctx.partitionKey!))
        throw new Error(`${ctx.partitionKey} is not a design`);
      return { key: ctx.partitionKey!, x: Number(ctx.partitionKey!.slice(1)) };
    },
  });
  const score = asset({
    key: 'score',
    codeVersion: '1',
    deps: { point },
    partitions: byDesign,
    schema: z.number(),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      return ctx.inputs.point.x * 10;
    },
  });
  const best = asset({
    key: 'best',
    codeVersion: '1',
    deps: { score: allPartitions(score) },
    schema: z.object({ design: z.string(), score: z.number() }),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      const [design, value] = Object.entries(ctx.inputs.score).sort((a, b) => b[1] - a[1])[0]!;
      return { design, score: value };
    },
  });
  return graphOf([designs, point, score, best]);
}

async function latestValue(key: string): Promise<unknown> {
  const row = await database.db
    .selectFrom('strata_internal.latest_materializations as l')
    .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
    .select('m.value')
    .where('l.asset_key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value;
}

describe('produced partitions', () => {
  it('expands inside the run, grows with early cutoff, and skips partitions no longer produced', async () => {
    // 1. First run: nothing exists; the partitions of point and score come from designs.
    const first = new ComputeCounter();
    const runsBefore = await database.db.selectFrom('strata_internal.runs').select('id').execute();
    const one = await run(database, doeGraph(['d1', 'd2'], 1, first));
    const runOne = summaryOf(one);
    expect(runOne.status).toBe('succeeded');
    expect(stepStatuses(one)).toEqual([
      'best: succeeded',
      'designs: succeeded',
      'point[d1]: succeeded',
      'point[d2]: succeeded',
      'score[d1]: succeeded',
      'score[d2]: succeeded',
    ]);
    expect(first.sorted()).toEqual({
      best: 1,
      designs: 1,
      'point[d1]': 1,
      'point[d2]': 1,
      'score[d1]': 1,
      'score[d2]': 1,
    });
    const expanded = await runEvents(database, runOne.runId, 'run_expanded');
    expect(expanded).toHaveLength(1);
    expect(expanded[0]).toMatchObject({ asset_key: 'designs', data: { added: 4, removed: 0 } });
    const runsAfter = await database.db.selectFrom('strata_internal.runs').select('id').execute();
    expect(runsAfter.length - runsBefore.length).toBe(1);
    expect(await latestValue('best')).toEqual({ design: 'd2', score: 20 });

    // 2. Grow the list: d3 is new. designs changed, so every point reads a new input and is
    // recomputed, but d1 and d2 produce the same values: their scores are cut off as fresh.
    // Only the new partition's point and score, and the fan-in, compute anew.
    const grown = new ComputeCounter();
    const two = await run(database, doeGraph(['d1', 'd2', 'd3'], 2, grown));
    const runTwo = summaryOf(two);
    expect(runTwo.status).toBe('succeeded');
    expect(stepStatuses(two)).toEqual([
      'best: succeeded',
      'designs: succeeded',
      'point[d1]: succeeded',
      'point[d2]: succeeded',
      'point[d3]: succeeded',
      'score[d1]: fresh',
      'score[d2]: fresh',
      'score[d3]: succeeded',
    ]);
    expect(grown.sorted()).toEqual({
      best: 1,
      designs: 1,
      'point[d1]': 1,
      'point[d2]': 1,
      'point[d3]': 1,
      'score[d3]': 1,
    });
    expect(await runEvents(database, runTwo.runId, 'run_expanded')).toMatchObject([
      { data: { added: 2, removed: 0 } },
    ]);
    expect(await latestValue('best')).toEqual({ design: 'd3', score: 30 });
    for (const partition of ['d1', 'd2']) {
      // Early cutoff: the fresh score still points at the first run's materialization.
      const score = stepOf(runTwo, 'score', partition);
      const firstScore = stepOf(runOne, 'score', partition);
      expect(score.materializationId).toBe(firstScore.materializationId);
    }

    // 3. Shrink back: d3 was planned (it was a partition when planning) but designs no longer
    // produces it, so its steps are skipped with the reason. d1/d2 inputs are those of the first
    // run again, so their points and the fan-in reuse its materializations.
    const shrunk = new ComputeCounter();
    const three = await run(database, doeGraph(['d1', 'd2'], 3, shrunk));
    const runThree = summaryOf(three);
    expect(stepStatuses(three)).toEqual([
      'best: reused',
      'designs: succeeded',
      'point[d1]: reused',
      'point[d2]: reused',
      'point[d3]: skipped',
      'score[d1]: fresh',
      'score[d2]: fresh',
      'score[d3]: skipped',
    ]);
    for (const key of ['point', 'score'])
      expect(stepOf(runThree, key, 'd3')).toMatchObject({
        attempts: 0,
        error: 'partition no longer produced by designs',
      });
    expect(shrunk.sorted()).toEqual({ designs: 1 });
    expect(await runEvents(database, runThree.runId, 'run_expanded')).toMatchObject([
      { data: { added: 0, removed: 2 } },
    ]);
    expect(await latestValue('best')).toEqual({ design: 'd2', score: 20 });
    // Removing partitions that are no longer produced is not a failure of the run.
    expect(runThree.status).toBe('succeeded');

    // 4. Nothing changed since: the same definitions plan no step at all.
    const idle = new ComputeCounter();
    expect((await run(database, doeGraph(['d1', 'd2'], 3, idle))).kind).toBe('nothing_to_do');
    expect(idle.sorted()).toEqual({});
  });
});
