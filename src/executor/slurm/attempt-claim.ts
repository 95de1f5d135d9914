// The claim of one attempt, read back from the database: what the Slurm job (which did not claim
// the step itself) and the trackers (which end attempts other workers submitted) act on. Only an
// attempt that still runs and still owns its step has one: anything else was superseded.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import type { ClaimedStep } from '../claim-steps.js';
import type { RunOptions } from '../create-run.js';

/** The claim of attempt `attemptId` and its Slurm job, or undefined when it no longer owns its step. */
export async function loadAttemptClaim(
  db: Kysely<Database>,
  attemptId: number,
): Promise<
  (ClaimedStep & { readonly workerId: string; readonly slurmJobId: string | null }) | undefined
> {
  const attempt = await db
    .selectFrom('strata_internal.attempts')
    .select(['id', 'step_id', 'number', 'status', 'worker_id', 'slurm_job_id'])
    .where('id', '=', attemptId)
    .executeTakeFirst();
  if (attempt === undefined || attempt.status !== 'running') return undefined;
  const step = await db
    .selectFrom('strata_internal.steps')
    .selectAll()
    .where('id', '=', attempt.step_id)
    .executeTakeFirst();
  if (step === undefined || step.current_attempt_id !== attempt.id) return undefined;
  const run = await db
    .selectFrom('strata_internal.runs')
    .selectAll()
    .where('id', '=', step.run_id)
    .executeTakeFirstOrThrow();
  return {
    step,
    run,
    runOptions: run.options as RunOptions,
    attemptId: attempt.id,
    attemptNumber: attempt.number,
    workerId: attempt.worker_id,
    slurmJobId: attempt.slurm_job_id,
  };
}
