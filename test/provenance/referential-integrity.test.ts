// The references the engine writes without foreign keys (migrations/0010): every input edge and
// every latest pointer names a materialization that exists, after runs that compute, cut off
// early, reuse, expand produced partitions and shrink them again, on both completion paths
// (the server-side function, and the transaction path producers and artifacts take).
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import { allPartitions, asset, producedPartitions } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses } from '../support/engine.js';

const database = useTestDatabase();

/** designs (produces the partitions) -> point[key] -> score[key] -> best; `version` is designs' code. */
function doeGraph(keys: readonly string[], version: number) {
  const designs = asset({
    key: 'designs',
    codeVersion: `doe-${version}`,
    schema: z.object({ keys: z.array(z.string()) }),
    compute: () => ({ keys: [...keys] }),
  });
  const byDesign = producedPartitions(designs, (value) => value.keys);
  const point = asset({
    key: 'point',
    deps: { designs },
    partitions: byDesign,
    schema: z.object({ x: z.number() }),
    compute: (ctx) => ({ x: Number(ctx.partitionKey!.slice(1)) }),
  });
  const score = asset({
    key: 'score',
    deps: { point },
    partitions: byDesign,
    schema: z.number(),
    // Rounded, so that some new points score as before and their dependants are cut off.
    compute: (ctx) => Math.min(ctx.inputs.point.x, 2),
  });
  const best = asset({
    key: 'best',
    deps: { score: allPartitions(score) },
    schema: z.number(),
    compute: (ctx) => Math.max(...Object.values(ctx.inputs.score)),
  });
  return graphOf([designs, point, score, best]);
}

/** References that name no materialization, by kind. */
async function danglingReferences(): Promise<Record<string, number>> {
  const { rows } = await sql<{ kind: string; n: string }>`
    select 'input edge (consumer)' as kind, count(*) as n from strata_internal.materialization_inputs i
      where not exists (select 1 from strata_internal.materializations m where m.id = i.materialization_id)
    union all
    select 'input edge (upstream)', count(*) from strata_internal.materialization_inputs i
      where not exists (select 1 from strata_internal.materializations m where m.id = i.dep_materialization_id)
    union all
    select 'latest pointer', count(*) from strata_internal.latest_materializations l
      where not exists (select 1 from strata_internal.materializations m
        where m.id = l.materialization_id and m.asset_key = l.asset_key and m.partition_key = l.partition_key)
  `.execute(database.db);
  return Object.fromEntries(rows.map((row) => [row.kind, Number(row.n)]));
}

describe('references written without foreign keys', () => {
  it('every input edge and latest pointer names an existing materialization of its partition', async () => {
    const outcomes: string[] = [];
    for (const [keys, version, force] of [
      [['d1', 'd2', 'd3'], 1, false],
      [['d1', 'd2', 'd3', 'd4'], 2, false],
      [['d1', 'd2', 'd3'], 1, false],
      [['d1', 'd2', 'd3'], 1, true],
    ] as const) {
      const outcome = await run(database, doeGraph(keys, version), { force });
      expect(outcome.kind === 'nothing_to_do' || outcome.summary.status === 'succeeded').toBe(true);
      outcomes.push(...stepStatuses(outcome).map((line) => line.split(': ')[1]!));
    }
    // Each way a step can end with a materialization was exercised.
    expect(new Set(outcomes)).toEqual(new Set(['succeeded', 'fresh', 'reused', 'skipped']));
    expect(await danglingReferences()).toEqual({
      'input edge (consumer)': 0,
      'input edge (upstream)': 0,
      'latest pointer': 0,
    });
  });
});
