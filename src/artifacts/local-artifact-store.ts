// A content-addressed artifact store in a local directory (strata uses <stateDir>/artifacts):
// bytes are stored once under their sha256, written atomically, and verified on every read.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import type { ArtifactRef } from '../definitions/index.js';
import { InvariantError, NotFoundError, UsageError } from '../errors.js';
import { sha256Hex } from '../util/canonical-json.js';
import { artifactId, parseArtifactHash, type ArtifactId } from './artifact-hash.js';
import { ArtifactIntegrityError } from './artifact-integrity-error.js';
import { ArtifactStoreError } from './artifact-store-error.js';
import { contentTypeFor, validateArtifactName } from './artifact-name.js';
import { HashVerifier } from './hash-verifier.js';

/** One directory per hash algorithm, so another algorithm could be added beside it. */
const ALGORITHM_DIR = 'sha256';
/** Fan-out by the first two hex digits: 256 directories keep each one small on any file system. */
const FANOUT_DIGITS = 2;
/** Prefix of in-progress writes: never 64 hex digits, so never mistaken for an artifact. */
const TEMP_PREFIX = '.tmp-';
/** Random bytes in a temp file's name, so concurrent writers (any process) never collide. */
const TEMP_RANDOM_BYTES = 8;

/** What put() needs besides the bytes. */
export interface PutArtifactOptions {
  /** A plain file name ("mesh.vtk"): shown to people and used for downloads. */
  name: string;
  /** Defaults from the name's extension, else application/octet-stream. */
  contentType?: string;
}

/** What stat() tells about a stored artifact. */
export interface ArtifactStat {
  /** 'sha256:<hex>' */
  artifact: string;
  size: number;
  path: string;
  storedAt: Date;
}

/** Content-addressed artifacts under `<root>/sha256/<first 2 hex>/<64 hex>`. */
export class LocalArtifactStore {
  /** The absolute root directory of the store. */
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Stores `content` (a string is stored as UTF-8) and returns its reference. */
  async put(content: Uint8Array | string, options: PutArtifactOptions): Promise<ArtifactRef> {
    const { name, contentType } = checkPutOptions(options);
    const bytes = toBytes(content);
    const hex = sha256Hex(bytes);
    const path = this.#pathOfHex(hex);
    try {
      // Equal hashes mean equal content, so an existing file is kept; a size mismatch means it
      // was truncated or altered, and the bytes in hand are known good, so they replace it.
      const existing = await statOrUndefined(path);
      if (existing?.size !== bytes.byteLength) await this.#writeAtomically(path, bytes);
    } catch (error) {
      throw new ArtifactStoreError(
        'write',
        `artifact ${JSON.stringify(name)}`,
        this.root,
        error,
        'Check that the directory is writable, the disk is not full and no file-size limit (ulimit -f) applies.',
      );
    }
    return { artifact: artifactId(hex), name, size: bytes.byteLength, contentType };
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
    const stats = await statOrUndefined(path);
    if (stats === undefined) return undefined;
    return { artifact: artifactId(hex), size: stats.size, path, storedAt: stats.mtime };
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
    await mkdir(dir, { recursive: true });
    const suffix = `${process.pid}-${randomBytes(TEMP_RANDOM_BYTES).toString('hex')}`;
    const temp = join(dir, `${TEMP_PREFIX}${suffix}`);
    try {
      const handle = await open(temp, 'wx');
      try {
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

/** Validates put()'s options and fills in the content type. */
function checkPutOptions(options: PutArtifactOptions): Required<PutArtifactOptions> {
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
function toBytes(content: Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content instanceof Uint8Array) return content;
  throw new UsageError(`artifact content must be a string or a Uint8Array, got ${typeof content}`);
}

/** The name in a reference, when the id is one. */
function nameOf(id: ArtifactId): string | undefined {
  return typeof id === 'string' ? undefined : id.name;
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

/** The Node error code of `error`, if any. */
function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
