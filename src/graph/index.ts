// The face of graph/: the resolved asset graph, its layered layout and the selection syntax.
export { AssetGraph, buildAssetGraph, type AssetNode } from './asset-graph.js';
export {
  BARYCENTER_SWEEPS,
  computeLayeredLayout,
  layeredLayout,
  type LayeredLayout,
  type LayoutPosition,
} from './layered-layout.js';
export { SelectionError, type SelectionLocation } from './selection-error.js';
export {
  parseSelection,
  type ParsedSelection,
  type SelectionTarget,
  type SelectionTerm,
} from './selection-parser.js';
export { resolveParsedSelection, resolveSelection, type ResolvedSelection } from './selection.js';
export {
  dependencyPartitions,
  isFanInMapping,
  producersOf,
  type PartitionSetView,
  formatAssetPartition,
  UNPARTITIONED,
} from './dependency-partitions.js';
