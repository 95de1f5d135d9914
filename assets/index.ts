// The example study run by `strata materialize`: the cantilever design study of assets/study.ts
// with the files a user edits to change it (assets/design-space.json, assets/mesh-settings.json).
import { defineStudy } from './study.js';
import { studyFile } from './study-files.js';

export default defineStudy({
  designSpaceFile: studyFile('design-space.json'),
  meshSettingsFile: studyFile('mesh-settings.json'),
});
