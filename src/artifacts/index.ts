// The face of artifacts/: the content-addressed artifact store (a local directory first),
// finding the references in a value, and recording them beside a materialization.
export { artifactAccess } from './artifact-access.js';
export {
  ARTIFACT_ID_PREFIX,
  artifactId,
  parseArtifactHash,
  type ArtifactId,
} from './artifact-hash.js';
export { ArtifactIntegrityError } from './artifact-integrity-error.js';
export {
  artifactStoreFaultOf,
  ArtifactStoreError,
  type ArtifactStoreOperation,
} from './artifact-store-error.js';
export {
  ARTIFACT_NAME_MAX,
  contentTypeFor,
  DEFAULT_CONTENT_TYPE,
  validateArtifactName,
} from './artifact-name.js';
export { collectArtifactRefs } from './artifact-refs.js';
export {
  LocalArtifactStore,
  type ArtifactStat,
  type PutArtifactOptions,
} from './local-artifact-store.js';
export { recordArtifacts } from './record-artifacts.js';
