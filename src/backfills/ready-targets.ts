// Which pending targets of a backfill may launch now: those none of whose reads (within the
// backfill) is still open. Reads come from the planner's step edges (visitReads), so partition
// mappings, produced partitions and fan-ins behave as within one run; an unpartitioned fan-in
// waits for every open target of what it reads, so it launches last. A read that failed or is
// held keeps its readers pending until `strata backfill retry`.
//
// Cost: pending targets are read in dependency order a page at a time (keyset on `ord`), and a
// page's reads are answered by one query on the exact (asset, partition) pairs it reads; a read
// of every target of an asset is answered by the assets with open targets, known beforehand (and
// as such a read is the same for every partition of the reader, the reader's other targets are
// left out of the next pages). So an advance reads the pending targets up to the last one it
// launches (and those waiting before it), never the whole target set.
import type { Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { visitReads, type PartitionSet } from '../planner/index.js';
import type { Database } from '../store/index.js';
import { openReads } from './sql/open-reads.js';
import { pendingPage } from './sql/pending-page.js';

/** A pending target, as a driver reads and launches it. */
export interface PendingTarget {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  /** Its place in dependency order. */
  readonly ord: number;
}

/** The first page read; pages then double up to MAX_PAGE while no more are ready. */
export const MIN_PAGE = 64;
export const MAX_PAGE = 4096;

/** What readyTargets reads with. */
export interface ReadyQuery {
  readonly backfillId: number;
  readonly graph: AssetGraph;
  /** The defined assets with targets not done (pending, launched, failed or held). */
  readonly openAssets: ReadonlySet<AssetKey>;
  /** The partition sets of `openAssets`. */
  readonly partitionSets: ReadonlyMap<AssetKey, PartitionSet>;
  /** How many ready targets are wanted at most. */
  readonly limit: number;
  /** A fixed page size (tests); by default MIN_PAGE or `limit`, doubling up to MAX_PAGE. */
  readonly pageSize?: number;
}

/** Up to `query.limit` ready pending targets, in dependency order. */
export async function readyTargets(
  db: Kysely<Database>,
  query: ReadyQuery,
): Promise<PendingTarget[]> {
  const ready: PendingTarget[] = [];
  if (query.limit <= 0) return ready;
  let size = query.pageSize ?? Math.min(MAX_PAGE, Math.max(MIN_PAGE, query.limit));
  let after = 0; // positions start at 1
  // Assets whose every pending target waits for a fan-in read (see readyOfPage).
  const waiting = new Set<AssetKey>();
  for (;;) {
    const rows = await pendingPage(db, query.backfillId, after, size, [...waiting]);
    const page = rows.map((r) => ({
      key: r.asset_key as AssetKey,
      partition: r.partition_key as PartitionKey,
      ord: r.ord,
    }));
    for (const target of await readyOfPage(db, query, page, waiting)) {
      ready.push(target);
      if (ready.length >= query.limit) return ready;
    }
    if (rows.length < size) return ready;
    after = rows.at(-1)!.ord;
    if (query.pageSize === undefined) size = Math.min(MAX_PAGE, size * 2);
  }
}

const pairId = (key: string, partition: string): string => `${key}\u0000${partition}`;

/**
 * The targets of `page` none of whose reads is open (one query for the whole page). Adds to
 * `waiting` the assets of targets that read every target of an asset with open ones: a mapping
 * of the whole asset, the same for all their partitions, so all of them wait.
 */
async function readyOfPage(
  db: Kysely<Database>,
  query: ReadyQuery,
  page: readonly PendingTarget[],
  waiting: Set<AssetKey>,
): Promise<PendingTarget[]> {
  const { graph, openAssets, partitionSets } = query;
  // Per target: the exact pairs it reads among the assets with open targets, or null when it
  // reads every target of such an asset (a fan-in: one of them at least is open).
  const readsOf: (string[] | null)[] = [];
  const asked = new Map<string, { key: string; partition: string }>();
  for (const target of page) {
    let pairs: string[] | null = [];
    visitReads(graph, target, partitionSets, {
      has: (key) => openAssets.has(key),
      partition: (key, partition) => {
        if (pairs === null || (key === target.key && partition === target.partition)) return;
        const id = pairId(key, partition);
        pairs.push(id);
        if (!asked.has(id)) asked.set(id, { key, partition });
      },
      // Assets are acyclic, so this is never the target's own asset.
      all: () => void (pairs = null),
    });
    readsOf.push(pairs);
    if (pairs === null) waiting.add(target.key);
  }
  const pairs = [...asked.values()];
  const open = new Set(
    (
      await openReads(
        db,
        query.backfillId,
        pairs.map((p) => p.key),
        pairs.map((p) => p.partition),
      )
    ).map((r) => pairId(r.asset_key, r.partition_key)),
  );
  return page.filter((_, i) => {
    const reads = readsOf[i]!;
    return reads !== null && reads.every((id) => !open.has(id));
  });
}

/** `targets` in chunks of at most `size`, at most `count` chunks. */
export function chunksOf<T>(targets: readonly T[], size: number, count: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < targets.length && chunks.length < count; start += size)
    chunks.push(targets.slice(start, start + size));
  return chunks;
}
