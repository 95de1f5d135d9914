// Comparing two stored plans (`strata plans diff A B`, the MCP tool diff_plans), or a plan with
// the one it revises when only one is named: the same document for the CLI and MCP.
import type { Kysely } from 'kysely';
import { UsageError } from '../errors.js';
import type { Database } from '../store/index.js';
import { planDiff, type PlanChange } from './plan-diff.js';
import { loadPlan } from './plan-store.js';

/** What changed from plan `a` to plan `b`. */
export interface PlanComparison {
  readonly a: string;
  readonly b: string;
  readonly changes: PlanChange[];
}

/**
 * The changes from plan `a` to plan `b`; without `a`, from the plan `b` revises. NotFoundError
 * naming an unknown id; UsageError when `a` is left out and `b` revises no plan.
 */
export async function comparePlans(
  db: Kysely<Database>,
  b: string,
  a?: string,
): Promise<PlanComparison> {
  const after = await loadPlan(db, b);
  const from = a ?? after.predecessor;
  if (from === null)
    throw new UsageError(`plan ${b} revises no plan: there is nothing to compare it with`, {
      hint: `name the plan to compare it with: strata plans diff plan-… ${b}`,
    });
  const before = await loadPlan(db, from);
  return { a: before.id, b: after.id, changes: planDiff(before.document, after.document) };
}
