// The failing verdicts of blocking checks on the latest materializations: what makes a partition
// `blocked` and its dependants unable to read it. Whether a check blocks is the current
// definitions' to say; only assets that declare a blocking check are read (one query).
import type { Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { loadLatestCheckResults, type CheckResult } from '../provenance/index.js';
import type { Database } from '../store/index.js';
import type { StaleCause } from './status-types.js';

/** Asset -> partition -> the failing verdicts of its blocking checks on its latest materialization. */
export type BlockingFailures = Map<AssetKey, Map<PartitionKey, readonly CheckResult[]>>;

/** The assets among `keys` with a blocking check. */
export function guardedAssets(graph: AssetGraph, keys: Iterable<AssetKey>): AssetKey[] {
  return [...keys].filter((key) => graph.hasBlockingCheck(key));
}

/** Loads the failing blocking verdicts of `keys`' latest materializations. */
export async function loadBlockingFailures(
  db: Kysely<Database>,
  graph: AssetGraph,
  keys: Iterable<AssetKey>,
): Promise<BlockingFailures> {
  const guarded = guardedAssets(graph, keys);
  const failures: BlockingFailures = new Map();
  if (guarded.length === 0) return failures;
  const results = await loadLatestCheckResults(db, guarded);
  for (const [key, byPartition] of results) {
    const blocking = new Set(
      graph
        .checksOf(key)
        .filter((c) => c.blocking)
        .map((c) => c.name),
    );
    const failing = new Map<PartitionKey, readonly CheckResult[]>();
    for (const [partition, verdicts] of byPartition) {
      const failed = verdicts.filter((v) => !v.passed && blocking.has(v.checkName));
      if (failed.length > 0) failing.set(partition, failed);
    }
    if (failing.size > 0) failures.set(key, failing);
  }
  return failures;
}

/** The `check` causes of failing verdicts. */
export function checkCauses(key: AssetKey, failed: readonly CheckResult[]): StaleCause[] {
  return failed.map((verdict) => ({
    category: 'check',
    dependency: key,
    reason: `blocking check ${verdict.checkName} failed on materialization ${verdict.materializationId}${verdict.description === null ? '' : `: ${verdict.description}`}`,
    check: verdict.checkName,
    materializationId: verdict.materializationId,
    description: verdict.description,
  }));
}

/** The partitions whose failing verdicts differ between two failure maps of one asset. */
export function changedFailures(
  a: ReadonlyMap<PartitionKey, readonly CheckResult[]> | undefined,
  b: ReadonlyMap<PartitionKey, readonly CheckResult[]> | undefined,
): Set<PartitionKey> {
  const changed = new Set<PartitionKey>();
  const ids = (list: readonly CheckResult[] | undefined): string =>
    (list ?? []).map((v) => v.evaluationId).join(',');
  for (const partition of new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])]))
    if (ids(a?.get(partition)) !== ids(b?.get(partition))) changed.add(partition);
  return changed;
}
