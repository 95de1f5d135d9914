// The face of artifacts/: the content-addressed artifact store (one interface; a local directory
// or S3-compatible object storage, chosen by openArtifactStore), finding the references in a
// value, and recording them beside a materialization.
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
  type ArtifactStoreErrorDetails,
  type ArtifactStoreOperation,
} from './artifact-store-error.js';
export type {
  ArtifactSource,
  ArtifactStat,
  ArtifactStore,
  DeleteArtifactOptions,
  DeleteArtifactOutcome,
  PutArtifactOptions,
  StoredArtifact,
} from './artifact-store.js';
export {
  ARTIFACT_NAME_MAX,
  contentTypeFor,
  DEFAULT_CONTENT_TYPE,
  validateArtifactName,
} from './artifact-name.js';
export { collectArtifactRefs } from './artifact-refs.js';
export {
  collectGarbage,
  emptyTally,
  type ArtifactCount,
  type GcOptions,
  type GcTally,
} from './artifact-gc.js';
export { gcCutoff, runningWork, type GcCutoff, type RunningWork } from './gc-cutoff.js';
export { referencedArtifacts, type ReferencedArtifacts } from './referenced-artifacts.js';
export { TOOL_CALL_MARGIN_MS, toolCallWindows, type TimeWindows } from './tool-call-windows.js';
export { LocalArtifactStore, type LocalArtifactStoreOptions } from './local-artifact-store.js';
export { ARTIFACT_STORE_ENV, ARTIFACT_STORE_MODE_ENV } from './artifact-store-env.js';
export {
  DEFAULT_STORE_SHARING,
  parseStoreSharing,
  STORE_SHARING_MODES,
  type FileModes,
  type StoreSharing,
} from './store-sharing.js';
export {
  openArtifactStore,
  parseS3Location,
  type ArtifactStoreConfig,
} from './open-artifact-store.js';
export { recordArtifacts } from './record-artifacts.js';
