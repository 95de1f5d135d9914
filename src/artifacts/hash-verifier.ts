// A pass-through stream that hashes what flows through it and fails at the end when the
// bytes do not match the expected sha256: lets large artifacts be served without buffering.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ArtifactIntegrityError } from './artifact-integrity-error.js';

/** Passes bytes through unchanged; errors with ArtifactIntegrityError at the end on a mismatch. */
export class HashVerifier extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #expectedHash: string;
  readonly #path: string;
  readonly #name: string | undefined;

  constructor(expectedHash: string, path: string, name?: string) {
    super();
    this.#expectedHash = expectedHash;
    this.#path = path;
    this.#name = name;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actualHash = this.#hash.digest('hex');
    if (actualHash === this.#expectedHash) {
      callback();
      return;
    }
    const details = { expectedHash: this.#expectedHash, actualHash, path: this.#path };
    callback(new ArtifactIntegrityError({ ...details, name: this.#name }));
  }
}
