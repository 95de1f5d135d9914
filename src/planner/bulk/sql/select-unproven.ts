// The latest rows of an asset at the partitions it could not prove current (judge-latest-rows.ts),
// each with the latest rows of its identity dependencies at the same partition, for judging just
// these in memory.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { AssetKey, PartitionKey } from '../../../definitions/index.js';
import type { Database } from '../../../store/index.js';

/** One latest row, in the columns loadLatest reads. */
export interface LatestColumns {
  readonly materialization_id: number;
  readonly code_version: string;
  readonly data_version: string;
  readonly input_hash: string;
  readonly materialized_ms: number;
  readonly observed_ms: number | null;
}

/** An unproven row, with its identity dependencies' rows (null where there is none). */
export interface UnprovenRow extends LatestColumns {
  readonly partition_key: PartitionKey;
  readonly deps: readonly (LatestColumns | null)[];
}

const rowJson = (alias: string): RawBuilder<unknown> => {
  const t = sql.table(alias);
  return sql`case when ${t}.asset_key is null then null else json_build_object(
      'materialization_id', ${t}.materialization_id, 'code_version', ${t}.code_version,
      'data_version', ${t}.data_version, 'input_hash', ${t}.input_hash,
      'materialized_ms', extract(epoch from ${t}.materialized_at) * 1000,
      'observed_ms', extract(epoch from ${t}.observed_at) * 1000) end`;
};

/** The rows of `key` at `partitions`, with those of `dependencies` (identity) at the same keys. */
export async function selectUnproven(
  db: Kysely<Database>,
  key: AssetKey,
  partitions: readonly PartitionKey[],
  dependencies: readonly AssetKey[],
): Promise<UnprovenRow[]> {
  if (partitions.length === 0) return [];
  const joins = dependencies.map((dep, i) => {
    const d = sql.table(`d${i}`);
    return sql`left join strata_internal.latest_materializations ${d}
        on ${d}.asset_key = ${dep} and ${d}.partition_key = l.partition_key`;
  });
  const deps =
    dependencies.length === 0
      ? sql`json_build_array()`
      : sql`json_build_array(${sql.join(dependencies.map((_, i) => rowJson(`d${i}`)))})`;
  const { rows } = await sql<UnprovenRow>`
    select l.partition_key, l.materialization_id, l.code_version, l.data_version, l.input_hash,
           extract(epoch from l.materialized_at) * 1000 as materialized_ms,
           extract(epoch from l.observed_at) * 1000 as observed_ms,
           ${deps} as deps
    from strata_internal.latest_materializations l
    ${sql.join(joins, sql` `)}
    where l.asset_key = ${key} and l.partition_key = any(${[...partitions]}::text[])`.execute(db);
  return rows;
}
