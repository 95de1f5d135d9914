// The end of a generated history: the materialization id sequence moved past the generated
// rows, and the latest pointers written from the materializations that are the latest.
import type pg from 'pg';

/**
 * Moves the id sequence past the generated materializations and points the latest pointers at
 * those matching `latestWhere` (SQL over the columns of materializations; default all).
 */
export async function writeLatestPointers(
  client: pg.PoolClient,
  latestWhere = 'true',
): Promise<void> {
  await client.query(
    `select setval(pg_get_serial_sequence('strata_internal.materializations', 'id'),
                   (select max(id) from strata_internal.materializations))`,
  );
  await client.query(
    `insert into strata_internal.latest_materializations
       (asset_key, partition_key, materialization_id, code_version, data_version, input_hash, materialized_at)
     select asset_key, partition_key, id, code_version, data_version, input_hash, finished_at
     from strata_internal.materializations
     where ${latestWhere}`,
  );
}
