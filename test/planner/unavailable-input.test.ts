// A plan that would read an input nothing provides is refused in planning terms: a source never
// observed is named with how to observe it, an unselected asset never materialized with how to
// select it; both are UnavailableInputErrors (the API's 409).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, sourceAsset, staticPartitions } from '../../src/definitions/index.js';
import { UsageError } from '../../src/errors.js';
import { createPlan, UnavailableInputError } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf } from '../support/engine.js';

const database = useTestDatabase();

const table = sourceAsset({
  key: 'materials',
  schema: z.number(),
  observe: () => 7850,
});
const points = staticPartitions(['d01', 'd02']);
const mesh = asset({
  key: 'sim/mesh',
  partitions: points,
  deps: { table },
  schema: z.number(),
  compute: ({ inputs }) => inputs.table,
});
const geometry = asset({ key: 'geometry', schema: z.number(), compute: () => 1 });
const report = asset({
  key: 'report',
  deps: { geometry },
  schema: z.number(),
  compute: ({ inputs }) => inputs.geometry,
});
const graph = graphOf([table, mesh, geometry, report]);

const cases = [
  {
    selection: 'sim/mesh',
    message:
      'source asset materials has never been observed, so sim/mesh[d01], which reads it, cannot be planned',
    hint: 'observe it first: strata observe materials',
    input: 'materials',
  },
  {
    selection: 'report',
    message:
      'geometry has never been materialized and is not selected, so report, which reads it, cannot be planned',
    hint: 'select it too, e.g. "+report", or materialize geometry first',
    input: 'geometry',
  },
];

describe('plans reading an input nothing provides', () => {
  it.each(cases)('$selection', async ({ selection, message, hint, input }) => {
    const error: unknown = await createPlan(database.db, graph, selection).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableInputError);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ message, hint, input });
    expect((error as Error).message).not.toMatch(/cannot materialize/);
  });
});
