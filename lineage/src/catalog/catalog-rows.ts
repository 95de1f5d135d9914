// The catalog's rows: the assets a query keeps (selection, then facets), in its sort order, and
// how many assets each facet value would keep given the other filters. Pure and linear in the
// number of assets (10,000 sort in a few milliseconds).
import type { AssetNode } from '../api/types.js';
import {
  FRESHNESS_FACETS,
  STATUS_FACETS,
  type CatalogQuery,
  type CatalogSort,
  type FreshnessFacet,
} from './catalog-query.js';

/** The freshness facet of an asset: its state, or none without a policy. */
export function freshnessOf(node: AssetNode): FreshnessFacet {
  return node.status.freshness?.state ?? 'none';
}

type Facet = 'status' | 'group' | 'freshness';

const FACET_VALUE: Record<Facet, (node: AssetNode) => string> = {
  status: (node) => node.status.state,
  group: (node) => node.group,
  freshness: freshnessOf,
};

/** Whether `node` passes the facets of `query`, leaving out `except`. */
function passes(node: AssetNode, query: CatalogQuery, except?: Facet): boolean {
  for (const facet of ['status', 'group', 'freshness'] as const) {
    const wanted = query[facet];
    if (facet !== except && wanted !== undefined && FACET_VALUE[facet](node) !== wanted)
      return false;
  }
  return true;
}

/** Position in a worst-first list, unknown values last. */
const rankIn =
  (order: readonly string[]) =>
  (value: string): number => {
    const index = order.indexOf(value);
    return index < 0 ? order.length : index;
  };
const statusRank = rankIn(STATUS_FACETS);
const freshnessRank = rankIn(FRESHNESS_FACETS);

/** Compares two assets on a column (ties broken by key). */
const COMPARE: Record<CatalogSort, (a: AssetNode, b: AssetNode) => number> = {
  key: () => 0,
  group: (a, b) => a.group.localeCompare(b.group),
  status: (a, b) => statusRank(a.status.state) - statusRank(b.status.state),
  partitions: (a, b) => a.status.total - b.status.total,
  // Never materialized sorts before any time: the oldest first.
  materialized: (a, b) =>
    (a.status.lastMaterializedAt === null ? 0 : Date.parse(a.status.lastMaterializedAt)) -
    (b.status.lastMaterializedAt === null ? 0 : Date.parse(b.status.lastMaterializedAt)),
  freshness: (a, b) => freshnessRank(freshnessOf(a)) - freshnessRank(freshnessOf(b)),
  automation: (a, b) => (a.automation?.kind ?? '~').localeCompare(b.automation?.kind ?? '~'),
};

/**
 * The rows of `query`: of `nodes`, those in `selected` (undefined: every asset) passing its
 * facets, sorted.
 */
export function catalogRows(
  nodes: readonly AssetNode[],
  selected: ReadonlySet<string> | undefined,
  query: CatalogQuery,
): AssetNode[] {
  const compare = COMPARE[query.sort];
  const sign = query.descending ? -1 : 1;
  return nodes
    .filter((node) => (selected === undefined || selected.has(node.key)) && passes(node, query))
    .sort((a, b) => sign * (compare(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

/** For each facet, how many selected assets each value would show given the other filters. */
export function facetCounts(
  nodes: readonly AssetNode[],
  selected: ReadonlySet<string> | undefined,
  query: CatalogQuery,
): Record<Facet, Map<string, number>> {
  const counts: Record<Facet, Map<string, number>> = {
    status: new Map(),
    group: new Map(),
    freshness: new Map(),
  };
  for (const node of nodes) {
    if (selected !== undefined && !selected.has(node.key)) continue;
    for (const facet of ['status', 'group', 'freshness'] as const) {
      if (!passes(node, query, facet)) continue;
      const value = FACET_VALUE[facet](node);
      counts[facet].set(value, (counts[facet].get(value) ?? 0) + 1);
    }
  }
  return counts;
}
