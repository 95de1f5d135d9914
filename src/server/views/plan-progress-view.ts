// What the API says about an experiment plan's execution, beside its detail (plan-view.ts): its
// runs with their step counts, the dry run (what executing it builds and what is built already)
// and its results, read from the database now. The dry run and the results need the plan's study
// and pipeline as the definitions declare them now; without them (or with a DOE too large to
// enumerate) they read as null, as the points do.
import { loadPlanRuns, type PlanRunJson } from '../../executor/index.js';
import type { AssetGraph } from '../../graph/index.js';
import { planDryRun, type PlanDryRun, type StoredPlan } from '../../plans/index.js';
import { planResults, type PlanResults } from '../../plans/index.js';
import type { ServerContext } from '../server-context.js';
import { MAX_ENUMERATED_POINTS, pipelineAssetsOf, studySpaceOf } from './plan-view.js';

/** A plan's runs, dry run and results. */
export interface PlanProgressJson {
  readonly runs: readonly PlanRunJson[];
  readonly dryRun: PlanDryRun | null;
  readonly results: PlanResults | null;
}

/** Whether the definitions of the moment let the plan's dry run and results be read. */
function readable(graph: AssetGraph, plan: StoredPlan, pointCount: number | null): boolean {
  return (
    studySpaceOf(graph, plan.document) !== null &&
    pipelineAssetsOf(graph, plan.document) !== null &&
    pointCount !== null &&
    pointCount <= MAX_ENUMERATED_POINTS
  );
}

/** The runs, dry run and results of `plan` (whose DOE gives `pointCount` points). */
export async function planProgressJson(
  server: Pick<ServerContext, 'db' | 'graph'>,
  plan: StoredPlan,
  pointCount: number | null,
): Promise<PlanProgressJson> {
  const { db, graph } = server;
  const ok = readable(graph, plan, pointCount);
  const [runs, dryRun, results] = await Promise.all([
    loadPlanRuns(db, plan.id),
    ok ? planDryRun(db, graph, plan.id, plan.document) : null,
    ok ? planResults(db, graph, plan.id, plan.document) : null,
  ]);
  return { runs, dryRun, results };
}
