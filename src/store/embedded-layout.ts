// Where the embedded PostgreSQL server of a project keeps its files: the state directory
// (`<cwd>/.strata`, or STRATA_HOME, or an explicit path) and the paths below its `pg/` folder.
// Run as root, the server runs as the `postgres` OS user, which must be able to reach its data:
// when the project lies where others cannot enter (a 0700 home directory), the cluster lives
// under /var/lib/strata/clusters/<hash of the state directory> instead, and the project's
// `pg/` keeps only root's files (password, lock, server record).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';

/** Environment variable that overrides the default state directory. */
export const STATE_DIR_ENV = 'STRATA_HOME';

/** Name of the state directory created in the project directory by default. */
export const DEFAULT_STATE_DIR_NAME = '.strata';

/** Paths of one project's embedded server. */
export interface EmbeddedLayout {
  /** The project state directory (absolute). */
  stateDir: string;
  /** `pg/`: the server's files that only strata reads (password, lock, server record). */
  pgDir: string;
  /** Where the server's own files live (data, log): `pg/`, or a relocated directory. */
  serverDir: string;
  /** `pg/data`: the cluster. */
  dataDir: string;
  /** `pg/server.json`: port, pid and start time of the last start. */
  serverFile: string;
  /** `pg/password`: the superuser's generated password (mode 0600). */
  passwordFile: string;
  /** `pg/postgres.log`: the server log. */
  logFile: string;
  /** `pg/lock`: held while a process initializes, starts or stops the server. */
  lockFile: string;
  /** `pg/data/postmaster.pid`: written by a running postmaster. */
  postmasterPidFile: string;
}

/** The absolute state directory: the argument, else $STRATA_HOME, else `<cwd>/.strata`. */
export function resolveStateDir(stateDir?: string): string {
  const chosen = stateDir ?? process.env[STATE_DIR_ENV];
  return path.resolve(chosen !== undefined && chosen !== '' ? chosen : DEFAULT_STATE_DIR_NAME);
}

/** Clusters of projects the server's OS user cannot reach, when strata runs as root. */
export const RELOCATED_CLUSTERS_DIR = '/var/lib/strata/clusters';

/** True when every directory from the root down to `dir` lets others traverse it. */
function othersCanEnter(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: it will be created with traverse rights.
    }
    if (path.dirname(current) === current) return true;
  }
}

/** Where the server's data and log live for a state directory (see the file comment). */
function serverDirOf(stateDir: string, pgDir: string): string {
  if (process.getuid?.() !== 0 || othersCanEnter(path.dirname(stateDir))) return pgDir;
  const id = createHash('sha256').update(stateDir).digest('hex').slice(0, 16);
  return path.join(RELOCATED_CLUSTERS_DIR, id);
}

/** The embedded server's paths under a state directory (resolved as by resolveStateDir). */
export function embeddedLayout(stateDir?: string): EmbeddedLayout {
  const root = resolveStateDir(stateDir);
  const pgDir = path.join(root, 'pg');
  const serverDir = serverDirOf(root, pgDir);
  const dataDir = path.join(serverDir, 'data');
  return {
    stateDir: root,
    pgDir,
    serverDir,
    dataDir,
    serverFile: path.join(pgDir, 'server.json'),
    passwordFile: path.join(pgDir, 'password'),
    logFile: path.join(serverDir, 'postgres.log'),
    lockFile: path.join(pgDir, 'lock'),
    postmasterPidFile: path.join(dataDir, 'postmaster.pid'),
  };
}
