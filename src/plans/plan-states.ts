// The approval gate of experiment plans, declared once as data (as the step lifecycle is): the
// states, the legal transitions, and the capability each needs (src/access/roles.ts). A person's
// decision goes through changePlanState (plan-store.ts); starting a run of the plan, at its start
// or past a checkpoint, through startPlanRun (execute-plan.ts); the engine's own moves, when a
// plan's run ends or resumes, are made by the trigger of migrations/0014 and listed here too.
import type { Capability } from '../access/index.js';

/** The states of a plan. */
export const PLAN_STATES = [
  'proposed',
  'approved',
  'rejected',
  'withdrawn',
  'running',
  'waiting',
  'done',
  'failed',
  'stopped',
] as const;
export type PlanState = (typeof PLAN_STATES)[number];

/** A person's decision on a plan. */
export type PlanAction = 'approve' | 'reject' | 'withdraw' | 'stop';

/** What starts a run of a plan: its first segment, or the next one past a checkpoint. */
export type PlanRunAction = 'execute' | 'continue';

/** One legal transition: from where, to where, and what the actor must be allowed. */
export interface PlanTransitionRule {
  readonly from: readonly PlanState[];
  readonly to: PlanState;
  readonly capability: Capability;
  /** Only the one who proposed the plan may do it. */
  readonly proposerOnly: boolean;
}

/**
 * Every decision a person makes, by action. Approving again (an approved or failed plan)
 * records a new approval for the code running now, when the code changed since the last one.
 */
export const PLAN_TRANSITIONS: Readonly<Record<PlanAction, PlanTransitionRule>> = {
  approve: {
    from: ['proposed', 'approved', 'failed'],
    to: 'approved',
    capability: 'approve',
    proposerOnly: false,
  },
  reject: {
    from: ['proposed', 'approved'],
    to: 'rejected',
    capability: 'approve',
    proposerOnly: false,
  },
  withdraw: { from: ['proposed'], to: 'withdrawn', capability: 'propose', proposerOnly: true },
  stop: {
    from: ['waiting', 'approved', 'failed'],
    to: 'stopped',
    capability: 'approve',
    proposerOnly: false,
  },
};

/** Starting a run of the plan: executing it, or continuing it past a checkpoint. */
export const PLAN_RUN_TRANSITIONS: Readonly<Record<PlanRunAction, PlanTransitionRule>> = {
  execute: { from: ['approved'], to: 'running', capability: 'run', proposerOnly: false },
  continue: { from: ['waiting'], to: 'running', capability: 'approve', proposerOnly: false },
};

/** The engine's moves (actor `strata`), made when a plan's run ends or is resumed. */
export const ENGINE_PLAN_TRANSITIONS: readonly {
  readonly from: PlanState;
  readonly to: PlanState;
  readonly when: string;
}[] = [
  { from: 'running', to: 'waiting', when: 'its run reaches a checkpoint' },
  { from: 'running', to: 'done', when: 'its last run succeeds' },
  { from: 'running', to: 'failed', when: 'its run fails' },
  { from: 'running', to: 'stopped', when: 'its run is canceled' },
  { from: 'failed', to: 'running', when: 'its run is resumed' },
  { from: 'stopped', to: 'running', when: 'its run is resumed' },
];
