// The catalog's view as URL parameters (#/catalog?select=group:cad&status=stale&sort=-partitions):
// parsed leniently (an unknown value is dropped, never an error) and written back in a fixed
// order, so a link reproduces the view and each change is one history entry.
import type { NodeState } from '../api/types.js';

/** The columns the catalog sorts by. */
export const CATALOG_SORTS = [
  'key',
  'group',
  'status',
  'partitions',
  'materialized',
  'freshness',
  'automation',
] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

/** Asset states, worst first (the status facet and sort order). */
export const STATUS_FACETS: readonly NodeState[] = [
  'failed',
  'blocked',
  'running',
  'missing',
  'stale',
  'fresh',
  'empty',
];
/** Freshness states, worst first; none: no freshness policy. */
export const FRESHNESS_FACETS = ['fail', 'warn', 'pass', 'none'] as const;
export type FreshnessFacet = (typeof FRESHNESS_FACETS)[number];

/** What the catalog shows. */
export interface CatalogQuery {
  /** Selection syntax, resolved by GET /api/selection. */
  readonly select?: string;
  readonly status?: NodeState;
  readonly group?: string;
  readonly freshness?: FreshnessFacet;
  readonly sort: CatalogSort;
  readonly descending: boolean;
}

const GROUP = /^[a-z0-9_]+$/;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((candidate) => candidate === value);
}

/** The query of a route's search string. */
export function parseCatalogQuery(search: string): CatalogQuery {
  const params = new URLSearchParams(search);
  const select = params.get('select')?.trim();
  const group = params.get('group');
  const sortText = params.get('sort') ?? 'key';
  const descending = sortText.startsWith('-');
  const status = oneOf(STATUS_FACETS, params.get('status'));
  const freshness = oneOf(FRESHNESS_FACETS, params.get('freshness'));
  return {
    ...(select === undefined || select === '' ? {} : { select }),
    ...(status === undefined ? {} : { status }),
    ...(group !== null && GROUP.test(group) ? { group } : {}),
    ...(freshness === undefined ? {} : { freshness }),
    sort: oneOf(CATALOG_SORTS, descending ? sortText.slice(1) : sortText) ?? 'key',
    descending,
  };
}

/** The search string of a query (without '?'); the default sort is left out. */
export function catalogSearch(query: CatalogQuery): string {
  const params = new URLSearchParams();
  if (query.select !== undefined) params.set('select', query.select);
  if (query.status !== undefined) params.set('status', query.status);
  if (query.group !== undefined) params.set('group', query.group);
  if (query.freshness !== undefined) params.set('freshness', query.freshness);
  if (query.sort !== 'key' || query.descending)
    params.set('sort', `${query.descending ? '-' : ''}${query.sort}`);
  return params.toString();
}

/** Whether a facet (status, group, freshness) narrows the view. */
export function hasFacet(query: CatalogQuery): boolean {
  return query.status !== undefined || query.group !== undefined || query.freshness !== undefined;
}
