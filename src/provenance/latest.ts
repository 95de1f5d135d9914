// Set-based reads of the latest materialization of many asset partitions at once: what the
// planner compares current definitions against.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** The latest materialization of one asset partition, reduced to what staleness needs. */
export interface LatestVersion {
  readonly materializationId: number;
  readonly codeVersion: string;
  readonly dataVersion: string;
  readonly inputHash: string;
  readonly materializedAt: Date;
  /** Source assets: the last observation (which may have found the same version). */
  readonly observedAt?: Date | null;
}

/** asset key -> partition key -> latest version. */
export type LatestIndex = Map<string, Map<string, LatestVersion>>;

/** Loads the latest materialization of every partition of `assetKeys` in one query. */
export async function loadLatest(
  db: Kysely<Database>,
  assetKeys: readonly string[],
): Promise<LatestIndex> {
  const index: LatestIndex = new Map(assetKeys.map((key) => [key, new Map()]));
  if (assetKeys.length === 0) return index;
  const rows = await selectLatest(db)
    .where('asset_key', '=', (eb) => eb.fn.any(eb.val(assetKeys as string[])))
    .execute();
  addRows(index, rows);
  return index;
}

/**
 * Loads the latest materialization of the given partitions of each asset in one query (an
 * index lookup per pair); the index has a map per asset asked for.
 */
export async function loadLatestAt(
  db: Kysely<Database>,
  partitions: ReadonlyMap<string, Iterable<string>>,
): Promise<LatestIndex> {
  const index: LatestIndex = new Map([...partitions.keys()].map((key) => [key, new Map()]));
  const assets: string[] = [];
  const keys: string[] = [];
  for (const [asset, wanted] of partitions)
    for (const partition of wanted) {
      assets.push(asset);
      keys.push(partition);
    }
  if (keys.length === 0) return index;
  const rows = await selectLatest(db)
    .innerJoin(
      sql<{
        asset_key: string;
        partition_key: string;
      }>`unnest(${assets}::text[], ${keys}::text[])`.as(sql`w(asset_key, partition_key)`),
      (join) =>
        join
          .onRef('w.asset_key', '=', 'l.asset_key')
          .onRef('w.partition_key', '=', 'l.partition_key'),
    )
    .execute();
  addRows(index, rows);
  return index;
}

/**
 * The latest rows that point at materializations above `afterId` (found from materializations
 * by their primary key: the latest pointer has no index on its materialization), and every row
 * of `alwaysKeys` (source assets, whose observation times move without a new materialization).
 * Only assets with rows appear.
 */
export async function loadLatestSince(
  db: Kysely<Database>,
  afterId: number,
  alwaysKeys: readonly string[],
): Promise<LatestIndex> {
  const [changed, always] = await Promise.all([
    selectLatest(db)
      .innerJoin('strata_internal.materializations as m', (join) =>
        join
          .onRef('m.asset_key', '=', 'l.asset_key')
          .onRef('m.partition_key', '=', 'l.partition_key')
          .onRef('m.id', '=', 'l.materialization_id'),
      )
      .where('m.id', '>', afterId)
      .execute(),
    alwaysKeys.length === 0
      ? []
      : selectLatest(db)
          .where('l.asset_key', '=', (eb) => eb.fn.any(eb.val(alwaysKeys as string[])))
          .execute(),
  ]);
  const rows = [...changed, ...always];
  const index: LatestIndex = new Map();
  for (const row of rows) if (!index.has(row.asset_key)) index.set(row.asset_key, new Map());
  addRows(index, rows);
  return index;
}

/**
 * The highest materialization id recorded (0 when there is none): every latest pointer names a
 * materialization at or below it.
 */
export async function maxLatestMaterializationId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('strata_internal.materializations')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

function selectLatest(db: Kysely<Database>) {
  return db.selectFrom('strata_internal.latest_materializations as l').select([
    'l.asset_key',
    'l.partition_key',
    'l.materialization_id',
    'l.code_version',
    'l.data_version',
    'l.input_hash',
    // Epoch milliseconds: parsing 100,000 timestamp strings costs more than the rest of a row.
    sql<number>`extract(epoch from l.materialized_at) * 1000`.as('materialized_ms'),
    sql<number | null>`extract(epoch from l.observed_at) * 1000`.as('observed_ms'),
  ]);
}

function addRows(
  index: LatestIndex,
  rows: readonly {
    asset_key: string;
    partition_key: string;
    materialization_id: number;
    code_version: string;
    data_version: string;
    input_hash: string;
    materialized_ms: number;
    observed_ms: number | null;
  }[],
): void {
  for (const row of rows) {
    index.get(row.asset_key)!.set(row.partition_key, {
      materializationId: row.materialization_id,
      codeVersion: row.code_version,
      dataVersion: row.data_version,
      inputHash: row.input_hash,
      materializedAt: new Date(row.materialized_ms),
      observedAt: row.observed_ms === null ? null : new Date(row.observed_ms),
    });
  }
}

/** One consumed input edge of a materialization. */
export interface ConsumedInput {
  readonly depKey: string;
  readonly depPartition: string;
  readonly dataVersion: string;
  readonly materializationId: number;
}

/** The consumed inputs of many materializations, by materialization id, in one query. */
export async function loadConsumedInputs(
  db: Kysely<Database>,
  materializationIds: readonly number[],
): Promise<Map<number, ConsumedInput[]>> {
  const result = new Map<number, ConsumedInput[]>(materializationIds.map((id) => [id, []]));
  if (materializationIds.length === 0) return result;
  const rows = await db
    .selectFrom('strata_internal.materialization_inputs')
    .select([
      'materialization_id',
      'dep_asset_key',
      'dep_partition_key',
      'dep_data_version',
      'dep_materialization_id',
    ])
    .where('materialization_id', '=', (eb) => eb.fn.any(eb.val(materializationIds as number[])))
    .execute();
  for (const row of rows) {
    result.get(row.materialization_id)!.push({
      depKey: row.dep_asset_key,
      depPartition: row.dep_partition_key,
      dataVersion: row.dep_data_version,
      materializationId: row.dep_materialization_id,
    });
  }
  return result;
}

/**
 * The partition keys produced by the latest materialization of each partition of each producer
 * (`''` for an unpartitioned one), by producer partition in key order; a producer that never
 * materialized has no entry.
 */
export async function loadProducedPartitionKeys(
  db: Kysely<Database>,
  producerKeys: readonly string[],
): Promise<Map<string, Map<string, string[]>>> {
  const result = new Map<string, Map<string, string[]>>();
  if (producerKeys.length === 0) return result;
  const rows = await db
    .selectFrom('strata_internal.latest_materializations as l')
    .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
    .select(['l.asset_key', 'l.partition_key', 'm.partition_keys'])
    .where('l.asset_key', '=', (eb) => eb.fn.any(eb.val(producerKeys as string[])))
    .orderBy('l.asset_key')
    .orderBy('l.partition_key')
    .execute();
  for (const row of rows) {
    let byPartition = result.get(row.asset_key);
    if (byPartition === undefined) result.set(row.asset_key, (byPartition = new Map()));
    byPartition.set(row.partition_key, row.partition_keys ?? []);
  }
  return result;
}

/** The keys of each dynamic partition set, sorted. */
export async function loadDynamicPartitionKeys(
  db: Kysely<Database>,
  setNames: readonly string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(setNames.map((name) => [name, []]));
  if (setNames.length === 0) return result;
  const rows = await db
    .selectFrom('strata_internal.dynamic_partitions')
    .select(['set_name', 'partition_key'])
    .where('set_name', '=', (eb) => eb.fn.any(eb.val(setNames as string[])))
    .orderBy('set_name')
    .orderBy('partition_key')
    .execute();
  for (const row of rows) result.get(row.set_name)!.push(row.partition_key);
  return result;
}

/**
 * Adds `keys` to the dynamic partition set `setName`, each with its payload if given (keys
 * already in it stay as they are, payload included).
 */
export async function addDynamicPartitions(
  db: Kysely<Database>,
  setName: string,
  keys: readonly string[],
  payloadOf?: (key: string) => unknown,
): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('strata_internal.dynamic_partitions')
    .values(
      keys.map((key) => ({
        set_name: setName,
        partition_key: key,
        payload: payloadOf === undefined ? null : JSON.stringify(payloadOf(key)),
      })),
    )
    .onConflict((oc) => oc.columns(['set_name', 'partition_key']).doNothing())
    .execute();
}
