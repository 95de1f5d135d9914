// The edges between the steps of a run: a step waits for the steps of the dependency partitions
// it reads, and for the step of the asset that produces its partition set.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { dependencyPartitions, type AssetGraph } from '../graph/index.js';
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
 * and the producer's step when its partitions (or a fan-in dependency's) are produced by an asset.
 */
export function upstreamSteps<T extends StepRef>(
  graph: AssetGraph,
  step: StepRef,
  index: StepIndex<T>,
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
): T[] {
  const node = graph.node(step.key);
  const upstream = new Set<T>();
  const addProducer = (producer: AssetKey | undefined): void => {
    const producerStep = producer === undefined ? undefined : index.get(producer)?.get('');
    if (producerStep) upstream.add(producerStep);
  };
  addProducer(node.partitionProducer);
  for (const dep of node.dependencies) {
    const depSteps = index.get(dep.key);
    if (dep.mapping === 'all') {
      addProducer(graph.node(dep.key).partitionProducer);
      // A fan-in waits for every step of the dependency in the run, whatever the set was at plan time.
      for (const depStep of depSteps?.values() ?? []) upstream.add(depStep);
      continue;
    }
    if (!depSteps) continue;
    for (const partition of dependencyPartitions(
      dep,
      step.partition,
      partitionSets.get(dep.key)?.keys ?? [],
    )) {
      const depStep = depSteps.get(partition);
      if (depStep) upstream.add(depStep);
    }
  }
  return [...upstream];
}
