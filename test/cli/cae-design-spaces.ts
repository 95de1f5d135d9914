// Design spaces for the CAE study's CLI tests (assets/bracket/index.ts reads the file that
// $STRATA_BRACKET_DESIGN_SPACE names): the study's own space with fewer samples, or with a mesh
// fine enough (about 10^4 second-order triangles) for ccx to run for seconds, long enough to kill
// something while it solves.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './cli-harness.js';

/** The fine mesh: ccx runs for seconds on one design. */
export const SLOW_MESH = {
  size_at_hole_over_radius: 0.02,
  size_max_over_width: 0.015,
  refine_distance_over_width: 0.3,
} as const;

/**
 * Writes the study's design space with `changes` applied (e.g. `{ samples: 3 }`, `{ mesh:
 * SLOW_MESH }`) as `<dir>/<name>` and returns its path.
 */
export function designSpaceFile(
  dir: string,
  changes: Readonly<Record<string, unknown>>,
  name = 'design-space.json',
): string {
  const space = JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'assets/bracket/design-space.json'), 'utf8'),
  ) as Record<string, unknown>;
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify({ ...space, ...changes }, null, 2));
  return file;
}
