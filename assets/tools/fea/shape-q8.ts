// The 8-node serendipity quadrilateral (Q8) in natural coordinates (xi, eta) in [-1, 1]^2, and
// the Gauss-Legendre rules used to integrate over it (Zienkiewicz & Taylor, The Finite Element
// Method, vol. 1, sections 6.4 and 6.9; Cook et al., Concepts and Applications of FEA, 6.6).
//
// Node order: corners 1-4 counter-clockwise from (-1,-1), then midsides 5 (0,-1), 6 (1,0),
// 7 (0,1), 8 (-1,0). Shape functions:
//   corners  (xi_i, eta_i = +-1): N_i = 1/4 (1 + xi xi_i)(1 + eta eta_i)(xi xi_i + eta eta_i - 1)
//   midsides (xi_i = 0):          N_i = 1/2 (1 - xi^2)(1 + eta eta_i)
//   midsides (eta_i = 0):         N_i = 1/2 (1 + xi xi_i)(1 - eta^2)

/** Natural coordinates of the 8 nodes, in element node order. */
export const Q8_XI = [-1, 1, 1, -1, 0, 1, 0, -1] as const;
export const Q8_ETA = [-1, -1, 1, 1, -1, 0, 1, 0] as const;

/** Shape function values N and derivatives dN/dxi, dN/deta at one natural point. */
export interface ShapeAt {
  readonly n: Float64Array;
  readonly dXi: Float64Array;
  readonly dEta: Float64Array;
}

/** Evaluates the 8 Q8 shape functions and their natural derivatives at (xi, eta). */
export function q8Shape(xi: number, eta: number): ShapeAt {
  const n = new Float64Array(8);
  const dXi = new Float64Array(8);
  const dEta = new Float64Array(8);
  for (let i = 0; i < 8; i++) {
    const xiI = Q8_XI[i] as number;
    const etaI = Q8_ETA[i] as number;
    if (i < 4) {
      const a = 1 + xi * xiI;
      const b = 1 + eta * etaI;
      n[i] = 0.25 * a * b * (xi * xiI + eta * etaI - 1);
      dXi[i] = 0.25 * xiI * b * (2 * xi * xiI + eta * etaI);
      dEta[i] = 0.25 * etaI * a * (xi * xiI + 2 * eta * etaI);
    } else if (xiI === 0) {
      n[i] = 0.5 * (1 - xi * xi) * (1 + eta * etaI);
      dXi[i] = -xi * (1 + eta * etaI);
      dEta[i] = 0.5 * etaI * (1 - xi * xi);
    } else {
      n[i] = 0.5 * (1 + xi * xiI) * (1 - eta * eta);
      dXi[i] = 0.5 * xiI * (1 - eta * eta);
      dEta[i] = -eta * (1 + xi * xiI);
    }
  }
  return { n, dXi, dEta };
}

/** sqrt(3/5): the outer abscissa of 3-point Gauss-Legendre quadrature on [-1, 1]. */
const G3 = Math.sqrt(3 / 5);

/**
 * 3-point Gauss-Legendre rule: abscissae 0, +-sqrt(3/5), weights 8/9, 5/9. Exact for
 * polynomials up to degree 5, enough for the Q8 stiffness of a rectangle (degree 4 per
 * direction) and for a parabolic traction times a quadratic edge shape function (degree 4).
 */
export const GAUSS_3: readonly { readonly s: number; readonly w: number }[] = [
  { s: -G3, w: 5 / 9 },
  { s: 0, w: 8 / 9 },
  { s: G3, w: 5 / 9 },
];

/** A point of the 3x3 tensor-product rule over the square, with its weight. */
export interface GaussPoint {
  readonly xi: number;
  readonly eta: number;
  readonly w: number;
}

/** The 3x3 Gauss rule over [-1, 1]^2 (9 points), xi varying fastest. */
export const GAUSS_3X3: readonly GaussPoint[] = GAUSS_3.flatMap((b) =>
  GAUSS_3.map((a) => ({ xi: a.s, eta: b.s, w: a.w * b.w })),
);

/**
 * 1D quadratic shape functions on an element edge, s in [-1, 1], nodes at s = -1, 0, 1:
 * N1 = s (s - 1) / 2, N2 = 1 - s^2, N3 = s (s + 1) / 2 (the trace of Q8 on that edge).
 */
export function edgeShape(s: number): [number, number, number] {
  return [0.5 * s * (s - 1), 1 - s * s, 0.5 * s * (s + 1)];
}
