// The environment variable that names the artifact store, alone in its file so the CLI can
// show it in its help without loading the stores.

/** The environment variable naming the artifact store (a directory or an s3:// URL). */
export const ARTIFACT_STORE_ENV = 'STRATA_ARTIFACT_STORE';
