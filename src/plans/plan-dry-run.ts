// The planner's own dry run of a plan (docs/plans.md): before anyone approves it, what executing
// it would compute and what it would find already built. Design points are content-keyed, so a
// point another DOE sampled is already materialized: per asset of the pipeline, how many of the
// plan's partitions exist and how many are new. (What is built is reused when its inputs are
// unchanged; the run decides that just in time.)
import type { Kysely } from 'kysely';
import type { AssetKey } from '../definitions/index.js';
import { resolveSelection, type AssetGraph } from '../graph/index.js';
import { loadLatest } from '../provenance/index.js';
import type { Database } from '../store/index.js';
import { planDesignPoints } from './design-points.js';
import { planPartitioningOf } from './plan-partitioning.js';
import type { ExperimentPlan } from './plan-schema.js';

/** What one asset of the pipeline would do for the plan. */
export interface DryRunAsset {
  readonly asset: string;
  /** The plan's partitions of it: its design points, its own partition, or the one value. */
  readonly partitions: number;
  /** Of those, how many are materialized already (by other DOEs or an earlier run). */
  readonly built: number;
}

/** The dry run of a plan. */
export interface PlanDryRun {
  readonly designPoints: number;
  /** Design points another DOE already sampled (their per-design results exist). */
  readonly sharedDesignPoints: number;
  readonly assets: readonly DryRunAsset[];
}

/** The dry run of `plan` (id `planId`, valid for `graph`) against what is materialized now. */
export async function planDryRun(
  db: Kysely<Database>,
  graph: AssetGraph,
  planId: string,
  plan: ExperimentPlan,
): Promise<PlanDryRun> {
  const study = graph.definitions.studies.get(plan.study)!;
  const points = planDesignPoints(plan, study).map((p) => p.key);
  const keys = graph.sortTopologically(resolveSelection(graph, plan.pipeline).keys);
  const latest = await loadLatest(db, keys);
  const partitioning = planPartitioningOf(graph, study);
  const partitionsOf = (key: AssetKey): readonly string[] => {
    switch (partitioning(key)) {
      case 'single':
        return [''];
      case 'design':
        return points;
      case 'plan':
        return [planId];
      case 'none':
        return [];
    }
  };
  const assets = keys
    .filter((key) => graph.node(key).definition.observation === undefined)
    .map((key) => {
      const partitions = partitionsOf(key);
      const built = partitions.filter((p) => latest.get(key)?.has(p) === true).length;
      return { asset: key, partitions: partitions.length, built };
    })
    .filter((entry) => entry.partitions > 0);
  const perDesign = keys.filter((key) => partitionsOf(key) === points);
  const sharedDesignPoints = points.filter((p) =>
    perDesign.every((key) => latest.get(key)?.has(p) === true),
  ).length;
  return {
    designPoints: points.length,
    sharedDesignPoints: perDesign.length === 0 ? 0 : sharedDesignPoints,
    assets,
  };
}
