// The partitions of an asset as a grid of coloured cells (one per partition, paged from the
// server, labelled with their keys, and below them the keys of each state as ranges), filtered
// by status, for an asset with checks to the partitions a check failed on, and for an asset with
// a freshness policy by freshness state and coloured by either. Each cell of an asset with checks
// carries a mark of its worst verdict (✓ passed, ! warned, ✗ failed, ⊘ failed a blocking check).
// A launchpad too: a click selects a cell and shows that partition's causes, check verdicts,
// freshness and latest version, Ctrl/Cmd-click adds or removes one, Shift-click selects the
// range from the last clicked cell, and "Materialize N partitions" launches a run of exactly the
// selected partitions (docs/ui.md).
import { assetPath, getJson } from '../api/client.js';
import type { FreshnessState, PartitionItem, PartitionPage } from '../api/types.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatTime, shortHash, timeAgo } from '../format.js';
import { FRESHNESS_STATES, lateness } from '../freshness.js';
import { formatKeyRanges } from '../partition-ranges.js';
import { routes } from '../router.js';
import { errorBox, notify } from './feedback.js';
import { freshnessBadge } from './freshness-badge.js';
import { launchPartitions } from './partition-launch.js';
import { PartitionSelection } from './partition-selection.js';
import { badge } from './status-badge.js';
import { causeLine } from './cause-line.js';
import { checkMark, checkResultsList, verdictsInWords, worstVerdict } from './check-results.js';

/** Partitions fetched per page (the API's maximum). */
const PAGE_SIZE = 500;
/** Up to this many partitions shown, cells carry their key as a label (else only on hover). */
const LABEL_LIMIT = 2_000;

/** The grid and what other parts of the page may ask of it. */
export interface PartitionsGrid {
  readonly element: HTMLElement;
  /** Shows only the partitions in this freshness state (coloured by freshness). */
  showFreshness(state: FreshnessState): void;
}

/**
 * The grid of `key`'s partitions; `freshness`: the asset has a freshness policy; `checks`: it
 * declares checks.
 */
export function partitionsGrid(
  key: string,
  signal: AbortSignal,
  options: { freshness: boolean; checks?: boolean },
): PartitionsGrid {
  const grid = h('div', {
    class: 'partition-grid',
    role: 'group',
    'aria-label': `partitions of ${key}: click to select, Shift-click for a range`,
  });
  const detail = h('div', { class: 'partition-detail' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const count = h('span', { class: 'muted' });
  const ranges = h('p', { class: 'partition-ranges' });
  const filter = h(
    'select',
    { 'aria-label': 'filter partitions by status' },
    ...['all', 'fresh', 'stale', 'missing', 'blocked', 'running', 'failed'].map((value) =>
      h('option', { value }, value),
    ),
  );
  const failingChecks = h('input', { type: 'checkbox', class: 'failing-checks' });
  const checksFilter = h(
    'label',
    {
      class: 'checks-filter',
      title: 'only the partitions a check failed on (a warning, a failure or a blocking failure)',
      hidden: options.checks !== true,
    },
    failingChecks,
    ' failing checks',
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
  const selection = new PartitionSelection();
  const selected = h('span', { class: 'muted', 'aria-live': 'polite' });
  const materialize = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      disabled: true,
      title: 'Run exactly the selected partitions (fresh ones are computed again)',
    },
    'Materialize selected',
  );
  const selectShown = h('button', { type: 'button' }, 'Select shown');
  const clear = h('button', { type: 'button', disabled: true }, 'Clear selection');
  const cells = new Map<string, HTMLElement>();

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
        : h('ul', { class: 'causes' }, ...item.causes.map((cause) => causeLine(cause, key))),
      item.checks.length === 0
        ? null
        : [
            h('h5', { class: 'checks-heading' }, `Checks: ${verdictsInWords(item.checks)}`),
            checkResultsList(item.checks),
          ],
    );
  };

  const cell = (item: PartitionItem): HTMLElement => {
    const state = item.activity ?? item.status;
    const freshness = item.freshness?.state;
    const colour =
      colourBy.value === 'freshness' ? `freshness-${freshness ?? 'none'}` : `state-${state}`;
    const verdict = worstVerdict(item.checks);
    const judged =
      (freshness === undefined ? '' : `, freshness ${freshness}`) +
      (verdict === null ? '' : `, ${verdictsInWords(item.checks)}`);
    const partition = item.partition ?? key;
    const labelled = items.length <= LABEL_LIMIT;
    const element = h(
      'button',
      {
        type: 'button',
        class: `cell ${colour}`,
        title: `${partition}: ${state}${judged}${item.causes[0] === undefined ? '' : ` (${item.causes[0].reason})`}`,
        'aria-label': `${partition} ${state}${judged}`,
        'aria-pressed': String(selection.has(partition)),
        'data-partition': partition,
        'data-freshness': freshness,
        'data-checks': verdict ?? undefined,
        onclick: (event: MouseEvent) => {
          const order = items.map((i) => i.partition ?? key);
          if (event.shiftKey) selection.extendTo(partition, order);
          else if (event.ctrlKey || event.metaKey) selection.toggle(partition);
          else selection.only(partition);
          showSelection();
          show(item);
        },
      },
      labelled ? h('span', { class: 'cell-label' }, partition) : null,
      // Unlabelled cells are too small for a mark: a corner dot (styles.css) shows a failure.
      labelled && verdict !== null ? checkMark(verdict) : null,
    );
    cells.set(partition, element);
    return element;
  };

  /** Marks the selected cells and updates the launch bar. */
  const showSelection = (): void => {
    for (const [partition, element] of cells)
      element.setAttribute('aria-pressed', String(selection.has(partition)));
    const n = selection.size;
    selected.textContent =
      n === 0 ? 'Click cells to select them (Shift: a range)' : `${n} selected`;
    materialize.textContent =
      n === 0 ? 'Materialize selected' : `Materialize ${n} partition${n === 1 ? '' : 's'}`;
    materialize.disabled = n === 0;
    clear.disabled = n === 0;
  };

  const load = async (reset: boolean): Promise<void> => {
    if (reset) {
      cursor = null;
      items.length = 0;
      cells.clear();
      selection.clear();
      showSelection();
      replaceChildren(grid);
      replaceChildren(detail);
    }
    grid.setAttribute('aria-busy', 'true');
    const status = filter.value === 'all' ? undefined : filter.value;
    const freshness = freshnessFilter.value === 'all' ? undefined : freshnessFilter.value;
    const checks = failingChecks.checked ? 'failing' : undefined;
    const page = await getJson<PartitionPage>(
      assetPath(key, '/partitions'),
      { limit: PAGE_SIZE, cursor: cursor ?? undefined, status, freshness, checks },
      signal,
    );
    items.push(...page.items);
    grid.classList.toggle('labelled', items.length <= LABEL_LIMIT);
    if (items.length > LABEL_LIMIT && items.length - page.items.length <= LABEL_LIMIT)
      replaceChildren(grid, ...items.map(cell)); // past the limit: all without labels
    else for (const item of page.items) grid.append(cell(item));
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    count.textContent = `${items.length}${cursor === null ? '' : '+'} partition(s)`;
    replaceChildren(ranges, ...stateRanges(items, key));
    grid.setAttribute('aria-busy', 'false');
  };
  const run = (reset: boolean): void => {
    load(reset).catch((error: unknown) => {
      if (!signal.aborted) replaceChildren(detail, errorBox(error, 'partitions'));
    });
  };
  filter.addEventListener('change', () => run(true));
  freshnessFilter.addEventListener('change', () => run(true));
  failingChecks.addEventListener('change', () => run(true));
  colourBy.addEventListener('change', () => replaceChildren(grid, ...items.map(cell)));
  more.addEventListener('click', () => run(false));
  selectShown.addEventListener('click', () => {
    for (const item of items) selection.add(item.partition ?? key);
    showSelection();
  });
  clear.addEventListener('click', () => {
    selection.clear();
    showSelection();
  });
  materialize.addEventListener('click', () => {
    materialize.disabled = true;
    launchPartitions(key, selection.keys())
      .catch((error: unknown) =>
        notify(
          `Could not launch: ${error instanceof Error ? error.message : String(error)}`,
          'error',
        ),
      )
      .finally(() => (materialize.disabled = selection.size === 0));
  });
  run(true);
  const element = h(
    'div',
    { class: 'partitions' },
    h('div', { class: 'row' }, filter, checksFilter, freshnessFilter, colourBy, count),
    h('div', { class: 'row launch-bar' }, materialize, selectShown, clear, selected),
    grid,
    more,
    ranges,
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

/** The partitions shown by state, as ranges of keys: "fresh d01..d12 · stale d13..d16". */
function stateRanges(items: readonly PartitionItem[], key: string): HTMLElement[] {
  const byState = new Map<string, string[]>();
  for (const item of items) {
    const state = item.activity ?? item.status;
    let keys = byState.get(state);
    if (keys === undefined) byState.set(state, (keys = []));
    keys.push(item.partition ?? key);
  }
  return [...byState].map(([state, keys]) =>
    h(
      'span',
      { class: 'partition-range', 'data-state': state },
      badge(state),
      ` ${formatKeyRanges(keys)}`,
      keys.length > 1 ? h('span', { class: 'muted' }, ` (${keys.length})`) : null,
    ),
  );
}
