// Boundary conditions and loads placed by coordinates on a second-order plane mesh: the nodes on
// a line, and the consistent nodal forces of a traction over the element edges on a line (the
// forces that do the same virtual work as the distributed traction, integrated with 3-point
// Gauss over each quadratic edge: exact for a traction up to quadratic on a straight edge).
import type { PlaneMesh, Point } from './abaqus-mesh.js';

/** A traction (force per area, MPa) at a point. */
export type Traction = (p: Point) => { readonly tx: number; readonly ty: number };

/** A nodal force (N). */
export interface NodalForce {
  readonly node: number;
  readonly fx: number;
  readonly fy: number;
}

const GAUSS_3 = [
  { s: -Math.sqrt(3 / 5), w: 5 / 9 },
  { s: 0, w: 8 / 9 },
  { s: Math.sqrt(3 / 5), w: 5 / 9 },
] as const;

/** Ids of the nodes where `on` holds, ascending. */
export function nodesWhere(mesh: PlaneMesh, on: (p: Point) => boolean): number[] {
  return [...mesh.nodes]
    .filter(([, p]) => on(p))
    .map(([id]) => id)
    .sort((a, b) => a - b);
}

/** The quadratic edges of the elements, each [corner, midside, corner]. */
export function quadraticEdges(mesh: PlaneMesh): [number, number, number][] {
  const corners = mesh.elementType === 'CPS6' ? 3 : mesh.elementType === 'CPS8' ? 4 : 0;
  if (corners === 0) throw new Error(`no quadratic edges for element type ${mesh.elementType}`);
  return mesh.elements.flatMap(({ nodes }) =>
    Array.from({ length: corners }, (_, i): [number, number, number] => [
      nodes[i]!,
      nodes[corners + i]!,
      nodes[(i + 1) % corners]!,
    ]),
  );
}

/**
 * Consistent nodal forces of `traction` (MPa) on a plate of thickness `thicknessMm` over every
 * element edge whose three nodes lie where `on` holds (a boundary line). Throws when no edge does.
 */
export function edgeLoads(
  mesh: PlaneMesh,
  on: (p: Point) => boolean,
  traction: Traction,
  thicknessMm: number,
): NodalForce[] {
  const forces = new Map<number, { fx: number; fy: number }>();
  const point = (id: number): Point => {
    const p = mesh.nodes.get(id);
    if (p === undefined) throw new Error(`element refers to missing node ${id}`);
    return p;
  };
  const edges = quadraticEdges(mesh).filter((edge) => edge.every((id) => on(point(id))));
  if (edges.length === 0) throw new Error('no element edge lies on the loaded boundary');
  for (const edge of edges) {
    const [a, m, b] = edge.map(point) as [Point, Point, Point];
    for (const { s, w } of GAUSS_3) {
      const shape = [(s * (s - 1)) / 2, 1 - s * s, (s * (s + 1)) / 2] as const;
      const x = shape[0] * a.x + shape[1] * m.x + shape[2] * b.x;
      const y = shape[0] * a.y + shape[1] * m.y + shape[2] * b.y;
      const dx = (s - 0.5) * a.x - 2 * s * m.x + (s + 0.5) * b.x;
      const dy = (s - 0.5) * a.y - 2 * s * m.y + (s + 0.5) * b.y;
      const jacobian = Math.hypot(dx, dy);
      const { tx, ty } = traction({ x, y });
      edge.forEach((node, i) => {
        const f = forces.get(node) ?? { fx: 0, fy: 0 };
        const weight = shape[i]! * jacobian * w * thicknessMm;
        forces.set(node, { fx: f.fx + tx * weight, fy: f.fy + ty * weight });
      });
    }
  }
  return [...forces].map(([node, f]) => ({ node, ...f })).sort((p, q) => p.node - q.node);
}

/** `|a - b| <= tolerance`, for matching coordinates read back from a mesh file. */
export function near(a: number, b: number, tolerance: number): boolean {
  return Math.abs(a - b) <= tolerance;
}
