// The edges between the steps of a run: a step waits for the steps of the dependency partitions
// it reads, and for the step of the asset that produces its partition set.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { dependencyPartitions, producersOf, type AssetGraph } from '../graph/index.js';
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

/**
 * The upstream steps of `step` among `index`: the steps of every dependency partition it reads,
 * and the producer's steps when its partitions (or a fan-in dependency's) are produced by an
 * asset: the unpartitioned producer's step, or the steps of a partitioned producer's partitions
 * that produced this partition (a fan-in of a produced set waits for every producer step; one
 * reading what a producer partition produced waits for that partition's step).
 */
export function upstreamSteps<T extends StepRef>(
  graph: AssetGraph,
  step: StepRef,
  index: StepIndex<T>,
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
): T[] {
  const node = graph.node(step.key);
  const upstream = new Set<T>();
  const addProducerSteps = (
    producer: AssetKey | undefined,
    partitions: 'all' | readonly PartitionKey[],
  ): void => {
    const producerSteps = producer === undefined ? undefined : index.get(producer);
    if (producerSteps === undefined) return;
    if (!graph.node(producer!).definition.partitions) {
      const only = producerSteps.get('');
      if (only) upstream.add(only);
      return;
    }
    if (partitions === 'all')
      for (const producerStep of producerSteps.values()) upstream.add(producerStep);
    else
      for (const partition of partitions) {
        const producerStep = producerSteps.get(partition);
        if (producerStep) upstream.add(producerStep);
      }
  };
  const producedBy = partitionSets.get(step.key)?.producedBy;
  addProducerSteps(
    node.partitionProducer,
    producedBy === undefined ? [] : producersOf(producedBy, step.partition),
  );
  for (const dep of node.dependencies) {
    const depSteps = index.get(dep.key);
    if (dep.mapping === 'all') {
      addProducerSteps(graph.node(dep.key).partitionProducer, 'all');
      // A fan-in waits for every step of the dependency in the run, whatever the set was at plan time.
      for (const depStep of depSteps?.values() ?? []) upstream.add(depStep);
      continue;
    }
    if (dep.mapping === 'produced')
      addProducerSteps(graph.node(dep.key).partitionProducer, [step.partition]);
    if (!depSteps) continue;
    for (const partition of dependencyPartitions(
      dep,
      step.partition,
      partitionSets.get(dep.key),
      partitionSets.get(step.key),
    )) {
      const depStep = depSteps.get(partition);
      if (depStep) upstream.add(depStep);
    }
  }
  return [...upstream];
}
