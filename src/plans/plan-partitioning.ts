// How an asset of a plan's pipeline is partitioned for the plan (docs/plans.md, "How plans map
// onto assets and partitions"): per design point (produced by the study's DOE asset), per plan
// (the DOE asset's own partition set: the DOE and fan-ins such as pareto_front), one value (an
// unpartitioned asset), or none of the plan's partitions at all.
import type { AssetKey, StudyDefinition } from '../definitions/index.js';
import { partitionSetId } from '../definitions/partitions.js';
import type { AssetGraph } from '../graph/index.js';

/** What the plan's partitions of an asset are. */
export type PlanPartitioning = 'design' | 'plan' | 'single' | 'none';

/** The partitioning of each asset for plans of `study`, as a function of its key. */
export function planPartitioningOf(
  graph: AssetGraph,
  study: StudyDefinition,
): (key: AssetKey) => PlanPartitioning {
  const designsSet =
    study.designs === undefined
      ? undefined
      : graph.node(study.designs as AssetKey).definition.partitions;
  const designsId = designsSet === undefined ? undefined : partitionSetId(designsSet);
  return (key) => {
    const partitions = graph.node(key).definition.partitions;
    if (partitions === undefined) return 'single';
    if (partitions.kind === 'produced' && partitions.producer.key === study.designs)
      return 'design';
    if (designsId !== undefined && partitionSetId(partitions) === designsId) return 'plan';
    return 'none';
  };
}
