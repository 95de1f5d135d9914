// The CAE study, run by `strata materialize --definitions assets/bracket/index.ts`: a plate with
// a central hole in tension, designed by Gmsh and CalculiX (./study.ts). Its design space is
// ./design-space.json, or the file $STRATA_BRACKET_DESIGN_SPACE names (a smaller study, e.g. in
// tests). The default `strata materialize` (assets/index.ts) stays the fast cantilever study.
// Gmsh's and CalculiX's versions, part of its code versions, are those of the `cae` server it uses
// (./tool-versions.ts): the installed programs', or a remote server's ($STRATA_CAE_URL).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { studyFile, studyFileOf } from '../study-files.js';
import { definePlateStudy } from './study.js';
import { studyToolVersions } from './tool-versions.js';

/** The variable naming another design-space file for the study. */
export const DESIGN_SPACE_ENV = 'STRATA_BRACKET_DESIGN_SPACE';

const given = process.env[DESIGN_SPACE_ENV];
const designSpaceFile =
  given !== undefined && given.trim() !== ''
    ? studyFileOf(given, readFileSync(path.resolve(given), 'utf8'))
    : studyFile('bracket/design-space.json');

export default definePlateStudy({
  designSpaceFile,
  materialsFile: studyFile('material-properties.json'),
  versions: await studyToolVersions(process.env),
});
