// Which partitions a status evaluation restricted to some partitions must judge: the requested
// ones, and upstream only those they read (through each dependency's partition mapping), so a
// plan for ten partitions of a 1,000,000-partition asset judges ten and what they read, not the
// whole chain. An asset judged whole (requested without restriction, or read by one judged
// whole, or read through a fan-in of every partition) needs every partition.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { dependencyPartitions, type AssetGraph } from '../graph/index.js';
import { partitionSetHas, type PartitionSet } from './partition-sets.js';

/** Asset -> the partitions to judge; an asset absent from the map is judged whole. */
export type NeededPartitions = Map<AssetKey, Set<PartitionKey>>;

/**
 * The partitions to judge per asset of `order` (topological) when `requested` restricts some of
 * the assets asked for (`asked`); the others asked for are judged whole. Partitions outside an
 * asset's set are left out, as the full evaluation has no status for them.
 */
export function neededPartitions(
  graph: AssetGraph,
  order: readonly AssetKey[],
  asked: ReadonlySet<AssetKey>,
  requested: ReadonlyMap<AssetKey, Iterable<PartitionKey>>,
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
): NeededPartitions {
  const needed: NeededPartitions = new Map();
  const whole = new Set<AssetKey>();
  const evaluated = new Set(order);
  for (let i = order.length - 1; i >= 0; i--) {
    const key = order[i]!;
    const wanted = requested.get(key);
    if (asked.has(key) && wanted === undefined) {
      whole.add(key);
      continue;
    }
    const set = partitionSets.get(key)!;
    const partitions = new Set<PartitionKey>(wanted ?? []);
    let readWhole = false;
    for (const reader of graph.node(key).dependants) {
      if (!evaluated.has(reader)) continue;
      const readerNeeds = needed.get(reader);
      if (whole.has(reader) || readerNeeds === undefined) {
        readWhole = true;
        break;
      }
      for (const dep of graph.node(reader).dependencies) {
        if (dep.key !== key) continue;
        if (dep.mapping === 'all') {
          readWhole = true;
          break;
        }
        const readerSet = partitionSets.get(reader)!;
        for (const partition of readerNeeds)
          for (const read of dependencyPartitions(dep, partition, set, readerSet))
            partitions.add(read);
      }
      if (readWhole) break;
    }
    if (readWhole) {
      whole.add(key);
      continue;
    }
    const has = partitionSetHas(set);
    for (const partition of partitions) if (!has(partition)) partitions.delete(partition);
    needed.set(key, partitions);
  }
  return needed;
}
