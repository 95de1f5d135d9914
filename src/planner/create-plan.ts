// Plans a materialization: statuses of the selection, the steps to run (missing + stale, or all
// with force), their order and edges, each explained by its causes.
import type { Kysely } from 'kysely';
import { partitionKeyProblem, type AssetKey, type PartitionKey } from '../definitions/index.js';
import { InvariantError, UsageError } from '../errors.js';
import { resolveSelection, type AssetGraph, type ResolvedSelection } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { didYouMean } from '../util/closest.js';
import { computeStatus, currentInputs, type StatusReport } from './compute-status.js';
import type { PartitionSet } from './partition-sets.js';
import { BlockedReads } from './blocked-reads.js';
import { indexSteps, upstreamSteps } from './step-edges.js';
import { UnavailableInputError } from './unavailable-input-error.js';
import type { StaleCause, StatusName } from './status-types.js';

export interface PlanOptions {
  /** Plan every selected partition, fresh ones included. */
  readonly force?: boolean;
  /** Restrict every partitioned asset of the selection to these partitions. */
  readonly partitions?: readonly PartitionKey[];
  /**
   * Statuses evaluated a moment ago that cover the selection and its upstream (the automation
   * daemon's): planned from instead of evaluating again. Steps still check their inputs just in
   * time, so a materialization recorded in between only turns a step into an early cutoff.
   */
  readonly report?: StatusReport;
}

/** One step of a plan: an asset partition to materialize and why. */
export interface PlannedStep {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly status: StatusName;
  readonly forced: boolean;
  readonly causes: readonly StaleCause[];
  /** Indexes (into Plan.steps) of the steps this one waits for. */
  readonly upstream: readonly number[];
}

/**
 * A selected partition that is not planned although missing or stale, because it would read a
 * partition a blocking check failed on (directly, or through another held partition).
 */
export interface HeldStep {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly status: StatusName;
  /** The blocked partition it waits for, at the root of the chain. */
  readonly blockedBy: { readonly key: AssetKey; readonly partition: PartitionKey };
  /** The blocking checks that failed there. */
  readonly checks: readonly string[];
}

/** A plan: exactly what `strata plan` prints and `strata materialize` runs. */
export interface Plan {
  readonly selection: ResolvedSelection;
  readonly report: StatusReport;
  /** Steps in topological order. */
  readonly steps: readonly PlannedStep[];
  /** Selected partitions that are fresh and therefore not planned. */
  readonly freshCount: number;
  /** Selected partitions blocked by their own failing blocking check, not planned (without force). */
  readonly blockedCount: number;
  /** Missing or stale partitions not planned because what they read is blocked. */
  readonly held: readonly HeldStep[];
  /** Selected assets whose partitions are produced by a planned step and expand at run time. */
  readonly expandsAtRunTime: readonly AssetKey[];
  readonly force: boolean;
}

function partitionFilter(
  graph: AssetGraph,
  selection: ResolvedSelection,
  options: PlanOptions,
): Map<AssetKey, Set<PartitionKey>> {
  const filter = new Map<AssetKey, Set<PartitionKey>>();
  for (const [key, parts] of selection.partitions) filter.set(key, new Set(parts));
  if (options.partitions && options.partitions.length > 0) {
    for (const partition of options.partitions) {
      const problem = partitionKeyProblem(partition);
      if (problem)
        throw new UsageError(`--partition ${JSON.stringify(partition)} is invalid: ${problem}`);
    }
    const partitioned = selection.keys.filter((key) => graph.node(key).definition.partitions);
    if (partitioned.length === 0) {
      throw new UsageError(
        `--partition was given, but no asset in selection "${selection.text}" is partitioned`,
      );
    }
    // Partitions produced by a partitioned producer follow the producer's (producedFilter).
    for (const key of partitioned.filter((k) => !producedByPartitioned(graph, k))) {
      const existing = filter.get(key);
      const wanted = new Set(options.partitions);
      filter.set(key, existing ? new Set([...existing].filter((p) => wanted.has(p))) : wanted);
    }
  }
  return filter;
}

/** Whether `key`'s partitions are produced by a partitioned producer. */
function producedByPartitioned(graph: AssetGraph, key: AssetKey): boolean {
  const partitions = graph.node(key).definition.partitions;
  return partitions?.kind === 'produced' && partitions.producer.partitions !== undefined;
}

/**
 * With --partition, an asset whose partitions a partitioned producer produces is restricted to
 * what the producer's requested partitions produced (and, at run time, what they produce then).
 * Returns the assets restricted so.
 */
function producedFilter(
  report: StatusReport,
  selection: ResolvedSelection,
  filter: Map<AssetKey, Set<PartitionKey>>,
  options: PlanOptions,
): Set<AssetKey> {
  const derived = new Set<AssetKey>();
  if (!options.partitions || options.partitions.length === 0) return derived;
  for (const key of selection.keys) {
    if (!producedByPartitioned(report.graph, key)) continue;
    const producer = report.graph.node(key).partitionProducer!;
    const producerWanted = filter.get(producer) ?? new Set(options.partitions);
    const producedBy = report.partitionSets.get(key)?.producedBy;
    const wanted = new Set<PartitionKey>();
    for (const partition of producerWanted)
      for (const produced of producedBy?.get(partition) ?? []) wanted.add(produced);
    const existing = filter.get(key);
    filter.set(key, existing ? new Set([...existing].filter((p) => wanted.has(p))) : wanted);
    derived.add(key);
  }
  return derived;
}

/** The keys of a partition set as a Set, built once per set (the daemon's sets persist). */
const keySets = new WeakMap<PartitionSet, ReadonlySet<PartitionKey>>();
function keySet(set: PartitionSet): ReadonlySet<PartitionKey> {
  let keys = keySets.get(set);
  if (keys === undefined) keySets.set(set, (keys = new Set(set.keys)));
  return keys;
}

function checkRequestedPartitions(
  report: StatusReport,
  filter: Map<AssetKey, Set<PartitionKey>>,
  plannedProducers: Set<AssetKey>,
  derived: ReadonlySet<AssetKey>,
): void {
  for (const [key, wanted] of filter) {
    if (derived.has(key)) continue;
    const set = report.partitionSets.get(key)!;
    const producer = report.graph.node(key).partitionProducer;
    if (producer && plannedProducers.has(producer)) continue; // the set is about to change
    const known = keySet(set);
    for (const partition of wanted) {
      if (!known.has(partition)) {
        const hint =
          set.awaitingProducer !== undefined
            ? `its partitions come from ${set.awaitingProducer}, which has not been materialized yet`
            : (didYouMean(partition, set.keys) ??
              `it has ${set.keys.length} partitions: ${set.keys.slice(0, 5).join(', ')}${set.keys.length > 5 ? ', ...' : ''}`);
        throw new UsageError(`asset ${key} has no partition ${JSON.stringify(partition)}`, {
          hint,
        });
      }
    }
  }
}

/** Plans the materialization of `selectionText` (all assets when empty). */
export async function createPlan(
  db: Kysely<Database>,
  graph: AssetGraph,
  selectionText: string | undefined,
  options: PlanOptions = {},
): Promise<Plan> {
  const selection = resolveSelection(graph, selectionText);
  const filter = partitionFilter(graph, selection, options);
  // Restricted partitions are judged with what they read, not every partition upstream.
  const report =
    options.report ??
    (await computeStatus(db, graph, selection.keys, undefined, { partitions: filter }));
  if (options.report !== undefined) checkReportCovers(report, selection.keys);
  const derived = producedFilter(report, selection, filter, options);
  const force = options.force ?? false;

  const planned: Array<Omit<PlannedStep, 'upstream'>> = [];
  const plannedProducers = new Set<AssetKey>();
  const holds = new BlockedReads(report);
  let freshCount = 0;
  let blockedCount = 0;
  for (const key of selection.keys) {
    // Source assets are observed (before planning), never computed in a run.
    if (graph.node(key).definition.observation !== undefined) continue;
    const wanted = filter.get(key);
    for (const [partition, status] of report.statuses.get(key)!) {
      if (wanted && !wanted.has(partition)) continue;
      if (status.status === 'fresh' && !force) {
        freshCount++;
        continue;
      }
      // Rebuilding with the same inputs and code would fail the same check: only when forced.
      if (status.status === 'blocked' && !force) {
        blockedCount++;
        continue;
      }
      if (holds.hold(key, partition, status.status)) continue;
      planned.push({
        key,
        partition,
        status: status.status,
        forced: force && (status.status === 'fresh' || status.status === 'blocked'),
        causes: status.status === 'fresh' ? [] : status.causes,
      });
      holds.planned(key, partition);
      if (graph.partitionedBy(key).length > 0) plannedProducers.add(key);
    }
  }
  checkRequestedPartitions(report, filter, plannedProducers, derived);

  const index = indexSteps(planned.map((step, position) => ({ ...step, position })));
  const steps: PlannedStep[] = planned.map((step) => ({
    ...step,
    upstream: upstreamSteps(graph, step, index, report.partitionSets).map((s) => s.position),
  }));
  checkInputsAvailable(report, steps, index);

  const selected = new Set(selection.keys);
  const expandsAtRunTime = selection.keys.filter((key) => {
    const producer = graph.node(key).partitionProducer;
    return producer !== undefined && selected.has(producer) && (index.get(producer)?.size ?? 0) > 0;
  });
  return {
    selection,
    report,
    steps,
    freshCount,
    blockedCount,
    held: holds.held,
    expandsAtRunTime,
    force,
  };
}

function checkReportCovers(report: StatusReport, keys: readonly AssetKey[]): void {
  const missing = keys.find((key) => !report.statuses.has(key));
  if (missing !== undefined)
    throw new InvariantError(`the statuses given to plan with do not cover ${missing}`);
}

/** Refuses a plan whose steps would read a dependency partition that is missing and not planned. */
function checkInputsAvailable(
  report: StatusReport,
  steps: readonly PlannedStep[],
  index: ReturnType<typeof indexSteps>,
): void {
  for (const step of steps) {
    const { expectedPartitions } = currentInputs(
      report.graph,
      step.key,
      step.partition,
      report.partitionSets,
      report.latest,
    );
    for (const [depKey, parts] of expectedPartitions) {
      const latest = report.latest.get(depKey);
      for (const depPartition of parts) {
        if (latest?.has(depPartition) || index.get(depKey)?.has(depPartition)) continue;
        throw new UnavailableInputError({
          key: step.key,
          partition: step.partition,
          input: depKey,
          inputPartition: depPartition,
          source: report.graph.node(depKey).definition.observation !== undefined,
        });
      }
    }
  }
}
