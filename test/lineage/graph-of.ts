// Test support: a small graph document from nodes placed by hand (key, group, layer, row) and
// edges between their keys, every status missing, for the graph's layout and routing tests.
import type { GraphAsset, GraphDocument } from '../../lineage/src/graph/graph-data.js';

/** A graph of nodes (key, group, layer, row) and edges, with every status missing. */
export function graphOf(
  nodes: readonly [string, string, number, number][],
  edges: readonly [string, string][],
): GraphDocument {
  const index = new Map(nodes.map(([key], i) => [key, i]));
  return {
    nodes: nodes.map(
      ([key, group, layer, row]) =>
        ({
          key,
          group,
          layout: { layer, row },
          source: false,
          automation: null,
          status: { state: 'missing', freshness: null },
        }) as unknown as GraphAsset,
    ),
    edges: edges.map(([from, to]) => ({
      from: index.get(from)!,
      to: index.get(to)!,
      partitions: false,
    })),
  } as unknown as GraphDocument;
}
