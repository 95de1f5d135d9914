// The engine's side of the approval gate (docs/plans.md): a run of an experiment plan is created
// only here, in one transaction that locks the plan, checks the actor and the state, checks that
// the stored document is the approved bytes, that it still fits the definitions, and that the
// code of its pipeline is the code its latest approval saw; then adds the plan's partition to the
// study's DOE asset (with the plan as its payload), plans the next segment restricted to that
// partition and what it produces, writes the run tied to the plan, and moves the plan on.
import type { Kysely } from 'kysely';
import { roleAllows, rolesAllowing } from '../access/index.js';
import type { AssetKey } from '../definitions/index.js';
import { ForbiddenError, InvariantError, NotFoundError, UsageError } from '../errors.js';
import { insertRun } from '../executor/index.js';
import type { AssetGraph } from '../graph/index.js';
import { createPlan, type Plan } from '../planner/index.js';
import { addDynamicPartitions } from '../provenance/index.js';
import type { Database } from '../store/index.js';
import { withArticle } from './plan-words.js';
import { planDesignPoints } from './design-points.js';
import type { PlanPayload } from './plan-payload.js';
import { checkApproval } from './plan-approval.js';
import { pipelineCodeVersions, planSegments } from './plan-segments.js';
import { PLAN_RUN_TRANSITIONS, type PlanRunAction, type PlanState } from './plan-states.js';
import { recordTransition, type PlanActor } from './plan-store.js';
import { experimentPlanId, parseExperimentPlan, validateExperimentPlan } from './validate-plan.js';

/** What starting a plan's run did. */
export interface PlanRunStart {
  /** The run to work on; null when the segment had nothing to compute. */
  readonly runId: number | null;
  /** The run's plan (what it computes and why); null with no run. */
  readonly plan: Plan | null;
  /** The state the plan is in now. */
  readonly state: PlanState;
  /** The checkpoint (index into the plan's checkpoints) the run stops at; null for the last. */
  readonly checkpoint: number | null;
}

/** How the run is made. */
export interface PlanRunOptions {
  readonly comment?: string;
  /** The run's concurrency, capped by the plan's limits.concurrency. */
  readonly concurrency: number;
  readonly gitCommit?: string | null;
}

/**
 * Executes approved plan `planId` (`execute`), or continues it past the checkpoint it waits at
 * (`continue`), as `actor`: creates the run of its next segment. Refuses, naming why, when the
 * actor may not, the plan is in another state, or the code changed since its approval.
 */
export async function startPlanRun(
  db: Kysely<Database>,
  graph: AssetGraph,
  planId: string,
  action: PlanRunAction,
  actor: PlanActor,
  options: PlanRunOptions,
): Promise<PlanRunStart> {
  const rule = PLAN_RUN_TRANSITIONS[action];
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('strata_internal.plans')
      .select(['state', 'document', 'title', 'checkpoints_passed'])
      .where('id', '=', planId)
      .forUpdate()
      .executeTakeFirst();
    if (row === undefined)
      throw new NotFoundError(`no plan ${planId}`, { hint: 'strata plans list shows the plans' });
    if (!roleAllows(actor.role, rule.capability))
      throw new ForbiddenError(`${actor.name} (role ${actor.role}) may not ${action} plans`, {
        hint: `that needs the role ${rolesAllowing(rule.capability).join(', ')}`,
      });
    const state = row.state as PlanState;
    if (!rule.from.includes(state))
      throw new UsageError(
        `plan ${planId} is ${state}: it cannot ${action} (only ${withArticle(rule.from.join(' or '))} plan can)`,
        {
          hint:
            state === 'proposed'
              ? `it needs an approval first: strata plans approve ${planId}`
              : `strata plans show ${planId} shows its history`,
        },
      );
    const document = parseExperimentPlan(row.document);
    if (experimentPlanId(document) !== planId)
      throw new InvariantError(`the stored document of plan ${planId} does not hash to its id`);
    validateExperimentPlan(document, graph);
    await checkApproval(trx, graph, planId, pipelineCodeVersions(document, graph));

    const study = graph.definitions.studies.get(document.study)!;
    if (study.designs === undefined)
      throw new UsageError(
        `study ${study.key} declares no DOE asset, so its plans cannot be executed`,
        { hint: 'declare it: study({ ..., designs })' },
      );
    const designs = graph.node(study.designs as AssetKey).definition.partitions;
    if (designs?.kind !== 'dynamic')
      throw new InvariantError(`study ${study.key}: designs has no dynamic partitions`);
    const payload: PlanPayload = {
      id: planId,
      title: row.title,
      document,
      points: planDesignPoints(document, study),
    };
    await addDynamicPartitions(trx, designs.name, [planId], () => payload);

    const segments = planSegments(document, graph);
    const index = action === 'execute' ? 0 : row.checkpoints_passed + 1;
    const segment = segments[index];
    if (segment === undefined) throw new InvariantError(`plan ${planId} has no segment ${index}`);
    const plan = await createPlan(trx, graph, segment.selection, { partitions: [planId] });
    const concurrency = Math.min(options.concurrency, document.limits.concurrency ?? Infinity);
    const runId =
      plan.steps.length === 0
        ? null
        : await insertRun(trx, {
            plan,
            options: { concurrency, force: false, partitions: [planId] },
            trigger: 'plan',
            triggerReason: `${action} plan ${planId}`,
            launchedBy: actor.name,
            gitCommit: options.gitCommit ?? null,
            planId,
            planCheckpoint: segment.checkpoint,
          });
    await recordTransition(trx, {
      planId,
      from: state,
      to: 'running',
      actor,
      comment: options.comment,
      // Continuing past a checkpoint is an approval too: of what was built, for this code.
      codeVersions: action === 'continue' ? pipelineCodeVersions(document, graph) : null,
      runId,
    });
    // With nothing to compute, the segment is over at once: the plan waits or is done.
    const next: PlanState =
      runId !== null ? 'running' : segment.checkpoint === null ? 'done' : 'waiting';
    if (next !== 'running')
      await recordTransition(trx, {
        planId,
        from: 'running',
        to: next,
        actor: { name: 'strata', role: 'admin', origin: 'plan' },
        comment:
          next === 'done'
            ? 'nothing left to compute'
            : `reached checkpoint ${segment.checkpoint! + 1}: nothing to compute before it`,
      });
    await trx
      .updateTable('strata_internal.plans')
      .set({ state: next, checkpoints_passed: index })
      .where('id', '=', planId)
      .execute();
    return {
      runId,
      plan: runId === null ? null : plan,
      state: next,
      checkpoint: segment.checkpoint,
    };
  });
}
