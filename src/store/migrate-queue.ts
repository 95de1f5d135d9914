// Installs or upgrades graphile-worker's own schema (graphile_worker.*). graphile-worker 0.17
// copes with concurrent callers itself: it records each migration's row first inside the
// migration's transaction, so a second process blocks on that row, gets a unique violation and
// skips the migration; a clash while installing its schema is retried after a short pause.
import type pg from 'pg';
import { runMigrations } from 'graphile-worker';
import { EnvironmentError } from '../errors.js';

/** Brings graphile-worker's schema up to date using `pool` (the handle's plain pg Pool). */
export async function migrateQueue(pool: pg.Pool): Promise<void> {
  try {
    await runMigrations({ pgPool: pool });
  } catch (cause) {
    throw new EnvironmentError(
      `Could not install the job queue schema (graphile-worker): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, hint: 'Check that the database user may create schemas (PostgreSQL >= 14).' },
    );
  }
}
