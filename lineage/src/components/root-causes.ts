// The root causes of an asset's staleness, grouped: the partitions of one asset that are stale
// for the same reasons are one line ("mesh[d01..d16] stale: code version changed …, 16
// partitions") that expands to the list of them, and the causes the API left out are counted.
import type { RootCause } from '../api/types.js';
import { h, link } from '../dom.js';
import { formatKeyRanges, naturalSort } from '../partition-ranges.js';
import { routes } from '../router.js';
import { badge } from './status-badge.js';

/** Root causes of one asset with the same status and reasons. */
interface RootGroup {
  /** Stable across refreshes: the asset, status and reasons. */
  readonly id: string;
  readonly key: string;
  readonly status: RootCause['status'];
  readonly reason: string;
  readonly partitions: string[];
}

/** The groups of `roots`, in the API's order of their first member. */
export function groupRootCauses(roots: readonly RootCause[]): RootGroup[] {
  const groups = new Map<string, RootGroup>();
  for (const root of roots) {
    const reason =
      root.causes.map((cause) => cause.reason).join('; ') ||
      (root.status === 'missing' ? 'never materialized' : '');
    const id = JSON.stringify([root.key, root.status, reason, root.partition === null]);
    let group = groups.get(id);
    if (group === undefined) {
      group = { id, key: root.key, status: root.status, reason, partitions: [] };
      groups.set(id, group);
    }
    if (root.partition !== null) group.partitions.push(root.partition);
  }
  return [...groups.values()];
}

/**
 * The root-causes block: one line per group, and what was left out. `expanded` holds the ids of
 * the groups shown open, kept by the page so a refresh does not close them.
 */
export function rootCausesList(
  roots: readonly RootCause[],
  left: { readonly omitted: number; readonly truncated: boolean },
  expanded: Set<string> = new Set(),
): HTMLElement {
  return h(
    'div',
    { class: 'root-causes' },
    h('h3', {}, 'Root causes'),
    h(
      'ul',
      { class: 'causes' },
      ...groupRootCauses(roots).map((group) => groupItem(group, expanded)),
    ),
    left.omitted > 0
      ? h(
          'p',
          { class: 'muted root-causes-omitted' },
          `and ${left.omitted.toLocaleString()} more root cause${left.omitted === 1 ? '' : 's'}`,
        )
      : left.truncated
        ? h(
            'p',
            { class: 'muted root-causes-omitted' },
            'More root causes may exist: the search stopped after the first stale partitions.',
          )
        : null,
  );
}

function groupItem(group: RootGroup, expanded: Set<string>): HTMLElement {
  const count = group.partitions.length;
  const heading = [
    link(routes.asset(group.key), group.key),
    count === 0 ? '' : `[${formatKeyRanges(group.partitions)}]`,
    ' ',
    badge(group.status),
    ' ',
    group.reason,
  ];
  if (count <= 1) return h('li', { 'data-root': group.key, 'data-partitions': count }, ...heading);
  const details = h(
    'details',
    { class: 'root-group', open: expanded.has(group.id) },
    h(
      'summary',
      {},
      ...heading,
      h('span', { class: 'muted root-count' }, ` (${count} partitions)`),
    ),
    h(
      'ul',
      { class: 'root-partitions' },
      ...naturalSort(group.partitions).map((partition) =>
        h('li', {}, `${group.key}[${partition}]`),
      ),
    ),
  );
  details.addEventListener('toggle', () => {
    if (details.open) expanded.add(group.id);
    else expanded.delete(group.id);
  });
  return h('li', { 'data-root': group.key, 'data-partitions': count }, details);
}
