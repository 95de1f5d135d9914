// The embedded PostgreSQL server of a project: one real server per state directory, shared by
// every strata process (CLI, server, workers) and outliving the process that started it
// (pg_ctl runs it as a daemon; nothing here stops it on exit). Start, stop and initdb happen
// under an exclusive lock file so concurrent processes never double-start or corrupt it; the
// common path (already running) spawns nothing: it reads files and opens one connection.
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { EnvironmentError } from '../errors.js';
import { postgresBinaries } from './embedded-binaries.js';
import { clusterExists, initCluster, startCluster, stopCluster } from './embedded-cluster.js';
import { embeddedLayout, type EmbeddedLayout } from './embedded-layout.js';
import { assertTraversable, serverIdentity, type ServerIdentity } from './embedded-os-user.js';
import {
  EMBEDDED_DATABASE,
  embeddedUrl,
  probeServer,
  readPassword,
  readPostmaster,
} from './embedded-probe.js';
import { withFileLock } from './file-lock.js';
import { findFreePort, isPortFree } from './free-port.js';

/** Attempts to start on a fresh port when the chosen one was taken meanwhile. */
const PORT_ATTEMPTS = 3;

/** Contents of pg/server.json. */
interface ServerRecord {
  port: number;
  pid: number;
  startedAt: string;
}

/** What embeddedServerStatus reports. */
export interface EmbeddedServerStatus {
  running: boolean;
  url?: string;
  pid?: number;
  port?: number;
  dataDir: string;
}

/**
 * Returns the URL of the project's embedded server (its `strata` database), creating the
 * cluster and starting the server first when needed. `stateDir` defaults to $STRATA_HOME or
 * `<cwd>/.strata`.
 */
export async function ensureEmbeddedServer(stateDir?: string): Promise<{ url: string }> {
  const layout = embeddedLayout(stateDir);
  const running = await probeServer(layout);
  if (running !== undefined) return { url: running.url };
  await mkdir(layout.pgDir, { recursive: true, mode: 0o700 });
  return withFileLock(
    layout.lockFile,
    async () => {
      const started = await probeServer(layout); // another process may have started it
      return { url: started?.url ?? (await startServer(layout)) };
    },
    { purpose: 'starting the embedded PostgreSQL server' },
  );
}

/**
 * The URL of the project's embedded server when its files say it runs and is ready (a live
 * postmaster, a stored password), without connecting: for a caller that connects next anyway
 * and falls back to ensureEmbeddedServer when that fails, so the connection is the probe.
 */
export async function readyEmbeddedServerUrl(stateDir?: string): Promise<string | undefined> {
  const layout = embeddedLayout(stateDir);
  const [postmaster, password] = await Promise.all([readPostmaster(layout), readPassword(layout)]);
  if (postmaster === undefined || !postmaster.ready || password === undefined) return undefined;
  return embeddedUrl(postmaster.port, password);
}

/** Stops the project's embedded server (pg_ctl stop -m fast); false when it was not running. */
export async function stopEmbeddedServer(stateDir?: string): Promise<{ stopped: boolean }> {
  const layout = embeddedLayout(stateDir);
  if ((await readPostmaster(layout)) === undefined) return { stopped: false };
  return withFileLock(
    layout.lockFile,
    async () => {
      if ((await readPostmaster(layout)) === undefined) return { stopped: false };
      const [binaries, identity] = await Promise.all([
        postgresBinaries(),
        serverIdentity(layout.dataDir),
      ]);
      await stopCluster(layout, identity, binaries);
      return { stopped: true };
    },
    { purpose: 'stopping the embedded PostgreSQL server' },
  );
}

/** Whether the project's embedded server runs and accepts connections, and where. */
export async function embeddedServerStatus(stateDir?: string): Promise<EmbeddedServerStatus> {
  const layout = embeddedLayout(stateDir);
  const running = await probeServer(layout);
  return running === undefined
    ? { running: false, dataDir: layout.dataDir }
    : { running: true, ...running, dataDir: layout.dataDir };
}

/** Initializes (if needed) and starts the server; call with the lock held. Returns its URL. */
async function startServer(layout: EmbeddedLayout): Promise<string> {
  const identity = await serverIdentity(layout.dataDir);
  await prepareDirectories(layout, identity);
  const binaries = await postgresBinaries();
  if (!(await clusterExists(layout))) await initCluster(layout, identity, binaries);
  const password = await readPassword(layout);
  if (password === undefined) {
    throw new EnvironmentError(
      `The embedded PostgreSQL cluster in ${layout.dataDir} has no password file ${layout.passwordFile}.`,
      { hint: `Delete ${layout.pgDir} to create a new (empty) cluster, or set DATABASE_URL.` },
    );
  }
  const previous = await readServerRecord(layout);
  let port =
    previous !== undefined && (await isPortFree(previous.port))
      ? previous.port
      : await findFreePort();
  for (let attempt = 1; !(await startCluster(layout, identity, binaries, port)); attempt++) {
    if (attempt >= PORT_ATTEMPTS) {
      throw new EnvironmentError(`The embedded PostgreSQL server found no free port.`, {
        hint: `See ${layout.logFile}, or set DATABASE_URL.`,
      });
    }
    port = await findFreePort();
  }
  const postmaster = await readPostmaster(layout);
  const record: ServerRecord = {
    port,
    pid: postmaster?.pid ?? 0,
    startedAt: new Date().toISOString(),
  };
  await writeFile(layout.serverFile, `${JSON.stringify(record, null, 2)}\n`);
  await ensureDatabase(port, password);
  return embeddedUrl(port, password);
}

/** Makes the server's directory (and, when it is pg/, the state directory) enterable by its OS user. */
async function prepareDirectories(layout: EmbeddedLayout, identity: ServerIdentity): Promise<void> {
  if (identity === undefined) return;
  if (layout.serverDir !== layout.pgDir) {
    await mkdir(layout.serverDir, { recursive: true, mode: 0o755 });
  } else {
    // Add traverse-only rights (x) for others: listing stays private, the password file is 0600.
    for (const dir of [layout.stateDir, layout.pgDir]) {
      await chmod(dir, ((await stat(dir)).mode & 0o7777) | 0o011);
    }
  }
  await assertTraversable(layout.serverDir, identity);
}

async function readServerRecord(layout: EmbeddedLayout): Promise<ServerRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(layout.serverFile, 'utf8')) as Partial<ServerRecord>;
    return typeof record.port === 'number' ? (record as ServerRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the strata database unless it exists (first start, or a start after a crash). */
async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({
    connectionString: embeddedUrl(port, password, 'postgres'),
    application_name: 'strata',
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const existing = await client.query('select 1 from pg_database where datname = $1', [
      EMBEDDED_DATABASE,
    ]);
    if (existing.rowCount === 0) await client.query(`create database ${EMBEDDED_DATABASE}`);
  } catch (cause) {
    throw new EnvironmentError(
      `Could not create the ${EMBEDDED_DATABASE} database in the embedded PostgreSQL server.`,
      { cause, hint: '`strata db stop` and retry, or set DATABASE_URL.' },
    );
  } finally {
    await client.end().catch(() => {});
  }
}
