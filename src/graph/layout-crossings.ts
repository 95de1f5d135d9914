// Counts the edge crossings of a layered ordering, to keep the best ordering the barycenter
// sweeps find. Only edges between adjacent layers are counted (the classic measure; longer edges
// have no single place to cross), in O(E log V) by counting inversions with a Fenwick tree.
import type { Neighbours } from './layered-layout.js';

/** Crossings between edges that join adjacent layers, given each node's layer and row. */
export function countLayerCrossings(
  layers: readonly (readonly number[])[],
  layerOf: Int32Array,
  rows: Float64Array,
  outgoing: Neighbours,
): number {
  let crossings = 0;
  for (let index = 0; index + 1 < layers.length; index++) {
    // Edge ends in the next layer, sorted by (source row, target row): every pair out of order
    // in the target rows is a crossing.
    const targets: number[] = [];
    for (const node of layers[index]!) {
      const first = targets.length;
      for (let e = outgoing.start[node]!; e < outgoing.start[node + 1]!; e++) {
        const next = outgoing.list[e]!;
        if (layerOf[next] === index + 1) targets.push(rows[next]!);
      }
      if (targets.length - first > 1) sortTail(targets, first);
    }
    crossings += inversions(targets, layers[index + 1]!.length);
  }
  return crossings;
}

function sortTail(values: number[], from: number): void {
  const tail = values.splice(from).sort((a, b) => a - b);
  for (const value of tail) values.push(value);
}

/** Pairs i < j with values[i] > values[j]; values are integers in [0, size). */
function inversions(values: readonly number[], size: number): number {
  const tree = new Int32Array(size + 1);
  let count = 0;
  for (let seen = 0; seen < values.length; seen++) {
    const value = values[seen]!;
    let notGreater = 0;
    for (let i = value + 1; i > 0; i -= i & -i) notGreater += tree[i]!;
    count += seen - notGreater;
    for (let i = value + 1; i <= size; i += i & -i) tree[i]!++;
  }
  return count;
}
