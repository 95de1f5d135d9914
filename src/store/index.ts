// The face of store/: the database (embedded or DATABASE_URL), connections, migrations, the
// typed row types, and the step and attempt lifecycles their status columns follow.
export {
  ensureEmbeddedServer,
  embeddedServerStatus,
  readyEmbeddedServerUrl,
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
export { migrateQueue, queueSchemaIsCurrent } from './migrate-queue.js';
export type * from './schema.js';
export {
  EVENT_KINDS,
  OUTPUT_STREAMS,
  outputStreamOf,
  type EventData,
  type EventDataMap,
  type EventKind,
  type OutputStream,
} from './event-kinds.js';
export type * from './json-columns.js';
export {
  CLAIMABLE_STEP_STATUSES,
  DONE_STEP_STATUSES,
  NON_TERMINAL_STEP_STATUSES,
  PENDING_STEP_STATUSES,
  READY_STEP_STATUSES,
  RUN_FAILING_STEP_STATUSES,
  STEP_STATES,
  STEP_STATUSES,
  TERMINAL_STEP_STATUSES,
  UNSUCCESSFUL_STEP_STATUSES,
  type StepStateSpec,
} from './step-states.js';
export {
  canTransition,
  fromStatesOf,
  STEP_TRANSITIONS,
  targetOf,
  toStatesOf,
  transitionTo,
  type StepColumn,
  type StepOperation,
  type StepTransitionSpec,
  type TargetOf,
} from './step-transitions-table.js';
export {
  ACTIVE_ATTEMPT_STATUSES,
  ATTEMPT_STATES,
  ATTEMPT_STATUSES,
  ATTEMPT_TRANSITIONS,
  attemptFromStatesOf,
  attemptTargetOf,
  canAttemptTransition,
  RETRY_SPENDING_ATTEMPT_STATUSES,
  TERMINAL_ATTEMPT_STATUSES,
  type AttemptOperation,
  type AttemptStateSpec,
  type AttemptTransitionSpec,
} from './attempt-states.js';
export { attemptStateDiagram, stepStateDiagram } from './state-diagram.js';
export { statusLiterals } from './status-sql.js';
export { insertedBeforeOpenTransactions } from './settled-rows.js';
