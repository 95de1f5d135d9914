// Executes one step: just-in-time check (early cutoff), reuse of an identical computation, or
// compute; then commits the outcome or the failure. Safe to call twice for the same step.
import { validateProducedKeys, type AssetKey, type ArtifactRef, type AssetLogger } from '../definitions/index.js';
import { collectArtifactRefs } from '../artifacts/index.js';
import { UserCodeError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import { appendEvents, dataVersionOf, inputHashOf, type MaterializationRecord } from '../provenance/index.js';
import { sha256Hex } from '../util/canonical-json.js';
import { claimStep, PARTITION_BUSY, POOL_FULL, type ClaimedStep } from './claim-step.js';
import { completeStep, type StepOutcome } from './complete-step.js';
import { INLINE_VALUE_LIMIT_BYTES, POOL_RETRY_MS } from './constants.js';
import { failStep } from './fail-step.js';
import { enqueueStepJobs } from './job-queue.js';
import { ComputeInterruptedError, runCompute } from './run-compute.js';
import { buildInputValues, loadStepInputs, loadStoredValues, type StoredValue } from './step-inputs.js';
import { AttemptSupersededError } from './step-transitions.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** What happened to a step job: for logs and tests. */
export type ExecutionResult = 'done' | 'skipped' | 'pool_full' | 'partition_busy' | 'superseded';

/** Executes step `stepId` (claimed from a job with id `jobId`). */
export async function executeStep(runtime: WorkerRuntime, stepId: number, jobId: string | null): Promise<ExecutionResult> {
  const claim = await claimStep(runtime, stepId, jobId);
  if (claim === undefined) return 'skipped';
  if (claim === POOL_FULL) return requeueLater(runtime, stepId, 'pool_full');
  if (claim === PARTITION_BUSY) return requeueLater(runtime, stepId, 'partition_busy');
  const controller = new AbortController();
  runtime.activeAttempts.set(claim.attemptId, { runId: claim.run.id, controller });
  try {
    const outcome = await decideAndCompute(runtime, claim, controller.signal);
    await completeStep(runtime, claim, outcome);
    return 'done';
  } catch (error) {
    if (error instanceof AttemptSupersededError) return 'superseded';
    const kind = error instanceof ComputeInterruptedError ? error.kind : 'failed';
    try {
      await failStep(runtime, claim, kind, error);
    } catch (failure) {
      if (failure instanceof AttemptSupersededError) return 'superseded';
      throw failure;
    }
    return 'done';
  } finally {
    runtime.activeAttempts.delete(claim.attemptId);
  }
}

/** Enqueues the step again a little later: its pool is full or its partition is busy. */
async function requeueLater(runtime: WorkerRuntime, stepId: number, reason: 'pool_full' | 'partition_busy'): Promise<ExecutionResult> {
  const step = await runtime.db.selectFrom('strata_internal.steps').select(['run_id']).where('id', '=', stepId).executeTakeFirstOrThrow();
  await runtime.db.transaction().execute((trx) => enqueueStepJobs(trx, step.run_id, [[stepId]], new Date(Date.now() + POOL_RETRY_MS)));
  return reason;
}

function stepLogger(runtime: WorkerRuntime, claim: ClaimedStep, pending: Promise<unknown>[]): AssetLogger {
  const write = (level: 'info' | 'warn' | 'error') => (message: string, data?: Record<string, unknown>) => {
    const { step } = claim;
    pending.push(
      appendEvents(runtime.db, [
        { runId: step.run_id, stepId: step.id, attemptId: claim.attemptId, assetKey: step.asset_key, partitionKey: step.partition_key, kind: 'log', level, message: String(message), data },
      ]).catch(() => undefined),
    );
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

async function decideAndCompute(runtime: WorkerRuntime, claim: ClaimedStep, cancelSignal: AbortSignal): Promise<StepOutcome> {
  const { step } = claim;
  const key = step.asset_key as AssetKey;
  const label = formatAssetPartition(key, step.partition_key);
  if (!runtime.graph.has(key)) throw new UserCodeError(`this worker's definitions have no asset ${key}`, { hint: 'run workers from the same code as the run' });
  const definition = runtime.graph.node(key).definition;
  if (definition.codeVersion !== step.code_version) {
    throw new UserCodeError(`this worker's definition of ${key} has code version ${definition.codeVersion}, but the run planned ${step.code_version}`, {
      hint: 'run workers from the same code as the run, or start a new run',
    });
  }
  const { inputs, missing } = await loadStepInputs(runtime.db, runtime.graph, key, step.partition_key);
  if (missing.length > 0) {
    throw new UserCodeError(`${label} cannot run: input ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} has never been materialized`);
  }
  const inputHash = inputHashOf(key, step.partition_key, definition.codeVersion, inputs);
  const startedAt = new Date();
  const record = (fields: Pick<MaterializationRecord, 'dataVersion' | 'value' | 'valueArtifact' | 'valueSize' | 'metadata' | 'partitionKeys' | 'reusedFrom'>): MaterializationRecord => ({
    assetKey: key,
    partitionKey: step.partition_key,
    runId: step.run_id,
    stepId: step.id,
    attemptId: claim.attemptId,
    codeVersion: definition.codeVersion,
    inputHash,
    startedAt,
    finishedAt: new Date(),
    host: runtime.host,
    workerId: runtime.workerId,
    gitCommit: runtime.gitCommit,
    inputs,
    ...fields,
  });

  if (!claim.runOptions.force) {
    const latest = await runtime.db
      .selectFrom('strata_internal.latest_materializations as l')
      .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
      .select(['l.materialization_id', 'l.input_hash', 'l.code_version', 'm.partition_keys'])
      .where('l.asset_key', '=', key)
      .where('l.partition_key', '=', step.partition_key)
      .executeTakeFirst();
    if (latest && latest.input_hash === inputHash && latest.code_version === definition.codeVersion) {
      // A producer that is already fresh still expands the run: another run may have
      // materialized it after this run was planned.
      return { kind: 'fresh', inputHash, materializationId: latest.materialization_id, partitionKeys: latest.partition_keys };
    }
    const previous = await runtime.db
      .selectFrom('strata_internal.materializations')
      .select(['id', 'data_version', 'value', 'value_artifact', 'value_size', 'metadata', 'partition_keys'])
      .where('asset_key', '=', key)
      .where('input_hash', '=', inputHash)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (previous && (previous.partition_keys === null) === (runtime.graph.partitionedBy(key).length === 0)) {
      const artifacts = await runtime.db.selectFrom('strata_internal.materialization_artifacts as ma').innerJoin('strata_internal.artifacts as a', 'a.sha256', 'ma.sha256').select(['ma.sha256', 'ma.name', 'a.size', 'a.content_type']).where('ma.materialization_id', '=', previous.id).execute();
      return {
        kind: 'reused',
        record: record({ dataVersion: previous.data_version, value: previous.value ?? undefined, valueArtifact: previous.value_artifact, valueSize: previous.value_size, metadata: previous.metadata, partitionKeys: previous.partition_keys, reusedFrom: previous.id }),
        artifacts: artifacts.map((a) => ({ artifact: `sha256:${a.sha256}`, name: a.name, size: a.size, contentType: a.content_type })),
      };
    }
  }

  const values = await loadStoredValues(runtime.db, inputs.map((i) => i.materializationId));
  const inputValues = await buildInputValues(runtime.graph, key, inputs, values, (stored) => resolveStoredValue(runtime, stored));
  const put: ArtifactRef[] = [];
  const pendingLogs: Promise<unknown>[] = [];
  const result = await runCompute({
    definition,
    partitionKey: step.partition_key,
    inputs: inputValues,
    runId: step.run_id,
    attempt: claim.attemptNumber,
    idempotencyKey: sha256Hex(`${key}\u0000${step.partition_key}\u0000${inputHash}`).slice(0, 32),
    log: stepLogger(runtime, claim, pendingLogs),
    artifacts: {
      put: async (name, content, contentType) => {
        const ref = await runtime.artifacts.put(content, { name, ...(contentType ? { contentType } : {}) });
        put.push(ref);
        return ref;
      },
      read: (ref) => runtime.artifacts.read(ref),
    },
    cancelSignal,
  });
  await Promise.all(pendingLogs);
  const partitionKeys = producedKeys(runtime, key, result.value, label);
  const json = JSON.stringify(result.value) ?? 'null';
  const size = Buffer.byteLength(json);
  let stored: { value: unknown; valueArtifact: string | null } = { value: result.value, valueArtifact: null };
  if (size > INLINE_VALUE_LIMIT_BYTES) {
    const ref = await runtime.artifacts.put(json, { name: 'value.json', contentType: 'application/json' });
    put.push(ref);
    stored = { value: undefined, valueArtifact: ref.artifact.slice('sha256:'.length) };
  }
  const refs = dedupeRefs([...put, ...collectArtifactRefs(result.value)]);
  return {
    kind: 'succeeded',
    record: record({ dataVersion: result.dataVersion ?? dataVersionOf(result.value), value: stored.value, valueArtifact: stored.valueArtifact, valueSize: size, metadata: result.metadata, partitionKeys, reusedFrom: null }),
    artifacts: refs,
  };
}

/** The partition keys a producer's value defines, validated; null when the asset produces none. */
function producedKeys(runtime: WorkerRuntime, key: AssetKey, value: unknown, label: string): string[] | null {
  const consumer = runtime.graph.partitionedBy(key)[0];
  if (consumer === undefined) return null;
  const partitions = runtime.graph.node(consumer).definition.partitions;
  if (partitions?.kind !== 'produced') return null;
  try {
    const keys = partitions.keysOf(value);
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw new Error('expected an array of strings');
    validateProducedKeys(key, keys);
    return [...keys];
  } catch (error) {
    throw new UserCodeError(`${label}: cannot derive the partitions of ${consumer}: ${(error as Error).message}`, { cause: error });
  }
}

function dedupeRefs(refs: readonly ArtifactRef[]): ArtifactRef[] {
  const seen = new Map<string, ArtifactRef>();
  for (const ref of refs) seen.set(`${ref.artifact}\u0000${ref.name}`, ref);
  return [...seen.values()];
}

async function resolveStoredValue(runtime: WorkerRuntime, stored: StoredValue): Promise<unknown> {
  if (stored.valueArtifact === null) return stored.value;
  const bytes = await runtime.artifacts.read(stored.valueArtifact);
  return JSON.parse(bytes.toString('utf8')) as unknown;
}
