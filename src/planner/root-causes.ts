// Walks upstream causes down to their origins: "metrics[d03] is stale because ... because the
// mesh density setting changed".
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { NotFoundError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import type { StatusReport } from './compute-status.js';
import type { PartitionStatus, RootCause } from './status-types.js';

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
      if (cause.category === 'upstream')
        for (const depPartition of cause.partitions) visit(cause.dependency, depPartition);
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
