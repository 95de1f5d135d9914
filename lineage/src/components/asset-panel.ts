// The graph page's panel for the selected asset: its status, the main cause, its freshness, its
// automation policy, what it depends on and what uses it, and actions. A source asset says so
// (observed, never computed, and how), speaks of observations where others speak of
// materializations, and offers "Observe now" where others offer to materialize. The graph holds
// only what its cards show: until the asset's details arrive (GET /api/assets/KEY) the panel
// shows its key, state and neighbours (pendingPanel, with no heading yet, and aria-busy).
import type { AssetNode } from '../api/types.js';
import { h, link } from '../dom.js';
import { loading } from './feedback.js';
import { timeAgo } from '../format.js';
import { countsInWords, lateness, policyInWords } from '../freshness.js';
import { routes } from '../router.js';
import { automationBadge, freshnessBadge, sourceBadge } from './freshness-badge.js';
import { materializeButton } from './materialize.js';
import { observeButton } from './observe.js';
import { badge } from './status-badge.js';

/** What the panel asks of its page. */
export interface AssetPanelActions {
  /** Selects (and centres) another asset of the graph. */
  select(key: string | undefined): void;
  /** Called after an observation (the graph shows what it changed). */
  observed(): void;
}

/** The panel's close button. */
function closeButton(actions: AssetPanelActions): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'close',
      'aria-label': 'close',
      title: 'close (Esc)',
      onclick: () => actions.select(undefined),
    },
    '×',
  );
}

/** What the graph itself knows of an asset, shown while its details are read. */
export interface PendingAsset {
  readonly key: string;
  readonly state: string;
  readonly dependencies: readonly string[];
  readonly dependants: readonly string[];
}

/**
 * The panel while the details of an asset are read: its key, state and neighbours. Its title is
 * not yet a heading: the panel's heading names an asset whose details are shown.
 */
export function pendingPanel(asset: PendingAsset, actions: AssetPanelActions): Node[] {
  const jump = (key: string): HTMLAnchorElement =>
    h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), actions.select(key)) }, key);
  return [
    closeButton(actions),
    h('p', { class: 'pending-key' }, h('strong', {}, link(routes.asset(asset.key), asset.key))),
    h('p', {}, badge(asset.state)),
    loading('its details'),
    h('h3', {}, `Depends on (${asset.dependencies.length})`),
    h('ul', { class: 'key-list' }, ...asset.dependencies.map((k) => h('li', {}, jump(k)))),
    h('h3', {}, `Used by (${asset.dependants.length})`),
    h('ul', { class: 'key-list' }, ...asset.dependants.map((k) => h('li', {}, jump(k)))),
  ];
}

/** The children of the panel for `node`. */
export function assetPanel(node: AssetNode, actions: AssetPanelActions): (Node | null)[] {
  const s = node.status;
  const source = node.source;
  const jump = (key: string): HTMLAnchorElement =>
    h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), actions.select(key)) }, key);
  return [
    closeButton(actions),
    h('h2', {}, link(routes.asset(node.key), node.key)),
    h(
      'p',
      {},
      badge(s.state),
      ' ',
      source === null ? null : [sourceBadge(source), ' '],
      s.total > 1 || node.partitioned ? `${s.total} partitions` : '',
    ),
    source === null
      ? null
      : h(
          'p',
          { class: 'source-note' },
          h('strong', {}, 'Source asset: '),
          'an external input, observed and never computed.',
        ),
    node.description === null ? null : h('p', {}, node.description),
    h(
      'dl',
      { class: 'facts' },
      source === null ? null : [h('dt', {}, 'observed'), h('dd', {}, source.description)],
      h('dt', {}, 'fresh / stale / missing'),
      h('dd', {}, `${s.fresh} / ${s.stale} / ${s.missing}`),
      s.blocked > 0
        ? [
            h('dt', {}, 'blocked'),
            h(
              'dd',
              { title: 'its latest materialization failed a blocking check' },
              String(s.blocked),
            ),
          ]
        : null,
      s.running > 0 ? [h('dt', {}, 'running'), h('dd', {}, String(s.running))] : null,
      s.failed > 0 ? [h('dt', {}, 'failed'), h('dd', {}, String(s.failed))] : null,
      h('dt', {}, source === null ? 'last materialized' : 'version first observed'),
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
        h('li', {}, jump(d.key), h('span', { class: 'muted' }, ` ${d.mapping}`)),
      ),
    ),
    h('h3', {}, `Used by (${node.dependants.length})`),
    h('ul', { class: 'key-list' }, ...node.dependants.map((k) => h('li', {}, jump(k)))),
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'button', href: `#${routes.asset(node.key)}` }, 'Open'),
      source === null
        ? [
            materializeButton('Materialize', () => ({ selection: node.key })),
            materializeButton('With upstream', () => ({ selection: `+${node.key}` })),
          ]
        : observeButton(node.key, () => actions.observed()),
    ),
  ];
}
