// The face of store/: the database (embedded or DATABASE_URL), connections, migrations and
// the typed row types.
export {
  ensureEmbeddedServer,
  embeddedServerStatus,
  stopEmbeddedServer,
  type EmbeddedServerStatus,
} from './embedded-postgres.js';
export {
  embeddedLayout,
  resolveStateDir,
  STATE_DIR_ENV,
  type EmbeddedLayout,
} from './embedded-layout.js';
export {
  DATABASE_URL_ENV,
  maskDatabaseUrl,
  resolveDatabaseUrl,
  validateDatabaseUrl,
} from './database-url.js';
export { createDatabase, DEFAULT_POOL_SIZE, type DatabaseHandle } from './connect.js';
export {
  DatabaseOutage,
  DatabaseUnavailableError,
  isConnectionError,
  type OutageListener,
} from './outage.js';
export { migrate, MIGRATIONS_DIR, readMigrations, type MigrationFile } from './migrate.js';
export { migrateQueue } from './migrate-queue.js';
export type * from './schema.js';
export { EVENT_KINDS, type EventData, type EventDataMap, type EventKind } from './event-kinds.js';
export type * from './json-columns.js';
