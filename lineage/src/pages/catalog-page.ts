// The asset catalog: every asset as a row of a sortable, filterable, virtualized table (key,
// group, owners, tags, status with partition counts, partitions, last materialized, freshness,
// automation). Filters are the CLI's selection syntax (resolved by GET /api/selection, as on the
// graph page) and facets; the view lives in the URL (#/catalog?select=…&status=…&sort=…), so a
// link reproduces it and back/forward step through its changes without a reload. "Materialize N
// assets" launches one run of exactly the assets shown. Statuses follow runs live, and freshness
// the clock (a refetch when the next deadline passes), as on the graph page.
import { getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { AssetGraph, SelectionResult } from '../api/types.js';
import { catalogFilters } from '../catalog/catalog-filters.js';
import { CATALOG_COLUMNS } from '../catalog/catalog-columns.js';
import { catalogLaunch } from '../catalog/catalog-launch.js';
import {
  catalogSearch,
  CATALOG_SORTS,
  parseCatalogQuery,
  type CatalogQuery,
} from '../catalog/catalog-query.js';
import { catalogRows, facetCounts } from '../catalog/catalog-rows.js';
import { errorBox, loading, notify } from '../components/feedback.js';
import { materializeButton } from '../components/materialize.js';
import { VirtualTable } from '../components/virtual-table.js';
import { h, replaceChildren } from '../dom.js';
import { timeAgo } from '../format.js';
import { changeTimes, nextCheckIn } from '../freshness.js';
import type { Page } from '../page.js';
import { navigate, routes } from '../router.js';

/** How often the catalog refetches statuses at most while runs progress. */
const REFRESH_INTERVAL_MS = 1_500;

/** The selection's resolution: its keys and partition restrictions, or the server's error. */
type Resolved =
  | {
      readonly text: string;
      readonly keys: ReadonlySet<string>;
      readonly partitions: SelectionResult['partitions'];
    }
  | { readonly text: string; readonly error: unknown };

export const catalogPage: Page<{ search: string }> = (root, params, context) => {
  let query = parseCatalogQuery(params.search);
  let graph: AssetGraph | undefined;
  let resolved: Resolved | undefined;
  /** Counts selection requests, so a late answer to an older one is dropped. */
  let resolving = 0;
  let rows: ReturnType<typeof catalogRows> = [];

  const go = (change: Partial<CatalogQuery>): void =>
    navigate(routes.catalog(catalogSearch({ ...query, ...change })));
  const filters = catalogFilters((change) => go(change));
  const table = new VirtualTable(CATALOG_COLUMNS, {
    label: 'assets',
    rowKey: (node) => node.key,
    onSort: (column) => {
      const sort = CATALOG_SORTS.find((candidate) => candidate === column);
      if (sort !== undefined)
        go({ sort, descending: sort === query.sort ? !query.descending : false });
    },
  });
  const summary = h('span', { class: 'catalog-summary', role: 'status' }, loading('the assets'));
  const materialize = materializeButton('Materialize', () => {
    const request = catalogLaunch(query, rows, selectedPartitions());
    if (typeof request === 'string') {
      notify(request);
      return undefined;
    }
    const what =
      rows.length === 1 ? rows[0]!.key : `the ${rows.length.toLocaleString()} assets shown`;
    return window.confirm(`Materialize the missing and stale partitions of ${what}?`)
      ? request
      : undefined;
  });
  materialize.classList.add('catalog-materialize');
  root.append(
    h(
      'div',
      { class: 'page-header' },
      h('h1', {}, 'Catalog'),
      h('div', { class: 'actions' }, summary, materialize),
    ),
    filters.element,
    table.element,
  );

  function selectedPartitions(): SelectionResult['partitions'] {
    return resolved !== undefined && 'partitions' in resolved ? resolved.partitions : {};
  }

  /** The selected keys (undefined: no selection), or 'pending'/'error'. */
  function selected(): ReadonlySet<string> | undefined | 'pending' | 'error' {
    if (query.select === undefined) return undefined;
    if (resolved === undefined || resolved.text !== query.select) return 'pending';
    return 'keys' in resolved ? resolved.keys : 'error';
  }

  function render(toTop: boolean): void {
    if (graph === undefined) return;
    const keys = selected();
    const usable = keys === 'pending' || keys === 'error' ? new Set<string>() : keys;
    rows = catalogRows(graph.nodes, usable, query);
    table.setRows(rows, toTop);
    table.setSort(query.sort, query.descending);
    filters.show(query, facetCounts(graph.nodes, usable, query));
    filters.note.textContent = selectionNote(keys);
    filters.note.classList.toggle('error', keys === 'error');
    replaceChildren(
      summary,
      `${rows.length.toLocaleString()} of ${graph.nodes.length.toLocaleString()} assets · evaluated ${timeAgo(graph.evaluatedAt)}`,
    );
    const n = rows.length;
    materialize.textContent = `Materialize ${n.toLocaleString()} asset${n === 1 ? '' : 's'}`;
    materialize.disabled = n === 0 || keys === 'pending' || keys === 'error';
  }

  /** What the selection stands for, in words. */
  function selectionNote(keys: ReturnType<typeof selected>): string {
    if (keys === undefined) return '';
    if (keys === 'pending') return 'resolving…';
    if (keys !== 'error') return `${keys.size.toLocaleString()} asset(s) selected`;
    const error = resolved !== undefined && 'error' in resolved ? resolved.error : undefined;
    return error instanceof Error ? error.message : String(error);
  }

  /** Resolves the selection of the query (once per text) and renders when it is known. */
  async function resolveSelection(): Promise<void> {
    const text = query.select;
    if (text === undefined || resolved?.text === text) return;
    const request = ++resolving;
    let next: Resolved;
    try {
      const result = await getJson<SelectionResult>('/api/selection', { q: text }, context.signal);
      next = { text, keys: new Set(result.keys), partitions: result.partitions };
    } catch (error) {
      if (context.signal.aborted) return;
      next = { text, error };
    }
    if (request !== resolving) return;
    resolved = next;
    render(true);
  }

  /** Shows `next` (from the URL), from the top of the table. */
  function apply(next: CatalogQuery): void {
    query = next;
    render(true);
    void resolveSelection();
  }

  context.onRouteChange((route) => {
    if (route.page === 'catalog') apply(parseCatalogQuery(route.search));
  });

  const load = async (): Promise<void> => {
    const first = graph === undefined;
    const assets = await getJson<AssetGraph>('/api/assets', {}, context.signal);
    graph = assets;
    render(false);
    // The benchmark (bench/catalog.ts) measures navigation to the first rows drawn.
    if (first) performance.mark('strata:catalog-rendered');
    scheduleFreshnessCheck(graph);
  };
  /** Freshness changes with time alone: look again when the next deadline passes. */
  let freshnessTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleFreshnessCheck = (current: AssetGraph): void => {
    clearTimeout(freshnessTimer);
    if (context.signal.aborted) return;
    const delay = nextCheckIn(current.nodes.flatMap((node) => changeTimes(node.status.freshness)));
    if (delay !== undefined) freshnessTimer = setTimeout(() => refresh(), delay);
  };
  load()
    .then(() => resolveSelection())
    .catch((error: unknown) => {
      if (!context.signal.aborted) replaceChildren(summary, errorBox(error, 'the assets'));
    });
  const refresh = throttled(load, REFRESH_INTERVAL_MS);
  const unsubscribe = context.live.subscribe(() => refresh());
  return () => {
    unsubscribe();
    clearTimeout(freshnessTimer);
    table.destroy();
  };
};
