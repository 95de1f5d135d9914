// The automation daemon's work: the automated assets with their state, then the tick history,
// newest first and paged: when, which daemon, how it ended, what it evaluated, the run it
// launched, what it launched and held back with the reasons, and what its observations of source
// assets found. Runs of consecutive idle ticks fold into one row. Live: a new run with trigger automation refetches the ticks at once; a tick
// still running is looked at again shortly; ticks that launch nothing are caught by a slow poll.
import { getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type {
  AssetGraph,
  AutomationTick,
  AutomationTickPage,
  ObservedEntry,
  TickEntry,
} from '../api/types.js';
import { errorBox, loading } from '../components/feedback.js';
import { automationBadge, freshnessBadge } from '../components/freshness-badge.js';
import { badge } from '../components/status-badge.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatDuration, formatTime, shortHash, timeAgo } from '../format.js';
import { lateness } from '../freshness.js';
import type { Page } from '../page.js';
import { routes } from '../router.js';

const PAGE_SIZE = 50;
const REFRESH_INTERVAL_MS = 1_000;
/** A tick still running is looked at again after this long (its end sends no event). */
const RUNNING_TICK_MS = 1_000;
/** Ticks that launch nothing send no event either: the daemon ticks every 30 s. */
const POLL_MS = 30_000;
/** Partitions listed in an entry before the rest fold away. */
const SHOWN_PARTITIONS = 8;

export const automationPage: Page<unknown> = (root, _params, context) => {
  const assets = h('section', { class: 'card automated-assets' }, loading('the automated assets'));
  const holder = h('div', {}, loading('the ticks of the automation daemon'));
  const latest = h('p', { class: 'muted latest-tick' });
  const showIdle = h('input', { type: 'checkbox', 'aria-label': 'show idle ticks' });
  const more = h('button', { type: 'button', hidden: true }, 'Older ticks');
  let pages = 1;
  let ticks: AutomationTick[] = [];
  /** Runs the shown ticks launched (a progress message of another automation run is news). */
  const knownRuns = new Set<number>();
  let tickTimer: ReturnType<typeof setTimeout> | undefined;

  const loadTicks = async (): Promise<void> => {
    const items: AutomationTick[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < pages; page++) {
      const result: AutomationTickPage = await getJson<AutomationTickPage>(
        '/api/automation/ticks',
        { limit: PAGE_SIZE, cursor: cursor ?? undefined },
        context.signal,
      );
      items.push(...result.items);
      cursor = result.nextCursor;
      if (cursor === null) break;
    }
    ticks = items;
    for (const tick of items) if (tick.runId !== null) knownRuns.add(tick.runId);
    more.hidden = cursor === null;
    renderTicks();
    clearTimeout(tickTimer);
    if (items.some((tick) => tick.status === 'running') && !context.signal.aborted)
      tickTimer = setTimeout(() => refreshTicks(), RUNNING_TICK_MS);
  };

  const renderTicks = (): void => {
    const newest = ticks[0];
    latest.textContent =
      newest === undefined
        ? ''
        : `Last tick ${timeAgo(newest.startedAt)} by ${newest.daemonId} on ${newest.host}.`;
    if (ticks.length === 0) {
      replaceChildren(
        holder,
        h(
          'p',
          { class: 'muted' },
          'No ticks yet. The daemon runs in `strata serve` (unless --no-automation) and ' +
            '`strata daemon` when an asset declares an automation policy.',
        ),
      );
      return;
    }
    // Observations of source assets get a column once any shown tick made one.
    const observing = ticks.some((tick) => tick.observed.length > 0);
    const columns = ['tick', 'when', 'daemon', 'status', 'evaluated', 'run', 'launched', 'held'];
    if (observing) columns.push('observed');
    replaceChildren(
      holder,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'ticks' },
          h('thead', {}, h('tr', {}, ...columns.map((t) => h('th', {}, t)))),
          h('tbody', {}, ...tickRows(ticks, showIdle.checked, observing)),
        ),
      ),
    );
  };

  const loadAssets = async (): Promise<void> => {
    const graph = await getJson<AssetGraph>('/api/assets', {}, context.signal);
    const automated = graph.nodes.filter((node) => node.automation !== null);
    replaceChildren(
      assets,
      h('h2', {}, `Automated assets (${automated.length})`),
      automated.length === 0
        ? h(
            'p',
            { class: 'muted' },
            "No asset declares an automation policy (asset({ automation: 'eager' }), see docs/automation.md).",
          )
        : h(
            'ul',
            { class: 'automated-list' },
            ...automated.map((node) =>
              h(
                'li',
                { 'data-asset': node.key },
                link(routes.asset(node.key), node.key),
                ' ',
                automationBadge(node.automation!),
                ' ',
                badge(node.status.state),
                node.status.freshness === null
                  ? null
                  : [
                      ' ',
                      freshnessBadge(
                        node.status.freshness.state,
                        `${node.status.freshness.state}: ${lateness(node.status.freshness)}`,
                      ),
                    ],
              ),
            ),
          ),
    );
  };

  const reportError = (target: HTMLElement, what: string) => (error: unknown) => {
    if (!context.signal.aborted) replaceChildren(target, errorBox(error, what));
  };
  const refreshTicks = throttled(loadTicks, REFRESH_INTERVAL_MS);
  const refreshAssets = throttled(loadAssets, REFRESH_INTERVAL_MS * 5);
  showIdle.addEventListener('change', renderTicks);
  more.addEventListener('click', () => {
    pages += 1;
    loadTicks().catch(reportError(holder, 'older ticks'));
  });
  root.append(
    h(
      'div',
      { class: 'page-header' },
      h('h1', {}, 'Automation'),
      h('label', { class: 'row' }, showIdle, 'show idle ticks'),
    ),
    h(
      'p',
      { class: 'muted' },
      'The automation daemon rebuilds automated assets when their policy says so. Each tick ' +
        'evaluates them, launches one run for what needs a rebuild, and records what it held ' +
        'back and why (ticks are kept for 7 days).',
    ),
    assets,
    h('section', { class: 'card' }, h('h2', {}, 'Ticks'), latest, holder, more),
  );
  loadTicks().catch(reportError(holder, 'the ticks of the automation daemon'));
  loadAssets().catch(reportError(assets, 'the automated assets'));
  const unsubscribe = context.live.subscribe((progress) => {
    if (progress.trigger !== 'automation') return;
    if (!knownRuns.has(progress.runId)) refreshTicks();
    refreshAssets();
  });
  const poll = setInterval(() => refreshTicks(), POLL_MS);
  return () => {
    unsubscribe();
    clearInterval(poll);
    clearTimeout(tickTimer);
  };
};

/** Whether a tick did nothing worth a row of its own (sources found unchanged included). */
function idle(tick: AutomationTick): boolean {
  return (
    tick.status === 'succeeded' &&
    tick.runId === null &&
    tick.launched.length === 0 &&
    tick.held.length === 0 &&
    tick.observed.every((entry) => entry.outcome === 'unchanged')
  );
}

/** One row per tick, with runs of consecutive idle ticks folded into one (unless shown). */
function tickRows(
  ticks: readonly AutomationTick[],
  showIdle: boolean,
  observing: boolean,
): HTMLElement[] {
  const rows: HTMLElement[] = [];
  for (let i = 0; i < ticks.length;) {
    const tick = ticks[i]!;
    if (showIdle || !idle(tick)) {
      rows.push(tickRow(tick, observing));
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < ticks.length && idle(ticks[end + 1]!)) end++;
    const oldest = ticks[end]!;
    rows.push(
      h(
        'tr',
        { class: 'idle-ticks' },
        h('td', {}, end === i ? `${tick.tickId}` : `${oldest.tickId}–${tick.tickId}`),
        h(
          'td',
          { title: `${formatTime(oldest.startedAt)} to ${formatTime(tick.startedAt)}` },
          timeAgo(tick.startedAt),
        ),
        h(
          'td',
          { colspan: observing ? 7 : 6, class: 'muted' },
          `${end - i + 1} idle tick(s): ${tick.evaluatedAssets} automated asset(s), nothing to do`,
          ticks.slice(i, end + 1).some((t) => t.observed.length > 0)
            ? '; the sources observed were unchanged'
            : '',
        ),
      ),
    );
    i = end + 1;
  }
  return rows;
}

function tickRow(tick: AutomationTick, observing: boolean): HTMLElement {
  const took =
    tick.finishedAt === null ? null : Date.parse(tick.finishedAt) - Date.parse(tick.startedAt);
  return h(
    'tr',
    { 'data-tick': tick.tickId },
    h('td', {}, String(tick.tickId)),
    h(
      'td',
      { title: formatTime(tick.startedAt) },
      timeAgo(tick.startedAt),
      h('div', { class: 'muted' }, formatTime(tick.startedAt)),
    ),
    h('td', { title: `host ${tick.host}` }, tick.daemonId),
    h(
      'td',
      {},
      badge(tick.status),
      took === null ? null : h('div', { class: 'muted' }, `took ${formatDuration(took)}`),
      tick.error === null ? null : h('div', { class: 'error-text' }, tick.error),
    ),
    h(
      'td',
      {},
      `${tick.evaluatedAssets} asset(s)`,
      h('div', { class: 'muted' }, `${tick.evaluatedPartitions} partition(s)`),
    ),
    h('td', {}, tick.runId === null ? '–' : link(routes.run(tick.runId), `run ${tick.runId}`)),
    h('td', { class: 'tick-entries launched' }, entries(tick.launched)),
    h('td', { class: 'tick-entries held' }, entries(tick.held)),
    observing ? h('td', { class: 'tick-entries observed' }, observations(tick.observed)) : null,
  );
}

/** A list of a tick's asset partitions, each followed by what `details` says of it. */
function assetList<E extends { key: string; partitions: readonly string[] }>(
  list: readonly E[],
  details: (entry: E) => Parameters<typeof h>[2][],
): HTMLElement | string {
  if (list.length === 0) return '–';
  return h(
    'ul',
    { class: 'causes' },
    ...list.map((entry) =>
      h(
        'li',
        { 'data-asset': entry.key },
        link(routes.asset(entry.key), entry.key),
        partitionsOf(entry.partitions),
        ...details(entry),
      ),
    ),
  );
}

/** What the observations of source assets found: new, unchanged or failed, and the version. */
function observations(list: readonly ObservedEntry[]): HTMLElement | string {
  return assetList(list, (entry) => [
    ' ',
    h('span', { class: 'tag' }, entry.outcome),
    entry.dataVersion === null
      ? null
      : h(
          'code',
          { class: 'reason', title: entry.dataVersion },
          ` ${shortHash(entry.dataVersion)}`,
        ),
    entry.error === undefined ? null : h('span', { class: 'error-text' }, ` ${entry.error}`),
  ]);
}

/** Asset partitions of a tick with their reasons. */
function entries(list: readonly TickEntry[]): HTMLElement | string {
  return assetList(list, (entry) => [
    entry.rule === undefined ? null : [' ', h('span', { class: 'tag' }, entry.rule)],
    h('span', { class: 'reason' }, ` ${entry.reason}`),
  ]);
}

/** "[a, b]" or a fold with every partition of a long list. */
function partitionsOf(partitions: readonly string[]): Node | string | null {
  if (partitions.length === 0) return null;
  if (partitions.length <= SHOWN_PARTITIONS) return `[${partitions.join(', ')}]`;
  return h(
    'details',
    { class: 'partitions-fold' },
    h('summary', {}, `${partitions.length} partitions`),
    partitions.join(', '),
  );
}
