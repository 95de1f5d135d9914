// Resolves the current partition set of each asset: static lists from the definitions, dynamic
// sets and produced sets (the producer's latest output) from the database. A set produced by a
// partitioned producer is the union of what each of the producer's partitions produced, and
// remembers which partition produced what (for the `producer` and `produced` mappings). Time
// windows are those that exist at the evaluation time; a multi-dimensional set is every
// combination of its dimensions' keys, first dimension outermost.
import type { Kysely } from 'kysely';
import {
  DIMENSION_SEPARATOR,
  timeWindowKeysAt,
  type AssetKey,
  type DimensionPartitions,
  type MultiPartitions,
  type PartitionKey,
  type PartitionsDefinition,
} from '../definitions/index.js';
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
  /**
   * For sets produced by a partitioned producer: producer partition -> the keys it produced, in
   * the producer's partition order.
   */
  readonly producedBy?: ReadonlyMap<PartitionKey, readonly PartitionKey[]>;
  /** For multi-dimensional sets: the keys of each dimension, in declared order. */
  readonly dimensionKeys?: readonly (readonly PartitionKey[])[];
}

const UNPARTITIONED_SET: PartitionSet = { keys: [UNPARTITIONED], partitioned: false };

/** The names of the dynamic sets `partitions` (or its dimensions) draw on. */
function dynamicNamesOf(partitions: PartitionsDefinition | undefined): string[] {
  if (partitions?.kind === 'dynamic') return [partitions.name];
  if (partitions?.kind === 'multi')
    return partitions.dimensions.flatMap((d) => dynamicNamesOf(d.partitions));
  return [];
}

/** The last combinations built per multi-dimensional set, and the dimension keys they were of. */
const combined = new WeakMap<
  MultiPartitions,
  { readonly of: readonly (readonly PartitionKey[])[]; readonly keys: readonly PartitionKey[] }
>();

/**
 * A multi-dimensional set's keys: every combination, first dimension outermost; the same array
 * as last time when every dimension's keys are the same arrays (static, unchanged windows).
 */
function combinations(
  partitions: MultiPartitions,
  dimensionKeys: readonly (readonly PartitionKey[])[],
): readonly PartitionKey[] {
  const last = combined.get(partitions);
  if (last !== undefined && last.of.every((keys, i) => keys === dimensionKeys[i])) return last.keys;
  let keys: PartitionKey[] = [...(dimensionKeys[0] ?? [])];
  for (const dimension of dimensionKeys.slice(1)) {
    const next: PartitionKey[] = new Array<PartitionKey>(keys.length * dimension.length);
    let i = 0;
    for (const prefix of keys) {
      const head = prefix + DIMENSION_SEPARATOR;
      for (const key of dimension) next[i++] = head + key;
    }
    keys = next;
  }
  combined.set(partitions, { of: dimensionKeys, keys });
  return keys;
}

/**
 * Resolves the partition sets of `keys` with at most two queries; time windows are those that
 * exist at `now`.
 */
export async function resolvePartitionSets(
  db: Kysely<Database>,
  graph: AssetGraph,
  keys: Iterable<AssetKey>,
  now: Date = new Date(),
): Promise<Map<AssetKey, PartitionSet>> {
  const wanted = [...keys];
  const dynamicNames = new Set<string>();
  const producers = new Set<string>();
  for (const key of wanted) {
    const partitions = graph.node(key).definition.partitions;
    for (const name of dynamicNamesOf(partitions)) dynamicNames.add(name);
    if (partitions?.kind === 'produced') {
      producers.add(partitions.producer.key);
      for (const name of dynamicNamesOf(partitions.producer.partitions)) dynamicNames.add(name);
    }
  }
  const [dynamic, produced] = await Promise.all([
    loadDynamicPartitionKeys(db, [...dynamicNames]),
    loadProducedPartitionKeys(db, [...producers]),
  ]);
  const dimensionKeysOf = (partitions: DimensionPartitions): readonly PartitionKey[] =>
    partitions.kind === 'static'
      ? partitions.keys
      : partitions.kind === 'dynamic'
        ? withInitialKeys(partitions.initialKeys, dynamic.get(partitions.name) ?? [])
        : timeWindowKeysAt(partitions, now.getTime());
  const keysOf = (partitions: PartitionsDefinition): readonly PartitionKey[] =>
    partitions.kind === 'produced'
      ? []
      : partitions.kind === 'multi'
        ? combinations(
            partitions,
            partitions.dimensions.map((d) => dimensionKeysOf(d.partitions)),
          )
        : dimensionKeysOf(partitions);
  const result = new Map<AssetKey, PartitionSet>();
  for (const key of wanted) {
    const partitions = graph.node(key).definition.partitions;
    if (!partitions) result.set(key, UNPARTITIONED_SET);
    else if (partitions.kind === 'multi') {
      const dimensionKeys = partitions.dimensions.map((d) => dimensionKeysOf(d.partitions));
      result.set(key, multiSet(partitions, dimensionKeys));
    } else if (partitions.kind !== 'produced')
      result.set(key, { keys: keysOf(partitions), partitioned: true });
    else {
      const { producer } = partitions;
      const byPartition = produced.get(producer.key);
      if (producer.partitions)
        result.set(key, producedSet(producer.key, keysOf(producer.partitions), byPartition));
      else {
        const keys = byPartition?.get(UNPARTITIONED);
        result.set(
          key,
          keys === undefined
            ? { keys: [], partitioned: true, awaitingProducer: producer.key }
            : { keys, partitioned: true },
        );
      }
    }
  }
  return result;
}

/**
 * A multi-dimensional set whose combinations are built when first read: a summary judged in
 * bulk needs only its size and dimensions (partitionSetSize), not 1,000,000 keys.
 */
function multiSet(
  partitions: MultiPartitions,
  dimensionKeys: readonly (readonly PartitionKey[])[],
): PartitionSet {
  let keys: readonly PartitionKey[] | undefined;
  return {
    get keys() {
      return (keys ??= combinations(partitions, dimensionKeys));
    },
    partitioned: true,
    dimensionKeys,
  };
}

/** How many partitions `set` has, without building a multi-dimensional set's keys. */
export function partitionSetSize(set: PartitionSet): number {
  return set.dimensionKeys === undefined
    ? set.keys.length
    : set.dimensionKeys.reduce((size, keys) => size * keys.length, 1);
}

/**
 * A test of membership in `set`; a multi-dimensional set is tested per dimension, so a set of
 * 1,000,000 keys is never listed for it.
 */
export function partitionSetHas(set: PartitionSet): (key: PartitionKey) => boolean {
  const dimensions = set.dimensionKeys;
  if (dimensions === undefined) {
    let keys: ReadonlySet<PartitionKey> | undefined;
    return (key) => (keys ??= new Set(set.keys)).has(key);
  }
  const perDimension = dimensions.map((keys) => new Set(keys));
  return (key) => {
    const parts = key.split(DIMENSION_SEPARATOR);
    return parts.length === perDimension.length && parts.every((p, i) => perDimension[i]!.has(p));
  };
}

/**
 * The union of what the producer's current partitions produced, in producer-partition order;
 * awaiting the producer until one of them has materialized.
 */
function producedSet(
  producer: AssetKey,
  producerKeys: readonly PartitionKey[],
  byPartition: ReadonlyMap<PartitionKey, readonly PartitionKey[]> | undefined,
): PartitionSet {
  const producedBy = new Map<PartitionKey, readonly PartitionKey[]>();
  const keys = new Set<PartitionKey>();
  for (const partition of producerKeys) {
    const produced = byPartition?.get(partition);
    if (produced === undefined) continue;
    producedBy.set(partition, produced);
    for (const key of produced) keys.add(key);
  }
  if (producedBy.size === 0)
    return { keys: [], partitioned: true, awaitingProducer: producer, producedBy };
  return { keys: [...keys], partitioned: true, producedBy };
}

/** A dynamic set's keys: the declared initial keys and the added ones, sorted, once each. */
function withInitialKeys(
  initial: readonly PartitionKey[],
  added: readonly PartitionKey[],
): readonly PartitionKey[] {
  if (initial.length === 0) return added;
  return [...new Set([...initial, ...added])].sort();
}
