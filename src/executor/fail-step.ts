// The transaction that ends a failed attempt: schedule a retry with backoff, or fail the step
// and skip everything downstream of it; a cancelled attempt cancels its step.
import { sql } from 'kysely';
import { retryDelayMs } from '../definitions/index.js';
import { StrataError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import { appendEvents } from '../provenance/index.js';
import {
  attemptFromStatesOf,
  RETRY_SPENDING_ATTEMPT_STATUSES,
  targetOf,
  type AttemptStatus,
  type StoredError,
} from '../store/index.js';
import type { ClaimedStep } from './claim-steps.js';
import { RUN_CHANNEL } from './constants.js';
import { enqueueStepJobs } from './job-queue.js';
import { releasePoolSlots } from './pools.js';
import { settleRun, skipDownstream, transitionOwnedStep } from './step-transitions.js';
import type { WorkerRuntime } from './worker-runtime.js';
import { BUDGET_EXCEEDED_ERROR_NAME } from './tool-budget.js';
import { BLOCKED_INPUT_ERROR_NAME } from './blocked-inputs.js';

/** How an attempt failed. */
export type FailureKind = Extract<AttemptStatus, 'failed' | 'timed_out' | 'canceled'>;

export type { StoredError } from '../store/index.js';

/** Serializes an error for storage, keeping the user's stack for their own debugging. */
export function storedError(error: unknown): StoredError {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error instanceof StrataError && error.hint ? { hint: error.hint } : {}),
      ...(error instanceof StrataError ? { fault: error.fault } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

/** Commits the failure of `claim`'s attempt; throws AttemptSupersededError if it lost ownership. */
export async function failStep(
  runtime: WorkerRuntime,
  claim: ClaimedStep,
  kind: FailureKind,
  error: unknown,
): Promise<void> {
  const { step, attemptId, attemptNumber } = claim;
  const label = formatAssetPartition(step.asset_key, step.partition_key);
  const stored = storedError(error);
  const base = {
    runId: step.run_id,
    stepId: step.id,
    attemptId,
    assetKey: step.asset_key,
    partitionKey: step.partition_key,
  };
  await runtime.db.transaction().execute(async (trx) => {
    // A lost attempt's outcome stands while its step still names it (step-states.ts).
    await trx
      .updateTable('strata_internal.attempts')
      .set({ status: kind, error: JSON.stringify(stored), finished_at: sql<Date>`now()` })
      .where('id', '=', attemptId)
      .where('status', 'in', attemptFromStatesOf(kind === 'canceled' ? 'cancel_attempt' : 'fail'))
      .execute();
    await releasePoolSlots(trx, [attemptId]);
    if (kind === 'canceled') {
      await transitionOwnedStep(trx, step.id, attemptId, {
        status: targetOf('cancel_attempt'),
        error: stored,
      });
      await appendEvents(trx, [
        { ...base, kind: 'step_canceled', level: 'warn', message: `${label} cancelled` },
      ]);
      await settleRun(trx, step.run_id, 1);
      return;
    }
    // The retry budget counts the asset's own failures, this one included: attempts strata broke
    // off (lost to a dead worker, handed back by a stopping one or after a database outage)
    // spend none of it.
    const earlier = await trx
      .selectFrom('strata_internal.attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('step_id', '=', step.id)
      .where('id', '<>', attemptId)
      .where('status', 'in', RETRY_SPENDING_ATTEMPT_STATUSES)
      .executeTakeFirstOrThrow();
    const failures = Number(earlier.n) + 1;
    const policy = runtime.graph.node(step.asset_key).definition.retry;
    // A spent budget refuses again, and a blocked input stays blocked: no retry.
    if (
      failures < step.max_attempts &&
      stored.name !== BUDGET_EXCEEDED_ERROR_NAME &&
      stored.name !== BLOCKED_INPUT_ERROR_NAME
    ) {
      const delay = retryDelayMs(policy, failures + 1);
      await transitionOwnedStep(trx, step.id, attemptId, {
        status: targetOf('retry'),
        error: stored,
      });
      await enqueueStepJobs(trx, step.run_id, [[step.id]], {
        runAt: new Date(Date.now() + delay),
      });
      await appendEvents(trx, [
        {
          ...base,
          kind: 'step_retry_scheduled',
          level: 'warn',
          message: `${label} attempt ${attemptNumber} ${kind === 'timed_out' ? 'timed out' : 'failed'}: ${stored.message}; retry ${failures + 1}/${step.max_attempts} in ${delay} ms`,
          data: { error: stored, delayMs: delay },
        },
      ]);
      await sql`select pg_notify(${RUN_CHANNEL}, ${String(step.run_id)})`.execute(trx);
      return;
    }
    await transitionOwnedStep(trx, step.id, attemptId, { status: targetOf('fail'), error: stored });
    await appendEvents(trx, [
      {
        ...base,
        kind: 'step_failed',
        level: 'error',
        message: `${label} ${kind === 'timed_out' ? 'timed out' : 'failed'}: ${stored.message}`,
        data: { error: stored },
      },
    ]);
    const skipped = await skipDownstream(trx, step.run_id, step.id, `upstream ${label} failed`);
    await settleRun(trx, step.run_id, 1 + skipped);
  });
}
