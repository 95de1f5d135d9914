// Whether a partition key belongs to a partition set, as SQL over a key column, without listing
// the set's keys when it has dimensions: a set of 1,000,000 day x region keys is tested as
// 10,000 days and 100 regions.
import { sql, type RawBuilder } from 'kysely';
import { DIMENSION_SEPARATOR } from '../../definitions/index.js';
import { isPlainJsonText, type SqlKeyQuoting } from '../../provenance/index.js';
import type { PartitionSet } from '../partition-sets.js';

/** SQL that is true when `column` holds a key of `set`. */
export function membershipSql(set: PartitionSet, column: RawBuilder<string>): RawBuilder<boolean> {
  const dimensions = set.dimensionKeys;
  if (dimensions === undefined) return sql<boolean>`${column} = any(${[...set.keys]}::text[])`;
  const anyOf = (keys: readonly string[]) => sql`any(${[...keys]}::text[])`;
  if (dimensions.length === 2) {
    // The first key before the separator, the second all that follows it: exact, as no key
    // holds the separator, and cheaper per row than counting separators.
    const at = sql`strpos(${column}, ${DIMENSION_SEPARATOR})`;
    return sql<boolean>`(${at} > 0
      and split_part(${column}, ${DIMENSION_SEPARATOR}, 1) = ${anyOf(dimensions[0]!)}
      and substr(${column}, ${at} + 1) = ${anyOf(dimensions[1]!)})`;
  }
  const tests = dimensions.map(
    (keys, i) =>
      sql<boolean>`split_part(${column}, ${DIMENSION_SEPARATOR}, ${i + 1}) = ${anyOf(keys)}`,
  );
  // Exactly as many dimensions: one separator fewer.
  tests.push(
    sql<boolean>`length(${column}) - length(replace(${column}, ${DIMENSION_SEPARATOR}, '')) = ${dimensions.length - 1}`,
  );
  return sql<boolean>`(${sql.join(tests, sql` and `)})`;
}

/**
 * How the keys of `set` can be quoted in SQL's input hashes: 'quote' when every key is plain
 * JSON text (checked on the dimensions' keys; the separator is plain), else 'escape'.
 */
export function keyQuoting(set: PartitionSet): SqlKeyQuoting {
  const keys = set.dimensionKeys?.flat() ?? set.keys;
  return keys.every(isPlainJsonText) ? 'quote' : 'escape';
}
