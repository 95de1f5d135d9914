// The error for an artifact store that cannot do its job right now (a full disk, a file-size
// limit, a read-only or failing file system): the machine's fault, not the asset's, and worth
// trying again once the operator has made room.
import { EnvironmentError } from '../errors.js';

/** What the store was doing when it failed. */
export type ArtifactStoreOperation = 'write' | 'read';

/** A write or read of the artifact store failed at the file system. */
export class ArtifactStoreError extends EnvironmentError {
  readonly operation: ArtifactStoreOperation;
  /** The system error code (ENOSPC, EFBIG, EROFS, EIO, ...), when there was one. */
  readonly code: string | undefined;
  /** The store's root directory. */
  readonly root: string;

  constructor(
    operation: ArtifactStoreOperation,
    what: string,
    root: string,
    cause: unknown,
    hint?: string,
  ) {
    const code = (cause as { code?: unknown } | null)?.code;
    const codeText = typeof code === 'string' ? code : undefined;
    super(
      `could not ${operation} ${what} ${operation === 'write' ? 'in' : 'from'} the artifact store ${root}${codeText ? ` (${codeText})` : ''}`,
      { cause, ...(hint ? { hint } : {}) },
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
