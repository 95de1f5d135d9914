// A run's progress: a stacked bar of its steps by outcome, with the counts in its title.
import { h } from '../dom.js';

const ORDER = [
  'succeeded',
  'reused',
  'fresh',
  'failed',
  'skipped',
  'canceled',
  'running',
  'retrying',
  'queued',
  'waiting',
] as const;

/** The bar of `counts` out of `total` steps. */
export function progressBar(counts: Partial<Record<string, number>>, total: number): HTMLElement {
  const done =
    (counts.succeeded ?? 0) +
    (counts.reused ?? 0) +
    (counts.fresh ?? 0) +
    (counts.failed ?? 0) +
    (counts.skipped ?? 0) +
    (counts.canceled ?? 0);
  const parts = ORDER.filter((status) => (counts[status] ?? 0) > 0);
  const title = parts.map((status) => `${counts[status]} ${status}`).join(', ');
  return h(
    'div',
    {
      class: 'progress',
      title,
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': total,
      'aria-valuenow': done,
      'aria-label': title,
    },
    h(
      'div',
      { class: 'progress-track' },
      ...parts.map((status) =>
        h('span', {
          class: `state-${status}`,
          style: { width: `${((counts[status] ?? 0) / Math.max(1, total)) * 100}%` },
        }),
      ),
    ),
    h('span', { class: 'progress-text' }, `${done}/${total}`),
  );
}
