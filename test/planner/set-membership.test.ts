// membershipSql tests a partition key against a set in PostgreSQL exactly as the set's keys
// would: per dimension for multi-dimensional sets (two dimensions by the first separator, more
// by counting separators), never accepting a key with a separator too many or too few.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { membershipSql } from '../../src/planner/bulk/set-membership.js';
import type { PartitionSet } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

const multi = (dimensionKeys: string[][]): PartitionSet => ({
  keys: dimensionKeys.reduce<string[]>(
    (keys, dimension) =>
      keys.length === 0 ? [...dimension] : keys.flatMap((k) => dimension.map((d) => `${k}|${d}`)),
    [],
  ),
  partitioned: true,
  dimensionKeys,
});

const sets: Record<string, PartitionSet> = {
  single: { keys: ['a', 'b|c', 'd'], partitioned: true },
  two: multi([
    ['2024-01-01', 'x'],
    ['eu', 'x'],
  ]),
  three: multi([['a', 'b'], ['x'], ['1', '2']]),
};

const probes: Record<string, string[]> = {
  single: ['a', 'b|c', 'd', 'b', 'c', '', 'a|'],
  two: [
    '2024-01-01|eu',
    'x|x',
    'x|eu',
    'x',
    'eu',
    '|eu',
    '2024-01-01|',
    '2024-01-01|eu|',
    'x|x|x',
    '2024-01-01||eu',
  ],
  three: ['a|x|1', 'b|x|2', 'a|x', 'a|x|1|', 'a|x||1', 'a||x|1', 'a|x|3', 'c|x|1', '|x|1'],
};

describe('membershipSql', () => {
  it.each(Object.keys(sets))('agrees with the keys of the %s set', async (name) => {
    const set = sets[name]!;
    const keys = probes[name]!;
    const { rows } = await sql<{ key: string; member: boolean }>`
      select k.key, ${membershipSql(set, sql.ref('k.key'))} as member
      from unnest(${keys}::text[]) as k(key)`.execute(database.db);
    expect(Object.fromEntries(rows.map((r) => [r.key, r.member]))).toEqual(
      Object.fromEntries(keys.map((key) => [key, set.keys.includes(key)])),
    );
  });
});
