// Quantities of interest from a CalculiX result: the largest von Mises stress and displacement
// over the nodes, and the peak stress on a hole's edge (the nodes on the circle of the hole),
// each with the node and point where it occurs.
import type { NodeValues } from './ccx-results.js';

/** The nodal fields QoIs are taken from (a fetched run's, or parsed from its stored files). */
export interface NodalResults {
  readonly runId: string;
  /** x, y, z per node. */
  readonly coordinates: NodeValues;
  /** ux, uy, uz per node. */
  readonly displacements: NodeValues;
  /** sxx, syy, szz, sxy, syz, szx per node. */
  readonly stresses: NodeValues;
}

/** A value at a node. */
export interface NodalPeak {
  readonly value: number;
  readonly node: number;
  readonly x: number;
  readonly y: number;
}

/** von Mises equivalent stress of [sxx, syy, szz, sxy, syz, szx]. */
export function vonMises(s: readonly number[]): number {
  const [xx = 0, yy = 0, zz = 0, xy = 0, yz = 0, zx = 0] = s;
  return Math.sqrt(
    0.5 * ((xx - yy) ** 2 + (yy - zz) ** 2 + (zz - xx) ** 2) + 3 * (xy ** 2 + yz ** 2 + zx ** 2),
  );
}

/** The largest of `measure` over the nodes where `where` holds (every node by default). */
export function peak(
  result: NodalResults,
  field: 'stresses' | 'displacements',
  measure: (values: readonly number[]) => number,
  where: (x: number, y: number) => boolean = () => true,
): NodalPeak {
  let best: NodalPeak | undefined;
  for (const [node, values] of result[field]) {
    const [x = NaN, y = NaN] = result.coordinates.get(node) ?? [];
    if (!where(x, y)) continue;
    const value = measure(values);
    if (best === undefined || value > best.value) best = { value, node, x, y };
  }
  if (best === undefined) throw new Error(`no node of run ${result.runId} to take a peak over`);
  return best;
}

/** The plate study's quantities of interest (MPa, mm). */
export interface PlateQois {
  readonly maxVonMisesMpa: NodalPeak;
  readonly maxDisplacementMm: NodalPeak;
  /** The largest stress along the load (sxx) on the hole's edge. */
  readonly holeEdgePeakSxxMpa: NodalPeak;
}

/** Extracts the QoIs; the hole is the circle of radius `holeRadiusMm` about the origin. */
export function extractPlateQois(result: NodalResults, holeRadiusMm: number): PlateQois {
  const onHole = (x: number, y: number) =>
    Math.abs(Math.hypot(x, y) - holeRadiusMm) <= holeRadiusMm * 1e-4;
  return {
    maxVonMisesMpa: peak(result, 'stresses', vonMises),
    maxDisplacementMm: peak(result, 'displacements', (u) => Math.hypot(...u)),
    holeEdgePeakSxxMpa: peak(result, 'stresses', (s) => s[0] ?? NaN, onHole),
  };
}
