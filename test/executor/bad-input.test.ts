// Bad input to materialize gets a clear error naming what is wrong, and leaves the database as
// it was: no run, no step, no job, no event.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, staticPartitions } from '../../src/definitions/index.js';
import { UsageError } from '../../src/errors.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';

const database = useTestDatabase();

const parts = staticPartitions(['steel', 'aluminium']);
const geometry = asset({ key: 'geometry', codeVersion: '1', schema: z.number(), compute: () => 1 });
const mesh = asset({
  key: 'sim/mesh',
  codeVersion: '1',
  deps: { geometry },
  partitions: parts,
  schema: z.number(),
  compute: ({ inputs }) => inputs.geometry,
});
const report = asset({
  key: 'report',
  codeVersion: '1',
  deps: { geometry },
  schema: z.number(),
  compute: ({ inputs }) => inputs.geometry,
});
const graph = graphOf([geometry, mesh, report]);

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['runs', 'steps', 'events', 'attempts', 'materializations'] as const) {
    const row = await database.db
      .selectFrom(`strata_internal.${table}`)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const jobs = await sql<{
    n: number;
  }>`select count(*)::int as n from graphile_worker.jobs`.execute(database.db);
  counts.jobs = jobs.rows[0]!.n;
  return counts;
}

const cases = [
  {
    name: 'unknown asset',
    selection: 'sim/mseh',
    message: 'unknown asset "sim/mseh"',
    hint: 'did you mean sim/mesh?',
  },
  {
    name: 'bad selection syntax',
    selection: 'report,,geometry',
    message: 'empty term',
    hint: undefined,
  },
  {
    name: 'unknown partition',
    selection: 'sim/mesh[titanium]',
    message: 'asset sim/mesh has no partition "titanium"',
    hint: undefined,
  },
  {
    name: 'partition of an unpartitioned asset',
    selection: 'report[x]',
    message: 'asset report is not partitioned',
    hint: undefined,
  },
  {
    name: 'input never materialized and not selected',
    selection: 'report',
    message:
      'geometry has never been materialized and is not selected, so report, which reads it, cannot be planned',
    hint: 'select it too, e.g. "+report", or materialize geometry first',
  },
  {
    name: '--partition with nothing partitioned',
    selection: 'report',
    partitions: ['steel'],
    message: '--partition was given, but no asset in selection "report" is partitioned',
    hint: undefined,
  },
  {
    name: 'invalid --partition key',
    selection: 'sim/mesh',
    partitions: ['a b'],
    message: '--partition "a b" is invalid',
    hint: undefined,
  },
];

describe('bad input to materialize', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await rowCounts();
  });

  it.each(cases)('$name', async ({ selection, partitions, message, hint }) => {
    const attempt = run(database, graph, { selection, partitions });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    const error = (await attempt.catch((e: unknown) => e)) as UsageError;
    expect(error.message).toContain(message);
    if (hint) expect(error.hint).toContain(hint);
    expect(await rowCounts()).toEqual(before);
  });
});
