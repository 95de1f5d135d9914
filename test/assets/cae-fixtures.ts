// Shared by the CAE tests (cae-*.test.ts): whether gmsh and ccx are installed (the tests skip,
// saying so, when they are not), a scratch directory per test file, the plate of the
// stress-concentration tests, and a structured grid of Q8 elements built without Gmsh, sized so
// that ccx runs for seconds (long enough to kill its caller mid-solve).
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  STEEL,
  calculixDeck,
  findProgram,
  type CaeProgram,
  type PlaneMesh,
  type PlateWithHole,
} from '../../assets/tools/cae/index.js';

/** The CAE programs missing from PATH. */
export const MISSING_PROGRAMS: readonly CaeProgram[] = (['gmsh', 'ccx'] as const).filter(
  (program) => findProgram(program) === undefined,
);

/** Prints why `what` is skipped when a program is missing, and says whether it is. */
export function skipWithoutCae(what: string): boolean {
  if (MISSING_PROGRAMS.length === 0) return false;
  console.warn(
    `skipping ${what}: ${MISSING_PROGRAMS.join(' and ')} not on PATH ` +
      '(Debian/Ubuntu: apt-get install gmsh calculix-ccx; see the README, "CAE tools")',
  );
  return true;
}

/** A fresh scratch directory under the system's temporary directory, and its removal. */
export async function scratch(name: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `strata-${name}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The plate of the stress-concentration tests: d/W = 0.2, long enough (L = 3W) that its ends are
 * 1.5 W from the hole, where the hole's disturbance has decayed; thin (t = d/4): plane stress.
 */
export const PLATE: PlateWithHole = {
  lengthMm: 300,
  widthMm: 100,
  holeDiameterMm: 20,
  thicknessMm: 5,
};

/** Far-field tension on the plate's ends, MPa. */
export const PLATE_STRESS_MPA = 100;

/**
 * A cantilever grid of nx x ny 8-node quads (5 mm squares) clamped at x = 0 with a 100 N tip
 * load (100 x 30: 9,261 nodes, ccx takes ~2.7 s on one thread of this machine; 150 x 40: ~5 s).
 */
export function gridDeck(nx: number, ny: number): string {
  const nodes = new Map<number, { x: number; y: number }>();
  const id = (c: number, r: number) => c * (2 * ny + 1) + r + 1;
  for (let c = 0; c <= 2 * nx; c++) {
    for (let r = 0; r <= 2 * ny; r++) {
      if (c % 2 === 1 && r % 2 === 1) continue; // Q8: no centre node
      nodes.set(id(c, r), { x: c * 2.5, y: r * 2.5 });
    }
  }
  const elements: { id: number; nodes: number[] }[] = [];
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const [c, r] = [2 * i, 2 * j];
      elements.push({
        id: elements.length + 1,
        nodes: [
          id(c, r),
          id(c + 2, r),
          id(c + 2, r + 2),
          id(c, r + 2),
          id(c + 1, r),
          id(c + 2, r + 1),
          id(c + 1, r + 2),
          id(c, r + 1),
        ],
      });
    }
  }
  const mesh: PlaneMesh = { nodes, elementType: 'CPS8', elements };
  return calculixDeck({
    title: `grid ${nx} x ${ny}`,
    mesh,
    material: STEEL,
    thicknessMm: 1,
    restraints: [
      {
        name: 'ROOT',
        nodes: [...nodes].filter(([, p]) => p.x === 0).map(([n]) => n),
        dofs: [1, 2],
      },
    ],
    forces: [{ node: id(2 * nx, 0), fx: 0, fy: -100 }],
  });
}

/** The pids of the ccx processes running in `dir` (their executable is ccx, their cwd `dir`). */
export function ccxProcessesIn(dir: string): number[] {
  const ccx = findProgram('ccx');
  if (ccx === undefined) return [];
  const exe = realpathSync(ccx);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (
        readlinkSync(`/proc/${entry}/exe`) === exe &&
        readlinkSync(`/proc/${entry}/cwd`) === dir
      ) {
        found.push(Number(entry));
      }
    } catch {
      // gone, or not ours to look at
    }
  }
  return found;
}
