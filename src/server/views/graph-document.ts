// The last document of GET /api/graph, kept while what it says holds: the same status report
// (the snapshot did not evaluate again) and the same live run state. Then neither the summaries
// nor the columns nor the ETag's hash are computed again, and the document is the same text, its
// time of evaluation included (when those statuses were evaluated), so its gzip can be kept too.
// A graph with a freshness policy is rendered every time (freshness moves with the clock); its
// ETag hashes the document without that time, which changes every request.
import type { AssetGraph } from '../../graph/index.js';
import { summarizeAssets, type ActivityReport, type StatusReport } from '../../planner/index.js';
import { etagOf } from '../conditional-json.js';
import { graphColumnsJson } from './graph-columns.js';

/** A rendered document: its text and ETag. */
export interface GraphDocument {
  readonly json: string;
  readonly etag: string;
}

/** Live run state as a comparable string. */
function activityKey(activity: ActivityReport): string {
  const parts: string[] = [];
  for (const [key, partitions] of activity)
    for (const [partition, flags] of partitions)
      parts.push(`${key}\u0000${partition}\u0000${flags.running ? 1 : 0}${flags.failed ? 1 : 0}`);
  return parts.join('\u0001');
}

/** Renders GET /api/graph for one graph, reusing the last document while it holds. */
export class GraphDocuments {
  readonly #graph: AssetGraph;
  readonly #timeless: boolean;
  #last:
    | { statuses: StatusReport['statuses']; activity: string; json: string; etag: string }
    | undefined;

  constructor(graph: AssetGraph) {
    this.#graph = graph;
    this.#timeless = graph.order.every((key) => graph.node(key).definition.freshness === undefined);
  }

  /** The document of `report` (with its time of evaluation) and `activity`. */
  render(report: StatusReport, activity: ActivityReport): GraphDocument {
    const graph = this.#graph;
    const active = activityKey(activity);
    const last = this.#last;
    if (
      this.#timeless &&
      last !== undefined &&
      last.statuses === report.statuses &&
      last.activity === active
    )
      return last;
    const { assets, totals } = summarizeAssets(report, graph.order, { activity });
    const versioned = graphColumnsJson(graph, assets, totals);
    const etag = etagOf(versioned);
    const json = `{"evaluatedAt":${JSON.stringify(report.evaluatedAt)},${versioned}`;
    this.#last = { statuses: report.statuses, activity: active, json, etag };
    return { json, etag };
  }
}
