// Applies strata's schema migrations (migrations/NNNN_name.sql, in filename order) exactly once
// per database, recorded with checksums in strata_meta.migrations. Concurrent callers serialize
// on a transaction-level advisory lock; all pending files apply in one transaction, so a
// failure leaves the database as it was. Files must not contain BEGIN/COMMIT or statements that
// cannot run in a transaction (CREATE INDEX CONCURRENTLY).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { EnvironmentError, InvariantError } from '../errors.js';

/** migrations/ at the repository root (this file is src/store/ or dist/store/, two levels down). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Advisory lock key serializing migrate() across processes: the bytes of 'STRATA', then 0x0001. */
const MIGRATION_LOCK_KEY = '6004514643731611649';

/** SQLSTATEs meaning "strata_meta.migrations does not exist yet". */
const UNDEFINED_TABLE = '42P01';
const UNDEFINED_SCHEMA = '3F000';
/** SQLSTATE of a user refused access (e.g. a read-only role running the CLI). */
const INSUFFICIENT_PRIVILEGE = '42501';

/** One migration file. */
export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

interface AppliedMigration {
  name: string;
  checksum: string;
}

/** The migration files of a directory in application (filename) order. */
export async function readMigrations(directory = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  } catch (cause) {
    throw new EnvironmentError(`Cannot read the migrations directory ${directory}.`, {
      cause,
      hint: 'Reinstall strata: its migrations/ directory ships next to dist/.',
    });
  }
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(directory, name), 'utf8');
      // Line endings do not change a migration (a Windows checkout must not look edited).
      const checksum = createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
      return { name, checksum, sql: text };
    }),
  );
}

/**
 * Brings the database's strata schema up to date; returns the names of the migrations it
 * applied (none when up to date, which costs one query). `directory` is for tests.
 */
export async function migrate<DB>(
  db: Kysely<DB>,
  options: { directory?: string } = {},
): Promise<{ applied: string[] }> {
  const files = await readMigrations(options.directory);
  const recorded = await readApplied(db);
  if (recorded !== undefined && pending(files, recorded).length === 0) return { applied: [] };
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY}::bigint)`.execute(trx);
    await sql`create schema if not exists strata_meta`.execute(trx);
    await sql`
      create table if not exists strata_meta.migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`.execute(trx);
    const applied: string[] = [];
    for (const file of pending(files, (await readApplied(trx)) ?? [])) {
      try {
        await sql.raw(file.sql).execute(trx);
      } catch (cause) {
        throw new EnvironmentError(
          `Migration ${file.name} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          {
            cause,
            hint: 'Nothing was applied. Check that the database user may create schemas and tables (PostgreSQL >= 14).',
          },
        );
      }
      await sql`insert into strata_meta.migrations (name, checksum) values (${file.name}, ${file.checksum})`.execute(
        trx,
      );
      applied.push(file.name);
    }
    return { applied };
  });
}

/** The recorded migrations, or undefined when the table does not exist yet. */
async function readApplied<DB>(db: Kysely<DB>): Promise<AppliedMigration[] | undefined> {
  try {
    const result = await sql<AppliedMigration>`
      select name, checksum from strata_meta.migrations order by name`.execute(db);
    return result.rows;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === UNDEFINED_TABLE || code === UNDEFINED_SCHEMA) return undefined;
    if (code === INSUFFICIENT_PRIVILEGE) {
      throw new EnvironmentError(
        `The database user may not read strata's schema version (strata_meta.migrations): ${(error as Error).message}.`,
        {
          cause: error,
          hint: 'strata\'s commands, workers and server connect as the role that owns its schemas; a read-only role queries the strata views over SQL (docs/deployment.md, "Database roles").',
        },
      );
    }
    throw error;
  }
}

/** The files not applied yet; refuses edited migrations and migrations from a newer strata. */
function pending(files: MigrationFile[], applied: AppliedMigration[]): MigrationFile[] {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of applied) {
    const file = byName.get(row.name);
    if (file === undefined) {
      throw new EnvironmentError(
        `The database has migration ${row.name}, which this version of strata does not know: a newer strata migrated it.`,
        { hint: 'Upgrade strata to the version that uses this database, or use another database.' },
      );
    }
    if (file.checksum !== row.checksum) {
      throw new InvariantError(
        `Migration ${row.name} changed after it was applied to this database (checksum ${row.checksum.slice(0, 12)} recorded, ${file.checksum.slice(0, 12)} on disk).`,
        { hint: 'Migrations are never edited once landed; add a new one (and restore this file).' },
      );
    }
  }
  const done = new Set(applied.map((row) => row.name));
  return files.filter((file) => !done.has(file.name));
}
