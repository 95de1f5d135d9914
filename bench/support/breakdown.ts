// Where a run's time goes, from the timestamps the engine records: per step, the claim
// transaction's start (attempts.started_at), the compute window (materializations.started_at
// and finished_at, taken in JS), and the completing transaction's start (steps.finished_at).
// Steps recorded by one completion (a batch, or a line of fused steps) are one unit: their
// first claim, their computes, their commit; the phases are then spread over the steps.
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
  readonly steps: number;
  /** Transactions that recorded the steps. */
  readonly completions: number;
}

interface Row {
  completion: string;
  attempt_start: Date;
  compute_start: Date;
  compute_end: Date;
  step_end: Date;
}

/** The steps one transaction recorded, as one unit. */
interface Completion {
  readonly claimStart: number;
  readonly computeStart: number;
  readonly computeEnd: number;
  readonly end: number;
}

function completions(rows: readonly Row[]): Completion[] {
  const byTransaction = new Map<string, Row[]>();
  for (const row of rows)
    byTransaction.set(row.completion, [...(byTransaction.get(row.completion) ?? []), row]);
  return [...byTransaction.values()]
    .map((group) => ({
      claimStart: Math.min(...group.map((r) => r.attempt_start.getTime())),
      computeStart: Math.min(...group.map((r) => r.compute_start.getTime())),
      computeEnd: Math.max(...group.map((r) => r.compute_end.getTime())),
      end: Math.max(...group.map((r) => r.step_end.getTime())),
    }))
    .sort((a, b) => a.claimStart - b.claimStart);
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
    select m.xmin::text as completion, a.started_at as attempt_start, m.started_at as compute_start,
           m.finished_at as compute_end, s.finished_at as step_end
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
  const r = rows.rows;
  if (r.length === 0) throw new Error(`run ${runId} has no materialized steps`);
  const units = completions(r);
  const perStep = (values: number[]): number => values.reduce((a, b) => a + b, 0) / r.length;
  const hops = units.slice(1).map((unit, index) => unit.claimStart - units[index]!.end);
  return {
    claimAndInputs: perStep(units.map((u) => u.computeStart - u.claimStart)),
    compute: perStep(units.map((u) => u.computeEnd - u.computeStart)),
    toComplete: perStep(units.map((u) => u.end - u.computeEnd)),
    completeAndHop: serial && hops.length > 0 ? perStep(hops) : undefined,
    firstClaim: units[0]!.claimStart - run.created_at.getTime(),
    runSpan: run.finished_at ? run.finished_at.getTime() - run.created_at.getTime() : NaN,
    steps: r.length,
    completions: units.length,
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
  return `${b.steps} steps recorded by ${b.completions} transactions; mean per step: ${parts.join(', ')}; run created -> first claim ${formatNumber(b.firstClaim)} ms, run created -> finished ${formatNumber(b.runSpan)} ms`;
}
