// Records one materialization with its consumed inputs and moves the asset partition's latest
// pointer, inside the caller's transaction.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';
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
}

/** Inserts the materialization, its input edges and the latest pointer; returns its id. */
export async function recordMaterialization(
  trx: Kysely<Database>,
  record: MaterializationRecord,
): Promise<number> {
  const { id } = await trx
    .insertInto('strata_internal.materializations')
    .values({
      asset_key: record.assetKey,
      partition_key: record.partitionKey,
      run_id: record.runId,
      step_id: record.stepId,
      attempt_id: record.attemptId,
      code_version: record.codeVersion,
      data_version: record.dataVersion,
      input_hash: record.inputHash,
      value: record.value === undefined ? null : JSON.stringify(record.value),
      value_artifact: record.valueArtifact,
      value_size: record.valueSize,
      metadata: JSON.stringify(record.metadata),
      partition_keys: record.partitionKeys ? [...record.partitionKeys] : null,
      reused_from: record.reusedFrom,
      started_at: record.startedAt,
      finished_at: record.finishedAt,
      duration_ms: record.startedAt
        ? record.finishedAt.getTime() - record.startedAt.getTime()
        : null,
      host: record.host,
      worker_id: record.workerId,
      git_commit: record.gitCommit,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (record.inputs.length > 0) {
    await trx
      .insertInto('strata_internal.materialization_inputs')
      .values(
        record.inputs.map((input) => ({
          materialization_id: id,
          input_name: input.inputName,
          dep_asset_key: input.depKey,
          dep_partition_key: input.depPartition,
          dep_materialization_id: input.materializationId,
          dep_data_version: input.dataVersion,
        })),
      )
      .execute();
  }
  await trx
    .insertInto('strata_internal.latest_materializations')
    .values({
      asset_key: record.assetKey,
      partition_key: record.partitionKey,
      materialization_id: id,
      code_version: record.codeVersion,
      data_version: record.dataVersion,
      input_hash: record.inputHash,
      materialized_at: record.finishedAt,
    })
    .onConflict((oc) =>
      oc
        .columns(['asset_key', 'partition_key'])
        .doUpdateSet({
          materialization_id: sql`excluded.materialization_id`,
          code_version: sql`excluded.code_version`,
          data_version: sql`excluded.data_version`,
          input_hash: sql`excluded.input_hash`,
          materialized_at: sql`excluded.materialized_at`,
        })
        .where(
          'strata_internal.latest_materializations.materialization_id',
          '<',
          sql<number>`excluded.materialization_id`,
        ),
    )
    .execute();
  return id;
}
