// What the API says about a stored plan beyond its document, read against the definitions of the
// moment: the study's bounds, the number of design points and the points themselves (a pure
// function of the plan and the study's space), and the pipeline resolved to asset keys in
// topological order. A study no longer declared, or a pipeline that no longer resolves, reads as
// null rather than failing the plan's page.
import { resolveSelection, SelectionError, type AssetGraph } from '../../graph/index.js';
import {
  planDesignPoints,
  storedPlanJson,
  type ExperimentPlan,
  type PlannedDesignPoint,
  type StoredPlan,
  type StudySpace,
} from '../../plans/index.js';

/** Points the detail answers by default, and at most (`pointLimit`). */
export const DEFAULT_POINT_LIMIT = 1_000;
export const MAX_POINT_LIMIT = 10_000;
/** A DOE asking for more points than this is counted, not enumerated. */
export const MAX_ENUMERATED_POINTS = 100_000;

/** The space of the plan's study as the definitions declare it now, or null. */
export function studySpaceOf(graph: AssetGraph, plan: ExperimentPlan): StudySpace | null {
  const study = graph.definitions.studies.get(plan.study);
  return study === undefined ? null : { variables: study.variables, levels: study.levels };
}

/** How many design points the DOE of `plan` asks for in `space` (without computing them). */
export function designPointCount(plan: ExperimentPlan, space: StudySpace): number {
  const { doe } = plan;
  if (doe.kind === 'latin_hypercube') return doe.samples;
  if (doe.kind === 'points') return doe.points.length;
  let count = 1;
  for (const name of Object.keys(space.variables)) count *= doe.levels[name] ?? 1;
  for (const name of Object.keys(space.levels))
    count *= (plan.levels[name] ?? space.levels[name]!).length;
  return count;
}

/** A plan of the list: the stored plan and its number of design points (null without a study). */
export function planSummaryJson(plan: StoredPlan, graph: AssetGraph) {
  const space = studySpaceOf(graph, plan.document);
  return {
    ...storedPlanJson(plan),
    pointCount: space === null ? null : designPointCount(plan.document, space),
  };
}

/** The asset keys of the plan's pipeline in topological order, or null when it does not resolve. */
export function pipelineAssetsOf(graph: AssetGraph, plan: ExperimentPlan): string[] | null {
  try {
    return [...resolveSelection(graph, plan.pipeline).keys];
  } catch (error) {
    if (error instanceof SelectionError) return null;
    throw error;
  }
}

/** One plan with what its page needs: the first `pointLimit` design points among the rest. */
export function planDetailJson(plan: StoredPlan, graph: AssetGraph, pointLimit: number) {
  const space = studySpaceOf(graph, plan.document);
  let points: readonly PlannedDesignPoint[] = [];
  let pointCount: number | null = null;
  if (space !== null) {
    pointCount = designPointCount(plan.document, space);
    if (pointCount <= MAX_ENUMERATED_POINTS) {
      points = planDesignPoints(plan.document, space);
      pointCount = points.length;
    }
  }
  return {
    ...storedPlanJson(plan),
    document: plan.document,
    studyBounds:
      space === null
        ? null
        : {
            variables: { ...space.variables },
            levels: Object.fromEntries(
              Object.entries(space.levels).map(([name, levels]) => [name, [...levels]]),
            ),
          },
    pointCount,
    points: points.slice(0, pointLimit).map((point) => ({ key: point.key, values: point.values })),
    pipelineAssets: pipelineAssetsOf(graph, plan.document),
  };
}
