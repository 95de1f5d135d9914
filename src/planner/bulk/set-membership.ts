// Whether a partition key belongs to a partition set, as SQL over a key column, without listing
// the set's keys when it has dimensions: a set of 1,000,000 day x region keys is tested as
// 10,000 days and 100 regions.
import { sql, type RawBuilder } from 'kysely';
import { DIMENSION_SEPARATOR } from '../../definitions/index.js';
import type { PartitionSet } from '../partition-sets.js';

/** SQL that is true when `column` holds a key of `set`. */
export function membershipSql(set: PartitionSet, column: RawBuilder<string>): RawBuilder<boolean> {
  const dimensions = set.dimensionKeys;
  if (dimensions === undefined) return sql<boolean>`${column} = any(${[...set.keys]}::text[])`;
  const tests = dimensions.map(
    (keys, i) =>
      sql<boolean>`split_part(${column}, ${DIMENSION_SEPARATOR}, ${i + 1}) = any(${[...keys]}::text[])`,
  );
  // Exactly as many dimensions: one separator fewer.
  tests.push(
    sql<boolean>`length(${column}) - length(replace(${column}, ${DIMENSION_SEPARATOR}, '')) = ${dimensions.length - 1}`,
  );
  return sql<boolean>`(${sql.join(tests, sql` and `)})`;
}
