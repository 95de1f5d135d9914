// Schemas of the plan routes (docs/plans.md): a stored plan with every change of its state, the
// list, and the body of a proposal or a decision.
import { z } from 'zod';
import { PLAN_STATES } from '../../plans/index.js';
import { Timestamp } from './common-schemas.js';
import { named } from './registry.js';

const PlanState = named('PlanState', z.enum(PLAN_STATES));

/** One stored plan. */
export const StoredPlanResponse = named(
  'StoredPlan',
  z.object({
    id: z.string().meta({ description: 'plan- and 16 hex digits of the sha256 of its content' }),
    study: z.string(),
    title: z.string(),
    state: PlanState,
    predecessor: z.string().nullable(),
    proposedBy: z.string(),
    proposedAt: Timestamp,
    document: z.record(z.string(), z.unknown()).meta({ description: 'the plan as proposed' }),
    transitions: z.array(
      z.object({
        from: PlanState.nullable(),
        to: PlanState,
        actor: z.string().meta({ description: "a token's name, or the CLI's user@host" }),
        origin: z.string(),
        comment: z.string().nullable(),
        at: Timestamp,
      }),
    ),
  }),
);

/** GET /api/plans. */
export const PlanListResponse = named('PlanList', z.object({ plans: z.array(StoredPlanResponse) }));

/** POST /api/plans. */
export const ProposeRequest = z.strictObject({
  plan: z.unknown().meta({ description: 'the plan document (strata plans schema)' }),
  comment: z.string().max(2_000).optional(),
});

/** POST /api/plans/{id}/approve, /reject, /withdraw. */
export const DecisionRequest = z.strictObject({
  comment: z.string().max(2_000).optional(),
});
