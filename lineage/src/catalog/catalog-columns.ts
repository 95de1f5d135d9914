// The catalog's columns: what each shows of an asset (the cell) and how wide it is. Sorting is
// catalog-rows.ts's; a column is sortable when its id is a CatalogSort.
import type { AssetNode } from '../api/types.js';
import { automationBadge, freshnessBadge, sourceBadge } from '../components/freshness-badge.js';
import { badge } from '../components/status-badge.js';
import type { VirtualColumn } from '../components/virtual-table.js';
import { h, link } from '../dom.js';
import { formatTime, timeAgo } from '../format.js';
import { routes } from '../router.js';
import { CATALOG_SORTS } from './catalog-query.js';

const COUNTED = ['fresh', 'stale', 'missing', 'blocked', 'running', 'failed'] as const;

/** "12 fresh · 3 stale": the partitions by status, those with none left out. */
export function countsText(status: AssetNode['status']): string {
  return COUNTED.filter((name) => status[name] > 0)
    .map((name) => `${status[name].toLocaleString()} ${name}`)
    .join(' · ');
}

function statusCell(node: AssetNode): Node {
  const counts = countsText(node.status);
  return h(
    'span',
    { class: 'catalog-status', title: node.status.mainReason ?? counts },
    badge(node.status.state),
    node.partitioned && counts !== '' ? h('span', { class: 'muted' }, counts) : null,
  );
}

function lastMaterialized(node: AssetNode): Node | string {
  const at = node.status.lastMaterializedAt;
  return at === null ? '–' : h('time', { datetime: at, title: formatTime(at) }, timeAgo(at));
}

const column = (
  id: string,
  label: string,
  width: string,
  cell: (node: AssetNode) => Node | string,
  numeric = false,
): VirtualColumn<AssetNode> => ({
  id,
  label,
  width,
  cell,
  numeric,
  sortable: (CATALOG_SORTS as readonly string[]).includes(id),
});

/** The columns, left to right. */
export const CATALOG_COLUMNS: readonly VirtualColumn<AssetNode>[] = [
  column('key', 'Asset', 'minmax(220px, 2fr)', (node) =>
    h(
      'span',
      { class: 'catalog-key' },
      link(routes.asset(node.key), node.key),
      node.source === null ? null : sourceBadge(node.source),
    ),
  ),
  column('group', 'Group', 'minmax(90px, 0.8fr)', (node) => node.group),
  column('owners', 'Owners', 'minmax(90px, 1fr)', (node) => node.owners.join(', ') || '–'),
  column('tags', 'Tags', 'minmax(90px, 1fr)', (node) => {
    const tags = Object.entries(node.tags);
    return tags.length === 0
      ? '–'
      : h(
          'span',
          {},
          ...tags.map(([k, v]) => h('span', { class: 'tag' }, v === '' ? k : `${k}=${v}`)),
        );
  }),
  column('status', 'Status', 'minmax(200px, 1.6fr)', statusCell),
  column('partitions', 'Partitions', '90px', (node) => node.status.total.toLocaleString(), true),
  column('materialized', 'Last materialized', '140px', lastMaterialized),
  column('freshness', 'Freshness', '100px', (node) =>
    node.status.freshness === null ? '–' : freshnessBadge(node.status.freshness.state),
  ),
  column('automation', 'Automation', '110px', (node) =>
    node.automation === null ? '–' : automationBadge(node.automation),
  ),
];
