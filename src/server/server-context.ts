// What route handlers share: the parts of the engine they read, the run launcher and the
// live-update hub.
import type { Engine, EngineDatabase, RunLauncher } from '../executor/index.js';
import type { BackfillDrivers } from './backfill-drivers.js';
import type { RunEventsHub } from './run-events-hub.js';
import type { StatusSnapshots } from './views/status-snapshot.js';

/** The resources of one API app, passed to every route. */
export interface ServerContext {
  /** The engine's database (`engine.database.db`): what most routes query. */
  readonly db: EngineDatabase['db'];
  /** The engine's asset graph. */
  readonly graph: Engine['graph'];
  /** The engine's artifact store (downloads). */
  readonly artifacts: Engine['artifacts'];
  readonly launcher: RunLauncher;
  readonly hub: RunEventsHub;
  /** The statuses of every asset, evaluated again only when their inputs changed. */
  readonly statuses: StatusSnapshots;
  /** The backfills this server drives (those created, resumed or retried through it). */
  readonly backfills: BackfillDrivers;
  /** The clock (injectable for tests). */
  now(): Date;
}
