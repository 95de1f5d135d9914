// The history of a plan's state: one row per transition, oldest first, with who made it, when,
// from where (the CLI's host or the server's peer address) and their comment.
import type { PlanTransition } from '../api/types.js';
import { h } from '../dom.js';
import { formatTime, timeAgo } from '../format.js';
import { badge } from './status-badge.js';

/** A plan state's badge (coloured by styles.css: .state-proposed, .state-approved, ...). */
export function planBadge(state: string): HTMLElement {
  const element = badge(state);
  element.dataset.state = state;
  return element;
}

/** The transitions table. */
export function planHistory(transitions: readonly PlanTransition[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'plan-history' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['when', 'change', 'who', 'from where', 'comment'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ...transitions.map((t) =>
          h(
            'tr',
            { 'data-to': t.to },
            h(
              'td',
              { title: formatTime(t.at) },
              formatTime(t.at),
              ' ',
              h('span', { class: 'muted' }, `(${timeAgo(t.at)})`),
            ),
            h('td', {}, t.from === null ? null : [planBadge(t.from), ' → '], planBadge(t.to)),
            h('td', { class: 'actor' }, t.actor),
            h('td', { class: 'muted' }, t.origin),
            h('td', { class: 'comment' }, t.comment ?? h('span', { class: 'muted' }, '–')),
          ),
        ),
      ),
    ),
  );
}
