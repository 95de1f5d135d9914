// Judges one large asset in bulk (bulk-eligibility.ts): PostgreSQL counts its materialized
// partitions and names the rows it cannot prove current (sql/judge-latest-rows.ts); only those
// are read (sql/select-unproven.ts) and judged in memory by the same evaluator as every other partition, so their statuses and
// causes are exactly what the full walk gives. Fresh and missing partitions are counted, not
// listed: the report keeps the exceptions, and answers `fresh` for any other partition whose
// latest row it holds.
import type { Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../../definitions/index.js';
import type { LatestVersion } from '../../provenance/index.js';
import type { Database } from '../../store/index.js';
import { assetEvaluator, type PendingDetails, type StatusState } from '../compute-status.js';
import { partitionSetSize } from '../partition-sets.js';
import type { PartitionStatus } from '../status-types.js';
import { judgeLatestRows, type JudgedDependency } from './sql/judge-latest-rows.js';
import { selectUnproven, type LatestColumns } from './sql/select-unproven.js';

/** What the report knows of an asset judged in bulk beyond its exceptions. */
export interface BulkCounts {
  /** Partitions in its set. */
  readonly total: number;
  /** Partitions in its set with a latest materialization. */
  readonly materialized: number;
  readonly lastMaterializedAt: Date | null;
}

/**
 * The statuses of an asset judged in bulk: iterating gives the partitions that are not fresh
 * (materialized, so stale or blocked); `get` also answers `fresh` for a partition whose latest
 * row was read, as a dependant's evaluation does for the rows it reads.
 */
export class BulkStatusMap extends Map<PartitionKey, PartitionStatus> {
  readonly #latest: ReadonlyMap<PartitionKey, LatestVersion>;

  constructor(latest: ReadonlyMap<PartitionKey, LatestVersion>) {
    super();
    this.#latest = latest;
  }

  override get(partition: PartitionKey): PartitionStatus | undefined {
    const exception = super.get(partition);
    if (exception !== undefined) return exception;
    const latest = this.#latest.get(partition);
    return latest === undefined ? undefined : { status: 'fresh', latest };
  }
}

const latestOf = (row: LatestColumns): LatestVersion => ({
  materializationId: Number(row.materialization_id),
  codeVersion: row.code_version,
  dataVersion: row.data_version,
  inputHash: row.input_hash,
  materializedAt: new Date(Number(row.materialized_ms)),
  observedAt: row.observed_ms === null ? null : new Date(Number(row.observed_ms)),
});

/** The dependencies of `key` as the query reads them, and the partitions never current. */
function dependenciesOf(
  state: StatusState,
  key: AssetKey,
): { dependencies: JudgedDependency[]; suspects: PartitionKey[]; allSuspect: boolean } {
  const dependencies: JudgedDependency[] = [];
  const suspects: PartitionKey[] = [];
  let allSuspect = false;
  const sorted = [...state.graph.node(key).dependencies].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  for (const dep of sorted) {
    const statuses = state.statuses.get(dep.key)!;
    if (dep.mapping === 'identity') {
      dependencies.push({ key: dep.key, mapping: 'identity' });
      for (const partition of statuses.keys()) suspects.push(partition);
    } else {
      const status = statuses.get('');
      if (status?.status !== 'fresh') allSuspect = true;
      const dataVersion = state.latest.get(dep.key)!.get('')?.dataVersion ?? null;
      dependencies.push({ key: dep.key, mapping: 'single', dataVersion });
    }
  }
  return { dependencies, suspects, allSuspect };
}

/**
 * Judges asset `key` in bulk into `state` (its statuses become a BulkStatusMap, its latest map
 * holds the rows read) and returns its counts. Dependencies must have been judged already.
 */
export async function evaluateBulkAsset(
  db: Kysely<Database>,
  state: StatusState,
  key: AssetKey,
  pending: PendingDetails,
): Promise<BulkCounts> {
  const set = state.partitionSets.get(key)!;
  const node = state.graph.node(key);
  const assetLatest = state.latest.get(key)!;
  const statuses = new BulkStatusMap(assetLatest);
  state.statuses.set(key, statuses);
  const query = dependenciesOf(state, key);
  const judged = await judgeLatestRows(db, {
    key,
    set,
    codeVersion:
      node.definition.observation === undefined ? node.definition.codeVersion : undefined,
    ...query,
  });
  const joined = query.dependencies.flatMap((dep) => (dep.mapping === 'identity' ? [dep.key] : []));
  const rows = await selectUnproven(db, key, judged.unproven, joined);
  const unproven: PartitionKey[] = [];
  for (const row of rows) {
    unproven.push(row.partition_key);
    assetLatest.set(row.partition_key, latestOf(row));
    row.deps.forEach((depRow, i) => {
      const depLatest = state.latest.get(joined[i]!)!;
      if (depRow !== null && !depLatest.has(row.partition_key))
        depLatest.set(row.partition_key, latestOf(depRow));
    });
  }
  const evaluate = assetEvaluator(state, key, pending);
  for (const partition of unproven) {
    const status = evaluate(partition);
    if (status.status !== 'fresh') statuses.set(partition, status);
  }
  const { materialized, lastMaterializedAt } = judged;
  return { total: partitionSetSize(set), materialized, lastMaterializedAt };
}
