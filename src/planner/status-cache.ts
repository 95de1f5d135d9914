// Statuses kept current between evaluations (the automation daemon's ticks): the first refresh
// computes everything; later ones read only the latest-materialization rows written since (an
// index on materialization_id) and re-evaluate only the partitions they reach downstream,
// stopping where a partition's status does not change. Partition sets (dynamic, produced) are
// re-resolved each time; an asset whose set changed is re-evaluated whole.
import type { Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import {
  loadLatestSince,
  maxCheckEvaluationId,
  maxLatestMaterializationId,
} from '../provenance/index.js';
import { guardedAssets, loadBlockingFailures, changedFailures } from './blocking-failures.js';
import type { Database } from '../store/index.js';
import {
  assetEvaluator,
  computeStatus,
  explainPending,
  type PendingDetails,
  type StatusReport,
  type StatusState,
} from './compute-status.js';
import { resolvePartitionSets, type PartitionSet } from './partition-sets.js';

/**
 * A full evaluation at least this often, whatever the increments say: it bounds the effect of a
 * latest row the increments missed (a transaction that took an id early and committed after a
 * refresh had read past it, and longer than a refresh interval ago).
 */
export const FULL_REFRESH_MS = 10 * 60_000;

/** What one refresh did. */
export interface StatusRefresh {
  readonly report: StatusReport;
  /** Whether everything was evaluated (first refresh, or FULL_REFRESH_MS passed). */
  readonly full: boolean;
  /** Latest-materialization rows read (all of them on a full refresh). */
  readonly rowsRead: number;
  /** Partitions evaluated. */
  readonly evaluated: number;
}

type Dirty = Map<AssetKey, Set<PartitionKey> | 'all'>;

/** The statuses of `keys` and their upstream, kept current by refresh(). */
export class StatusCache {
  readonly #graph: AssetGraph;
  readonly #order: AssetKey[];
  readonly #inOrder: Set<AssetKey>;
  /** Source assets: their rows are read every time (observation times). */
  readonly #sources: AssetKey[];
  #state: StatusState | undefined;
  #fullAt = 0;
  /** Rows with a materialization id above this are read by the next refresh. */
  #cursor = 0;
  /** The cursor before the last refresh: rows are read again from here (see FULL_REFRESH_MS). */
  #previousCursor = 0;
  /** Assets with a blocking check, whose failing verdicts are read again when any was recorded. */
  readonly #guarded: AssetKey[];
  /** The highest check-evaluation id when the verdicts were read. */
  #checkCursor = 0;

  constructor(graph: AssetGraph, keys: Iterable<AssetKey>) {
    this.#graph = graph;
    this.#order = graph.sortTopologically(graph.withUpstream(keys));
    this.#inOrder = new Set(this.#order);
    this.#sources = this.#order.filter((key) => graph.node(key).definition.observation);
    this.#guarded = guardedAssets(graph, this.#order);
  }

  /** Brings the statuses up to date as of `now`. */
  async refresh(db: Kysely<Database>, now: Date): Promise<StatusRefresh> {
    if (this.#state === undefined || now.getTime() - this.#fullAt >= FULL_REFRESH_MS)
      return this.#full(db, now);
    return this.#increment(db, this.#state, now);
  }

  /** Forgets everything: the next refresh evaluates all. */
  reset(): void {
    this.#state = undefined;
  }

  async #full(db: Kysely<Database>, now: Date): Promise<StatusRefresh> {
    const cursor = await maxLatestMaterializationId(db); // before reading: later rows are read again next time
    if (this.#guarded.length > 0) this.#checkCursor = await maxCheckEvaluationId(db);
    const report = await computeStatus(db, this.#graph, this.#order, now);
    this.#state = report;
    this.#fullAt = now.getTime();
    this.#previousCursor = cursor;
    this.#cursor = cursor;
    let partitions = 0;
    for (const statuses of report.statuses.values()) partitions += statuses.size;
    return { report, full: true, rowsRead: partitions, evaluated: partitions };
  }

  async #increment(db: Kysely<Database>, state: StatusState, now: Date): Promise<StatusRefresh> {
    const from = this.#previousCursor;
    const [cursor, changes, partitionSets] = await Promise.all([
      maxLatestMaterializationId(db),
      loadLatestSince(db, from, this.#sources),
      resolvePartitionSets(db, this.#graph, this.#order, now),
    ]);
    this.#previousCursor = this.#cursor;
    this.#cursor = Math.max(this.#cursor, cursor);

    const dirty: Dirty = new Map();
    const changedLatest = new Map<AssetKey, Set<PartitionKey>>();
    let rowsRead = 0;
    for (const [key, versions] of changes) {
      rowsRead += versions.size;
      if (!this.#inOrder.has(key as AssetKey)) continue;
      const assetLatest = state.latest.get(key)!;
      for (const [partition, version] of versions) {
        const before = assetLatest.get(partition);
        assetLatest.set(partition, version);
        if (before?.materializationId === version.materializationId) {
          // The same version observed again: its status carries the new observation time
          // (freshness reads it), nothing downstream changes.
          if (before.observedAt?.getTime() !== version.observedAt?.getTime())
            addDirty(dirty, key as AssetKey, partition);
          continue;
        }
        addDirty(dirty, key as AssetKey, partition);
        let changed = changedLatest.get(key as AssetKey);
        if (changed === undefined) changedLatest.set(key as AssetKey, (changed = new Set()));
        changed.add(partition);
      }
    }
    for (const key of this.#order) {
      const before = state.partitionSets.get(key)!;
      const after = partitionSets.get(key)!;
      if (sameSet(before, after)) continue;
      state.partitionSets.set(key, after);
      dirty.set(key, 'all');
    }

    await this.#refreshVerdicts(db, state, dirty);

    const pending: PendingDetails = [];
    let evaluated = 0;
    for (const key of this.#order) {
      const wanted = dirty.get(key);
      if (wanted === undefined) continue;
      const statuses = state.statuses.get(key)!;
      const keys = state.partitionSets.get(key)!.keys;
      if (wanted === 'all') {
        // Drop partitions that left the set.
        const current = new Set(keys);
        for (const partition of statuses.keys())
          if (!current.has(partition)) statuses.delete(partition);
      }
      const evaluate = assetEvaluator(state, key, pending);
      const newLatest = changedLatest.get(key);
      for (const partition of wanted === 'all' ? keys : wanted) {
        const before = statuses.get(partition);
        const after = evaluate(partition);
        statuses.set(partition, after);
        evaluated++;
        if (before?.status !== after.status || newLatest?.has(partition) === true)
          this.#propagate(dirty, key, partition, wanted === 'all');
      }
    }
    await explainPending(db, pending);
    return {
      report: { ...state, evaluatedAt: now },
      full: false,
      rowsRead,
      evaluated,
    };
  }

  /**
   * Reads the failing blocking verdicts again when a check evaluation was recorded since (with a
   * materialization, or by `strata check` on an old one) and marks the partitions they changed.
   */
  async #refreshVerdicts(db: Kysely<Database>, state: StatusState, dirty: Dirty): Promise<void> {
    if (this.#guarded.length === 0) return;
    const cursor = await maxCheckEvaluationId(db);
    if (cursor === this.#checkCursor) return;
    const failures = await loadBlockingFailures(db, this.#graph, this.#guarded);
    this.#checkCursor = cursor;
    for (const key of this.#guarded) {
      for (const partition of changedFailures(state.blockingFailures.get(key), failures.get(key)))
        addDirty(dirty, key, partition);
      const now = failures.get(key);
      if (now === undefined) state.blockingFailures.delete(key);
      else state.blockingFailures.set(key, now);
    }
  }

  /** Marks the partitions of dependants that read `partition` of `key`. */
  #propagate(dirty: Dirty, key: AssetKey, partition: PartitionKey, setChanged: boolean): void {
    for (const dependant of this.#graph.node(key).dependants) {
      if (!this.#inOrder.has(dependant) || dirty.get(dependant) === 'all') continue;
      for (const dep of this.#graph.node(dependant).dependencies) {
        if (dep.key !== key) continue;
        if (dep.mapping === 'identity' && !setChanged) addDirty(dirty, dependant, partition);
        else dirty.set(dependant, 'all');
      }
    }
  }
}

function addDirty(dirty: Dirty, key: AssetKey, partition: PartitionKey): void {
  const current = dirty.get(key);
  if (current === 'all') return;
  if (current === undefined) dirty.set(key, new Set([partition]));
  else current.add(partition);
}

function sameSet(a: PartitionSet, b: PartitionSet): boolean {
  if (a.keys === b.keys) return true;
  if (a.keys.length !== b.keys.length || a.awaitingProducer !== b.awaitingProducer) return false;
  return a.keys.every((key, i) => key === b.keys[i]) && sameProducedBy(a.producedBy, b.producedBy);
}

/** Whether each producer partition produced the same keys (what the producer mappings read). */
function sameProducedBy(a: PartitionSet['producedBy'], b: PartitionSet['producedBy']): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.size !== b.size) return false;
  for (const [partition, keys] of a) {
    const other = b.get(partition);
    if (other === undefined || other.length !== keys.length) return false;
    if (keys.some((key, i) => key !== other[i])) return false;
  }
  return true;
}
