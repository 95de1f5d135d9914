// The one transaction that ends the successful attempts of a job's steps: record the
// materializations (or early cutoffs), mark steps and attempts, append events, expand produced
// partitions, free pool slots, release dependants and settle the run. Set-based: a batch of
// hundreds of steps costs about as many statements as one.
import { sql, type Kysely } from 'kysely';
import type { ArtifactRef } from '../definitions/index.js';
import { recordArtifacts } from '../artifacts/index.js';
import { formatAssetPartition } from '../graph/index.js';
import { appendEvents, recordMaterializations, type MaterializationRecord, type NewEvent } from '../provenance/index.js';
import type { Database, StepStatus } from '../store/index.js';
import type { ClaimedStep } from './claim-steps.js';
import { expandProducedPartitions } from './expand-partitions.js';
import { releaseDependants, settleRun } from './step-transitions.js';
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

/** A claimed step and how its attempt ended. */
export interface CompletedStep {
  readonly claim: ClaimedStep;
  readonly outcome: StepOutcome;
}

/** Locks the steps still owned by their attempts; the others were taken over meanwhile. */
async function lockOwned(trx: Kysely<Database>, completed: readonly CompletedStep[]): Promise<Set<number>> {
  const owned = await sql<{ id: number }>`
    select s.id from strata_internal.steps s
    join unnest(${completed.map((c) => c.claim.step.id)}::bigint[], ${completed.map((c) => c.claim.attemptId)}::bigint[]) as c(id, attempt_id)
      on s.id = c.id and s.current_attempt_id = c.attempt_id and s.status = 'running'
    order by s.id
    for update of s`.execute(trx);
  return new Set(owned.rows.map((row) => row.id));
}

function eventOf(done: CompletedStep, materializationId: number): NewEvent {
  const { claim, outcome } = done;
  const { step } = claim;
  const label = formatAssetPartition(step.asset_key, step.partition_key);
  const base = { runId: step.run_id, stepId: step.id, attemptId: claim.attemptId, assetKey: step.asset_key, partitionKey: step.partition_key };
  if (outcome.kind === 'fresh') {
    return { ...base, kind: 'step_fresh', message: `${label} is already up to date with its inputs (early cutoff)`, data: { materializationId } };
  }
  if (outcome.kind === 'reused') {
    return { ...base, kind: 'step_reused', message: `${label} reused materialization ${outcome.record.reusedFrom} (identical inputs)`, data: { materializationId, dataVersion: outcome.record.dataVersion } };
  }
  return { ...base, kind: 'step_materialized', message: `${label} materialized (data ${outcome.record.dataVersion.slice(0, 12)})`, data: { materializationId, dataVersion: outcome.record.dataVersion } };
}

/**
 * Commits the successful outcomes of claimed steps of one run; returns the ids of steps whose
 * attempt no longer owned them (their outcome was discarded).
 */
export async function completeSteps(runtime: WorkerRuntime, completed: readonly CompletedStep[]): Promise<number[]> {
  if (completed.length === 0) return [];
  const run = completed[0]!.claim.run;
  return runtime.db.transaction().execute(async (trx) => {
    const owned = await lockOwned(trx, completed);
    const mine = completed.filter((c) => owned.has(c.claim.step.id));
    const superseded = completed.filter((c) => !owned.has(c.claim.step.id)).map((c) => c.claim.step.id);
    if (mine.length === 0) return superseded;

    const recorded = mine.filter((c) => c.outcome.kind !== 'fresh');
    const ids = await recordMaterializations(trx, recorded.map((c) => (c.outcome as Extract<StepOutcome, { record: unknown }>).record));
    const materializationOf = new Map<number, number>();
    recorded.forEach((c, index) => materializationOf.set(c.claim.step.id, ids[index]!));
    for (const c of mine) {
      if (c.outcome.kind === 'fresh') materializationOf.set(c.claim.step.id, c.outcome.materializationId);
      else if (c.outcome.artifacts.length > 0) await recordArtifacts(trx, materializationOf.get(c.claim.step.id)!, [...c.outcome.artifacts]);
    }

    const status = (c: CompletedStep): StepStatus => (c.outcome.kind === 'fresh' ? 'fresh' : c.outcome.kind);
    const inputHash = (c: CompletedStep): string => (c.outcome.kind === 'fresh' ? c.outcome.inputHash : c.outcome.record.inputHash);
    await sql`
      update strata_internal.steps s
      set status = c.status, materialization_id = c.materialization_id, input_hash = c.input_hash, finished_at = now()
      from unnest(${mine.map((c) => c.claim.step.id)}::bigint[], ${mine.map(status)}::text[],
                  ${mine.map((c) => materializationOf.get(c.claim.step.id)!)}::bigint[], ${mine.map(inputHash)}::text[])
        as c(id, status, materialization_id, input_hash)
      where s.id = c.id`.execute(trx);
    const attemptIds = mine.map((c) => c.claim.attemptId);
    await trx.updateTable('strata_internal.attempts').set({ status: 'succeeded', finished_at: sql<Date>`now()` }).where('id', '=', (eb) => eb.fn.any(eb.val(attemptIds))).execute();
    await appendEvents(trx, mine.map((c) => eventOf(c, materializationOf.get(c.claim.step.id)!)));

    let added = 0;
    let removed = 0;
    for (const c of mine) {
      const keys = c.outcome.kind === 'fresh' ? c.outcome.partitionKeys : c.outcome.record.partitionKeys;
      if (!keys) continue;
      const expansion = await expandProducedPartitions(trx, runtime.graph, c.claim, keys);
      added += expansion.added;
      removed += expansion.removed;
    }
    if (mine.some((c) => c.claim.step.pool !== null)) {
      await trx.updateTable('strata_internal.pool_slots').set({ attempt_id: null, worker_id: null, acquired_at: null }).where('attempt_id', '=', (eb) => eb.fn.any(eb.val(attemptIds))).execute();
    }
    await releaseDependants(trx, run.id, mine.map((c) => c.claim.step.id), completed[0]!.claim.runOptions.concurrency);
    await settleRun(trx, run.id, mine.length + removed, added);
    return superseded;
  });
}
