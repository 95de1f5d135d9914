// The global asset graph: the canvas view, a search box, a selection box that speaks the CLI's
// selection syntax, a legend with totals (freshness and automation ones highlight their assets),
// and a panel for the selected asset. Statuses follow runs live (a throttled refetch of
// /api/assets on each progress message) and freshness follows the clock (a refetch when the
// next deadline passes).
import { getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { AssetGraph, AssetNode, NodeState, SelectionResult } from '../api/types.js';
import { errorBox, loading } from '../components/feedback.js';
import { automationBadge, freshnessBadge } from '../components/freshness-badge.js';
import { boltIcon, clockIcon } from '../components/icons.js';
import { materializeButton } from '../components/materialize.js';
import { badge } from '../components/status-badge.js';
import { h, link, replaceChildren } from '../dom.js';
import { timeAgo } from '../format.js';
import {
  changeTimes,
  countsInWords,
  FRESHNESS_STATES,
  lateness,
  nextCheckIn,
  policyInWords,
} from '../freshness.js';
import { GraphView } from '../graph/graph-view.js';
import { STATE_COLORS } from '../graph/graph-model.js';
import type { Page } from '../page.js';
import { navigate, routes } from '../router.js';

/** How often the graph refetches statuses at most while runs progress. */
const REFRESH_INTERVAL_MS = 1_500;
/** Search suggestions shown at once. */
const MAX_SUGGESTIONS = 12;
const STATES: readonly NodeState[] = ['fresh', 'stale', 'missing', 'running', 'failed', 'empty'];

export const graphPage: Page<{ select?: string; query?: string }> = (root, params, context) => {
  let graph: AssetGraph | undefined;
  const byKey = new Map<string, AssetNode>();
  /** The legend entry whose assets are highlighted ('fail', 'automated', …). */
  let legendFilter: string | undefined;
  let freshnessTimer: ReturnType<typeof setTimeout> | undefined;
  const panel = h('aside', { class: 'side-panel', 'aria-label': 'selected asset', hidden: true });
  const legend = h('div', { class: 'legend', 'aria-label': 'asset states' });
  const view = new GraphView({
    onSelect: () => renderPanel(),
    onOpen: (key) => navigate(routes.asset(key)),
  });
  const status = h('div', { class: 'graph-status' }, loading('the asset graph'));

  // Search by key: outline every match, Enter or a click jumps to one.
  const search = h('input', {
    type: 'search',
    placeholder: 'Search assets by key…',
    'aria-label': 'search assets by key',
    class: 'search-input',
    autocomplete: 'off',
  });
  const suggestions = h('ul', { class: 'suggestions', role: 'listbox', hidden: true });
  const searchMatches = (text: string): string[] => {
    const needle = text.trim().toLowerCase();
    if (needle === '' || graph === undefined) return [];
    const exact = byKey.has(text.trim()) ? [text.trim()] : [];
    return [
      ...exact,
      ...graph.nodes
        .map((n) => n.key)
        .filter((k) => k !== text.trim() && k.toLowerCase().includes(needle)),
    ];
  };
  const jumpTo = (key: string): void => {
    search.value = key;
    suggestions.hidden = true;
    view.select(key, { center: true });
  };
  search.addEventListener('input', () => {
    const matches = searchMatches(search.value);
    view.setMatches(search.value.trim() === '' ? undefined : matches);
    replaceChildren(
      suggestions,
      ...matches.slice(0, MAX_SUGGESTIONS).map((key) =>
        h(
          'li',
          {
            role: 'option',
            tabindex: -1,
            onmousedown: (e: Event) => (e.preventDefault(), jumpTo(key)),
          },
          key,
        ),
      ),
      matches.length > MAX_SUGGESTIONS
        ? h('li', { class: 'muted' }, `… ${matches.length - MAX_SUGGESTIONS} more`)
        : null,
    );
    suggestions.hidden = matches.length === 0;
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      const first = searchMatches(search.value)[0];
      if (first !== undefined) jumpTo(first);
    } else if (event.key === 'Escape') {
      suggestions.hidden = true;
    }
  });
  search.addEventListener('blur', () => (suggestions.hidden = true));

  // Selection syntax: resolved by the server, exactly as the CLI resolves it.
  const selectionInput = h('input', {
    type: 'text',
    placeholder: 'Select: +pareto_front, mesh+, group:cad, tag:k=v, key[p1,p2]',
    'aria-label': 'selection expression',
    class: 'selection-input',
    value: params.select ?? '',
    spellcheck: false,
  });
  const selectionNote = h('span', { class: 'selection-note', role: 'status' });
  const applySelection = async (): Promise<void> => {
    const text = selectionInput.value.trim();
    if (text === '') {
      selectionNote.textContent = '';
      selectionNote.classList.remove('error');
      view.setMatches(undefined);
      return;
    }
    try {
      const result = await getJson<SelectionResult>('/api/selection', { q: text }, context.signal);
      const restricted = Object.keys(result.partitions).length;
      selectionNote.textContent = `${result.keys.length} asset(s) selected${restricted > 0 ? `, partitions restricted on ${restricted}` : ''}`;
      selectionNote.classList.remove('error');
      view.setMatches(result.keys);
      view.fitMatches();
    } catch (error) {
      selectionNote.textContent = error instanceof Error ? error.message : String(error);
      selectionNote.classList.add('error');
      view.setMatches([]);
    }
  };
  selectionInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void applySelection();
  });
  const materialize = materializeButton('Materialize', () => {
    const text = selectionInput.value.trim();
    if (text !== '') return { selection: text };
    const selected = view.selectedKey;
    if (selected !== undefined) return { selection: selected };
    return window.confirm('Materialize every missing or stale asset of the graph?')
      ? {}
      : undefined;
  });
  materialize.title =
    'materialize the selection expression, else the selected asset, else everything missing or stale';

  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('div', { class: 'search-box' }, search, suggestions),
    h(
      'div',
      { class: 'selection-box' },
      selectionInput,
      h('button', { type: 'button', onclick: () => void applySelection() }, 'Select'),
      selectionNote,
    ),
    materialize,
    h('span', { class: 'spacer' }),
    h(
      'button',
      {
        type: 'button',
        title: 'zoom out (-)',
        'aria-label': 'zoom out',
        onclick: () => view.zoom(0.8),
      },
      '−',
    ),
    h(
      'button',
      {
        type: 'button',
        title: 'zoom in (+)',
        'aria-label': 'zoom in',
        onclick: () => view.zoom(1.25),
      },
      '+',
    ),
    h('button', { type: 'button', title: 'fit the graph (0)', onclick: () => view.fit() }, 'Fit'),
  );
  root.append(
    toolbar,
    h('div', { class: 'graph-layout' }, view.element, panel),
    h(
      'div',
      { class: 'graph-footer' },
      legend,
      h(
        'span',
        { class: 'hint' },
        'drag to pan · scroll to zoom · click to select · double-click to open',
      ),
      status,
    ),
  );

  function renderLegend(): void {
    if (graph === undefined) return;
    const counts: Record<string, number> = {};
    for (const node of graph.nodes)
      counts[node.status.state] = (counts[node.status.state] ?? 0) + 1;
    replaceChildren(
      legend,
      ...STATES.map((state) =>
        h(
          'span',
          { class: 'legend-item' },
          h('i', { style: { background: STATE_COLORS[state] } }),
          `${state} ${counts[state] ?? 0}`,
        ),
      ),
      secondAxisLegend(graph),
    );
    replaceChildren(
      status,
      `${graph.totals.assets.toLocaleString()} assets, ${graph.totals.partitions.toLocaleString()} partitions · evaluated ${timeAgo(graph.evaluatedAt)}`,
    );
  }

  /** The assets a legend filter highlights. */
  function filteredKeys(filter: string): string[] {
    return (graph?.nodes ?? [])
      .filter((node) =>
        filter === 'automated' ? node.automation !== null : node.status.freshness?.state === filter,
      )
      .map((node) => node.key);
  }

  function toggleFilter(filter: string): void {
    legendFilter = legendFilter === filter ? undefined : filter;
    view.setMatches(legendFilter === undefined ? undefined : filteredKeys(legendFilter));
    renderLegend();
  }

  /** Freshness by state and the automated assets, each a toggle that highlights its assets. */
  function secondAxisLegend(current: AssetGraph): HTMLElement | null {
    const automated = current.nodes.filter((node) => node.automation !== null).length;
    const { pass, warn, fail } = current.totals.freshness;
    const withPolicy = pass + warn + fail;
    if (withPolicy === 0 && automated === 0) return null;
    const toggle = (filter: string, title: string, ...content: (Node | string)[]) =>
      h(
        'button',
        {
          type: 'button',
          class: `legend-filter filter-${filter}`,
          'aria-pressed': legendFilter === filter ? 'true' : 'false',
          title,
          onclick: () => toggleFilter(filter),
        },
        ...content,
      );
    return h(
      'span',
      { class: 'legend-axis', 'aria-label': 'freshness and automation' },
      withPolicy === 0
        ? null
        : h(
            'span',
            { class: 'legend-freshness', title: 'assets with a freshness policy, by state' },
            clockIcon(),
            ...FRESHNESS_STATES.map((state) =>
              toggle(
                state,
                `highlight the assets whose freshness policy is in state ${state}`,
                h('i', { class: `freshness-${state}` }),
                `${state} ${current.totals.freshness[state]}`,
              ),
            ),
          ),
      automated === 0
        ? null
        : toggle(
            'automated',
            'highlight the automated assets',
            boltIcon(),
            `automated ${automated}`,
          ),
    );
  }

  function renderPanel(): void {
    const key = view.selectedKey;
    const node = key === undefined ? undefined : byKey.get(key);
    panel.hidden = node === undefined;
    if (node === undefined) return;
    const s = node.status;
    replaceChildren(
      panel,
      h(
        'button',
        {
          type: 'button',
          class: 'close',
          'aria-label': 'close',
          title: 'close (Esc)',
          onclick: () => view.select(undefined),
        },
        '×',
      ),
      h('h2', {}, link(routes.asset(node.key), node.key)),
      h(
        'p',
        {},
        badge(s.state),
        ' ',
        s.total > 1 || node.partitioned ? `${s.total} partitions` : '',
      ),
      node.description === null ? null : h('p', {}, node.description),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'fresh / stale / missing'),
        h('dd', {}, `${s.fresh} / ${s.stale} / ${s.missing}`),
        s.running > 0 ? [h('dt', {}, 'running'), h('dd', {}, String(s.running))] : null,
        s.failed > 0 ? [h('dt', {}, 'failed'), h('dd', {}, String(s.failed))] : null,
        h('dt', {}, 'last materialized'),
        h('dd', {}, timeAgo(s.lastMaterializedAt)),
        s.freshness === null
          ? null
          : [
              h('dt', {}, 'freshness'),
              h(
                'dd',
                { class: 'panel-freshness' },
                freshnessBadge(s.freshness.state),
                ' ',
                lateness(s.freshness),
                s.freshness.partition === null
                  ? null
                  : h('span', { class: 'muted' }, ` (worst: ${s.freshness.partition})`),
              ),
              h('dt', {}, 'policy'),
              h('dd', {}, policyInWords(s.freshness.policy)),
              node.partitioned
                ? [h('dt', {}, 'partitions'), h('dd', {}, countsInWords(s.freshness.counts))]
                : null,
            ],
        node.automation === null
          ? null
          : [
              h('dt', {}, 'automation'),
              h('dd', {}, automationBadge(node.automation), ' ', node.automation.description),
            ],
        h('dt', {}, 'group'),
        h('dd', {}, node.group),
        node.owners.length === 0
          ? null
          : [h('dt', {}, 'owners'), h('dd', {}, node.owners.join(', '))],
      ),
      s.mainReason === null
        ? null
        : h('p', { class: 'reason' }, h('strong', {}, `${s.mainCause ?? 'why'}: `), s.mainReason),
      h('h3', {}, `Depends on (${node.dependencies.length})`),
      h(
        'ul',
        { class: 'key-list' },
        ...node.dependencies.map((d) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: '#',
                onclick: (e: Event) => (e.preventDefault(), view.select(d.key, { center: true })),
              },
              d.key,
            ),
            h('span', { class: 'muted' }, ` ${d.mapping}`),
          ),
        ),
      ),
      h('h3', {}, `Used by (${node.dependants.length})`),
      h(
        'ul',
        { class: 'key-list' },
        ...node.dependants.map((k) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: '#',
                onclick: (e: Event) => (e.preventDefault(), view.select(k, { center: true })),
              },
              k,
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        h('a', { class: 'button', href: `#${routes.asset(node.key)}` }, 'Open'),
        materializeButton('Materialize', () => ({ selection: node.key })),
        materializeButton('With upstream', () => ({ selection: `+${node.key}` })),
      ),
    );
  }

  const load = async (): Promise<void> => {
    const next = await getJson<AssetGraph>('/api/assets', {}, context.signal);
    graph = next;
    byKey.clear();
    for (const node of next.nodes) byKey.set(node.key, node);
    view.setGraph(next);
    if (legendFilter !== undefined) view.setMatches(filteredKeys(legendFilter));
    renderLegend();
    renderPanel();
    scheduleFreshnessCheck(next);
  };
  /** Freshness changes with time alone: look again when the next deadline passes. */
  const scheduleFreshnessCheck = (current: AssetGraph): void => {
    clearTimeout(freshnessTimer);
    if (context.signal.aborted) return;
    const delay = nextCheckIn(current.nodes.flatMap((node) => changeTimes(node.status.freshness)));
    if (delay !== undefined) freshnessTimer = setTimeout(() => refresh(), delay);
  };
  performance.mark('strata:graph-requested');
  load()
    .then(() => {
      performance.mark('strata:graph-data');
      if (params.query !== undefined) {
        search.value = params.query;
        search.dispatchEvent(new Event('input'));
      }
      if (selectionInput.value.trim() !== '') void applySelection();
    })
    .catch((error: unknown) => {
      if (!context.signal.aborted) replaceChildren(status, errorBox(error, 'the asset graph'));
    });
  const refresh = throttled(load, REFRESH_INTERVAL_MS);
  const unsubscribe = context.live.subscribe(() => refresh());
  view.element.querySelector('canvas')?.focus();
  return () => {
    unsubscribe();
    clearTimeout(freshnessTimer);
    view.destroy();
  };
};
