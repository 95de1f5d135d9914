// The environment of a tool server: the worker's own minus credentials (the database URL and
// libpq's PG* variables, strata's STRATA_* configuration and token, anything named like a secret,
// URLs with a password in them), plus what the server's declaration passes explicitly, plus the
// artifact store root. A tool server that needs a secret declares it: mcpStdioServer({ env }).
import { TOOL_ARTIFACTS_ENV } from '../definitions/index.js';

/** Names never passed on, whatever their value. */
const CREDENTIAL_NAMES = new Set(['DATABASE_URL']);

/** Never passed on: libpq's connection variables (PGHOST, PGPASSWORD, ...), strata's own. */
const CREDENTIAL_PATTERNS = [/^PG[A-Z]+$/, /^STRATA_/];

/** Words (between underscores) that make a name a credential: MY_API_KEY, GITHUB_TOKEN, ... */
const CREDENTIAL_WORDS = new Set([
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'CREDENTIAL',
  'CREDENTIALS',
  'APIKEY',
  'KEY',
  'AUTH',
  'COOKIE',
]);

/** A URL with a password in it: scheme://user:password@host. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]*@/i;

/** Whether the variable `name=value` is a credential that tool servers must not inherit. */
export function isCredential(name: string, value: string): boolean {
  const upper = name.toUpperCase();
  if (CREDENTIAL_NAMES.has(upper)) return true;
  if (CREDENTIAL_PATTERNS.some((pattern) => pattern.test(upper))) return true;
  if (upper.split(/[^A-Z0-9]+/).some((word) => CREDENTIAL_WORDS.has(word))) return true;
  return URL_WITH_PASSWORD.test(value);
}

/**
 * The environment of a tool server: `inherited` (the worker's) without credentials, then
 * `declared` (the server's own env, passed as given), then `$STRATA_ARTIFACTS`.
 */
export function toolServerEnv(
  declared: Readonly<Record<string, string>>,
  artifactsRoot: string,
  inherited: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited))
    if (value !== undefined && !isCredential(name, value)) env[name] = value;
  return { ...env, ...declared, [TOOL_ARTIFACTS_ENV]: artifactsRoot };
}
