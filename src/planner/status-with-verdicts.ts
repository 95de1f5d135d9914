// Statuses with the verdicts of the checks of the assets asked for: what `strata status`,
// `strata why` and their MCP tools show (the verdicts are read only when an asset has checks).
import type { Kysely } from 'kysely';
import type { AssetKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { loadLatestCheckResults, type CheckResultIndex } from '../provenance/index.js';
import type { Database } from '../store/index.js';
import type { ResolvedSelection } from '../graph/index.js';
import { computeStatus, type StatusOptions, type StatusReport } from './compute-status.js';

/** The statuses of `keys` (and upstream) and their checks' verdicts on latest materializations. */
export async function statusWithVerdicts(
  db: Kysely<Database>,
  graph: AssetGraph,
  keys: readonly AssetKey[],
  now: Date,
  options: StatusOptions = {},
): Promise<{ report: StatusReport; verdicts: CheckResultIndex | undefined }> {
  const checked = keys.filter((key) => graph.checksOf(key).length > 0);
  const [report, verdicts] = await Promise.all([
    computeStatus(db, graph, keys, now, options),
    checked.length === 0 ? undefined : loadLatestCheckResults(db, checked),
  ]);
  return { report, verdicts };
}

/**
 * The assets of a selection that a summary may count instead of list (StatusOptions.bulk):
 * those without a partition restriction.
 */
export function countableAssets(selection: ResolvedSelection): AssetKey[] {
  return selection.keys.filter((key) => !selection.partitions.has(key));
}
