// Post-processing of a solve into the quantities the study uses: tip deflection, stresses and
// their maxima away from the singular root, root reactions (equilibrium), mass, safety factor.
import type { Equations } from './assembly.js';
import type { Material } from './materials.js';
import type { Mesh } from './mesh.js';
import type { GaussPointStress, StressState } from './stress.js';

/**
 * Length of the root zone left out of the maximum von Mises stress, in section heights: the
 * clamped corners are stress singularities (the raw maximum grows without bound under mesh
 * refinement), and by Saint-Venant's principle the clamp's local disturbance decays within
 * about one height. Capped at L/2 for stubby beams.
 */
export const ROOT_ZONE_HEIGHTS = 1;

/** The span fraction [lo, hi] over which the bending stress is compared with beam theory. */
export const BENDING_WINDOW = [0.25, 0.75] as const;

/** Everything a solve produces. Displacements in m, stresses in Pa, y up, load along -y. */
export interface FeaResult {
  readonly meshId: string;
  readonly geometryId: string;
  readonly material: string;
  readonly tipLoadN: number;
  readonly equations: number;
  readonly halfBandwidth: number;
  /** Nodal displacements [u0, v0, u1, v1, ...] (m). */
  readonly displacements: number[];
  readonly gaussStresses: GaussPointStress[];
  /** Stresses at the nodes, averaged over the elements sharing each node. */
  readonly nodalStresses: StressState[];
  /** Deflection of the tip mid-height node, positive in the load direction (down). */
  readonly tipDeflectionM: number;
  /** Deflection averaged over the tip edge (integral mean), positive down. */
  readonly tipDeflectionMeanM: number;
  /** Largest nodal-averaged von Mises stress at nodes with x >= rootZoneM, and where. */
  readonly maxVonMises: { readonly valuePa: number; readonly x: number; readonly y: number };
  readonly rootZoneM: number;
  /** Largest nodal von Mises stress, root included: singular, grows with refinement (info). */
  readonly maxVonMisesIncludingRootPa: number;
  /** Nodal sxx at mid-span (x = L/2) on the top (tension) and bottom (compression) fibres. */
  readonly midSpanBendingStress: { readonly topPa: number; readonly bottomPa: number };
  /** Largest nodal |sxx| with x in BENDING_WINDOW * L, and where. */
  readonly maxBendingStress: { readonly valuePa: number; readonly x: number; readonly y: number };
  /** Sum of the root reactions; moment about (0, 0), counter-clockwise positive. */
  readonly reactions: { readonly fxN: number; readonly fyN: number; readonly momentNm: number };
  /** Resultant of the applied nodal loads; moment about (0, 0). Equilibrium: it cancels reactions. */
  readonly appliedLoad: { readonly fxN: number; readonly fyN: number; readonly momentNm: number };
  readonly massKg: number;
  /** yield / maxVonMises.valuePa. */
  readonly safetyFactor: number;
}

/** What {@link summarize} needs from the solve. */
export interface SolveState {
  readonly mesh: Mesh;
  readonly material: Material;
  readonly tipLoadN: number;
  readonly restrained: readonly number[];
  readonly u: Float64Array;
  readonly f: Float64Array;
  readonly fInternal: Float64Array;
  readonly stresses: { gauss: GaussPointStress[]; nodal: StressState[] };
  readonly eqs: Equations;
  readonly bandwidth: number;
}

/** The node at (x, y), within a small tolerance; throws if there is none. */
export function findNode(mesh: Mesh, x: number, y: number): number {
  const tol = 1e-9 * Math.max(mesh.geometry.lengthM, mesh.geometry.heightM);
  const i = mesh.nodes.findIndex((p) => Math.abs(p.x - x) <= tol && Math.abs(p.y - y) <= tol);
  if (i < 0) throw new Error(`no mesh node at (${x}, ${y})`);
  return i;
}

/** Builds the {@link FeaResult} of a solve. */
export function summarize(s: SolveState): FeaResult {
  const { mesh, u } = s;
  const { lengthM: L, heightM: h, thicknessM: t } = mesh.geometry;
  const v = (node: number): number => u[2 * node + 1] as number;

  // Integral mean of v over the tip: Simpson weights 1/6, 4/6, 1/6 per quadratic edge.
  let meanV = 0;
  for (const [a, m, b] of mesh.tipEdges) {
    const dy = (mesh.nodes[b]?.y ?? 0) - (mesh.nodes[a]?.y ?? 0);
    meanV += (dy * (v(a) + 4 * v(m) + v(b))) / 6;
  }

  // Max von Mises from the nodal-averaged field: the nodes sit on the outer fibres, where the
  // bending stress peaks (Gauss points lie inside the element and under-read it by ~3% at the
  // default density).
  const rootZoneM = Math.min(ROOT_ZONE_HEIGHTS * h, L / 2);
  let maxVm = { valuePa: 0, x: 0, y: 0 };
  let maxVmAll = 0;
  mesh.nodes.forEach((p, node) => {
    const vm = s.stresses.nodal[node]?.vonMises ?? 0;
    maxVmAll = Math.max(maxVmAll, vm);
    if (p.x >= rootZoneM && vm > maxVm.valuePa) maxVm = { valuePa: vm, x: p.x, y: p.y };
  });

  let maxBending = { valuePa: 0, x: 0, y: 0 };
  mesh.nodes.forEach((p, node) => {
    if (p.x < BENDING_WINDOW[0] * L || p.x > BENDING_WINDOW[1] * L) return;
    const sxx = Math.abs(s.stresses.nodal[node]?.sxx ?? 0);
    if (sxx > maxBending.valuePa) maxBending = { valuePa: sxx, x: p.x, y: p.y };
  });
  const sxxAt = (x: number, y: number): number =>
    s.stresses.nodal[findNode(mesh, x, y)]?.sxx ?? NaN;

  // Reactions R = K u - f on the restrained DOFs (f is zero there unless loads were applied).
  let fxN = 0;
  let fyN = 0;
  let momentNm = 0;
  for (const node of s.restrained) {
    const rx = (s.fInternal[2 * node] as number) - (s.f[2 * node] as number);
    const ry = (s.fInternal[2 * node + 1] as number) - (s.f[2 * node + 1] as number);
    const p = mesh.nodes[node] ?? { x: 0, y: 0 };
    fxN += rx;
    fyN += ry;
    momentNm += p.x * ry - p.y * rx;
  }
  const applied = { fxN: 0, fyN: 0, momentNm: 0 };
  mesh.nodes.forEach((p, node) => {
    const fx = s.f[2 * node] as number;
    const fy = s.f[2 * node + 1] as number;
    applied.fxN += fx;
    applied.fyN += fy;
    applied.momentNm += p.x * fy - p.y * fx;
  });

  return {
    meshId: mesh.meshId,
    geometryId: mesh.geometryId,
    material: s.material.key,
    tipLoadN: s.tipLoadN,
    equations: s.eqs.count,
    halfBandwidth: s.bandwidth,
    displacements: Array.from(u),
    gaussStresses: s.stresses.gauss,
    nodalStresses: s.stresses.nodal,
    tipDeflectionM: -v(findNode(mesh, L, 0)),
    tipDeflectionMeanM: -meanV / h,
    maxVonMises: maxVm,
    rootZoneM,
    maxVonMisesIncludingRootPa: maxVmAll,
    midSpanBendingStress: { topPa: sxxAt(L / 2, h / 2), bottomPa: sxxAt(L / 2, -h / 2) },
    maxBendingStress: maxBending,
    reactions: { fxN, fyN, momentNm },
    appliedLoad: applied,
    massKg: s.material.densityKgM3 * L * h * t,
    safetyFactor: s.material.yieldStrengthPa / maxVm.valuePa,
  };
}
