// Executing an experiment plan from its page: the dry run in words (what executing it builds and
// what is built already), and the box with a comment and the buttons the caller may use: Execute
// on an approved plan for a role that may run, Continue and Stop on a plan waiting at a checkpoint
// for a role that may approve. Each posts to the plan's route; a refusal shows the server's
// message and hint (a 403 names the roles that may, or the code changed since the approval),
// success hands back to the page. The server checks again: hiding a button is a courtesy.
import type { PlanDetail, PlanDryRun, Session } from '../api/types.js';
import { h } from '../dom.js';
import { wirePlanActions } from './plan-action-buttons.js';

type Action = 'execute' | 'continue' | 'stop';

const LABELS: Record<Action, string> = { execute: 'Execute', continue: 'Continue', stop: 'Stop' };

/** "3 design points, 0 already built; designs 1 to build, section 3 to build, …" */
export function dryRunText(dryRun: PlanDryRun): string {
  const assets = dryRun.assets.map(({ asset, partitions, built }) =>
    built === partitions
      ? `${asset} built`
      : `${asset} ${partitions - built} to build${built === 0 ? '' : ` (${built} built)`}`,
  );
  const points = `${dryRun.designPoints} design point${dryRun.designPoints === 1 ? '' : 's'}`;
  return `${points}, ${dryRun.sharedDesignPoints} already built; ${assets.join(', ')}`;
}

/** The dry run section's content. */
export function planDryRun(plan: PlanDetail): HTMLElement {
  if (plan.dryRun === null)
    return h(
      'p',
      { class: 'muted' },
      "No dry run: the definitions no longer declare the plan's study or pipeline.",
    );
  return h(
    'div',
    {},
    h('p', { class: 'dry-run-summary' }, dryRunText(plan.dryRun)),
    h(
      'p',
      { class: 'muted' },
      'Design points are keyed by their content: a point another plan built is reused when its inputs are unchanged (the run decides just in time).',
    ),
  );
}

/** The actions `session` may take on `plan` now. */
export function planRunActions(plan: PlanDetail, session: Session): Action[] {
  if (plan.state === 'approved' && session.capabilities.includes('run')) return ['execute'];
  if (plan.state === 'waiting' && session.capabilities.includes('approve'))
    return ['continue', 'stop'];
  return [];
}

/** What the box says before its buttons. */
function intro(plan: PlanDetail): string {
  if (plan.state === 'approved')
    return `Executing creates the run of its first segment (${
      plan.document.checkpoints.length === 0 ? 'the whole pipeline' : 'up to its first checkpoint'
    }) and the server works on it.`;
  const last = plan.runs.at(-1);
  const checkpoint = last?.checkpoint ?? null;
  const note = checkpoint === null ? undefined : plan.document.checkpoints[checkpoint];
  return `The plan waits at checkpoint ${checkpoint === null ? '?' : checkpoint + 1}${
    note === undefined
      ? ''
      : ` (after ${note.after}${note.note === undefined ? '' : `: ${note.note}`})`
  }. Continuing approves what was built and runs the next segment; stopping ends the plan.`;
}

/** The box, or null when the caller may do nothing to the plan's execution now. */
export function planExecution(
  plan: PlanDetail,
  session: Session,
  done: () => void,
): HTMLElement | null {
  const actions = planRunActions(plan, session);
  if (actions.length === 0) return null;
  const comment = h('textarea', {
    class: 'execution-comment',
    rows: 3,
    maxlength: 2000,
    placeholder: 'A comment for the record (what you checked, what to watch)…',
    'aria-label': 'execution comment',
  });
  const problem = h('div', { class: 'execution-problem' });
  const buttons = actions.map((action) =>
    h(
      'button',
      { type: 'button', class: action === 'stop' ? 'danger' : 'primary', 'data-action': action },
      LABELS[action],
    ),
  );
  wirePlanActions({
    planId: plan.id,
    actions,
    buttons,
    comment,
    problem,
    done,
    confirm: (action) =>
      action !== 'stop' || window.confirm(`Stop ${plan.id}? It cannot be continued after.`),
  });
  return h(
    'section',
    { class: 'card plan-execution', 'aria-label': 'execution' },
    h('h2', {}, plan.state === 'approved' ? 'Execute' : 'Checkpoint'),
    h('p', { class: 'execution-intro' }, intro(plan)),
    h(
      'p',
      { class: 'muted' },
      `As ${session.name} (${session.role}). Recorded with your name, where from and the comment.`,
    ),
    comment,
    h('div', { class: 'actions' }, ...buttons),
    problem,
  );
}
