// The face of server/: the HTTP API and UI of `strata serve` (createApp for in-process use and
// tests, startServer to listen, builtUiRoot to find the built UI).
export { ApiError, type ApiErrorBody } from './api-error.js';
export { BUILT_UI_DIR, builtUiRoot } from './built-ui.js';
export { createApp, type AppOptions, type StrataApp } from './create-app.js';
export type { ErrorLogger } from './error-response.js';
export { buildOpenApiDocument } from './openapi.js';
export type { ApiRoute } from './route-spec.js';
export type { LaunchOptions } from '../executor/index.js';
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  isLoopbackHost,
  startServer,
  type RunningServer,
  type ServerOptions,
} from './start-server.js';
