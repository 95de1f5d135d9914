// The arguments of a tool call as provenance keeps them (tool_calls.arguments, migrations/0020):
// the canonical arguments, with the values of credential-like keys (password, secret, token,
// api_key, authorization, ...) and of credential-like strings (a URL's password, `Bearer ...`)
// redacted, never stored; above 64 KiB a marker naming their size and hash stands in for them.
// The hash and the idempotency key are of the arguments as sent (redaction changes neither).
import { canonicalJson } from '../util/canonical-json.js';

/** The largest recorded arguments, in bytes of their canonical JSON (UTF-8) after redaction. */
export const TOOL_ARGUMENTS_MAX_BYTES = 64 * 1024;

/** What a redacted value is recorded as. */
export const REDACTED = '[redacted]';

/** At most this many top-level keys are named by a truncation marker. */
const MARKER_KEYS = 100;

/** What stands in for arguments over TOOL_ARGUMENTS_MAX_BYTES. */
export interface TruncatedArguments {
  readonly $strata: 'truncated';
  /** Size of the canonical JSON of the arguments as sent, in bytes. */
  readonly bytes: number;
  readonly maxBytes: number;
  /** sha256 of the canonical arguments as sent (the call's argument_hash). */
  readonly argumentHash: string;
  /** The top-level keys of the arguments (the first 100), so a reader sees what was sent. */
  readonly keys: readonly string[];
}

/** Whether recorded arguments are the marker of arguments too large to keep. */
export function isTruncatedArguments(value: unknown): value is TruncatedArguments {
  if (typeof value !== 'object' || value === null) return false;
  const marker = value as Partial<Record<keyof TruncatedArguments, unknown>>;
  return (
    marker.$strata === 'truncated' &&
    typeof marker.bytes === 'number' &&
    typeof marker.maxBytes === 'number' &&
    Array.isArray(marker.keys)
  );
}

/** Substrings of a key (lower case, letters and digits only) that make it a credential. */
const CREDENTIAL_PARTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'credential',
  'authorization',
  'cookie',
  'privatekey',
  'accesskey',
  'bearer',
];

/** Whole words of a key that make it a credential (as substrings they match innocent keys). */
const CREDENTIAL_WORDS = new Set(['auth', 'pwd']);

/** Whether the value of an argument named `key` is a credential: `api_key`, `X-Auth-Token`, `clientSecret`. */
export function isCredentialKey(key: string): boolean {
  const joined = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (CREDENTIAL_PARTS.some((part) => joined.includes(part))) return true;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word) => CREDENTIAL_WORDS.has(word));
}

/** scheme://user:password@host: the password is group 2. */
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:)([^/@\s]*)(@)/i;

/** An HTTP credential: `Bearer abc`, `Basic dXNlcjpwYXNz`, `Token abc`. */
const AUTH_SCHEME = /^\s*(bearer|basic|token|digest)\s+\S{8,}/i;

/** NUL (which jsonb cannot hold) and unpaired UTF-16 surrogates (which it refuses). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storable(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

function redactString(text: string): string {
  if (AUTH_SCHEME.test(text)) return REDACTED;
  return storable(text.replace(URL_WITH_PASSWORD, `$1${REDACTED}$3`));
}

/**
 * A copy of `value` safe to record: credential-like keys' values and credential-like strings
 * redacted, and characters PostgreSQL's jsonb cannot store (NUL, unpaired surrogates) replaced
 * by U+FFFD. Object keys are kept (sorted when serialized canonically).
 */
export function redactArguments(value: unknown): unknown {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map(redactArguments);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    copy[storable(key)] = isCredentialKey(key) && item !== null ? REDACTED : redactArguments(item);
  }
  return copy;
}

/**
 * The JSON text recorded for a call's arguments, from `canonical`, their canonical JSON as sent,
 * and `argumentHash`, its sha256: redacted, in canonical form (keys sorted), or the truncation
 * marker when that is over TOOL_ARGUMENTS_MAX_BYTES.
 */
export function recordedArguments(canonical: string, argumentHash: string): string {
  // The arguments as JSON sees them (toJSON applied, undefined dropped), as they were sent.
  const sent = JSON.parse(canonical) as Record<string, unknown>;
  const text = canonicalJson(redactArguments(sent));
  if (Buffer.byteLength(text) <= TOOL_ARGUMENTS_MAX_BYTES) return text;
  const marker: TruncatedArguments = {
    $strata: 'truncated',
    bytes: Buffer.byteLength(canonical),
    maxBytes: TOOL_ARGUMENTS_MAX_BYTES,
    argumentHash,
    keys: Object.keys(sent).slice(0, MARKER_KEYS).map(storable),
  };
  return canonicalJson(marker);
}
