// Step failures: a failed step skips everything downstream of it (naming the failed upstream)
// while independent branches finish; a value that violates its schema is a failure that names
// the asset and the field, and nothing is recorded for it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, staticPartitions } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses } from '../support/engine.js';
import { runEvents, stepOf, summaryOf } from './helpers.js';

const database = useTestDatabase();

async function materializationsOf(key: string): Promise<number> {
  const rows = await database.db
    .selectFrom('strata_internal.materializations')
    .select('id')
    .where('asset_key', '=', key)
    .execute();
  return rows.length;
}

describe('step failures', () => {
  it('skips the dependants of a failed step, finishes independent branches and fails the run', async () => {
    const mesh = asset({
      key: 'mesh',
      schema: z.number(),
      compute: () => {
        throw new Error('mesher crashed: negative jacobian');
      },
    });
    const solve = asset({
      key: 'solve',
      deps: { mesh },
      schema: z.number(),
      compute: ({ inputs }) => inputs.mesh,
    });
    const report = asset({
      key: 'report',
      deps: { solve },
      schema: z.number(),
      compute: ({ inputs }) => inputs.solve,
    });
    const material = asset({ key: 'material', schema: z.string(), compute: () => 'steel' });
    const datasheet = asset({
      key: 'datasheet',
      deps: { material },
      schema: z.string(),
      compute: ({ inputs }) => `${inputs.material} sheet`,
    });

    const outcome = await run(database, graphOf([mesh, solve, report, material, datasheet]));
    const summary = summaryOf(outcome);

    expect(summary.status).toBe('failed');
    expect(stepStatuses(outcome)).toEqual([
      'datasheet: succeeded',
      'material: succeeded',
      'mesh: failed',
      'report: skipped',
      'solve: skipped',
    ]);
    expect(stepOf(summary, 'mesh').error).toBe('mesher crashed: negative jacobian');
    for (const key of ['solve', 'report']) {
      expect(stepOf(summary, key).error).toBe('upstream mesh failed');
      expect(stepOf(summary, key).attempts).toBe(0);
    }
    const skipped = await runEvents(database, summary.runId, 'step_skipped');
    expect(skipped.map((e) => [e.asset_key, e.message]).sort()).toEqual([
      ['report', 'skipped: upstream mesh failed'],
      ['solve', 'skipped: upstream mesh failed'],
    ]);
    expect(await runEvents(database, summary.runId, 'run_finished')).toMatchObject([
      { message: `run ${summary.runId} failed` },
    ]);
    expect(await materializationsOf('mesh')).toBe(0);
    expect(await materializationsOf('datasheet')).toBe(1);
  });

  it('names the failed partition in the reason of the dependants it skips', async () => {
    const cases = asset({
      key: 'load_case',
      partitions: staticPartitions(['gravity', 'wind']),
      schema: z.number(),
      compute: (ctx) => {
        if (ctx.partitionKey === 'wind') throw new Error('no wind data');
        return 1;
      },
    });
    const stress = asset({
      key: 'stress',
      deps: { cases },
      partitions: staticPartitions(['gravity', 'wind']),
      schema: z.number(),
      compute: ({ inputs }) => inputs.cases * 2,
    });

    const outcome = await run(database, graphOf([cases, stress]));
    const summary = summaryOf(outcome);
    expect(summary.status).toBe('failed');
    expect(stepStatuses(outcome)).toEqual([
      'load_case[gravity]: succeeded',
      'load_case[wind]: failed',
      'stress[gravity]: succeeded',
      'stress[wind]: skipped',
    ]);
    expect(stepOf(summary, 'stress', 'wind').error).toBe('upstream load_case[wind] failed');
  });

  it.each([
    {
      name: 'a wrong type in a nested field',
      key: 'geometry',
      schema: z.object({ point: z.object({ x: z.number(), y: z.number() }) }),
      value: { point: { x: 'one', y: 2 } },
      path: 'point.x',
    },
    {
      name: 'a missing field',
      key: 'mass_props',
      schema: z.object({ mass: z.number(), inertia: z.number() }),
      value: { mass: 3 },
      path: 'inertia',
    },
    {
      name: 'a bad array element',
      key: 'samples',
      schema: z.object({ values: z.array(z.number().nonnegative()) }),
      value: { values: [1, -2, 3] },
      path: 'values.1',
    },
  ])(
    'fails on $name, naming the asset and the field path, and records nothing',
    async ({ key, schema, value, path }) => {
      const invalid = asset({ key, schema, compute: () => value as never });
      const consumer = asset({
        key: `${key}_consumer`,
        deps: { invalid },
        schema: z.unknown(),
        compute: ({ inputs }) => inputs.invalid,
      });

      const outcome = await run(database, graphOf([invalid, consumer]));
      const summary = summaryOf(outcome);

      expect(summary.status).toBe('failed');
      const step = stepOf(summary, key);
      expect(step.status).toBe('failed');
      expect(step.materializationId).toBeNull();
      expect(step.error).toContain(`asset ${key} returned a value that does not match its schema`);
      expect(step.error).toContain(`${path}:`);
      expect(stepOf(summary, `${key}_consumer`)).toMatchObject({
        status: 'skipped',
        error: `upstream ${key} failed`,
      });
      expect(await materializationsOf(key)).toBe(0);
      const latest = await database.db
        .selectFrom('strata_internal.latest_materializations')
        .select('asset_key')
        .where('asset_key', '=', key)
        .execute();
      expect(latest).toEqual([]);
    },
  );
});
