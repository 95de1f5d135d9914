// The partitions of an asset as a grid of coloured cells (one per partition, paged from the
// server), with a status filter; a click shows that partition's causes and latest version.
import { assetPath, getJson } from '../api/client.js';
import type { PartitionItem, PartitionPage } from '../api/types.js';
import { h, link, replaceChildren } from '../dom.js';
import { shortHash, timeAgo } from '../format.js';
import { routes } from '../router.js';
import { errorBox } from './feedback.js';
import { badge } from './status-badge.js';

/** Partitions fetched per page (the API's maximum). */
const PAGE_SIZE = 500;

/** The grid of `key`'s partitions. */
export function partitionsGrid(key: string, signal: AbortSignal): HTMLElement {
  const grid = h('div', { class: 'partition-grid', role: 'list' });
  const detail = h('div', { class: 'partition-detail' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const count = h('span', { class: 'muted' });
  const filter = h(
    'select',
    { 'aria-label': 'filter partitions by status' },
    ...['all', 'fresh', 'stale', 'missing', 'running', 'failed'].map((value) =>
      h('option', { value }, value),
    ),
  );
  let cursor: string | null = null;
  let shown = 0;

  const show = (item: PartitionItem): void => {
    replaceChildren(
      detail,
      h('h4', {}, item.partition ?? '(unpartitioned)', ' ', badge(item.activity ?? item.status)),
      item.latest === null
        ? h('p', { class: 'muted' }, 'never materialized')
        : h(
            'p',
            {},
            'latest: ',
            link(
              routes.materialization(item.latest.materializationId),
              `#${item.latest.materializationId}`,
            ),
            ` · data ${shortHash(item.latest.dataVersion)} · ${timeAgo(item.latest.materializedAt)}`,
          ),
      item.causes.length === 0
        ? null
        : h(
            'ul',
            { class: 'causes' },
            ...item.causes.map((cause) => h('li', {}, badge(cause.category), ' ', cause.reason)),
          ),
    );
  };

  const load = async (reset: boolean): Promise<void> => {
    if (reset) {
      cursor = null;
      shown = 0;
      replaceChildren(grid);
      replaceChildren(detail);
    }
    const status = filter.value === 'all' ? undefined : filter.value;
    const page = await getJson<PartitionPage>(
      assetPath(key, '/partitions'),
      { limit: PAGE_SIZE, cursor: cursor ?? undefined, status },
      signal,
    );
    for (const item of page.items) {
      const state = item.activity ?? item.status;
      const cell = h('button', {
        type: 'button',
        class: `cell state-${state}`,
        title: `${item.partition ?? key}: ${state}${item.causes[0] === undefined ? '' : ` (${item.causes[0].reason})`}`,
        'aria-label': `${item.partition ?? key} ${state}`,
        role: 'listitem',
        onclick: () => show(item),
      });
      grid.append(cell);
    }
    shown += page.items.length;
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    count.textContent = `${shown}${cursor === null ? '' : '+'} partition(s)`;
  };
  const run = (reset: boolean): void => {
    load(reset).catch((error: unknown) => {
      if (!signal.aborted) replaceChildren(detail, errorBox(error, 'partitions'));
    });
  };
  filter.addEventListener('change', () => run(true));
  more.addEventListener('click', () => run(false));
  run(true);
  return h(
    'div',
    { class: 'partitions' },
    h('div', { class: 'row' }, filter, count),
    grid,
    more,
    detail,
  );
}
