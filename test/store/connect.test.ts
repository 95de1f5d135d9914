// createDatabase and resolveDatabaseUrl: number parsing on the Kysely pool only, clear errors
// for unreachable servers and bad DATABASE_URLs, and the per-file test database harness.
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnvironmentError } from '../../src/errors.js';
import { createDatabase } from '../../src/store/connect.js';
import { resolveDatabaseUrl } from '../../src/store/database-url.js';
import { findFreePort } from '../../src/store/free-port.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createDatabase', () => {
  it('gives a migrated database where int8 and numeric are numbers, and a plain pg pool', async () => {
    const { rows } = await sql<{ big: unknown; exact: unknown; list: unknown; app: unknown }>`
      select 9007199254740991::int8 as big, 1.5::numeric as exact,
        array[1, 2]::int8[] as list, current_setting('application_name') as app`.execute(
      database.db,
    );
    expect(rows).toEqual([{ big: 9007199254740991, exact: 1.5, list: [1, 2], app: 'strata' }]);
    const plain = await database.pool.query('select 1::int8 as one');
    expect(plain.rows).toEqual([{ one: '1' }]);
    const meta = await sql`select name from strata_meta.migrations`.execute(database.db);
    expect(meta.rows.length).toBeGreaterThan(0);
  });

  it('reports an unreachable server as an EnvironmentError with the password masked', async () => {
    const port = await findFreePort();
    const error = await createDatabase(`postgresql://u:secret@127.0.0.1:${port}/x`).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toContain(`u:***@127.0.0.1:${port}`);
    expect((error as EnvironmentError).message).not.toContain('secret');
    expect((error as EnvironmentError).hint).toMatch(/strata db start/);
  });
});

describe('resolveDatabaseUrl', () => {
  it('uses DATABASE_URL when set and rejects non-postgres URLs naming it', async () => {
    vi.stubEnv('DATABASE_URL', 'postgres://a@db.example:5432/x');
    await expect(resolveDatabaseUrl()).resolves.toBe('postgres://a@db.example:5432/x');
    vi.stubEnv('DATABASE_URL', 'mysql://a@db.example/x');
    await expect(resolveDatabaseUrl()).rejects.toThrow(/DATABASE_URL/);
    vi.stubEnv('DATABASE_URL', 'not a url');
    await expect(resolveDatabaseUrl()).rejects.toThrow(/DATABASE_URL/);
  });
});
