// Stored experiment plans (migrations/0013): proposing a checked plan, and changing its state
// through the gate of plan-states.ts. Each change is one transaction that locks the plan, checks
// the transition and the actor, and records who, when, from where and why.
import type { Kysely } from 'kysely';
import { roleAllows, rolesAllowing, type Role } from '../access/index.js';
import { ForbiddenError, NotFoundError, UsageError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { withArticle } from './plan-words.js';
import { PLAN_TRANSITIONS, type PlanAction, type PlanState } from './plan-states.js';
import type { ExperimentPlan } from './plan-schema.js';
import { countApproval } from './plan-approval.js';
import { experimentPlanId, validateExperimentPlan } from './validate-plan.js';

/** Who acts on a plan, and from where. */
export interface PlanActor {
  /** A token's name, or the CLI's `user@host`. */
  readonly name: string;
  readonly role: Role;
  /** Where from: `cli on HOST`, or the server's peer address. */
  readonly origin: string;
}

/** A stored plan as read back. */
export interface StoredPlan {
  readonly id: string;
  readonly study: string;
  readonly title: string;
  readonly state: PlanState;
  readonly predecessor: string | null;
  readonly proposedBy: string;
  readonly proposedAt: Date;
  readonly document: ExperimentPlan;
  readonly transitions: readonly {
    readonly from: PlanState | null;
    readonly to: PlanState;
    readonly actor: string;
    readonly origin: string;
    readonly comment: string | null;
    readonly at: Date;
    /** For approvals: the code versions of the pipeline's assets the approver saw. */
    readonly codeVersions: Readonly<Record<string, string>> | null;
    /** For the transitions a run made or started. */
    readonly runId: number | null;
    /** For approvals: the distinct approvals the plan then had for that code. */
    readonly approvals: number | null;
  }[];
}

/**
 * Checks `input` against the definitions of `graph` and stores it as proposed; proposing the
 * same plan again returns it as it is (its id names its content).
 */
export async function proposePlan(
  db: Kysely<Database>,
  graph: AssetGraph,
  input: unknown,
  actor: PlanActor,
  comment?: string,
): Promise<StoredPlan> {
  if (!roleAllows(actor.role, 'propose'))
    throw new ForbiddenError(`${actor.name} (role ${actor.role}) may not propose plans`, {
      hint: `that needs the role ${rolesAllowing('propose').join(', ')}`,
    });
  const plan = validateExperimentPlan(input, graph);
  const id = experimentPlanId(plan);
  await db.transaction().execute(async (trx) => {
    if (plan.predecessor !== null) {
      const predecessor = await trx
        .selectFrom('strata_internal.plans')
        .select('id')
        .where('id', '=', plan.predecessor)
        .executeTakeFirst();
      if (predecessor === undefined)
        throw new UsageError(`predecessor: no plan ${plan.predecessor}`, {
          hint: 'strata plans list shows the plans',
        });
    }
    const inserted = await trx
      .insertInto('strata_internal.plans')
      .values({
        id,
        study: plan.study,
        title: plan.title,
        document: JSON.stringify(plan),
        predecessor: plan.predecessor,
        state: 'proposed',
        proposed_by: actor.name,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted === undefined) return; // the same plan, proposed before
    await recordTransition(trx, { planId: id, from: null, to: 'proposed', actor, comment });
  });
  return loadPlan(db, id);
}

/**
 * Approves, rejects, withdraws or stops plan `id`, as one transaction; returns the plan after
 * it. An approval is checked against the definitions of `graph` (those the approver runs) and
 * records the code versions of the pipeline's assets, which execution compares with its own.
 */
export async function changePlanState(
  db: Kysely<Database>,
  graph: AssetGraph,
  id: string,
  action: PlanAction,
  actor: PlanActor,
  comment?: string,
): Promise<StoredPlan> {
  const rule = PLAN_TRANSITIONS[action];
  await db.transaction().execute(async (trx) => {
    const plan = await trx
      .selectFrom('strata_internal.plans')
      .select(['state', 'proposed_by', 'document'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (plan === undefined)
      throw new NotFoundError(`no plan ${id}`, { hint: 'strata plans list shows the plans' });
    if (!roleAllows(actor.role, rule.capability))
      throw new ForbiddenError(`${actor.name} (role ${actor.role}) may not ${action} plans`, {
        hint: `that needs the role ${rolesAllowing(rule.capability).join(', ')}`,
      });
    if (rule.proposerOnly && plan.proposed_by !== actor.name)
      throw new ForbiddenError(
        `only ${plan.proposed_by}, who proposed ${id}, may ${action} it (not ${actor.name})`,
      );
    if (!(rule.from as readonly string[]).includes(plan.state))
      throw new UsageError(
        `plan ${id} is ${plan.state}: it cannot be ${rule.to} (only ${withArticle(rule.from.join(' or '))} plan can)`,
      );
    // An approval counts under the project's policy; the one that reaches it approves.
    const approval =
      action === 'approve'
        ? await countApproval(
            trx,
            graph,
            { id, proposedBy: plan.proposed_by, document: plan.document },
            actor,
          )
        : undefined;
    const to = approval === undefined || approval.reached ? rule.to : (plan.state as PlanState);
    await trx
      .updateTable('strata_internal.plans')
      .set({ state: to })
      .where('id', '=', id)
      .execute();
    await recordTransition(trx, {
      planId: id,
      from: plan.state as PlanState,
      to,
      actor,
      comment,
      ...(approval && { codeVersions: approval.codeVersions, approvals: approval.approvals }),
    });
  });
  return loadPlan(db, id);
}

/** Records one transition of a plan's state (inside the transaction that changes it). */
export async function recordTransition(
  trx: Kysely<Database>,
  transition: {
    readonly planId: string;
    readonly from: PlanState | null;
    readonly to: PlanState;
    readonly actor: PlanActor;
    readonly comment: string | undefined;
    readonly codeVersions?: Readonly<Record<string, string>> | null;
    readonly runId?: number | null;
    readonly approvals?: number;
  },
): Promise<void> {
  await trx
    .insertInto('strata_internal.plan_transitions')
    .values({
      plan_id: transition.planId,
      from_state: transition.from,
      to_state: transition.to,
      actor: transition.actor.name,
      origin: transition.actor.origin,
      comment: transition.comment ?? null,
      code_versions:
        transition.codeVersions === undefined || transition.codeVersions === null
          ? null
          : JSON.stringify(transition.codeVersions),
      run_id: transition.runId ?? null,
      approvals: transition.approvals ?? null,
    })
    .execute();
}

/** Plan `id` with its transitions; NotFoundError when there is none. */
export async function loadPlan(db: Kysely<Database>, id: string): Promise<StoredPlan> {
  const [plan] = await listPlans(db, { ids: [id] });
  if (plan === undefined)
    throw new NotFoundError(`no plan ${id}`, { hint: 'strata plans list shows the plans' });
  return plan;
}

/** Plans, newest first, with their transitions (all, those of `ids`, or one page). */
export async function listPlans(
  db: Kysely<Database>,
  options: {
    readonly ids?: readonly string[];
    readonly offset?: number;
    readonly limit?: number;
  } = {},
): Promise<StoredPlan[]> {
  let query = db
    .selectFrom('strata_internal.plans')
    .selectAll()
    .orderBy('proposed_at', 'desc')
    .orderBy('id');
  if (options.limit !== undefined) query = query.limit(options.limit).offset(options.offset ?? 0);
  if (options.ids !== undefined)
    query = query.where('id', '=', (eb) => eb.fn.any(eb.val([...options.ids!])));
  const plans = await query.execute();
  if (plans.length === 0) return [];
  const transitions = await db
    .selectFrom('strata_internal.plan_transitions')
    .selectAll()
    .where('plan_id', '=', (eb) => eb.fn.any(eb.val(plans.map((p) => p.id))))
    .orderBy('id')
    .execute();
  return plans.map((p) => ({
    id: p.id,
    study: p.study,
    title: p.title,
    state: p.state as PlanState,
    predecessor: p.predecessor,
    proposedBy: p.proposed_by,
    proposedAt: p.proposed_at,
    document: p.document as ExperimentPlan,
    transitions: transitions
      .filter((t) => t.plan_id === p.id)
      .map((t) => ({
        from: t.from_state as PlanState | null,
        to: t.to_state as PlanState,
        actor: t.actor,
        origin: t.origin,
        comment: t.comment,
        at: t.at,
        codeVersions: t.code_versions,
        runId: t.run_id === null ? null : Number(t.run_id),
        approvals: t.approvals,
      })),
  }));
}

/** A stored plan as JSON (times as ISO strings), as the CLI and the API print it. */
export function storedPlanJson(plan: StoredPlan) {
  return {
    ...plan,
    proposedAt: plan.proposedAt.toISOString(),
    document: plan.document as unknown as Record<string, unknown>,
    transitions: plan.transitions.map((t) => ({ ...t, at: t.at.toISOString() })),
  };
}
