// The face of access/: named API tokens and their roles, and who a caller is.
export {
  createApiToken,
  hasActiveApiTokens,
  isApiTokenActive,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
  TOKEN_PREFIX,
  type ApiTokenInfo,
  type CreatedApiToken,
  type Principal,
} from './api-tokens.js';
export { localActor } from './local-actor.js';
export {
  CAPABILITIES,
  ROLE_CAPABILITIES,
  roleAllows,
  rolesAllowing,
  TOKEN_ROLES,
  type Capability,
  type Role,
  type TokenRole,
} from './roles.js';
