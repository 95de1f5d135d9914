// The benchmarks' PostgreSQL server: DATABASE_URL's server when set, else a dedicated embedded
// server in a temporary state directory (stopped and deleted at the end). Each benchmark gets a
// fresh database on it, migrated with strata's and graphile-worker's schemas.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../src/store/connect.js';
import { validateDatabaseUrl } from '../../src/store/database-url.js';
import { ensureEmbeddedServer, stopEmbeddedServer } from '../../src/store/embedded-postgres.js';
import { migrateQueue } from '../../src/store/migrate-queue.js';
import { migrate } from '../../src/store/migrate.js';

/** The server the benchmarks run against. */
export interface BenchServer {
  /** URL of a database on the server whose user may create databases. */
  readonly adminUrl: string;
  /** The embedded server's state directory, or undefined when DATABASE_URL is used. */
  readonly stateDir: string | undefined;
  /** `select version()` and the durability settings, for the report. */
  readonly postgresVersion: string;
  readonly settings: Readonly<Record<string, string>>;
  /** Stops the embedded server and deletes its directory (nothing for DATABASE_URL). */
  stop(): Promise<void>;
}

/** A fresh database of one benchmark, and how to drop it. */
export interface BenchDatabase extends DatabaseHandle {
  readonly name: string;
  /** Closes the pools and drops the database. */
  drop(): Promise<void>;
}

/** Settings reported with the results (fsync on is what "durable" means here). */
const REPORTED_SETTINGS = ['fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers'];

/** Starts the embedded server in a temporary directory, or selects DATABASE_URL's server. */
export async function startBenchServer(): Promise<BenchServer> {
  const external = process.env.DATABASE_URL?.trim();
  let adminUrl: string;
  let stateDir: string | undefined;
  if (external !== undefined && external !== '') {
    adminUrl = validateDatabaseUrl(external);
  } else {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'strata-bench-pg-'));
    adminUrl = (await ensureEmbeddedServer(stateDir)).url;
  }
  const info = await withClient(adminUrl, async (client) => {
    const version = await client.query<{ version: string }>('select version()');
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
      'select name, setting, unit from pg_settings where name = any($1)',
      [REPORTED_SETTINGS],
    );
    return {
      version: version.rows[0]!.version,
      settings: Object.fromEntries(
        settings.rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]),
      ),
    };
  });
  return {
    adminUrl,
    stateDir,
    postgresVersion: info.version,
    settings: info.settings,
    async stop() {
      if (stateDir === undefined) return;
      try {
        await stopEmbeddedServer(stateDir);
      } finally {
        await rm(stateDir, { recursive: true, force: true });
      }
    },
  };
}

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates `strata_bench_<label>_<random>` and migrates it (strata and graphile-worker). */
export async function createBenchDatabase(
  server: BenchServer,
  label: string,
  options: { max?: number } = {},
): Promise<BenchDatabase> {
  const name = `strata_bench_${label}_${randomBytes(4).toString('hex')}`;
  await withClient(server.adminUrl, (client) => client.query(`create database ${name}`));
  const handle = await createDatabase(databaseUrl(server.adminUrl, name), options);
  await migrate(handle.db);
  await migrateQueue(handle.pool);
  return {
    ...handle,
    name,
    async drop() {
      await handle.close();
      await withClient(server.adminUrl, (client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}

/** Runs `fn` with a one-off client on `url`. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'strata-bench' });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
