// Writes a stream of bytes to a new temporary file while hashing them, so a streamed artifact's
// content address is known before it is stored, with only one chunk in memory at a time.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors.js';
import type { ArtifactSource } from './artifact-store.js';

/** Prefix of in-progress writes: never 64 hex digits, so never mistaken for an artifact. */
export const TEMP_PREFIX = '.tmp-';
/** Random bytes in a temp file's name, so concurrent writers (any process) never collide. */
const TEMP_RANDOM_BYTES = 8;

/** A spooled stream: the file that holds its bytes, their sha256 and their count. */
export interface SpooledFile {
  readonly path: string;
  readonly hex: string;
  readonly size: number;
}

/** A fresh temp file name in `dir`, unique across processes. */
export function tempPathIn(dir: string): string {
  const suffix = `${process.pid}-${randomBytes(TEMP_RANDOM_BYTES).toString('hex')}`;
  return join(dir, `${TEMP_PREFIX}${suffix}`);
}

/** The mode of a spooled file unless the caller gives one: private to the owner. */
const PRIVATE_FILE_MODE = 0o600;

/**
 * Copies `source` into a new file of mode `mode` in `dir` (which must exist), hashing on the
 * way, and flushes it to disk; the file is removed again when anything fails. A failure of the source itself
 * (the caller's stream) is thrown as it is; a failure of the file system goes through
 * `storeError`, which turns it into the store's own error.
 */
export async function spoolToFile(
  source: ArtifactSource,
  dir: string,
  storeError: (error: unknown) => Error,
  mode: number = PRIVATE_FILE_MODE,
): Promise<SpooledFile> {
  const path = tempPathIn(dir);
  const hash = createHash('sha256');
  let size = 0;
  let sourceError: { error: unknown } | undefined;
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<unknown>) {
        const iterator = chunks[Symbol.asyncIterator]();
        for (;;) {
          let next: IteratorResult<unknown>;
          try {
            next = await iterator.next();
          } catch (error) {
            sourceError = { error };
            throw error;
          }
          if (next.done === true) return;
          const bytes = chunkBytes(next.value);
          hash.update(bytes);
          size += bytes.byteLength;
          yield bytes;
        }
      },
      createWriteStream(path, { flags: 'wx', mode }),
    );
    const handle = await open(path, 'r+');
    try {
      // The mode given at creation is masked by the umask: set it exactly.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { path, hex: hash.digest('hex'), size };
  } catch (error) {
    await unlink(path).catch(() => undefined);
    if (sourceError !== undefined) throw sourceError.error;
    if (error instanceof UsageError) throw error;
    throw storeError(error);
  }
}

/** One chunk of a source as bytes (a string chunk is UTF-8). */
function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new UsageError(`artifact stream chunks must be bytes or strings, got ${typeof chunk}`);
}
