// Which pending targets of a backfill may launch now: those none of whose reads (within the
// backfill) is still open. Edges come from the planner's step edges, so partition mappings,
// produced partitions and fan-ins behave as within one run; an unpartitioned fan-in waits for
// every open target of what it reads, so it launches last. A read that failed or is held keeps
// its readers pending until `strata backfill retry`.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { indexSteps, upstreamSteps, type PartitionSet } from '../planner/index.js';
import type { BackfillTargetState } from '../store/index.js';

/** A target not done yet, as a driver reads it. */
export interface OpenTarget {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly state: BackfillTargetState;
  readonly runId: number | null;
}

/** Up to `limit` pending targets of `open` (in its order) whose reads are all done. */
export function readyTargets(
  graph: AssetGraph,
  open: readonly OpenTarget[],
  partitionSets: ReadonlyMap<AssetKey, PartitionSet>,
  limit: number,
): OpenTarget[] {
  const index = indexSteps(open);
  const ready: OpenTarget[] = [];
  for (const target of open) {
    if (ready.length >= limit) break;
    if (target.state !== 'pending') continue;
    const reads = upstreamSteps(graph, target, index, partitionSets);
    if (reads.every((read) => read === target)) ready.push(target);
  }
  return ready;
}

/** `targets` in chunks of at most `size`, at most `count` chunks. */
export function chunksOf<T>(targets: readonly T[], size: number, count: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < targets.length && chunks.length < count; start += size)
    chunks.push(targets.slice(start, start + size));
  return chunks;
}
