// The results of an experiment plan as they stand (docs/plans.md): for each asset of its pipeline
// partitioned per plan (the DOE and fan-ins such as pareto_front), the latest materialization of
// the plan's partition with its metadata; for each per-design asset, how many of the plan's design
// points are built. Design points are content-keyed, so a point another plan built counts too.
import type { Kysely } from 'kysely';
import type { AssetKey } from '../definitions/index.js';
import { resolveSelection, type AssetGraph } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { planDesignPoints } from './design-points.js';
import { planPartitioningOf } from './plan-partitioning.js';
import type { ExperimentPlan } from './plan-schema.js';

/** The plan's own partition of an asset partitioned per plan, and what it holds now. */
export interface PlanResult {
  readonly asset: string;
  /** The plan's id: the asset's partition of the plan. */
  readonly partition: string;
  /** Its latest materialization; null while it is not built. */
  readonly latest: {
    readonly materializationId: number;
    readonly runId: number | null;
    readonly materializedAt: Date;
    readonly metadata: Readonly<Record<string, unknown>>;
  } | null;
}

/** How many of the plan's design points a per-design asset has built. */
export interface DesignResult {
  readonly asset: string;
  readonly designPoints: number;
  readonly built: number;
}

/** The results of a plan, in the pipeline's order. */
export interface PlanResults {
  readonly perPlan: readonly PlanResult[];
  readonly perDesign: readonly DesignResult[];
}

/** The results of `plan` (id `planId`, valid for `graph`) as materialized now. */
export async function planResults(
  db: Kysely<Database>,
  graph: AssetGraph,
  planId: string,
  plan: ExperimentPlan,
): Promise<PlanResults> {
  const study = graph.definitions.studies.get(plan.study)!;
  const partitioning = planPartitioningOf(graph, study);
  const keys = graph
    .sortTopologically(resolveSelection(graph, plan.pipeline).keys)
    .filter((key) => graph.node(key).definition.observation === undefined);
  const perPlanKeys = keys.filter((key) => partitioning(key) === 'plan');
  const perDesignKeys = keys.filter((key) => partitioning(key) === 'design');
  const points = perDesignKeys.length === 0 ? [] : planDesignPoints(plan, study).map((p) => p.key);
  const [latest, counts] = await Promise.all([
    perPlanKeys.length === 0
      ? []
      : db
          .selectFrom('strata_internal.latest_materializations as l')
          .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
          .select(['l.asset_key', 'm.id', 'm.run_id', 'l.materialized_at', 'm.metadata'])
          .where('l.asset_key', '=', (eb) => eb.fn.any(eb.val(perPlanKeys as string[])))
          .where('l.partition_key', '=', planId)
          .execute(),
    perDesignKeys.length === 0 || points.length === 0
      ? []
      : db
          .selectFrom('strata_internal.latest_materializations')
          .select(['asset_key', (eb) => eb.fn.countAll<string>().as('n')])
          .where('asset_key', '=', (eb) => eb.fn.any(eb.val(perDesignKeys as string[])))
          .where('partition_key', '=', (eb) => eb.fn.any(eb.val(points)))
          .groupBy('asset_key')
          .execute(),
  ]);
  const latestOf = new Map(latest.map((row) => [row.asset_key, row]));
  const builtOf = new Map(counts.map((row) => [row.asset_key, Number(row.n)]));
  return {
    perPlan: perPlanKeys.map((asset: AssetKey) => {
      const row = latestOf.get(asset);
      return {
        asset,
        partition: planId,
        latest:
          row === undefined
            ? null
            : {
                materializationId: row.id,
                runId: row.run_id,
                materializedAt: row.materialized_at,
                metadata: row.metadata,
              },
      };
    }),
    perDesign: perDesignKeys.map((asset) => ({
      asset,
      designPoints: points.length,
      built: builtOf.get(asset) ?? 0,
    })),
  };
}
