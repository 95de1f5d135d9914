// Content hashing for immutable ids: sha256 over a canonical JSON rendering (object keys sorted
// at every level), so the same content always gives the same id whatever the key order.
import { createHash } from 'node:crypto';

/** A JSON value, the domain of {@link canonicalJson}. */
export type Json =
  null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** JSON with object keys sorted recursively; throws on non-finite numbers (not JSON). */
export function canonicalJson(value: Json): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: non-finite number ${value}`);
    return JSON.stringify(value);
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: Json) => canonicalJson(v)).join(',')}]`;
  const record = value as { readonly [k: string]: Json };
  const entries = Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k] as Json)}`);
  return `{${entries.join(',')}}`;
}

/** Hex sha256 of a string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
