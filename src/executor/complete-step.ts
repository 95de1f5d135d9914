// The one transaction that ends a successful attempt: record the materialization (or the
// early cutoff), mark the step and attempt, append events, expand produced partitions, release
// dependants, free the pool slot and settle the run.
import { sql, type Kysely } from 'kysely';
import type { ArtifactRef } from '../definitions/index.js';
import { recordArtifacts } from '../artifacts/index.js';
import { formatAssetPartition } from '../graph/index.js';
import { appendEvents, recordMaterialization, type MaterializationRecord } from '../provenance/index.js';
import type { Database } from '../store/index.js';
import type { ClaimedStep } from './claim-step.js';
import { expandProducedPartitions } from './expand-partitions.js';
import { releasePoolSlot } from './pools.js';
import { releaseDependants, settleRun, transitionOwnedStep } from './step-transitions.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** How a successful attempt ended. */
export type StepOutcome =
  | {
      readonly kind: 'fresh';
      readonly inputHash: string;
      readonly materializationId: number;
      /** The partition keys the latest materialization produced, for a producer. */
      readonly partitionKeys: readonly string[] | null;
    }
  | { readonly kind: 'reused' | 'succeeded'; readonly record: MaterializationRecord; readonly artifacts: readonly ArtifactRef[] };

async function markAttemptSucceeded(trx: Kysely<Database>, attemptId: number): Promise<void> {
  await trx.updateTable('strata_internal.attempts').set({ status: 'succeeded', finished_at: sql<Date>`now()` }).where('id', '=', attemptId).execute();
}

/** Commits a successful outcome of `claim`; throws AttemptSupersededError if it lost ownership. */
export async function completeStep(runtime: WorkerRuntime, claim: ClaimedStep, outcome: StepOutcome): Promise<void> {
  const { step, attemptId } = claim;
  const label = formatAssetPartition(step.asset_key, step.partition_key);
  await runtime.db.transaction().execute(async (trx) => {
    const base = { runId: step.run_id, stepId: step.id, attemptId, assetKey: step.asset_key, partitionKey: step.partition_key };
    let partitionKeys: readonly string[] | null;
    if (outcome.kind === 'fresh') {
      partitionKeys = outcome.partitionKeys;
      await transitionOwnedStep(trx, step.id, attemptId, { status: 'fresh', inputHash: outcome.inputHash, materializationId: outcome.materializationId });
      await appendEvents(trx, [{ ...base, kind: 'step_fresh', message: `${label} is already up to date with its inputs (early cutoff)`, data: { materializationId: outcome.materializationId } }]);
    } else {
      const materializationId = await recordMaterialization(trx, outcome.record);
      await recordArtifacts(trx, materializationId, [...outcome.artifacts]);
      await transitionOwnedStep(trx, step.id, attemptId, { status: outcome.kind, inputHash: outcome.record.inputHash, materializationId });
      const message =
        outcome.kind === 'reused'
          ? `${label} reused materialization ${outcome.record.reusedFrom} (identical inputs)`
          : `${label} materialized (data ${outcome.record.dataVersion.slice(0, 12)})`;
      await appendEvents(trx, [{ ...base, kind: outcome.kind === 'reused' ? 'step_reused' : 'step_materialized', message, data: { materializationId, dataVersion: outcome.record.dataVersion } }]);
      partitionKeys = outcome.record.partitionKeys;
    }
    const expansion = partitionKeys ? await expandProducedPartitions(trx, runtime.graph, claim, partitionKeys) : { added: 0, removed: 0 };
    await markAttemptSucceeded(trx, attemptId);
    await releasePoolSlot(trx, attemptId);
    await releaseDependants(trx, step.run_id, [step.id], claim.runOptions.concurrency);
    await settleRun(trx, step.run_id, 1 + expansion.removed, expansion.added);
  });
}
