// STEP files as reproducible artifacts: OpenCASCADE writes the time of export into the header
// (FILE_NAME's time_stamp), so the same part exported twice differs in that one field, and a
// rebuilt revision would be a new artifact (another hash, another data version downstream).
// The stamp is set to a fixed instant instead, as reproducible builds do with
// SOURCE_DATE_EPOCH; the model itself is untouched.
import { readFile, writeFile } from 'node:fs/promises';

/** The time_stamp every exported STEP file carries. */
export const STEP_TIMESTAMP = '1970-01-01T00:00:00';

/** FILE_NAME(name, time_stamp, ...: the stamp is the second argument, an ISO 8601 string. */
const FILE_NAME_STAMP = /^(FILE_NAME\('(?:[^']|'')*',\s*')([^']*)(')/m;

/** `text` with its header's time_stamp set to {@link STEP_TIMESTAMP}. */
export function withFixedTimestamp(text: string): string {
  if (!FILE_NAME_STAMP.test(text)) throw new Error('not a STEP file: no FILE_NAME in its header');
  return text.replace(FILE_NAME_STAMP, `$1${STEP_TIMESTAMP}$3`);
}

/** Rewrites the STEP file at `file` with its time_stamp fixed. */
export async function fixStepTimestamp(file: string): Promise<void> {
  await writeFile(file, withFixedTimestamp(await readFile(file, 'utf8')));
}
