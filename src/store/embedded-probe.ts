// Is a project's embedded server up? Answered without spawning anything: the postmaster.pid
// file names a live process that is ready, and a connection with the stored password works.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import type { EmbeddedLayout } from './embedded-layout.js';
import { isAlive } from './file-lock.js';

/** The superuser of the embedded cluster. */
export const EMBEDDED_USER = 'postgres';
/** The database strata uses in the embedded cluster. */
export const EMBEDDED_DATABASE = 'strata';
/** How long a probe waits for the server to answer a connection. */
const PROBE_TIMEOUT_MS = 3_000;

/** What postmaster.pid says about a running server. */
export interface PostmasterInfo {
  pid: number;
  port: number;
  ready: boolean;
}

/** A server that accepted a connection. */
export interface RunningServer {
  url: string;
  pid: number;
  port: number;
}

/** The URL of the embedded server's strata database (or another database on it). */
export function embeddedUrl(port: number, password: string, database = EMBEDDED_DATABASE): string {
  return `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** The stored superuser password, if the cluster has been initialized. */
export async function readPassword(layout: EmbeddedLayout): Promise<string | undefined> {
  try {
    return (await readFile(layout.passwordFile, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** postmaster.pid of a live postmaster, or undefined (missing, unreadable or stale). */
export async function readPostmaster(layout: EmbeddedLayout): Promise<PostmasterInfo | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(layout.postmasterPidFile, 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, port, ready: lines[7]?.trim() === 'ready' };
}

/** The running, ready server of this layout that accepts connections to strata, if any. */
export async function probeServer(layout: EmbeddedLayout): Promise<RunningServer | undefined> {
  const [postmaster, password] = await Promise.all([readPostmaster(layout), readPassword(layout)]);
  if (postmaster === undefined || !postmaster.ready || password === undefined) return undefined;
  const url = embeddedUrl(postmaster.port, password);
  return (await acceptsConnections(url))
    ? { url, pid: postmaster.pid, port: postmaster.port }
    : undefined;
}

/** True when a connection to `url` can be opened (authenticated, database exists). */
export async function acceptsConnections(url: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    application_name: 'strata',
  });
  client.on('error', () => {}); // a late socket error must not crash the process
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
