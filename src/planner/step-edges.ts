// The edges between the steps of a run: a step waits for the steps of the dependency partitions
// it reads, and for the step of the asset that produces its partition set.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import {
  dependencyPartitions,
  producersOf,
  UNPARTITIONED,
  type AssetGraph,
} from '../graph/index.js';
import type { PartitionSet } from './partition-sets.js';

/** An asset partition that is (or will be) a step of a run. */
export interface StepRef {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
}

/** Index of steps by asset and partition. */
export type StepIndex<T> = Map<AssetKey, Map<PartitionKey, T>>;

/** Builds an index of items by (key, partition). */
export function indexSteps<T extends StepRef>(steps: Iterable<T>): StepIndex<T> {
  const index: StepIndex<T> = new Map();
  for (const step of steps) {
    let byPartition = index.get(step.key);
    if (!byPartition) index.set(step.key, (byPartition = new Map()));
    byPartition.set(step.partition, step);
  }
  return index;
}

/** What a step reads, told to a visitor (see visitReads). */
export interface ReadVisitor {
  /** Whether steps of `key` can be among the reads at all (the others are not looked at). */
  readonly has: (key: AssetKey) => boolean;
  /** The step reads partition `partition` of `key`. */
  readonly partition: (key: AssetKey, partition: PartitionKey) => void;
  /** The step reads every step of `key` there is (a fan-in, a produced set's producers). */
  readonly all: (key: AssetKey) => void;
}

/**
 * Tells `visitor` what `step` reads: every dependency partition, and the producer's steps when
 * its partitions (or a fan-in dependency's) are produced by an asset: the unpartitioned
 * producer's step, or the partitions of a partitioned producer that produced this partition (a
 * fan-in of a produced set reads every producer step; one reading what a producer partition
 * produced reads that partition's step). The same reads may be told more than once.
 */
export function visitReads(
  graph: AssetGraph,
  step: StepRef,
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
  visitor: ReadVisitor,
): void {
  const node = graph.node(step.key);
  const visitProducer = (
    producer: AssetKey | undefined,
    partitions: 'all' | readonly PartitionKey[],
  ): void => {
    if (producer === undefined || !visitor.has(producer)) return;
    if (!graph.node(producer).definition.partitions) visitor.partition(producer, UNPARTITIONED);
    else if (partitions === 'all') visitor.all(producer);
    else for (const partition of partitions) visitor.partition(producer, partition);
  };
  const producedBy = partitionSets.get(step.key)?.producedBy;
  visitProducer(
    node.partitionProducer,
    producedBy === undefined ? [] : producersOf(producedBy, step.partition),
  );
  for (const dep of node.dependencies) {
    if (dep.mapping === 'all') {
      visitProducer(graph.node(dep.key).partitionProducer, 'all');
      // A fan-in reads every step of the dependency, whatever the set was at plan time.
      if (visitor.has(dep.key)) visitor.all(dep.key);
      continue;
    }
    if (dep.mapping === 'produced')
      visitProducer(graph.node(dep.key).partitionProducer, [step.partition]);
    if (!visitor.has(dep.key)) continue;
    for (const partition of dependencyPartitions(
      dep,
      step.partition,
      partitionSets.get(dep.key),
      partitionSets.get(step.key),
    ))
      visitor.partition(dep.key, partition);
  }
}

/** The upstream steps of `step` among `index`: the steps of what it reads (visitReads). */
export function upstreamSteps<T extends StepRef>(
  graph: AssetGraph,
  step: StepRef,
  index: StepIndex<T>,
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
): T[] {
  const upstream = new Set<T>();
  visitReads(graph, step, partitionSets, {
    has: (key) => index.has(key),
    partition: (key, partition) => {
      const read = index.get(key)!.get(partition);
      if (read) upstream.add(read);
    },
    all: (key) => {
      for (const read of index.get(key)!.values()) upstream.add(read);
    },
  });
  return [...upstream];
}
