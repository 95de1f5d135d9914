// Recording and reading check evaluations: which version of which check judged which
// materialization, and how. The verdict that counts is a check's latest evaluation on a
// materialization; the planner reads those of the latest materializations only.
import { sql, type Kysely } from 'kysely';
import type { AssetKey, MetadataValue, PartitionKey } from '../definitions/index.js';
import type { CheckEvaluationRow, Database, StoredError } from '../store/index.js';

/** One evaluation to record. */
export interface CheckEvaluationRecord {
  readonly materializationId: number;
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly checkName: string;
  readonly checkVersion: string;
  readonly passed: boolean;
  readonly severity: 'warn' | 'error';
  readonly blocking: boolean;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, MetadataValue>>;
  /** Set when the check threw or timed out instead of returning a verdict. */
  readonly error: StoredError | null;
  /** The run and step that evaluated it; null for `strata check` outside a run. */
  readonly runId: number | null;
  readonly stepId: number | null;
  readonly evaluatedAt: Date;
  readonly durationMs: number;
}

/** A check's verdict on a materialization, as read back. */
export interface CheckResult {
  readonly evaluationId: number;
  readonly materializationId: number;
  readonly checkName: string;
  readonly checkVersion: string;
  readonly passed: boolean;
  readonly severity: 'warn' | 'error';
  readonly blocking: boolean;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly error: StoredError | null;
  readonly runId: number | null;
  readonly evaluatedAt: Date;
  readonly durationMs: number | null;
}

/** Records evaluations in one statement (nothing when the list is empty). */
export async function recordCheckEvaluations(
  db: Kysely<Database>,
  records: readonly CheckEvaluationRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto('strata_internal.check_evaluations')
    .values(
      records.map((r) => ({
        materialization_id: r.materializationId,
        asset_key: r.assetKey,
        partition_key: r.partitionKey,
        check_name: r.checkName,
        check_version: r.checkVersion,
        passed: r.passed,
        severity: r.severity,
        blocking: r.blocking,
        description: r.description,
        metadata: JSON.stringify(r.metadata),
        error: r.error === null ? null : JSON.stringify(r.error),
        run_id: r.runId,
        step_id: r.stepId,
        evaluated_at: r.evaluatedAt,
        duration_ms: r.durationMs,
      })),
    )
    .execute();
}

/** A check_evaluations row as read (every column but step_id). */
type ResultRow = Omit<CheckEvaluationRow, 'step_id'>;

/** The columns of a verdict (`e`: check_evaluations); asset and partition are the judged ones. */
const RESULT_COLUMNS = sql.raw(
  'e.id, e.materialization_id, e.asset_key, e.partition_key, e.check_name, e.check_version, ' +
    'e.passed, e.severity, e.blocking, e.description, e.metadata, e.error, e.run_id, ' +
    'e.evaluated_at, e.duration_ms',
);

function resultOf(row: ResultRow): CheckResult {
  return {
    evaluationId: Number(row.id),
    materializationId: Number(row.materialization_id),
    checkName: row.check_name,
    checkVersion: row.check_version,
    passed: row.passed,
    severity: row.severity,
    blocking: row.blocking,
    description: row.description,
    metadata: row.metadata,
    error: row.error,
    runId: row.run_id === null ? null : Number(row.run_id),
    evaluatedAt: row.evaluated_at,
    durationMs: row.duration_ms,
  };
}

/** The highest check-evaluation id (0 when none): whether any verdict was recorded since. */
export async function maxCheckEvaluationId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('strata_internal.check_evaluations')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Latest verdicts per partition of an asset: partition -> verdicts sorted by check name. */
export type CheckResultIndex = Map<AssetKey, Map<PartitionKey, CheckResult[]>>;

/**
 * The latest verdict of each check on the latest materialization of every partition of `keys`
 * (one query). Partitions no check judged are absent.
 */
export async function loadLatestCheckResults(
  db: Kysely<Database>,
  keys: readonly AssetKey[],
): Promise<CheckResultIndex> {
  const index: CheckResultIndex = new Map();
  if (keys.length === 0) return index;
  const rows = await sql<ResultRow>`
    select distinct on (e.materialization_id, e.check_name) ${RESULT_COLUMNS}
    from strata_internal.latest_materializations l
    join strata_internal.check_evaluations e on e.materialization_id = l.materialization_id
    where l.asset_key = any(${[...keys]}::text[])
    order by e.materialization_id, e.check_name, e.id desc`.execute(db);
  for (const row of rows.rows) {
    let byPartition = index.get(row.asset_key as AssetKey);
    if (byPartition === undefined) index.set(row.asset_key as AssetKey, (byPartition = new Map()));
    const list = byPartition.get(row.partition_key) ?? [];
    list.push(resultOf(row));
    byPartition.set(row.partition_key, list);
  }
  return index;
}

/** The latest verdict of each check on each of `materializationIds` (one query). */
export async function loadCheckResultsOf(
  db: Kysely<Database>,
  materializationIds: readonly number[],
): Promise<Map<number, CheckResult[]>> {
  const results = new Map<number, CheckResult[]>();
  if (materializationIds.length === 0) return results;
  const rows = await sql<ResultRow>`
    select distinct on (e.materialization_id, e.check_name) ${RESULT_COLUMNS}
    from strata_internal.check_evaluations e
    where e.materialization_id = any(${[...materializationIds]}::bigint[])
    order by e.materialization_id, e.check_name, e.id desc`.execute(db);
  for (const row of rows.rows) {
    const result = resultOf(row);
    const list = results.get(result.materializationId) ?? [];
    list.push(result);
    results.set(result.materializationId, list);
  }
  return results;
}

/**
 * Of `materializationIds`, those whose latest verdict of some check failed, with those checks'
 * names (one query). Whether a check blocks is the current definitions' to say: a check declared
 * non-blocking since, or removed, no longer blocks.
 */
export async function loadFailedChecks(
  db: Kysely<Database>,
  materializationIds: readonly number[],
): Promise<Map<number, string[]>> {
  const failed = new Map<number, string[]>();
  for (const [id, results] of await loadCheckResultsOf(db, materializationIds)) {
    const names = results.filter((r) => !r.passed).map((r) => r.checkName);
    if (names.length > 0) failed.set(id, names);
  }
  return failed;
}
