// Artifact names and content types: a name is a file name shown to people and used for
// downloads, so it must be a single path segment; its extension gives the default content type.
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { quoteInput } from './quote-input.js';

/** Longest accepted name, as in artifactRefSchema and most file systems' limit for one segment. */
export const ARTIFACT_NAME_MAX = 255;
/** The content type of bytes whose kind the name does not tell. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** Content types of the file kinds strata's asset graphs commonly produce, by extension. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  // VTK has no registered media type and its files may be binary
  '.vtk': DEFAULT_CONTENT_TYPE,
  '.dxf': 'image/vnd.dxf',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
  '.bin': DEFAULT_CONTENT_TYPE,
};

/** Throws a UsageError naming the field when `name` is not a valid artifact name. */
export function validateArtifactName(name: unknown, field = 'name'): asserts name is string {
  const problem = nameProblem(name);
  if (problem !== undefined) {
    const shown = typeof name === 'string' ? quoteInput(name) : typeof name;
    throw new UsageError(`invalid artifact ${field} ${shown}: ${problem}`, {
      hint: 'Use a plain file name such as "mesh.vtk" (no directories).',
    });
  }
}

/** The content type for an artifact named `name`: from its extension, else octet-stream. */
export function contentTypeFor(name: string): string {
  return CONTENT_TYPES[extname(name).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}

/** Why `name` is not a valid artifact name, or undefined when it is. */
function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'expected a string';
  if (name.length === 0) return 'must not be empty';
  if (name.length > ARTIFACT_NAME_MAX) {
    return `must be at most ${ARTIFACT_NAME_MAX} characters, got ${name.length}`;
  }
  if (name.includes('/') || name.includes('\\'))
    return "must not contain a path separator ('/' or '\\')";
  if (name.includes('\0')) return 'must not contain a NUL character';
  if (name === '.' || name === '..') return `must not be '${name}'`;
  return undefined;
}
