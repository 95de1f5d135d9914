// The partitions of an asset as a grid of coloured cells (one per partition, paged from the
// server), filtered by status and, for an asset with a freshness policy, by freshness state and
// coloured by either; a click shows that partition's causes, freshness and latest version.
import { assetPath, getJson } from '../api/client.js';
import type { FreshnessState, PartitionItem, PartitionPage } from '../api/types.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatTime, shortHash, timeAgo } from '../format.js';
import { FRESHNESS_STATES, lateness } from '../freshness.js';
import { routes } from '../router.js';
import { errorBox } from './feedback.js';
import { freshnessBadge } from './freshness-badge.js';
import { badge } from './status-badge.js';

/** Partitions fetched per page (the API's maximum). */
const PAGE_SIZE = 500;

/** The grid and what other parts of the page may ask of it. */
export interface PartitionsGrid {
  readonly element: HTMLElement;
  /** Shows only the partitions in this freshness state (coloured by freshness). */
  showFreshness(state: FreshnessState): void;
}

/** The grid of `key`'s partitions; `freshness`: the asset has a freshness policy. */
export function partitionsGrid(
  key: string,
  signal: AbortSignal,
  options: { freshness: boolean },
): PartitionsGrid {
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
  const freshnessFilter = h(
    'select',
    { 'aria-label': 'filter partitions by freshness', hidden: !options.freshness },
    h('option', { value: 'all' }, 'any freshness'),
    ...FRESHNESS_STATES.map((value) => h('option', { value }, `freshness ${value}`)),
  );
  const colourBy = h(
    'select',
    { 'aria-label': 'colour partitions by', hidden: !options.freshness },
    h('option', { value: 'status' }, 'colour by status'),
    h('option', { value: 'freshness' }, 'colour by freshness'),
  );
  let cursor: string | null = null;
  /** The partitions shown, to recolour them without asking again. */
  const items: PartitionItem[] = [];

  const show = (item: PartitionItem): void => {
    const freshness = item.freshness;
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
      freshness === null
        ? null
        : h(
            'p',
            { class: 'partition-freshness' },
            freshnessBadge(freshness.state),
            ` ${lateness(freshness)}`,
            freshness.reason === lateness(freshness) ? null : ` · ${freshness.reason}`,
            freshness.deadline === null
              ? null
              : h('span', { class: 'muted' }, ` · deadline ${formatTime(freshness.deadline)}`),
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

  const cell = (item: PartitionItem): HTMLElement => {
    const state = item.activity ?? item.status;
    const freshness = item.freshness?.state;
    const colour =
      colourBy.value === 'freshness' ? `freshness-${freshness ?? 'none'}` : `state-${state}`;
    const judged = freshness === undefined ? '' : `, freshness ${freshness}`;
    return h('button', {
      type: 'button',
      class: `cell ${colour}`,
      title: `${item.partition ?? key}: ${state}${judged}${item.causes[0] === undefined ? '' : ` (${item.causes[0].reason})`}`,
      'aria-label': `${item.partition ?? key} ${state}${judged}`,
      role: 'listitem',
      'data-freshness': freshness,
      onclick: () => show(item),
    });
  };

  const load = async (reset: boolean): Promise<void> => {
    if (reset) {
      cursor = null;
      items.length = 0;
      replaceChildren(grid);
      replaceChildren(detail);
    }
    const status = filter.value === 'all' ? undefined : filter.value;
    const freshness = freshnessFilter.value === 'all' ? undefined : freshnessFilter.value;
    const page = await getJson<PartitionPage>(
      assetPath(key, '/partitions'),
      { limit: PAGE_SIZE, cursor: cursor ?? undefined, status, freshness },
      signal,
    );
    for (const item of page.items) grid.append(cell(item));
    items.push(...page.items);
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    count.textContent = `${items.length}${cursor === null ? '' : '+'} partition(s)`;
  };
  const run = (reset: boolean): void => {
    load(reset).catch((error: unknown) => {
      if (!signal.aborted) replaceChildren(detail, errorBox(error, 'partitions'));
    });
  };
  filter.addEventListener('change', () => run(true));
  freshnessFilter.addEventListener('change', () => run(true));
  colourBy.addEventListener('change', () => replaceChildren(grid, ...items.map(cell)));
  more.addEventListener('click', () => run(false));
  run(true);
  const element = h(
    'div',
    { class: 'partitions' },
    h('div', { class: 'row' }, filter, freshnessFilter, colourBy, count),
    grid,
    more,
    detail,
  );
  return {
    element,
    showFreshness(state) {
      if (!options.freshness) return;
      filter.value = 'all';
      freshnessFilter.value = state;
      colourBy.value = 'freshness';
      run(true);
      element.scrollIntoView({ block: 'nearest' });
    },
  };
}
