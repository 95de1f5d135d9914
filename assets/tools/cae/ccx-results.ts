// Parsers of CalculiX's result files:
// - `.dat` (*NODE PRINT U): displacements with 7 significant digits, the most precise output;
// - `.frd` (ASCII, *NODE FILE / *EL FILE): node coordinates, displacements, and stresses
//   extrapolated to the nodes and averaged between elements (the field a post-processor shows).
//   Records are fixed-width: ` -1` then the node number in 10 columns, then values in 12.
// The last block of a kind wins (the end of the last step).

/** Values per node id. */
export type NodeValues = ReadonlyMap<number, readonly number[]>;

/** What a `.frd` holds for a static step. */
export interface FrdResults {
  /** x, y, z of each node. */
  readonly coordinates: NodeValues;
  /** ux, uy, uz. */
  readonly displacements: NodeValues;
  /** sxx, syy, szz, sxy, syz, szx (CalculiX's order). */
  readonly stresses: NodeValues;
}

/** The displacements of the last `displacements (vx,vy,vz)` block of a `.dat`. */
export function parseDatDisplacements(dat: string): NodeValues {
  let found: Map<number, number[]> | undefined;
  let current: Map<number, number[]> | undefined;
  for (const line of dat.split('\n')) {
    if (/^\s*displacements \(vx,vy,vz\)/.test(line)) {
      current = new Map();
      found = current;
      continue;
    }
    if (current === undefined) continue;
    const fields = line.trim().split(/\s+/);
    if (line.trim() === '') {
      if (current.size > 0) current = undefined;
      continue;
    }
    if (!/^\d+$/.test(fields[0]!)) {
      current = undefined;
      continue;
    }
    current.set(Number(fields[0]), fields.slice(1).map(Number));
  }
  if (found === undefined) throw new Error('the .dat holds no displacements block');
  return found;
}

/** Parses the node coordinates and the DISP and STRESS blocks of an ASCII `.frd`. */
export function parseFrd(frd: string): FrdResults {
  const blocks = new Map<string, Map<number, number[]>>();
  let current: Map<number, number[]> | undefined;
  for (const line of frd.split('\n')) {
    if (/^\s+2C/.test(line)) {
      current = new Map();
      blocks.set('COORD', current);
    } else if (line.startsWith(' -4')) {
      const name = line.slice(3).trim().split(/\s+/)[0] ?? '';
      current = new Map();
      blocks.set(name, current);
    } else if (line.startsWith(' -1') && current) {
      const node = Number(line.slice(3, 13));
      const values: number[] = [];
      const end = line.trimEnd().length;
      for (let at = 13; at < end; at += 12) {
        values.push(Number(line.slice(at, at + 12)));
      }
      current.set(node, values);
    } else if (line.startsWith(' -3')) {
      current = undefined;
    }
  }
  const need = (name: string): Map<number, number[]> => {
    const block = blocks.get(name);
    if (block === undefined || block.size === 0) throw new Error(`the .frd holds no ${name} block`);
    return block;
  };
  return {
    coordinates: need('COORD'),
    displacements: need('DISP'),
    stresses: need('STRESS'),
  };
}
