// The materialization history of one asset (optionally one partition), newest first, by
// keyset pagination on the id (index materializations_history_idx).
import type { Kysely } from 'kysely';
import { UNPARTITIONED } from '../../graph/index.js';
import type { Database } from '../../store/index.js';

/** One materialization in a history page (schema MaterializationSummary). */
export interface HistoryItem {
  readonly materializationId: number;
  readonly assetKey: string;
  readonly partition: string | null;
  readonly runId: number | null;
  readonly codeVersion: string;
  readonly dataVersion: string;
  readonly inputHash: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly reusedFrom: number | null;
  readonly valueSize: number;
  readonly valueArtifact: string | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date;
  readonly durationMs: number | null;
}

/** What to list. */
export interface HistoryQuery {
  readonly assetKey: string;
  /** One partition ('' for an unpartitioned asset), or every partition when undefined. */
  readonly partition: string | undefined;
  /** Only ids below this one (the cursor). */
  readonly beforeId: number | undefined;
  /** Rows to fetch (a page plus one, to know whether there is a next page). */
  readonly limit: number;
}

/** Reads up to `limit` materializations of the history, newest first. */
export async function loadHistory(
  db: Kysely<Database>,
  query: HistoryQuery,
): Promise<HistoryItem[]> {
  let select = db
    .selectFrom('strata_internal.materializations')
    .select([
      'id',
      'asset_key',
      'partition_key',
      'run_id',
      'code_version',
      'data_version',
      'input_hash',
      'metadata',
      'reused_from',
      'value_size',
      'value_artifact',
      'started_at',
      'finished_at',
      'duration_ms',
    ])
    .where('asset_key', '=', query.assetKey);
  if (query.partition !== undefined) select = select.where('partition_key', '=', query.partition);
  if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
  const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map((row) => ({
    materializationId: row.id,
    assetKey: row.asset_key,
    partition: row.partition_key === UNPARTITIONED ? null : row.partition_key,
    runId: row.run_id,
    codeVersion: row.code_version,
    dataVersion: row.data_version,
    inputHash: row.input_hash,
    metadata: row.metadata,
    reusedFrom: row.reused_from,
    valueSize: row.value_size,
    valueArtifact: row.value_artifact,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
  }));
}
