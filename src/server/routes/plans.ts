// The experiment plan routes (docs/plans.md): list and read plans (one plan with its design
// points, its pipeline's assets, its study's bounds, its runs, dry run and results), propose one,
// and approve, reject or withdraw it, or stop it at a checkpoint (executing it: plan-runs.ts). Who
// acts is the caller's token (its name and role); where from is the peer address. The role check
// is the route's capability (propose, approve) and again the gate's own
// (src/plans/plan-states.ts), so a planner token can never approve, whatever the route.
import type { Context } from 'hono';
import { z } from 'zod';
import {
  changePlanState,
  listPlans,
  loadPlan,
  PLAN_STATES,
  proposePlan,
  storedPlanJson,
  type PlanAction,
  type PlanActor,
} from '../../plans/index.js';
import { principalOf } from '../auth.js';
import { peerAddress } from '../peer-address.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import {
  DecisionRequest,
  PlanDetailResponse,
  PlanListResponse,
  ProposeRequest,
  StoredPlanResponse,
} from '../schemas/plan-schemas.js';
import { integerParam } from '../validation.js';
import { planProgressJson } from '../views/plan-progress-view.js';
import {
  DEFAULT_POINT_LIMIT,
  MAX_POINT_LIMIT,
  planDetailJson,
  planSummaryJson,
} from '../views/plan-view.js';

const error = (status: number, description: string) =>
  ({ status, description, schema: ErrorResponse }) as const;
/** The path parameter of a plan's routes. */
export const planParams = z.object({ id: z.string().regex(/^plan-[0-9a-f]{16}$/, 'a plan id') });

/** The caller as an actor of the gate. */
export function actorOf(c: Context): PlanActor {
  const principal = principalOf(c);
  return { name: principal.name, role: principal.role, origin: `api from ${peerAddress(c)}` };
}

const listRoute = defineRoute({
  method: 'get',
  path: '/api/plans',
  operationId: 'listPlans',
  tag: 'plans',
  summary: 'Every plan, newest first, with the changes of its state',
  query: z.strictObject({
    state: z.enum(PLAN_STATES).optional().meta({ description: 'only the plans in this state' }),
  }),
  responses: [
    { status: 200, description: 'the plans', schema: PlanListResponse },
    error(400, 'an unknown state'),
  ],
  async handle({ query, c, server }) {
    const plans = (await listPlans(server.db)).filter(
      (plan) => query.state === undefined || plan.state === query.state,
    );
    return c.json({ plans: plans.map((plan) => planSummaryJson(plan, server.graph)) });
  },
});

const showRoute = defineRoute({
  method: 'get',
  path: '/api/plans/{id}',
  operationId: 'getPlan',
  tag: 'plans',
  summary:
    'One plan with every change of its state, its design points, its pipeline, its runs and results',
  description:
    "Beside the stored plan: the study's bounds, the design points (a pure function of the plan " +
    "and the study's space, the first pointLimit of pointCount) and the pipeline's assets in " +
    'topological order, read against the definitions of the moment; the runs of the plan with ' +
    'their step counts; the dry run (per asset of the pipeline, how many of its partitions for ' +
    'the plan are built) and the results (the latest materialization of the plan’s partition of ' +
    'each per-plan asset, and the design points each per-design asset has built).',
  params: planParams,
  query: z.strictObject({
    pointLimit: integerParam(0, MAX_POINT_LIMIT)
      .optional()
      .meta({ description: `design points answered at most (default ${DEFAULT_POINT_LIMIT})` }),
  }),
  responses: [
    { status: 200, description: 'the plan', schema: PlanDetailResponse },
    error(400, 'a bad pointLimit'),
    error(404, 'unknown plan'),
  ],
  async handle({ params, query, c, server }) {
    const plan = await loadPlan(server.db, params.id);
    const detail = planDetailJson(plan, server.graph, query.pointLimit ?? DEFAULT_POINT_LIMIT);
    return c.json({ ...detail, ...(await planProgressJson(server, plan, detail.pointCount)) });
  },
});

const proposeRoute = defineRoute({
  method: 'post',
  path: '/api/plans',
  operationId: 'proposePlan',
  tag: 'plans',
  summary: 'Propose a plan: checked against the definitions and its study, stored as proposed',
  description:
    'Proposing the same document again answers the stored plan. 400 lists every problem of ' +
    'the plan, each with its field.',
  capability: 'propose',
  body: ProposeRequest,
  responses: [
    { status: 201, description: 'proposed (or proposed before)', schema: StoredPlanResponse },
    error(400, 'the plan is not valid: every problem, with its field'),
    error(403, 'the role of the token may not propose plans'),
  ],
  async handle({ body, c, server }) {
    const plan = await proposePlan(server.db, server.graph, body.plan, actorOf(c), body.comment);
    return c.json(storedPlanJson(plan), 201);
  },
});

function decisionRoute(action: PlanAction, summary: string): ApiRoute {
  return defineRoute({
    method: 'post',
    path: `/api/plans/{id}/${action}`,
    operationId: `${action}Plan`,
    tag: 'plans',
    summary,
    capability: action === 'withdraw' ? 'propose' : 'approve',
    params: planParams,
    body: DecisionRequest,
    responses: [
      { status: 200, description: 'the plan after it', schema: StoredPlanResponse },
      error(400, 'the plan is not in a state this applies to'),
      error(403, 'the role of the token may not do it (a planner never approves)'),
      error(404, 'unknown plan'),
    ],
    async handle({ params, body, c, server }) {
      const plan = await changePlanState(
        server.db,
        server.graph,
        params.id,
        action,
        actorOf(c),
        body.comment,
      );
      return c.json(storedPlanJson(plan));
    },
  });
}

/** The plan routes. */
export const planRoutes: readonly ApiRoute[] = [
  listRoute,
  showRoute,
  proposeRoute,
  decisionRoute('approve', 'Approve a proposed plan (approver or admin)'),
  decisionRoute('reject', 'Reject a proposed plan (approver or admin)'),
  decisionRoute('withdraw', 'Withdraw a plan one proposed'),
  decisionRoute('stop', 'Stop a plan waiting at a checkpoint (approver or admin)'),
];
