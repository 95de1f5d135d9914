// Loading lines, error boxes and short notices, alike on every page.
import { h } from '../dom.js';
import { loadError } from './load-error.js';

/** "Loading …" */
export function loading(what: string): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}

/** An error as a box naming what failed, in the UI's words (see load-error.ts). */
export function errorBox(error: unknown, what?: string, retry?: () => void): HTMLElement {
  return loadError(error, what, retry);
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
