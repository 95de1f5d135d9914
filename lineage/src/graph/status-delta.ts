// Live statuses of the graph page by delta: each run progress message names a run; the statuses
// that run can change (its assets and what is downstream of them) are read from
// GET /api/asset-statuses and patched into the graph document (lineage/src/graph/graph-data.ts),
// instead of fetching the whole graph again. Bursts of messages are throttled, and each run is asked for once per burst.
import { getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { AssetStatuses } from '../api/types.js';
import type { GraphDocument } from './graph-data.js';
import type { PageContext } from '../page.js';

/** How often statuses are read at most while runs progress. */
const DELTA_INTERVAL_MS = 500;

/** The graph with the statuses of `delta` in place of those it had (a new document). */
export function patchStatuses(graph: GraphDocument, delta: AssetStatuses): GraphDocument {
  const byKey = new Map(delta.items.map((item) => [item.key, item.status]));
  if (byKey.size === 0) return graph;
  return {
    ...graph,
    evaluatedAt: delta.evaluatedAt,
    nodes: graph.nodes.map((node) => {
      const status = byKey.get(node.key);
      return status === undefined ? node : { ...node, status };
    }),
  };
}

/**
 * Follows run progress: `current()` is the graph shown, `show` gets it patched. Returns the
 * function that stops following.
 */
export function followStatuses(
  context: Pick<PageContext, 'live' | 'signal'>,
  current: () => GraphDocument | undefined,
  show: (graph: GraphDocument) => void,
): () => void {
  const runs = new Set<number>();
  const update = throttled(async () => {
    const pending = [...runs];
    runs.clear();
    for (const run of pending) {
      const delta = await getJson<AssetStatuses>('/api/asset-statuses', { run }, context.signal);
      const graph = current();
      if (graph !== undefined && !context.signal.aborted) show(patchStatuses(graph, delta));
    }
  }, DELTA_INTERVAL_MS);
  return context.live.subscribe((progress) => {
    runs.add(progress.runId);
    update();
  });
}
