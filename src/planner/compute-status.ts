// Status of every partition of a set of assets, computed set-based: one query for the latest
// materializations, one for partition sets, one for the consumed inputs of the few whose
// fingerprint changed. Everything else is an in-memory walk in topological order.
import type { Kysely } from 'kysely';
import { InvariantError } from '../errors.js';
import type { AssetKey, PartitionKey, ResolvedDependency } from '../definitions/index.js';
import {
  dependencyPartitions,
  formatAssetPartition,
  isFanInMapping,
  type AssetGraph,
} from '../graph/index.js';
import {
  inputHashOf,
  loadConsumedInputs,
  loadLatest,
  loadLatestAt,
  type InputVersion,
  type LatestIndex,
  type LatestVersion,
} from '../provenance/index.js';
import type { Database } from '../store/index.js';
import { checkCauses, loadBlockingFailures, type BlockingFailures } from './blocking-failures.js';
import { resolvePartitionSets, type PartitionSet } from './partition-sets.js';
import { explainInputChanges } from './input-changes.js';
import { partitionsReader, type PartitionsReader } from './partitions-read.js';
import { chooseBulkAssets } from './bulk/bulk-eligibility.js';
import { neededPartitions, type NeededPartitions } from './needed-partitions.js';
import { evaluateBulkAsset, type BulkCounts } from './bulk/bulk-statuses.js';
import { MAX_CAUSE_PARTITIONS, type PartitionStatus, type StaleCause } from './status-types.js';

/** Statuses of every partition of the assets evaluated (the requested ones and their upstream). */
export interface StatusReport {
  readonly graph: AssetGraph;
  readonly partitionSets: ReadonlyMap<AssetKey, PartitionSet>;
  readonly latest: LatestIndex;
  readonly statuses: ReadonlyMap<AssetKey, ReadonlyMap<PartitionKey, PartitionStatus>>;
  /** Failing blocking-check verdicts on latest materializations (blocking-failures.ts). */
  readonly blockingFailures: BlockingFailures;
  /** When the statuses were computed. */
  readonly evaluatedAt: Date;
  /**
   * Assets judged in bulk (bulk/bulk-eligibility.ts): their statuses hold only the partitions
   * that are not fresh, and these counts the rest. Absent unless the caller asked for it.
   */
  readonly bulk?: ReadonlyMap<AssetKey, BulkCounts>;
}

/** How to compute statuses. */
export interface StatusOptions {
  /**
   * Assets whose fresh and missing partitions may be counted instead of listed (those without
   * partition restrictions, for a summary); the large ones that qualify are judged in bulk.
   */
  readonly bulk?: Iterable<AssetKey>;
  /** The smallest partition set judged in bulk (default BULK_MIN_PARTITIONS, 50,000). */
  readonly bulkMinPartitions?: number;
  /**
   * Only these partitions of these assets are wanted (a plan's `key[p1,p2]`, a backfill's
   * chunks): they are judged, and upstream only the partitions they read
   * (needed-partitions.ts); the statuses of other partitions are absent. Not with `bulk`.
   */
  readonly partitions?: ReadonlyMap<AssetKey, Iterable<PartitionKey>>;
}

interface PendingDetail {
  key: AssetKey;
  partition: PartitionKey;
  latest: LatestVersion;
  expected: InputVersion[];
  expectedPartitions: Map<AssetKey, readonly PartitionKey[]>;
  /** The dependencies read as fan-ins. */
  fanIns: ReadonlySet<AssetKey>;
  causes: StaleCause[];
}

/** The current input versions of one partition: what a computation now would consume. */
export function currentInputs(
  graph: AssetGraph,
  key: AssetKey,
  partition: PartitionKey,
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
  latest: LatestIndex,
): {
  inputs: InputVersion[];
  expectedPartitions: Map<AssetKey, readonly PartitionKey[]>;
  complete: boolean;
} {
  const inputs: InputVersion[] = [];
  const expectedPartitions = new Map<AssetKey, readonly PartitionKey[]>();
  let complete = true;
  for (const dep of graph.node(key).dependencies) {
    const parts = dependencyPartitions(
      dep,
      partition,
      partitionSets.get(dep.key),
      partitionSets.get(key),
    );
    expectedPartitions.set(dep.key, parts);
    const depLatest = latest.get(dep.key);
    for (const depPartition of parts) {
      const version = depLatest?.get(depPartition);
      if (version) inputs.push({ depKey: dep.key, depPartition, dataVersion: version.dataVersion });
      else complete = false;
    }
  }
  return { inputs, expectedPartitions, complete };
}

function upstreamCause(
  dep: ResolvedDependency,
  dependencyStatus: 'missing' | 'stale' | 'blocked',
  parts: readonly PartitionKey[],
): StaleCause {
  const what = isFanInMapping(dep.mapping)
    ? `${parts.length} partition${parts.length === 1 ? '' : 's'} of ${dep.key} ${parts.length === 1 ? 'is' : 'are'} ${dependencyStatus}`
    : `${formatAssetPartition(dep.key, parts[0]!)} is ${dependencyStatus}`;
  return {
    category: 'upstream',
    reason:
      dependencyStatus === 'blocked'
        ? `${what} by a failing blocking check, so it cannot be read`
        : `${what}, so it will change`,
    dependency: dep.key,
    dependencyStatus,
    partitions: parts.slice(0, MAX_CAUSE_PARTITIONS),
    count: parts.length,
  };
}

/** What evaluating one asset's partitions needs of each dependency, looked up once per asset. */
interface DependencyView extends PartitionsReader {
  readonly dep: ResolvedDependency;
  readonly latest: ReadonlyMap<PartitionKey, LatestVersion> | undefined;
  readonly statuses: ReadonlyMap<PartitionKey, PartitionStatus> | undefined;
}

/**
 * The inputs a computation of `partition` would consume now, and the upstream causes (missing
 * or stale dependency partitions). Inputs come out sorted when `views` are sorted by key.
 * `grown`: a fan-in reads a partition never materialized, which no earlier materialization can
 * have consumed: the set of partitions it reads changed although no input version did.
 */
function evaluateInputs(
  views: readonly DependencyView[],
  partition: PartitionKey,
): { inputs: InputVersion[]; causes: StaleCause[]; grown: boolean } {
  const inputs: InputVersion[] = [];
  const causes: StaleCause[] = [];
  let grown = false;
  for (const view of views) {
    const { dep } = view;
    const parts = view.partitionsOf(partition);
    if (view.fanIn) {
      const missing: PartitionKey[] = [];
      const stale: PartitionKey[] = [];
      const blocked: PartitionKey[] = [];
      for (const depPartition of parts) {
        const version = view.latest?.get(depPartition);
        if (version)
          inputs.push({ depKey: dep.key, depPartition, dataVersion: version.dataVersion });
        else grown = true;
        const status = view.statuses?.get(depPartition)?.status ?? 'missing';
        if (status === 'missing') missing.push(depPartition);
        else if (status === 'stale') stale.push(depPartition);
        else if (status === 'blocked') blocked.push(depPartition);
      }
      if (missing.length > 0) causes.push(upstreamCause(dep, 'missing', missing));
      if (stale.length > 0) causes.push(upstreamCause(dep, 'stale', stale));
      if (blocked.length > 0) causes.push(upstreamCause(dep, 'blocked', blocked));
      continue;
    }
    const depPartition = parts[0];
    if (depPartition === undefined) continue;
    const version = view.latest?.get(depPartition);
    if (version) inputs.push({ depKey: dep.key, depPartition, dataVersion: version.dataVersion });
    const status = view.statuses?.get(depPartition)?.status ?? 'missing';
    if (status !== 'fresh') causes.push(upstreamCause(dep, status, [depPartition]));
  }
  return { inputs, causes, grown };
}

/** How one asset's partitions read `dep`, from the partition sets of both ends. */
function dependencyView(
  state: StatusState,
  key: AssetKey,
  dep: ResolvedDependency,
): DependencyView {
  const { latest, statuses, partitionSets } = state;
  return {
    dep,
    latest: latest.get(dep.key),
    statuses: statuses.get(dep.key),
    ...partitionsReader(dep, partitionSets.get(dep.key), partitionSets.get(key)),
  };
}

/** What evaluating statuses works on: maps the incremental status cache updates in place. */
export interface StatusState {
  readonly graph: AssetGraph;
  readonly partitionSets: Map<AssetKey, PartitionSet>;
  readonly latest: LatestIndex;
  readonly statuses: Map<AssetKey, Map<PartitionKey, PartitionStatus>>;
  /** Failing blocking-check verdicts on latest materializations (blocking-failures.ts). */
  readonly blockingFailures: BlockingFailures;
}

/** Partitions whose inputs changed since their latest materialization: causes named later. */
export type PendingDetails = PendingDetail[];

/**
 * The evaluator of one asset's partitions against the current state (its dependencies' latest
 * versions and statuses). Partitions whose inputs changed are added to `pending`, to be
 * explained by explainPending().
 */
export function assetEvaluator(
  state: StatusState,
  key: AssetKey,
  pending: PendingDetails,
): (partition: PartitionKey) => PartitionStatus {
  const { graph, partitionSets, latest } = state;
  const node = graph.node(key);
  const codeVersion = node.definition.codeVersion;
  const assetLatest = latest.get(key)!;
  if (node.definition.observation !== undefined) {
    // A source asset is as current as its latest observation: observed means fresh.
    return (partition) => {
      const previous = assetLatest.get(partition);
      return previous ? { status: 'fresh', latest: previous } : { status: 'missing', causes: [] };
    };
  }
  const views: DependencyView[] = [...node.dependencies]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((dep) => dependencyView(state, key, dep));
  const fanIns = new Set(views.filter((view) => view.fanIn).map((view) => view.dep.key));
  const failures = state.blockingFailures.get(key);
  return (partition) => {
    const { inputs, causes, grown } = evaluateInputs(views, partition);
    const previous = assetLatest.get(partition);
    if (!previous) return { status: 'missing', causes };
    // A failing blocking verdict counts while it is on the latest materialization.
    const failed = failures?.get(partition);
    const checks =
      failed !== undefined && failed[0]!.materializationId === previous.materializationId
        ? checkCauses(key, failed)
        : undefined;
    if (previous.codeVersion !== codeVersion) {
      causes.unshift({
        category: 'code',
        reason: `code version changed from ${previous.codeVersion} to ${codeVersion}`,
        previous: previous.codeVersion,
        current: codeVersion,
      });
    }
    // A grown fan-in set is named (a `dependencies` cause) as soon as the set changes, not
    // only once the new partitions are built and their versions enter the input hash.
    const inputsChanged =
      grown || inputHashOf(key, partition, previous.codeVersion, inputs) !== previous.inputHash;
    if (inputsChanged) {
      const { expectedPartitions } = currentInputs(graph, key, partition, partitionSets, latest);
      pending.push({
        key,
        partition,
        latest: previous,
        expected: inputs,
        expectedPartitions,
        fanIns,
        causes,
      });
    }
    if (causes.length > 0 || inputsChanged) {
      if (checks !== undefined) causes.unshift(...checks);
      return { status: 'stale', causes, latest: previous };
    }
    return checks !== undefined
      ? { status: 'blocked', causes: checks, latest: previous }
      : { status: 'fresh', latest: previous };
  };
}

/**
 * Computes the status of every partition of `keys` and of everything upstream of them.
 * `now` is injectable for tests.
 */
export async function computeStatus(
  db: Kysely<Database>,
  graph: AssetGraph,
  keys: Iterable<AssetKey>,
  now: Date = new Date(),
  options: StatusOptions = {},
): Promise<StatusState & Pick<StatusReport, 'evaluatedAt' | 'bulk'>> {
  const asked = new Set(keys);
  const order = graph.sortTopologically(graph.withUpstream(asked));
  const candidates = new Set(options.bulk ?? []);
  const restricted = options.partitions !== undefined && options.partitions.size > 0;
  if (restricted && candidates.size > 0)
    throw new InvariantError('computeStatus: bulk and partitions exclude each other');
  // Bulk judgement and restrictions need the sets first; without either, all in parallel.
  const setsFirst =
    candidates.size === 0 && !restricted
      ? undefined
      : await resolvePartitionSets(db, graph, order, now);
  const bulkKeys =
    setsFirst === undefined || candidates.size === 0
      ? new Set<AssetKey>()
      : chooseBulkAssets(graph, order, setsFirst, candidates, options.bulkMinPartitions);
  const needed: NeededPartitions =
    setsFirst === undefined || !restricted
      ? new Map()
      : neededPartitions(graph, order, asked, options.partitions!, setsFirst);
  const [partitionSets, latest, latestAt, blockingFailures] = await Promise.all([
    setsFirst ?? resolvePartitionSets(db, graph, order, now),
    loadLatest(
      db,
      order.filter((key) => !bulkKeys.has(key) && !needed.has(key)),
    ),
    loadLatestAt(db, needed),
    loadBlockingFailures(db, graph, order),
  ]);
  for (const [key, rows] of latestAt) latest.set(key, rows);
  for (const key of bulkKeys) latest.set(key, new Map());
  const state: StatusState = {
    graph,
    partitionSets,
    latest,
    statuses: new Map(),
    blockingFailures,
  };
  const pending: PendingDetails = [];
  const bulk = new Map<AssetKey, BulkCounts>();
  for (const key of order) {
    if (bulkKeys.has(key)) {
      bulk.set(key, await evaluateBulkAsset(db, state, key, pending));
      continue;
    }
    const assetStatuses = new Map<PartitionKey, PartitionStatus>();
    state.statuses.set(key, assetStatuses);
    const evaluate = assetEvaluator(state, key, pending);
    for (const partition of needed.get(key) ?? partitionSets.get(key)!.keys)
      assetStatuses.set(partition, evaluate(partition));
  }
  await explainPending(db, pending);
  return bulk.size === 0 ? { ...state, evaluatedAt: now } : { ...state, evaluatedAt: now, bulk };
}

/** Names the `dependencies`/`data` causes of partitions whose inputs changed (one query). */
export async function explainPending(db: Kysely<Database>, pending: PendingDetails): Promise<void> {
  if (pending.length === 0) return;
  const consumed = await loadConsumedInputs(
    db,
    pending.map((p) => p.latest.materializationId),
  );
  for (const item of pending) {
    const detail = explainInputChanges(
      item.expected,
      item.expectedPartitions,
      consumed.get(item.latest.materializationId) ?? [],
      item.fanIns,
    );
    if (detail.length === 0 && item.causes.length === 0) {
      // Only possible when the fingerprint recipe changed or rows were edited by hand.
      detail.push({
        category: 'data',
        reason: 'the recorded input fingerprint no longer matches its inputs',
        dependency: item.key,
        partitions: [],
        count: 0,
      });
    }
    // Input-change causes go after check and code causes and before upstream causes.
    const codeCauses = item.causes.filter((c) => c.category === 'check' || c.category === 'code');
    const rest = item.causes.filter((c) => c.category !== 'check' && c.category !== 'code');
    item.causes.splice(0, item.causes.length, ...codeCauses, ...detail, ...rest);
  }
}
