// The graph page's document: GET /api/graph's columns decoded into one small object per asset
// (what cards, group boxes, the tooltip and the legend show) and edges between asset indexes.
// Live deltas (GET /api/asset-statuses) patch the statuses in place of the old ones.
import type { AssetStatus, GraphColumns, NodeState } from '../api/types.js';

/** What the canvas shows of an asset's status (a subset of GET /api/assets' AssetStatusSummary). */
export type GraphStatus = Pick<
  AssetStatus,
  | 'status'
  | 'state'
  | 'fresh'
  | 'stale'
  | 'missing'
  | 'blocked'
  | 'running'
  | 'failed'
  | 'total'
  | 'mainCause'
  | 'mainReason'
  | 'awaitingProducer'
  | 'freshness'
>;

/** One asset as the graph draws it. */
export interface GraphAsset {
  readonly key: string;
  readonly group: string;
  readonly partitioned: boolean;
  /** A source asset: observed, never computed. */
  readonly source: boolean;
  /** The kind of its automation policy, null without one. */
  readonly automation: string | null;
  readonly layout: { readonly layer: number; readonly row: number };
  readonly status: GraphStatus;
}

/** An edge between assets (indexes into `nodes`). */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  /** `from` produces the partition keys of `to` (and is not also its input). */
  readonly partitions: boolean;
}

/** The graph as the page holds it. */
export interface GraphDocument {
  readonly evaluatedAt: string;
  readonly nodes: readonly GraphAsset[];
  readonly edges: readonly GraphEdge[];
  readonly totals: GraphColumns['totals'];
}

/** Decodes the columns of GET /api/graph. */
export function decodeGraph(columns: GraphColumns): GraphDocument {
  const freshness = new Map(columns.freshness.map((entry) => [entry.asset, entry.freshness]));
  const nodes = columns.keys.map((key, i): GraphAsset => ({
    key,
    group: columns.groupNames[columns.group[i]!]!,
    partitioned: columns.partitioned[i] === 1,
    source: columns.source[i] === 1,
    automation:
      columns.automation[i]! < 0 ? null : columns.automationKinds[columns.automation[i]!]!,
    layout: { layer: columns.layer[i]!, row: columns.row[i]! },
    status: {
      status: columns.statusNames[columns.status[i]!] as AssetStatus['status'],
      state: columns.stateNames[columns.state[i]!] as NodeState,
      fresh: columns.fresh[i]!,
      stale: columns.stale[i]!,
      missing: columns.missing[i]!,
      blocked: columns.blocked[i]!,
      running: columns.running[i]!,
      failed: columns.failed[i]!,
      total: columns.total[i]!,
      mainCause:
        columns.mainCause[i]! < 0
          ? null
          : (columns.causeNames[columns.mainCause[i]!] as AssetStatus['mainCause']),
      mainReason: columns.mainReason[i]! < 0 ? null : columns.reasons[columns.mainReason[i]!]!,
      awaitingProducer:
        columns.awaitingProducer[i]! < 0 ? null : columns.keys[columns.awaitingProducer[i]!]!,
      freshness: freshness.get(i) ?? null,
    },
  }));
  const edges: GraphEdge[] = [];
  const pairs = (flat: readonly number[], partitions: boolean): void => {
    for (let i = 0; i + 1 < flat.length; i += 2)
      edges.push({ from: flat[i]!, to: flat[i + 1]!, partitions });
  };
  pairs(columns.edges, false);
  pairs(columns.producerEdges, true);
  return { evaluatedAt: columns.evaluatedAt, nodes, edges, totals: columns.totals };
}
