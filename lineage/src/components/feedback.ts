// Loading lines, error boxes and short notices, alike on every page.
import { ApiRequestError } from '../api/client.js';
import { h } from '../dom.js';

/** "Loading …" */
export function loading(what: string): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}

/** An error as a box naming what failed, with the server's hint. */
export function errorBox(error: unknown, what?: string): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiRequestError ? error.hint : undefined;
  const status = error instanceof ApiRequestError ? ` (${error.status})` : '';
  return h(
    'div',
    { class: 'error-box', role: 'alert' },
    h('strong', {}, what === undefined ? `Error${status}` : `Could not load ${what}${status}`),
    h('span', {}, message),
    hint === undefined ? null : h('span', { class: 'hint' }, `hint: ${hint}`),
  );
}

/** A notice at the bottom of the window that goes away after a while. */
export function notify(message: string, kind: 'info' | 'error' = 'info'): void {
  let area = document.getElementById('notices');
  if (area === null) {
    area = h('div', { id: 'notices', 'aria-live': 'polite' });
    document.body.append(area);
  }
  const notice = h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    message,
  );
  area.append(notice);
  setTimeout(() => notice.remove(), kind === 'error' ? 12_000 : 6_000);
}
