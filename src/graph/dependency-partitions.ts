// Which partitions of a dependency one partition of a dependant reads, per partition mapping.
import type { PartitionKey, ResolvedDependency } from '../definitions/index.js';

/** The partition key of an unpartitioned asset inside the engine and the raw tables. */
export const UNPARTITIONED = '';

/**
 * The dependency partitions read by partition `partition` of the dependant:
 * identity -> the same key; single -> the dependency's only (unpartitioned) value;
 * all -> every partition the dependency currently has.
 */
export function dependencyPartitions(
  dependency: ResolvedDependency,
  partition: PartitionKey,
  dependencyPartitionSet: readonly PartitionKey[],
): readonly PartitionKey[] {
  switch (dependency.mapping) {
    case 'identity':
      return [partition];
    case 'single':
      return [UNPARTITIONED];
    case 'all':
      return dependencyPartitionSet;
  }
}

/** Renders `key[partition]`, or `key` for an unpartitioned asset. */
export function formatAssetPartition(key: string, partition: string): string {
  return partition === UNPARTITIONED ? key : `${key}[${partition}]`;
}
