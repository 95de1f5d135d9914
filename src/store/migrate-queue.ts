// Installs or upgrades graphile-worker's own schema (graphile_worker.*). graphile-worker 0.17
// copes with concurrent callers itself: it records each migration's row first inside the
// migration's transaction, so a second process blocks on that row, gets a unique violation and
// skips the migration; a clash while installing its schema is retried after a short pause.
// graphile-worker itself is imported only when there is something to migrate: a schema already
// at its newest migration is recognised with one query (queueSchemaIsCurrent).
import { createRequire } from 'node:module';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { EnvironmentError } from '../errors.js';

/** Brings graphile-worker's schema up to date using `pool` (the handle's plain pg Pool). */
export async function migrateQueue(pool: pg.Pool): Promise<void> {
  try {
    const { runMigrations } = await import('graphile-worker');
    await runMigrations({ pgPool: pool });
  } catch (cause) {
    throw new EnvironmentError(
      `Could not install the job queue schema (graphile-worker): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, hint: 'Check that the database user may create schemas (PostgreSQL >= 14).' },
    );
  }
}

/**
 * True when graphile_worker's schema is at exactly the newest migration the installed
 * graphile-worker ships, so migrateQueue would change nothing. False when it is missing, behind,
 * ahead (migrateQueue warns or refuses then), unreadable, or when the shipped migrations cannot be
 * read.
 */
export async function queueSchemaIsCurrent<DB>(db: Kysely<DB>): Promise<boolean> {
  const newest = newestQueueMigration();
  if (newest === undefined) return false;
  try {
    const { rows } = await sql<{ id: number | null }>`
      select max(id) as id from graphile_worker.migrations`.execute(db);
    return rows[0]?.id === newest;
  } catch {
    return false; // not installed yet, or not readable: migrateQueue installs it or says why
  }
}

let newestShipped: number | undefined | null = null;

/** The number of graphile-worker's newest migration (its generated/sql.js, read once). */
function newestQueueMigration(): number | undefined {
  if (newestShipped !== null) return newestShipped;
  try {
    const { migrations } = createRequire(import.meta.url)(
      'graphile-worker/dist/generated/sql.js',
    ) as { migrations: Record<string, string> };
    const numbers = Object.keys(migrations).map((name) => Number.parseInt(name.slice(0, 6), 10));
    newestShipped = numbers.length > 0 ? Math.max(...numbers) : undefined;
  } catch {
    newestShipped = undefined; // another layout: migrateQueue decides
  }
  return newestShipped;
}
