// Which partitions of a dependency one partition of a dependant reads, per partition mapping.
import type { PartitionKey, ResolvedDependency } from '../definitions/index.js';
import { windowPartitions } from './window-partitions.js';

/** The partition key of an unpartitioned asset inside the engine and the raw tables. */
export const UNPARTITIONED = '';

/** What a mapping needs of a partition set (the planner's PartitionSet has these members). */
export interface PartitionSetView {
  readonly keys: readonly PartitionKey[];
  /** For a set produced by a partitioned producer: producer partition -> the keys it produced. */
  readonly producedBy?: ReadonlyMap<PartitionKey, readonly PartitionKey[]>;
  /** A multi-dimensional set's keys per dimension, in declared order. */
  readonly dimensionKeys?: readonly (readonly PartitionKey[])[];
}

/** The producer partitions of each produced key, in producer order, computed once per set. */
const producersIndex = new WeakMap<
  ReadonlyMap<PartitionKey, readonly PartitionKey[]>,
  ReadonlyMap<PartitionKey, readonly PartitionKey[]>
>();

/** The partitions of a partitioned producer that produced `key` (in producer order). */
export function producersOf(
  producedBy: ReadonlyMap<PartitionKey, readonly PartitionKey[]>,
  key: PartitionKey,
): readonly PartitionKey[] {
  let index = producersIndex.get(producedBy);
  if (index === undefined) {
    const built = new Map<PartitionKey, PartitionKey[]>();
    for (const [producer, keys] of producedBy)
      for (const produced of keys) {
        const list = built.get(produced);
        if (list === undefined) built.set(produced, [producer]);
        else list.push(producer); // a producer's keys are unique (validateProducedKeys)
      }
    producersIndex.set(producedBy, (index = built));
  }
  return index.get(key) ?? [];
}

/**
 * The dependency partitions read by partition `partition` of the dependant:
 * identity -> the same key; single -> the dependency's only (unpartitioned) value;
 * all -> every partition the dependency currently has; producer -> the first partition of the
 * (partitioned) producer that produced `partition` (from the dependant's set); produced -> the
 * partitions of the dependency that the producer's partition `partition` produced (from the
 * dependency's set); window, windows -> per dimension of the dependency (window-partitions.ts).
 */
export function dependencyPartitions(
  dependency: ResolvedDependency,
  partition: PartitionKey,
  dependencySet: PartitionSetView | undefined,
  dependantSet?: PartitionSetView,
): readonly PartitionKey[] {
  switch (dependency.mapping) {
    case 'identity':
      return [partition];
    case 'single':
      return [UNPARTITIONED];
    case 'all':
      return dependencySet?.keys ?? [];
    case 'producer': {
      const producedBy = dependantSet?.producedBy;
      const first = producedBy === undefined ? undefined : producersOf(producedBy, partition)[0];
      return first === undefined ? [] : [first];
    }
    case 'produced':
      return dependencySet?.producedBy?.get(partition) ?? [];
    case 'window':
    case 'windows':
      return windowPartitions(dependency, partition, dependencySet);
  }
}

/** Whether a mapping reads many partitions, handed to the compute function as a record. */
export function isFanInMapping(mapping: ResolvedDependency['mapping']): boolean {
  return mapping === 'all' || mapping === 'produced' || mapping === 'windows';
}

/** Renders `key[partition]`, or `key` for an unpartitioned asset. */
export function formatAssetPartition(key: string, partition: string): string {
  return partition === UNPARTITIONED ? key : `${key}[${partition}]`;
}
