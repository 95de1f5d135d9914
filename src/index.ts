// The public API of strata: what asset definitions (`import { asset } from 'strata'`) and
// embedding programs may use. Everything else is internal.
export * from './definitions/index.js';
export {
  DefinitionError,
  EnvironmentError,
  InvariantError,
  isUserFacingError,
  NotFoundError,
  StrataError,
  UsageError,
  UserCodeError,
} from './errors.js';
// Tool servers store their results in the same content-addressed store as the engine
// (its root arrives in $STRATA_ARTIFACTS).
export {
  ArtifactIntegrityError,
  collectArtifactRefs,
  LocalArtifactStore,
} from './artifacts/index.js';
