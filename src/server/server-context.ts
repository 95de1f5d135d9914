// What route handlers share: the engine's resources, the run launcher and the live-update hub.
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { LocalArtifactStore } from '../artifacts/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { Database } from '../store/index.js';
import type { RunEventsHub } from './run-events-hub.js';
import type { RunLauncher } from '../executor/index.js';

/** The resources of one API app, passed to every route. */
export interface ServerContext {
  readonly db: Kysely<Database>;
  /** A pg pool with pg's default type parsers (graphile-worker and LISTEN). */
  readonly queuePool: pg.Pool;
  readonly graph: AssetGraph;
  readonly artifacts: LocalArtifactStore;
  readonly launcher: RunLauncher;
  readonly hub: RunEventsHub;
  /** The clock (injectable for tests). */
  now(): Date;
}
