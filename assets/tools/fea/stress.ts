// Stress recovery from the nodal displacements: sigma = D B ue at the 3x3 Gauss points of every
// element (the most accurate points), and at the element nodes averaged over the elements that
// share a node (a smooth nodal field for plots and surface fibres).
import { elementCoordinates, elementDofs } from './assembly.js';
import { ELEMENT_DOFS, stressAt, vonMises } from './element.js';
import type { Mesh } from './mesh.js';
import { GAUSS_3X3, Q8_ETA, Q8_XI } from './shape-q8.js';

/** A plane-stress state (Pa) with its von Mises equivalent. */
export interface StressState {
  readonly sxx: number;
  readonly syy: number;
  readonly txy: number;
  readonly vonMises: number;
}

/** The stress at one Gauss point, with its element and global coordinates. */
export interface GaussPointStress extends StressState {
  readonly element: number;
  readonly x: number;
  readonly y: number;
}

/** Element displacement vector ue gathered from the global displacements. */
function gather(element: readonly number[], u: Float64Array): Float64Array {
  const dofs = elementDofs(element);
  const ue = new Float64Array(ELEMENT_DOFS);
  for (let a = 0; a < ELEMENT_DOFS; a++) ue[a] = u[dofs[a] as number] as number;
  return ue;
}

/** Stresses at every Gauss point (element by element, 9 each) and nodal-averaged stresses. */
export function recoverStresses(
  mesh: Mesh,
  d: Float64Array,
  u: Float64Array,
): { gauss: GaussPointStress[]; nodal: StressState[] } {
  const gauss: GaussPointStress[] = [];
  const sum = new Float64Array(3 * mesh.nodes.length);
  const count = new Uint16Array(mesh.nodes.length);
  mesh.elements.forEach((element, e) => {
    const { xs, ys } = elementCoordinates(mesh, element);
    const ue = gather(element, u);
    for (const gp of GAUSS_3X3) {
      const s = stressAt(xs, ys, d, ue, gp.xi, gp.eta);
      gauss.push({ element: e, ...s, vonMises: vonMises(s.sxx, s.syy, s.txy) });
    }
    element.forEach((node, i) => {
      const s = stressAt(xs, ys, d, ue, Q8_XI[i] as number, Q8_ETA[i] as number);
      sum[3 * node] = (sum[3 * node] as number) + s.sxx;
      sum[3 * node + 1] = (sum[3 * node + 1] as number) + s.syy;
      sum[3 * node + 2] = (sum[3 * node + 2] as number) + s.txy;
      count[node] = (count[node] as number) + 1;
    });
  });
  const nodal = mesh.nodes.map((_, node): StressState => {
    const c = Math.max(1, count[node] as number);
    const sxx = (sum[3 * node] as number) / c;
    const syy = (sum[3 * node + 1] as number) / c;
    const txy = (sum[3 * node + 2] as number) / c;
    return { sxx, syy, txy, vonMises: vonMises(sxx, syy, txy) };
  });
  return { gauss, nodal };
}
