// What the plan page's action buttons share (decisions and runs alike): a click posts the action
// to the plan's route with the comment, disables every button while it is in flight, shows the
// server's refusal (status, message and hint) in the problem box, and hands the plan back to the
// page on success. The server checks every action again: a button is a courtesy.
import { ApiRequestError, postJson } from '../api/client.js';
import { replaceChildren } from '../dom.js';
import { errorBox } from './feedback.js';

/** Wires `buttons[i]` to post `actions[i]` on plan `planId`; `confirm` may cancel an action. */
export function wirePlanActions<Action extends string>(options: {
  readonly planId: string;
  readonly actions: readonly Action[];
  readonly buttons: readonly HTMLButtonElement[];
  readonly comment: HTMLTextAreaElement;
  readonly problem: HTMLElement;
  readonly done: () => void;
  readonly confirm?: (action: Action) => boolean;
}): void {
  const { planId, actions, buttons, comment, problem, done } = options;
  const act = async (action: Action): Promise<void> => {
    if (options.confirm !== undefined && !options.confirm(action)) return;
    for (const button of buttons) button.disabled = true;
    replaceChildren(problem);
    try {
      const text = comment.value.trim();
      await postJson<unknown>(
        `/api/plans/${planId}/${action}`,
        text === '' ? {} : { comment: text },
      );
      done();
    } catch (error) {
      const box = errorBox(error);
      const status = error instanceof ApiRequestError ? ` (${error.status})` : '';
      box.firstElementChild!.textContent = `Could not ${action} the plan${status}`;
      replaceChildren(problem, box);
      for (const button of buttons) button.disabled = false;
    }
  };
  buttons.forEach((button, index) =>
    button.addEventListener('click', () => void act(actions[index]!)),
  );
}
