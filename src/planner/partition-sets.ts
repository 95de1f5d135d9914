// Resolves the current partition set of each asset: static lists from the definitions, dynamic
// sets and produced sets (the producer's latest output) from the database.
import type { Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { UNPARTITIONED, type AssetGraph } from '../graph/index.js';
import { loadDynamicPartitionKeys, loadProducedPartitionKeys } from '../provenance/index.js';
import type { Database } from '../store/index.js';

/** The partitions of one asset now. */
export interface PartitionSet {
  /** Partition keys in their natural order; `['']` for an unpartitioned asset. */
  readonly keys: readonly PartitionKey[];
  readonly partitioned: boolean;
  /** For produced sets: the producer has never materialized, so the set is not known yet. */
  readonly awaitingProducer?: AssetKey;
}

const UNPARTITIONED_SET: PartitionSet = { keys: [UNPARTITIONED], partitioned: false };

/** Resolves the partition sets of `keys` with at most two queries. */
export async function resolvePartitionSets(
  db: Kysely<Database>,
  graph: AssetGraph,
  keys: Iterable<AssetKey>,
): Promise<Map<AssetKey, PartitionSet>> {
  const wanted = [...keys];
  const dynamicNames = new Set<string>();
  const producers = new Set<string>();
  for (const key of wanted) {
    const partitions = graph.node(key).definition.partitions;
    if (partitions?.kind === 'dynamic') dynamicNames.add(partitions.name);
    if (partitions?.kind === 'produced') producers.add(partitions.producer.key);
  }
  const [dynamic, produced] = await Promise.all([
    loadDynamicPartitionKeys(db, [...dynamicNames]),
    loadProducedPartitionKeys(db, [...producers]),
  ]);
  const result = new Map<AssetKey, PartitionSet>();
  for (const key of wanted) {
    const partitions = graph.node(key).definition.partitions;
    if (!partitions) result.set(key, UNPARTITIONED_SET);
    else if (partitions.kind === 'static')
      result.set(key, { keys: partitions.keys, partitioned: true });
    else if (partitions.kind === 'dynamic')
      result.set(key, { keys: dynamic.get(partitions.name) ?? [], partitioned: true });
    else {
      const producedKeys = produced.get(partitions.producer.key);
      result.set(
        key,
        producedKeys === undefined
          ? { keys: [], partitioned: true, awaitingProducer: partitions.producer.key }
          : { keys: producedKeys, partitioned: true },
      );
    }
  }
  return result;
}
