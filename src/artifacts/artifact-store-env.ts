// The environment variables that configure the artifact store, alone in their file so the CLI
// can show them in its help without loading the stores.

/** The environment variable naming the artifact store (a directory or an s3:// URL). */
export const ARTIFACT_STORE_ENV = 'STRATA_ARTIFACT_STORE';

/** The environment variable choosing how a local store is shared (store-sharing.ts). */
export const ARTIFACT_STORE_MODE_ENV = 'STRATA_ARTIFACT_STORE_MODE';
