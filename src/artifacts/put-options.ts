// Checking what a caller passes to an artifact store's put (the name, the content type, the
// content), shared by every backend so they accept and refuse the same things.
import { UsageError } from '../errors.js';
import type { PutArtifactOptions } from './artifact-store.js';
import { contentTypeFor, validateArtifactName } from './artifact-name.js';

/** Validates put()'s options and fills in the content type. */
export function checkPutOptions(options: PutArtifactOptions): Required<PutArtifactOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new UsageError('artifact options must be an object with a name');
  }
  validateArtifactName(options.name);
  const contentType = options.contentType ?? contentTypeFor(options.name);
  if (typeof contentType !== 'string' || contentType.trim() === '') {
    throw new UsageError(
      `invalid artifact contentType for ${JSON.stringify(options.name)}: expected a non-empty string`,
      { hint: 'Omit contentType to derive it from the name, or pass e.g. "application/json".' },
    );
  }
  return { name: options.name, contentType };
}

/** The bytes of put()'s content. */
export function toBytes(content: Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content instanceof Uint8Array) return content;
  throw new UsageError(`artifact content must be a string or a Uint8Array, got ${typeof content}`);
}

/** The name in a reference, when the id is one. */
export function nameOf(id: unknown): string | undefined {
  return typeof id === 'object' && id !== null && 'name' in id && typeof id.name === 'string'
    ? id.name
    : undefined;
}

/** The Node error code of `error`, if any. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
