// Whether a step that follows in a line may be fused: computed in memory right after the step
// before it, by the same worker, and recorded with it in one completion (fuse-chain.ts). Pure:
// tested without a database in test/executor/fusion-decision.test.ts.
//
// A fused step has no attempt of its own until its completion commits, so fusion is kept to
// what can be redone at no cost if the worker dies before that commit: steps that computed
// quickly last time (within what is left of the commit window), called no tools and stored no
// artifacts, run in this process (not on Slurm), take no pool slot, produce no partitions and
// have no checks.
import { executorOf, type AssetKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { fromStatesOf } from '../store/index.js';
import type { ChainSuccessor } from './sql/chain-successors.js';

/** Lifecycle table (src/store/step-transitions-table.ts): what fusion moves a step from. */
const FUSE_FROM: readonly string[] = fromStatesOf('fuse');

/** Why a successor is not fused; the line of fused steps ends there. */
export type FusionStop =
  | 'stopping'
  | 'not waiting on the step before alone'
  | 'in a pool'
  | 'unknown to this worker'
  | 'planned with another code version'
  | 'runs on Slurm'
  | 'produces partitions'
  | 'has checks'
  | 'never computed before'
  | 'slow last time'
  | 'called tools or stored artifacts last time';

/** Fuse, or why not. */
export type FusionVerdict =
  { readonly fuse: true } | { readonly fuse: false; readonly stop: FusionStop };

/** Whether `successor` may be fused with `remainingMs` left of the commit window. */
export function fusionVerdict(
  graph: AssetGraph,
  successor: ChainSuccessor,
  remainingMs: number,
  stopping: boolean,
): FusionVerdict {
  const stop = (reason: FusionStop): FusionVerdict => ({ fuse: false, stop: reason });
  const { step } = successor;
  if (stopping) return stop('stopping');
  if (!FUSE_FROM.includes(step.status) || step.deps_remaining !== 1)
    return stop('not waiting on the step before alone');
  if (step.pool !== null) return stop('in a pool');
  const key = step.asset_key as AssetKey;
  if (!graph.has(key)) return stop('unknown to this worker');
  const definition = graph.node(key).definition;
  if (definition.codeVersion !== step.code_version)
    return stop('planned with another code version');
  if (executorOf(graph.definitions, definition)?.kind === 'slurm') return stop('runs on Slurm');
  if (graph.partitionedBy(key).length > 0) return stop('produces partitions');
  // Its checks' verdicts are recorded with it, and a blocking failure fails it: not fused.
  if (graph.checksOf(key).length > 0) return stop('has checks');
  if (successor.lastDurationMs === null) return stop('never computed before');
  if (successor.lastDurationMs >= remainingMs) return stop('slow last time');
  if (successor.lastCalledTools || successor.lastStoredArtifacts)
    return stop('called tools or stored artifacts last time');
  return { fuse: true };
}
