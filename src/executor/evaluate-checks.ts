// Evaluates an asset's checks on one materialized value, one after the other in name order.
// A check that throws, returns something other than a verdict, or outlives its timeout fails
// with its error recorded; cancelling the run interrupts the evaluation (nothing is recorded).
import type {
  ArtifactAccess,
  AssetKey,
  AssetLogger,
  CheckDefinition,
  CheckFunctionResult,
  MetadataValue,
} from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import type { CheckEvaluationRecord } from '../provenance/index.js';
import { storedError } from './fail-step.js';
import { ComputeInterruptedError, runInterruptible } from './interruptible.js';
import { checkMetadata } from './run-compute.js';

/** An evaluation before its materialization is recorded (the id is filled in then). */
export type CheckEvaluation = Omit<CheckEvaluationRecord, 'materializationId'>;

/** Where the value comes from and what its checks may use. */
export interface CheckSubject {
  readonly assetKey: AssetKey;
  /** `''` for an unpartitioned asset. */
  readonly partitionKey: string;
  readonly value: unknown;
  readonly metadata: Readonly<Record<string, MetadataValue>>;
  readonly log: AssetLogger;
  readonly artifacts: Pick<ArtifactAccess, 'read' | 'openReadStream'>;
  /** Aborted when the run is cancelled or the worker gives the attempt up. */
  readonly cancelSignal: AbortSignal;
  readonly runId: number | null;
  readonly stepId: number | null;
}

/** Whether a failing evaluation stops dependants (by the check's current declaration). */
export function blocksDependants(
  evaluation: Pick<CheckEvaluation, 'passed' | 'blocking'>,
): boolean {
  return evaluation.blocking && !evaluation.passed;
}

/** Evaluates `checks` on the subject's value, in order. */
export async function evaluateChecks(
  checks: readonly CheckDefinition[],
  subject: CheckSubject,
): Promise<CheckEvaluation[]> {
  const evaluations: CheckEvaluation[] = [];
  for (const declared of checks) evaluations.push(await evaluateOne(declared, subject));
  return evaluations;
}

async function evaluateOne(
  declared: CheckDefinition,
  subject: CheckSubject,
): Promise<CheckEvaluation> {
  const label = `check ${formatAssetPartition(subject.assetKey, subject.partitionKey)}:${declared.name}`;
  const evaluatedAt = new Date();
  const started = performance.now();
  const base = {
    assetKey: subject.assetKey,
    partitionKey: subject.partitionKey,
    checkName: declared.name,
    checkVersion: declared.codeVersion,
    severity: declared.severity,
    blocking: declared.blocking,
    runId: subject.runId,
    stepId: subject.stepId,
    evaluatedAt,
  };
  try {
    const verdict = toVerdict(label, await runWithin(declared, subject, label));
    return { ...base, ...verdict, error: null, durationMs: performance.now() - started };
  } catch (error) {
    if (error instanceof ComputeInterruptedError && error.kind === 'canceled') throw error;
    const stored = storedError(error);
    return {
      ...base,
      passed: false,
      description: stored.message,
      metadata: {},
      error: stored,
      durationMs: performance.now() - started,
    };
  }
}

/** Runs the check function, failing it at its timeout and interrupting it on cancel. */
function runWithin(
  declared: CheckDefinition,
  subject: CheckSubject,
  label: string,
): Promise<CheckFunctionResult> {
  return runInterruptible(
    { timeoutMs: declared.timeoutMs, cancelSignal: subject.cancelSignal, what: label },
    (signal) =>
      declared.run({
        value: subject.value,
        metadata: subject.metadata,
        assetKey: subject.assetKey,
        partitionKey: subject.partitionKey === '' ? undefined : subject.partitionKey,
        signal,
        log: subject.log,
        artifacts: subject.artifacts,
      }),
  );
}

/** The verdict a check returned, validated. */
function toVerdict(
  label: string,
  returned: unknown,
): { passed: boolean; description: string | null; metadata: Record<string, MetadataValue> } {
  if (typeof returned === 'boolean') return { passed: returned, description: null, metadata: {} };
  if (returned !== null && typeof returned === 'object') {
    const { passed, description, metadata } = returned as Record<string, unknown>;
    if (typeof passed === 'boolean') {
      if (description !== undefined && typeof description !== 'string')
        throw new UserCodeError(`${label}: description must be a string`);
      const values = (metadata ?? {}) as Record<string, MetadataValue>;
      if (typeof values !== 'object' || Array.isArray(values))
        throw new UserCodeError(`${label}: metadata must be an object`);
      checkMetadata(label, values);
      return { passed, description: description ?? null, metadata: { ...values } };
    }
  }
  throw new UserCodeError(
    `${label} returned ${JSON.stringify(returned) ?? String(returned)}; expected true, false or { passed, description?, metadata? }`,
  );
}
