// Executing an experiment plan over HTTP (docs/plans.md): `execute` starts the run of an approved
// plan's first segment, `continue` the next one past the checkpoint the plan waits at. The run is
// created only by the gate (startPlanRun, as the caller's token) and only through the server's
// launcher, which refuses first on a read-only or stopping server and starts its worker pool
// before the run exists, so no run is ever left without a worker. The gate checks the role again
// (a planner token can neither execute nor continue), the state, and the code against the latest
// approval (403 naming each change).
import {
  PLAN_RUN_TRANSITIONS,
  loadPlan,
  startPlanRun,
  type PlanRunAction,
} from '../../plans/index.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { DecisionRequest, PlanRunStartResponse } from '../schemas/plan-schemas.js';
import { actorOf, planParams } from './plans.js';

const error = (status: number, description: string) =>
  ({ status, description, schema: ErrorResponse }) as const;

function planRunRoute(action: PlanRunAction, summary: string, description: string): ApiRoute {
  const rule = PLAN_RUN_TRANSITIONS[action];
  return defineRoute({
    method: 'post',
    path: `/api/plans/{id}/${action}`,
    operationId: `${action}Plan`,
    tag: 'plans',
    summary,
    description,
    capability: rule.capability,
    params: planParams,
    body: DecisionRequest,
    responses: [
      {
        status: 202,
        description:
          'the run of the next segment was created and the server works on it (runId null: nothing to compute, the plan moved on)',
        schema: PlanRunStartResponse,
      },
      error(400, `the plan is not ${rule.from.join(' or ')}`),
      error(
        403,
        'the role may not (a planner never may), the code changed since the approval (naming each change), the approvals fall short of the policy, or the server is read-only',
      ),
      error(404, 'unknown plan'),
      error(503, 'the server is shutting down'),
    ],
    async handle({ params, body, c, server }) {
      const actor = actorOf(c);
      const stored = await loadPlan(server.db, params.id);
      // Sources are observed only for a plan that may start now; the gate decides in its transaction.
      const mayStart = rule.from.includes(stored.state);
      const started = await server.launcher.launchWith(
        (settings) =>
          startPlanRun(server.db, server.graph, params.id, action, actor, {
            ...settings,
            ...(body.comment === undefined ? {} : { comment: body.comment }),
          }),
        mayStart ? { observe: stored.document.pipeline } : {},
      );
      if (started.runId !== null) {
        server.hub.track(started.runId);
        c.header('Location', `/api/runs/${started.runId}`);
      }
      return c.json(
        { runId: started.runId, state: started.state, checkpoint: started.checkpoint },
        202,
      );
    },
  });
}

/** The routes that start a plan's runs. */
export const planRunRoutes: readonly ApiRoute[] = [
  planRunRoute(
    'execute',
    'Execute an approved plan: the run of its first segment (operator, approver or admin)',
    'Creates the run up to the first checkpoint (or of the whole pipeline) after checking the ' +
      'caller, the state, the stored plan against its id and the definitions, and the code ' +
      'against its latest approval; the server works on it. Follow it with GET /api/events.',
  ),
  planRunRoute(
    'continue',
    'Continue a plan waiting at a checkpoint: the run of its next segment (approver or admin)',
    'Continuing is an approval of what was built, for the code running now; the comment is ' +
      'recorded with it.',
  ),
];
