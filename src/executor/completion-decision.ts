// The decisions of a completion, apart from the statements that apply them: which path a batch
// takes (the server-side function, or the transaction for producers and artifacts), what each
// step's outcome is in the function's terms, and the event that tells the run's log how the
// step ended. Pure: tested without a database in test/executor/completion-decision.test.ts.
import type { ArtifactRef } from '../definitions/index.js';
import { formatAssetPartition } from '../graph/index.js';
import type { MaterializationRecord, NewEvent } from '../provenance/index.js';
import type { ClaimedStep } from './claim-steps.js';
import type { CheckEvaluation } from './evaluate-checks.js';
import type { OneCallOutcome } from './sql/complete-steps-call.js';

/** How a successful attempt ended. */
export type StepOutcome =
  | {
      readonly kind: 'fresh';
      readonly inputHash: string;
      readonly materializationId: number;
      /** The partition keys the latest materialization produced, for a producer. */
      readonly partitionKeys: readonly string[] | null;
    }
  | {
      readonly kind: 'reused' | 'succeeded';
      readonly record: MaterializationRecord;
      readonly artifacts: readonly ArtifactRef[];
      /** Tool calls the attempt made (recorded as they returned; linked here). */
      readonly toolCalls?: number;
      /** The asset's checks evaluated on the value (recorded with the materialization). */
      readonly checks?: readonly CheckEvaluation[];
    };

/** A log line a fused step's compute wrote (ctx.log), appended by its completion. */
export interface FusedLog {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly data: Record<string, unknown> | null;
}

/**
 * A claimed step and how its attempt ended. A fused step (fuse-chain.ts) was computed right
 * after `fused.after`, completed in the same request; its attempt is drawn by the completion.
 */
export interface CompletedStep {
  readonly claim: ClaimedStep;
  readonly outcome: StepOutcome;
  readonly fused?: { readonly after: number; readonly logs: readonly FusedLog[] };
}

/** The event that tells the run's log how a step ended (its materialization filled in). */
export function outcomeEvent(done: CompletedStep, materializationId: number): NewEvent {
  const { claim, outcome } = done;
  const { step } = claim;
  const label = formatAssetPartition(step.asset_key, step.partition_key);
  const base = {
    runId: step.run_id,
    stepId: step.id,
    attemptId: claim.attemptId,
    assetKey: step.asset_key,
    partitionKey: step.partition_key,
  };
  if (outcome.kind === 'fresh') {
    return {
      ...base,
      kind: 'step_fresh',
      message: `${label} is already up to date with its inputs (early cutoff)`,
      data: { materializationId },
    };
  }
  if (outcome.kind === 'reused') {
    return {
      ...base,
      kind: 'step_reused',
      message: `${label} reused materialization ${outcome.record.reusedFrom} (identical inputs)`,
      data: { materializationId, dataVersion: outcome.record.dataVersion },
    };
  }
  return {
    ...base,
    kind: 'step_materialized',
    message: `${label} materialized (data ${outcome.record.dataVersion.slice(0, 12)})`,
    data: { materializationId, dataVersion: outcome.record.dataVersion },
  };
}

/**
 * The server-side completion covers steps that expand nothing, record no artifacts and had no
 * checks to record.
 */
export function fitsOneCall(completed: readonly CompletedStep[]): boolean {
  return completed.every(({ outcome }) =>
    outcome.kind === 'fresh'
      ? outcome.partitionKeys === null
      : outcome.record.partitionKeys === null &&
        outcome.artifacts.length === 0 &&
        (outcome.checks?.length ?? 0) === 0,
  );
}

/** A step's outcome as the server-side function takes it. */
export function oneCallOutcome(done: CompletedStep): OneCallOutcome {
  const { claim, outcome } = done;
  const fresh = outcome.kind === 'fresh';
  return {
    stepId: claim.step.id,
    attemptId: done.fused ? null : claim.attemptId,
    fusedAfter: done.fused?.after ?? null,
    logs: done.fused?.logs ?? [],
    status: fresh ? 'fresh' : outcome.kind,
    inputHash: fresh ? outcome.inputHash : outcome.record.inputHash,
    materializationId: fresh ? outcome.materializationId : null,
    record: fresh ? null : outcome.record,
    event: outcomeEvent(done, fresh ? outcome.materializationId : 0),
    toolCalls: !fresh && (outcome.toolCalls ?? 0) > 0,
    pooled: claim.step.pool !== null,
  };
}
