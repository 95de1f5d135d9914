// A content-addressed artifact store in a local directory (strata uses <stateDir>/artifacts):
// bytes are stored once under their sha256, written atomically, and verified on every read.
// Files and directories are created private to the owner unless the store is shared on purpose
// (store-sharing.ts).
import type { Stats } from 'node:fs';
import { open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import type { ArtifactRef } from '../definitions/index.js';
import { InvariantError, NotFoundError } from '../errors.js';
import { sha256Hex } from '../util/canonical-json.js';
import { artifactId, parseArtifactHash, type ArtifactId } from './artifact-hash.js';
import { ArtifactIntegrityError } from './artifact-integrity-error.js';
import { ArtifactStoreError } from './artifact-store-error.js';
import type {
  ArtifactSource,
  ArtifactStat,
  ArtifactStore,
  DeleteArtifactOptions,
  DeleteArtifactOutcome,
  PutArtifactOptions,
  StoredArtifact,
} from './artifact-store.js';
import { HashVerifier } from './hash-verifier.js';
import { walkStoredFiles } from './local-store-walk.js';
import { checkPutOptions, errorCode, nameOf, toBytes } from './put-options.js';
import { spoolToFile, tempPathIn } from './spool-file.js';
import { ensureDirectory } from './store-directories.js';
import {
  DEFAULT_STORE_SHARING,
  STORE_SHARING_MODES,
  type FileModes,
  type StoreSharing,
} from './store-sharing.js';

/** One directory per hash algorithm, so another algorithm could be added beside it. */
const ALGORITHM_DIR = 'sha256';
/** Fan-out by the first two hex digits: 256 directories keep each one small on any file system. */
const FANOUT_DIGITS = 2;
/** What to check when a write fails. */
const WRITE_HINT =
  'Check that the directory is writable, the disk is not full and no file-size limit (ulimit -f) applies.';

/** How a local store is set up besides its root. */
export interface LocalArtifactStoreOptions {
  /** Who may read and write what the store creates (default: private to the owner). */
  readonly sharing?: StoreSharing;
}

/** Content-addressed artifacts under `<root>/sha256/<first 2 hex>/<64 hex>`. */
export class LocalArtifactStore implements ArtifactStore {
  /** The absolute root directory of the store. */
  readonly root: string;
  /** Who may read and write the files and directories the store creates. */
  readonly sharing: StoreSharing;
  /** The modes of the files and directories it creates. */
  readonly #modes: FileModes;

  constructor(root: string, options: LocalArtifactStoreOptions = {}) {
    this.root = resolve(root);
    this.sharing = options.sharing ?? DEFAULT_STORE_SHARING;
    this.#modes = STORE_SHARING_MODES[this.sharing];
  }

  /** The root directory. */
  get location(): string {
    return this.root;
  }

  /** Stores `content` (a string is stored as UTF-8) and returns its reference. */
  async put(content: Uint8Array | string, options: PutArtifactOptions): Promise<ArtifactRef> {
    const { name, contentType } = checkPutOptions(options);
    const bytes = toBytes(content);
    const hex = sha256Hex(bytes);
    const path = this.#pathOfHex(hex);
    try {
      // Equal hashes mean equal content, so an existing file is kept (its time of storage
      // refreshed); a size mismatch means it was truncated or altered, and the bytes in hand are
      // known good, so they replace it.
      const existing = await statOrUndefined(path);
      const kept = existing?.size === bytes.byteLength && (await refreshStoredAt(path));
      if (!kept) await this.#writeAtomically(path, bytes);
    } catch (error) {
      throw this.#writeError(name, error);
    }
    return { artifact: artifactId(hex), name, size: bytes.byteLength, contentType };
  }

  /**
   * Stores a stream: it is written to a temp file in the store while hashed, then renamed to
   * its content address (or dropped when that content is already there).
   */
  async putStream(source: ArtifactSource, options: PutArtifactOptions): Promise<ArtifactRef> {
    const { name, contentType } = checkPutOptions(options);
    const spoolDir = join(this.root, ALGORITHM_DIR);
    await ensureDirectory(spoolDir, this.#modes.directory).catch((error: unknown) => {
      throw this.#writeError(name, error);
    });
    const spooled = await spoolToFile(
      source,
      spoolDir,
      (error) => this.#writeError(name, error),
      this.#modes.file,
    );
    try {
      const path = this.#pathOfHex(spooled.hex);
      const existing = await statOrUndefined(path);
      if (existing?.size === spooled.size && (await refreshStoredAt(path))) {
        await unlink(spooled.path);
      } else {
        await ensureDirectory(dirname(path), this.#modes.directory);
        await rename(spooled.path, path);
      }
    } catch (error) {
      await unlink(spooled.path).catch(() => undefined);
      throw error instanceof InvariantError ? error : this.#writeError(name, error);
    }
    return { artifact: artifactId(spooled.hex), name, size: spooled.size, contentType };
  }

  /** Reads an artifact's bytes and verifies their sha256. */
  async read(id: ArtifactId): Promise<Buffer> {
    const hex = parseArtifactHash(id);
    const path = this.#pathOfHex(hex);
    const bytes = await readFile(path).catch((error: unknown) => {
      throw this.#readError(error, hex, id);
    });
    const actualHash = sha256Hex(bytes);
    if (actualHash !== hex) {
      throw new ArtifactIntegrityError({ expectedHash: hex, actualHash, path, name: nameOf(id) });
    }
    return bytes;
  }

  /**
   * Opens a stream of an artifact's bytes for large downloads; the stream errors with
   * ArtifactIntegrityError at its end when the bytes do not match the hash.
   */
  async openReadStream(id: ArtifactId): Promise<Readable> {
    const hex = parseArtifactHash(id);
    const path = this.#pathOfHex(hex);
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw this.#readError(error, hex, id);
    });
    const verifier = new HashVerifier(hex, path, nameOf(id));
    // Errors reach the consumer through the verifier; pipeline closes the file either way.
    pipeline(handle.createReadStream(), verifier, () => undefined);
    return verifier;
  }

  /** True when the artifact is stored (its content is not verified). */
  async has(id: ArtifactId): Promise<boolean> {
    return (await this.stat(id)) !== undefined;
  }

  /** Size, path and time of storage of an artifact, or undefined when it is not stored. */
  async stat(id: ArtifactId): Promise<ArtifactStat | undefined> {
    const hex = parseArtifactHash(id);
    const path = this.#pathOfHex(hex);
    const stats = await statOrUndefined(path).catch((error: unknown) => {
      throw new ArtifactStoreError('read', `artifact sha256:${hex}`, this.root, error);
    });
    if (stats === undefined) return undefined;
    return { artifact: artifactId(hex), size: stats.size, location: path, storedAt: stats.mtime };
  }

  /** Every stored artifact, one fan-out directory at a time. */
  async *list(): AsyncIterable<StoredArtifact> {
    try {
      for await (const file of walkStoredFiles(join(this.root, ALGORITHM_DIR))) {
        yield { artifact: artifactId(file.hex), size: file.size, storedAt: file.mtime };
      }
    } catch (error) {
      throw new ArtifactStoreError('list', 'artifacts', this.root, error);
    }
  }

  /**
   * Deletes an artifact's file. With `storedBefore`, the file is first renamed aside (atomic),
   * then its time of storage is checked: a put that refreshed it before the rename is seen and
   * the file put back; one after it finds no file and writes it again.
   */
  async delete(
    id: ArtifactId,
    options: DeleteArtifactOptions = {},
  ): Promise<DeleteArtifactOutcome> {
    const hex = parseArtifactHash(id);
    const path = this.#pathOfHex(hex);
    const aside = tempPathIn(dirname(path));
    try {
      try {
        await rename(path, aside);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return 'absent';
        throw error;
      }
      const { storedBefore } = options;
      if (storedBefore !== undefined && (await stat(aside)).mtime >= storedBefore) {
        await rename(aside, path);
        return 'kept';
      }
      await unlink(aside);
      return 'deleted';
    } catch (error) {
      throw new ArtifactStoreError('delete', `artifact sha256:${hex}`, this.root, error);
    }
  }

  /** The file an artifact is (or would be) stored in; validates the id. */
  pathOf(id: ArtifactId): string {
    return this.#pathOfHex(parseArtifactHash(id));
  }

  /** The path for validated hex digits, asserted to lie inside the root. */
  #pathOfHex(hex: string): string {
    const path = join(this.root, ALGORITHM_DIR, hex.slice(0, FANOUT_DIGITS), hex);
    const inside = relative(this.root, path);
    if (inside === '' || isAbsolute(inside) || inside.split(sep)[0] === '..') {
      throw new InvariantError(`artifact path ${path} escapes the store root ${this.root}`);
    }
    return path;
  }

  /** Writes to a temp file beside `path`, flushes it, then renames it into place. */
  async #writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
    const dir = dirname(path);
    await ensureDirectory(dir, this.#modes.directory);
    const temp = tempPathIn(dir);
    try {
      const handle = await open(temp, 'wx', this.#modes.file);
      try {
        // open's mode is masked by the umask: set it exactly.
        await handle.chmod(this.#modes.file);
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  /** The error for a failed write of the artifact `name`. */
  #writeError(name: string, error: unknown): ArtifactStoreError {
    return new ArtifactStoreError(
      'write',
      `artifact ${JSON.stringify(name)}`,
      this.root,
      error,
      WRITE_HINT,
    );
  }

  /** The error for a failed read: NotFoundError when the file is missing. */
  #readError(error: unknown, hex: string, id: ArtifactId): Error {
    const named = nameOf(id) === undefined ? '' : ` (${JSON.stringify(nameOf(id))})`;
    if (errorCode(error) === 'ENOENT') {
      return new NotFoundError(`artifact sha256:${hex}${named} not found in ${this.root}`, {
        cause: error,
        hint: 'Check that strata uses the right state directory, or re-materialize the asset that made it.',
      });
    }
    return new ArtifactStoreError('read', `artifact sha256:${hex}${named}`, this.root, error);
  }
}

/**
 * Sets the time of storage of an existing file to now; false when it is gone or may not be
 * touched (another user's file in a shared store), and the caller writes it anew instead.
 */
async function refreshStoredAt(path: string): Promise<boolean> {
  const now = new Date();
  try {
    await utimes(path, now, now);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'EPERM' || code === 'EACCES') return false;
    throw error;
  }
}

/** fs.stat of a regular file, or undefined when nothing is there. */
async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats : undefined;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}
