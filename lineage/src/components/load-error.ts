// What every page shows when something cannot be loaded, in the UI's words rather than the
// API's: "Run 999999 does not exist" with a link back to the list it belongs to; a server that
// failed or did not answer, with a Retry button; a refused request with the server's message.
// The API's hints name HTTP endpoints, so a missing subject's page leaves them out.
import { ApiRequestError } from '../api/client.js';
import { h } from '../dom.js';
import { parseRoute, routes } from '../router.js';

/** The list a page belongs to: where "back" leads when its subject is missing. */
function backLink(): HTMLAnchorElement {
  const route = parseRoute(window.location.hash);
  const [href, label] =
    route.page === 'run' || route.page === 'runs'
      ? [routes.runs(), 'Back to the runs']
      : route.page === 'plan' || route.page === 'plans'
        ? [routes.plans(), 'Back to the plans']
        : route.page === 'automation'
          ? [routes.automation(), 'Back to automation']
          : route.page === 'backfill' || route.page === 'backfills'
            ? [routes.backfills(), 'Back to the backfills']
            : [routes.graph(), 'Back to the asset graph'];
  return h('a', { href: `#${href}`, class: 'back' }, label);
}

/** The message of a page that does not exist: `title` with the way back. */
function notFound(title: string, detail: string | undefined): HTMLElement {
  return h(
    'div',
    { class: 'error-box error-not-found', role: 'alert' },
    h('strong', {}, title),
    detail === undefined ? null : h('span', {}, detail),
    h('span', {}, backLink()),
  );
}

/** The page of a route the UI does not have. */
export function noSuchPage(path: string): HTMLElement {
  return notFound(`There is no page at ${path}`, undefined);
}

/** Shows the current page again (the router listens for hash changes). */
function showPageAgain(): void {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The box for `error` while loading `what` ("run 12", "the log"). `retry` runs when the user
 * asks to try again after a failure of the server; by default the page is shown again.
 */
export function loadError(
  error: unknown,
  what: string | undefined,
  retry: () => void = showPageAgain,
): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  const failure = error instanceof ApiRequestError ? error : undefined;
  const box = (kind: string, ...children: (Node | null)[]): HTMLElement =>
    h('div', { class: `error-box error-${kind}`, role: 'alert' }, ...children);
  const retryButton = (): HTMLButtonElement =>
    h('button', { type: 'button', class: 'retry', onclick: () => retry() }, 'Retry');
  switch (failure?.kind) {
    case 'not-found': {
      const title =
        what === undefined ? 'This does not exist' : `${capitalized(what)} does not exist`;
      // The server's words only when they add something (such as the closest existing key).
      return notFound(title, message.toLowerCase() === title.toLowerCase() ? undefined : message);
    }
    case 'unreachable':
      return box(
        'unreachable',
        h(
          'strong',
          {},
          what === undefined ? 'The server did not answer' : `Could not load ${what}`,
        ),
        h('span', {}, 'The server did not answer; it may be restarting or stopped.'),
        h('span', {}, retryButton()),
      );
    case 'server':
      return box(
        'server',
        h('strong', {}, what === undefined ? 'The server failed' : `Could not load ${what}`),
        h('span', {}, `The server failed (${failure.status}): ${message}`),
        failure.hint === undefined ? null : h('span', { class: 'hint' }, failure.hint),
        h('span', {}, retryButton()),
      );
    default:
      return box(
        'refused',
        h(
          'strong',
          {},
          what === undefined
            ? `Error${failure === undefined ? '' : ` (${failure.status})`}`
            : `Could not load ${what}${failure === undefined ? '' : ` (${failure.status})`}`,
        ),
        h('span', {}, message),
        failure?.hint === undefined ? null : h('span', { class: 'hint' }, `hint: ${failure.hint}`),
      );
  }
}
