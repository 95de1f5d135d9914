// Writes a CalculiX input deck (Abaqus syntax) for a linear static plane-stress analysis: the
// mesh's nodes and elements inline (the deck is self-contained: it is what a run is submitted
// with, and the artifact a person re-runs), the material (*ELASTIC), the section thickness,
// *BOUNDARY on node sets, *CLOAD nodal forces, and the output requests: displacements and
// integration-point stresses in the `.dat` (*NODE PRINT, *EL PRINT), displacements and nodal
// stresses in the `.frd` (*NODE FILE, *EL FILE). Units: mm, N, MPa.
import type { PlaneMesh } from './abaqus-mesh.js';
import type { NodalForce } from './edge-loads.js';

/** A linear-elastic isotropic material. */
export interface ElasticMaterial {
  readonly name: string;
  readonly youngsModulusMpa: number;
  readonly poissonRatio: number;
}

/** Degrees of freedom fixed at a set of nodes (1 = x, 2 = y). */
export interface Restraint {
  readonly name: string;
  readonly nodes: readonly number[];
  readonly dofs: readonly (1 | 2)[];
}

/** Everything a deck says. */
export interface DeckInput {
  readonly title: string;
  readonly mesh: PlaneMesh;
  readonly material: ElasticMaterial;
  readonly thicknessMm: number;
  readonly restraints: readonly Restraint[];
  readonly forces: readonly NodalForce[];
}

/** Entries per data line of a set (Abaqus allows 16). */
const PER_LINE = 8;

/** The deck's text. */
export function calculixDeck(input: DeckInput): string {
  const { mesh, material } = input;
  const lines: string[] = ['*HEADING', input.title.replace(/\n/g, ' ')];
  lines.push('*NODE, NSET=NALL');
  for (const [id, p] of mesh.nodes) lines.push(`${id}, ${p.x}, ${p.y}`);
  lines.push(`*ELEMENT, TYPE=${mesh.elementType}, ELSET=EALL`);
  for (const e of mesh.elements) lines.push([e.id, ...e.nodes].join(', '));
  for (const r of input.restraints) {
    if (r.nodes.length === 0) throw new Error(`restraint ${r.name} holds no node`);
    lines.push(`*NSET, NSET=${r.name}`, ...chunks(r.nodes));
  }
  lines.push(
    `*MATERIAL, NAME=${material.name}`,
    '*ELASTIC',
    `${material.youngsModulusMpa}, ${material.poissonRatio}`,
    `*SOLID SECTION, ELSET=EALL, MATERIAL=${material.name}`,
    `${input.thicknessMm}`,
    '*STEP',
    '*STATIC',
    '*BOUNDARY',
  );
  for (const r of input.restraints)
    for (const dof of r.dofs) lines.push(`${r.name}, ${dof}, ${dof}`);
  lines.push('*CLOAD');
  for (const f of input.forces) {
    if (f.fx !== 0) lines.push(`${f.node}, 1, ${f.fx}`);
    if (f.fy !== 0) lines.push(`${f.node}, 2, ${f.fy}`);
  }
  lines.push(
    '*NODE PRINT, NSET=NALL',
    'U',
    '*EL PRINT, ELSET=EALL',
    'S',
    '*NODE FILE',
    'U',
    '*EL FILE',
    'S',
    '*END STEP',
    '',
  );
  return lines.join('\n');
}

function chunks(ids: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += PER_LINE) out.push(ids.slice(i, i + PER_LINE).join(', '));
  return out;
}
