// How a plan's pipeline runs: one segment up to each checkpoint, in the pipeline's order, then
// the rest. Segment i selects the pipeline's assets upstream of (and including) its checkpoint's
// asset and everything before; a run of it stops there and the plan waits for a person.
import type { AssetKey } from '../definitions/index.js';
import { resolveSelection, type AssetGraph } from '../graph/index.js';
import type { ExperimentPlan } from './plan-schema.js';

/** One run's worth of a plan. */
export interface PlanSegment {
  /** The selection of the run, as comma-separated keys in topological order. */
  readonly selection: string;
  readonly keys: readonly AssetKey[];
  /** The index (into plan.checkpoints) of the checkpoint the segment stops at; null for the last. */
  readonly checkpoint: number | null;
}

/** The segments of `plan` on `graph` (the plan is valid for it). */
export function planSegments(plan: ExperimentPlan, graph: AssetGraph): PlanSegment[] {
  const pipeline = resolveSelection(graph, plan.pipeline).keys;
  const inPipeline = new Set<AssetKey>(pipeline);
  const order = plan.checkpoints
    .map((checkpoint, index) => ({ index, key: checkpoint.after as AssetKey }))
    .sort((a, b) => graph.node(a.key).order - graph.node(b.key).order);
  const segments: PlanSegment[] = [];
  const covered = new Set<AssetKey>();
  for (const { index, key } of order) {
    for (const upstream of graph.withUpstream([key]))
      if (inPipeline.has(upstream)) covered.add(upstream);
    const keys = graph.sortTopologically(covered);
    segments.push({ selection: keys.join(', '), keys, checkpoint: index });
  }
  const keys = graph.sortTopologically(pipeline);
  segments.push({ selection: keys.join(', '), keys, checkpoint: null });
  return segments;
}

/** The code versions of the assets a plan's pipeline selects, by key. */
export function pipelineCodeVersions(
  plan: ExperimentPlan,
  graph: AssetGraph,
): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const key of graph.sortTopologically(resolveSelection(graph, plan.pipeline).keys))
    versions[key] = graph.node(key).definition.codeVersion;
  return versions;
}

/** What changed between the code versions an approval saw and those running now, in words. */
export function codeVersionChanges(
  approved: Readonly<Record<string, string>>,
  running: Readonly<Record<string, string>>,
): string[] {
  const changes: string[] = [];
  for (const [key, version] of Object.entries(running)) {
    const before = approved[key];
    if (before === undefined)
      changes.push(`${key} is new in the pipeline (code version ${version})`);
    else if (before !== version) changes.push(`${key}: code version ${before} -> ${version}`);
  }
  for (const key of Object.keys(approved))
    if (!Object.hasOwn(running, key)) changes.push(`${key} is no longer in the pipeline`);
  return changes;
}
