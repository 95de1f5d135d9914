// Opening the database of a command: DATABASE_URL, else the project's embedded server (started
// when it is not up), with both schemas brought up to date. Cheap when all is in place: a server
// whose files say it is ready is connected to at once (that connection is the probe), and a
// current schema costs one query each (graphile-worker is then not even loaded).
import type * as StoreModule from '../store/index.js';
import type { DatabaseHandle } from '../store/index.js';
import type { CliIo } from './io.js';

type Store = typeof StoreModule;

/** Opens and migrates the database, starting the embedded server first if need be. */
export async function openDatabase(io: CliIo, stateDir: string): Promise<DatabaseHandle> {
  const store = await import('../store/index.js');
  const handle =
    (await connectRunning(io, stateDir, store)) ??
    (await store.createDatabase((await store.ensureEmbeddedServer(stateDir)).url));
  return migrated(handle, store);
}

/**
 * Opens and migrates the database when that needs no server start: DATABASE_URL (whose errors
 * are the same as openDatabase's), or an embedded server that is up; undefined otherwise.
 */
export async function openRunningDatabase(
  io: CliIo,
  stateDir: string,
): Promise<DatabaseHandle | undefined> {
  const store = await import('../store/index.js');
  const handle = await connectRunning(io, stateDir, store);
  return handle === undefined ? undefined : migrated(handle, store);
}

/** Connects to DATABASE_URL, or to the embedded server if it is up; undefined when it is not. */
async function connectRunning(
  io: CliIo,
  stateDir: string,
  store: Store,
): Promise<DatabaseHandle | undefined> {
  const fromEnv = io.env[store.DATABASE_URL_ENV]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    return store.createDatabase(store.validateDatabaseUrl(fromEnv));
  }
  // Not ready, or the connection fails (a stale postmaster.pid): ensureEmbeddedServer decides.
  const ready = await store.readyEmbeddedServerUrl(stateDir);
  return ready === undefined ? undefined : store.createDatabase(ready).catch(() => undefined);
}

/** `handle` with strata's and graphile-worker's schemas up to date (closed on failure). */
async function migrated(handle: DatabaseHandle, store: Store): Promise<DatabaseHandle> {
  try {
    await store.migrate(handle.db);
    if (!(await store.queueSchemaIsCurrent(handle.db))) await store.migrateQueue(handle.pool);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
