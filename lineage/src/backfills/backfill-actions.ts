// The action buttons of a backfill's page: Pause while it runs, Resume while paused, Cancel
// until it ends, Retry failed while it has failed or held targets (and was not cancelled): each
// shown only when the server would accept it from the backfill's status. A click posts the
// action, disables the buttons while in flight, and hands the backfill as it is now to the page;
// a refusal shows the server's message in the problem box beside the buttons.
import { ApiRequestError, postJson } from '../api/client.js';
import type { BackfillDetail } from '../api/types.js';
import { errorBox } from '../components/feedback.js';
import { h, replaceChildren } from '../dom.js';
import { applicableActions, type BackfillAction } from './backfill-applicable-actions.js';
import type { BackfillPermission } from './backfill-permission.js';

const LABELS: Record<BackfillAction, string> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry failed',
};

/** The buttons for `backfill`, or null when none applies (or the caller may not act). */
export function backfillActions(
  backfill: BackfillDetail,
  permission: BackfillPermission,
  problem: HTMLElement,
  done: (now: BackfillDetail) => void,
): HTMLElement | null {
  const actions = applicableActions(backfill);
  if (actions.length === 0 || permission.kind === 'forbidden') return null;
  const buttons = actions.map((action) =>
    h(
      'button',
      {
        type: 'button',
        class: action === 'cancel' ? 'danger' : action === 'pause' ? undefined : 'primary',
        'data-action': action,
        disabled: permission.kind === 'read-only',
        title: permission.kind === 'read-only' ? permission.reason : undefined,
      },
      LABELS[action],
    ),
  );
  const act = async (action: BackfillAction): Promise<void> => {
    if (
      action === 'cancel' &&
      !window.confirm(
        `Cancel backfill ${backfill.id}? Its runs in flight are cancelled and it cannot be resumed.`,
      )
    )
      return;
    for (const button of buttons) button.disabled = true;
    replaceChildren(problem);
    try {
      done(await postJson<BackfillDetail>(`/api/backfills/${backfill.id}/${action}`, {}));
    } catch (error) {
      const box = errorBox(error);
      const status = error instanceof ApiRequestError ? ` (${error.status})` : '';
      box.firstElementChild!.textContent = `Could not ${LABELS[action].toLowerCase()} the backfill${status}`;
      replaceChildren(problem, box);
      for (const button of buttons) button.disabled = false;
    }
  };
  buttons.forEach((button, index) =>
    button.addEventListener('click', () => void act(actions[index]!)),
  );
  return h(
    'div',
    { class: 'actions backfill-actions' },
    permission.kind === 'read-only'
      ? h(
          'span',
          { class: 'muted backfill-read-only', title: permission.reason },
          'read-only server',
        )
      : null,
    ...buttons,
  );
}
