// Status of every partition of a set of assets, computed set-based: one query for the latest
// materializations, one for partition sets, one for the consumed inputs of the few whose
// fingerprint changed. Everything else is an in-memory walk in topological order.
import type { Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { dependencyPartitions, formatAssetPartition, type AssetGraph } from '../graph/index.js';
import {
  inputHashOf,
  loadConsumedInputs,
  loadLatest,
  type InputVersion,
  type LatestIndex,
  type LatestVersion,
} from '../provenance/index.js';
import type { Database } from '../store/index.js';
import { resolvePartitionSets, type PartitionSet } from './partition-sets.js';
import { explainInputChanges } from './input-changes.js';
import { MAX_CAUSE_PARTITIONS, type PartitionStatus, type StaleCause } from './status-types.js';

/** Statuses of every partition of the assets evaluated (the requested ones and their upstream). */
export interface StatusReport {
  readonly graph: AssetGraph;
  readonly partitionSets: ReadonlyMap<AssetKey, PartitionSet>;
  readonly latest: LatestIndex;
  readonly statuses: ReadonlyMap<AssetKey, ReadonlyMap<PartitionKey, PartitionStatus>>;
  /** When the statuses were computed. */
  readonly evaluatedAt: Date;
}

interface PendingDetail {
  key: AssetKey;
  partition: PartitionKey;
  latest: LatestVersion;
  expected: InputVersion[];
  expectedPartitions: Map<AssetKey, readonly PartitionKey[]>;
  causes: StaleCause[];
}

/** The current input versions of one partition: what a computation now would consume. */
export function currentInputs(
  graph: AssetGraph,
  key: AssetKey,
  partition: PartitionKey,
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
  latest: LatestIndex,
): { inputs: InputVersion[]; expectedPartitions: Map<AssetKey, readonly PartitionKey[]>; complete: boolean } {
  const inputs: InputVersion[] = [];
  const expectedPartitions = new Map<AssetKey, readonly PartitionKey[]>();
  let complete = true;
  for (const dep of graph.node(key).dependencies) {
    const parts = dependencyPartitions(dep, partition, partitionSets.get(dep.key)?.keys ?? []);
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

function upstreamCauses(
  graph: AssetGraph,
  key: AssetKey,
  expectedPartitions: Map<AssetKey, readonly PartitionKey[]>,
  statuses: Map<AssetKey, Map<PartitionKey, PartitionStatus>>,
): StaleCause[] {
  const causes: StaleCause[] = [];
  for (const dep of graph.node(key).dependencies) {
    const depStatuses = statuses.get(dep.key);
    const missing: PartitionKey[] = [];
    const stale: PartitionKey[] = [];
    for (const depPartition of expectedPartitions.get(dep.key) ?? []) {
      const status = depStatuses?.get(depPartition)?.status ?? 'missing';
      if (status === 'missing') missing.push(depPartition);
      else if (status === 'stale') stale.push(depPartition);
    }
    for (const [dependencyStatus, parts] of [['missing', missing], ['stale', stale]] as const) {
      if (parts.length === 0) continue;
      const shown = parts.slice(0, MAX_CAUSE_PARTITIONS);
      const what = dep.mapping === 'all'
        ? `${parts.length} partition${parts.length === 1 ? '' : 's'} of ${dep.key} ${parts.length === 1 ? 'is' : 'are'} ${dependencyStatus}`
        : `${formatAssetPartition(dep.key, parts[0]!)} is ${dependencyStatus}`;
      causes.push({
        category: 'upstream',
        reason: `${what}, so it will change`,
        dependency: dep.key,
        dependencyStatus,
        partitions: shown,
        count: parts.length,
      });
    }
  }
  return causes;
}

/**
 * Computes the status of every partition of `keys` and of everything upstream of them.
 * `now` is injectable for tests.
 */
export async function computeStatus(db: Kysely<Database>, graph: AssetGraph, keys: Iterable<AssetKey>, now: Date = new Date()): Promise<StatusReport> {
  const closure = new Set<AssetKey>();
  for (const key of keys) {
    closure.add(key);
    for (const upstream of graph.upstream(key)) closure.add(upstream);
  }
  const order = graph.sortTopologically(closure);
  const [partitionSets, latest] = await Promise.all([resolvePartitionSets(db, graph, order), loadLatest(db, order)]);

  const statuses = new Map<AssetKey, Map<PartitionKey, PartitionStatus>>();
  const pending: PendingDetail[] = [];
  for (const key of order) {
    const node = graph.node(key);
    const codeVersion = node.definition.codeVersion;
    const assetLatest = latest.get(key)!;
    const assetStatuses = new Map<PartitionKey, PartitionStatus>();
    statuses.set(key, assetStatuses);
    for (const partition of partitionSets.get(key)!.keys) {
      const { inputs, expectedPartitions } = currentInputs(graph, key, partition, partitionSets, latest);
      const causes = node.dependencies.length > 0 ? upstreamCauses(graph, key, expectedPartitions, statuses) : [];
      const previous = assetLatest.get(partition);
      if (!previous) {
        assetStatuses.set(partition, { status: 'missing', causes });
        continue;
      }
      const codeChanged = previous.codeVersion !== codeVersion;
      if (codeChanged) {
        causes.unshift({
          category: 'code',
          reason: `code version changed from ${previous.codeVersion} to ${codeVersion}`,
          previous: previous.codeVersion,
          current: codeVersion,
        });
      }
      const inputsChanged = inputHashOf(key, partition, previous.codeVersion, inputs) !== previous.inputHash;
      if (inputsChanged) {
        pending.push({ key, partition, latest: previous, expected: inputs, expectedPartitions, causes });
      }
      assetStatuses.set(
        partition,
        causes.length > 0 || inputsChanged ? { status: 'stale', causes, latest: previous } : { status: 'fresh', latest: previous },
      );
    }
  }

  if (pending.length > 0) {
    const consumed = await loadConsumedInputs(db, pending.map((p) => p.latest.materializationId));
    for (const item of pending) {
      const detail = explainInputChanges(item.expected, item.expectedPartitions, consumed.get(item.latest.materializationId) ?? []);
      if (detail.length === 0 && item.causes.length === 0) {
        // Only possible when the fingerprint recipe changed or rows were edited by hand.
        detail.push({ category: 'data', reason: 'the recorded input fingerprint no longer matches its inputs', dependency: item.key, partitions: [], count: 0 });
      }
      // Input-change causes go after code and before upstream causes, in a stable order.
      const codeCauses = item.causes.filter((c) => c.category === 'code');
      const rest = item.causes.filter((c) => c.category !== 'code');
      item.causes.splice(0, item.causes.length, ...codeCauses, ...detail, ...rest);
    }
  }
  return { graph, partitionSets, latest, statuses, evaluatedAt: now };
}
