// Expected build times of assets, for the freshness rule's lookahead: the longest duration among
// the latest materializations of each asset's partitions (0 when never built).
import type { Kysely } from 'kysely';
import type { AssetKey } from '../definitions/index.js';
import type { Database } from '../store/index.js';

/** The expected build time of each of `keys` in ms; absent when never materialized. */
export async function loadBuildTimes(
  db: Kysely<Database>,
  keys: readonly AssetKey[],
): Promise<Map<AssetKey, number>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.latest_materializations as l')
    .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
    .select(['l.asset_key', (eb) => eb.fn.max('m.duration_ms').as('ms')])
    .where('l.asset_key', '=', (eb) => eb.fn.any(eb.val([...keys])))
    .groupBy('l.asset_key')
    .execute();
  return new Map(rows.map((row) => [row.asset_key as AssetKey, Number(row.ms ?? 0)]));
}
