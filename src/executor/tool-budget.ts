// The tool-call budget of an experiment plan (its limits.maxToolCalls, docs/plans.md): every
// tool call a run of the plan sends is charged to the plan first, in one statement that refuses
// once the budget is spent. A refused call fails its step at once (no retry: the budget would
// refuse again), the run fails, and so does the plan. A call repeated after a crash is charged
// again: the budget bounds what was sent, never less.
import { sql, type Kysely } from 'kysely';
import { UsageError } from '../errors.js';
import type { Database } from '../store/index.js';

/** The name stored with a step that failed on the budget; such a step is never retried. */
export const BUDGET_EXCEEDED_ERROR_NAME = 'BudgetExceededError';

/** A plan's run would send more tool calls than the plan allows. */
export class BudgetExceededError extends UsageError {
  override readonly name = BUDGET_EXCEEDED_ERROR_NAME;
  constructor(planId: string, limit: number, call: string) {
    super(
      `plan ${planId} has spent its budget of ${limit} tool call${limit === 1 ? '' : 's'} (limits.maxToolCalls): ${call} was not sent`,
      { hint: `propose a revision of ${planId} with a larger limits.maxToolCalls` },
    );
  }
}

/** The budget a run's calls are charged to: its plan and the plan's limit (null: no limit). */
interface RunBudget {
  readonly planId: string;
  readonly limit: number;
}

/** Budgets by run id: a run's plan never changes. */
const budgets = new Map<number, RunBudget | null>();

async function budgetOf(db: Kysely<Database>, runId: number): Promise<RunBudget | null> {
  let budget = budgets.get(runId);
  if (budget === undefined) {
    const row = await db
      .selectFrom('strata_internal.runs as r')
      .leftJoin('strata_internal.plans as p', 'p.id', 'r.plan_id')
      .select([
        'r.plan_id',
        sql<number | null>`(p.document -> 'limits' ->> 'maxToolCalls')::int`.as('max_tool_calls'),
      ])
      .where('r.id', '=', runId)
      .executeTakeFirst();
    budget =
      row?.plan_id == null || row.max_tool_calls === null
        ? null
        : { planId: row.plan_id, limit: row.max_tool_calls };
    if (budgets.size > 10_000) budgets.clear();
    budgets.set(runId, budget);
  }
  return budget;
}

/**
 * Charges one tool call of run `runId` to its plan's budget; throws BudgetExceededError when the
 * budget is spent (nothing is charged then). Runs without a plan or a limit are not charged.
 */
export async function chargeToolCall(
  db: Kysely<Database>,
  runId: number,
  call: string,
): Promise<void> {
  const budget = await budgetOf(db, runId);
  if (budget === null) return;
  const charged = await db
    .updateTable('strata_internal.plans')
    .set((eb) => ({ tool_calls_used: eb('tool_calls_used', '+', 1) }))
    .where('id', '=', budget.planId)
    .where('tool_calls_used', '<', budget.limit)
    .returning('tool_calls_used')
    .executeTakeFirst();
  if (charged === undefined) throw new BudgetExceededError(budget.planId, budget.limit, call);
}
