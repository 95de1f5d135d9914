// One asset: what it is (description, owners, tags, schema, code version, policies), its
// freshness against its policy and its automation, why it is stale in words with links to the
// culprits (root causes grouped by asset and reason), its partitions (a launchpad), a preview of
// its latest value and image artifacts, its history and a plot of each numeric metadata field
// per partition or over time.
// A source asset (observed, never computed) has a section on how it is observed, its history is
// its observations, and it offers "Observe now" instead of Materialize and Force. A partitioned
// asset's "Backfill…" opens the form that starts a backfill of it (#/backfills?select=KEY).
// Refreshes when runs progress and when its freshness is due to change.
import { assetPath, getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { AssetDetail, MaterializationPage } from '../api/types.js';
import type { ChartMode } from '../charts/metric-chart.js';
import { errorBox, loading } from '../components/feedback.js';
import { materializeButton } from '../components/materialize.js';
import { metricPlots } from '../components/metric-plots.js';
import { automationBadge, freshnessBadge, sourceBadge } from '../components/freshness-badge.js';
import { freshnessSection } from '../components/freshness-section.js';
import { checkResultsList, declaredChecks } from '../components/check-results.js';
import { historySection } from '../components/history-table.js';
import { latestPreview, type LatestPreview } from '../components/latest-preview.js';
import { observeButton } from '../components/observe.js';
import { partitionsGrid, type PartitionsGrid } from '../components/partitions-grid.js';
import { rootCausesList } from '../components/root-causes.js';
import { sourceSection } from '../components/source-section.js';
import { badge } from '../components/status-badge.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatDuration, formatTime, shortHash, timeAgo } from '../format.js';
import { changeTimes, nextCheckIn } from '../freshness.js';
import type { Page } from '../page.js';
import { routes } from '../router.js';

/** The most materializations the plots read (the history shows them a page at a time). */
const PLOT_LIMIT = 500;
const REFRESH_INTERVAL_MS = 2_000;
/** How often "overdue by" and "due in" move. */
const CLOCK_MS = 1_000;

export const assetPage: Page<{ key: string }> = (root, { key }, context) => {
  const header = h('div', { class: 'page-header' }, h('h1', {}, key));
  const body = h('div', {}, loading(`asset ${key}`));
  root.append(header, body);
  let partitionsSection: HTMLElement | undefined;
  let grid: PartitionsGrid | undefined;
  let latest: LatestPreview | undefined;
  let tickFreshness: (() => void) | undefined;
  /** Root-cause groups the user opened (kept across refreshes). */
  const rootsOpen = new Set<string>();
  /** The x axis of the metadata plots, per partition first for a partitioned asset. */
  const plotMode: { current: ChartMode } = { current: 'partition' };
  let freshnessTimer: ReturnType<typeof setTimeout> | undefined;

  const render = async (): Promise<void> => {
    const [asset, history] = await Promise.all([
      getJson<AssetDetail>(assetPath(key), {}, context.signal),
      getJson<MaterializationPage>(
        assetPath(key, '/materializations'),
        { limit: PLOT_LIMIT },
        context.signal,
      ),
    ]);
    replaceChildren(
      header,
      h(
        'h1',
        {},
        asset.key,
        ' ',
        badge(asset.status.state),
        asset.status.freshness === null ? null : freshnessBadge(asset.status.freshness.state),
        asset.automation === null ? null : automationBadge(asset.automation),
        asset.source === null ? null : sourceBadge(asset.source),
      ),
      h(
        'div',
        { class: 'actions' },
        h('a', { class: 'button', href: `#/?q=${encodeURIComponent(asset.key)}` }, 'Show in graph'),
        asset.source !== null
          ? observeButton(asset.key, () => refresh())
          : [
              materializeButton('Materialize', () => ({ selection: asset.key })),
              materializeButton('Force', () =>
                window.confirm(`Recompute every partition of ${asset.key}, fresh ones included?`)
                  ? { selection: asset.key, force: true }
                  : undefined,
              ),
              asset.partitioned
                ? h(
                    'a',
                    { class: 'button backfill-link', href: `#${routes.backfills(asset.key)}` },
                    'Backfill…',
                  )
                : null,
            ],
      ),
    );
    grid ??= partitionsGrid(key, context.signal, {
      freshness: asset.status.freshness !== null,
      checks: asset.checks.length > 0,
    });
    partitionsSection ??= section('Partitions', grid.element);
    const freshness = freshnessSection(
      asset,
      asset.partitioned ? (state) => grid?.showFreshness(state) : undefined,
    );
    tickFreshness = () => freshness.tick();
    latest ??= latestPreview(context.signal, { source: asset.source !== null });
    replaceChildren(
      body,
      overview(asset),
      sourceSection(asset, context.signal),
      freshness.element,
      whySection(asset, rootsOpen),
      checksSection(asset),
      asset.partitioned ? partitionsSection : null,
      latest(history.items[0]),
      metricPlots(history.items, asset.partitioned, plotMode),
      historySection(key, history, { source: asset.source !== null, signal: context.signal }),
      definitionSection(asset),
    );
    // Freshness changes with time alone: look again when it is due to.
    clearTimeout(freshnessTimer);
    const delay = nextCheckIn(changeTimes(asset.partition?.freshness ?? asset.status.freshness));
    if (delay !== undefined && !context.signal.aborted)
      freshnessTimer = setTimeout(() => refresh(), delay);
  };
  render().catch((error: unknown) => {
    if (!context.signal.aborted) replaceChildren(body, errorBox(error, `asset ${key}`));
  });
  const refresh = throttled(render, REFRESH_INTERVAL_MS);
  const clock = setInterval(() => tickFreshness?.(), CLOCK_MS);
  const unsubscribe = context.live.subscribe(() => refresh());
  return () => {
    unsubscribe();
    clearInterval(clock);
    clearTimeout(freshnessTimer);
  };
};

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...content);
}

function overview(asset: AssetDetail): HTMLElement {
  const s = asset.status;
  return section(
    'Overview',
    asset.description === null ? null : h('p', { class: 'description' }, asset.description),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'status'),
      h(
        'dd',
        {},
        asset.partitioned
          ? `${s.fresh} fresh, ${s.stale} stale, ${s.missing} missing${s.blocked > 0 ? `, ${s.blocked} blocked` : ''} of ${s.total}`
          : s.status,
      ),
      s.running > 0 ? [h('dt', {}, 'running'), h('dd', {}, `${s.running} partition(s)`)] : null,
      s.failed > 0 ? [h('dt', {}, 'failed'), h('dd', {}, `${s.failed} partition(s)`)] : null,
      h('dt', {}, asset.source === null ? 'last materialized' : 'version first observed'),
      h(
        'dd',
        {},
        s.lastMaterializedAt === null
          ? 'never'
          : `${timeAgo(s.lastMaterializedAt)} (${formatTime(s.lastMaterializedAt)})`,
      ),
      h('dt', {}, 'group'),
      h('dd', {}, asset.group),
      h('dt', {}, 'owners'),
      h('dd', {}, asset.owners.length === 0 ? '–' : asset.owners.join(', ')),
      h('dt', {}, 'tags'),
      h(
        'dd',
        {},
        Object.keys(asset.tags).length === 0
          ? '–'
          : Object.entries(asset.tags).map(([k, v]) =>
              h('span', { class: 'tag' }, v === '' ? k : `${k}=${v}`),
            ),
      ),
      asset.source !== null
        ? null // observed, not computed: no code whose version matters downstream
        : [
            h('dt', {}, 'code version'),
            h(
              'dd',
              {},
              h('code', { title: asset.codeVersion }, shortHash(asset.codeVersion)),
              ` (${asset.codeVersionSource})`,
            ),
          ],
      h('dt', {}, 'depends on'),
      h(
        'dd',
        {},
        asset.dependencies.length === 0
          ? '–'
          : asset.dependencies.map((d, i) => [
              i > 0 ? ', ' : '',
              link(routes.asset(d.key), d.key),
              h('span', { class: 'muted' }, ` (${d.inputName}, ${d.mapping})`),
            ]),
      ),
      h('dt', {}, 'used by'),
      h(
        'dd',
        {},
        asset.dependants.length === 0
          ? '–'
          : asset.dependants.map((k, i) => [i > 0 ? ', ' : '', link(routes.asset(k), k)]),
      ),
    ),
  );
}

/** The staleness causes in words, with links to the assets at fault and the root causes. */
function whySection(asset: AssetDetail, rootsOpen: Set<string>): HTMLElement | null {
  const causes = asset.partition?.causes ?? [];
  if (asset.causes.length === 0 && asset.rootCauses.length === 0 && causes.length === 0) {
    if (asset.status.status !== 'fresh') return null;
    return section(
      'Why',
      h(
        'p',
        { class: 'muted' },
        asset.source === null
          ? 'Fresh: nothing upstream or in its code changed since it was last materialized.'
          : 'Fresh: a source asset is fresh once observed. When an observation finds a new data version, what uses it goes stale.',
      ),
    );
  }
  return section(
    asset.status.status === 'blocked' ? 'Why it is blocked' : 'Why it needs a rebuild',
    h(
      'ul',
      { class: 'causes' },
      ...asset.causes.map((cause) =>
        h(
          'li',
          {},
          badge(cause.category),
          ' ',
          cause.reason,
          asset.partitioned
            ? h('span', { class: 'muted' }, ` (${cause.partitions} partition(s))`)
            : null,
          // A check cause names the asset itself: no link to where one already is.
          cause.dependency === null || cause.dependency === asset.key
            ? null
            : [' — ', link(routes.asset(cause.dependency), cause.dependency)],
        ),
      ),
    ),
    asset.rootCauses.length === 0 && asset.rootCausesOmitted === 0
      ? null
      : rootCausesList(
          asset.rootCauses,
          {
            omitted: asset.rootCausesOmitted,
            truncated: asset.rootCausesTruncated,
          },
          rootsOpen,
        ),
  );
}

/** The checks it declares and, unpartitioned, their latest verdicts on its value. */
function checksSection(asset: AssetDetail): HTMLElement | null {
  if (asset.checks.length === 0) return null;
  const verdicts = asset.partitioned ? undefined : (asset.partition?.checks ?? []);
  return h(
    'section',
    { class: 'card checks-section' },
    h('h2', {}, `Checks (${asset.checks.length})`),
    declaredChecks(asset.checks, verdicts),
    verdicts === undefined
      ? h(
          'p',
          { class: 'muted' },
          "Each partition's verdicts are in the partitions grid: a mark on each cell, the filter ",
          h('em', {}, 'failing checks'),
          ', and a click on a cell for the details.',
        )
      : verdicts.length === 0
        ? null
        : [h('h3', {}, 'Latest verdicts'), checkResultsList(verdicts)],
  );
}

type PartitionsJson = NonNullable<AssetDetail['partitions']>;

/** A partition set in words: `static: 3 keys`, `daily from 2024-01-01T00:00 (Europe/Berlin)`. */
function partitionsText(partitions: Exclude<PartitionsJson, { kind: 'produced' }>): string {
  switch (partitions.kind) {
    case 'static':
      return `static: ${partitions.keys.length} keys`;
    case 'dynamic':
      return `dynamic: ${partitions.name}`;
    case 'time-window':
      return `${partitions.cron ?? partitions.granularity} from ${partitions.start}${partitions.end === null ? '' : ` to ${partitions.end}`} (${partitions.timezone})`;
    case 'multi':
      return partitions.dimensions
        .map((d) => `${d.name}: ${partitionsText(d.partitions)}`)
        .join(' x ');
  }
}

function definitionSection(asset: AssetDetail): HTMLElement {
  const partitions = asset.partitions;
  return section(
    'Definition',
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'partitions'),
      h(
        'dd',
        {},
        partitions === null
          ? 'not partitioned'
          : partitions.kind === 'produced'
            ? ['produced by ', link(routes.asset(partitions.producer), partitions.producer)]
            : partitionsText(partitions),
      ),
      asset.source !== null
        ? null // observed, never run in a step: no retries, no pool
        : [
            h('dt', {}, 'retry'),
            h(
              'dd',
              {},
              `${asset.retry.maxAttempts} attempt(s), ${asset.retry.backoff} backoff from ${formatDuration(asset.retry.delayMs)}`,
            ),
          ],
      h('dt', {}, asset.source === null ? 'timeout' : 'observation timeout'),
      h('dd', {}, asset.timeoutMs === null ? 'none' : formatDuration(asset.timeoutMs)),
      asset.source !== null ? null : [h('dt', {}, 'pool'), h('dd', {}, asset.pool ?? '–')],
    ),
    h('h3', {}, 'Output schema'),
    asset.schema === null
      ? h('p', { class: 'muted' }, asset.schemaError ?? 'not representable as JSON Schema')
      : h('pre', { class: 'schema' }, JSON.stringify(asset.schema, null, 2)),
  );
}
