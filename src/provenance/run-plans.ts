// The experiment plans behind runs (migrations/0014): for provenance and lineage, which plan a
// run executed, and that plan's approvals (of the plan, and past each checkpoint) with who
// approved, when, from where, why, and the code versions they saw.
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** One approval of a plan. */
export interface PlanApproval {
  /** `plan` for the plan's approval, `checkpoint` for a continuation past a checkpoint. */
  readonly of: 'plan' | 'checkpoint';
  readonly by: string;
  readonly origin: string;
  readonly at: Date;
  readonly comment: string | null;
  readonly codeVersions: Readonly<Record<string, string>> | null;
}

/** The plan a run executed. */
export interface RunPlan {
  readonly id: string;
  readonly title: string;
  readonly state: string;
  readonly approvals: readonly PlanApproval[];
}

/** The plans of `runIds` that executed one, by run id (two queries; none without plan runs). */
export async function loadRunPlans(
  db: Kysely<Database>,
  runIds: readonly number[],
): Promise<Map<number, RunPlan>> {
  const result = new Map<number, RunPlan>();
  const ids = [...new Set(runIds)];
  if (ids.length === 0) return result;
  const runs = await db
    .selectFrom('strata_internal.runs as r')
    .innerJoin('strata_internal.plans as p', 'p.id', 'r.plan_id')
    .select(['r.id as run_id', 'p.id', 'p.title', 'p.state'])
    .where('r.id', '=', (eb) => eb.fn.any(eb.val(ids)))
    .execute();
  if (runs.length === 0) return result;
  const approvals = await db
    .selectFrom('strata_internal.plan_transitions')
    .select(['plan_id', 'from_state', 'actor', 'origin', 'at', 'comment', 'code_versions'])
    .where('plan_id', '=', (eb) => eb.fn.any(eb.val([...new Set(runs.map((r) => r.id))])))
    .where((eb) =>
      eb.or([
        eb.and([eb('from_state', '=', 'proposed'), eb('to_state', '=', 'approved')]),
        eb.and([eb('from_state', 'in', ['approved', 'failed']), eb('to_state', '=', 'approved')]),
        eb.and([eb('from_state', '=', 'waiting'), eb('to_state', '=', 'running')]),
      ]),
    )
    .orderBy('id')
    .execute();
  const plans = new Map<string, RunPlan>();
  for (const run of runs) {
    let plan = plans.get(run.id);
    if (plan === undefined) {
      plan = {
        id: run.id,
        title: run.title,
        state: run.state,
        approvals: approvals
          .filter((a) => a.plan_id === run.id)
          .map((a) => ({
            of: a.from_state === 'waiting' ? 'checkpoint' : 'plan',
            by: a.actor,
            origin: a.origin,
            at: a.at,
            comment: a.comment,
            codeVersions: a.code_versions,
          })),
      };
      plans.set(run.id, plan);
    }
    result.set(Number(run.run_id), plan);
  }
  return result;
}
