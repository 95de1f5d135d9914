// The decision box of a proposed plan: a comment and the buttons the caller may use (Approve and
// Reject for a role that may approve, Withdraw for the one who proposed it). Each posts to the
// plan's route; a refusal shows the server's message and hint (a 403 names the roles that may),
// success hands the plan back to the page. The server checks again: hiding a button is a
// courtesy, never the protection.
import type { PlanDetail, Session } from '../api/types.js';
import { h } from '../dom.js';
import { wirePlanActions } from './plan-action-buttons.js';

type Action = 'approve' | 'reject' | 'withdraw';

/** The actions `session` may take on `plan` now. */
export function planActions(plan: PlanDetail, session: Session): Action[] {
  if (plan.state !== 'proposed') return [];
  const actions: Action[] = [];
  if (session.capabilities.includes('approve')) actions.push('approve', 'reject');
  if (session.capabilities.includes('propose') && session.name === plan.proposedBy)
    actions.push('withdraw');
  return actions;
}

const LABELS: Record<Action, string> = {
  approve: 'Approve',
  reject: 'Reject',
  withdraw: 'Withdraw',
};

/** The box, or null when the caller may do nothing to the plan. */
export function planDecision(
  plan: PlanDetail,
  session: Session,
  done: () => void,
): HTMLElement | null {
  const actions = planActions(plan, session);
  if (actions.length === 0) return null;
  const comment = h('textarea', {
    class: 'decision-comment',
    rows: 3,
    maxlength: 2000,
    placeholder: 'A comment for the record (why, what to watch)…',
    'aria-label': 'comment',
  });
  const problem = h('div', { class: 'decision-problem' });
  const buttons = actions.map((action) =>
    h(
      'button',
      {
        type: 'button',
        class: action === 'approve' ? 'primary' : action === 'reject' ? 'danger' : undefined,
        'data-action': action,
      },
      LABELS[action],
    ),
  );
  wirePlanActions({ planId: plan.id, actions, buttons, comment, problem, done });
  return h(
    'section',
    { class: 'card plan-decision', 'aria-label': 'decision' },
    h('h2', {}, 'Decision'),
    h(
      'p',
      { class: 'muted' },
      `As ${session.name} (${session.role}). The decision is recorded with your name, where from and the comment.`,
    ),
    comment,
    h('div', { class: 'actions' }, ...buttons),
    problem,
  );
}
