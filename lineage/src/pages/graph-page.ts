// The global asset graph: the canvas view, a search box, a selection box that speaks the CLI's
// selection syntax, a legend with totals (freshness, automation and source ones highlight their
// assets), and a panel for the selected asset. Materialize says a selection of source assets
// alone has nothing to compute (they are observed, never computed) instead of launching.
// Groups are boxes that open and close (a graph of more than 500 assets opens closed to its
// groups). The whole view lives in the URL (lineage/src/graph/graph-url.ts): panning and typing
// replace the history entry, discrete changes (an asset selected, a group opened, a selection
// applied) push one, and back/forward bring the view back. The graph is read in columns
// (GET /api/graph, lineage/src/graph/graph-data.ts: what cards and group boxes show); the panel
// reads the selected asset's details (GET /api/assets/KEY). Statuses follow runs live by delta
// (lineage/src/graph/status-delta.ts: only the statuses a run's progress can change) and
// freshness follows the clock (a refetch of the graph when the next deadline passes).
import { assetPath, getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { AssetDetail, GraphColumns, NodeState, SelectionResult } from '../api/types.js';
import {
  assetPanel,
  pendingPanel,
  type AssetPanelActions,
  type PendingAsset,
} from '../components/asset-panel.js';
import { errorBox, loading, notify } from '../components/feedback.js';
import { boltIcon, clockIcon, sourceIcon } from '../components/icons.js';
import { materializeButton, type LaunchRequest } from '../components/materialize.js';
import { h, replaceChildren } from '../dom.js';
import { timeAgo } from '../format.js';
import { changeTimes, FRESHNESS_STATES, nextCheckIn } from '../freshness.js';
import { defaultExpanded, GraphView } from '../graph/graph-view.js';
import { graphSearch, parseGraphUrl, type GraphUrlState } from '../graph/graph-url.js';
import { groupAssets } from '../graph/asset-groups.js';
import { edgeLegend } from '../graph/edge-legend.js';
import { followStatuses } from '../graph/status-delta.js';
import {
  decodeGraph,
  type GraphAsset,
  type GraphDocument,
  type GraphStatus,
} from '../graph/graph-data.js';
import { STATE_COLORS } from '../graph/graph-model.js';
import type { Page } from '../page.js';
import { navigate, routes, type Route } from '../router.js';

/** How often the whole graph is fetched again at most (a freshness deadline, an observation). */
const REFRESH_INTERVAL_MS = 1_500;
/** A pan or zoom is written to the URL once the view has been still this long. */
const CAMERA_WRITE_MS = 250;
/** Room kept between the side panel and what Fit and centring aim at. */
const PANEL_MARGIN = 20;
/** Search suggestions shown at once. */
const MAX_SUGGESTIONS = 12;
const STATES: readonly NodeState[] = [
  'fresh',
  'stale',
  'missing',
  'running',
  'failed',
  'blocked',
  'empty',
];

export const graphPage: Page<{ select?: string; query?: string; search?: string }> = (
  root,
  params,
  context,
) => {
  let graph: GraphDocument | undefined;
  const initial: GraphUrlState = parseGraphUrl(params.search ?? '');
  /** The open groups (undefined until the graph is known). */
  let expanded: Set<string> | undefined;
  /** Set while the page applies a URL: the changes it makes are not written back. */
  let applying = false;
  let cameraTimer: ReturnType<typeof setTimeout> | undefined;
  const byKey = new Map<string, GraphAsset>();
  /** The selected asset's details, and the status it had in the graph when they were read. */
  let detail: { key: string; status: GraphStatus; asset: AssetDetail } | undefined;
  /** The asset whose details are being read. */
  let detailWanted: string | undefined;
  /** The legend entry whose assets are highlighted ('fail', 'automated', …). */
  let legendFilter: string | undefined;
  let freshnessTimer: ReturnType<typeof setTimeout> | undefined;
  const panel = h('aside', { class: 'side-panel', 'aria-label': 'selected asset', hidden: true });
  const legend = h('div', { class: 'legend', 'aria-label': 'asset states' });
  const view = new GraphView({
    onSelect: () => {
      renderPanel();
      writeUrl('push');
    },
    onOpen: (key) => navigate(routes.asset(key)),
    onToggleGroup: (name) => toggleGroup(name),
    onCamera: () => {
      clearTimeout(cameraTimer);
      cameraTimer = setTimeout(() => writeUrl('replace'), CAMERA_WRITE_MS);
    },
  });

  /** The view as URL parameters. */
  const currentState = (): GraphUrlState => {
    const select = selectionInput.value.trim();
    const query = search.value.trim();
    const asset = view.selectedKey;
    const names = view.groupNames;
    const open =
      expanded === undefined || names.length <= 1
        ? undefined
        : expanded.size === names.length
          ? ('all' as const)
          : [...expanded].sort();
    return {
      ...(select === '' ? {} : { select }),
      ...(query === '' ? {} : { query }),
      ...(asset === undefined ? {} : { asset }),
      ...(open === undefined ? {} : { open }),
      ...(graph === undefined ? {} : { camera: view.cameraState() }),
    };
  };
  /** Writes the view into the URL: a new history entry ('push') or the current one changed. */
  function writeUrl(mode: 'push' | 'replace'): void {
    if (applying || graph === undefined || context.signal.aborted) return;
    clearTimeout(cameraTimer);
    const searchText = graphSearch(currentState());
    const hash = `#/${searchText === '' ? '' : `?${searchText}`}`;
    if (hash === window.location.hash) return;
    if (mode === 'push') history.pushState(null, '', hash);
    else history.replaceState(null, '', hash);
  }
  /** Opens or closes a group where it is, as a new history entry. */
  function toggleGroup(name: string): void {
    if (graph === undefined || expanded === undefined) return;
    if (!expanded.delete(name)) expanded.add(name);
    view.setGraph(graph, new Set(expanded), name);
    renderGroupButtons();
    writeUrl('push');
  }
  function setAllGroups(open: boolean): void {
    if (graph === undefined) return;
    expanded = new Set(open ? view.groupNames : []);
    view.setGraph(graph, new Set(expanded));
    view.fit();
    renderGroupButtons();
    writeUrl('push');
  }
  /** Selects an asset, opening its group first when it is closed. */
  function reveal(key: string, center: boolean): void {
    const group = view.groupOf(key);
    if (
      graph !== undefined &&
      expanded !== undefined &&
      group !== undefined &&
      !expanded.has(group) &&
      view.groupNames.length > 1
    ) {
      expanded.add(group);
      view.setGraph(graph, new Set(expanded), group);
      renderGroupButtons();
    }
    view.select(key, { center });
  }
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
    reveal(key, true);
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
    writeUrl('replace');
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
    placeholder: 'Select: +key (and upstream), key+ (and downstream), group:g, tag:k=v, key[p1,p2]',
    'aria-label': 'selection expression',
    class: 'selection-input',
    value: initial.select ?? params.select ?? '',
    spellcheck: false,
  });
  const selectionNote = h('span', { class: 'selection-note', role: 'status' });
  /** Resolves the selection box; `write`: as a history entry; `fit`: shows the selected assets. */
  const applySelection = async ({ write = true, fit = true } = {}): Promise<void> => {
    const text = selectionInput.value.trim();
    if (text === '') {
      selectionNote.textContent = '';
      selectionNote.classList.remove('error');
      view.setMatches(undefined);
      if (write) writeUrl('push');
      return;
    }
    try {
      const result = await getJson<SelectionResult>('/api/selection', { q: text }, context.signal);
      const restricted = Object.keys(result.partitions).length;
      selectionNote.textContent = `${result.keys.length} asset(s) selected${restricted > 0 ? `, partitions restricted on ${restricted}` : ''}`;
      selectionNote.classList.remove('error');
      view.setMatches(result.keys);
      if (fit) view.fitMatches();
      if (write) writeUrl('push');
    } catch (error) {
      selectionNote.textContent = error instanceof Error ? error.message : String(error);
      selectionNote.classList.add('error');
      view.setMatches([]);
    }
  };
  selectionInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void applySelection();
  });
  /** Undefined (after saying so) when `keys` are all source assets: nothing to compute. */
  const unlessOnlySources = (keys: readonly string[], request: LaunchRequest) => {
    const computed = (key: string): boolean => byKey.get(key)?.source !== true;
    if (keys.length === 0 || keys.some(computed)) return request;
    notify(
      keys.length === 1
        ? `Nothing to compute: ${keys[0]} is a source asset, observed and never computed. Observe it from its panel, or materialize what uses it.`
        : `Nothing to compute: the ${keys.length} selected assets are source assets, observed and never computed. Observe them from their panels, or materialize what uses them.`,
    );
    return undefined;
  };
  const materialize = materializeButton('Materialize', async () => {
    const text = selectionInput.value.trim();
    if (text !== '') {
      // Resolved first to say when it holds only sources; a mistake is left for launching to name.
      const resolved = await getJson<SelectionResult>('/api/selection', { q: text }).catch(
        () => undefined,
      );
      return unlessOnlySources(resolved?.keys ?? [], { selection: text });
    }
    const selected = view.selectedKey;
    if (selected !== undefined) return unlessOnlySources([selected], { selection: selected });
    return window.confirm('Materialize every missing or stale asset of the graph?')
      ? {}
      : undefined;
  });
  materialize.title =
    'materialize the selection expression, else the selected asset, else everything missing or stale';

  const groupButtons = h('span', { class: 'group-buttons', hidden: true });
  function renderGroupButtons(): void {
    const names = view.groupNames;
    groupButtons.hidden = names.length <= 1;
    const open = expanded?.size ?? 0;
    replaceChildren(
      groupButtons,
      h(
        'button',
        {
          type: 'button',
          title: 'open every group',
          disabled: open === names.length,
          onclick: () => setAllGroups(true),
        },
        'Expand all',
      ),
      h(
        'button',
        {
          type: 'button',
          title: 'close every group to one card',
          disabled: open === 0,
          onclick: () => setAllGroups(false),
        },
        'Collapse all',
      ),
    );
  }
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
    h(
      'button',
      {
        type: 'button',
        title: 'fit the graph (0)',
        onclick: () => {
          view.fit();
          writeUrl('replace');
        },
      },
      'Fit',
    ),
    groupButtons,
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
      edgeLegend(graph),
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
        filter === 'automated'
          ? node.automation !== null
          : filter === 'source'
            ? node.source
            : node.status.freshness?.state === filter,
      )
      .map((node) => node.key);
  }

  function toggleFilter(filter: string): void {
    legendFilter = legendFilter === filter ? undefined : filter;
    view.setMatches(legendFilter === undefined ? undefined : filteredKeys(legendFilter));
    renderLegend();
  }

  /**
   * Freshness by state, the automated assets and the source assets, each a toggle that
   * highlights its assets.
   */
  function secondAxisLegend(current: GraphDocument): HTMLElement | null {
    let automated = 0;
    let sources = 0;
    for (const node of current.nodes) {
      if (node.automation !== null) automated++;
      if (node.source) sources++;
    }
    const { pass, warn, fail } = current.totals.freshness;
    const withPolicy = pass + warn + fail;
    if (withPolicy === 0 && automated === 0 && sources === 0) return null;
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
      { class: 'legend-axis', 'aria-label': 'freshness, automation and sources' },
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
      sources === 0
        ? null
        : toggle(
            'source',
            'highlight the source assets: external inputs, observed and never computed (dashed cards)',
            sourceIcon(),
            `source ${sources}`,
          ),
    );
  }

  const panelActions: AssetPanelActions = {
    select: (next) => (next === undefined ? view.select(undefined) : reveal(next, true)),
    observed: () => refresh(),
  };
  /**
   * The panel of the selected asset: its details with the graph's live status, read again when
   * that status changed since (a run materialized it); its key and state until they arrive.
   */
  function renderPanel(): void {
    const key = view.selectedKey;
    const node = key === undefined ? undefined : byKey.get(key);
    panel.hidden = node === undefined;
    if (key !== undefined && node !== undefined) {
      const known = detail?.key === key ? detail : undefined;
      panel.setAttribute('aria-busy', known === undefined ? 'true' : 'false');
      if (known === undefined)
        replaceChildren(panel, ...pendingPanel(pendingAsset(key, node), panelActions));
      else {
        const status = { ...known.asset.status, ...node.status };
        replaceChildren(panel, ...assetPanel({ ...known.asset, status }, panelActions));
      }
      if (known?.status !== node.status) readDetail(key, node.status);
    }
    // Fit and centring aim at what the panel leaves uncovered.
    view.setInsets(panel.hidden ? 0 : panel.offsetWidth + PANEL_MARGIN);
  }
  /** What the graph knows of an asset: its state and its data dependencies both ways. */
  function pendingAsset(key: string, node: GraphAsset): PendingAsset {
    const dependencies: string[] = [];
    const dependants: string[] = [];
    const nodes = graph?.nodes ?? [];
    for (const edge of graph?.edges ?? []) {
      if (edge.partitions) continue;
      if (nodes[edge.to]?.key === key) dependencies.push(nodes[edge.from]!.key);
      if (nodes[edge.from]?.key === key) dependants.push(nodes[edge.to]!.key);
    }
    return { key, state: node.status.state, dependencies, dependants };
  }
  /** Reads the details of asset `key`, shown as it is in the graph with `status`. */
  function readDetail(key: string, status: GraphStatus): void {
    if (detailWanted === key) return;
    detailWanted = key;
    getJson<AssetDetail>(assetPath(key), {}, context.signal)
      .then((asset) => {
        detail = { key, status, asset };
        if (detailWanted === key) detailWanted = undefined;
        if (view.selectedKey === key) renderPanel();
      })
      .catch((error: unknown) => {
        if (detailWanted === key) detailWanted = undefined;
        if (!context.signal.aborted && view.selectedKey === key)
          panel.append(errorBox(error, `the details of ${key}`));
      });
  }

  const load = async (): Promise<void> => {
    const columns = await getJson<GraphColumns>('/api/graph', {}, context.signal);
    show(decodeGraph(columns));
  };
  /** Shows a graph document (the first, or a whole one fetched again). */
  const show = (next: GraphDocument): void => {
    graph = next;
    byKey.clear();
    for (const node of next.nodes) byKey.set(node.key, node);
    if (expanded === undefined && initial.open === undefined) {
      view.setGraph(next); // the view opens the default groups of the graph's size
      expanded = new Set(view.openGroups);
    } else {
      if (expanded === undefined) {
        const names = groupAssets(next.nodes).names;
        const open = initial.open!;
        expanded = new Set(open === 'all' ? names : open.filter((name) => names.includes(name)));
      }
      view.setGraph(next, new Set(expanded));
    }
    renderGroupButtons();
    if (legendFilter !== undefined) view.setMatches(filteredKeys(legendFilter));
    renderLegend();
    renderPanel();
    scheduleFreshnessCheck(next);
  };
  /** Freshness changes with time alone: look again when the next deadline passes. */
  const scheduleFreshnessCheck = (current: GraphDocument): void => {
    clearTimeout(freshnessTimer);
    if (context.signal.aborted) return;
    const delay = nextCheckIn(current.nodes.flatMap((node) => changeTimes(node.status.freshness)));
    if (delay !== undefined) freshnessTimer = setTimeout(() => refresh(), delay);
  };
  /** Brings the page to a URL's view (the first one, or back/forward, or a link). */
  const applyUrl = (state: GraphUrlState, first: boolean): void => {
    applying = true;
    try {
      if (!first && graph !== undefined) {
        const grouping = view.groupNames;
        const open = state.open;
        expanded = new Set(
          open === undefined
            ? defaultExpanded(graph, groupAssets(graph.nodes))
            : open === 'all'
              ? grouping
              : open.filter((name) => grouping.includes(name)),
        );
        view.setGraph(graph, new Set(expanded));
        renderGroupButtons();
      }
      const query = state.query ?? (first ? params.query : undefined) ?? '';
      if (search.value !== query) {
        search.value = query;
        search.dispatchEvent(new Event('input'));
        suggestions.hidden = true;
      }
      const select = state.select ?? '';
      if (!first && selectionInput.value.trim() !== select) {
        selectionInput.value = select;
        void applySelection({ write: false, fit: state.camera === undefined });
      }
      // "Show in graph" of an asset page (?q=KEY alone): that asset, selected and centred.
      const shown =
        state.asset ?? (state.camera === undefined && byKey.has(query) ? query : undefined);
      if (shown !== undefined && byKey.has(shown)) reveal(shown, state.camera === undefined);
      else view.select(undefined);
      if (state.camera !== undefined) view.setCamera(state.camera);
    } finally {
      applying = false;
    }
    // A link from an asset page names the asset by search only: the URL says what is shown.
    if (state.asset === undefined && view.selectedKey !== undefined) writeUrl('replace');
  };
  context.onRouteChange((route: Route) => {
    if (route.page === 'graph') applyUrl(parseGraphUrl(route.search ?? ''), false);
  });
  performance.mark('strata:graph-requested');
  load()
    .then(() => {
      performance.mark('strata:graph-data');
      applyUrl(initial, true);
      if (selectionInput.value.trim() !== '')
        void applySelection({ write: false, fit: initial.camera === undefined });
    })
    .catch((error: unknown) => {
      if (!context.signal.aborted) replaceChildren(status, errorBox(error, 'the asset graph'));
    });
  const refresh = throttled(load, REFRESH_INTERVAL_MS);
  const unsubscribe = followStatuses(
    context,
    () => graph,
    (next) => show(next),
  );
  view.element.querySelector('canvas')?.focus();
  return () => {
    unsubscribe();
    clearTimeout(freshnessTimer);
    clearTimeout(cameraTimer);
    view.destroy();
  };
};
