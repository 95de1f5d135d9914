// Which assets of a status evaluation are judged in bulk (docs/semantics.md, "Status of large
// assets"): large partitioned assets whose freshness PostgreSQL can decide row by row without
// the planner's partition mappings — no dependency, or only identity dependencies on assets
// judged in bulk too, and unpartitioned ones read whole — and that have no freshness policy
// and no checks (both are judged per partition in memory). An asset read by one evaluated in
// memory is evaluated in memory too, since its readers need the status of every partition.
import type { AssetKey } from '../../definitions/index.js';
import type { AssetGraph } from '../../graph/index.js';
import { partitionSetSize, type PartitionSet } from '../partition-sets.js';

/** Below this many partitions the in-memory evaluation is fast enough and lists every one. */
export const BULK_MIN_PARTITIONS = 50_000;

function eligible(
  graph: AssetGraph,
  key: AssetKey,
  set: PartitionSet,
  chosen: ReadonlySet<AssetKey>,
  minPartitions: number,
): boolean {
  const node = graph.node(key);
  const { definition } = node;
  if (!set.partitioned || set.producedBy !== undefined || set.awaitingProducer !== undefined)
    return false;
  if (definition.partitions?.kind === 'produced' || partitionSetSize(set) < minPartitions)
    return false;
  if (definition.freshness !== undefined || graph.checksOf(key).length > 0) return false;
  if (definition.observation !== undefined) return true;
  return node.dependencies.every(
    (dep) => dep.mapping === 'single' || (dep.mapping === 'identity' && chosen.has(dep.key)),
  );
}

/**
 * The assets of `order` (topological) to judge in bulk, among `candidates` (those whose every
 * partition the caller does not need listed).
 */
export function chooseBulkAssets(
  graph: AssetGraph,
  order: readonly AssetKey[],
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
  candidates: ReadonlySet<AssetKey>,
  minPartitions = BULK_MIN_PARTITIONS,
): Set<AssetKey> {
  const chosen = new Set<AssetKey>();
  for (const key of order)
    if (candidates.has(key) && eligible(graph, key, partitionSets.get(key)!, chosen, minPartitions))
      chosen.add(key);
  if (chosen.size === 0) return chosen;
  const evaluated = new Set(order);
  for (let changed = true; changed;) {
    changed = false;
    for (const key of chosen) {
      const node = graph.node(key);
      const readByMemory = node.dependants.some((d) => evaluated.has(d) && !chosen.has(d));
      const readsMemory = node.dependencies.some(
        (dep) => dep.mapping === 'identity' && !chosen.has(dep.key),
      );
      if (readByMemory || readsMemory) {
        chosen.delete(key);
        changed = true;
      }
    }
  }
  return chosen;
}
