// The environment of a tool server is what it declares: the system's basics (PATH, HOME, USER,
// LANG, LC_*, TZ, TMPDIR, and Windows' own), the worker's variables it names in `inherit` (names,
// or prefixes ending in `*`, which never pass a credential: the database URL and libpq's PG*
// variables, strata's STRATA_* configuration and token, anything named like a secret, URLs with
// a password in them), the values of its `env`, and the artifact store: its location, and the
// AWS_* variables an s3:// store takes only for a server declared to use the store
// (./tool-store-env.ts). Nothing else of the worker's reaches it.
import { toolStoreAccessEnv, toolStoreLocationEnv } from './tool-store-env.js';

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

/** What every process needs to run at all; never a credential. */
const BASICS = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
]);

/** Whether the worker's variable `name` is one `inherit` asks for. */
function declared(name: string, value: string, inherit: readonly string[]): boolean {
  for (const wanted of inherit) {
    if (wanted === name) return true;
    if (wanted.endsWith('*') && name.startsWith(wanted.slice(0, -1)) && !isCredential(name, value))
      return true;
  }
  return false;
}

/**
 * The environment of a tool server: from `inherited` (the worker's), the basics and what
 * `server.inherit` names; with `server.artifactStore`, what opening the store takes; then
 * `server.env` (passed as given, so a declared value wins); then the store's location
 * `storeLocation` (a directory or `s3://bucket/prefix`).
 */
export function toolServerEnv(
  server: {
    readonly env: Readonly<Record<string, string>>;
    readonly inherit: readonly string[];
    readonly artifactStore?: boolean;
  },
  storeLocation: string,
  inherited: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (value === undefined) continue;
    const basic = BASICS.has(name) || name.startsWith('LC_');
    if ((basic && !isCredential(name, value)) || declared(name, value, server.inherit))
      env[name] = value;
  }
  return {
    ...env,
    ...toolStoreAccessEnv(storeLocation, server.artifactStore === true, inherited),
    ...server.env,
    ...toolStoreLocationEnv(storeLocation, inherited),
  };
}
