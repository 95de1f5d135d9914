// Which PostgreSQL strata uses: DATABASE_URL when set, else the project's embedded server.
import { EnvironmentError } from '../errors.js';
import { ensureEmbeddedServer } from './embedded-postgres.js';

/** Environment variable naming an external PostgreSQL server (any PostgreSQL >= 14). */
export const DATABASE_URL_ENV = 'DATABASE_URL';

/** The URL with its password replaced by `***`, for messages and logs. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/** Fails with an EnvironmentError naming `source` unless `url` is a postgres(ql):// URL. */
export function validateDatabaseUrl(url: string, source = DATABASE_URL_ENV): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new EnvironmentError(`${source} is not a valid URL.`, {
      cause,
      hint: `Use the form postgresql://user:password@host:5432/database, or unset ${source} to use the embedded server.`,
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new EnvironmentError(
      `${source} must be a postgres:// or postgresql:// URL, not ${parsed.protocol}//...`,
      {
        hint: `Use the form postgresql://user:password@host:5432/database, or unset ${source} to use the embedded server.`,
      },
    );
  }
  return url;
}

/**
 * The database URL to use: $DATABASE_URL if set (validated), else the embedded server of the
 * state directory (started on demand; `stateDir` defaults to $STRATA_HOME or `<cwd>/.strata`).
 */
export async function resolveDatabaseUrl(options: { stateDir?: string } = {}): Promise<string> {
  const fromEnv = process.env[DATABASE_URL_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return validateDatabaseUrl(fromEnv.trim());
  return (await ensureEmbeddedServer(options.stateDir)).url;
}
