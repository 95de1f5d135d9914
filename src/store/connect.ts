// Opening the database: a Kysely instance over a pg Pool whose int8 and numeric values arrive
// as JS numbers (a per-pool type parser; pg's global parsers stay untouched), plus a second,
// plain pg Pool with the driver's default parsers for graphile-worker (it expects string job
// ids). Both pools connect lazily, so the second costs nothing until it is used. New connections
// of both go through one DatabaseOutage (outage.ts): a long-running process can ride out a
// restart of the server.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { EnvironmentError, StrataError } from '../errors.js';
import { maskDatabaseUrl } from './database-url.js';
import { DatabaseOutage } from './outage.js';
import { preparedStatementsFor } from './prepared-statements.js';
import type { Database } from './schema.js';

/** Connections per pool unless the caller says otherwise. */
export const DEFAULT_POOL_SIZE = 10;
/** How long opening a connection may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
/** application_name of every strata connection (visible in pg_stat_activity). */
const APPLICATION_NAME = 'strata';

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;
const NUMERIC_OID = 1700;
const NUMERIC_ARRAY_OID = 1231;

/** An open database: the typed Kysely instance, a plain pg Pool, and how to close both. */
export interface DatabaseHandle {
  /** Typed queries; int8 and numeric columns are numbers. */
  db: Kysely<Database>;
  /** A pg Pool with the driver's default parsers (int8 as string), for graphile-worker. */
  pool: pg.Pool;
  /** The URL connected to. */
  url: string;
  /**
   * Every new connection of both pools goes through it: once a process opts in
   * (`outage.rideOut`), an unreachable server is waited for instead of failing at once.
   */
  outage: DatabaseOutage;
  /** Closes both pools (idempotent). */
  close(): Promise<void>;
}

/**
 * Opens `url` and checks that it is reachable (one connection, kept in the pool); an
 * unreachable server or failed login is an EnvironmentError with the URL, password masked.
 */
export async function createDatabase(
  url: string,
  options: { max?: number } = {},
): Promise<DatabaseHandle> {
  const max = options.max ?? DEFAULT_POOL_SIZE;
  const outage = new DatabaseOutage();
  const numbersPool = newPool(url, max, { getTypeParser: numericTypeParser });
  numbersPool.on('connect', preparedStatementsFor);
  const pool = newPool(url, max, undefined);
  waitThroughOutages(pool, outage);
  let numbersPoolEnded = false;
  const endNumbersPool = async (): Promise<void> => {
    if (numbersPoolEnded) return;
    numbersPoolEnded = true;
    await numbersPool.end();
  };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: () =>
          outage
            .retry(() => numbersPool.connect())
            .catch((cause: unknown) =>
              Promise.reject(cause instanceof StrataError ? cause : unreachable(url, cause)),
            ),
        end: endNumbersPool,
      },
    }),
  });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= Promise.all([db.destroy(), pool.ended ? undefined : pool.end()]).then(() => {});
    return closed;
  };
  try {
    const client = await numbersPool.connect();
    client.release();
  } catch (cause) {
    await close();
    throw unreachable(url, cause);
  }
  return { db, pool, url, outage, close };
}

/**
 * Makes `pool.connect()` (the promise form graphile-worker uses) wait through outages too, so the
 * queue's own statements ride out a restart like strata's.
 */
function waitThroughOutages(pool: pg.Pool, outage: DatabaseOutage): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const withCallback = pool.connect.bind(pool) as (
    callback: (
      error: Error | undefined,
      client: pg.PoolClient | undefined,
      done: () => void,
    ) => void,
  ) => void;
  pool.connect = ((callback?: Parameters<typeof withCallback>[0]) =>
    callback ? withCallback(callback) : outage.retry(connect)) as typeof pool.connect;
}

function newPool(url: string, max: number, types: pg.CustomTypesConfig | undefined): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(types === undefined ? {} : { types }),
  });
  // A client whose connection dies (server restart) is dropped by the pool and its query, if
  // any, rejected; without these listeners the 'error' events would crash the process.
  // (graphile-worker warns about pools lacking them.)
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** pg's default parsers, except int8 and numeric (and their arrays) parse to numbers. */
function numericTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (format === 'binary') return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  switch (oid) {
    case INT8_OID:
    case NUMERIC_OID:
      return Number; // int8 beyond 2^53 would lose precision; strata's counters and ids never get there
    case INT8_ARRAY_OID:
    case NUMERIC_ARRAY_OID: {
      const parseArray = pg.types.getTypeParser(oid as TypeId, 'text') as (
        value: string,
      ) => unknown;
      return (value) => toNumbers(parseArray(value));
    }
    default:
      return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  }
}

function toNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toNumbers);
  return typeof value === 'string' ? Number(value) : value;
}

/** The EnvironmentError for a server that cannot be reached or refuses the login. */
export function unreachable(url: string, cause: unknown): EnvironmentError {
  const reason =
    cause instanceof Error ? cause.message || (cause as NodeJS.ErrnoException).code : String(cause);
  return new EnvironmentError(
    `Cannot connect to PostgreSQL at ${maskDatabaseUrl(url)}: ${reason}`,
    {
      cause,
      hint: 'Start the embedded server with `strata db start`, or check DATABASE_URL.',
    },
  );
}
