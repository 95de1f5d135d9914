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

/** Reads `name` next to this module. */
export function studyFile(name: string): StudyFile {
  const url = new URL(`./${name}`, import.meta.url);
  const text = readFileSync(url, 'utf8');
  return {
    path: `assets/${name}`,
    text,
    hash: createHash('sha256').update(text).digest('hex').slice(0, 12),
  };
}
