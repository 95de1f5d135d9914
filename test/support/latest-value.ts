// The stored value of an asset partition's latest materialization, for tests that check what a
// run computed.
import type { TestDatabase } from './database.js';

/** The latest value of `key[partition]` (partition '' for an unpartitioned asset). */
export async function latestValue(
  database: TestDatabase,
  key: string,
  partition: string,
): Promise<unknown> {
  const row = await database.db
    .selectFrom('strata_internal.latest_materializations as l')
    .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
    .select('m.value')
    .where('l.asset_key', '=', key)
    .where('l.partition_key', '=', partition)
    .executeTakeFirstOrThrow();
  return row.value;
}
