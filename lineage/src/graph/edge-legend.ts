// The graph legend's entry for edges: shown when the graph has partition-mapped edges (drawn
// dashed, between assets and between collapsed groups), it says what a dashed edge means — the
// upstream asset's value defines the downstream's partition keys (producedPartitions).
import { h } from '../dom.js';
import type { GraphDocument } from './graph-data.js';

/** The entry, or null when no edge maps partitions. */
export function edgeLegend(graph: GraphDocument): HTMLElement | null {
  const mapped = graph.edges.filter((edge) => edge.partitions).length;
  if (mapped === 0) return null;
  return h(
    'span',
    {
      class: 'legend-edge',
      title:
        `${mapped.toLocaleString('en-US')} dashed edge${mapped === 1 ? '' : 's'}: a partition ` +
        "mapping. The upstream asset's latest value lists the downstream's partition keys, e.g. " +
        'each design point of a study becomes a partition of the assets it feeds. Solid edges ' +
        'carry data.',
    },
    h('i', { 'aria-hidden': 'true' }),
    'dashed: partition mapping (the upstream lists the partitions)',
  );
}
