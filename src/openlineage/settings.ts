// The OpenLineage settings of a strata process: from environment variables (and the CLI's
// flags, which win), validated with zod into sinks and a namespace. Errors name the variable
// or flag, and never repeat the API key or a URL that carries credentials.
import { hostname } from 'node:os';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import {
  OPENLINEAGE_API_KEY_ENV,
  OPENLINEAGE_NAMESPACE_ENV,
  OPENLINEAGE_URL_ENV,
} from './env-names.js';
import { JsonLinesFileSink } from './file-sink.js';
import { HttpSink } from './http-sink.js';
import type { LineageSink } from './sink.js';

/** The job namespace when none is set. */
export const DEFAULT_NAMESPACE = 'strata';
/** The path a Marquez-compatible receiver takes events at, used when the URL has none. */
export const LINEAGE_ENDPOINT_PATH = '/api/v1/lineage';

/** Where each setting came from, for error messages: `$VAR` or `--flag`. */
export interface SettingSources {
  readonly url?: string;
  readonly file?: string;
  readonly namespace?: string;
}

/** Raw setting values (undefined or '' for unset). */
export interface RawSettings {
  readonly url?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly file?: string | undefined;
  readonly namespace?: string | undefined;
  /** The machine a file sink writes on (default: the OS host name). */
  readonly host?: string;
}

/** Validated settings. */
export interface LineageSettings {
  readonly namespace: string;
  readonly sinks: readonly LineageSink[];
}

const blankToUndefined = (value: string | undefined) => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

const endpointSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .refine((text) => {
    const url = new URL(text);
    return url.username === '' && url.password === '';
  }, `must not hold credentials (give the key in $${OPENLINEAGE_API_KEY_ENV})`);

const namespaceSchema = z
  .string()
  .regex(/^[^\s]+$/, 'must be one word without spaces (e.g. my-project)')
  .max(200, 'must be at most 200 characters');

/** The settings in `raw`, undefined when no sink is configured. */
export function lineageSettingsOf(
  raw: RawSettings,
  sources: SettingSources = {},
): LineageSettings | undefined {
  const urlText = blankToUndefined(raw.url);
  const file = blankToUndefined(raw.file);
  const apiKey = blankToUndefined(raw.apiKey);
  const namespace = blankToUndefined(raw.namespace) ?? DEFAULT_NAMESPACE;
  check(namespaceSchema, namespace, sources.namespace ?? `$${OPENLINEAGE_NAMESPACE_ENV}`, {
    showValue: true,
    hint: 'e.g. the project or database name: my-project',
  });
  const sinks: LineageSink[] = [];
  if (urlText !== undefined) {
    check(endpointSchema, urlText, sources.url ?? `$${OPENLINEAGE_URL_ENV}`, {
      showValue: false,
      hint: `e.g. ${OPENLINEAGE_URL_ENV}=http://localhost:5000 (Marquez)`,
    });
    sinks.push(new HttpSink(endpointOf(urlText), apiKey));
  } else if (apiKey !== undefined) {
    throw new UsageError(`$${OPENLINEAGE_API_KEY_ENV} is set but no OpenLineage URL is`, {
      hint: `set $${OPENLINEAGE_URL_ENV} (e.g. http://localhost:5000) or unset the key`,
    });
  }
  if (file !== undefined) sinks.push(new JsonLinesFileSink(file, raw.host ?? hostname()));
  return sinks.length === 0 ? undefined : { namespace, sinks };
}

/** The URL events are POSTed to: the given one, or its /api/v1/lineage when it has no path. */
export function endpointOf(text: string): URL {
  const url = new URL(text);
  if (url.pathname === '/' || url.pathname === '') url.pathname = LINEAGE_ENDPOINT_PATH;
  return url;
}

/** Throws a UsageError naming the setting; its value is shown only when `showValue`. */
function check(
  schema: z.ZodType,
  value: string,
  name: string,
  how: { readonly showValue: boolean; readonly hint: string },
): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0]?.message ?? 'is invalid';
  const shown = how.showValue ? ` (got ${JSON.stringify(value)})` : '';
  throw new UsageError(`${name} ${issue}${shown}`, { hint: how.hint });
}
