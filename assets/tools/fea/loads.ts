// The tip load: a total shear force P acting downward (-y) at x = L, distributed over the
// section as the parabolic shear traction of Timoshenko's elasticity solution of the end-loaded
// cantilever (Timoshenko & Goodier, Theory of Elasticity, section 21):
//   tau_xy(y) = (3 P / (2 A)) (1 - 4 y^2 / h^2),  A = t h,  y in [-h/2, h/2],
// i.e. a line load q(y) = t tau_xy = (3 P / (2 h)) (1 - 4 y^2 / h^2) integrating to P. Consistent
// nodal loads f_i = integral of N_i(s) q(y(s)) |dy/ds| ds over each quadratic tip edge, by
// 3-point Gauss (exact: the integrand is a degree-4 polynomial in s).
import { GAUSS_3, edgeShape } from './shape-q8.js';
import type { Mesh } from './mesh.js';

/** Global load vector (2 entries per node) of the parabolic tip shear, total P downward. */
export function tipShearLoads(mesh: Mesh, tipLoadN: number): Float64Array {
  const f = new Float64Array(2 * mesh.nodes.length);
  const h = mesh.geometry.heightM;
  for (const edge of mesh.tipEdges) {
    const ys = edge.map((node) => {
      const p = mesh.nodes[node];
      if (!p) throw new Error(`tip edge refers to missing node ${node}`);
      return p.y;
    });
    for (const { s, w } of GAUSS_3) {
      const shape = edgeShape(s);
      // y(s) = sum N_i y_i; dy/ds = sum dN_i/ds y_i with dN/ds = [s - 1/2, -2 s, s + 1/2].
      const y = shape.reduce((acc, ni, i) => acc + ni * (ys[i] as number), 0);
      const dyds =
        (s - 0.5) * (ys[0] as number) - 2 * s * (ys[1] as number) + (s + 0.5) * (ys[2] as number);
      const q = ((3 * tipLoadN) / (2 * h)) * (1 - (4 * y * y) / (h * h));
      edge.forEach((node, i) => {
        f[2 * node + 1] =
          (f[2 * node + 1] as number) - (shape[i] as number) * q * Math.abs(dyds) * w;
      });
    }
  }
  return f;
}
