// Provenance of one materialization: every recorded field, its consumed inputs and artifacts;
// and the resolution of what a user types (`123`, `#123`, `KEY`, `KEY[PART]`) to a
// materialization.
import type { Kysely } from 'kysely';
import { isAssetKey, partitionKeyProblem } from '../definitions/index.js';
import { NotFoundError, UsageError } from '../errors.js';
import {
  formatAssetPartition,
  UNPARTITIONED,
  type AssetGraph,
  type AssetNode,
} from '../graph/index.js';
import type { Database } from '../store/index.js';
import { canonicalJson } from '../util/canonical-json.js';
import { closest, didYouMean } from '../util/closest.js';
import { loadRunPlans, type RunPlan } from './run-plans.js';
import { SLURM_JOB_COLUMNS, slurmJobOf, type ProvenanceSlurmJob } from './slurm-job.js';

/** A materialization a reference resolved to. */
export interface MaterializationRef {
  readonly materializationId: number;
  readonly assetKey: string;
  /** null for an unpartitioned asset. */
  readonly partitionKey: string | null;
}

/** One consumed input of a materialization. */
export interface ProvenanceInput {
  readonly inputName: string;
  readonly assetKey: string;
  readonly partitionKey: string | null;
  readonly materializationId: number;
  readonly dataVersion: string;
}

/** One artifact attached to a materialization. */
export interface ProvenanceArtifact {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly contentType: string;
}

/** One tool call the computation made (of the materialization it reused from, if reused). */
export interface ProvenanceToolCall {
  readonly server: string;
  readonly tool: string;
  readonly toolVersion: string | null;
  readonly argumentHash: string;
  /**
   * The arguments sent, canonical (keys sorted) with credentials redacted; a
   * `TruncatedArguments` marker when they were over 64 KiB; null for calls recorded before
   * strata kept them (migrations/0020), of which only the hash is known.
   */
  readonly arguments: unknown;
  readonly resultId: string | null;
  readonly durationMs: number;
}

/** Everything recorded about one materialization. */
export interface Provenance {
  readonly materializationId: number;
  readonly assetKey: string;
  readonly partitionKey: string | null;
  readonly runId: number | null;
  /** The experiment plan the run executed, with its approvals; null for other runs. */
  readonly plan: RunPlan | null;
  readonly stepId: number | null;
  /** 1 for the first attempt; null when not recorded by a step attempt. */
  readonly attempt: number | null;
  /** The Slurm job of the attempt, for an asset that runs on Slurm (docs/slurm.md); else null. */
  readonly slurm: ProvenanceSlurmJob | null;
  readonly codeVersion: string;
  readonly dataVersion: string;
  readonly inputHash: string;
  /** The value stored inline (null when it lives in an artifact or was not stored). */
  readonly value: unknown;
  /** sha256 of the artifact holding the value, when it is too large to store inline. */
  readonly valueArtifact: string | null;
  readonly valueSize: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Partition keys this materialization produced (partition producers only). */
  readonly partitionKeys: readonly string[] | null;
  /** The earlier materialization with the same input hash whose result was reused. */
  readonly reusedFrom: number | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date;
  readonly durationMs: number | null;
  readonly host: string | null;
  readonly workerId: string | null;
  readonly gitCommit: string | null;
  readonly createdAt: Date;
  readonly inputs: readonly ProvenanceInput[];
  readonly artifacts: readonly ProvenanceArtifact[];
  readonly toolCalls: readonly ProvenanceToolCall[];
}

const ID_PATTERN = /^#?(\d+)$/;
const REF_PATTERN = /^([^[\]]+)(?:\[([^[\]]*)\])?$/;

/** Parses a user's `KEY` or `KEY[PART]` into key and partition ('' when none). */
export function parseAssetPartition(text: string): { key: string; partition: string } {
  const match = REF_PATTERN.exec(text.trim());
  const key = match?.[1]?.trim() ?? '';
  if (match === null || !isAssetKey(key)) {
    throw new UsageError(
      `${JSON.stringify(text)} is not an asset partition or materialization id`,
      {
        hint: 'write KEY, KEY[PARTITION] (e.g. sim/mesh[d03]) or a materialization id (e.g. 123)',
      },
    );
  }
  const partition = match[2];
  if (partition === undefined) return { key, partition: UNPARTITIONED };
  const problem = partitionKeyProblem(partition);
  if (problem !== undefined) {
    throw new UsageError(`partition ${JSON.stringify(partition)} of ${key} is invalid: ${problem}`);
  }
  return { key, partition };
}

/**
 * Resolves `ref`: a materialization id (`123` or `#123`) to that row, or `KEY` / `KEY[PART]` to
 * the latest materialization of that asset partition. With `graph`, asset keys are checked
 * against the definitions (and suggestions come from them).
 */
export async function resolveMaterialization(
  db: Kysely<Database>,
  graph: AssetGraph | undefined,
  ref: string,
): Promise<MaterializationRef> {
  const idMatch = ID_PATTERN.exec(ref.trim());
  if (idMatch !== null) return resolveId(db, Number(idMatch[1]));
  const { key, partition } = parseAssetPartition(ref);
  if (graph !== undefined) checkAgainstGraph(graph, key, partition);
  const latest = await db
    .selectFrom('strata_internal.latest_materializations')
    .select(['materialization_id'])
    .where('asset_key', '=', key)
    .where('partition_key', '=', partition)
    .executeTakeFirst();
  if (latest !== undefined) {
    return {
      materializationId: latest.materialization_id,
      assetKey: key,
      partitionKey: partition === UNPARTITIONED ? null : partition,
    };
  }
  throw await neverMaterialized(db, graph, key, partition);
}

async function resolveId(db: Kysely<Database>, id: number): Promise<MaterializationRef> {
  const row = await db
    .selectFrom('strata_internal.materializations')
    .select(['id', 'asset_key', 'partition_key'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) throw unknownId(id);
  return {
    materializationId: row.id,
    assetKey: row.asset_key,
    partitionKey: row.partition_key === UNPARTITIONED ? null : row.partition_key,
  };
}

/**
 * The graph node of `key`; for an unknown key a NotFoundError that also suggests keys ending in
 * it (`mesh` -> `sim/mesh`), which edit distance alone misses.
 */
export function assetNodeOf(graph: AssetGraph, key: string): AssetNode {
  if (!graph.has(key)) {
    const suffixed = graph.order.filter((candidate) => candidate.endsWith(`/${key}`));
    if (suffixed.length > 0) {
      throw new NotFoundError(`unknown asset ${key}`, {
        hint: `did you mean ${suffixed.slice(0, 3).join(' or ')}?`,
      });
    }
  }
  return graph.node(key); // NotFoundError with the closest key for other unknown keys
}

function checkAgainstGraph(graph: AssetGraph, key: string, partition: string): void {
  const node = assetNodeOf(graph, key);
  const partitioned = node.definition.partitions !== undefined;
  if (partitioned && partition === UNPARTITIONED) {
    throw new UsageError(`asset ${key} is partitioned: name a partition, e.g. ${key}[PART]`, {
      hint: `\`strata status ${key}\` lists its partitions`,
    });
  }
  if (!partitioned && partition !== UNPARTITIONED) {
    throw new UsageError(`asset ${key} is not partitioned`, {
      hint: `write it without brackets: ${key}`,
    });
  }
}

/** The NotFoundError for an asset partition without any materialization, with a suggestion. */
async function neverMaterialized(
  db: Kysely<Database>,
  graph: AssetGraph | undefined,
  key: string,
  partition: string,
): Promise<NotFoundError> {
  const name = formatAssetPartition(key, partition);
  const message = `${name} has never been materialized`;
  if (partition !== UNPARTITIONED) {
    const rows = await db
      .selectFrom('strata_internal.latest_materializations')
      .select('partition_key')
      .where('asset_key', '=', key)
      .execute();
    const match = closest(
      partition,
      rows.map((row) => row.partition_key),
    );
    if (match !== undefined) {
      return new NotFoundError(message, { hint: `did you mean ${key}[${match}]?` });
    }
  } else if (graph === undefined) {
    const rows = await db
      .selectFrom('strata_internal.latest_materializations')
      .select('asset_key')
      .distinct()
      .execute();
    const match = didYouMean(
      key,
      rows.map((row) => row.asset_key),
    );
    if (match !== undefined && !rows.some((row) => row.asset_key === key)) {
      return new NotFoundError(message, { hint: match });
    }
  }
  return new NotFoundError(message, { hint: `materialize it with \`strata materialize ${name}\`` });
}

function unknownId(id: number): NotFoundError {
  return new NotFoundError(`materialization #${id} does not exist`, {
    hint: 'name an asset partition instead (KEY or KEY[PART]) to use its latest materialization',
  });
}

/** Everything recorded about materialization `materializationId`; NotFoundError if unknown. */
export async function loadProvenance(
  db: Kysely<Database>,
  materializationId: number,
): Promise<Provenance> {
  const [row, inputs, artifacts, toolCalls] = await Promise.all([
    db
      .selectFrom('strata_internal.materializations as m')
      .leftJoin('strata_internal.attempts as a', 'a.id', 'm.attempt_id')
      .selectAll('m')
      .select('a.number as attempt_number')
      .select(SLURM_JOB_COLUMNS.map((column) => `a.${column}` as const))
      .where('m.id', '=', materializationId)
      .executeTakeFirst(),
    db
      .selectFrom('strata_internal.materialization_inputs')
      .select([
        'input_name',
        'dep_asset_key',
        'dep_partition_key',
        'dep_materialization_id',
        'dep_data_version',
      ])
      .where('materialization_id', '=', materializationId)
      .orderBy('input_name')
      .orderBy('dep_partition_key')
      .execute(),
    db
      .selectFrom('strata_internal.materialization_artifacts as ma')
      .innerJoin('strata_internal.artifacts as a', 'a.sha256', 'ma.sha256')
      .select(['ma.name', 'ma.sha256', 'a.size', 'a.content_type'])
      .where('ma.materialization_id', '=', materializationId)
      .orderBy('ma.name')
      .orderBy('ma.sha256')
      .execute(),
    // A reused materialization did no work itself: show the calls of the one it reused.
    db
      .selectFrom('strata_internal.tool_calls')
      .select([
        'server',
        'tool',
        'tool_version',
        'argument_hash',
        'arguments',
        'result_id',
        'duration_ms',
      ])
      .where('materialization_id', '=', (eb) =>
        eb.fn.coalesce(
          eb
            .selectFrom('strata_internal.materializations')
            .select('reused_from')
            .where('id', '=', materializationId),
          eb.val(materializationId),
        ),
      )
      .where('status', '=', 'succeeded')
      .orderBy('id')
      .execute(),
  ]);
  if (row === undefined) throw unknownId(materializationId);
  const plans = row.run_id === null ? new Map() : await loadRunPlans(db, [row.run_id]);
  return {
    materializationId: row.id,
    assetKey: row.asset_key,
    partitionKey: row.partition_key === UNPARTITIONED ? null : row.partition_key,
    runId: row.run_id,
    plan: (row.run_id === null ? undefined : plans.get(row.run_id)) ?? null,
    stepId: row.step_id,
    attempt: row.attempt_number,
    slurm: slurmJobOf(row),
    codeVersion: row.code_version,
    dataVersion: row.data_version,
    inputHash: row.input_hash,
    value: row.value,
    valueArtifact: row.value_artifact,
    valueSize: row.value_size,
    metadata: row.metadata,
    partitionKeys: row.partition_keys,
    reusedFrom: row.reused_from,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    host: row.host,
    workerId: row.worker_id,
    gitCommit: row.git_commit,
    createdAt: row.created_at,
    inputs: inputs.map((input) => ({
      inputName: input.input_name,
      assetKey: input.dep_asset_key,
      partitionKey: input.dep_partition_key === UNPARTITIONED ? null : input.dep_partition_key,
      materializationId: input.dep_materialization_id,
      dataVersion: input.dep_data_version,
    })),
    toolCalls: toolCalls.map((call) => ({
      server: call.server,
      tool: call.tool,
      toolVersion: call.tool_version,
      argumentHash: call.argument_hash,
      // jsonb keeps keys in its own order (shortest first): back to the canonical order.
      arguments:
        call.arguments === null ? null : (JSON.parse(canonicalJson(call.arguments)) as unknown),
      resultId: call.result_id,
      durationMs: call.duration_ms,
    })),
    artifacts: artifacts.map((artifact) => ({
      name: artifact.name,
      sha256: artifact.sha256,
      size: artifact.size,
      contentType: artifact.content_type,
    })),
  };
}
