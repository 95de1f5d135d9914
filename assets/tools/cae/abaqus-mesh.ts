// Reads the nodes and elements of the Abaqus `.inp` mesh that Gmsh writes (`*NODE`, then one
// `*ELEMENT, type=CPS6` block per element type), the mesh the CalculiX deck includes, so that
// boundary conditions and loads can be placed by the nodes' coordinates.

/** A node's in-plane coordinates (mm). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A 2D second-order mesh: node ids to points, and elements of one type. */
export interface PlaneMesh {
  readonly nodes: ReadonlyMap<number, Point>;
  /** `CPS6` or `CPS8`. */
  readonly elementType: string;
  readonly elements: readonly { readonly id: number; readonly nodes: readonly number[] }[];
}

/** Parses Gmsh's `.inp`; throws when it holds no node, no element, or several element types. */
export function parseAbaqusMesh(text: string): PlaneMesh {
  const nodes = new Map<number, Point>();
  const elements: { id: number; nodes: number[] }[] = [];
  const types = new Set<string>();
  let block: 'node' | 'element' | 'other' = 'other';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('**')) continue;
    if (line.startsWith('*')) {
      const keyword = line.split(',')[0]!.trim().toUpperCase();
      block = keyword === '*NODE' ? 'node' : keyword === '*ELEMENT' ? 'element' : 'other';
      if (block === 'element') {
        const type = line.match(/type\s*=\s*(\w+)/i)?.[1]?.toUpperCase();
        if (type === undefined) throw new Error(`mesh .inp: *ELEMENT without a type: ${line}`);
        types.add(type);
      }
      continue;
    }
    const fields = line
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    if (block === 'node') {
      nodes.set(Number(fields[0]), { x: Number(fields[1]), y: Number(fields[2]) });
    } else if (block === 'element') {
      const [id, ...ids] = fields.map(Number);
      elements.push({ id: id!, nodes: ids });
    }
  }
  if (nodes.size === 0 || elements.length === 0) {
    throw new Error(`mesh .inp holds ${nodes.size} nodes and ${elements.length} elements`);
  }
  if (types.size !== 1) throw new Error(`mesh .inp mixes element types: ${[...types].join(', ')}`);
  return { nodes, elementType: [...types][0]!, elements };
}
