// Walks upstream causes down to their origins: "metrics[d03] is stale because ... because the
// mesh density setting changed". Walks every partition a cause stands for, not only the few it
// lists for display; renderers cut the roots and say how many they left out.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { NotFoundError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import type { StatusReport } from './compute-status.js';
import { partitionsReader } from './partitions-read.js';
import type { PartitionStatus, RootCause, StaleCause } from './status-types.js';

/** Looks up the status of one asset partition in a report, with a clear error if unknown. */
export function statusOf(
  report: StatusReport,
  key: AssetKey,
  partition: PartitionKey,
): PartitionStatus {
  const status = report.statuses.get(key)?.get(partition);
  if (status) return status;
  const set = report.partitionSets.get(key);
  if (set?.partitioned && partition === '') {
    throw new NotFoundError(
      `asset ${key} is partitioned: name a partition, e.g. ${key}[${set.keys[0] ?? 'KEY'}]`,
    );
  }
  throw new NotFoundError(`${formatAssetPartition(key, partition)} does not exist`, {
    hint:
      set && set.keys.length > 0
        ? `partitions of ${key}: ${set.keys.slice(0, 5).join(', ')}${set.keys.length > 5 ? ', ...' : ''}`
        : undefined,
  });
}

/** The root causes of a missing or stale asset partition, deduplicated, in topological order. */
export function rootCauses(
  report: StatusReport,
  key: AssetKey,
  partition: PartitionKey,
): RootCause[] {
  const roots = new Map<string, RootCause>();
  const visited = new Set<string>();
  const visit = (k: AssetKey, p: PartitionKey): void => {
    const id = `${k}\u0000${p}`;
    if (visited.has(id)) return;
    visited.add(id);
    const status = report.statuses.get(k)?.get(p);
    if (!status || status.status === 'fresh') return;
    const own = status.causes.filter((c) => c.category !== 'upstream');
    if (status.status === 'missing' || own.length > 0)
      roots.set(id, { key: k, partition: p, status: status.status, causes: own });
    for (const cause of status.causes) {
      if (cause.category !== 'upstream') continue;
      // cause.partitions is cut for display: walk every partition the cause stands for.
      for (const depPartition of upstreamPartitions(report, k, p, cause))
        visit(cause.dependency, depPartition);
    }
  };
  visit(key, partition);
  roots.delete(`${key}\u0000${partition}`);
  const graph = report.graph;
  return [...roots.values()].sort(
    (a, b) =>
      graph.node(a.key).order - graph.node(b.key).order || (a.partition < b.partition ? -1 : 1),
  );
}

/** Every partition of an upstream cause's dependency that `key[partition]` reads with its status. */
function upstreamPartitions(
  report: StatusReport,
  key: AssetKey,
  partition: PartitionKey,
  cause: Extract<StaleCause, { category: 'upstream' }>,
): readonly PartitionKey[] {
  if (cause.count <= cause.partitions.length) return cause.partitions;
  const dep = report.graph.node(key).dependencies.find((d) => d.key === cause.dependency);
  if (dep === undefined) return cause.partitions;
  const { partitionSets, statuses } = report;
  const read = partitionsReader(dep, partitionSets.get(dep.key), partitionSets.get(key));
  const depStatuses = statuses.get(dep.key);
  return read
    .partitionsOf(partition)
    .filter((p) => (depStatuses?.get(p)?.status ?? 'missing') === cause.dependencyStatus);
}
