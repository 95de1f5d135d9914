// Where the embedded PostgreSQL server of a project keeps its files: the state directory
// (`<cwd>/.strata`, or STRATA_HOME, or an explicit path) and the paths below its `pg/` folder.
import path from 'node:path';

/** Environment variable that overrides the default state directory. */
export const STATE_DIR_ENV = 'STRATA_HOME';

/** Name of the state directory created in the project directory by default. */
export const DEFAULT_STATE_DIR_NAME = '.strata';

/** Paths of one project's embedded server. */
export interface EmbeddedLayout {
  /** The project state directory (absolute). */
  stateDir: string;
  /** `pg/`: everything of the embedded server. */
  pgDir: string;
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

/** The embedded server's paths under a state directory (resolved as by resolveStateDir). */
export function embeddedLayout(stateDir?: string): EmbeddedLayout {
  const root = resolveStateDir(stateDir);
  const pgDir = path.join(root, 'pg');
  const dataDir = path.join(pgDir, 'data');
  return {
    stateDir: root,
    pgDir,
    dataDir,
    serverFile: path.join(pgDir, 'server.json'),
    passwordFile: path.join(pgDir, 'password'),
    logFile: path.join(pgDir, 'postgres.log'),
    lockFile: path.join(pgDir, 'lock'),
    postmasterPidFile: path.join(dataDir, 'postmaster.pid'),
  };
}
