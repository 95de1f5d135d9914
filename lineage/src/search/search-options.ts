// What the global search offers for an answer of GET /api/search: one option per hit, grouped by
// kind (assets, runs, materializations, plans), each with the route it opens.
import type { SearchResult } from '../api/types.js';
import { timeAgo } from '../format.js';
import { routes } from '../router.js';

/** One choice of the palette. */
export interface SearchOption {
  readonly kind: 'asset' | 'run' | 'materialization' | 'plan';
  readonly label: string;
  readonly detail: string;
  /** The hash route it opens. */
  readonly route: string;
}

/** The options of a result, assets first. */
export function searchOptions(result: SearchResult): SearchOption[] {
  return [
    ...result.assets.map((hit): SearchOption => ({
      kind: 'asset',
      label: hit.key,
      detail: `group ${hit.group}`,
      route: routes.asset(hit.key),
    })),
    ...result.runs.map((hit): SearchOption => ({
      kind: 'run',
      label: `Run ${hit.runId}`,
      detail: `${hit.status} · ${hit.selection} · ${timeAgo(hit.createdAt)}`,
      route: routes.run(hit.runId),
    })),
    ...result.materializations.map((hit): SearchOption => ({
      kind: 'materialization',
      label: `Materialization ${hit.materializationId}`,
      detail: `${hit.partition === null ? hit.assetKey : `${hit.assetKey}[${hit.partition}]`} · ${timeAgo(hit.finishedAt)}`,
      route: routes.materialization(hit.materializationId),
    })),
    ...result.plans.map((hit): SearchOption => ({
      kind: 'plan',
      label: hit.title,
      detail: `${hit.id} · ${hit.state}`,
      route: routes.plan(hit.id),
    })),
  ];
}

/** The heading of a kind's options. */
export const KIND_HEADINGS: Record<SearchOption['kind'], string> = {
  asset: 'Assets',
  run: 'Runs',
  materialization: 'Materializations',
  plan: 'Plans',
};
