// "Materialize": launches a run of a selection through POST /api/runs and goes to its page,
// where it is followed live. Nothing to do is said, not hidden (and a page that knows its
// selection holds only source assets, which are observed and never computed, says so instead of
// launching).
import { postJson } from '../api/client.js';
import type { LaunchResult } from '../api/types.js';
import { h } from '../dom.js';
import { navigate, routes } from '../router.js';
import { notify } from './feedback.js';

/** What to materialize. */
export interface LaunchRequest {
  readonly selection?: string;
  readonly partitions?: readonly string[];
  readonly force?: boolean;
}

/** Launches a run; resolves with the answer (also when there is nothing to do). */
export async function launch(request: LaunchRequest): Promise<LaunchResult> {
  const result = await postJson<LaunchResult>('/api/runs', request);
  if (result.runId === null) {
    notify(`Nothing to do: ${result.freshCount} partition(s) already fresh.`);
  } else {
    notify(
      `Run ${result.runId} started: ${result.steps} step(s) (${result.missing} missing, ${result.stale} stale).`,
    );
    navigate(routes.run(result.runId));
  }
  return result;
}

/**
 * A button that launches `request()` and reports errors; `request` may answer undefined (after
 * saying why) to launch nothing, and may first ask the server.
 */
export function materializeButton(
  label: string,
  request: () => LaunchRequest | undefined | Promise<LaunchRequest | undefined>,
): HTMLButtonElement {
  const button = h('button', { class: 'primary', type: 'button' }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    Promise.resolve()
      .then(request)
      .then((what) => (what === undefined ? undefined : launch(what)))
      .catch((error: unknown) =>
        notify(
          `Could not launch: ${error instanceof Error ? error.message : String(error)}`,
          'error',
        ),
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  return button;
}
