// One fresh PostgreSQL database per test file on the run's shared server: created and migrated
// (strata's migrations and graphile-worker's) in beforeAll, closed and dropped in afterAll.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { migrateQueue } from '../../src/store/migrate-queue.js';

/**
 * The database of a test file; the getters throw before beforeAll has run. It is an engine's
 * database as it is (see testEngine in ./engine.ts).
 */
export interface TestDatabase {
  readonly url: string;
  readonly db: DatabaseHandle['db'];
  readonly pool: DatabaseHandle['pool'];
  /** Its outage tracker (never told to ride out outages: connection failures fail at once). */
  readonly outage: DatabaseHandle['outage'];
}

/** An empty database on the test server, and how to drop it. */
export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database `strata_test_<random>` on the run's server (no migrations). */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const adminUrl = inject('postgresUrl');
  const name = `strata_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)),
  };
}

/**
 * Gives the calling test file its own database: created and migrated before its tests (unless
 * `migrate: false`), closed and dropped after them.
 */
export function useTestDatabase(options: { migrate?: boolean } = {}): TestDatabase {
  let scratch: ScratchDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    handle = await createDatabase(scratch.url);
    if (options.migrate !== false) {
      await migrate(handle.db);
      await migrateQueue(handle.pool);
    }
  });
  afterAll(async () => {
    await handle?.close();
    await scratch?.drop();
  });
  const ready = (): DatabaseHandle => {
    if (handle === undefined)
      throw new Error('useTestDatabase(): the database exists from beforeAll on');
    return handle;
  };
  return {
    get url() {
      return ready().url;
    },
    get db() {
      return ready().db;
    },
    get pool() {
      return ready().pool;
    },
    get outage() {
      return ready().outage;
    },
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
