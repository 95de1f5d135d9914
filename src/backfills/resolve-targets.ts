// The target set of a backfill request: every selected asset that is computed (not a source),
// in dependency order, each with the partitions the filters leave (unpartitioned assets: one
// target, key ''). Range bounds and listed partitions must exist in each partitioned asset.
import type { Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { UsageError } from '../errors.js';
import { resolveSelection, type AssetGraph } from '../graph/index.js';
import { computeStatus, loadPartitionActivity } from '../planner/index.js';
import type { Database } from '../store/index.js';
import { didYouMean } from '../util/closest.js';
import type { BackfillRequest } from './backfill-request.js';
import type { TargetArrays } from './sql/insert-backfill.js';

/** The selection's text and its targets. */
export interface ResolvedTargets extends TargetArrays {
  readonly selection: string;
}

/** Resolves `request` against the definitions and the current statuses. */
export async function resolveTargets(
  db: Kysely<Database>,
  graph: AssetGraph,
  request: BackfillRequest,
): Promise<ResolvedTargets> {
  const selection = resolveSelection(graph, request.selection);
  const keys = selection.keys.filter((key) => graph.node(key).definition.observation === undefined);
  const report = await computeStatus(db, graph, keys);
  const activity = request.failed === true ? await loadPartitionActivity(db, keys) : undefined;
  const listed = request.partitions?.length ? new Set(request.partitions) : undefined;
  const out = { keys: [] as string[], partitions: [] as string[] };
  for (const key of keys) {
    let partitions = [...report.statuses.get(key)!.keys()];
    if (graph.node(key).definition.partitions !== undefined) {
      const only = selection.partitions.get(key);
      if (only !== undefined) partitions = partitions.filter((p) => only.includes(p));
      partitions = inRange(key, partitions, request);
      if (listed !== undefined) {
        for (const partition of listed) known(key, partition, partitions);
        partitions = partitions.filter((p) => listed.has(p));
      }
    }
    if (request.missing === true || request.failed === true) {
      const statuses = report.statuses.get(key)!;
      partitions = partitions.filter(
        (p) =>
          (request.missing === true && statuses.get(p)?.status === 'missing') ||
          (request.failed === true && activity?.get(key)?.get(p)?.failed === true),
      );
    }
    for (const partition of partitions) {
      out.keys.push(key);
      out.partitions.push(partition);
    }
  }
  if (out.keys.length === 0) {
    throw new UsageError(`selection "${selection.text}" leaves nothing to backfill`, {
      hint: 'check the partition filters (--from/--to, --partition, --missing, --failed)',
    });
  }
  return { selection: selection.text, ...out };
}

/** The partitions of `key` from request.from to request.to (inclusive), in partition order. */
function inRange(
  key: AssetKey,
  partitions: readonly PartitionKey[],
  request: BackfillRequest,
): PartitionKey[] {
  const start = request.from === undefined ? 0 : known(key, request.from, partitions, '--from');
  const end =
    request.to === undefined ? partitions.length - 1 : known(key, request.to, partitions, '--to');
  if (start > end) {
    throw new UsageError(
      `--from ${request.from} comes after --to ${request.to} in the partitions of ${key}`,
    );
  }
  return partitions.slice(start, end + 1);
}

/** The index of `partition` in `partitions`; a UsageError naming the asset when absent. */
function known(
  key: AssetKey,
  partition: string,
  partitions: readonly PartitionKey[],
  option = '--partition',
): number {
  const index = partitions.indexOf(partition as PartitionKey);
  if (index >= 0) return index;
  throw new UsageError(
    `${option} ${JSON.stringify(partition)}: asset ${key} has no such partition`,
    {
      hint:
        didYouMean(partition, partitions) ??
        `its partitions run from ${partitions[0] ?? '(none)'} to ${partitions.at(-1) ?? '(none)'}`,
    },
  );
}
