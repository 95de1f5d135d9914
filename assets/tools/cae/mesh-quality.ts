// Mesh quality as Gmsh measures it, parsed from what it prints (never computed here): the
// AnalyseMeshQuality plugin's summary lines, e.g.
//   Info    : minJ/maxJ =    0.973,    0.999,        1 (worst, avg, best)
//   Info    : ICN       =    0.817,    0.973,        1 (worst, avg, best)
// minJ/maxJ is the scaled Jacobian of a curved (second-order) element: the smallest over the
// largest determinant of its Jacobian, 1 for an undistorted element, <= 0 for an inverted one.
// ICN is the inverse condition number of the element's shape (1 for the ideal shape).

/** The quality of a mesh, worst and average over its elements. */
export interface MeshQuality {
  /** Elements of the dimension checked (the 2D elements). */
  readonly elements: number;
  readonly minScaledJacobian: number;
  readonly avgScaledJacobian: number;
  readonly minInverseConditionNumber: number;
  readonly avgInverseConditionNumber: number;
}

const NUMBER = '([-+0-9.eE]+)';
const SUMMARY = (name: string) =>
  new RegExp(`${name}\\s*=\\s*${NUMBER},\\s*${NUMBER},\\s*${NUMBER}\\s*\\(worst, avg, best\\)`);

/** Parses the plugin's summary from Gmsh's output; throws when the summary is not there. */
export function parseMeshQuality(output: string): MeshQuality {
  const jacobian = output.match(SUMMARY('minJ/maxJ'));
  const icn = output.match(SUMMARY('ICN'));
  const checked = [...output.matchAll(/checking the Jacobian of (\d+) elements/g)];
  if (!jacobian || !icn || checked.length === 0) {
    throw new Error('gmsh printed no mesh-quality summary (AnalyseMeshQuality) to parse');
  }
  return {
    elements: checked.reduce((sum, m) => sum + Number(m[1]), 0),
    minScaledJacobian: Number(jacobian[1]),
    avgScaledJacobian: Number(jacobian[2]),
    minInverseConditionNumber: Number(icn[1]),
    avgInverseConditionNumber: Number(icn[2]),
  };
}
