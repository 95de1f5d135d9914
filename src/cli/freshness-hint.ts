// What `strata daemon --once` adds to "nothing to do" when an automated asset fails its freshness
// policy: its automation ('eager', on a cron) rebuilds on new data or on schedule, never for age
// alone, so the daemon will not act on it; say so, and what would.
import type { AssetKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { computeStatus, statusDocument } from '../planner/index.js';
import type { Database } from '../store/index.js';
import type { Kysely } from 'kysely';

/** Lines naming each automated asset that fails its policy and that no automation will rebuild. */
export async function freshnessHints(
  db: Kysely<Database>,
  graph: AssetGraph,
  automated: readonly AssetKey[],
  now: Date,
): Promise<string[]> {
  const policed = automated.filter((key) => {
    const definition = graph.node(key).definition;
    return definition.freshness !== undefined && definition.automation?.kind !== 'freshness';
  });
  if (policed.length === 0) return [];
  const report = await computeStatus(db, graph, policed, now);
  const document = statusDocument(report, { keys: policed, partitions: new Map(), text: '' });
  return document.assets.flatMap((asset) => {
    if (asset.freshness?.state !== 'fail') return [];
    const kind = graph.node(asset.key).definition.automation!.kind;
    const where =
      asset.freshness.partition === null ? asset.key : `${asset.key}[${asset.freshness.partition}]`;
    return [
      `${where} fails its freshness policy (${asset.freshness.overdueBy ?? 'overdue'}), and its automation '${kind}' does not rebuild for age: ` +
        `run \`strata materialize ${asset.key}${asset.status === 'fresh' ? ' --force' : ''}\`, or declare automation: 'freshness'`,
    ];
  });
}
