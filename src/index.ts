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
