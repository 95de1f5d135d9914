// Decides, for a batch of claimed steps, which need no computation: the just-in-time check
// (early cutoff: the latest materialization already has exactly these inputs) and reuse (an
// earlier materialization with the same input hash). Two queries for the whole batch.
import { sql, type Kysely } from 'kysely';
import type { AssetKey } from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import {
  inputHashOf,
  type MaterializationRecord,
  type RecordedInput,
} from '../provenance/index.js';
import type { Database } from '../store/index.js';
import type { ClaimedStep } from './claim-steps.js';
import type { StepOutcome } from './complete-steps.js';
import type { ReuseToCheck } from './compute-step.js';
import { BlockedInputError, blockedInputsOf } from './blocked-inputs.js';
import { loadStepInputs, type KnownInputs, type StoredValue } from './step-inputs.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** A step's decision: done without computing, to compute, or failed before computing. */
export type StepDecision =
  | { readonly kind: 'done'; readonly outcome: StepOutcome }
  | {
      readonly kind: 'compute';
      readonly inputHash: string;
      readonly inputs: readonly RecordedInput[];
      /** The inputs' values when they were loaded with the decision. */
      readonly values: ReadonlyMap<number, StoredValue> | undefined;
      /** An identical earlier materialization to reuse once the asset's checks judged it. */
      readonly reuse?: ReuseToCheck;
    }
  | { readonly kind: 'error'; readonly error: unknown };

/** The fields of a materialization record every outcome of a step shares. */
export function recordBase(
  runtime: WorkerRuntime,
  claim: ClaimedStep,
  inputHash: string,
  inputs: readonly RecordedInput[],
  startedAt: Date,
) {
  const { step } = claim;
  return {
    assetKey: step.asset_key,
    partitionKey: step.partition_key,
    runId: step.run_id,
    stepId: step.id,
    attemptId: claim.attemptId,
    codeVersion: step.code_version,
    inputHash,
    startedAt,
    host: runtime.host,
    workerId: runtime.workerId,
    gitCommit: runtime.gitCommit,
    inputs,
  } satisfies Partial<MaterializationRecord>;
}

function checkDefinition(runtime: WorkerRuntime, claim: ClaimedStep): void {
  const key = claim.step.asset_key;
  if (!runtime.graph.has(key))
    throw new UserCodeError(`this worker's definitions have no asset ${key}`, {
      hint: 'run workers from the same code as the run',
    });
  const codeVersion = runtime.graph.node(key).definition.codeVersion;
  if (codeVersion !== claim.step.code_version) {
    throw new UserCodeError(
      `this worker's definition of ${key} has code version ${codeVersion}, but the run planned ${claim.step.code_version}`,
      {
        hint: 'run workers from the same code as the run (declare codeVersion when loaders differ), or start a new run',
      },
    );
  }
}

interface ReuseCandidate {
  id: number;
  asset_key: string;
  input_hash: string;
  data_version: string;
  value: unknown;
  value_artifact: string | null;
  value_size: number;
  metadata: Record<string, unknown>;
  partition_keys: string[] | null;
}

async function findReusable(
  db: Kysely<Database>,
  wanted: readonly { key: string; inputHash: string }[],
) {
  if (wanted.length === 0)
    return new Map<
      string,
      ReuseCandidate & {
        artifacts: { sha256: string; name: string; size: number; content_type: string }[];
      }
    >();
  const rows = await sql<ReuseCandidate>`
    select distinct on (m.asset_key, m.input_hash) m.id, m.asset_key, m.input_hash, m.data_version, m.value, m.value_artifact,
      m.value_size, m.metadata, m.partition_keys
    from unnest(${wanted.map((w) => w.key)}::text[], ${wanted.map((w) => w.inputHash)}::text[]) as w(k, h)
    join strata_internal.materializations m on m.asset_key = w.k and m.input_hash = w.h
    order by m.asset_key, m.input_hash, m.id desc`.execute(db);
  const artifacts =
    rows.rows.length === 0
      ? []
      : await db
          .selectFrom('strata_internal.materialization_artifacts as ma')
          .innerJoin('strata_internal.artifacts as a', 'a.sha256', 'ma.sha256')
          .select(['ma.materialization_id', 'ma.sha256', 'ma.name', 'a.size', 'a.content_type'])
          .where('ma.materialization_id', '=', (eb) =>
            eb.fn.any(eb.val(rows.rows.map((r) => r.id))),
          )
          .execute();
  return new Map(
    rows.rows.map((row) => [
      `${row.asset_key}\u0000${row.input_hash}`,
      { ...row, artifacts: artifacts.filter((a) => a.materialization_id === row.id) },
    ]),
  );
}

/**
 * Decides every step of a batch; forced runs compute everything. `known` holds what chain
 * fusion knows already: outputs recorded in the same completion, latest materializations.
 */
export async function decideSteps(
  runtime: WorkerRuntime,
  claims: readonly ClaimedStep[],
  known?: KnownInputs,
): Promise<StepDecision[]> {
  const startedAt = new Date();
  // Forced steps and steps planned as missing will compute: read their input values right away.
  const willCompute = claims.every(
    (c) =>
      c.runOptions.force ||
      c.step.reasons.status === 'missing' ||
      c.step.reasons.status === 'expanded',
  );
  const loaded = await loadStepInputs(
    runtime.db,
    runtime.graph,
    claims.map((c) => ({ key: c.step.asset_key as AssetKey, partition: c.step.partition_key })),
    willCompute,
    known,
  );
  // Just in time: no step reads a materialization a blocking check of its asset failed.
  const blocked = await blockedInputsOf(
    runtime.db,
    runtime.graph,
    loaded.flatMap((l) => l.inputs),
  );
  const decisions: StepDecision[] = claims.map((claim, index) => {
    try {
      checkDefinition(runtime, claim);
    } catch (error) {
      return { kind: 'error', error };
    }
    const { inputs, missing, latest, values } = loaded[index]!;
    const { step } = claim;
    if (missing.length > 0) {
      const list = `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`;
      return {
        kind: 'error',
        error: new UserCodeError(
          `${formatAssetPartition(step.asset_key, step.partition_key)} cannot run: input ${list} has never been materialized`,
        ),
      };
    }
    const refused = inputs.filter((input) => blocked.has(input.materializationId));
    if (refused.length > 0)
      return {
        kind: 'error',
        error: new BlockedInputError(
          formatAssetPartition(step.asset_key, step.partition_key),
          refused.map((input) => ({
            input: formatAssetPartition(input.depKey, input.depPartition),
            materializationId: input.materializationId,
            checks: blocked.get(input.materializationId)!,
          })),
        ),
      };
    const inputHash = inputHashOf(step.asset_key, step.partition_key, step.code_version, inputs);
    if (
      !claim.runOptions.force &&
      latest &&
      latest.inputHash === inputHash &&
      latest.codeVersion === step.code_version
    ) {
      // A producer that is already fresh still expands the run: another run may have
      // materialized it after this run was planned.
      return {
        kind: 'done',
        outcome: {
          kind: 'fresh',
          inputHash,
          materializationId: latest.materializationId,
          partitionKeys: latest.partitionKeys,
        },
      };
    }
    return { kind: 'compute', inputHash, inputs, values };
  });

  // Reuse needs history of the partition, which exists only if it has a latest materialization.
  const reusable = claims.flatMap((claim, index) => {
    const decision = decisions[index]!;
    return !claim.runOptions.force && decision.kind === 'compute' && loaded[index]!.latest
      ? [{ key: claim.step.asset_key, inputHash: decision.inputHash }]
      : [];
  });
  const candidates = await findReusable(runtime.db, reusable);
  return decisions.map((decision, index) => {
    if (decision.kind !== 'compute') return decision;
    const claim = claims[index]!;
    const previous = candidates.get(`${claim.step.asset_key}\u0000${decision.inputHash}`);
    // A producer's earlier output is only reusable if it recorded the partitions it produced.
    if (
      !previous ||
      (previous.partition_keys === null) !==
        (runtime.graph.partitionedBy(claim.step.asset_key as AssetKey).length === 0)
    )
      return decision;
    const outcome = {
      kind: 'reused' as const,
      record: {
        ...recordBase(runtime, claim, decision.inputHash, decision.inputs, startedAt),
        finishedAt: new Date(),
        dataVersion: previous.data_version,
        value: previous.value ?? undefined,
        valueArtifact: previous.value_artifact,
        valueSize: previous.value_size,
        metadata: previous.metadata,
        partitionKeys: previous.partition_keys,
        reusedFrom: previous.id,
      },
      artifacts: previous.artifacts.map((a) => ({
        artifact: `sha256:${a.sha256}`,
        name: a.name,
        size: a.size,
        contentType: a.content_type,
      })),
    };
    // The asset's checks judge the reused value too (computeStep evaluates them, not computing).
    return runtime.graph.checksOf(claim.step.asset_key as AssetKey).length > 0
      ? { ...decision, reuse: outcome }
      : { kind: 'done', outcome };
  });
}
