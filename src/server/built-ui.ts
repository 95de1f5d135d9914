// Where the built lineage UI lives: dist/lineage of the strata package, written by
// `npm run build`. Found relative to this module (src/server or dist/server), so it works from a
// checkout and from an installed package alike.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory `npm run build` writes the UI to. */
export const BUILT_UI_DIR = fileURLToPath(new URL('../../dist/lineage/', import.meta.url));

/** `dir` when it holds a built UI (an index.html), else undefined. */
export function builtUiRoot(dir: string = BUILT_UI_DIR): string | undefined {
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}
