// A partitioned partition producer (a DOE per plan): each partition of `designs` produces design
// keys; `point` and `score` are partitioned by their union, each point reading the first plan
// that produced it; `front` is partitioned like the producer and reads what its own partition
// produced; `summary` reads every design. Runs restricted to one plan expand at run time to what
// that plan produces, share designs with other plans, and leave other plans' results alone.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  dynamicPartitions,
  producedBySamePartition,
  producedPartitions,
  type AssetKey,
} from '../../src/definitions/index.js';
import { computeStatus } from '../../src/planner/index.js';
import { addDynamicPartitions } from '../../src/provenance/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses } from '../support/engine.js';
import { ComputeCounter, summaryOf } from './helpers.js';
import { latestValue } from '../support/latest-value.js';

const database = useTestDatabase();

/** What each plan's DOE produces. */
const DESIGNS: Record<string, string[]> = {
  base: ['a', 'b'],
  p1: ['b', 'c'],
  p2: ['c', 'd'],
};

function planGraph(counter: ComputeCounter) {
  const plans = dynamicPartitions('test_plans', { initialKeys: ['base'] });
  const designs = asset({
    key: 'designs',
    codeVersion: '1',
    partitions: plans,
    schema: z.object({ keys: z.array(z.string()) }),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      return { keys: DESIGNS[ctx.partitionKey!]! };
    },
  });
  const perDesign = producedPartitions(designs, (value) => value.keys);
  const point = asset({
    key: 'point',
    codeVersion: '1',
    partitions: perDesign,
    deps: { designs },
    schema: z.object({ key: z.string(), x: z.number() }),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      if (!ctx.inputs.designs.keys.includes(ctx.partitionKey!))
        throw new Error(`the producer read does not list ${ctx.partitionKey}`);
      return { key: ctx.partitionKey!, x: ctx.partitionKey!.charCodeAt(0) - 96 };
    },
  });
  const score = asset({
    key: 'score',
    codeVersion: '1',
    partitions: perDesign,
    deps: { point },
    schema: z.number(),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      return ctx.inputs.point.x * 10;
    },
  });
  const front = asset({
    key: 'front',
    codeVersion: '1',
    partitions: plans,
    deps: { score: producedBySamePartition(score) },
    schema: z.record(z.string(), z.number()),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      return { ...ctx.inputs.score };
    },
  });
  const summary = asset({
    key: 'summary',
    codeVersion: '1',
    deps: { score: allPartitions(score) },
    schema: z.number(),
    compute: (ctx) => {
      counter.hit(ctx.assetKey, ctx.partitionKey);
      return Object.keys(ctx.inputs.score).length;
    },
  });
  return graphOf([designs, point, score, front, summary]);
}

describe('a partitioned partition producer', () => {
  it("expands per plan, shares equal designs, and keeps each plan's fan-in its own", async () => {
    // 1. The initial partition alone: base produces a and b.
    const first = new ComputeCounter();
    const one = await run(database, planGraph(first), { selection: '+front' });
    expect(summaryOf(one).status).toBe('succeeded');
    expect(stepStatuses(one)).toEqual([
      'designs[base]: succeeded',
      'front[base]: succeeded',
      'point[a]: succeeded',
      'point[b]: succeeded',
      'score[a]: succeeded',
      'score[b]: succeeded',
    ]);
    expect(await latestValue(database, 'front', 'base')).toEqual({ a: 10, b: 20 });

    // 2. Plan p1 produces b (already built for base) and c. A run of p1 alone computes c; b is
    // read from base's DOE (the first producer), so it stays fresh.
    await addDynamicPartitions(database.db, 'test_plans', ['p1']);
    const second = new ComputeCounter();
    const two = await run(database, planGraph(second), {
      selection: '+front',
      partitions: ['p1'],
    });
    expect(summaryOf(two).status).toBe('succeeded');
    expect(stepStatuses(two)).toEqual([
      'designs[p1]: succeeded',
      'front[p1]: succeeded',
      'point[b]: fresh',
      'point[c]: succeeded',
      'score[b]: fresh',
      'score[c]: succeeded',
    ]);
    expect(second.sorted()).toEqual({
      'designs[p1]': 1,
      'front[p1]': 1,
      'point[c]': 1,
      'score[c]': 1,
    });
    expect(await latestValue(database, 'front', 'p1')).toEqual({ b: 20, c: 30 });
    expect(await latestValue(database, 'front', 'base')).toEqual({ a: 10, b: 20 });

    // 3. Statuses: every plan's partitions fresh; summary (all designs) missing; point[c]'s
    // input is designs[p1], and point[b] still reads designs[base].
    const graph = planGraph(new ComputeCounter());
    const report = await computeStatus(database.db, graph, ['front', 'summary'] as AssetKey[]);
    const statusOf = (key: string) =>
      Object.fromEntries([...report.statuses.get(key as never)!].map(([p, s]) => [p, s.status]));
    expect(statusOf('point')).toEqual({ a: 'fresh', b: 'fresh', c: 'fresh' });
    expect(statusOf('front')).toEqual({ base: 'fresh', p1: 'fresh' });
    expect(statusOf('summary')).toEqual({ '': 'missing' });
    const inputs = await database.db
      .selectFrom('strata_internal.materialization_inputs as i')
      .innerJoin('strata_internal.materializations as m', 'm.id', 'i.materialization_id')
      .select(['m.partition_key', 'i.dep_partition_key'])
      .where('m.asset_key', '=', 'point')
      .orderBy('m.partition_key')
      .execute();
    expect(inputs).toEqual([
      { partition_key: 'a', dep_partition_key: 'base' },
      { partition_key: 'b', dep_partition_key: 'base' },
      { partition_key: 'c', dep_partition_key: 'p1' },
    ]);

    // 4. Everything, with p2 added: p2's DOE and its new design d, both fronts untouched, and
    // the summary over the union a..d.
    await addDynamicPartitions(database.db, 'test_plans', ['p2']);
    const third = new ComputeCounter();
    const all = await run(database, planGraph(third));
    expect(summaryOf(all).status).toBe('succeeded');
    expect(third.sorted()).toEqual({
      'designs[p2]': 1,
      'front[p2]': 1,
      'point[d]': 1,
      'score[d]': 1,
      summary: 1,
    });
    expect(await latestValue(database, 'front', 'p2')).toEqual({ c: 30, d: 40 });
    expect(await latestValue(database, 'summary', '')).toBe(4);
  });
});
