// Where a run's time goes, from the timestamps the engine records: per step, the claim
// transaction's start (attempts.started_at), the compute window (materializations.started_at
// and finished_at, taken in JS), and the completing transaction's start (steps.finished_at).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/index.js';
import { formatNumber } from './stats.js';

/** Mean milliseconds of each phase of a step (timestamps have 1 ms resolution, so means, not medians). */
export interface StepBreakdown {
  /** Claim transaction (commit included) and loading the step's inputs. */
  readonly claimAndInputs: number;
  /** Reuse/fresh checks, stored values, the compute function and validation. */
  readonly compute: number;
  /** From the end of compute to the start of the completing transaction. */
  readonly toComplete: number;
  /** Completing transaction (commit), queue completion and dispatch of the next step. */
  readonly completeAndHop: number | undefined;
  /** Run created (createRun's transaction) to its first claim. */
  readonly firstClaim: number;
  /** Last step's completing transaction start to the run's finish (settle). */
  readonly runSpan: number;
}

interface Row {
  attempt_start: Date;
  compute_start: Date;
  compute_end: Date;
  step_end: Date;
  next_attempt_start: Date | null;
}

/**
 * Per-phase means of run `runId`. `serial` says whether steps ran one after another (a chain),
 * in which case the hop to the next step's claim is meaningful.
 */
export async function stepBreakdown(
  db: Kysely<Database>,
  runId: number,
  serial: boolean,
): Promise<StepBreakdown> {
  const rows = await sql<Row>`
    select a.started_at as attempt_start, m.started_at as compute_start, m.finished_at as compute_end,
           s.finished_at as step_end,
           lead(a.started_at) over (order by a.started_at) as next_attempt_start
    from strata_internal.steps s
    join strata_internal.attempts a on a.id = s.current_attempt_id
    join strata_internal.materializations m on m.id = s.materialization_id
    where s.run_id = ${runId}
    order by a.started_at`.execute(db);
  const run = await db
    .selectFrom('strata_internal.runs')
    .select(['created_at', 'finished_at'])
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  const ms = (a: Date, b: Date): number => b.getTime() - a.getTime();
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const r = rows.rows;
  if (r.length === 0) throw new Error(`run ${runId} has no materialized steps`);
  const hops = r.flatMap((x) =>
    x.next_attempt_start ? [ms(x.step_end, x.next_attempt_start)] : [],
  );
  return {
    claimAndInputs: mean(r.map((x) => ms(x.attempt_start, x.compute_start))),
    compute: mean(r.map((x) => ms(x.compute_start, x.compute_end))),
    toComplete: mean(r.map((x) => ms(x.compute_end, x.step_end))),
    completeAndHop: serial && hops.length > 0 ? mean(hops) : undefined,
    firstClaim: ms(run.created_at, r[0]!.attempt_start),
    runSpan: run.finished_at ? ms(run.created_at, run.finished_at) : NaN,
  };
}

/** One line describing a breakdown. */
export function describeBreakdown(b: StepBreakdown): string {
  const parts = [
    `claim trx + load inputs ${formatNumber(b.claimAndInputs)} ms`,
    `checks + compute ${formatNumber(b.compute)} ms`,
    `to complete trx ${formatNumber(b.toComplete)} ms`,
  ];
  if (b.completeAndHop !== undefined)
    parts.push(`complete trx + queue hop to next claim ${formatNumber(b.completeAndHop)} ms`);
  return `mean per step: ${parts.join(', ')}; run created -> first claim ${formatNumber(b.firstClaim)} ms, run created -> finished ${formatNumber(b.runSpan)} ms`;
}
