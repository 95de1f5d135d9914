// The history of an asset on its page: every materialization, newest first, a page at a time
// (the first page comes with the page's plots, further ones from the API). A source asset's
// history is its observations that found a new version: recorded without a run, so the table
// has no run or reuse column and says "observed" where others say "finished".
import { assetPath, getJson } from '../api/client.js';
import type { MaterializationPage, MaterializationSummary } from '../api/types.js';
import { h, link } from '../dom.js';
import { formatBytes, formatDuration, formatTime, shortHash } from '../format.js';
import { routes } from '../router.js';
import { errorBox } from './feedback.js';

/** Rows added at once. */
const HISTORY_PAGE = 100;

/** A column: its heading and its cell. */
interface Column {
  readonly title: string;
  readonly cell: (item: MaterializationSummary) => Node | string;
  readonly numeric?: boolean;
}

const ID: Column = {
  title: 'materialization',
  cell: (item) =>
    link(routes.materialization(item.materializationId), `#${item.materializationId}`),
};
const PARTITION: Column = { title: 'partition', cell: (item) => item.partition ?? '–' };
const RUN: Column = {
  title: 'run',
  cell: (item) => (item.runId === null ? '–' : link(routes.run(item.runId), `run ${item.runId}`)),
};
const TOOK: Column = {
  title: 'took',
  cell: (item) => formatDuration(item.durationMs),
  numeric: true,
};
const DATA_VERSION: Column = {
  title: 'data version',
  cell: (item) => h('code', { title: item.dataVersion }, shortHash(item.dataVersion)),
};
const CODE_VERSION: Column = {
  title: 'code version',
  cell: (item) => h('code', { title: item.codeVersion }, shortHash(item.codeVersion)),
};
const REUSE: Column = {
  title: 'reuse',
  cell: (item) =>
    item.reusedFrom === null
      ? ''
      : link(routes.materialization(item.reusedFrom), `reused #${item.reusedFrom}`),
};
const SIZE: Column = { title: 'size', cell: (item) => formatBytes(item.valueSize), numeric: true };
const METADATA: Column = { title: 'metadata', cell: (item) => metadataSummary(item.metadata) };

const COMPUTED_COLUMNS: readonly Column[] = [
  ID,
  PARTITION,
  RUN,
  { title: 'finished', cell: (item) => at(item.finishedAt) },
  TOOK,
  DATA_VERSION,
  CODE_VERSION,
  REUSE,
  SIZE,
  METADATA,
];
const OBSERVED_COLUMNS: readonly Column[] = [
  { ...ID, title: 'observation' },
  PARTITION,
  { title: 'observed', cell: (item) => at(item.finishedAt) },
  TOOK,
  DATA_VERSION,
  SIZE,
  METADATA,
];

/** The history section of asset `key`, from the first page already fetched. */
export function historySection(
  key: string,
  first: MaterializationPage,
  options: { readonly source: boolean; readonly signal: AbortSignal },
): HTMLElement {
  const columns = options.source ? OBSERVED_COLUMNS : COMPUTED_COLUMNS;
  const rows = h('tbody', {});
  const more = h('button', { type: 'button' }, 'Load more');
  let cursor: string | null = null;
  const addRows = (items: readonly MaterializationSummary[]): void => {
    for (const item of items) {
      rows.append(
        h(
          'tr',
          {},
          ...columns.map((column) =>
            h(
              'td',
              column.numeric === true
                ? { class: 'num' }
                : column === METADATA
                  ? { class: 'metadata' }
                  : {},
              column.cell(item),
            ),
          ),
        ),
      );
    }
  };
  // The first page shown is the plot's first HISTORY_PAGE items; further pages come from the API.
  addRows(first.items.slice(0, HISTORY_PAGE));
  const remainder = first.items.slice(HISTORY_PAGE);
  cursor = first.nextCursor;
  more.hidden = remainder.length === 0 && cursor === null;
  more.addEventListener('click', () => {
    if (remainder.length > 0) {
      addRows(remainder.splice(0, HISTORY_PAGE));
      more.hidden = remainder.length === 0 && cursor === null;
      return;
    }
    more.disabled = true;
    getJson<MaterializationPage>(
      assetPath(key, '/materializations'),
      { limit: HISTORY_PAGE, cursor: cursor ?? undefined },
      options.signal,
    )
      .then((page) => {
        addRows(page.items);
        cursor = page.nextCursor;
        more.hidden = cursor === null;
      })
      .catch((error: unknown) => more.replaceWith(errorBox(error, 'more history')))
      .finally(() => (more.disabled = false));
  });
  return h(
    'section',
    { class: 'card', 'data-section': 'History' },
    h('h2', {}, options.source ? 'Observations' : 'History'),
    options.source
      ? h(
          'p',
          { class: 'muted' },
          'Each observation that found a new data version, newest first (one that found the same version records none).',
        )
      : null,
    first.items.length === 0
      ? h('p', { class: 'muted' }, options.source ? 'Never observed.' : 'Never materialized.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'history' },
            h('thead', {}, h('tr', {}, ...columns.map((column) => h('th', {}, column.title)))),
            rows,
          ),
        ),
    more,
  );
}

function at(iso: string): HTMLElement {
  return h('span', { title: iso }, formatTime(iso));
}

function metadataSummary(metadata: Record<string, unknown>): string {
  return Object.entries(metadata)
    .map(
      ([name, value]) =>
        `${name}=${typeof value === 'number' ? Number(value.toPrecision(4)) : typeof value === 'string' ? value : JSON.stringify(value)}`,
    )
    .join(' ');
}
