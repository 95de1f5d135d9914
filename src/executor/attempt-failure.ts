// How a failed attempt ends: the asset's own failure is recorded (a retry scheduled, or the step
// failed and what depends on it skipped); an attempt that strata itself broke off (a worker
// stopped at once, the database connection lost under it) or whose artifact store failed (a
// full disk) is handed back to the queue instead, failing nothing and spending no retry.
import { sql } from 'kysely';
import { artifactStoreFaultOf, type ArtifactStoreError } from '../artifacts/index.js';
import { DatabaseUnavailableError, isConnectionError } from '../store/index.js';
import type { ClaimedStep } from './claim-steps.js';
import { failStep } from './fail-step.js';
import { decideStoreFault, STORE_FAULT_ERROR_NAME } from './store-fault-retry.js';
import { handBackAttempts } from './liveness.js';
import { ComputeInterruptedError } from './run-compute.js';
import { AttemptSupersededError } from './step-transitions.js';
import type { WorkerRuntime } from './worker-runtime.js';

/**
 * Whether an attempt's failure was strata's database going away (not the asset's code, which may
 * talk to databases of its own): a connection error while this process saw an outage begin since
 * `outagesAtStart`. A probe through the outage tracker finds an outage not yet noticed.
 */
async function lostTheDatabase(
  runtime: WorkerRuntime,
  error: unknown,
  outagesAtStart: number,
): Promise<boolean> {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!isConnectionError(error)) return false;
  await runtime.outage.retry(() => sql`select 1`.execute(runtime.db));
  return runtime.outage.outages !== outagesAtStart;
}

/**
 * Hands an attempt whose artifact store failed back to the queue, to run again after a wait
 * (store-fault-retry.ts); false once the step has used up its hand-backs for store failures.
 */
async function handBackForStoreFault(
  runtime: WorkerRuntime,
  claim: ClaimedStep,
  fault: ArtifactStoreError,
): Promise<boolean> {
  const earlier = await runtime.db
    .selectFrom('strata_internal.attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('step_id', '=', claim.step.id)
    .where(sql<boolean>`error->>'name' = ${STORE_FAULT_ERROR_NAME}`)
    .executeTakeFirstOrThrow();
  const decision = decideStoreFault(Number(earlier.n), runtime.storeRetry);
  if (decision.kind === 'fail') return false;
  await handBackAttempts(runtime.db, [claim.attemptId], fault.message, {
    errorName: STORE_FAULT_ERROR_NAME,
    delayMs: decision.delayMs,
  });
  return true;
}

/**
 * Ends a failed attempt; returns false when it no longer owned its step. A failure of the
 * database connection during the attempt is strata's fault, not the asset's: the step goes back
 * to the queue instead of failing or spending a retry.
 */
export async function endFailedAttempt(
  runtime: WorkerRuntime,
  claim: ClaimedStep,
  error: unknown,
  outagesAtStart: number,
): Promise<boolean> {
  if (runtime.interruptSignal.aborted && error instanceof ComputeInterruptedError) {
    await runtime.outage.retry(() =>
      handBackAttempts(
        runtime.db,
        [claim.attemptId],
        `worker ${runtime.workerId} was stopped at once and handed the step back`,
      ),
    );
    return false;
  }
  if (await lostTheDatabase(runtime, error, outagesAtStart)) {
    await runtime.outage.retry(() =>
      handBackAttempts(
        runtime.db,
        [claim.attemptId],
        `the database connection failed during the attempt (${(error as Error).message})`,
      ),
    );
    return false;
  }
  const storeFault =
    error instanceof ComputeInterruptedError ? undefined : artifactStoreFaultOf(error);
  if (storeFault !== undefined) {
    const handedBack = await runtime.outage.retry(() =>
      handBackForStoreFault(runtime, claim, storeFault),
    );
    if (handedBack) return false;
  }
  const kind = error instanceof ComputeInterruptedError ? error.kind : 'failed';
  try {
    await runtime.outage.retry(() => failStep(runtime, claim, kind, error));
    return true;
  } catch (failure) {
    if (failure instanceof AttemptSupersededError) return false;
    throw failure;
  }
}
