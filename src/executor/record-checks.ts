// What a completion does with the checks evaluated in its steps: records every evaluation with
// its materialization, appends a `check_evaluated` event per evaluation, and ends the steps a
// blocking check failed as failed (their materialization recorded, for inspection; everything
// downstream in the run skipped), all in the completion's transaction.
import { sql, type Kysely } from 'kysely';
import { formatAssetPartition } from '../graph/index.js';
import { appendEvents, recordCheckEvaluations, type NewEvent } from '../provenance/index.js';
import { attemptFromStatesOf, targetOf, type Database, type StoredError } from '../store/index.js';
import type { CompletedStep } from './completion-decision.js';
import { blocksDependants, type CheckEvaluation } from './evaluate-checks.js';
import { skipDownstream, transitionOwnedStep } from './step-transitions.js';

/** The evaluations of a completed step (none for an early cutoff). */
export function evaluationsOf(done: CompletedStep): readonly CheckEvaluation[] {
  return done.outcome.kind === 'fresh' ? [] : (done.outcome.checks ?? []);
}

/** Whether a blocking check failed on the step's value: the step fails, its value recorded. */
export function failedBlockingCheck(done: CompletedStep): boolean {
  return evaluationsOf(done).some(blocksDependants);
}

function verdictWords(evaluation: CheckEvaluation): string {
  const verdict = evaluation.passed
    ? 'passed'
    : evaluation.blocking
      ? 'failed (blocking)'
      : evaluation.severity === 'warn'
        ? 'warned'
        : 'failed';
  return evaluation.description === null ? verdict : `${verdict}: ${evaluation.description}`;
}

/** Records the evaluations of `completed` and appends their events. */
export async function recordStepChecks(
  trx: Kysely<Database>,
  completed: readonly CompletedStep[],
  materializationOf: ReadonlyMap<number, number>,
): Promise<void> {
  const records = [];
  const events: NewEvent<'check_evaluated'>[] = [];
  for (const done of completed) {
    const materializationId = materializationOf.get(done.claim.step.id)!;
    for (const evaluation of evaluationsOf(done)) {
      records.push({ ...evaluation, materializationId });
      const { step } = done.claim;
      events.push({
        runId: step.run_id,
        stepId: step.id,
        attemptId: done.claim.attemptId,
        assetKey: step.asset_key,
        partitionKey: step.partition_key,
        kind: 'check_evaluated',
        level: evaluation.passed ? 'info' : evaluation.severity === 'warn' ? 'warn' : 'error',
        message: `${formatAssetPartition(step.asset_key, step.partition_key)} check ${evaluation.checkName} ${verdictWords(evaluation)}`,
        data: {
          check: evaluation.checkName,
          checkVersion: evaluation.checkVersion,
          passed: evaluation.passed,
          severity: evaluation.severity,
          blocking: evaluation.blocking,
          materializationId,
        },
      });
    }
  }
  await recordCheckEvaluations(trx, records);
  await appendEvents(trx, events);
}

/** The error a step stores when a blocking check failed on its value. */
export function blockingFailure(done: CompletedStep): StoredError {
  const failed = evaluationsOf(done).filter(blocksDependants);
  const label = formatAssetPartition(done.claim.step.asset_key, done.claim.step.partition_key);
  const first = failed[0]!;
  return {
    name: 'BlockingCheckFailed',
    message: `${label} failed blocking check ${failed.map((e) => e.checkName).join(', ')}${first.description === null ? '' : `: ${first.description}`}`,
    fault: 'user_code',
    hint: 'dependants do not read this materialization until it is rebuilt or the check passes (`strata check`)',
  };
}

/**
 * Ends steps a blocking check failed: attempt and step failed, with their materialization; the
 * run's steps downstream skipped. Throws AttemptSupersededError for a step no longer owned.
 * Returns how many steps were skipped.
 */
export async function failBlockedSteps(
  trx: Kysely<Database>,
  blocked: readonly CompletedStep[],
  materializationOf: ReadonlyMap<number, number>,
): Promise<number> {
  let skipped = 0;
  for (const done of blocked) {
    const { step, attemptId } = done.claim;
    const materializationId = materializationOf.get(step.id)!;
    const error = blockingFailure(done);
    await trx
      .updateTable('strata_internal.attempts')
      .set({ status: 'failed', error: JSON.stringify(error), finished_at: sql<Date>`now()` })
      .where('id', '=', attemptId)
      .where('status', 'in', attemptFromStatesOf('fail'))
      .execute();
    await transitionOwnedStep(trx, step.id, attemptId, {
      status: targetOf('fail'),
      materializationId,
      inputHash:
        done.outcome.kind === 'fresh' ? done.outcome.inputHash : done.outcome.record.inputHash,
      error,
    });
    // No `step_materialized`: the step did not succeed (its materialization is on the step row,
    // and the `check_evaluated` events name it).
    await appendEvents(trx, [
      {
        runId: step.run_id,
        stepId: step.id,
        attemptId,
        assetKey: step.asset_key,
        partitionKey: step.partition_key,
        kind: 'step_failed',
        level: 'error',
        message: error.message,
        data: { error },
      },
    ]);
    skipped += await skipDownstream(
      trx,
      step.run_id,
      step.id,
      `upstream ${formatAssetPartition(step.asset_key, step.partition_key)} failed a blocking check`,
    );
  }
  return skipped;
}
