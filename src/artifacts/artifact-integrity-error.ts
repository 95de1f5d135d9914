// The error for stored bytes that no longer match their content hash: the store on disk was
// corrupted or tampered with, which is neither the user's mistake nor a bug in strata.
import { StrataError } from '../errors.js';

/** An artifact's bytes do not hash to the name they are stored under. */
export class ArtifactIntegrityError extends StrataError {
  /** The store was altered outside strata: not retryable, the bytes stay wrong. */
  readonly fault = 'environment';
  /** The hash the artifact is stored under (64 hex digits). */
  readonly expectedHash: string;
  /** The hash of the bytes actually found (64 hex digits). */
  readonly actualHash: string;
  /** The file that holds the corrupted bytes. */
  readonly path: string;

  constructor(details: { expectedHash: string; actualHash: string; path: string; name?: string }) {
    const named = details.name === undefined ? '' : ` (${JSON.stringify(details.name)})`;
    super(
      `artifact sha256:${details.expectedHash}${named} is corrupted: its bytes at ${details.path} ` +
        `hash to sha256:${details.actualHash}`,
      {
        hint:
          'The artifact store was modified outside strata; delete the file and re-materialize ' +
          'the assets that produced it (strata materialize --force).',
        retryable: false,
      },
    );
    this.expectedHash = details.expectedHash;
    this.actualHash = details.actualHash;
    this.path = details.path;
  }
}
