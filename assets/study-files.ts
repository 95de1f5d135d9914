// The files a user edits to change the study, read once when the definitions load. Their
// content hashes are part of the code versions of the assets that read them, so editing a file
// makes exactly those assets (and what depends on them) stale.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A study file's text and a short hash of it. */
export interface StudyFile {
  readonly path: string;
  readonly text: string;
  readonly hash: string;
}

/** A study file with the given text (tests use it to vary the study). */
export function studyFileOf(path: string, text: string): StudyFile {
  return { path, text, hash: createHash('sha256').update(text).digest('hex').slice(0, 12) };
}

/** Reads `name` next to this module. */
export function studyFile(name: string): StudyFile {
  return studyFileOf(`assets/${name}`, readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));
}
