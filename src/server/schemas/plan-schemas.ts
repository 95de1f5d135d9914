// Schemas of the plan routes (docs/plans.md): a stored plan with every change of its state, the
// list (each with its number of design points), one plan with what its page needs (its design
// points, its pipeline's assets, its study's bounds, its runs, dry run and results), the body of
// a proposal or a decision, and what starting a plan's run answers.
import { z } from 'zod';
import { ExperimentPlanSchema, PLAN_STATES } from '../../plans/index.js';
import { Timestamp } from './common-schemas.js';
import {
  PlanCheckpoint,
  PlanDryRunResponse,
  PlanResultsResponse,
  PlanRun,
} from './plan-run-schemas.js';
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
        codeVersions: z.record(z.string(), z.string()).nullable().meta({
          description:
            'for approvals (of the plan, or past a checkpoint): the code versions of the pipeline the approver saw',
        }),
        runId: z.number().int().nullable().meta({ description: 'the run it started or ended' }),
        approvals: z.number().int().nullable().meta({
          description: 'for approvals: the distinct approvals the plan then had for that code',
        }),
      }),
    ),
  }),
);

const pointCount = z.number().int().nullable().meta({
  description:
    "the number of design points; null when the definitions no longer declare the plan's study",
});

/** A plan of the list. */
export const PlanSummaryResponse = named('PlanSummary', StoredPlanResponse.extend({ pointCount }));

/** GET /api/plans. */
export const PlanListResponse = named(
  'PlanList',
  z.object({ plans: z.array(PlanSummaryResponse) }),
);

/** One design point: its content key and a value per variable of the study. */
export const DesignPointResponse = named(
  'DesignPoint',
  z.object({
    key: z.string().meta({ description: 'd- and 12 hex digits of the sha256 of its values' }),
    values: z.record(z.string(), z.union([z.number(), z.string()])),
  }),
);

/** What a study lets a plan vary, as the definitions declare it now. */
export const StudyBoundsResponse = named(
  'StudyBounds',
  z.object({
    variables: z.record(z.string(), z.object({ min: z.number(), max: z.number() })),
    levels: z.record(z.string(), z.array(z.string())),
  }),
);

/** GET /api/plans/{id}: the stored plan, its points, its pipeline's assets, its study's bounds. */
export const PlanDetailResponse = named(
  'PlanDetail',
  StoredPlanResponse.extend({
    document: ExperimentPlanSchema.meta({ description: 'the plan as proposed (defaults filled)' }),
    studyBounds: StudyBoundsResponse.nullable().meta({
      description: "the study's bounds and levels now; null when it is no longer declared",
    }),
    pointCount,
    points: z.array(DesignPointResponse).meta({
      description:
        'the design points in the order the DOE gives them, the first pointLimit of pointCount ' +
        '(none when the study is no longer declared or the DOE asks for over 100,000)',
    }),
    pipelineAssets: z.array(z.string()).nullable().meta({
      description:
        'the pipeline resolved to asset keys in topological order; null when it no longer resolves',
    }),
    runs: z.array(PlanRun).meta({ description: "the plan's runs, oldest first" }),
    dryRun: PlanDryRunResponse.nullable().meta({
      description:
        'what executing the plan builds and what is built already, now; null when the study or the pipeline no longer resolves (or the DOE is not enumerated)',
    }),
    results: PlanResultsResponse.nullable().meta({
      description: "the plan's results as materialized now; null as dryRun",
    }),
  }),
);

/** POST /api/plans. */
export const ProposeRequest = z.strictObject({
  plan: z.unknown().meta({ description: 'the plan document (strata plans schema)' }),
  comment: z.string().max(2_000).optional(),
});

/** POST /api/plans/{id}/approve, /reject, /withdraw, /stop, /execute, /continue. */
export const DecisionRequest = z.strictObject({
  comment: z.string().max(2_000).optional(),
});

/** POST /api/plans/{id}/execute and /continue: the run of the plan's next segment. */
export const PlanRunStartResponse = named(
  'PlanRunStart',
  z.object({
    runId: z.number().int().nullable().meta({
      description: 'the run the server works on; null when the segment had nothing to compute',
    }),
    state: PlanState,
    checkpoint: PlanCheckpoint,
  }),
);
