// Records materializations with their consumed inputs and moves each asset partition's latest
// pointer, inside the caller's transaction: one statement however many are recorded.
import { sql, type Kysely } from 'kysely';
import type { Database, MaterializationKind } from '../store/index.js';
import type { InputVersion } from './versions.js';

/** A consumed input with the exact materialization it came from. */
export interface RecordedInput extends InputVersion {
  readonly inputName: string;
  readonly materializationId: number;
}

/** Everything a materialization records. */
export interface MaterializationRecord {
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly runId: number | null;
  readonly stepId: number | null;
  readonly attemptId: number | null;
  readonly codeVersion: string;
  readonly dataVersion: string;
  readonly inputHash: string;
  /** Inline value, or undefined when stored as an artifact. */
  readonly value: unknown;
  readonly valueArtifact: string | null;
  readonly valueSize: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly partitionKeys: readonly string[] | null;
  readonly reusedFrom: number | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date;
  readonly host: string | null;
  readonly workerId: string | null;
  readonly gitCommit: string | null;
  readonly inputs: readonly RecordedInput[];
  /** 'observed' for a source asset's observation; default 'computed'. */
  readonly kind?: MaterializationKind;
}

/**
 * Inserts materializations (each (asset, partition) at most once per call), their input edges
 * and latest pointers, in one statement; returns their ids in the order of `records`.
 */
export async function recordMaterializations(
  trx: Kysely<Database>,
  records: readonly MaterializationRecord[],
): Promise<number[]> {
  if (records.length === 0) return [];
  const column = <T>(pick: (r: MaterializationRecord) => T): T[] => records.map(pick);
  // Input edges name their materialization by its position in `records` (1-based ordinality).
  const edges = records.flatMap((r, index) => r.inputs.map((input) => ({ ord: index + 1, input })));
  const inserted = await sql<{ id: number; asset_key: string; partition_key: string }>`
    with r as (
      select * from unnest(
        ${column((r) => r.assetKey)}::text[], ${column((r) => r.partitionKey)}::text[], ${column((r) => r.runId)}::bigint[],
        ${column((r) => r.stepId)}::bigint[], ${column((r) => r.attemptId)}::bigint[], ${column((r) => r.codeVersion)}::text[],
        ${column((r) => r.dataVersion)}::text[], ${column((r) => r.inputHash)}::text[],
        ${column((r) => (r.value === undefined ? null : JSON.stringify(r.value)))}::text[], ${column((r) => r.valueArtifact)}::text[],
        ${column((r) => r.valueSize)}::int[], ${column((r) => JSON.stringify(r.metadata))}::text[],
        ${column((r) => (r.partitionKeys ? JSON.stringify(r.partitionKeys) : null))}::text[], ${column((r) => r.reusedFrom)}::bigint[],
        ${column((r) => r.startedAt?.toISOString() ?? null)}::timestamptz[], ${column((r) => r.finishedAt.toISOString())}::timestamptz[],
        ${column((r) => r.host)}::text[], ${column((r) => r.workerId)}::text[], ${column((r) => r.gitCommit)}::text[],
        ${column((r) => r.kind ?? 'computed')}::text[]
      ) with ordinality as r(asset_key, partition_key, run_id, step_id, attempt_id, code_version, data_version, input_hash,
             value, value_artifact, value_size, metadata, partition_keys, reused_from, started_at, finished_at,
             host, worker_id, git_commit, kind, ord)
    ),
    m as (
      insert into strata_internal.materializations (
        asset_key, partition_key, run_id, step_id, attempt_id, code_version, data_version, input_hash,
        value, value_artifact, value_size, metadata, partition_keys, reused_from,
        started_at, finished_at, duration_ms, host, worker_id, git_commit, kind)
      select r.asset_key, r.partition_key, r.run_id, r.step_id, r.attempt_id, r.code_version, r.data_version, r.input_hash,
        r.value::jsonb, r.value_artifact, r.value_size, r.metadata::jsonb,
        case when r.partition_keys is null then null else array(select jsonb_array_elements_text(r.partition_keys::jsonb)) end,
        r.reused_from, r.started_at, r.finished_at,
        extract(epoch from (r.finished_at - r.started_at)) * 1000, r.host, r.worker_id, r.git_commit, r.kind
      from r order by r.ord
      returning id, asset_key, partition_key
    ),
    mr as (select m.id, r.* from m join r on r.asset_key = m.asset_key and r.partition_key = m.partition_key),
    i as (
      insert into strata_internal.materialization_inputs
        (materialization_id, input_name, dep_asset_key, dep_partition_key, dep_materialization_id, dep_data_version)
      select mr.id, e.input_name, e.dep_asset_key, e.dep_partition_key, e.dep_materialization_id, e.dep_data_version
      from unnest(${edges.map((e) => e.ord)}::bigint[], ${edges.map((e) => e.input.inputName)}::text[],
        ${edges.map((e) => e.input.depKey)}::text[], ${edges.map((e) => e.input.depPartition)}::text[],
        ${edges.map((e) => e.input.materializationId)}::bigint[], ${edges.map((e) => e.input.dataVersion)}::text[])
        as e(ord, input_name, dep_asset_key, dep_partition_key, dep_materialization_id, dep_data_version)
      join mr on mr.ord = e.ord
    ),
    l as (
      insert into strata_internal.latest_materializations
        (asset_key, partition_key, materialization_id, code_version, data_version, input_hash, materialized_at)
      select asset_key, partition_key, id, code_version, data_version, input_hash, finished_at from mr
      on conflict (asset_key, partition_key) do update set
        materialization_id = excluded.materialization_id, code_version = excluded.code_version,
        data_version = excluded.data_version, input_hash = excluded.input_hash, materialized_at = excluded.materialized_at
      where strata_internal.latest_materializations.materialization_id < excluded.materialization_id
    )
    select id, asset_key, partition_key from m`.execute(trx);
  const idOf = new Map(
    inserted.rows.map((row) => [`${row.asset_key}\u0000${row.partition_key}`, row.id]),
  );
  return records.map((r) => idOf.get(`${r.assetKey}\u0000${r.partitionKey}`)!);
}

/** Records one materialization; returns its id. */
export async function recordMaterialization(
  trx: Kysely<Database>,
  record: MaterializationRecord,
): Promise<number> {
  const [id] = await recordMaterializations(trx, [record]);
  return id!;
}
