// The approval gate of experiment plans, declared once as data (as the step lifecycle is): the
// states, the legal transitions, and the capability each needs (src/access/roles.ts). Every
// change of a plan's state goes through changePlanState (plan-store.ts), which checks it here.
// Execution and checkpoints (approved -> running -> waiting ...) join when they are built.
import type { Capability } from '../access/index.js';

/** The states of a plan. */
export const PLAN_STATES = ['proposed', 'approved', 'rejected', 'withdrawn'] as const;
export type PlanState = (typeof PLAN_STATES)[number];

/** What a person or program does to a plan. */
export type PlanAction = 'approve' | 'reject' | 'withdraw';

/** One legal transition: from where, to where, and what the actor must be allowed. */
export interface PlanTransitionRule {
  readonly from: readonly PlanState[];
  readonly to: PlanState;
  readonly capability: Capability;
  /** Only the one who proposed the plan may do it. */
  readonly proposerOnly: boolean;
}

/** Every transition a plan may take, by action. */
export const PLAN_TRANSITIONS: Readonly<Record<PlanAction, PlanTransitionRule>> = {
  approve: { from: ['proposed'], to: 'approved', capability: 'approve', proposerOnly: false },
  reject: { from: ['proposed'], to: 'rejected', capability: 'approve', proposerOnly: false },
  withdraw: { from: ['proposed'], to: 'withdrawn', capability: 'propose', proposerOnly: true },
};
