// "Materialize N assets" of the catalog: the launch request that names exactly the assets shown.
// Without facets the selection text itself is sent (the server resolves it as the CLI would,
// partition restrictions included); with facets, the keys shown (a restricted key keeps its
// `key[p1,p2]`). POST /api/runs takes selections up to 10,000 characters: a longer list is
// refused here with what to do instead.
import type { AssetNode } from '../api/types.js';
import type { LaunchRequest } from '../components/materialize.js';
import { hasFacet, type CatalogQuery } from './catalog-query.js';

/** The longest selection POST /api/runs accepts. */
const MAX_SELECTION_LENGTH = 10_000;

/** The request, or why there is none (a sentence). */
export function catalogLaunch(
  query: CatalogQuery,
  rows: readonly AssetNode[],
  partitions: Readonly<Record<string, readonly string[]>>,
): LaunchRequest | string {
  if (rows.length === 0) return 'Nothing to materialize: no asset is shown.';
  if (rows.every((node) => node.source !== null))
    return 'Nothing to compute: the assets shown are source assets, observed and never computed.';
  if (!hasFacet(query)) return query.select === undefined ? {} : { selection: query.select };
  const selection = rows
    .map((node) => {
      const restricted = partitions[node.key];
      return restricted === undefined ? node.key : `${node.key}[${restricted.join(',')}]`;
    })
    .join(',');
  if (selection.length > MAX_SELECTION_LENGTH)
    return (
      `Too many assets to name in one run (${rows.length.toLocaleString()}): narrow the ` +
      'filters, or express the set in the selection box alone (its text is sent as it is).'
    );
  return { selection };
}
