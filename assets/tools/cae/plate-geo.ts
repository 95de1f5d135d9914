// The Gmsh scripts (OpenCASCADE kernel) that build the plate with a hole as B-reps:
// - the part, a solid (box minus cylinder) saved as STEP for any CAD tool to open;
// - the analysis section, the quarter of the mid-plane x >= 0, y >= 0 (a rectangle minus a
//   quarter disk), saved as STEP for the mesher: the plate is thin and loaded in its plane
//   (plane stress) and symmetric about both axes, so a quarter carries the whole answer.
import { validatePlate, type PlateWithHole } from './plate-geometry.js';

/** The file names the scripts save. */
export const PART_STEP = 'part.step';
export const SECTION_STEP = 'section.step';

/** The solid plate, centred on the origin, z from 0 to t. */
export function partScript(plate: PlateWithHole): string {
  const { lengthMm: L, widthMm: W, holeDiameterMm: d, thicknessMm: t } = validatePlate(plate);
  return [
    'SetFactory("OpenCASCADE");',
    `Box(1) = {${-L / 2}, ${-W / 2}, 0, ${L}, ${W}, ${t}};`,
    `Cylinder(2) = {0, 0, 0, 0, 0, ${t}, ${d / 2}};`,
    'BooleanDifference{ Volume{1}; Delete; }{ Volume{2}; Delete; }',
    `Save "${PART_STEP}";`,
    '',
  ].join('\n');
}

/** The quarter mid-plane section: [0, L/2] x [0, W/2] minus the disk of radius d/2. */
export function sectionScript(plate: PlateWithHole): string {
  const { lengthMm: L, widthMm: W, holeDiameterMm: d } = validatePlate(plate);
  return [
    'SetFactory("OpenCASCADE");',
    `Rectangle(1) = {0, 0, 0, ${L / 2}, ${W / 2}};`,
    `Disk(2) = {0, 0, 0, ${d / 2}, ${d / 2}};`,
    'BooleanDifference{ Surface{1}; Delete; }{ Surface{2}; Delete; }',
    `Save "${SECTION_STEP}";`,
    '',
  ].join('\n');
}
