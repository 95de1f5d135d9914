// The error for an artifact store that cannot do its job right now (a full disk, a file-size
// limit, a read-only or failing file system, an unreachable or refusing object store): the
// machine's fault, not the asset's, and worth trying again once the operator has fixed it.
import { EnvironmentError } from '../errors.js';

/** What the store was doing when it failed. */
export type ArtifactStoreOperation = 'write' | 'read' | 'list' | 'delete';

/** Details of a failure beyond its cause: an error code and whether trying again may help. */
export interface ArtifactStoreErrorDetails {
  /** The code to show, when the cause has none of its own (an S3 error's name). */
  readonly code?: string;
  /** False when nothing will change by itself (a missing bucket, denied access). */
  readonly retryable?: boolean;
}

/** A write or read of the artifact store failed at the file system or the object store. */
export class ArtifactStoreError extends EnvironmentError {
  readonly operation: ArtifactStoreOperation;
  /** The system error code (ENOSPC, EFBIG, EROFS, EIO, ...) or S3 error name, when known. */
  readonly code: string | undefined;
  /** The store's location: its root directory, or `s3://bucket/prefix`. */
  readonly root: string;

  constructor(
    operation: ArtifactStoreOperation,
    what: string,
    root: string,
    cause: unknown,
    hint?: string,
    details: ArtifactStoreErrorDetails = {},
  ) {
    const code = (cause as { code?: unknown } | null)?.code;
    const codeText = details.code ?? (typeof code === 'string' ? code : undefined);
    super(
      `could not ${operation} ${what} ${operation === 'write' ? 'in' : 'from'} the artifact store ${root}${codeText ? ` (${codeText})` : ''}`,
      {
        cause,
        ...(hint ? { hint } : {}),
        ...(details.retryable === undefined ? {} : { retryable: details.retryable }),
      },
    );
    this.operation = operation;
    this.code = codeText;
    this.root = root;
  }
}

/** The artifact-store failure behind `error` (itself or a cause of it), if any. */
export function artifactStoreFaultOf(error: unknown): ArtifactStoreError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof ArtifactStoreError) return current;
    current = current.cause;
  }
  return undefined;
}
