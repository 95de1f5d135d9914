// The environment variables that configure OpenLineage, alone in their file so the CLI can
// check whether any is set without loading the module.

/** The receiver's URL (Marquez: http://host:5000, events go to /api/v1/lineage). */
export const OPENLINEAGE_URL_ENV = 'STRATA_OPENLINEAGE_URL';
/** Sent as `Authorization: Bearer <key>`; never printed or logged. */
export const OPENLINEAGE_API_KEY_ENV = 'STRATA_OPENLINEAGE_API_KEY';
/** A JSON-lines file events are appended to. */
export const OPENLINEAGE_FILE_ENV = 'STRATA_OPENLINEAGE_FILE';
/** The job namespace (datasets: strata://<namespace>). */
export const OPENLINEAGE_NAMESPACE_ENV = 'STRATA_OPENLINEAGE_NAMESPACE';
