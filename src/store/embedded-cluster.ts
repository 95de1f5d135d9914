// Creating and starting the embedded cluster with initdb and pg_ctl. The superuser `postgres`
// gets a generated password stored in pg/password (mode 0600) and the cluster uses
// scram-sha-256 even on 127.0.0.1: unlike trust auth, that keeps other OS users of a shared
// machine out of the database; only whoever can read the project's state directory gets in.
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EnvironmentError } from '../errors.js';
import type { PostgresBinaries } from './embedded-binaries.js';
import type { EmbeddedLayout } from './embedded-layout.js';
import { chownTo, type ServerIdentity } from './embedded-os-user.js';
import { EMBEDDED_USER } from './embedded-probe.js';
import { runProgram, runProgramOrThrow } from './run-program.js';

/** Seconds pg_ctl waits for the server to become ready (crash recovery can take a while). */
const START_TIMEOUT_S = 120;
/** Seconds pg_ctl waits for the server to shut down. */
const STOP_TIMEOUT_S = 60;
/** Log lines quoted in a start failure. */
const LOG_TAIL_LINES = 15;

/** File in the data directory holding strata's settings, rewritten on every start. */
const SETTINGS_FILE = 'strata.conf';

/**
 * Server settings for an orchestrator: loopback TCP only, no unix sockets, room for many
 * workers' pools, and full durability (fsync and synchronous_commit are never turned off).
 * `ALTER SYSTEM` still overrides these (postgresql.auto.conf is read last).
 */
const SETTINGS: Record<string, string> = {
  listen_addresses: "'127.0.0.1'",
  unix_socket_directories: "''",
  max_connections: '200',
  shared_buffers: "'128MB'",
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  password_encryption: "'scram-sha-256'",
  timezone: "'UTC'",
  log_timezone: "'UTC'",
};

/** True when the data directory holds an initialized cluster. */
export async function clusterExists(layout: EmbeddedLayout): Promise<boolean> {
  try {
    await stat(path.join(layout.dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

/** Runs initdb into pg/data (removing the leftovers of a failed attempt) with a new password. */
export async function initCluster(
  layout: EmbeddedLayout,
  identity: ServerIdentity,
  binaries: PostgresBinaries,
): Promise<void> {
  await rm(layout.dataDir, { recursive: true, force: true });
  await mkdir(layout.dataDir, { mode: 0o700 });
  await chownTo(layout.dataDir, identity);
  const password = randomBytes(24).toString('hex');
  await writeFile(layout.passwordFile, `${password}\n`, { mode: 0o600 });
  // initdb (running as the server's user) reads the password from a file of its own.
  const passwordInput = path.join(layout.serverDir, 'initdb-password');
  await writeFile(passwordInput, `${password}\n`, { mode: 0o600 });
  try {
    await chownTo(passwordInput, identity);
    await runProgramOrThrow(
      binaries.initdb,
      [
        `--pgdata=${layout.dataDir}`,
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${passwordInput}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      {
        cwd: layout.serverDir,
        identity,
        hint: `Delete ${layout.pgDir} and try again; if it persists, set DATABASE_URL instead.`,
      },
    );
  } finally {
    await rm(passwordInput, { force: true });
  }
  await appendFile(
    path.join(layout.dataDir, 'postgresql.conf'),
    `\n# strata's settings (rewritten on every start)\ninclude_if_exists = '${SETTINGS_FILE}'\n`,
  );
}

/** Starts the cluster on a port as a daemon (pg_ctl -w); returns false if the port was taken. */
export async function startCluster(
  layout: EmbeddedLayout,
  identity: ServerIdentity,
  binaries: PostgresBinaries,
  port: number,
): Promise<boolean> {
  const settings = Object.entries(SETTINGS)
    .map(([name, value]) => `${name} = ${value}`)
    .join('\n');
  const settingsFile = path.join(layout.dataDir, SETTINGS_FILE);
  await writeFile(settingsFile, `# Written by strata on every start.\n${settings}\n`);
  await chownTo(settingsFile, identity);
  // The server log holds the project's queries and errors: private to the owner, like its data
  // (a log of an earlier version, created readable by all, is made private too).
  await appendFile(layout.logFile, '', { mode: 0o600 });
  await chmod(layout.logFile, 0o600);
  await chownTo(layout.logFile, identity);
  const logSize = (await stat(layout.logFile)).size;
  const output = await runProgram(
    binaries.pg_ctl,
    [
      'start',
      '-w',
      '-t',
      String(START_TIMEOUT_S),
      '-D',
      layout.dataDir,
      '-l',
      layout.logFile,
      '-o',
      `-p ${port}`,
    ],
    { cwd: layout.serverDir, identity },
  );
  if (output.code === 0) return true;
  const log = (await readFile(layout.logFile, 'utf8').catch(() => '')).slice(logSize);
  if (/could not bind|address already in use/i.test(log)) return false;
  const tail = log.trim().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  throw new EnvironmentError(
    `The embedded PostgreSQL server did not start:\n${`${output.stderr}${output.stdout}`.trim()}${tail === '' ? '' : `\n--- ${layout.logFile} ---\n${tail}`}`,
    { hint: `See ${layout.logFile}; \`strata db stop\` and retry, or set DATABASE_URL.` },
  );
}

/** Stops the cluster with pg_ctl stop -m fast (waits until it is down). */
export async function stopCluster(
  layout: EmbeddedLayout,
  identity: ServerIdentity,
  binaries: PostgresBinaries,
): Promise<void> {
  await runProgramOrThrow(
    binaries.pg_ctl,
    ['stop', '-w', '-t', String(STOP_TIMEOUT_S), '-m', 'fast', '-D', layout.dataDir],
    { cwd: layout.serverDir, identity, hint: `See ${layout.logFile}.` },
  );
}
