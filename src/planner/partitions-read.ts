// Which partitions of a dependency each partition of an asset reads, as the status walk and the
// root-cause walk both need it: a fan-in's sorted, `all` sorted once per asset.
import type { PartitionKey, ResolvedDependency } from '../definitions/index.js';
import { dependencyPartitions } from '../graph/index.js';
import type { PartitionSet } from './partition-sets.js';

/** The dependency partitions one partition reads, and whether it reads them as a fan-in. */
export interface PartitionsReader {
  /** Whether the dependant reads many partitions (a record) rather than one value. */
  readonly fanIn: boolean;
  /** The dependency partitions one partition reads; a fan-in's sorted. */
  readonly partitionsOf: (partition: PartitionKey) => readonly PartitionKey[];
}

/** How partitions of an asset (set `ownSet`) read `dep` (set `depSet`). */
export function partitionsReader(
  dep: ResolvedDependency,
  depSet: PartitionSet | undefined,
  ownSet: PartitionSet | undefined,
): PartitionsReader {
  switch (dep.mapping) {
    case 'all': {
      const all = [...(depSet?.keys ?? [])].sort();
      return { fanIn: true, partitionsOf: () => all };
    }
    case 'produced':
    case 'windows':
      return {
        fanIn: true,
        partitionsOf: (partition) => [...dependencyPartitions(dep, partition, depSet)].sort(),
      };
    default:
      return {
        fanIn: false,
        partitionsOf: (partition) => dependencyPartitions(dep, partition, depSet, ownSet),
      };
  }
}
