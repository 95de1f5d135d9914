// Approvals of experiment plans under the project's policy (defineAssets({ planApprovals })): an
// approval is of the plan as the definitions read it now and of the code of its pipeline; the
// proposer may be barred from approving; several distinct approvers may be required. Execution
// requires the latest approval to be of the code running now and to have reached the policy.
import type { Kysely } from 'kysely';
import { ForbiddenError, UsageError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { codeVersionChanges, pipelineCodeVersions } from './plan-segments.js';
import type { PlanActor } from './plan-store.js';
import { validateExperimentPlan } from './validate-plan.js';

/** What one more approval of a plan amounts to. */
export interface ApprovalCount {
  /** The code versions of the pipeline the approver saw. */
  readonly codeVersions: Readonly<Record<string, string>>;
  /** Distinct approvals for that code, this one included. */
  readonly approvals: number;
  /** Whether they reach the project's requirement (the plan becomes approved). */
  readonly reached: boolean;
}

interface ApprovalRow {
  readonly actor: string;
  readonly code_versions: Readonly<Record<string, string>> | null;
  readonly approvals: number | null;
}

async function approvalRows(trx: Kysely<Database>, planId: string): Promise<ApprovalRow[]> {
  return trx
    .selectFrom('strata_internal.plan_transitions')
    .select(['actor', 'code_versions', 'approvals'])
    .where('plan_id', '=', planId)
    .where('approvals', 'is not', null)
    .orderBy('id')
    .execute();
}

/**
 * Counts `actor`'s approval of plan `planId` (proposed by `proposedBy`, stored as `document`)
 * under the project's policy; refuses a barred proposer and a second approval by the same person
 * for the same code.
 */
export async function countApproval(
  trx: Kysely<Database>,
  graph: AssetGraph,
  plan: { readonly id: string; readonly proposedBy: string; readonly document: unknown },
  actor: PlanActor,
): Promise<ApprovalCount> {
  const policy = graph.definitions.planApprovals;
  if (!policy.selfApproval && plan.proposedBy === actor.name)
    throw new ForbiddenError(
      `${actor.name} proposed ${plan.id} and may not approve it: this project needs another approver`,
      { hint: 'the definitions set planApprovals.selfApproval to false' },
    );
  const codeVersions = pipelineCodeVersions(validateExperimentPlan(plan.document, graph), graph);
  const sameCode = (await approvalRows(trx, plan.id)).filter(
    (row) => codeVersionChanges(row.code_versions ?? {}, codeVersions).length === 0,
  );
  if (sameCode.some((row) => row.actor === actor.name))
    throw new UsageError(
      `${actor.name} already approved plan ${plan.id} for the code running now`,
      {
        hint:
          policy.required > 1
            ? `it needs ${policy.required} distinct approvers`
            : `execute it: strata plans execute ${plan.id}`,
      },
    );
  const approvals = new Set(sameCode.map((row) => row.actor)).size + 1;
  return { codeVersions, approvals, reached: approvals >= policy.required };
}

/** The code of a plan's pipeline changed since its latest approval: a new approval is needed. */
export class PlanApprovalOutdatedError extends ForbiddenError {
  constructor(
    readonly planId: string,
    readonly changes: readonly string[],
  ) {
    super(
      `plan ${planId} was approved for other code; changed since its approval: ${changes.join('; ')}`,
      { hint: `review it again and approve it for this code: strata plans approve ${planId}` },
    );
  }
}

/**
 * Refuses to run plan `planId` unless its latest approval saw the code of `codeVersions` and
 * reached the project's number of approvers.
 */
export async function checkApproval(
  trx: Kysely<Database>,
  graph: AssetGraph,
  planId: string,
  codeVersions: Readonly<Record<string, string>>,
): Promise<void> {
  const latest = (await approvalRows(trx, planId)).at(-1);
  if (latest === undefined)
    throw new ForbiddenError(`plan ${planId} has no approval`, {
      hint: `strata plans approve ${planId}`,
    });
  const changes = codeVersionChanges(latest.code_versions ?? {}, codeVersions);
  if (changes.length > 0) throw new PlanApprovalOutdatedError(planId, changes);
  const required = graph.definitions.planApprovals.required;
  if (latest.approvals! < required)
    throw new ForbiddenError(
      `plan ${planId} has ${latest.approvals} of the ${required} approvals this project requires`,
      { hint: `another approver: strata plans approve ${planId}` },
    );
}
