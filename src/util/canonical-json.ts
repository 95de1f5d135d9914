// Canonical JSON (sorted object keys, no whitespace) and its sha256: the basis of data
// versions and input hashes, so equal values always hash alike.
import { hash } from 'node:crypto';

/** Serializes `value` with object keys sorted; rejects values JSON cannot represent faithfully. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'number' && !Number.isFinite(item)) {
        throw new TypeError(`cannot serialize non-finite number ${item}`);
      }
      if (typeof item === 'bigint') throw new TypeError('cannot serialize a bigint');
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        const sorted: Record<string, unknown> = {};
        for (const key of Object.keys(item).sort())
          sorted[key] = (item as Record<string, unknown>)[key];
        return sorted;
      }
      return item;
    }) ?? 'null'
  );
}

/** Hex sha256 of a string or bytes. */
export function sha256Hex(content: string | Uint8Array): string {
  // crypto.hash (Node >= 20.12) is about twice as fast as createHash for small inputs, and the
  // planner hashes every partition it evaluates.
  return hash('sha256', content, 'hex');
}

/** Hex sha256 of the canonical JSON of `value`. */
export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
