// Computes one claimed step: reads its input values, runs the compute function, stores large
// values and artifacts, derives produced partition keys, and returns the outcome to record.
// Artifact-store failures (its own reads and writes, and those the asset's code saw) surface as
// ArtifactStoreError, which the executor hands back instead of failing the step.
import {
  artifactStoreFaultOf,
  collectArtifactRefs,
  type ArtifactStoreError,
} from '../artifacts/index.js';
import {
  validateProducedKeys,
  type AnyAssetDefinition,
  type ArtifactRef,
  type AssetKey,
} from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import { dataVersionOf, type RecordedInput } from '../provenance/index.js';
import { sha256Hex } from '../util/canonical-json.js';
import type { ClaimedStep } from './claim-steps.js';
import type { StepOutcome } from './complete-steps.js';
import type { FusedLog } from './completion-decision.js';
import { recordBase } from './decide-steps.js';
import { CapturedOutput, OUTPUT_LIMITS } from './captured-output.js';
import { AttemptLog, assetLogger, outputLines } from './event-logger.js';
import { evaluateChecks, type CheckEvaluation } from './evaluate-checks.js';
import { captureOutput, echoCapturedOutput } from './output-capture.js';
import {
  ComputeInterruptedError,
  runCompute,
  type ComputeRequest,
  type ComputeResult,
} from './run-compute.js';
import { storeValue } from './store-value.js';
import { buildInputValues, loadStoredValues, type StoredValue } from './step-inputs.js';
import { toolAccess } from './tool-access.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** The partition keys a producer's value defines, validated; null when the asset produces none. */
function producedKeys(
  runtime: WorkerRuntime,
  key: AssetKey,
  value: unknown,
  label: string,
): string[] | null {
  const consumer = runtime.graph.partitionedBy(key)[0];
  if (consumer === undefined) return null;
  const partitions = runtime.graph.node(consumer).definition.partitions;
  if (partitions?.kind !== 'produced') return null;
  try {
    const keys = partitions.keysOf(value);
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))
      throw new Error('expected an array of strings');
    validateProducedKeys(key, keys);
    return [...keys];
  } catch (error) {
    throw new UserCodeError(
      `${label}: cannot derive the partitions of ${consumer}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The payload the step's dynamic partition was added with (undefined when none). */
async function loadPartitionPayload(
  db: WorkerRuntime['db'],
  definition: AnyAssetDefinition,
  partition: string,
): Promise<unknown> {
  if (definition.partitions?.kind !== 'dynamic') return undefined;
  const row = await db
    .selectFrom('strata_internal.dynamic_partitions')
    .select('payload')
    .where('set_name', '=', definition.partitions.name)
    .where('partition_key', '=', partition)
    .executeTakeFirst();
  return row?.payload ?? undefined;
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

/**
 * How a step is computed: under its own attempt, or fused (fuse-chain.ts), with no attempt
 * until its completion commits: its log lines (ctx.log and captured stdout and stderr) are kept
 * for that completion, and a tool call is refused before anything is sent (the step then runs
 * again under an ordinary claim).
 */
export type ComputeMode =
  { readonly kind: 'attempt' } | { readonly kind: 'fused'; readonly logs: FusedLog[] };

/** A fused compute reached for a tool: its result is not recorded. */
export class FusionAbandonedError extends Error {
  constructor(label: string) {
    super(`${label} calls tools: it runs under its own attempt instead of fused`);
  }
}

/** A reuse of an earlier materialization whose value the asset's checks still have to judge. */
export type ReuseToCheck = Extract<StepOutcome, { record: unknown }> & { readonly kind: 'reused' };

/**
 * Computes `claim` with the inputs decided for it, then evaluates the asset's checks on the
 * value; throws on failure, timeout or cancellation. With `reuse`, the earlier value is judged
 * instead of computing.
 */
export async function computeStep(
  runtime: WorkerRuntime,
  claim: ClaimedStep,
  inputHash: string,
  inputs: readonly RecordedInput[],
  loadedValues: ReadonlyMap<number, StoredValue> | undefined,
  cancelSignal: AbortSignal,
  mode: ComputeMode = { kind: 'attempt' },
  reuse?: ReuseToCheck,
): Promise<StepOutcome> {
  const { step } = claim;
  const key = step.asset_key as AssetKey;
  const label = formatAssetPartition(key, step.partition_key);
  const startedAt = new Date();
  const definition = runtime.graph.node(key).definition;
  const values =
    reuse !== undefined
      ? new Map<number, StoredValue>()
      : (loadedValues ??
        (await loadStoredValues(
          runtime.db,
          inputs.map((i) => i.materializationId),
        )));
  const inputValues =
    reuse !== undefined
      ? {}
      : await buildInputValues(runtime.graph, key, inputs, values, (stored) =>
          resolveStoredValue(runtime, stored),
        );
  const put: ArtifactRef[] = [];
  // ctx.log and captured lines: kept for a fused step's completion, or appended to the attempt.
  let keep: (line: FusedLog) => void;
  let attemptLog: AttemptLog | undefined;
  if (mode.kind === 'fused') {
    const { logs } = mode;
    keep = (line) => logs.push(line);
  } else {
    const log = (attemptLog = new AttemptLog(runtime.db, {
      runId: step.run_id,
      stepId: step.id,
      attemptId: claim.attemptId,
      assetKey: step.asset_key,
      partitionKey: step.partition_key,
    }));
    keep = (line) => log.add(line);
  }
  // What the compute writes to stdout and stderr is its attempt's too (output-capture.ts).
  const output = new CapturedOutput(
    outputLines(keep),
    OUTPUT_LIMITS,
    echoCapturedOutput() ? label : undefined,
  );
  const idempotencyKey = sha256Hex(`${key}\u0000${step.partition_key}\u0000${inputHash}`).slice(
    0,
    32,
  );
  let tools: ReturnType<typeof toolAccess> | undefined;
  let refusedTools = false;
  const fusedTools = {
    calls: 0,
    call: async (): Promise<never> => {
      refusedTools = true;
      throw new FusionAbandonedError(label);
    },
  };
  // A store failure seen by the asset's code stays the store's fault, whatever the code then
  // throws (it may wrap or replace the error): the attempt is handed back, not failed.
  let storeFault: ArtifactStoreError | undefined;
  const noteStoreFault = (error: unknown): never => {
    storeFault ??= artifactStoreFaultOf(error);
    throw error;
  };
  const partitionPayload = await loadPartitionPayload(runtime.db, definition, step.partition_key);
  const log = assetLogger(keep);
  const request: ComputeRequest = {
    definition,
    partitionKey: step.partition_key,
    partitionPayload,
    inputs: inputValues,
    runId: step.run_id,
    attempt: claim.attemptNumber,
    idempotencyKey,
    log,
    tools: (signal) =>
      mode.kind === 'fused'
        ? fusedTools
        : (tools = toolAccess(runtime, claim, idempotencyKey, signal, (line, data) =>
            log.info(line, data),
          )),
    artifacts: {
      put: async (name, content, contentType) => {
        const ref = await runtime.artifacts
          .put(content, { name, ...(contentType ? { contentType } : {}) })
          .catch(noteStoreFault);
        put.push(ref);
        return ref;
      },
      putStream: async (name, source, contentType) => {
        const ref = await runtime.artifacts
          .putStream(source, { name, ...(contentType ? { contentType } : {}) })
          .catch(noteStoreFault);
        put.push(ref);
        return ref;
      },
      read: (ref) => runtime.artifacts.read(ref).catch(noteStoreFault),
      openReadStream: (ref) => runtime.artifacts.openReadStream(ref).catch(noteStoreFault),
    },
    cancelSignal,
  };
  const checks = runtime.graph.checksOf(key);
  const computed = captureOutput(output, async () => {
    const value: ComputeResult =
      reuse === undefined
        ? await runCompute(request)
        : {
            value: await resolveStoredValue(runtime, {
              value: reuse.record.value,
              valueArtifact: reuse.record.valueArtifact,
            }),
            metadata: reuse.record.metadata as ComputeResult['metadata'],
            dataVersion: reuse.record.dataVersion,
          };
    const evaluations: CheckEvaluation[] =
      checks.length === 0
        ? []
        : await evaluateChecks(checks, {
            assetKey: key,
            partitionKey: step.partition_key,
            value: value.value,
            metadata: value.metadata,
            log: request.log,
            artifacts: request.artifacts,
            cancelSignal,
            runId: step.run_id,
            stepId: step.id,
          });
    return { ...value, evaluations };
  });
  let result: Awaited<typeof computed>;
  try {
    result = await computed.catch((error: unknown) => {
      throw storeFault !== undefined && !(error instanceof ComputeInterruptedError)
        ? storeFault
        : error;
    });
  } finally {
    // Its partial lines are complete now; what its stray continuations write passes through.
    output.end();
    await attemptLog?.settled();
  }
  // Code may catch the refusal and go on without the tool: that value is not this step's.
  if (refusedTools) throw new FusionAbandonedError(label);
  if (reuse !== undefined) return { ...reuse, checks: result.evaluations };
  const partitionKeys = producedKeys(runtime, key, result.value, label);
  const stored = await storeValue(runtime.artifacts, result.value);
  if (stored.artifact !== undefined) put.push(stored.artifact);
  return {
    kind: 'succeeded',
    record: {
      ...recordBase(runtime, claim, inputHash, inputs, startedAt),
      finishedAt: new Date(),
      dataVersion: result.dataVersion ?? dataVersionOf(result.value),
      value: stored.value,
      valueArtifact: stored.valueArtifact,
      valueSize: stored.valueSize,
      metadata: result.metadata,
      partitionKeys,
      reusedFrom: null,
    },
    artifacts: dedupeRefs([...put, ...collectArtifactRefs(result.value)]),
    toolCalls: tools?.calls ?? 0,
    checks: result.evaluations,
  };
}
