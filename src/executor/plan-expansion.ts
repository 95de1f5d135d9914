// What a partition producer's materialization does to its run, decided without a database:
// which steps to add for newly produced partitions (and for fan-ins that read them), which
// pending steps to skip because their partition is no longer produced, and the edges and
// waiting counts that wire the new steps in. expand-partitions.ts reads the rows this needs and
// applies the plan in the completing transaction. A partitioned producer's partition expands
// what it produced, and the fan-ins partitioned like the producer at its partition.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { partitionSetId } from '../definitions/partitions.js';
import type { AssetGraph, ResolvedSelection } from '../graph/index.js';
import { indexSteps, upstreamSteps, type PartitionSet, type StepRef } from '../planner/index.js';
import {
  fromStatesOf,
  TERMINAL_STEP_STATUSES,
  transitionTo,
  type StepStatus,
} from '../store/index.js';

/** A step of the run, as the expansion reads it. */
export interface ExistingStep extends StepRef {
  readonly id: number;
  readonly status: StepStatus;
}

/** The assets an expansion touches. */
export interface ExpansionScope {
  /** Selected assets whose partitions the producer produces. */
  readonly targets: readonly AssetKey[];
  /**
   * Selected assets downstream of them that read many of their partitions, in order:
   * unpartitioned ones, and (for a partitioned producer) those partitioned like the producer.
   */
  readonly fanIns: readonly AssetKey[];
  /** The assets whose steps the plan needs: the producer, the targets and the fan-ins. */
  readonly assets: readonly AssetKey[];
}

/** What the plan is made from: the graph, the run and the rows its transaction read. */
export interface ExpansionInput {
  readonly graph: AssetGraph;
  /** The asset whose step produced the keys. */
  readonly producer: AssetKey;
  /** The partition of the producer's step (`''` for an unpartitioned producer). */
  readonly producerPartition: PartitionKey;
  /**
   * For a partitioned producer: the keys its other partitions produce now. A pending step of
   * one of them is not skipped though this partition no longer produces it.
   */
  readonly producedElsewhere?: ReadonlySet<PartitionKey>;
  /** The run's selection, resolved. */
  readonly selection: ResolvedSelection;
  /** The run's `partitions` option: restricts targets the selection does not restrict. */
  readonly runPartitions: readonly PartitionKey[];
  /** The partition keys the producer produced. */
  readonly producedKeys: readonly PartitionKey[];
  /** The run's steps of `expansionScope(...).assets`, with their current status. */
  readonly existing: readonly ExistingStep[];
}

/** A step to add to the run. */
export interface NewStep extends StepRef {
  /** `waiting` for `depsRemaining` upstream steps, or `queued` when there are none. */
  readonly status: 'waiting' | 'queued';
  readonly depsRemaining: number;
}

/** One end of a planned edge: an existing step (its id) or a new one (id null until inserted). */
export interface EdgeEnd extends StepRef {
  readonly id: number | null;
}

/** An edge to add: `downstream` waits for `upstream`; at least one of them is new. */
export interface PlannedEdge {
  readonly upstream: EdgeEnd;
  readonly downstream: EdgeEnd;
}

/** What an expansion changes in its run. */
export interface ExpansionPlan {
  /** Steps to insert, in the order their assets and the produced keys were given. */
  readonly create: readonly NewStep[];
  /** Pending steps of partitions no longer produced: skipped, and their dependants released. */
  readonly skip: readonly ExistingStep[];
  readonly edges: readonly PlannedEdge[];
  /** Existing steps that gain upstream steps: their waiting count grows by `by`. */
  readonly waitLonger: readonly { readonly id: number; readonly by: number }[];
  /** The new steps with nothing to wait for (status queued): to be enqueued. */
  readonly ready: readonly NewStep[];
}

const NOTHING: ExpansionPlan = { create: [], skip: [], edges: [], waitLonger: [], ready: [] };
const WAITING = transitionTo('expand', 'waiting');
const QUEUED = transitionTo('expand', 'queued');
/** Steps an expansion may skip: any not started (in practice they wait for the producer). */
const SKIPPABLE = fromStatesOf('expand', 'skipped');

/** The assets the producer `producer` expands in a run of `selection`. */
export function expansionScope(
  graph: AssetGraph,
  producer: AssetKey,
  selection: ResolvedSelection,
): ExpansionScope {
  const selected = new Set(selection.keys);
  const targets = selection.keys.filter((key) => graph.node(key).partitionProducer === producer);
  const downstream = graph.sortTopologically(
    targets
      .flatMap((key) => [...graph.downstream(key)])
      .filter((key) => selected.has(key) && !targets.includes(key)),
  );
  const producerPartitions = graph.node(producer).definition.partitions;
  const producerSet = producerPartitions && partitionSetId(producerPartitions);
  const fanIns = downstream.filter((key) => {
    const partitions = graph.node(key).definition.partitions;
    return !partitions || (producerSet !== undefined && partitionSetId(partitions) === producerSet);
  });
  return { targets, fanIns, assets: [producer, ...targets, ...fanIns] };
}

/** A map key for a step by asset and partition. */
export function stepRefKey(ref: { readonly key: string; readonly partition: string }): string {
  return `${ref.key}\u0000${ref.partition}`;
}

/** A step as the wiring sees it: new or existing, and whether it will still finish. */
interface WiredStep extends StepRef {
  readonly existing: ExistingStep | undefined;
  /** Not terminal after this expansion: it will release (or skip) its dependants when it ends. */
  readonly open: boolean;
}

function edgeEnd(step: WiredStep): EdgeEnd {
  return { key: step.key, partition: step.partition, id: step.existing?.id ?? null };
}

/**
 * Decides the expansion of a run after its producer step produced `producedKeys`: a step for
 * each produced partition of each target that has none (unless the selection or the run's
 * partitions exclude it) and for each fan-in not in the run; a skip for each pending target step
 * whose partition is no longer produced; and an edge from every upstream step that has yet to
 * finish to every step that reads it, where one of the two is new. An upstream step that has
 * finished needs no edge: done, it is readable; skipped or failed, it has already released or
 * skipped its dependants. Existing steps that gain edges wait for the producer, so they are
 * waiting.
 */
export function planExpansion(input: ExpansionInput): ExpansionPlan {
  const { graph, producer, producerPartition, selection, runPartitions, existing } = input;
  const { targets, fanIns } = expansionScope(graph, producer, selection);
  if (targets.length === 0) return NOTHING;
  const index = indexSteps(existing);
  const produced = new Set(input.producedKeys);
  const partitionedProducer = graph.node(producer).definition.partitions !== undefined;
  const stillProduced = (partition: PartitionKey): boolean =>
    produced.has(partition) || input.producedElsewhere?.has(partition) === true;

  const added: StepRef[] = [];
  const skip: ExistingStep[] = [];
  for (const key of targets) {
    // The run's partitions name the producer's partitions; their products are all in scope.
    const restricted =
      selection.partitions.get(key) ??
      (runPartitions.length > 0 && !partitionedProducer ? runPartitions : undefined);
    const allowed = restricted === undefined ? undefined : new Set(restricted);
    const steps = index.get(key);
    for (const partition of produced) {
      if (steps?.has(partition) || (allowed && !allowed.has(partition))) continue;
      added.push({ key, partition });
    }
    for (const step of steps?.values() ?? [])
      if (!stillProduced(step.partition) && SKIPPABLE.includes(step.status)) skip.push(step);
  }
  for (const key of fanIns) {
    const partition = graph.node(key).definition.partitions ? producerPartition : '';
    if (!index.get(key)?.has(partition)) added.push({ key, partition });
  }
  if (added.length === 0 && skip.length === 0) return NOTHING;

  const skipped = new Set(skip.map((step) => step.id));
  const wired: WiredStep[] = [
    ...existing.map((step) => ({
      key: step.key,
      partition: step.partition,
      existing: step,
      open: !skipped.has(step.id) && !TERMINAL_STEP_STATUSES.includes(step.status),
    })),
    ...added.map((ref) => ({ ...ref, existing: undefined, open: true })),
  ];
  const wiredIndex = indexSteps(wired);
  // What the producer's partition produced, for the mappings that read it.
  const sets = new Map<AssetKey, PartitionSet>();
  if (partitionedProducer) {
    const producedBy = new Map([[producerPartition, input.producedKeys]]);
    for (const key of targets)
      sets.set(key, { keys: input.producedKeys, partitioned: true, producedBy });
  }
  const edges: PlannedEdge[] = [];
  const depsOf = new Map<string, number>();
  for (const step of wired) {
    if (!step.open) continue;
    for (const upstream of upstreamSteps(graph, step, wiredIndex, sets)) {
      if (!upstream.open || (step.existing && upstream.existing)) continue;
      edges.push({ upstream: edgeEnd(upstream), downstream: edgeEnd(step) });
      depsOf.set(stepRefKey(step), (depsOf.get(stepRefKey(step)) ?? 0) + 1);
    }
  }

  const create = added.map((ref): NewStep => {
    const depsRemaining = depsOf.get(stepRefKey(ref)) ?? 0;
    return { ...ref, status: depsRemaining > 0 ? WAITING : QUEUED, depsRemaining };
  });
  const waitLonger = existing
    .filter((step) => depsOf.has(stepRefKey(step)))
    .map((step) => ({ id: step.id, by: depsOf.get(stepRefKey(step))! }));
  return {
    create,
    skip,
    edges,
    waitLonger,
    ready: create.filter((step) => step.status === QUEUED),
  };
}
